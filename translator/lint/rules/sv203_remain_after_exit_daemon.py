"""SV203 lifecycle.remain-after-exit-daemon: a daemon's unit that stays active when it dies."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.knowledge import foreground
from translator.lint.registry import Finding, rule
from translator.lint.rules._common import (
    extra,
    is_set,
    of_format,
    source_path,
    systemd_names,
)
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
    """What it does: flags a daemon whose systemd unit stays active after it exits.

    That is ``RemainAfterExit=yes`` on a systemd service that runs a daemon, and an init
    script that systemd would run that way: one with no ``# pidfile:`` tag and no native
    unit of its name in the run. A unit runs a daemon when it is not ``Type=oneshot`` and
    forks, names a pidfile, restarts, or starts a daemon the knowledge base knows; a
    ``Type=simple`` helper that runs once is left alone.

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
        if not _is_daemon(service) or remains is None or remains.value.lower() not in _TRUE:
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
        if _is_daemon(service):
            tag = f"# pidfile: {service.pidfile}" if service.pidfile else "a # pidfile: tag"
            yield Finding(
                span=span,
                service=service.name,
                message=f"no # pidfile: tag: systemd-sysv-generator runs {service.name} with "
                f"RemainAfterExit=yes, active after the daemon dies; add {tag} or a native unit",
            )


def _scripts(host: Host) -> list[Service]:
    """Give each init script's own service, the first of those its start runs.

    The generator makes one unit of a script, however many programs it starts.
    """
    first: dict[str, Service] = {}
    for service in of_format(host, "initd"):
        first.setdefault(source_path(service), service)
    return list(first.values())


def _is_daemon(service: Service) -> bool:
    """Say whether a unit runs a daemon, not a helper that runs once and exits.

    A daemon forks, names a pidfile, is restarted, or is one the knowledge base knows.
    """
    if not service.is_process or service.runs_once or service.start is None:
        return False
    known = foreground(service.start.argv) is not None
    return bool(service.daemonizes or service.pidfile or service.restart.is_automatic or known)
