"""Write the supervision model as monit control files.

One ``NAME.monitrc`` per service (for ``/etc/monit/conf.d``), and ``monitrc`` for the
supervisor-wide settings when the model has any. Imports: model, loss, formats/monit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import replace

from translator.diagnostics import Severity
from translator.formats._options import EmitOptions
from translator.formats._shell import through_shell
from translator.formats.monit import quoting
from translator.formats.monit.parse import DEFAULT_CYCLE_SECONDS
from translator.loss import LossLog
from translator.model import (
    INSTANCE_VARIABLE,
    Action,
    AttributeProbe,
    Binding,
    Command,
    ExistenceProbe,
    HealthCheck,
    Host,
    NetworkProbe,
    ResourceProbe,
    RestartWhen,
    Service,
    ServiceKind,
)

FORMAT = "monit"
PROGRAM_TIMEOUT = "program timeout"
START_STOP_DAEMON = "/sbin/start-stop-daemon"
_MONIT_NAME_REFUSES = re.compile(r"[^A-Za-z0-9._-]")
MAX_CYCLES = 64

_ACTION_WORDS = {
    Action.ALERT: "alert",
    Action.RESTART: "restart",
    Action.START: "start",
    Action.STOP: "stop",
    Action.UNMONITOR: "unmonitor",
    Action.GIVE_UP: "timeout",
}
_PATH_KINDS = {
    ServiceKind.FILE: "file",
    ServiceKind.FIFO: "fifo",
    ServiceKind.DIRECTORY: "directory",
    ServiceKind.FILESYSTEM: "filesystem",
    ServiceKind.PROGRAM: "program",
}
_ERE_SPECIAL = re.compile(r"([.\[\]()*+?{}|^$\\])")


def emit(host: Host, options: EmitOptions, losses: LossLog) -> dict[str, str]:
    """Return ``{file name: text}`` for every service of ``host``."""
    files: dict[str, str] = {}
    losses.foreign_extras(host.extras, target=FORMAT, action="left out")
    settings = list(_settings(host))
    if settings:
        files["monitrc"] = _file(options.header, settings)
    cycle = host.probe_interval or options.poll_interval or DEFAULT_CYCLE_SECONDS
    host = _with_monit_names(host, losses)
    for service in host.services:
        if service.kind is ServiceKind.LISTENER:
            losses.not_written(service, target=FORMAT, action="left out")
            continue
        if service.runs_once:
            losses.unsupported(
                service.origin,
                "runs_once",
                service=service.name,
                code="SV705",
                reason="monit keeps processes up: it would start a one-shot task again every cycle",
                action="no check written; leave the task to its timer or cron",
                located_at="daemonizes",
                also=("service",),
            )
            continue
        if service.is_process and service.daemonizes is False:
            # no supervisor drives it (--monit-owns-process, or an init script's daemon)
            service = _in_background(service, losses)
        files[f"{service.name}.monitrc"] = _file(
            options.header, list(_service(service, host.services, cycle, losses))
        )
    return files


def _with_monit_names(host: Host, losses: LossLog) -> Host:
    """Rename services whose names monit refuses (``tor@default``), dependencies too."""
    names = {s.name: _MONIT_NAME_REFUSES.sub("_", s.name) for s in host.services}
    if all(old == new for old, new in names.items()):
        return host
    services = []
    for service in host.services:
        if names[service.name] != service.name:
            losses.unsupported(
                service.origin,
                "name",
                service=service.name,
                code="SV710",
                severity=Severity.INFO,
                action=f"named {names[service.name]}",
                reason="a monit check name holds letters, digits, . _ - only",
            )
        dependencies = tuple(
            replace(d, name=names.get(d.name, d.name)) for d in service.dependencies
        )
        services.append(replace(service, name=names[service.name], dependencies=dependencies))
    return host.with_services(tuple(services))


def _in_background(service: Service, losses: LossLog) -> Service:
    """Run a foreground program under start-stop-daemon, which monit can start and stop.

    start-stop-daemon backgrounds it and writes its pidfile (staying root for that, and
    switching the program to its user with --chuid); stopping sends the stop signal,
    waits the stop timeout, then kills, as the source supervisor did.
    """
    assert service.start is not None
    pidfile = service.pidfile or f"/run/{service.name}.pid"
    start = [START_STOP_DAEMON, "--start", "--background", "--make-pidfile", "--pidfile", pidfile]
    if service.working_directory:
        start += ["--chdir", service.working_directory]
    identity = [
        name
        for name in (service.user or service.start.user, service.group or service.start.group)
        if name
    ]
    if identity:
        start += ["--chuid", ":".join(identity)]
    argv = service.start.argv
    program = argv if argv[0].startswith("/") else ("/usr/bin/env", *argv)
    start += ["--startas", program[0], "--", *program[1:]]
    signal = (service.stop_signal or "SIGTERM").removeprefix("SIG")
    wait = f"{service.stop_timeout or 10:g}"
    stop = service.stop or Command(
        argv=(
            START_STOP_DAEMON,
            "--stop",
            "--pidfile",
            pidfile,
            "--remove-pidfile",
            "--retry",
            f"{signal}/{wait}/KILL/5",
        )
    )
    losses.unsupported(
        service.origin,
        "start",
        service=service.name,
        code="SV721",
        severity=Severity.INFO,
        also=(
            "daemonizes",
            "pidfile",
            "working_directory",
            "stop",
            "stop_signal",
            "stop_timeout",
            "user",
            "group",
        ),
        reason="monit needs a start program that returns",
        action=f"start-stop-daemon runs it in the background with pidfile {pidfile}",
    )
    started = Command(
        argv=tuple(start),
        timeout=service.start.timeout,
        expands_variables=service.start.expands_variables,  # the shell expands them
        origin=service.start.origin,
    )
    return replace(
        service,
        start=started,
        stop=stop,
        daemonizes=True,
        pidfile=pidfile,
        working_directory=None,
        stop_signal=None,
        stop_timeout=None,
        match_pattern=None,
        user=None,
        group=None,
    )


def _file(header: str, lines: list[str]) -> str:
    prefix = [f"# {line}".rstrip() for line in header.splitlines()]
    return "\n".join([*prefix, *lines]) + "\n"


def _settings(host: Host) -> Iterator[str]:
    if host.probe_interval is not None:
        delay = f" with start delay {host.start_delay:g}" if host.start_delay else ""
        yield f"set daemon {host.probe_interval:g}{delay}"
    for alert in host.alerts:
        yield f"set {_alert(alert.recipient, alert.events, alert.is_exclusion)}"
    for extra in host.extras:
        if extra.format == FORMAT:
            yield extra.value


def _service(
    service: Service, services: tuple[Service, ...], cycle: float, losses: LossLog
) -> Iterator[str]:
    _report_unsupported(service, losses)
    yield from (f"# {c.body}".rstrip() for c in service.comments if c.format != FORMAT)
    yield _check_line(service, losses)
    yield from (f"  group {group}" for group in service.groups)
    yield from _programs(service, losses)
    for check in service.health_checks:
        line = _if(check, service, losses)
        if line:
            yield f"  {line}"
    yield from _limits(service, cycle, losses)
    yield from _dependencies(service, {s.name for s in services}, losses)
    if service.is_process and service.restart.when is RestartWhen.NEVER:
        yield "  mode passive"
    if not service.enabled_at_boot:
        yield "  onreboot nostart"
    yield from (f"  {_alert(a.recipient, a.events, a.is_exclusion)}" for a in service.alerts)
    yield from _extras(service, losses)


def _programs(service: Service, losses: LossLog) -> Iterator[str]:
    """Start, stop and restart programs, run as the service's user unless they say."""
    for slot, word in (("start", "start"), ("stop", "stop"), ("restart_command", "restart")):
        command: Command | None = getattr(service, slot)
        if command is None:
            continue
        if command.expands_variables:
            command = _through_shell(command, service, slot, losses)
        if service.user and not command.user:
            command = replace(command, user=service.user, group=command.group or service.group)
        if slot == "stop" and service.stop_timeout is not None:
            if command.timeout not in (None, service.stop_timeout):
                losses.unsupported(
                    command.origin,
                    "stop.timeout",
                    service=service.name,
                    code="SV710",
                    severity=Severity.INFO,
                    reason="monit has one stop timeout",
                    action="the service's stop timeout is used",
                )
            command = replace(command, timeout=service.stop_timeout)
        line = _program(word, command, service, slot, losses)
        if line:
            yield f"  {line}"


