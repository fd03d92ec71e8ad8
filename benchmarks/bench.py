"""Benchmark svconv's monit parser against the real ``monit -t``, plus CLI cold start.

Run ``python benchmarks/bench.py`` from anywhere; ``--help`` lists the options. Uses the
standard library and the installed ``translator`` package only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from translator.errors import ParseError
from translator.formats.monit.parse import parse
from translator.model import Source

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = PROJECT.parent / "shared" / "corpus"
# The dummy fixture, under the name the brief gave and the name the fixtures use.
FIXTURES = (
    PROJECT / "fixtures" / "monit" / "dummy" / "dummy.monitrc",
    PROJECT / "fixtures" / "monit" / "dummy" / "input.monitrc",
)
DUMMY_MONITRC = """\
check process dummy with pidfile /var/run/dummy.pid
  start program = "/usr/local/bin/dummy"
  stop program = "/usr/bin/pkill dummy"
  if failed port 10050 then restart
  if 10 restarts within 10 cycles then timeout
"""
# monit -t lines that are warnings, not the reason a file is rejected (as monit-check.sh).
MONIT_WARNINGS = (
    "Program does not exist",
    "Include failed",
    "is not regular file",
    "Cannot compute a checksum",
)


@dataclass
class CorpusFile:
    """One corpus file, its text, and whether svconv reads it as a fragment."""

    path: Path
    text: str
    fragment: bool = False
    error: str | None = None


@dataclass
class ParseFigures:
    """svconv parse throughput over the whole corpus."""

    files: int
    bytes: int
    parsed: int
    fragments: int
    failed: dict[str, str]
    rounds: int
    first_parse_ms: float
    round_median_s: float
    round_min_s: float
    per_file_ms: float
    files_per_s: float
    mb_per_s: float


@dataclass
class PeerFigures:
    """Real ``monit -t`` on the same files, one process per file."""

    version: str
    rounds: int
    accepted: int
    rejected: dict[str, str]
    round_median_s: float
    per_file_ms: float
    per_file_median_ms: float
    svconv_speedup: float


@dataclass
class ColdStart:
    """Wall time of one command started afresh, in milliseconds."""

    command: str
    runs: int
    median_ms: float
    min_ms: float
    exit_codes: list[int] = field(default_factory=list)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus directory")
    parser.add_argument("--rounds", type=int, default=7, help="svconv parse rounds")
    parser.add_argument("--peer-rounds", type=int, default=3, help="monit -t rounds")
    parser.add_argument("--cold-runs", type=int, default=15, help="runs per cold-start command")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def corpus_files(corpus: Path) -> list[Path]:
    """Return the monit files of the corpus: regular files, no symlinks, sorted."""
    found = list((corpus / "github" / "monit").glob("*"))
    found += (corpus / "debian" / "monit" / "etc" / "monit").rglob("*")
    return sorted(path for path in found if path.is_file() and not path.is_symlink())


def relative(path: Path, corpus: Path) -> str:
    """Name a corpus file by its path inside the corpus."""
    return str(path.relative_to(corpus))


def classify(files: list[CorpusFile]) -> float:
    """Parse each file once; mark fragments and failures; return the first parse's seconds.

    The first parse builds the lark grammar (cached for the rest of the process), so its
    time is what every fresh ``svconv`` process pays before reading any monit file.
    """
    first = 0.0
    for index, item in enumerate(files):
        source = Source(path=str(item.path), text=item.text)
        start = time.perf_counter()
        try:
            parse(source, load_include=None)
            continue
        except ParseError:
            pass
        finally:
            if index == 0:
                first = time.perf_counter() - start
        try:
            parse(source, load_include=None, fragment=True)
            item.fragment = True
        except ParseError as error:
            item.error = str(error)
        except Exception as error:  # noqa: BLE001 - a parser crash is a finding, not fatal
            item.error = f"crash: {type(error).__name__}: {error}"
    return first


def parse_round(files: list[CorpusFile]) -> float:
    """Parse every parseable file once; return the elapsed seconds."""
    sources = [
        (Source(path=str(item.path), text=item.text), item.fragment)
        for item in files
        if item.error is None
    ]
    start = time.perf_counter()
    for source, fragment in sources:
        parse(source, load_include=None, fragment=fragment)
    return time.perf_counter() - start


def bench_parse(files: list[CorpusFile], corpus: Path, rounds: int) -> ParseFigures:
    """Time svconv's monit parser over the corpus."""
    first = classify(files)
    times = [parse_round(files) for _ in range(rounds)]
    median = statistics.median(times)
    size = sum(len(item.text.encode()) for item in files if item.error is None)
    parsed = sum(item.error is None for item in files)
    return ParseFigures(
        files=len(files),
        bytes=size,
        parsed=parsed,
        fragments=sum(item.fragment for item in files),
        failed={relative(i.path, corpus): i.error for i in files if i.error is not None},
        rounds=rounds,
        first_parse_ms=first * 1e3,
        round_median_s=median,
        round_min_s=min(times),
        per_file_ms=median / parsed * 1e3,
        files_per_s=parsed / median,
        mb_per_s=size / median / 1e6,
    )


