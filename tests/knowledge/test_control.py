"""Reading control commands back: which service manager is asked to do what."""

from __future__ import annotations

import pytest

from translator.knowledge.control import Request, Tool, normal_pidfile, request

REQUESTS = [
    (("/usr/bin/systemctl", "start", "web"),
     Request(tool=Tool.SYSTEMCTL, name="web", verb="start")),
    (("systemctl", "--no-block", "restart", "web.service"),
     Request(tool=Tool.SYSTEMCTL, name="web", verb="restart")),
    (("/usr/sbin/service", "web", "stop"), Request(tool=Tool.SERVICE, name="web", verb="stop")),
    (("/etc/init.d/web", "start"), Request(tool=Tool.INIT_SCRIPT, name="web", verb="start")),
    (("/etc/rc.d/init.d/web.sh", "condrestart"),
     Request(tool=Tool.INIT_SCRIPT, name="web", verb="condrestart")),
    (("/usr/bin/supervisorctl", "-c", "/etc/supervisor/supervisord.conf", "start", "web:*"),
     Request(tool=Tool.SUPERVISORCTL, name="web:*", verb="start")),
    (("/usr/sbin/web", "start"), None),  # a daemon with a subcommand, not an init script
    (("/etc/init.d/web", "status"), None),
    (("/etc/init.d/web", "start", "extra"), None),
    (("/usr/bin/systemctl", "start"), None),
    ((), None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "expected"), REQUESTS, ids=[" ".join(a) or "-" for a, _ in REQUESTS]
)
def test_request(argv: tuple[str, ...], expected: Request | None) -> None:
    assert request(argv) == expected


def test_request_properties() -> None:
    asked = request(("/etc/init.d/web", "condrestart"))
    assert asked is not None
    assert (asked.runs_init_script, asked.systemctl_verb) == (True, "try-restart")


PIDFILES = [
    ("/var/run/web.pid", "/run/web.pid"),
    ("/run/web/../web.pid", "/run/web.pid"),
    ("/var/run", "/run"),
    ("/var/running/web.pid", "/var/running/web.pid"),
    ("web.pid", None),
    ("$PIDFILE", None),
    (None, None),
]


@pytest.mark.parametrize(("path", "expected"), PIDFILES, ids=str)
def test_normal_pidfile(path: str | None, expected: str | None) -> None:
    assert normal_pidfile(path) == expected