def _dependencies(service: Service, defined: set[str], losses: LossLog) -> Iterator[str]:
    """Write depends-on for checks this file defines (monit refuses any other).

    A weak dependency is left out: monit would also stop this check with it.
    """
    for dependency in service.dependencies:
        if dependency.binding in _WEAK:
            losses.unsupported(
                dependency.origin,
                "dependencies",
                service=service.name,
                code="SV708",
                severity=Severity.INFO,
                reason=f"monit has only strong dependencies, and {dependency.name} is "
                f"{_WEAK[dependency.binding]}, not needed",
                action="left out",
            )
        elif dependency.name not in defined:
            losses.unsupported(
                dependency.origin,
                "dependencies",
                service=service.name,
                code="SV708",
                reason=f"monit can only depend on a check of its own, not {dependency.name}",
                action="left out",
            )
    needed = [d for d in service.dependencies if d.binding not in _WEAK]
    if known := [d.name for d in needed if d.name in defined]:
        yield "  depends on " + ", ".join(known)


_WEAK = {Binding.WANTS: "wanted", Binding.ORDERS: "only ordered after"}
_NO_EQUIVALENT = {
    "description": "a description",
    "working_directory": "a working directory",
    "umask": "a umask",
    "environment": "environment variables",
    "environment_files": "environment files",
    "stdout": "output redirection",
    "stderr": "error output redirection",
    "stop_signal": "a stop signal (it runs the stop program)",
    "reload": "a reload command",
    "stops_process_group": "process-group signalling",
    "kills_process_group": "process-group killing",
    "min_uptime": "a minimum uptime for a start to count",
    "start_order": "start priorities (use depends on)",
    "sockets": "sockets handed to the process on its standard input",
    "hooks": "commands run before or after the start and after the stop",
    "limits": "resource limits (a usage test can only alert or restart)",
}


