"""SV404 host.pidfile-disagreement: monit reads another pidfile than the daemon writes."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.knowledge.control import normal_pidfile
from translator.lint.registry import Finding, rule, where
from translator.lint.rules._monit_checks import counterparts, monit_processes
from translator.model import Host, Service


@rule(
    code="SV404",
    name="host.pidfile-disagreement",
    severity=Severity.ERROR,
    formats=("monit", "systemd", "initd"),
)
def find_pidfile_disagreements(host: Host) -> Iterator[Finding]:
    """What it does: flags a monit check reading another pidfile than its service's.

    The unit (``PIDFile=``) or the init script of the same service names another file,
    ``/var/run`` being ``/run``.

    Why it matters: monit finds no process behind its pidfile, calls the service down
    and starts it again every cycle, while the real daemon runs on; the copies fail or
    pile up. The same service is the one named like the check, or the one its start
    program asks for (``systemctl start web``, ``/etc/init.d/web start``). A daemon's
    own default pidfile is not compared: svconv knows none.

    Example:
        ```monit monitrc
        check process web with pidfile /var/run/web.pid
          start program = "/usr/bin/systemctl start web"
          stop program = "/usr/bin/systemctl stop web"
        ```
        ```systemd web.service
        [Service]
        Type=forking
        PIDFile=/run/web/web.pid
        ExecStart=/usr/sbin/web
        ```

    Use instead:
        ```monit monitrc
        check process web with pidfile /run/web/web.pid
          start program = "/usr/bin/systemctl start web"
          stop program = "/usr/bin/systemctl stop web"
        ```
        ```systemd web.service
        [Service]
        Type=forking
        PIDFile=/run/web/web.pid
        ExecStart=/usr/sbin/web
        ```

    Fix: none; find where the daemon writes its pid (its configuration decides) and
    name that file in both.
    """
    for check in monit_processes(host):
        pidfile = normal_pidfile(check.pidfile)
        if pidfile is None:
            continue
        for other in counterparts(host, check):
            other_pidfile = normal_pidfile(other.pidfile)
            if other_pidfile is not None and other_pidfile != pidfile:
                yield Finding(
                    span=where(check, "pidfile"),
                    service=check.name,
                    message=f"monit reads {check.pidfile} but {_describe(other)} names "
                    f"{other.pidfile}: monit will see {check.name} down and start it again",
                    related=(where(other, "pidfile"),),
                )


_NAMED = {"systemd": "{}.service", "initd": "the init script {}"}
"""How a message names a service of each supervisor that writes pidfiles."""


def _describe(service: Service) -> str:
    return _NAMED.get(service.managed_by, "the service {}").format(service.name)