def monit_first_error(output: str, copy: Path, original: Path) -> str:
    """Return the first line of monit's output that is an error, not a warning."""
    for line in output.splitlines():
        if line.strip() and not any(warning in line for warning in MONIT_WARNINGS):
            return line.strip().replace(str(copy), str(original))
    return "(no message)"


def monit_once(monit: str, path: Path, scratch: Path) -> tuple[float, int, str]:
    """Check ``path`` with ``monit -t`` as monit-check.sh does; return (s, status, output)."""
    copy = scratch / "monitrc"
    shutil.copyfile(path, copy)
    copy.chmod(0o600)
    # monit finds its id file through getpwuid(), not $HOME, so a private HOME does not
    # keep it from writing ~/.monit.id (or the control file's `set idfile` path).
    start = time.perf_counter()
    done = subprocess.run(
        [monit, "-t", "-c", str(copy)],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    return elapsed, done.returncode, done.stdout + done.stderr


def bench_peer(
    monit: str, files: list[CorpusFile], corpus: Path, rounds: int, svconv_ms: float
) -> PeerFigures:
    """Time the real ``monit -t`` on every corpus file, one process per file."""
    version = subprocess.run(
        [monit, "-V"], capture_output=True, text=True, check=False
    ).stdout.splitlines()[0]
    per_file: dict[Path, list[float]] = {item.path: [] for item in files}
    round_totals: list[float] = []
    rejected: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-monit-") as scratch:
        for _ in range(rounds):
            total = 0.0
            for item in files:
                elapsed, status, output = monit_once(monit, item.path, Path(scratch))
                per_file[item.path].append(elapsed)
                total += elapsed
                if status != 0:
                    copy = Path(scratch) / "monitrc"
                    rejected[relative(item.path, corpus)] = monit_first_error(
                        output, copy, item.path
                    )
            round_totals.append(total)
    median = statistics.median(round_totals)
    per_file_ms = median / len(files) * 1e3
    file_medians = [statistics.median(times) for times in per_file.values()]
    return PeerFigures(
        version=version,
        rounds=rounds,
        accepted=len(files) - len(rejected),
        rejected=rejected,
        round_median_s=median,
        per_file_ms=per_file_ms,
        per_file_median_ms=statistics.median(file_medians) * 1e3,
        svconv_speedup=per_file_ms / svconv_ms,
    )


def svconv_executable() -> str | None:
    """Find the svconv script installed next to this interpreter, else on PATH."""
    beside = Path(sys.executable).parent / "svconv"
    if beside.is_file():
        return str(beside)
    return shutil.which("svconv")


def cold_start(label: str, argv: list[str], runs: int, cwd: Path) -> ColdStart:
    """Start ``argv`` ``runs`` times and time each run from spawn to exit."""
    times: list[float] = []
    codes: list[int] = []
    # An installed package has its bytecode compiled (pip does it); some shells here set
    # PYTHONDONTWRITEBYTECODE, which would make every run compile svconv from source.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(argv, cwd=cwd, env=env, check=False, **quiet)  # warm: .pyc, lark cache
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, env=env, check=False, **quiet)
        times.append(time.perf_counter() - start)
        codes.append(done.returncode)
    return ColdStart(
        command=label,
        runs=runs,
        median_ms=statistics.median(times) * 1e3,
        min_ms=min(times) * 1e3,
        exit_codes=sorted(set(codes)),
    )


def bench_cold(svconv: str, runs: int) -> list[ColdStart]:
    """Time interpreter start, ``svconv --help`` and one small monit2systemd run."""
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as scratch:
        workdir = Path(scratch)
        fixture = next((path for path in FIXTURES if path.is_file()), None)
        if fixture is None:
            fixture = workdir / "dummy.monitrc"
            fixture.write_text(DUMMY_MONITRC, encoding="utf-8")
        return [
            cold_start("python -c pass", [sys.executable, "-c", "pass"], runs, workdir),
            cold_start("svconv --help", [svconv, "--help"], runs, workdir),
            cold_start(
                f"svconv monit2systemd {fixture.parent.name}/{fixture.name}",
                [svconv, "monit2systemd", str(fixture)],
                runs,
                workdir,
            ),
        ]