def _report_unsupported(service: Service, losses: LossLog) -> None:
    """Record each field of ``service`` that a monit check has no statement for."""
    for name, what in _NO_EQUIVALENT.items():
        if getattr(service, name) not in (None, (), ""):
            losses.unsupported(
                service.origin,
                name,
                service=service.name,
                code="SV710",
                reason=f"monit has nowhere to put {what}",
                action="left out",
            )
    if service.stop_timeout is not None and service.stop is None:
        losses.unsupported(
            service.origin,
            "stop_timeout",
            service=service.name,
            code="SV710",
            reason="monit waits for a stop program, and there is none",
            action="left out",
            severity=Severity.INFO,
        )
    if service.success_exit_codes != (0,):
        losses.unsupported(
            service.origin,
            "success_exit_codes",
            service=service.name,
            code="SV710",
            severity=Severity.INFO,
            action="left out",
            reason="monit does not look at how a process exits",
        )
    if service.restart.when is RestartWhen.ON_FAILURE:
        losses.unsupported(
            service.restart.origin,
            "restart.when",
            service=service.name,
            code="SV710",
            severity=Severity.INFO,
            action="restarts always",
            reason="monit restarts a missing process whatever its exit status",
        )
    if service.restart.delay is not None:
        losses.unsupported(
            service.restart.origin,
            "restart.delay",
            service=service.name,
            code="SV710",
            severity=Severity.INFO,
            action="left out",
            reason="monit restarts at its next cycle, with no delay of its own",
        )
    if service.instances > 1:
        losses.unsupported(
            service.origin,
            "instances",
            service=service.name,
            code="SV710",
            reason=f"monit runs one process per check, not {service.instances}",
            action="one check written",
            also=("first_instance", "instance_format"),
        )
    if service.is_process and service.daemonizes is False:
        losses.unsupported(
            service.origin,
            "daemonizes",
            service=service.name,
            code="SV715",
            reason="monit waits for a start program to return, and this one runs in the foreground",
            action="kept as is; monit reports a start timeout until it daemonizes",
        )


def _through_shell(command: Command, service: Service, slot: str, losses: LossLog) -> Command:
    losses.unsupported(
        command.origin,
        f"{slot}.argv",
        service=service.name,
        code="SV716",
        severity=Severity.INFO,
        action="runs it through /bin/sh -c",
        reason="monit does not expand $VARIABLES in a program",
        also=(f"{slot}.expands_variables",),
    )
    argv = through_shell(command.argv, service.environment_files)
    return replace(command, argv=argv, expands_variables=False)


