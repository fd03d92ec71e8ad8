"""SV402 host.monit-via-initscript: monit starts a service through its init script."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Edit, Fix, Severity
from translator.knowledge.control import SYSTEMCTL, Request, request
from translator.lint.registry import Finding, rule, where
from translator.lint.rules._common import systemd_names
from translator.lint.rules._monit_checks import PROGRAMS, monit_processes, program, reworded
from translator.model import Host, Service


@rule(
    code="SV402",
    name="host.monit-via-initscript",
    severity=Severity.WARNING,
    formats=("monit", "systemd"),
    has_fix=True,
)
def find_monit_via_initscripts(host: Host) -> Iterator[Finding]:
    """What it does: flags a monit check whose programs run an init script.

    The start, stop or restart program is ``/etc/init.d/web start`` or
    ``service web start`` (and the start program does not run the daemon itself).

    Why it matters: where systemd runs, the script is ``web.service`` (the package's
    unit, or systemd-sysv-generator's), and the script only works because the
    distribution's ``init-functions`` hand the request to ``systemctl``: a script that
    does not, or a host where that hook is gone, starts a second copy outside systemd,
    which then neither restarts nor stops it. A check whose start program runs the
    daemon itself is SV401's concern, not this rule's.

    Example:
        ```monit monitrc
        check process web with pidfile /run/web.pid
          start program = "/etc/init.d/web start"
          stop program = "/etc/init.d/web stop"
        ```

    Use instead:
        ```monit monitrc
        check process web with pidfile /run/web.pid
          start program = "/usr/bin/systemctl start web"
          stop program = "/usr/bin/systemctl stop web"
        ```

    Fix: rewords the start, stop and restart programs to ``/usr/bin/systemctl VERB
    NAME``; safe when ``NAME.service`` is in the input (the redirect did exactly that),
    unsafe otherwise (a host without systemd has no systemctl).
    """
    has_units = systemd_names(host)
    for check in monit_processes(host):
        scripts = _script_requests(check)
        if not scripts or _runs_daemon(check):
            continue
        field, first = scripts[0]
        has_unit = first.name in has_units
        yield Finding(
            span=where(check, field),
            service=check.name,
            message=_message(field, first, has_unit=has_unit),
            fix=_fix(check, scripts, is_safe=has_unit),
        )


def _script_requests(check: Service) -> list[tuple[str, Request]]:
    """The check's programs that run an init script, by field, in start-stop-restart order."""
    found = []
    for field in PROGRAMS:
        command = program(check, field)
        asked = request(command.argv) if command is not None else None
        if asked is not None and asked.runs_init_script:
            found.append((field, asked))
    return found


def _runs_daemon(check: Service) -> bool:
    """Whether the start program runs the daemon itself rather than asking a manager."""
    return check.start is not None and request(check.start.argv) is None


def _message(field: str, asked: Request, *, has_unit: bool) -> str:
    how = f"{field.removesuffix('_command')} program runs the init script of {asked.name}"
    unit = f"{asked.name}.service"
    if has_unit:
        how += f", which reaches {unit} only through init-functions' redirect to systemctl"
    else:
        how += f"; under systemd that script is {unit}"
    return f"{how}: use {SYSTEMCTL} {asked.systemctl_verb} {asked.name}"


def _fix(check: Service, scripts: list[tuple[str, Request]], *, is_safe: bool) -> Fix | None:
    edits: list[Edit] = []
    for field, asked in scripts:
        edit = reworded(check, field, (SYSTEMCTL, asked.systemctl_verb, asked.name))
        if edit is None:
            return None
        edits.append(edit)
    return Fix(
        description=f"start and stop {scripts[0][1].name} with systemctl",
        edits=tuple(edits),
        is_safe=is_safe,
    )
