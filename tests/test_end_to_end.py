"""A translated config runs under the real daemon: supervisord restarts a killed process.

A systemd unit whose foreground program listens on 127.0.0.1 goes through
``systemd2supervisord --standalone`` into a scratch directory; a real supervisord runs
it there (socket, logs and pidfile beside the config); the test kills the child and
waits for a new one that answers, then shuts supervisord down and checks nothing is left.
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
from tests.validators import require_supervisor
from translator.cli import main

DEADLINE_SECONDS = 30
UNIT = """\
[Unit]
Description=A tiny web server that stays in the foreground

[Service]
ExecStart={python} -m http.server {port} --bind 127.0.0.1 --directory {root}
Restart=always
RestartSec=1

[Install]
WantedBy=multi-user.target
"""


def _ctl(config: Path, *words: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "supervisor.supervisorctl", "-c", str(config), *words],
        capture_output=True,
        text=True,
        check=False,
        timeout=10,
    )
    return result.stdout.strip()


def _running_pid(config: Path) -> int | None:
    status = _ctl(config, "status", "tiny-web")
    if "RUNNING" not in status:
        return None
    pid = _ctl(config, "pid", "tiny-web")
    return int(pid) if pid.isdigit() and int(pid) > 0 else None


def test_supervisord_restarts_a_killed_translated_program(tmp_path: Path) -> None:
    require_supervisor(sys.executable)
    started = time.monotonic()
    deadline = started + DEADLINE_SECONDS
    port = free_port()
    (tmp_path / "tiny-web.service").write_text(
        UNIT.format(python=sys.executable, port=port, root=tmp_path)
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "systemd2supervisord",
            "--standalone",
            "--health-checks",
            "drop",
            "-o",
            str(out),
            str(tmp_path / "tiny-web.service"),
        ],
    )
    assert result.exit_code == 0, result.output
    config = out / "supervisord.conf"
    daemon = subprocess.Popen(
        [sys.executable, "-m", "supervisor.supervisord", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(
            lambda: _running_pid(config) is not None and answers(port),
            deadline,
            "the first process",
        )
        first = _running_pid(config)
        assert first is not None
        os.kill(first, signal.SIGKILL)
        wait_for(
            lambda: _running_pid(config) not in (None, first) and answers(port),
            deadline,
            "a restarted process",
        )
        second = _running_pid(config)
        assert second is not None and second != first
        assert "Shut down" in _ctl(config, "shutdown")
        daemon.wait(timeout=max(1, deadline - time.monotonic()))
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    assert daemon.returncode == 0
    assert not alive(first)
    assert not alive(second)
    assert not (out / "supervisor.sock").exists()
    assert (out / "supervisord.log").is_file()
    assert time.monotonic() - started < DEADLINE_SECONDS
