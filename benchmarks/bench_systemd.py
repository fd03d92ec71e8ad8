"""Benchmark svconv's systemd unit parser against systemdlint and systemd-analyze verify.

In one run, over every unit file of ../shared/corpus (Debian, GitHub, sysv-generator
output; .service .socket .target .timer .path):

- svconv: ``parse`` of each unit, in this process, medians over ``--rounds``;
- systemdlint (PyPI, if installed): its ``Parser`` on the same units, in this process,
  which is its parsing step before the lint rules run;
- ``systemd-analyze verify --man=no`` per unit (if installed), one process per unit in a
  scratch root with stubs for every absolute Exec program, as
  ``corpus/tools/systemd-verify-in-root.sh`` builds it; ``--verify-units`` caps how many.

Prints per-unit medians, units/s and MB/s, and the ratios. Run
``python benchmarks/bench_systemd.py [--rounds N] [--verify-units N] [--json]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from translator.errors import ParseError
from translator.formats.systemd.parse import parse
from translator.model import Source

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = PROJECT.parent / "shared" / "corpus"
SUFFIXES = (".service", ".socket", ".target", ".timer", ".path")
_EXEC_PATH = re.compile(r"^\s*Exec\w*=[-@:+!]*(/[^\s;]+)", re.MULTILINE)


def unit_files(corpus: Path) -> list[Path]:
    """List the corpus's unit files (drop-in directories and alias links aside)."""
    roots = ("debian", "github/systemd", "sysv-generator-output")
    return sorted(
        path
        for root in roots
        for path in (corpus / root).rglob("*")
        if path.is_file() and path.suffix in SUFFIXES and ".d/" not in str(path)
    )


def median_per_unit(run: Callable[[], None], units: int, rounds: int) -> float:
    """Time ``run`` (one pass over all units) ``rounds`` times; the median per unit."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) / units


def svconv_pass(sources: list[Source]) -> Callable[[], None]:
    """Return a pass of svconv's parser over ``sources`` (refusals count as done)."""

    def run() -> None:
        for source in sources:
            with contextlib.suppress(ParseError):
                parse(source)

    return run


def systemdlint_parser() -> Callable[[Path], None] | None:
    """Return systemdlint's parser for one unit file, or None if it is not installed."""
    try:
        from systemdlint.cls.parser import Parser
        from systemdlint.cls.runargs import ArgParser
    except ImportError:
        return None
    argv, sys.argv = sys.argv, ["systemdlint", "--norootfs", "x.service"]
    try:
        runargs = ArgParser()
    finally:
        sys.argv = argv
    return lambda path: Parser(runargs, [str(path)])


def systemdlint_pass(paths: list[Path], parse_one: Callable[[Path], None]) -> Callable[[], None]:
    """Return a pass of systemdlint's parser over ``paths`` (a crash counts as done)."""

    def run() -> None:
        for path in paths:
            with contextlib.suppress(Exception):
                parse_one(path)

    return run


def crashes(paths: list[Path], parse_one: Callable[[Path], None]) -> int:
    """Count the units ``parse_one`` raises on."""
    count = 0
    for path in paths:
        try:
            parse_one(path)
        except Exception:  # noqa: BLE001 - any crash is what is counted
            count += 1
    return count


def verify_times(paths: list[Path]) -> list[float] | None:
    """Time ``systemd-analyze verify`` once per unit in one scratch root, or None."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return None
    with tempfile.TemporaryDirectory(prefix="svconv-bench-root-") as scratch:
        root = Path(scratch)
        (root / "usr/lib/systemd").mkdir(parents=True)
        shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
        for directory in ("bin", "sbin", "lib"):
            (root / "usr" / directory).mkdir(exist_ok=True)
            (root / directory).symlink_to(f"usr/{directory}")
        system = root / "etc/systemd/system"
        system.mkdir(parents=True)
        times = []
        for path in paths:
            text = path.read_text(encoding="utf-8", errors="replace")
            for program in _EXEC_PATH.findall(text):
                stub = root / program.lstrip("/")
                if "$" not in program and "%" not in program and not stub.exists():
                    stub.parent.mkdir(parents=True, exist_ok=True)
                    stub.write_text("#!/bin/sh\n")
                    stub.chmod(0o755)
            (system / path.name).write_text(text)
            start = time.perf_counter()
            subprocess.run(
                [analyze, "verify", "--man=no", f"--root={root}", path.name],
                capture_output=True,
                check=False,
                timeout=120,
            )
            times.append(time.perf_counter() - start)
            (system / path.name).unlink()
        return times


def main(argv: list[str] | None = None) -> int:
    """Time the parsers and the verifier on the corpus; print the figures."""
    options = _arguments().parse_args(argv)
    paths = unit_files(options.corpus)
    if not paths:
        print(f"no unit files under {options.corpus}", file=sys.stderr)
        return 2
    sources = [Source(path=str(p), text=p.read_text(encoding="utf-8")) for p in paths]
    size = sum(len(s.text.encode()) for s in sources)
    parsed = sum(1 for s in sources if _parses(s))
    figures: dict[str, object] = {"units": len(paths), "bytes": size, "svconv_parsed": parsed}
    svconv = median_per_unit(svconv_pass(sources), len(paths), options.rounds)
    figures["svconv_ms_per_unit"] = svconv * 1e3
    peer = systemdlint_parser()
    if peer is not None:
        figures["systemdlint_crashed_on"] = crashes(paths, peer)
        peer_pass = systemdlint_pass(paths, peer)
        figures["systemdlint_ms_per_unit"] = (
            median_per_unit(peer_pass, len(paths), options.rounds) * 1e3
        )
    verify = verify_times(paths[: options.verify_units])
    if verify:
        figures["verify_units"] = len(verify)
        figures["verify_ms_per_unit"] = statistics.median(verify) * 1e3
    if options.json:
        print(json.dumps(figures, indent=2))
    else:
        _print(figures, size / len(paths))
    return 0


def _parses(source: Source) -> bool:
    try:
        parse(source)
    except ParseError:
        return False
    return True


def _print(figures: dict[str, object], mean_bytes: float) -> None:
    units, svconv = figures["units"], float(figures["svconv_ms_per_unit"])  # type: ignore[arg-type]
    print(f"corpus: {units} unit files, {figures['bytes']} bytes")
    print(f"svconv parses {figures['svconv_parsed']} of them", end="")
    if "systemdlint_crashed_on" in figures:
        print(f"; systemdlint's parser raises on {figures['systemdlint_crashed_on']}", end="")
    print()
    print(
        f"svconv parse        {svconv:8.3f} ms/unit  {1e3 / svconv:8.0f} units/s  "
        f"{mean_bytes / svconv / 1e3:6.2f} MB/s"
    )
    for name, key in (
        ("systemdlint parse", "systemdlint_ms_per_unit"),
        ("systemd-analyze", "verify_ms_per_unit"),
    ):
        if key in figures:
            peer = float(figures[key])  # type: ignore[arg-type]
            print(
                f"{name:19} {peer:8.3f} ms/unit  {1e3 / peer:8.0f} units/s  "
                f"svconv is {peer / svconv:5.1f}x faster"
            )
        else:
            print(f"{name:19} not installed; skipped")
    if "verify_units" in figures:
        print(f"(systemd-analyze timed on {figures['verify_units']} units, one process each)")


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=7, help="timed passes (median)")
    parser.add_argument(
        "--verify-units", type=int, default=60, help="units timed with systemd-analyze"
    )
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    return parser


if __name__ == "__main__":
    sys.exit(main())
