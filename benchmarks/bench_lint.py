"""Speed and false errors of ``svconv lint`` over the corpus, beside systemdlint.

In one run:
- the whole of ../shared/corpus, each Debian package's tree linted as one host and every
  other file on its own, in this process: files per second, median of ``--rounds``;
- the corpus's systemd units (``*.service``), one ``svconv lint`` process and one
  ``systemdlint --norootfs`` process (PyPI's systemdlint, if installed) over the same
  files: seconds, median of ``--rounds``, and the ratio;
- the error findings each tool gives on Debian 12's own units, which systemd accepts:
  every one is a false error.

Run ``python benchmarks/bench_lint.py [--rounds N] [--corpus DIR]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from translator import api
from translator.diagnostics import Severity

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = PROJECT.parent / "shared" / "corpus"


def hosts(corpus: Path) -> list[list[Path]]:
    """Group the corpus into hosts: a Debian package's tree, else a single file."""
    packages = [[p] for p in sorted((corpus / "debian").iterdir()) if p.is_dir()]
    others = [
        [p]
        for p in sorted(corpus.rglob("*"))
        if p.is_file() and "debian" not in p.relative_to(corpus).parts[:1]
    ]
    return packages + others


def lint_corpus(groups: list[list[Path]]) -> tuple[int, Counter[str], list[str]]:
    """Lint every host; give files linted, findings per rule, and errors on Debian units."""
    files = 0
    per_rule: Counter[str] = Counter()
    debian_errors = []
    for paths in groups:
        result = api.lint(api.lint_sources(paths))
        files += len(result.files)
        per_rule.update(d.code for d in result.diagnostics)
        debian_errors += [
            str(d)
            for d in result.diagnostics
            if d.severity is Severity.ERROR and "/lib/systemd/system/" in d.span.path
        ]
    return files, per_rule, debian_errors


def median_seconds(run: object, rounds: int) -> float:
    """Median wall time of ``run()`` over ``rounds``."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def systemdlint_in_process(units: list[Path]) -> object | None:
    """Return one run of systemdlint's parser and checks over ``units``, as its main does."""
    try:
        from systemdlint.cls.parser import Parser
        from systemdlint.cls.runargs import ArgParser
    except ImportError:
        return None
    argv, sys.argv = sys.argv, ["systemdlint", "--norootfs", *map(str, units)]
    try:
        runargs = ArgParser()
    finally:
        sys.argv = argv

    def run() -> None:
        stash = Parser(runargs, runargs.files).GetResults()
        for item in stash:
            item.Validate(runargs, stash)

    return run


def systemdlint_readable(units: list[Path]) -> list[Path]:
    """Keep the units systemdlint reads without crashing (all of them if not installed)."""
    readable = []
    for unit in units:
        run = systemdlint_in_process([unit])
        try:
            if run is not None:
                run()  # type: ignore[operator]
        except Exception:  # noqa: BLE001 - a crash of the peer tool, whatever it is
            continue
        readable.append(unit)
    return readable


def systemdlint_errors(units: list[Path]) -> list[str] | None:
    """Run systemdlint over ``units``; give its error lines (None if not installed)."""
    command = shutil.which("systemdlint")
    if command is None:
        return None
    completed = subprocess.run(
        [command, "--norootfs", *map(str, units)], capture_output=True, text=True, check=False
    )
    lines = (completed.stdout + completed.stderr).splitlines()
    return [line for line in lines if ":error " in line]


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    options = _arguments().parse_args(argv)
    corpus = options.corpus
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    groups = hosts(corpus)
    files, per_rule, ours = lint_corpus(groups)
    seconds = median_seconds(lambda: lint_corpus(groups), options.rounds)
    print(
        f"whole corpus: {files} files in {len(groups)} hosts, {seconds:.2f} s median, "
        f"{files / seconds:.0f} files/s"
    )
    print("findings per rule:", ", ".join(f"{c} {n}" for c, n in sorted(per_rule.items())))
    every_unit = sorted(corpus.glob("**/*.service"))
    units = systemdlint_readable(every_unit)
    print(
        f"systemd units: {len(every_unit)}; systemdlint crashes on "
        f"{len(every_unit) - len(units)}, so both tools are timed on the other {len(units)}"
    )
    debian = sorted(corpus.glob("debian/*/lib/systemd/system/*.service"))
    svconv = [shutil.which("svconv") or "svconv", "lint", "--format", "systemd"]
    ours_cli = median_seconds(
        lambda: subprocess.run([*svconv, *map(str, units)], capture_output=True, check=False),
        options.rounds,
    )
    print(f"one process per tool over the {len(units)} units: svconv lint {ours_cli:.2f} s")
    peer = shutil.which("systemdlint")
    if peer is not None:
        theirs = median_seconds(
            lambda: subprocess.run(
                [peer, "--norootfs", *map(str, units)], capture_output=True, check=False
            ),
            options.rounds,
        )
        print(f"systemdlint {theirs:.2f} s; svconv takes {ours_cli / theirs:.2f}x its time")
    sources = api.lint_sources(units)
    warm = median_seconds(lambda: api.lint(sources, source_format="systemd"), options.rounds)
    print(f"in this process, warm: svconv lint {warm * 1e3 / len(units):.2f} ms/unit", end="")
    peer_run = systemdlint_in_process(units)
    if peer_run is not None:
        theirs_warm = median_seconds(peer_run, options.rounds)
        print(
            f", systemdlint {theirs_warm * 1e3 / len(units):.2f} ms/unit; svconv takes "
            f"{warm / theirs_warm:.2f}x its time",
            end="",
        )
    print()
    debian_ours = [e for e in ours if "/debian/" in e]
    print(
        f"error findings on {len(debian)} Debian units systemd accepts: svconv {len(debian_ours)}",
        end="",
    )
    peer_errors = systemdlint_errors(debian)
    print("" if peer_errors is None else f", systemdlint {len(peer_errors)}")
    for error in debian_ours:
        print("  svconv:", error)
    return 0


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=5)
    return parser


if __name__ == "__main__":
    sys.exit(main())
