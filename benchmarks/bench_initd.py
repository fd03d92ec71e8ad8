"""Accuracy and speed of svconv's init-script reader against the packages' own units.

For each row of ../shared/corpus/debian/PAIRS.tsv, does the ExecStart svconv makes of the
init script run the same executable with the same key arguments as the package's own
systemd unit? systemd-sysv-generator's share is 0 by construction (its ExecStart is the
script itself); both are timed over the corpus's Debian init scripts in the same run.

Rules of the comparison:
- the executable is compared by its basename (``/sbin/rpcbind`` = ``/usr/sbin/rpcbind``);
- daemon/foreground flags are ignored: the ones svconv's knowledge base lists for that
  daemon (added, removed or swapped to keep it in the foreground) and -f/-F/-D/-n/
  --foreground/--nodaemon/--daemon; an nginx ``-g`` whose directives only set ``daemon``
  and ``master_process`` (on by default) counts as one; pidfile options are ignored with
  their values (-p, -P, -x, --pid, --pidfile, --pid-file, --writepid, -pidfile, also
  spelt --option=value);
- flags that only tell a daemon it runs under systemd are ignored: redis-server
  ``--supervised systemd``, cupsd ``-l`` (on-demand start), haproxy ``-Ws`` (notify);
- ``$VAR``/``${VAR}`` are resolved from the package's etc/default/NAME (KEY=value lines;
  unset ones are empty), on both sides;
- a unit whose ExecStart is /bin/true (tor.service) is compared with the package's
  instance unit of the same name (tor@default.service);
- "same" needs the same executable and the same set of remaining arguments; the TSV
  (--tsv, default benchmarks/initd-accuracy.tsv) gives each pair's verdict and both argvs.

Run ``python benchmarks/bench_initd.py [--rounds N] [--tsv PATH]``.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

from translator import api, io
from translator.knowledge.foreground import rules

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = PROJECT.parent / "shared" / "corpus"
_FOREGROUND_FLAGS = {"-f", "-F", "-D", "-n", "--foreground", "--nodaemon", "--daemon"}
_PIDFILE_OPTIONS = {"-p", "-P", "-x", "--pid", "--pidfile", "--pid-file", "--writepid", "-pidfile"}
_SYSTEMD_HANDSHAKE = {
    "redis-server": ("--supervised", "systemd"),
    "cupsd": ("-l",),
    "haproxy": ("-Ws",),
}
_NGINX_DAEMON_DIRECTIVES = {"daemon on", "daemon off", "master_process on"}


def defaults(package: Path, name: str) -> dict[str, str]:
    """Read etc/default/NAME of a package as KEY=value lines (quotes removed)."""
    path = package / "etc" / "default" / name
    values: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="latin-1").splitlines():
            key, equals, value = line.strip().partition("=")
            if equals and key.isidentifier() and not line.lstrip().startswith("#"):
                values[key] = value.strip().strip("\"'")
    return values


def resolve(argv: tuple[str, ...], values: dict[str, str]) -> list[str]:
    """Replace $VAR/${VAR} words by their values, split as the unit would."""
    words: list[str] = []
    for word in argv:
        if word.startswith("$") and word.strip("${}").isidentifier():
            words += values.get(word.strip("${}"), "").split()
        else:
            words.append(word)
    return words


def key_arguments(argv: list[str]) -> tuple[str, frozenset[str]]:
    """Give the executable's basename and its arguments bar daemon and pidfile flags."""
    program = PurePosixPath(argv[0]).name if argv else ""
    rule = next((r for r in rules() if r.matches(program)), None)
    ignored = set(_FOREGROUND_FLAGS) | set(_SYSTEMD_HANDSHAKE.get(program, ()))
    if rule is not None:
        ignored |= set(rule.add) | set(rule.remove) | {w for pair in rule.replace for w in pair}
    kept: list[str] = []
    skip = False
    for index, word in enumerate(argv[1:], start=1):
        if skip:
            skip = False
            continue
        if word == "-g" and program == "nginx" and _only_daemon_directives(argv, index + 1):
            skip = True
            continue
        option, equals, _ = word.partition("=")
        if option in _PIDFILE_OPTIONS:
            skip = not equals
            continue
        if word not in ignored:
            kept.append(word)
    return program, frozenset(kept)


def _only_daemon_directives(argv: list[str], index: int) -> bool:
    """Say whether nginx's -g value at ``index`` only sets daemon and master_process."""
    if index >= len(argv):
        return False
    directives = {" ".join(d.split()) for d in argv[index].split(";") if d.strip()}
    return directives <= _NGINX_DAEMON_DIRECTIVES


def unit_start(package: Path, unit: str) -> tuple[str, ...] | None:
    """Read the package unit's ExecStart argv (an instance unit for a /bin/true one)."""
    path = package / unit
    host = api.parse([io.read_source(path)], source_format="systemd").host
    service = host.services[0] if host.services else None
    if service is None or service.start is None:
        return None
    if PurePosixPath(service.start.argv[0]).name == "true":
        instance = path.with_name(path.name.replace(".service", "@default.service"))
        if instance.is_file():
            return unit_start(package, str(instance.relative_to(package)))
    return service.start.argv


