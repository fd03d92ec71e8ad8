"""Benchmark svconv's supervisord parser against supervisor's own, plus cold start.

Both read every supervisord file of ../shared/corpus in the same run: svconv's
``parse`` and supervisor's ``ServerOptions().realize()`` (the code ``supervisord -c``
runs first), in this process, so neither pays for starting Python. Fragments without a
``[supervisord]`` section are wrapped in a main file that includes them, and every
``%(ENV_X)s`` a file uses gets a value, as the differential test does.
Run ``python benchmarks/bench_supervisord.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from translator import io as svconv_io
from translator.errors import ParseError
from translator.formats._options import ParseOptions
from translator.formats.supervisord.parse import parse
from translator.model import Source

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = PROJECT.parent / "shared" / "corpus"
EXAMPLE = PROJECT / "fixtures" / "supervisord" / "web" / "web.conf"
_ENV_NAME = re.compile(r"%\(ENV_(\w+)\)s")
_BOOLEAN_KEY = re.compile(
    r"^\s*(autostart|autorestart|stopasgroup|killasgroup)\s*[=:].*ENV_(\w+)", re.MULTILINE
)


def corpus_files(corpus: Path) -> list[Path]:
    """List the supervisord files of the corpus."""
    found = sorted((corpus / "github" / "supervisord").glob("*"))
    found.append(corpus / "debian" / "supervisor" / "etc" / "supervisor" / "supervisord.conf")
    return [path for path in found if path.is_file()]


def prepare(paths: list[Path], scratch: Path) -> list[tuple[Path, dict[str, str]]]:
    """Copy each file into ``scratch`` (wrapped when a fragment), with its ENV_ values."""
    prepared = []
    for index, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        environ = dict.fromkeys(_ENV_NAME.findall(text), "x")
        environ |= {name: str(scratch) for name in _ENV_NAME.findall(text) if "DIR" in name}
        environ |= {name: "true" for _, name in _BOOLEAN_KEY.findall(text)}
        environ |= {name: "info" for name in _ENV_NAME.findall(text) if "LEVEL" in name}
        directory = scratch / str(index)
        directory.mkdir()
        copy = directory / path.name
        copy.write_text(text, encoding="utf-8")
        if not re.search(r"^\s*\[supervisord\]", text, re.MULTILINE):
            main = directory / "main.conf"
            main.write_text(f"[supervisord]\n[include]\nfiles={path.name}\n", encoding="utf-8")
            copy = main
        prepared.append((copy, environ))
    return prepared


def svconv_round(files: list[tuple[Path, dict[str, str]]]) -> int:
    """Parse every file with svconv; return how many it accepted."""
    accepted = 0
    for path, environ in files:
        options = ParseOptions(environ=environ, host_node_name=platform.node())
        try:
            parse(
                Source(path=str(path), text=path.read_text(encoding="utf-8")),
                load_include=svconv_io.resolve_include,
                options=options,
            )
            accepted += 1
        except ParseError:
            pass
    return accepted


def supervisor_round(files: list[tuple[Path, dict[str, str]]]) -> int:
    """Run supervisor's ServerOptions().realize() on every file; return how many it took."""
    from supervisor.options import ServerOptions

    accepted = 0
    for path, environ in files:
        options = ServerOptions()
        options.environ_expansions = {f"ENV_{k}": v for k, v in environ.items()}
        options.stderr = options.stdout = io.StringIO()  # realize() reports through these
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            try:
                options.realize(args=["-c", str(path)])
                accepted += 1
            except (SystemExit, ValueError):
                pass
    return accepted


def timed(work: Callable[[], int], rounds: int) -> tuple[float, int]:
    """Median seconds of ``rounds`` runs of ``work``, and what it returned."""
    result = work()  # warm: grammars, imports
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def cold_start(argv: list[str], runs: int) -> float:
    """Median milliseconds of ``argv`` started afresh (bytecode compiled, as installed)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(argv, env=env, check=False, **quiet)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=False, **quiet)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--cold-runs", type=int, default=15)
    args = parser.parse_args(argv)
    paths = corpus_files(args.corpus) if args.corpus.is_dir() else []
    if not paths:
        print(f"no supervisord corpus at {args.corpus}; nothing to benchmark")
        return 0
    size = sum(path.stat().st_size for path in paths)
    with tempfile.TemporaryDirectory(prefix="bench-supervisord-") as scratch:
        files = prepare(paths, Path(scratch))
        ours, accepted = timed(lambda: svconv_round(files), args.rounds)
        theirs, taken = timed(lambda: supervisor_round(files), args.rounds)
    print(f"corpus {args.corpus}: {len(paths)} supervisord files, {size / 1e3:.1f} kB")
    print(
        f"  svconv parse        median {ours * 1e3:8.2f} ms/round  "
        f"{len(paths) / ours:7.0f} files/s  {size / ours / 1e6:6.3f} MB/s  ({accepted} accepted)"
    )
    print(
        f"  supervisor realize  median {theirs * 1e3:8.2f} ms/round  "
        f"{len(paths) / theirs:7.0f} files/s  {size / theirs / 1e6:6.3f} MB/s  ({taken} accepted)"
    )
    print(f"  ratio: svconv takes {ours / theirs:.2f}x supervisor's time")
    svconv = shutil.which("svconv") or str(Path(sys.executable).parent / "svconv")
    print(f"cold start ({args.cold_runs} runs, median):")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "svconv --help": [svconv, "--help"],
        "svconv supervisord2systemd web.conf": [svconv, "supervisord2systemd", str(EXAMPLE)],
    }
    for label, command in commands.items():
        print(f"  {label:<36} {cold_start(command, args.cold_runs):7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