def _check_line(service: Service, losses: LossLog) -> str:
    if service.kind is ServiceKind.PROCESS:
        return f"check process {service.name} {_process_match(service, losses)}"
    if service.kind in _PATH_KINDS:
        line = f'check {_PATH_KINDS[service.kind]} {service.name} with path "{service.target}"'
        timeout = next((e.value for e in service.extras if e.key == PROGRAM_TIMEOUT), None)
        return f"{line} with timeout {timeout} seconds" if timeout else line
    if service.kind is ServiceKind.HOST:
        return f"check host {service.name} with address {service.target}"
    if service.kind is ServiceKind.NETWORK:
        return f"check network {service.name} with interface {service.target}"
    return f"check system {service.name}"


def _process_match(service: Service, losses: LossLog) -> str:
    """Say how monit finds the process: its pidfile, else a pattern on its command line."""
    if service.pidfile:
        return f'with pidfile "{service.pidfile}"'
    pattern = service.match_pattern
    if pattern is None:
        pattern = pattern_for(service.start.argv if service.start else (service.name,))
        losses.unsupported(
            service.origin,
            "match_pattern",
            service=service.name,
            code="SV711",
            severity=Severity.INFO,
            reason="no pidfile to find the process by",
            action=f'monit matches its command line against "{pattern}"',
        )
    return f'matching "{pattern}"'


def pattern_for(argv: tuple[str, ...], *, instance: str = "[0-9]+") -> str:
    """Return a monit ``matching`` pattern for the process that ``argv`` starts.

    monit matches against the process's command line as ps shows it, which is argv
    joined by blanks, so the whole of it is matched (a bare program name would also
    match every other process of that program).
    """
    literal = []
    for word in argv:  # up to the first $VARIABLE: its value is not known here
        if "$" in word.replace("${" + INSTANCE_VARIABLE + "}", ""):
            break
        literal.append(word)
    shown = " ".join(literal or argv[:1])  # how ps prints argv, not a command to run
    reference = _ERE_SPECIAL.sub(r"\\\1", "${" + INSTANCE_VARIABLE + "}")
    return "^" + _ERE_SPECIAL.sub(r"\\\1", shown).replace(reference, instance)


def _program(
    word: str, command: Command, service: Service, slot: str, losses: LossLog
) -> str | None:
    if not quoting.can_join(command.argv):
        losses.unsupported(
            command.origin,
            slot,
            service=service.name,
            code="SV702",
            reason=f"monit cannot quote the {word} program {command.argv!r}",
            action="left out",
            also=("service",) if slot == "start" else (),  # a check that cannot start it
        )
        return None
    parts = [f'{word} program = "{quoting.join(command.argv)}"']
    if command.user:
        parts.append(f"as uid {command.user}")
    if command.group:
        parts.append(f"and gid {command.group}" if command.user else f"as gid {command.group}")
    if command.timeout is not None and math.isinf(command.timeout):
        losses.unsupported(
            command.origin,
            f"{slot}.timeout",
            service=service.name,
            code="SV710",
            severity=Severity.INFO,
            reason="monit waits a finite time for a program",
            action="monit's default timeout applies",
        )
    elif command.timeout is not None:
        parts.append(f"with timeout {command.timeout:g} seconds")
    return " ".join(parts)


def _if(check: HealthCheck, service: Service, losses: LossLog) -> str | None:
    test = _test(check)
    if not quoting.can_join(check.action_argv or ("x",)):
        losses.unsupported(
            check.origin,
            "health_checks",
            service=service.name,
            code="SV702",
            reason="monit cannot quote the exec program",
            action="left out",
        )
        return None
    rate = ""
    if check.window > 1 and check.window != check.failures:
        rate = f" for {check.failures} times within {check.window} cycles"
    elif check.failures > 1:
        rate = f" for {check.failures} cycles"
    line = f"if {test}{rate} then {_action(check.action, check.action_argv)}"
    if check.action_user:
        line += f" as uid {check.action_user}"
    if check.action_group:
        line += (
            f" and gid {check.action_group}"
            if check.action_user
            else f" as gid {check.action_group}"
        )
    if check.action_repeat:
        line += f" repeat every {check.action_repeat} cycles"
    if check.recovery is not None:
        line += f" else if succeeded then {_action(check.recovery, check.recovery_argv)}"
    return line


def _action(action: Action, argv: tuple[str, ...]) -> str:
    if action is Action.EXEC:
        return f'exec "{quoting.join(argv)}"'
    return _ACTION_WORDS[action]


