"""SV202 lifecycle.forking-without-pidfile: ``Type=forking`` with no ``PIDFile=``."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Edit, Fix, Severity
from translator.lint.registry import Finding, rule, where
from translator.lint.rules._common import of_format, systemd_type
from translator.model import Host, Service, Span

_WHOSE = {"monit": "monit check", "initd": "init script"}
"""Formats that name a daemon's pidfile, and what of theirs names it."""


@rule(
    code="SV202",
    name="lifecycle.forking-without-pidfile",
    severity=Severity.WARNING,
    formats=("systemd",),
    has_fix=True,
)
def find_forking_without_pidfile(host: Host) -> Iterator[Finding]:
    """What it does: flags a systemd service of ``Type=forking`` with no ``PIDFile=``.

    Why it matters: systemd then guesses which of the processes left behind is the
    daemon. When the start leaves more than one (a helper, a logger, a second worker),
    it may guess wrong or give up: the service shows as running while the daemon is
    dead, or is never restarted, and ``ExecReload=`` signals the wrong process.

    Example:
        ```systemd web.service
        [Service]
        Type=forking
        ExecStart=/usr/sbin/web --daemon
        ```

    Use instead:
        ```systemd web.service
        [Service]
        Type=forking
        PIDFile=/run/web.pid
        ExecStart=/usr/sbin/web --daemon --pidfile /run/web.pid
        ```

    Fix: safe, when another supervisor of the host names the same daemon's pidfile (a
    monit check or an init script of the same name): adds ``PIDFile=`` with it after
    the ``Type=`` line. Otherwise none; name the file the daemon writes its PID to.
    """
    for service in of_format(host, "systemd"):
        if systemd_type(service) != "forking" or service.pidfile is not None:
            continue
        known = _known_pidfile(host, service)
        type_line = where(service, "daemonizes")
        advice = f"PIDFile={known[0]} ({known[1]})" if known else "PIDFile= naming it"
        yield Finding(
            span=type_line,
            service=service.name,
            message="Type=forking with no PIDFile=: systemd has to guess which process is the "
            f"daemon; add {advice}",
            fix=_add_pidfile(type_line, known[0]) if known else None,
        )


def _known_pidfile(host: Host, service: Service) -> tuple[str, str] | None:
    """Give the pidfile another supervisor of the host knows for the daemon, and which."""
    for other in host.services:
        if other.name == service.name and other.managed_by in _WHOSE and other.pidfile:
            return other.pidfile, f"the pidfile of the {_WHOSE[other.managed_by]}"
    return None


def _add_pidfile(type_line: Span, pidfile: str) -> Fix:
    """Insert ``PIDFile=`` at the start of the line after ``Type=forking``."""
    after = Span(
        path=type_line.path,
        line=type_line.line + 1,
        column=1,
        end_line=type_line.line + 1,
        end_column=1,
    )
    return Fix(
        description=f"add PIDFile={pidfile}",
        edits=(Edit(span=after, text=f"PIDFile={pidfile}\n"),),
        is_safe=True,
    )
