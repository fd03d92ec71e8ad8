"""A real daemon under the init script svconv writes: start, status, stop, a crash."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.e2e import free_port, wait_for
from translator import api
from translator.model import Source

LISTENER = """\
import socket, sys
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen()
while True:
    server.accept()[0].close()
"""


def accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def run(script: Path, action: str) -> int:
    return subprocess.run(["/bin/sh", str(script), action], timeout=60, check=False).returncode


def test_the_script_starts_reports_and_stops_a_foreground_daemon(tmp_path: Path) -> None:
    port = free_port()
    listener = tmp_path / "listener.py"
    listener.write_text(LISTENER)
    pidfile = tmp_path / "listener.pid"
    unit = (
        "[Unit]\nDescription=Dummy listener\n[Service]\n"
        f"ExecStart={sys.executable} {listener} {port}\nPIDFile={pidfile}\nTimeoutStopSec=5\n"
    )
    translation = api.convert(
        [Source(path="listener.service", text=unit)], source_format="systemd", target_format="initd"
    )
    script = tmp_path / "listener"
    script.write_text(translation.files["listener"])
    try:
        assert run(script, "start") == 0
        wait_for(lambda: accepts(port), time.monotonic() + 5, "the listener to accept")
        pid = int(pidfile.read_text())
        assert os.path.realpath(f"/proc/{pid}/exe") == os.path.realpath(sys.executable)
        assert run(script, "start") == 0  # already running: starts nothing
        assert int(pidfile.read_text()) == pid
        assert run(script, "status") == 0
        assert run(script, "stop") == 0
        wait_for(lambda: not accepts(port), time.monotonic() + 5, "the port to be free")
        assert not pidfile.exists()
        assert run(script, "status") == 3
        assert run(script, "stop") == 0
        assert run(script, "start") == 0
        wait_for(lambda: accepts(port), time.monotonic() + 5, "the listener to accept again")
        os.kill(int(pidfile.read_text()), signal.SIGKILL)
        wait_for(lambda: not accepts(port), time.monotonic() + 5, "the listener to die")
        assert run(script, "status") == 1  # dead, pidfile left behind
        assert run(script, "nonsense") == 2
    finally:
        if pidfile.exists():
            subprocess.run(["kill", "-9", pidfile.read_text().strip()], check=False)
