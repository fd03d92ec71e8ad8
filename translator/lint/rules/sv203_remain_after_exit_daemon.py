"""SV203 lifecycle.remain-after-exit-daemon: a daemon's unit that stays active when it dies."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule
from translator.lint.rules._common import extra, is_set, of_format, systemd_names
from translator.model import Host, Service

_TRUE = ("yes", "true", "on", "1")
_PIDFILE_TAG = "pidfile.tag"
"""Where the init.d reader keeps the span of a ``# pidfile:`` tag (formats/initd)."""


@rule(
    code="SV203",
    name="lifecycle.remain-after-exit-daemon",
    severity=Severity.WARNING,
    formats=("systemd", "initd"),
)
def find_daemons_remaining_after_exit(host: Host) -> Iterator[Finding]:
    """What it does: flags ``RemainAfterExit=yes`` on a systemd service that runs a
    daemon (any type but ``oneshot``), and an init script that systemd would run that
    way: one with no ``# pidfile:`` tag and no native unit of its name in the run.

    systemd-sysv-generator writes a unit of ``Type=forking`` for each init script, with
    ``PIDFile=`` and ``RemainAfterExit=no`` when the script has a ``# pidfile:`` tag,
    and with ``RemainAfterExit=yes`` otherwise (a pidfile ``start-stop-daemon`` is
    given does not count: the generator reads only the tag).

    Why it matters: the unit stays "active (exited)" after its daemon died, so systemd
    neither restarts it nor reports it failed, and ``systemctl start`` does nothing
    until someone stops the unit first.

    Example:
        ```systemd web.service
        [Service]
        ExecStart=/usr/sbin/web
        RemainAfterExit=yes
        Restart=on-failure
        ```

    Use instead:
        ```systemd web.service
        [Service]
        ExecStart=/usr/sbin/web
        Restart=on-failure
        ```

    Fix: none; drop ``RemainAfterExit=`` (it is meant for ``Type=oneshot``). For an
    init script, add ``# pidfile: PATH`` below its first line, or ship a native unit.
    """
    yield from _systemd_findings(host)
    yield from _initd_findings(host)


def _systemd_findings(host: Host) -> Iterator[Finding]:
    for service in of_format(host, "systemd"):
        remains = extra(service, "Service.RemainAfterExit")
        if service.runs_once or remains is None or remains.value.lower() not in _TRUE:
            continue
        if remains.origin.span is not None:
            yield Finding(
                span=remains.origin.span,
                service=service.name,
                message=f"RemainAfterExit={remains.value} on a daemon: the unit stays active "
                "after the daemon dies, and systemd never restarts it",
            )


def _initd_findings(host: Host) -> Iterator[Finding]:
    native = systemd_names(host)
    for service in _scripts(host):
        span = service.origin.span
        if span is None or service.name in native or is_set(service, _PIDFILE_TAG):
            continue
        if _runs_daemon(service):
            tag = f"# pidfile: {service.pidfile}" if service.pidfile else "a # pidfile: tag"
            yield Finding(
                span=span,
                service=service.name,
                message=f"no # pidfile: tag: systemd-sysv-generator runs {service.name} with "
                f"RemainAfterExit=yes, active after the daemon dies; add {tag} or a native unit",
            )


def _scripts(host: Host) -> list[Service]:
    """Give each init script's own service (a script whose start runs several programs
    has one service per program: the generator makes one unit of them all)."""
    first: dict[str, Service] = {}
    for service in of_format(host, "initd"):
        path = service.origin.span.path if service.origin.span else service.name
        first.setdefault(path, service)
    return list(first.values())


def _runs_daemon(service: Service) -> bool:
    return service.is_process and service.start is not None and not service.runs_once
