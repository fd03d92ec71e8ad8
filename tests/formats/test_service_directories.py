"""Every run, finish and log/run the service-directory fixtures expect passes sh and shellcheck.

The runit/web fixture keeps a ``ulimit -c`` of its input verbatim (not POSIX sh), so the
fixtures checked here are those of daemontools, s6 and the monit cases written to them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.validators import shell_check

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASES = [*FIXTURES.glob("daemontools/*"), *FIXTURES.glob("s6/*"), FIXTURES / "monit/sshd-svdir"]
SCRIPTS = sorted(
    script
    for case in CASES
    for target in ("runit", "daemontools", "s6")
    for script in (case / "expected" / target).rglob("*")
    if script.name in ("run", "finish")
)


def test_there_are_scripts_to_check() -> None:
    assert len(SCRIPTS) >= 12


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_scripts_pass_the_shells_and_shellcheck(script: Path) -> None:
    assert shell_check(script) == []
