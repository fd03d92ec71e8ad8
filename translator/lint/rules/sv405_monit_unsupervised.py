"""SV405 host.monit-unsupervised: nothing restarts monit itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule
from translator.lint.rules._monit_checks import MONIT
from translator.model import Host, Service, Span

DROP_IN = "/etc/systemd/system/monit.service.d/restart.conf"
_RESTARTERS = ("systemd", "supervisord")
"""Supervisors that restart what they run (an init script starts monit once)."""


@rule(
    code="SV405",
    name="host.monit-unsupervised",
    severity=Severity.WARNING,
    formats=("monit", "systemd", "supervisord"),
)
def find_unsupervised_monit(host: Host) -> Iterator[Finding]:
    """What it does: flags monit checks when nothing in the input restarts monit.

    Nothing is a systemd unit running monit with ``Restart=`` (or a ``monit.service.d``
    drop-in setting it), nor a supervisord program running monit.

    Why it matters: monit restarts everything else, but when monit itself dies (the
    OOM killer, a crash) every check stops silently: no restarts, no alerts. Debian
    starts monit from an init script, which never restarts it. The rule fires once, at
    line 1 of the control file (the file with monit's ``set`` statements); a lone
    ``conf.d`` snippet without one is not linted for it, since its control file may
    live elsewhere.

    Example:
        ```monit monitrc
        set daemon 60
        set log syslog
        check process web with pidfile /run/web.pid
          start program = "/usr/bin/systemctl start web"
          stop program = "/usr/bin/systemctl stop web"
        ```

    Use instead:
        ```monit monitrc
        set daemon 60
        set log syslog
        check process web with pidfile /run/web.pid
          start program = "/usr/bin/systemctl start web"
          stop program = "/usr/bin/systemctl stop web"
        ```
        ```systemd monit.service.d/restart.conf
        [Service]
        Restart=always
        ```

    Fix: none; add the drop-in ``/etc/systemd/system/monit.service.d/restart.conf``
    holding ``[Service]`` and ``Restart=always``, then ``systemctl daemon-reload``.
    """
    checks = [s for s in host.services if s.managed_by == MONIT]
    control = _control_file(host, checks)
    if control is None or not checks or _is_restarted(host):
        return
    units = [s for s in host.services if s.managed_by == "systemd" and _runs_monit(s)]
    who = f"{units[0].name}.service does not restart" if units else "nothing restarts"
    watched = f"{len(checks)} service{'s' if len(checks) > 1 else ''}"
    yield Finding(
        span=Span(path=control, line=1, column=1),
        message=f"monit watches {watched} but {who} monit if it dies: add "
        f'{DROP_IN} with "[Service]" and "Restart=always"',
    )


def _control_file(host: Host, checks: list[Service]) -> str | None:
    """The file holding monit's ``set`` statements; None for snippets without one."""
    settings = [
        e.origin.span for e in host.extras if e.format == MONIT and e.key.startswith("set ")
    ]
    spans = [s for s in settings if s is not None]
    if spans:
        return min(spans, key=lambda s: (s.path, s.line)).path
    daemon = dict(host.origin.fields).get("probe_interval")
    if daemon is not None:
        return daemon.path
    first = checks[0].origin.span if checks and host.probe_interval is not None else None
    return first.path if first is not None else None


def _runs_monit(service: Service) -> bool:
    program = PurePosixPath(service.start.argv[0]).name if service.start else ""
    return service.is_process and (service.name == MONIT or program == MONIT)


def _is_restarted(host: Host) -> bool:
    """Whether a unit, a drop-in or a supervisord program restarts monit."""
    if any(
        s.managed_by in _RESTARTERS and s.restart.is_automatic and _runs_monit(s)
        for s in host.services
    ):
        return True
    return any(
        _is_restart_drop_in(extra.origin.span, extra.key, extra.value) for extra in host.extras
    )


def _is_restart_drop_in(span: Span | None, key: str, value: str) -> bool:
    """A drop-in of monit.service read on its own (its unit not in the input) with Restart=."""
    in_drop_in = span is not None and PurePosixPath(span.path).parent.name == "monit.service.d"
    return in_drop_in and key == "Service.Restart" and value.strip() != "no"
