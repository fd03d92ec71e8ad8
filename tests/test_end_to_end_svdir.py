"""Translated services run under the real runsv, daemontools supervise and s6-supervise.

Two sources go into a scratch service directory: a systemd unit whose foreground program
listens on 127.0.0.1, and monit's dummy check, whose start program backgrounds that
listener and records its pid (``sh -c '… & echo $! > PIDFILE'``) on port 10050; the
test starts
the supervisor on it, kills the program, waits for a new one that answers (the time from
the kill to the answer is recorded as the ``kill_to_answer_seconds`` property), then takes
the service down, tells the supervisor to exit and checks nothing is left running.
A service that exits at once shows that the ``finish`` svconv writes for a start limit
(runit's counting one, s6's ``s6-permafailon``) stops the restarts at the limit.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.e2e import alive, answers, free_port, wait_for
from tests.test_end_to_end import UNIT
from tests.validators import require
from translator.cli import main
from translator.formats import FORMATS
from translator.formats._options import EmitOptions
from translator.loss import LossLog
from translator.model import Command, Host, Service, StartLimit

DEADLINE_SECONDS = 30
RUNNING_SECONDS = 1.5
"""How long the program runs before it is killed: a daemon that was up, not a crash loop."""


@dataclass(frozen=True)
class Supervisor:
    """How to run, query and stop one supervisor of service directories."""

    format: str
    supervise: str
    pid_of: Callable[[Path], int | None]
    down: tuple[str, ...]
    exit: tuple[str, ...]


def _daemontools_pid(service: Path) -> int | None:
    """The pid ``svstat`` reports for the running program, if it runs."""
    status = subprocess.run(
        [require("svstat"), str(service)], capture_output=True, text=True, check=False
    )
    found = re.search(r": up \(pid (\d+)\)", status.stdout)
    return int(found[1]) if found else None


def _s6_pid(service: Path) -> int | None:
    """The pid ``s6-svstat -p`` reports for the running program, if it runs."""
    status = subprocess.run(
        [require("s6-svstat"), "-p", str(service)], capture_output=True, text=True, check=False
    )
    text = status.stdout.strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def _runit_pid(service: Path) -> int | None:
    """The pid runsv records for the running program, if it runs."""
    try:
        text = (service / "supervise" / "pid").read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() and int(text) > 0 else None


SUPERVISORS = [
    Supervisor("runit", "runsv", _runit_pid, ("sv", "-w", "5", "down"), ("sv", "exit")),
    Supervisor("daemontools", "supervise", _daemontools_pid, ("svc", "-d"), ("svc", "-x")),
    Supervisor("s6", "s6-supervise", _s6_pid, ("s6-svc", "-d"), ("s6-svc", "-x")),
]


DUMMY_CHECK = """\
check process tiny-web with pidfile {root}/tiny-web.pid
  start program = "/bin/sh -c '{python} -m http.server {port} --bind 127.0.0.1 --directory \
{root} & echo $! > {root}/tiny-web.pid'"
  stop program = "/bin/sh -c 'kill $(cat {root}/tiny-web.pid)'"
  if failed host 127.0.0.1 port {port} then restart
  if 10 restarts within 10 cycles then timeout
"""
SOURCES = {"systemd": ("tiny-web.service", UNIT), "monit": ("tiny-web.monitrc", DUMMY_CHECK)}
DUMMY_PORT = 10050


def _translate(tmp_path: Path, source: str, target: str, port: int) -> Path:
    name, template = SOURCES[source]
    config = tmp_path / name
    config.write_text(template.format(python=sys.executable, port=port, root=tmp_path))
    out = tmp_path / "sv"
    result = CliRunner().invoke(
        main, [f"{source}2{target}", "--health-checks", "drop", "-o", str(out), str(config)]
    )
    assert result.exit_code == 0, result.output
    service = out / "tiny-web"
    assert os.access(service / "run", os.X_OK)
    # its log service would write /var/log/tiny-web: keep the test inside its directory
    (service / "log").rename(tmp_path / "log-unused")
    return service


def _command(words: tuple[str, ...], service: Path) -> None:
    subprocess.run([require(words[0]), *words[1:], str(service)], check=True, timeout=10)


@pytest.mark.parametrize("source", list(SOURCES))
@pytest.mark.parametrize("supervisor", SUPERVISORS, ids=lambda s: s.format)
def test_the_supervisor_restarts_a_killed_translated_program(
    supervisor: Supervisor,
    source: str,
    tmp_path: Path,
    record_property: Callable[[str, object], None],
) -> None:
    program = require(supervisor.supervise)
    deadline = time.monotonic() + DEADLINE_SECONDS
    port = DUMMY_PORT if source == "monit" else free_port()
    service = _translate(tmp_path, source, supervisor.format, port)
    running = subprocess.Popen([program, str(service)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for(lambda: supervisor.pid_of(service) is not None and answers(port), deadline,
                 "the program")  # fmt: skip
        first = supervisor.pid_of(service)
        assert first is not None
        time.sleep(RUNNING_SECONDS)  # runsv and s6 pause 1 s before restarting a shorter run
        killed = time.monotonic()
        os.kill(first, signal.SIGKILL)
        wait_for(
            lambda: supervisor.pid_of(service) not in (None, first) and answers(port),
            deadline,
            "a new program after the kill",
        )
        record_property("kill_to_answer_seconds", round(time.monotonic() - killed, 2))
        second = supervisor.pid_of(service)
        assert second is not None
        _command(supervisor.down, service)
        wait_for(lambda: not alive(second), deadline, "the program to stop")
        _command(supervisor.exit, service)
        running.wait(timeout=10)
    finally:
        if running.poll() is None:
            running.kill()
    assert not answers(port)


@dataclass(frozen=True)
class Limiter:
    """A supervisor whose ``finish`` svconv writes to stop restarting after a start limit."""

    format: str
    supervise: str
    exit: tuple[str, ...]


LIMITERS = [
    Limiter("runit", "runsv", ("sv", "exit")),
    Limiter("s6", "s6-supervise", ("s6-svc", "-x")),
]
BURST = 3


def _failing_service(tmp_path: Path, target: str) -> Path:
    """Write a service that exits at once, limited to BURST starts a minute."""
    starts = tmp_path / "starts"
    service = Service(
        name="flaky",
        start=Command(argv=("/bin/sh", "-c", f"echo started >>{starts}; exit 3")),
        start_limit=StartLimit(burst=BURST, interval=60),
    )
    files = FORMATS[target].module.emit(Host(services=(service,)), EmitOptions(), LossLog())
    for name, text in files.items():
        if not name.startswith("flaky/log/"):  # its logger would write /var/log
            path = tmp_path / "sv" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            path.chmod(0o755)
    return tmp_path / "sv" / "flaky"


def _started(tmp_path: Path) -> int:
    starts = tmp_path / "starts"
    return len(starts.read_text().splitlines()) if starts.exists() else 0


@pytest.mark.parametrize("limiter", LIMITERS, ids=lambda s: s.format)
def test_finish_stops_restarting_at_the_start_limit(limiter: Limiter, tmp_path: Path) -> None:
    program = require(limiter.supervise)
    deadline = time.monotonic() + DEADLINE_SECONDS
    service = _failing_service(tmp_path, limiter.format)
    running = subprocess.Popen([program, str(service)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for(lambda: _started(tmp_path) >= BURST, deadline, f"{BURST} starts")
        time.sleep(3)  # the supervisors wait 1 s between restarts: room for two more
        assert _started(tmp_path) == BURST
        _command(limiter.exit, service)
        running.wait(timeout=10)
    finally:
        if running.poll() is None:
            running.kill()
