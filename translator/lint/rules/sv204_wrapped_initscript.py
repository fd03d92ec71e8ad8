"""SV204 lifecycle.wrapped-initscript: a unit that only runs an init script."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule, where
from translator.model import Host

_SCRIPT_DIRECTORIES = ("/etc/init.d", "/etc/rc.d/init.d")


@rule(
    code="SV204",
    name="lifecycle.wrapped-initscript",
    severity=Severity.WARNING,
    formats=("systemd",),
)
def find_wrapped_initscripts(host: Host) -> Iterator[Finding]:
    """What it does: flags a unit whose ``ExecStart=`` is ``/etc/init.d/NAME start``.

    Why it matters: systemd then supervises the script, not the daemon: it cannot
    restart the daemon when it dies, and with ``RemainAfterExit=yes`` shows a dead
    daemon as active. ``svconv initd2systemd`` finds the daemon the script starts.

    Example:
        ```systemd web.service
        [Service]
        Type=forking
        ExecStart=/etc/init.d/web start
        ExecStop=/etc/init.d/web stop
        ```

    Use instead:
        ```systemd web.service
        [Service]
        Type=simple
        ExecStart=/usr/sbin/web --foreground
        Restart=on-failure
        ```

    Fix: none; ``svconv initd2systemd /etc/init.d/NAME`` writes the unit to review.
    """
    for service in host.services:
        start = service.start
        if service.managed_by != "systemd" or start is None or len(start.argv) < 2:
            continue
        script = PurePosixPath(start.argv[0])
        if str(script.parent) in _SCRIPT_DIRECTORIES and start.argv[1] == "start":
            yield Finding(
                span=where(service, "start"),
                service=service.name,
                message=f"runs the init script {script} instead of its daemon; "
                f"svconv initd2systemd {script} finds the daemon",
            )
