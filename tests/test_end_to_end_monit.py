"""A translated check runs under the real monit: monit restarts a killed process.

A systemd unit whose foreground program listens on 127.0.0.1 goes through
``systemd2monit --monit-owns-process`` (start-stop-daemon keeps its pidfile); a real
monit, unprivileged files in a scratch directory, polls every second; the test kills the
process and waits for monit to start a new one that answers, then stops it and quits.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.e2e import alive, answers, free_port, wait_for
from tests.validators import require
from translator.cli import main

DEADLINE_SECONDS = 45
UNIT = """\
[Service]
Type=simple
PIDFile={root}/tiny.pid
ExecStart={python} -m http.server {port} --bind 127.0.0.1 --directory {root}
Restart=always

[Install]
WantedBy=multi-user.target
"""
CONTROL = """\
set daemon 1
set pidfile {root}/monit.pid
set idfile {root}/monit.id
set statefile {root}/monit.state
set logfile {root}/monit.log
set httpd unixsocket {root}/monit.sock
  allow localhost
include {root}/out/tiny.monitrc
"""


def _pid(pidfile: Path) -> int | None:
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    return pid


def test_monit_restarts_a_killed_translated_program(tmp_path: Path) -> None:
    monit = require("monit")
    require("start-stop-daemon")
    if os.geteuid() != 0:
        pytest.skip("monit must own its control file and run start-stop-daemon as root")
    started = time.monotonic()
    deadline = started + DEADLINE_SECONDS
    port = free_port()
    unit = tmp_path / "tiny.service"
    unit.write_text(UNIT.format(python=sys.executable, port=port, root=tmp_path))
    result = CliRunner().invoke(
        main,
        [
            "systemd2monit",
            "--monit-owns-process",
            "--losses",
            "ignore",
            "-o",
            str(tmp_path / "out"),
            str(unit),
        ],
    )
    assert result.exit_code == 0, result.output
    control = tmp_path / "monitrc"
    control.write_text(CONTROL.format(root=tmp_path))
    control.chmod(0o600)
    pidfile = tmp_path / "tiny.pid"
    daemon = subprocess.Popen(
        [monit, "-I", "-c", str(control)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    first = second = None
    try:
        wait_for(
            lambda: _pid(pidfile) is not None and answers(port),
            deadline,
            "monit to start the program",
        )
        first = _pid(pidfile)
        assert first is not None
        os.kill(first, signal.SIGKILL)
        wait_for(
            lambda: _pid(pidfile) not in (None, first) and answers(port),
            deadline,
            "monit to start it again",
        )
        second = _pid(pidfile)
        subprocess.run(
            [monit, "-c", str(control), "stop", "tiny"], check=True, capture_output=True, timeout=10
        )
        wait_for(lambda: second is not None and _pid(pidfile) is None, deadline, "monit to stop it")
        subprocess.run(
            [monit, "-c", str(control), "quit"], check=True, capture_output=True, timeout=10
        )
        daemon.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
        for pid in (first, second):
            if pid is not None and alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert second is not None and second != first
    assert not alive(second)
    assert time.monotonic() - started < DEADLINE_SECONDS


def test_monit_procmatch_finds_exactly_the_translated_program(tmp_path: Path) -> None:
    """The pattern svconv writes for a foreground program matches it and nothing else."""
    monit = require("monit")
    port = free_port()
    argv = (sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1")
    unit = tmp_path / "web.service"
    unit.write_text(f"[Service]\nExecStart={' '.join(argv)}\n")
    result = CliRunner().invoke(main, ["systemd2monit", "--losses", "ignore", str(unit)])
    assert result.exit_code == 0, result.output
    pattern = re.search(r'matching "(.*)"', result.stdout)
    assert pattern is not None
    process = subprocess.Popen(
        argv, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(lambda: answers(port), time.monotonic() + 10, "the program to listen")
        shown = subprocess.run(
            [monit, "procmatch", pattern.group(1).replace("\\\\", "\\")],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        ).stdout
    finally:
        process.kill()
        process.wait()
    assert "Total matches: 1" in shown
    assert str(process.pid) in shown