def print_parse(figures: ParseFigures) -> None:
    """Print the svconv parse figures."""
    print(f"svconv parse (load_include=None), rounds: {figures.rounds}")
    print(
        f"  files {figures.files}, parsed {figures.parsed} "
        f"({figures.fragments} as fragments), failed {len(figures.failed)}, "
        f"{figures.bytes / 1e3:.1f} kB"
    )
    print(
        f"  round median {figures.round_median_s * 1e3:8.2f} ms   "
        f"min {figures.round_min_s * 1e3:8.2f} ms"
    )
    print(
        f"  per file     {figures.per_file_ms:8.3f} ms   "
        f"{figures.files_per_s:8.0f} files/s   {figures.mb_per_s:6.3f} MB/s"
    )
    print(f"  first parse  {figures.first_parse_ms:8.1f} ms (builds the lark grammar)")
    for name, error in figures.failed.items():
        print(f"  FAIL {name}: {error}")


def print_peer(figures: PeerFigures, svconv: ParseFigures) -> None:
    """Print the monit -t figures beside svconv's."""
    print(f"\n{figures.version}: monit -t, one process per file, rounds: {figures.rounds}")
    print(f"  accepted {figures.accepted}, rejected {len(figures.rejected)}")
    print(f"  round median {figures.round_median_s * 1e3:8.2f} ms")
    print(
        f"  per file     {figures.per_file_ms:8.3f} ms (median file "
        f"{figures.per_file_median_ms:.3f} ms)   svconv {svconv.per_file_ms:.3f} ms"
    )
    print(f"  svconv parse is {figures.svconv_speedup:.0f}x faster per file than monit -t")


def print_cold(results: list[ColdStart]) -> None:
    """Print the cold-start table."""
    print(f"\ncold start ({results[0].runs} runs each)")
    print(f"  {'command':<40} {'median ms':>9} {'min ms':>9}   exit")
    for result in results:
        codes = ",".join(str(code) for code in result.exit_codes)
        print(f"  {result.command:<40} {result.median_ms:9.1f} {result.min_ms:9.1f}   {codes}")


def compare(files: list[CorpusFile], peer: PeerFigures, corpus: Path) -> list[str]:
    """List the files on which svconv and monit -t disagree, with each side's message."""
    lines = []
    for item in files:
        name = relative(item.path, corpus)
        if item.error is not None and name not in peer.rejected:
            lines.append(f"svconv fails, monit accepts: {name}\n      svconv: {item.error}")
        elif item.error is None and name in peer.rejected:
            how = "as a fragment" if item.fragment else "normally"
            message = peer.rejected[name].replace(str(item.path), item.path.name)
            lines.append(f"svconv parses {how}, monit rejects: {name}\n      monit: {message}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark and print the figures."""
    args = parse_args(argv)
    corpus: Path = args.corpus.resolve()
    paths = corpus_files(corpus) if corpus.is_dir() else []
    if not paths:
        print(f"no monit corpus at {corpus}; nothing to benchmark")
        return 0
    files = [CorpusFile(path, path.read_text(encoding="utf-8")) for path in paths]
    parsed = bench_parse(files, corpus, args.rounds)
    report: dict[str, object] = {"corpus": str(corpus), "parse": asdict(parsed)}
    monit = shutil.which("monit")
    peer = None
    if monit is None:
        print("monit is not installed; skipping the monit -t comparison", file=sys.stderr)
    else:
        peer = bench_peer(monit, files, corpus, args.peer_rounds, parsed.per_file_ms)
        report["peer"] = asdict(peer)
        report["disagreements"] = compare(files, peer, corpus)
    svconv = svconv_executable()
    cold: list[ColdStart] = []
    if svconv is None:
        print("svconv is not installed; skipping the cold-start timings", file=sys.stderr)
    else:
        cold = bench_cold(svconv, args.cold_runs)
        report["cold_start"] = [asdict(result) for result in cold]
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"corpus {corpus}  (python {sys.version.split()[0]}, {os.cpu_count()} cpus)\n")
    print_parse(parsed)
    if peer is not None:
        print_peer(peer, parsed)
        for line in compare(files, peer, corpus):
            print(f"  {line}")
    if cold:
        print_cold(cold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
