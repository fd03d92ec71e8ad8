"""SV602 health.monit-no-start-stop: a monit process check it cannot start or stop."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule
from translator.lint.rules._monit_checks import monit_processes
from translator.model import Host, Service, Span


@rule(
    code="SV602",
    name="health.monit-no-start-stop",
    severity=Severity.WARNING,
    formats=("monit",),
)
def find_checks_without_programs(host: Host) -> Iterator[Finding]:
    """What it does: flags a monit ``check process`` without a start or stop program.

    A check in ``mode passive`` (only watched, on purpose) is left alone.

    Why it matters: when the process is gone monit runs its start program; without one
    it only logs that no start method is defined, and the service stays down. A restart
    without a ``restart program`` is the stop program then the start program, and the
    start program runs only when the process is gone: without a stop program a hung
    process that fails its tests is never replaced, and ``monit stop`` cannot stop it.

    Example:
        ```monit monitrc
        check process web with pidfile /run/web.pid
          if failed port 80 then restart
        ```

    Use instead:
        ```monit monitrc
        check process web with pidfile /run/web.pid
          start program = "/usr/bin/systemctl start web"
          stop program = "/usr/bin/systemctl stop web"
          if failed port 80 then restart
        ```

    Fix: none; add the programs (``/usr/bin/systemctl start NAME`` and ``stop NAME``
    when systemd runs the service), or ``mode passive`` to only watch it.
    """
    for check in monit_processes(host):
        if not check.restart.is_automatic:
            continue
        problem = _problem(check)
        if problem is not None:
            yield Finding(
                span=check.origin.span or Span(path="<input>", line=1, column=1),
                service=check.name,
                message=f"{check.name} has {problem}",
            )


def _problem(check: Service) -> str | None:
    if check.start is None and check.stop is None:
        return "no start or stop program: monit can only report it down, never start it"
    if check.start is None:
        return "no start program: monit cannot start it again when it dies"
    if check.stop is not None:
        return None
    if check.restart_command is not None:
        return "no stop program: monit stop cannot stop it"
    return "no stop program: a restart leaves a hung process running, monit stop cannot stop it"
