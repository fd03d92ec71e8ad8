"""A translated service runs under the real runsv, which restarts a killed process.

A systemd unit whose foreground program listens on 127.0.0.1 goes through
``systemd2runit`` into a scratch service directory; the test starts ``runsv`` on it,
kills the program, waits for a new one that answers, then takes the service down with
``sv`` and checks nothing is left running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from tests.e2e import alive, answers, free_port, wait_for
from tests.test_end_to_end import UNIT
from tests.validators import require
from translator.cli import main

DEADLINE_SECONDS = 30


def _pid(service: Path) -> int | None:
    """The pid runsv records for the running program, if it runs."""
    try:
        text = (service / "supervise" / "pid").read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() and int(text) > 0 else None


def test_runsv_restarts_a_killed_translated_program(tmp_path: Path) -> None:
    runsv, sv = require("runsv"), require("sv")
    deadline = time.monotonic() + DEADLINE_SECONDS
    port = free_port()
    unit = tmp_path / "tiny-web.service"
    unit.write_text(UNIT.format(python=sys.executable, port=port, root=tmp_path))
    out = tmp_path / "sv"
    result = CliRunner().invoke(
        main, ["systemd2runit", "--health-checks", "drop", "-o", str(out), str(unit)]
    )
    assert result.exit_code == 0, result.output
    service = out / "tiny-web"
    assert os.access(service / "run", os.X_OK)
    # its log service would write /var/log/tiny-web: keep the test inside its directory
    (service / "log").rename(tmp_path / "log-unused")
    supervisor = subprocess.Popen([runsv, str(service)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for(lambda: _pid(service) is not None and answers(port), deadline, "the program")
        first = _pid(service)
        assert first is not None
        os.kill(first, signal.SIGKILL)
        wait_for(
            lambda: _pid(service) not in (None, first) and answers(port),
            deadline,
            "a new program after the kill",
        )
        second = _pid(service)
        subprocess.run([sv, "-w", "5", "down", str(service)], check=True, timeout=10)
        assert second is not None and not alive(second)
        subprocess.run([sv, "exit", str(service)], check=True, timeout=10)
        supervisor.wait(timeout=10)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    assert not answers(port)