def svconv_start(package: Path, script: str) -> tuple[str, ...] | None:
    """Translate the init script; its ExecStart argv (None when it fell back)."""
    translation = api.convert(
        [io.read_source(package / script)], source_format="initd", target_format="systemd"
    )
    service = translation.host.services[0]
    if service.start is None or service.start.argv[0].startswith("/etc/init.d/"):
        return None  # it fell back to running the script
    return service.start.argv


def accuracy(corpus: Path, tsv: Path) -> tuple[int, int, int]:
    """Judge every pair, write the TSV, return (same, same executable, total)."""
    rows = list(csv.DictReader((corpus / "debian/PAIRS.tsv").open(), delimiter="\t"))
    same = executable = 0
    with tsv.open("w", newline="") as stream:
        out = csv.writer(stream, delimiter="\t")
        out.writerow(["package", "initscript", "unit", "verdict", "svconv", "unit_execstart"])
        for row in rows:
            package = corpus / "debian" / row["package"]
            name = PurePosixPath(row["initscript"]).name
            values = defaults(package, name)
            ours = svconv_start(package, row["initscript"])
            theirs = unit_start(package, row["unit"])
            verdict = _verdict(ours, theirs, values)
            same += verdict == "same"
            executable += verdict in ("same", "same-executable")
            out.writerow(
                [row["package"], row["initscript"], row["unit"], verdict,
                 " ".join(ours or ()), " ".join(theirs or ())]
            )  # fmt: skip
    return same, executable, len(rows)


def _verdict(
    ours: tuple[str, ...] | None, theirs: tuple[str, ...] | None, values: dict[str, str]
) -> str:
    if ours is None:
        return "no-daemon"
    if theirs is None:
        return "no-unit-execstart"
    mine, reference = key_arguments(resolve(ours, values)), key_arguments(resolve(theirs, values))
    if mine == reference:
        return "same"
    return "same-executable" if mine[0] == reference[0] else "different"


def confidence(scripts: list[Path]) -> dict[str, int]:
    """Count the readings by the confidence svconv states for each (SV732)."""
    counts = {"high": 0, "medium": 0, "low": 0}
    for script in scripts:
        notes = api.parse([io.read_source(script)], source_format="initd").diagnostics
        level = next(n.message.rsplit(" ", 2)[-2] for n in notes if n.code == "SV732")
        counts[level] += 1
    return counts


def time_svconv(scripts: list[Path], rounds: int) -> float:
    """Median seconds per script for svconv to read all of them."""
    sources = [io.read_source(path) for path in scripts]
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for source in sources:
            api.parse([source], source_format="initd")
        times.append(time.perf_counter() - start)
    return statistics.median(times) / len(scripts)


def time_generator(scripts: list[Path], rounds: int) -> float | None:
    """Median seconds per script for systemd-sysv-generator over a tree of all of them."""
    generator = (
        shutil.which("systemd-sysv-generator")
        or "/lib/systemd/system-generators/systemd-sysv-generator"
    )
    if not Path(generator).exists():
        return None
    times = []
    with tempfile.TemporaryDirectory(prefix="svconv-sysv-") as scratch:
        root = Path(scratch)
        init = root / "etc/init.d"
        init.mkdir(parents=True)
        for script in scripts:
            shutil.copy(script, init / script.name)
        for _ in range(rounds):
            out = root / "out"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            start = time.perf_counter()
            subprocess.run(
                [generator, str(out), str(out), str(out)],
                env={"SYSTEMD_SYSVINIT_PATH": str(init), "SYSTEMD_SYSVRCND_PATH": str(root / "rc")},
                capture_output=True,
                check=False,
            )
            times.append(time.perf_counter() - start)
    return statistics.median(times) / len(scripts)


def main(argv: list[str] | None = None) -> int:
    """Print the accuracy share and the timings; write the per-pair TSV."""
    options = _arguments().parse_args(argv)
    if not (options.corpus / "debian/PAIRS.tsv").is_file():
        print(f"no PAIRS.tsv under {options.corpus}", file=sys.stderr)
        return 2
    same, executable, total = accuracy(options.corpus, options.tsv)
    print(
        f"accuracy: {same}/{total} pairs run the same executable with the same key "
        f"arguments ({100 * same / total:.0f}%); {executable}/{total} the same executable "
        f"({100 * executable / total:.0f}%); systemd-sysv-generator: 0/{total} (0%)"
    )
    print(f"verdicts per pair: {options.tsv}")
    scripts = sorted(p for p in options.corpus.glob("debian/*/etc/init.d/*") if p.is_file())
    print("confidence over the Debian init scripts:", confidence(scripts))
    ours = time_svconv(scripts, options.rounds)
    print(
        f"svconv reads {len(scripts)} Debian init scripts: {ours * 1e3:.2f} ms/script, "
        f"{1 / ours:.0f} scripts/s"
    )
    theirs = time_generator(scripts, options.rounds)
    if theirs is None:
        print("systemd-sysv-generator not installed; skipped")
    else:
        print(
            f"systemd-sysv-generator: {theirs * 1e3:.2f} ms/script, {1 / theirs:.0f} "
            f"scripts/s; svconv takes {ours / theirs:.1f}x its time"
        )
    return 0


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tsv", type=Path, default=PROJECT / "benchmarks" / "initd-accuracy.tsv")
    return parser


if __name__ == "__main__":
    sys.exit(main())
