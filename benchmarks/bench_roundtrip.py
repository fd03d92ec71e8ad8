"""Round-trip equality on the fixtures, per format: what comes back of what went in.

For every translation fixture (tests/formats/test_translations.py's table) and every
target it is written to, the target's files are read back and compared with the model
read from the input, positions aside (tests/asserts.py ``round_trip_problems``):

- **round trip**: the model comes back equal, bar the fields the loss report names, and
  a second emit gives the same bytes;
- **lossless**: the same, with no loss reported at all (only self round trips of a
  format, ``read == target``, can be expected to be lossless).

Per target format it prints pairs passing / pairs, and the median time of one
parse → emit → parse → emit over ``--rounds``. Run ``python benchmarks/bench_roundtrip.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.asserts import Case, round_trip_problems, translate
from tests.formats.test_translations import CASES
from translator.formats import FORMATS


def _check(case: Case, target: str) -> tuple[bool, bool, float]:
    """Say whether ``case`` survives ``target`` (and with no loss), and how long it took."""
    started = time.perf_counter()
    translation = translate(case, target)
    problems = round_trip_problems(translation, target)
    elapsed = time.perf_counter() - started
    return not problems, not problems and not translation.losses, elapsed


def main() -> None:
    """Print the share per target format."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    rows: dict[str, list[tuple[Case, bool, bool, float]]] = defaultdict(list)
    for case in CASES:
        for target in case.write:
            if not FORMATS[target].can("parse"):
                continue  # emit-only (an external monitor): nothing to read back
            runs = [_check(case, target) for _ in range(arguments.rounds)]
            kept, lossless, _ = runs[0]
            rows[target].append((case, kept, lossless, statistics.median(r[2] for r in runs)))
    print(f"{'target':<12} {'round trip':>11} {'self':>9} {'lossless self':>14} {'ms':>7}")
    for target, results in sorted(rows.items()):
        selves = [r for r in results if r[0].read == target]
        print(
            f"{target:<12} {_share(r[1] for r in results):>11} "
            f"{_share(r[1] for r in selves):>9} {_share(r[2] for r in selves):>14} "
            f"{statistics.median(r[3] for r in results) * 1000:>7.1f}"
        )
    failed = [(r[0].id, t) for t, results in rows.items() for r in results if not r[1]]
    for case_id, target in failed:
        print(f"  does not round-trip: {case_id} → {target}")


def _share(verdicts: object) -> str:
    found = list(verdicts)  # type: ignore[call-overload]
    return f"{sum(found)}/{len(found)}" if found else "—"


if __name__ == "__main__":
    main()
