"""How ``svconv migrate`` does on one host built from the whole corpus, beside the generator.

The host tree is assembled in a temp dir as ../shared/corpus/tools/run-sysv-generator.py
builds its scratch init.d, plus what else a migration reads:
- every ``debian/<package>/etc/init.d/<script>`` (dereferenced; on a name clash the first
  package in sorted order wins) and each ``github/sysv`` script under its corpus file name
  go to ``etc/init.d/``, executable;
- each package's ``etc/default/*``, ``etc/monit/**`` and ``etc/supervisor/**`` are copied as
  they are; a ``github/sysv`` file named ``*-sysconfig-<who>`` goes to the
  ``/etc/sysconfig/NAME`` its ``*-init-<who>`` script reads (first one wins on a clash);
- rc links ``etc/rcN.d/{S,K}NNname -> ../init.d/name``: for the Debian scripts from
  ``insserv -n -s`` (dry run) over them alone, as the corpus tool does; for the github ones
  from their ``# chkconfig: LEVELS START STOP`` line as ``chkconfig --add`` makes them, else
  S50 in their LSB ``Default-Start`` levels (insserv run over all scripts lets the github
  ones take over ``sshd`` and ``supervisord`` and unlinks Debian's ssh in runlevel 2);
- Debian 12's merged /usr (``bin``, ``sbin``, ``lib`` link to ``usr/``), and an executable
  stub for every absolute program an emitted unit's ``Exec*=`` line names (found by one
  migrate run), so "missing from the tree" reflects what svconv read, not the bench.

Debian's monit and supervisor ship no enabled check or program (``conf-enabled/`` and
``conf.d/`` are empty; ``conf-available/`` is not read), so those kinds count none here.

Then, in one run: ``migration.migrate(root)`` and ``systemd-sysv-generator`` (over the
same ``etc/init.d`` and ``etc/rcN.d``, ``SYSTEMD_UNIT_PATH`` an empty dir, three fresh
output dirs per round) are each timed as the median of ``--rounds``; the plan is counted by
kind, confidence and risk; every emitted unit is checked with ``systemd-analyze verify``
in a scratch root with stub programs (tests/validators.py), all together, then one by one
(with its drop-ins) when that fails; a unit passes with exit 0 and no output.

Run ``python benchmarks/bench_migrate.py [--rounds N] [--corpus DIR]``.
"""

from __future__ import annotations

import argparse
import importlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections import Counter
from pathlib import Path
from types import ModuleType

from translator import migration
from translator.migrate.plan import Risk, Target

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = PROJECT.parent / "shared" / "corpus"
GENERATOR = "/lib/systemd/system-generators/systemd-sysv-generator"
KINDS = ("init.d", "upstart", "inittab", "monit", "supervisord")
UNIT_DIRECTORY = "etc/systemd/system/"
_COPIED = ("etc/default", "etc/monit", "etc/supervisor")
_SYSCONFIG_READ = re.compile(r"/etc/sysconfig/([\w.-]+)")
_CHKCONFIG = re.compile(r"^#\s*chkconfig:\s*(\S+)\s+(\d+)\s+(\d+)", re.MULTILINE)
_DEFAULT_START = re.compile(r"^#\s*Default-Start:[ \t]*(.*)$", re.MULTILINE)


def build_host(corpus: Path, root: Path) -> list[str]:
    """Assemble the host tree at ``root`` (see the module docstring); give notes on clashes."""
    notes: list[str] = []
    for directory in ("bin", "sbin", "lib"):
        (root / "usr" / directory).mkdir(parents=True, exist_ok=True)
        (root / directory).symlink_to(f"usr/{directory}")
    (root / "etc/init.d").mkdir(parents=True)
    debian = _debian_files(corpus / "debian", root, notes)
    _link_from_insserv(root, debian, notes)
    for script in _github_sysv(corpus / "github" / "sysv", root, notes):
        _link_from_header(root, script)
    return notes


def _debian_files(debian: Path, root: Path, notes: list[str]) -> list[str]:
    """Copy each package's init scripts and etc files; give the scripts' names."""
    owner: dict[str, str] = {}
    for package in sorted(p for p in debian.iterdir() if p.is_dir()):
        for script in sorted((package / "etc/init.d").glob("*")):
            if not script.exists():
                continue  # a dangling link
            if script.name in owner:
                notes.append(f"{script.name}: in {owner[script.name]} and {package.name}")
                continue
            owner[script.name] = package.name
            _install_script(script, root / "etc/init.d" / script.name)
        for part in _COPIED:
            if (package / part).is_dir():
                shutil.copytree(package / part, root / part, dirs_exist_ok=True)
    return sorted(owner)