def _test(check: HealthCheck) -> str:
    probe = check.probe
    if isinstance(probe, NetworkProbe):
        return _network_test(probe)
    if isinstance(probe, ResourceProbe):
        unit = probe.unit if probe.unit in ("", "%") else f" {_unit_word(probe.unit)}"
        return f"{probe.metric} {probe.operator} {probe.limit:g}{unit}"
    if isinstance(probe, ExistenceProbe):
        return "exist" if probe.expect_exists else "not exist"
    return _attribute_test(probe)


def _network_test(probe: NetworkProbe) -> str:
    details = dict(probe.details)
    if probe.transport == "url":
        options = f" {details['options']}" if "options" in details else ""
        return f"failed url {details['url']}{options}"
    if probe.transport == "icmp":
        count = f" count {details['count']}" if "count" in details else ""
        return f"failed icmp type echo{count}"
    parts = ["failed"]
    if probe.host:
        parts.append(f"host {probe.host}")
    parts.append(f"unixsocket {probe.socket_path}" if probe.socket_path else f"port {probe.port}")
    if probe.transport != "tcp":
        parts.append(f"type {probe.transport}")
    if probe.protocol:
        parts.append(f"protocol {probe.protocol}")
    if probe.request:
        parts.append(f'request "{probe.request}"')
    if probe.expect_status is not None:
        parts.append(f"status = {probe.expect_status}")
    # monit reads http headers and content after the request (its grammar's order)
    order = ("headers", "content")
    for key, value in sorted(
        probe.details, key=lambda d: order.index(d[0]) if d[0] in order else -1
    ):
        parts.append(f"{'http headers' if key == 'headers' else key} {value}")
    if probe.timeout is not None:
        parts.append(f"with timeout {probe.timeout:g} seconds")
    return " ".join(parts)


def _unit_word(unit: str) -> str:
    """Byte units read best in capitals (MB); time units stay words (minutes)."""
    return unit.upper() if unit in ("b", "kb", "mb", "gb") else unit


def _attribute_test(probe: AttributeProbe) -> str:
    if probe.changed:
        return f"changed {probe.attribute}"
    if probe.attribute == "status":
        return f"status {probe.operator or '=='} {probe.expected}"
    if probe.attribute == "content":
        return f'{"not " if probe.negated else ""}match "{probe.expected}"'
    if probe.attribute == "link" and probe.expected:
        return f"link {probe.expected}"
    if probe.attribute == "checksum":
        words = (probe.expected or "").split()
        hash_type = f"{words.pop(0)} " if words and words[0].lower() in ("md5", "sha1") else ""
        expect = f" expect {words[0]}" if words else ""
        return f"failed {hash_type}checksum{expect}"
    expected = f" {probe.expected}" if probe.expected else ""
    return f"failed {probe.attribute}{expected}"


def _limits(service: Service, cycle: float, losses: LossLog) -> Iterator[str]:
    limit = service.start_limit
    if limit is None:
        return
    wanted = max(1, round((limit.interval or 0) / cycle))
    cycles = min(MAX_CYCLES, max(wanted, limit.burst))
    if limit.interval is None or cycles * cycle != limit.interval:
        losses.unsupported(
            limit.origin,
            "start_limit.interval",
            service=service.name,
            code="SV710",
            severity=Severity.INFO,
            action=f"counted over {cycles} cycles of {cycle:g}s",
            reason=f"monit counts restarts in whole cycles (1 to {MAX_CYCLES}, at least one "
            f"per restart), not {_interval(limit.interval)}",
        )
    word = "unmonitor" if limit.action is Action.GIVE_UP else _ACTION_WORDS[limit.action]
    yield f"  if {limit.burst} restarts within {cycles} cycles then {word}"


def _interval(seconds: float | None) -> str:
    return "failed starts in a row" if seconds is None else f"{seconds:g}s"


def _alert(recipient: str, events: tuple[str, ...], is_exclusion: bool) -> str:
    if not events:
        return f"alert {recipient}"
    negation = "not " if is_exclusion else ""
    return f"alert {recipient} {negation}on {{ {', '.join(events)} }}"


def _extras(service: Service, losses: LossLog) -> Iterator[str]:
    for extra in service.extras:
        if extra.format == FORMAT and extra.key != PROGRAM_TIMEOUT:
            yield f"  {extra.value}"
    losses.foreign_service_extras(service, target=FORMAT, action="left out")
