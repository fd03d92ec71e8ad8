"""Kill-to-answer time under runsv, daemontools' supervise and s6-supervise.

Runs tests/test_end_to_end_svdir.py's restart test ``--rounds`` times: a translated
listener (from a systemd unit and from monit's dummy check) has run 1.5 s when it is
SIGKILLed, and the time until a new process answers on its port is the test's
``kill_to_answer_seconds`` property. Prints the median per supervisor and source.
Run ``python benchmarks/bench_restart.py [--rounds N]`` (needs runit, daemontools, s6).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST = "tests/test_end_to_end_svdir.py"


def _round(report: Path) -> dict[str, float]:
    """Run the restart tests once; give each case's kill-to-answer seconds."""
    subprocess.run(
        [sys.executable, "-m", "pytest", TEST, "-q", "-k", "restarts", "-p", "no:cacheprovider",
         "-o", "junit_family=legacy", f"--junitxml={report}"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    found = {}
    for case in ElementTree.parse(report).iter("testcase"):
        for prop in case.iter("property"):
            if prop.get("name") == "kill_to_answer_seconds":
                found[str(case.get("name")).split("[")[1].rstrip("]")] = float(prop.get("value", 0))
    return found


def main() -> None:
    """Print the median kill-to-answer time per supervisor and source."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    times: dict[str, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(rounds):
            for case, seconds in _round(Path(scratch) / f"{number}.xml").items():
                times[case].append(seconds)
    print(f"{'supervisor-source':<20} {'median s':>9}  runs")
    for case, values in sorted(times.items()):
        print(f"{case:<20} {statistics.median(values):>9.2f}  {values}")


if __name__ == "__main__":
    main()