def _github_sysv(sysv: Path, root: Path, notes: list[str]) -> list[str]:
    """Copy the github init scripts and their sysconfig files; give the scripts' names."""
    files = sorted(p for p in sysv.iterdir() if p.is_file()) if sysv.is_dir() else []
    scripts = [p for p in files if "sysconfig" not in p.name]
    for script in scripts:
        _install_script(script, root / "etc/init.d" / script.name)
    for env in (p for p in files if "sysconfig" in p.name):
        pair = sysv / env.name.replace("-sysconfig-", "-init-")
        read = _SYSCONFIG_READ.search(pair.read_text()) if pair.is_file() else None
        name = read.group(1) if read else pair.name
        target = root / "etc/sysconfig" / name
        if target.exists():
            notes.append(f"/etc/sysconfig/{name}: {env.name} left out, an earlier file is there")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(env, target)
    return [p.name for p in scripts]


def _install_script(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    target.chmod(0o755)


def _link_from_insserv(root: Path, scripts: list[str], notes: list[str]) -> None:
    """Make rc links from ``insserv -n -s`` run over ``scripts`` alone, in a scratch dir."""
    insserv = shutil.which("insserv") or "/sbin/insserv"
    with tempfile.TemporaryDirectory(prefix="svconv-insserv-") as scratch:
        init = Path(scratch) / "init.d"
        init.mkdir()
        for name in scripts:
            _install_script(root / "etc/init.d" / name, init / name)
        result = subprocess.run(
            [insserv, "-n", "-s", "-c", "/etc/insserv.conf", "-p", str(init)],
            capture_output=True,
            text=True,
            check=True,
            cwd=init,
        )
    for line in result.stdout.splitlines():
        kind, order, levels, name = line.split(":")
        for level in levels.split():
            _link(root, level, f"{kind}{order}", name)
    notes += sorted({line for line in result.stderr.splitlines() if "warning" in line})


def _link_from_header(root: Path, name: str) -> None:
    """Link a script as chkconfig does: its chkconfig line, else S50 in Default-Start."""
    text = (root / "etc/init.d" / name).read_text(encoding="latin-1")
    chkconfig = _CHKCONFIG.search(text)
    if chkconfig is not None:
        levels, start, stop = chkconfig.groups()
        for level in "0123456":
            on = level in levels
            _link(root, level, f"S{int(start):02d}" if on else f"K{int(stop):02d}", name)
        return
    default = _DEFAULT_START.search(text)
    for level in default.group(1).split() if default else ():
        _link(root, level, "S50", name)


def _link(root: Path, level: str, prefix: str, name: str) -> None:
    directory = root / "etc" / f"rc{level}.d"
    directory.mkdir(exist_ok=True)
    (directory / f"{prefix}{name}").symlink_to(f"../init.d/{name}")


def stub_exec_programs(root: Path) -> int:
    """Give every absolute program an emitted unit runs a stub in the tree; count them."""
    validators = _validators()
    before = _file_count(root)
    for name, text in migration.migrate(root).files.items():
        if name.startswith(UNIT_DIRECTORY):
            validators._stub_programs(root, text)
    return _file_count(root) - before


def _file_count(root: Path) -> int:
    return sum(1 for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def _validators() -> ModuleType:
    """Import tests/validators.py (the verify harness the tests use) from the project."""
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    return importlib.import_module("tests.validators")


def units_of(result: migration.Migration) -> dict[str, str]:
    """Give the emitted units and drop-ins, named relative to etc/systemd/system."""
    return {
        name.removeprefix(UNIT_DIRECTORY): text
        for name, text in result.files.items()
        if name.startswith(UNIT_DIRECTORY)
    }


def time_generator(root: Path, rounds: int) -> tuple[float, int] | None:
    """Median seconds of systemd-sysv-generator over the tree, and the units it writes."""
    generator = shutil.which("systemd-sysv-generator") or GENERATOR
    if not Path(generator).exists():
        return None
    with tempfile.TemporaryDirectory(prefix="svconv-sysvgen-") as scratch:
        empty = Path(scratch) / "empty"
        empty.mkdir()
        environment = {
            "SYSTEMD_SYSVINIT_PATH": str(root / "etc/init.d"),
            "SYSTEMD_SYSVRCND_PATH": str(root / "etc"),
            "SYSTEMD_UNIT_PATH": str(empty),
            "SYSTEMD_LOG_LEVEL": "err",
        }
        times, late = [], empty
        for number in range(rounds):
            dirs = [Path(scratch) / str(number) / d for d in ("normal", "early", "late")]
            for directory in dirs:
                directory.mkdir(parents=True)
            start = time.perf_counter()
            subprocess.run(
                [generator, *map(str, dirs)], env=environment, capture_output=True, check=True
            )
            times.append(time.perf_counter() - start)
            late = dirs[2]
        written = sum(1 for p in late.glob("*.service") if not p.is_symlink())
    return statistics.median(times), written


def verify(units: dict[str, str]) -> dict[str, str]:
    """Check the units with systemd-analyze verify; give each failing unit's output."""
    check = _validators().systemd_verify
    status, output = check(units)
    if status == 0 and not output.strip():
        return {}
    failing = {}
    for name in sorted(n for n in units if "/" not in n):
        own = {n: t for n, t in units.items() if n == name or n.startswith(f"{name}.d/")}
        status, output = check(own)
        if status != 0 or output.strip():
            failing[name] = output.strip()
    return failing


def main(argv: list[str] | None = None) -> int:
    """Build the host, migrate it, time both tools, print the figures."""
    options = _arguments().parse_args(argv)
    if not (options.corpus / "debian").is_dir():
        print(f"no corpus at {options.corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="svconv-host-") as scratch:
        root = Path(scratch) / "host"
        root.mkdir()
        notes = build_host(options.corpus, root)
        stubs = stub_exec_programs(root)
        _print_tree(root, notes, stubs)
        result = migration.migrate(root)
        _print_plan(result)
        runs = timeit.repeat(lambda: migration.migrate(root), repeat=options.rounds, number=1)
        ours = statistics.median(runs)
        theirs = time_generator(root, options.rounds)
        print(f"whole tree, median of {options.rounds}: svconv migrate {ours * 1e3:.0f} ms", end="")
        if theirs is None:
            print("; systemd-sysv-generator not installed")
        else:
            print(
                f", systemd-sysv-generator {theirs[0] * 1e3:.1f} ms ({theirs[1]} units); "
                f"svconv takes {ours / theirs[0]:.0f}x its time"
            )
        _print_verify(units_of(result))
    return 0


def _print_tree(root: Path, notes: list[str], stubs: int) -> None:
    scripts = sorted((root / "etc/init.d").iterdir())
    links = list(root.glob("etc/rc?.d/*"))
    print(f"host tree: {len(scripts)} init scripts, {len(links)} rc links, {stubs} stub programs")
    for note in notes:
        print("  note:", note)


def _print_plan(result: migration.Migration) -> None:
    items = result.plan.items
    kinds = Counter(item.kind for item in items)
    print("services by kind:", ", ".join(f"{kind} {kinds.get(kind, 0)}" for kind in KINDS))
    units = [item for item in items if item.target is Target.UNIT]
    high = [item for item in units if item.confidence == "high"]
    print(
        f"converted to units: {len(units)}/{len(items)}; with high confidence: "
        f"{len(high)}/{len(items)} ({100 * len(high) / len(items):.0f}%)"
    )
    risks = Counter(item.risk for item in items)
    print("risk:", ", ".join(f"{risk.value} {risks.get(risk, 0)}" for risk in Risk))
    for item in (i for i in items if i.risk is Risk.HIGH):
        why = "; ".join(item.problems) or f"{item.confidence} confidence"
        print(f"  high: {item.name}: {why}")


def _print_verify(units: dict[str, str]) -> None:
    if shutil.which("systemd-analyze") is None:
        print("systemd-analyze not installed: units not verified")
        return
    services = [name for name in units if "/" not in name]
    failing = verify(units)
    print(f"systemd-analyze verify: {len(services) - len(failing)}/{len(services)} units pass")
    for name, output in failing.items():
        print(f"  {name}:", output.replace("\n", "\n    "))


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=5)
    return parser


if __name__ == "__main__":
    sys.exit(main())
