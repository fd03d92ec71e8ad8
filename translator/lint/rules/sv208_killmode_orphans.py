"""SV208 lifecycle.killmode-orphans: a stop that leaves the service's children running."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule, where
from translator.lint.rules._common import extra, is_set, of_format, runs_in_place, shell_script
from translator.model import Host, Service, Span

_EFFECTS = {
    "process": "a stop signals only the main process and leaves the others running",
    "none": "a stop signals none of its processes, and all of them keep running",
}


@rule(
    code="SV208",
    name="lifecycle.killmode-orphans",
    severity=Severity.WARNING,
    formats=("systemd", "supervisord"),
)
def find_orphaning_stops(host: Host) -> Iterator[Finding]:
    """What it does: flags a stop that signals only the main process while others run.

    That is a supervisord program whose command is a ``sh -c`` script, without
    ``stopasgroup=true``; a systemd service whose ``ExecStart=`` is such a script, with
    ``KillMode=process``; and any systemd service with ``KillMode=none``.

    A script that is one command, or ends in ``exec``, becomes that command, so it is
    left alone. So is ``KillMode=process`` on a daemon: there it is a choice (sshd keeps
    its sessions, cron its jobs, supervisord stops its programs itself).

    Why it matters: the children outlive the stop. The next start finds their port,
    lock or pidfile taken and fails, and a restart leaves one more copy running each
    time. Under supervisord the shell dies and the program it ran goes on unsupervised.

    Example:
        ```supervisord worker.conf
        [program:worker]
        command=sh -c "cd /srv/app && php artisan queue:work"
        ```

    Use instead:
        ```supervisord worker.conf
        [program:worker]
        command=sh -c "cd /srv/app && exec php artisan queue:work"
        ```

    Fix: none; ``exec`` the last command, or set ``stopasgroup=true`` (supervisord) or
    ``KillMode=mixed`` (systemd).
    """
    for service in of_format(host, "systemd"):
        found = _kill_mode(service)
        if found is not None:
            mode, span = found
            yield Finding(
                span=span,
                service=service.name,
                message=f"KillMode={mode}: {_EFFECTS[mode]}; use KillMode=mixed",
            )
    for service in of_format(host, "supervisord"):
        if _runs_a_script(service) and not service.stops_process_group:
            yield Finding(
                span=where(service, "start"),
                service=service.name,
                message="a stop signals only the sh -c shell, not what its script runs; "
                "exec the last command or set stopasgroup=true and killasgroup=true",
            )


def _runs_a_script(service: Service) -> bool:
    """Say whether the main process is a shell that runs others (not one it becomes)."""
    script = shell_script(service.start.argv) if service.start else None
    return service.is_process and script is not None and not runs_in_place(script)


def _kill_mode(service: Service) -> tuple[str, Span] | None:
    """Give the ``KillMode=`` that leaves processes of the service running, and its line."""
    mode = extra(service, "Service.KillMode")
    span = mode.origin.span if mode is not None and mode.origin.span else where(service, "start")
    if mode is not None and mode.value == "none":
        return "none", span
    if not _runs_a_script(service):
        return None
    if mode is not None and mode.value == "process":
        return "process", span
    if is_set(service, "kills_process_group") and service.kills_process_group is False:
        return "process", where(service, "kills_process_group")
    return None
