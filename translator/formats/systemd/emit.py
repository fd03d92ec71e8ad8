"""Write the supervision model as systemd service units.

One ``NAME.service`` per supervised process. What a unit cannot hold (probes, alerts,
file checks, groups) goes to the loss log; with ``companion=True`` the caller keeps it
working in a companion monit check. Imports: model, loss, formats/systemd.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import replace

from translator.diagnostics import Severity
from translator.formats._options import WATCHER, EmitOptions
from translator.formats.systemd import quoting
from translator.formats.systemd.control import group_target, unit_name, wrapped_unit
from translator.formats.systemd.parse import (
    CGROUP_LIMITS,
    DEFAULT_RESTART_DELAY,
    DEFAULT_TIMEOUT,
    DEFAULTS,
    PREFIX_SUFFIX,
    RLIMITS,
    SPECIFIER_VARIABLE,
    TEMPLATE_KEY,
)
from translator.loss import LossLog
from translator.model import (
    INSTANCE_VARIABLE,
    Action,
    Binding,
    Command,
    Comment,
    HookTime,
    Host,
    Output,
    RestartWhen,
    Service,
)

FORMAT = "systemd"
_RESTART_VALUES = {RestartWhen.ALWAYS: "always", RestartWhen.ON_FAILURE: "on-failure"}
_HOST_SPECIFIER = re.compile(r"\$\{" + SPECIFIER_VARIABLE + r"(\w)\}")
_OUTPUTS = {"file": "append:", "managed": "journal"}
_START_LIMIT_IN_UNIT = 230
"""The systemd that reads [Unit] StartLimitIntervalSec=; older: [Service] StartLimitInterval=."""
_APPEND_OUTPUT = 240
"""The systemd that knows StandardOutput=append:PATH."""
_BINDING_KEYS = {Binding.WANTS: "Wants", Binding.REQUIRES: "Requires", Binding.BINDS: "BindsTo"}
"""Where each binding is written; an ORDERS dependency is only in After=."""
_HOOK_KEYS = {
    HookTime.BEFORE_START: "ExecStartPre",
    HookTime.AFTER_START: "ExecStartPost",
    HookTime.AFTER_STOP: "ExecStopPost",
}
_LIMIT_KEYS = {
    **{name.lower(): f"Limit{name}" for name in RLIMITS},
    **{resource: key for key, resource in CGROUP_LIMITS.items()},
}


def emit(host: Host, options: EmitOptions, losses: LossLog) -> dict[str, str]:
    """Return ``{unit file name: text}`` for the processes of ``host``."""
    # A dependency on a process is on its unit; on a watched-only check it is lost; on
    # anything this input does not define it is taken to be a unit of that name.
    units = {s.name: unit_name(s) if s.is_process else None for s in host.services}
    units |= {s.name: f"{s.name}.target" for s in host.services if s.instances > 1}
    files: dict[str, str] = {}
    _report_host(host, losses)
    for service in host.services:
        _report_monitoring(service, options, losses)
        if not service.is_process:
            continue
        if service.start is None and not service.runs_once:  # systemd would refuse it
            losses.no_start(service, written="unit")
            continue
        wrapped = wrapped_unit(service)
        if wrapped is not None:
            losses.unsupported(
                service.origin,
                "service",
                service=service.name,
                code="SV703",
                severity=Severity.INFO,
                located_at="start",
                reason=f"the start program only starts {wrapped}.service, which systemd "
                "already has (an init script becomes a unit of the same name)",
                action=_kept(options, "no unit written; restarts stay with monit"),
            )
            continue
        if service.sockets:
            files[f"{service.name}.socket"] = _socket_unit(service, options)
        if service.instances > 1:
            files |= _template(service, host, units, options, losses)
        elif _is_template(service):  # instances named elsewhere (tor@default.service)
            # named NAME@ when NAME.service was read beside it
            template = f"{service.name.removesuffix('@')}@.service"
            files[template] = _unit(service, host, units, options, losses)
        else:
            files[f"{service.name}.service"] = _unit(service, host, units, options, losses)
    files.update(_group_targets(host, files, options))
    files.update(_kept_units(host, options))
    return files


def _kept_units(host: Host, options: EmitOptions) -> dict[str, str]:
    """Write back the units the model has no place for (timers, paths, …) as read."""
    units: dict[str, dict[str, list[str]]] = {}
    for extra in host.extras:
        if extra.format == FORMAT and extra.file:
            section, _, key = extra.key.partition(".")
            units.setdefault(extra.file, {}).setdefault(section, []).append(f"{key}={extra.value}")
    header = [f"# {line}".rstrip() for line in options.header.splitlines()]
    files = {}
    for name, sections in units.items():
        body = ["\n".join([f"[{section}]", *entries]) for section, entries in sections.items()]
        lines = "\n\n".join(body).splitlines()
        comments = tuple(c for c in host.comments if c.file == name)
        files[name] = "\n".join([*header, *_with_comments(lines, comments)]) + "\n"
    return files


def _socket_unit(service: Service, options: EmitOptions) -> str:
    """Write a socket unit whose listening sockets systemd hands the service on stdin."""
    lines = [f"# {line}".rstrip() for line in options.header.splitlines()]
    lines += ["[Unit]", f"Description=Sockets of {service.name}", "", "[Socket]"]
    for socket in service.sockets:
        lines.append(f"ListenStream={socket.address}")
        lines += [
            f"{key}={value}"
            for key, value in (
                ("SocketUser", socket.owner),
                ("SocketGroup", socket.group),
                ("SocketMode", socket.mode),
                ("Backlog", socket.backlog),
            )
            if value is not None
        ]
    lines += ["", "[Install]", "WantedBy=sockets.target"]
    comments = tuple(c for c in service.comments if c.file == f"{service.name}.socket")
    return "\n".join(_with_comments(lines, comments)) + "\n"


_UNIT_SUFFIXES = (
    ".service",
    ".socket",
    ".target",
    ".mount",
    ".path",
    ".timer",
    ".slice",
    ".device",
    ".swap",
    ".scope",
    ".automount",
)


def _unit_file(name: str) -> str:
    """Name the unit a dependency means: a service by its name, other units as written."""
    return name if name.endswith(_UNIT_SUFFIXES) else f"{name}.service"


def _is_template(service: Service) -> bool:
    """Whether a command refers to the instance, which only a template unit can give."""
    if any(e.format == FORMAT and e.key == TEMPLATE_KEY for e in service.extras):
        return True
    reference = "${" + INSTANCE_VARIABLE + "}"
    commands = (service.start, service.stop, service.reload)
    return any(reference in word for c in commands if c is not None for word in c.argv)


def _template(
    service: Service,
    host: Host,
    units: dict[str, str | None],
    options: EmitOptions,
    losses: LossLog,
) -> dict[str, str]:
    """Several instances: a template unit NAME@.service and NAME.target wanting each one."""
    names = [
        f"{service.name}@{service.instance_format % number}.service"
        for number in range(service.first_instance, service.first_instance + service.instances)
    ]
    losses.unsupported(
        service.origin,
        "instances",
        service=service.name,
        code="SV722",
        severity=Severity.INFO,
        also=("first_instance", "instance_format"),
        reason=f"systemd runs {service.instances} instances from a template",
        action=f"{service.name}.target wants {', '.join(names)}",
    )
    member = replace(service, enabled_at_boot=False, groups=(*service.groups, service.name))
    header = [f"# {line}".rstrip() for line in options.header.splitlines()]
    install = ["", "[Install]", "WantedBy=multi-user.target"] if service.enabled_at_boot else []
    target = [
        *header,
        "[Unit]",
        f"Description=Instances of {service.name}",
        f"Wants={' '.join(names)}",
        *install,
    ]
    return {
        f"{service.name}@.service": _unit(member, host, units, options, losses),
        f"{service.name}.target": "\n".join(target) + "\n",
    }


def _group_targets(host: Host, files: dict[str, str], options: EmitOptions) -> dict[str, str]:
    """Write a target per service group: it starts the members, which are PartOf it."""
    members: dict[str, list[str]] = {}
    for service in host.services:
        unit = f"{service.name}.service"
        if f"{service.name}@.service" in files:
            unit = f"{service.name}.target"
        if unit in files:
            for group in service.groups:
                members.setdefault(group, []).append(unit)
    header = [f"# {line}".rstrip() for line in options.header.splitlines()]
    return {
        group_target(group): "\n".join(
            [
                *header,
                "[Unit]",
                f"Description=Service group {group}",
                f"Wants={' '.join(units)}",
            ]
        )
        + "\n"
        for group, units in members.items()
    }


def _kept(options: EmitOptions, what: str = "kept in companion monit check") -> str:
    return what if options.companion else "dropped (--health-checks drop)"


def _report_host(host: Host, losses: LossLog) -> None:
    """Record supervisor-wide settings of the source that no unit carries."""
    where = "left to the source supervisor's own configuration"
    if host.start_delay:
        losses.unsupported(
            host.origin,
            "start_delay",
            service="",
            code="SV713",
            severity=Severity.INFO,
            action=where,
            reason=f"systemd has no start delay of {host.start_delay:g}s",
        )
    for alert in host.alerts:
        losses.unsupported(
            alert.origin,
            "alerts",
            service="",
            code="SV706",
            severity=Severity.INFO,
            action=where,
            reason=f"systemd cannot send alerts to {alert.recipient}",
        )
    losses.foreign_extras(host.extras, target=FORMAT, action=where)


def _report_monitoring(service: Service, options: EmitOptions, losses: LossLog) -> None:
    """Record everything a unit cannot hold about watching ``service``."""
    if not service.is_process:
        losses.not_written(service, target=FORMAT, action=_kept(options))
        return
    losses.checks_and_alerts(service, target=FORMAT, action=_kept(options))
    kept = (WATCHER, _kept(options))
    losses.foreign_service_extras(service, target=FORMAT, action="left out", elsewhere=kept)


def _unit(
    service: Service,
    host: Host,
    units: dict[str, str | None],
    options: EmitOptions,
    losses: LossLog,
) -> str:
    lines = [f"# {line}".rstrip() for line in options.header.splitlines()]
    extras = _own_extras(service)
    after = _ordering(host, units).get(service.name, [])
    version = options.systemd_version
    unit_lines = [
        *_unit_section(service, units, after, losses, version),
        *extras.pop("Unit", []),
    ]
    if unit_lines:
        lines += ["[Unit]", *unit_lines, ""]
    service_lines = [*_service_section(service, losses, version), *extras.pop("Service", [])]
    lines += ["[Service]", *service_lines]
    wanted = ["WantedBy=multi-user.target"] if service.enabled_at_boot else []
    extras["Install"] = wanted + extras.get("Install", [])
    for section, entries in extras.items():
        if entries:
            lines += ["", f"[{section}]", *entries]
    own = tuple(c for c in service.comments if not c.file)
    return "\n".join(_with_comments(lines, own)) + "\n"


def _with_comments(lines: list[str], comments: tuple[Comment, ...]) -> list[str]:
    """Put each comment back before the setting (or section header) it came before.

    One whose setting is not written goes to the end, so none is dropped.
    """
    waiting: dict[str, list[str]] = {}
    for comment in comments:
        if comment.format == FORMAT:
            waiting.setdefault(comment.before, []).append(comment.text)
    placed, section = [], ""
    for line in lines:
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            placed += waiting.pop(line, [])
        elif "=" in line and not line.startswith("#"):
            placed += waiting.pop(f"{section}.{line.partition('=')[0]}", [])
        placed.append(line)
    return placed + [text for texts in waiting.values() for text in texts]


def _own_extras(service: Service) -> dict[str, list[str]]:
    """Collect the systemd settings the model has no field for, as lines per section."""
    sections: dict[str, list[str]] = {}
    for extra in service.extras:
        if extra.format == FORMAT:
            if extra.key.endswith(PREFIX_SUFFIX) or extra.key in (TEMPLATE_KEY, "Service.Type"):
                continue  # written on its Exec line, in the file name or as the Type=
            section, _, key = extra.key.partition(".")
            sections.setdefault(section, []).append(f"{key}={extra.value}")
    return sections


def _unit_section(
    service: Service,
    units: dict[str, str | None],
    after: list[str],
    losses: LossLog,
    version: int,
) -> Iterator[str]:
    if service.description:
        yield f"Description={service.description}"
    if version >= _START_LIMIT_IN_UNIT:
        yield from _start_limit(service, losses, "StartLimitIntervalSec")
    yield from _dependencies(service, units, after, losses)
    if service.start_order is not None:
        losses.unsupported(
            service.origin,
            "start_order",
            service=service.name,
            code="SV718",
            severity=Severity.INFO,
            reason="systemd has no start priorities",
            action="After= the units with a lower one" if after else "nothing to order after",
            also=("dependencies",) if after else (),
        )


def _dependencies(
    service: Service, units: dict[str, str | None], after: list[str], losses: LossLog
) -> Iterator[str]:
    """Write Wants=/Requires=/BindsTo=, the group's PartOf= and After= in input order."""
    needed: dict[Binding, list[str]] = {binding: [] for binding in _BINDING_KEYS}
    ordered_units = []
    for dependency in service.dependencies:
        unit = units.get(dependency.name, _unit_file(dependency.name))
        if unit is not None:
            needed.setdefault(dependency.binding, []).append(unit)
            if dependency.is_ordered:
                ordered_units.append(unit)
        else:
            losses.unsupported(
                dependency.origin,
                "dependencies",
                service=service.name,
                code="SV708",
                reason=f"{dependency.name} is not a process systemd runs",
                action="kept in companion monit check",
            )
    for binding, key in _BINDING_KEYS.items():
        if needed[binding]:
            yield f"{key}={' '.join(needed[binding])}"
    if service.groups:
        yield f"PartOf={' '.join(group_target(group) for group in service.groups)}"
    if ordered := list(dict.fromkeys([*ordered_units, *after])):  # in the input's order
        yield f"After={' '.join(ordered)}"


def _start_limit(service: Service, losses: LossLog, interval_key: str) -> Iterator[str]:
    limit = service.start_limit
    if limit is None or _unsaid_default(service, "start_limit", limit):
        return
    interval = limit.interval
    if interval is None:
        # Failed starts in a row: each takes about the minimum uptime plus RestartSec=1.
        interval = limit.burst * ((service.min_uptime or 0) + 1) + 1
        losses.unsupported(
            limit.origin,
            "start_limit.interval",
            service=service.name,
            code="SV714",
            severity=Severity.INFO,
            reason="systemd counts starts within an interval, not failed starts in a row",
            action=f"{interval_key}={_span_text(interval)}",
        )
    yield f"{interval_key}={_span_text(interval)}"
    yield f"StartLimitBurst={limit.burst}"
    if limit.action is not Action.GIVE_UP:
        minor = limit.action in (Action.UNMONITOR, Action.STOP)
        losses.unsupported(
            limit.origin,
            "start_limit.action",
            service=service.name,
            code="SV714",
            severity=Severity.INFO if minor else Severity.WARNING,
            reason=f"systemd cannot {limit.action.value} at the start limit",
            action="it gives up instead: the unit enters the failed state",
        )


def _ordering(host: Host, units: dict[str, str | None]) -> dict[str, list[str]]:
    """For each service with a start order, the units of the next lower order."""
    orders = {
        s.name: s.start_order
        for s in host.services
        if s.start_order is not None and units.get(s.name)
    }
    after: dict[str, list[str]] = {}
    for name, order in orders.items():
        lower = [o for o in orders.values() if o < order]
        if lower:
            nearest = max(lower)
            after[name] = [
                u for n, o in orders.items() if o == nearest for u in [units[n]] if u is not None
            ]
    return after


def _service_section(service: Service, losses: LossLog, version: int) -> Iterator[str]:
    if service.daemonizes:
        yield "Type=forking"
    elif service.runs_once:
        yield "Type=oneshot"
    elif service.daemonizes is False:  # the kept Type= (notify, exec, …) says more
        yield f"Type={_prefixes(service, 'Type', suffix='') or 'simple'}"
    if service.pidfile:
        yield f"PIDFile={service.pidfile}"
    elif service.match_pattern:
        losses.unsupported(
            service.origin,
            "match_pattern",
            service=service.name,
            code="SV712",
            severity=Severity.INFO,
            reason="systemd tracks the main process itself, not by a pattern",
            action="pattern dropped; systemd guesses the main PID of the forked daemon",
        )
    yield from _identity(service, losses)
    yield from _environment(service, losses, version)
    yield from _commands(service, losses)
    if version < _START_LIMIT_IN_UNIT:  # [Service] and its old spelling, before 230
        yield from _start_limit(service, losses, "StartLimitInterval")
    yield from _restart(service, losses)
    yield from _stopping(service, losses)


def _restart(service: Service, losses: LossLog) -> Iterator[str]:
    if service.restart.when in _RESTART_VALUES:
        yield f"Restart={_RESTART_VALUES[service.restart.when]}"
    delay = service.restart.delay
    limit = service.start_limit
    if delay is None and limit is not None and limit.interval is None:
        delay = 1.0  # the pause the StartLimitIntervalSec above was sized for
        losses.unsupported(
            service.restart.origin,
            "restart.delay",
            service=service.name,
            code="SV714",
            severity=Severity.INFO,
            reason="systemd's default 100ms pause would use up the start limit at once",
            action="RestartSec=1",
        )
    if (delay is not None and delay != DEFAULT_RESTART_DELAY) or _said(service, "restart.delay"):
        yield f"RestartSec={_span_text(delay or 0)}"
    codes = service.success_exit_codes
    if codes != (0,):
        if other := [str(code) for code in codes if code != 0]:
            yield f"SuccessExitStatus={' '.join(other)}"
        if 0 not in codes:
            yield "RestartForceExitStatus=0"
            losses.unsupported(
                service.origin,
                "success_exit_codes",
                service=service.name,
                code="SV719",
                severity=Severity.INFO,
                reason="systemd always counts exit 0 as clean",
                action="RestartForceExitStatus=0 restarts it as if it had failed",
            )
    if service.min_uptime is not None:
        losses.unsupported(
            service.origin,
            "min_uptime",
            service=service.name,
            code="SV719",
            severity=Severity.INFO,
            action="left out",
            reason=f"systemd has no minimum uptime ({service.min_uptime:g}s) for a start to count",
        )


def _stopping(service: Service, losses: LossLog) -> Iterator[str]:
    if service.stop_signal and not _unsaid_default(service, "stop_signal", service.stop_signal):
        yield f"KillSignal={service.stop_signal}"
    timeout = service.stop_timeout
    if service.stop is not None and service.stop.timeout is not None:
        losses.unsupported(
            service.stop.origin,
            "stop.timeout",
            service=service.name,
            code="SV719",
            severity=Severity.INFO,
            reason="systemd has one stop timeout, for the stop command and the kill after it",
            action="the service's stop timeout is used",
        )
    if timeout is not None and not _unsaid_default(service, "stop_timeout", timeout):
        yield f"TimeoutStopSec={_span_text(timeout)}"
    stops, kills = service.stops_process_group, service.kills_process_group
    if stops is None and kills is None:
        return
    if stops and kills:
        if _said(service, "stops_process_group") or _said(service, "kills_process_group"):
            yield "KillMode=control-group"
        return
    yield "KillMode=mixed"
    if kills and not stops:
        return  # exactly what mixed means
    losses.unsupported(
        service.origin,
        "kills_process_group" if not kills else "stops_process_group",
        service=service.name,
        code="SV719",
        severity=Severity.INFO,
        reason="systemd either signals the whole group or, with KillMode=mixed, stops the "
        "main process and kills the rest",
        action="KillMode=mixed (stricter)",
    )


def _identity(service: Service, losses: LossLog) -> Iterator[str]:
    start = service.start
    user = service.user or (start.user if start else None)
    group = service.group or (start.group if start else None)
    if user:
        yield f"User={user}"
    if group:
        yield f"Group={group}"
    for slot in ("stop", "restart_command"):
        command = getattr(service, slot)
        if (
            command
            and (command.user or command.group)
            and (command.user, command.group) != (user, group)
        ):
            losses.unsupported(
                command.origin,
                slot,
                service=service.name,
                code="SV704",
                reason="systemd runs every command of a unit as the same user",
                action=f"runs as {user or 'root'}",
            )


def _environment(service: Service, losses: LossLog, version: int) -> Iterator[str]:
    if service.working_directory:
        optional = _prefixes(service, "WorkingDirectory")
        yield f"WorkingDirectory={optional}{service.working_directory}"
    if service.umask:
        yield f"UMask={service.umask}"
    for key, value in service.environment:
        yield f"Environment={quoting.join_assignment(key, value)}"
    for environment_file in service.environment_files:
        optional = "-" if environment_file.is_optional else ""
        yield f"EnvironmentFile={optional}{environment_file.path}"
    if service.sockets and not _prefixes(service, "StandardInput", suffix=""):
        yield "StandardInput=socket"
    stdout = service.stdout
    if service.sockets and stdout is None:
        stdout = Output(kind="managed")  # with a socket on stdin, stdout would follow it
    streams = (("StandardOutput", "stdout", stdout), ("StandardError", "stderr", service.stderr))
    for key, name, output in streams:
        if output is None or _unsaid_default(service, name, output):
            continue
        if output.kind == "file" and version < _APPEND_OUTPUT:
            losses.unsupported(
                service.origin,
                name,
                service=service.name,
                code="SV719",
                reason=f"systemd {version} cannot append output to a file (240 can)",
                action="left to the journal",
            )
            continue
        yield f"{key}={_OUTPUTS.get(output.kind, output.kind)}{output.path or ''}"


def _commands(service: Service, losses: LossLog) -> Iterator[str]:
    yield from _hooks(service, HookTime.BEFORE_START)
    if service.start:
        yield _exec("ExecStart", service.start, service)
        timeout = service.start.timeout
        said = _said(service, "start.timeout")
        if timeout is not None and (timeout != DEFAULT_TIMEOUT or said):
            yield f"TimeoutStartSec={_span_text(timeout)}"
    yield from _hooks(service, HookTime.AFTER_START)
    if service.stop:
        yield _exec("ExecStop", service.stop, service)
    yield from _hooks(service, HookTime.AFTER_STOP)
    if service.reload:
        yield _exec("ExecReload", service.reload, service)
    for limit in service.limits:
        yield f"{_LIMIT_KEYS[limit.resource]}={limit.value}"
    if service.restart_command:
        losses.unsupported(
            service.restart_command.origin,
            "restart_command",
            service=service.name,
            code="SV704",
            severity=Severity.INFO,
            reason="systemd restarts with ExecStop then ExecStart, not a restart command",
            action="restart program dropped",
        )


def _hooks(service: Service, when: HookTime) -> Iterator[str]:
    for hook in service.hooks:
        if hook.when is when:
            prefix = "-" if hook.ignores_failure else ""
            yield _exec(_HOOK_KEYS[when], hook.command, service, prefixes=prefix)


def _prefixes(service: Service, key: str, suffix: str = PREFIX_SUFFIX) -> str:
    """Give the prefixes the input wrote before ``[Service] key``'s value (``-``, ``+``).

    With ``suffix=""``, give the value of the kept ``[Service] key`` itself.
    """
    wanted = f"Service.{key}{suffix}"
    return next((e.value for e in service.extras if e.format == FORMAT and e.key == wanted), "")


def _said(service: Service, name: str) -> bool:
    """Whether the input set field ``name`` itself (its span is recorded)."""
    return name in dict(service.origin.fields)


def _unsaid_default(service: Service, name: str, value: object) -> bool:
    """Whether ``value`` is only systemd's own default, which the unit need not repeat."""
    return DEFAULTS.get(name) == value and not _said(service, name)


def _span_text(seconds: float) -> str:
    """Write a time span systemd reads back: whole seconds, or ``infinity``."""
    return "infinity" if math.isinf(seconds) else f"{seconds:g}"


def _exec(key: str, command: Command, service: Service, prefixes: str | None = None) -> str:
    line = quoting.join(command.argv, expands_variables=command.expands_variables)
    prefixes = _prefixes(service, key) if prefixes is None else prefixes
    line = line.replace("${" + INSTANCE_VARIABLE + "}", "%i")
    line = _HOST_SPECIFIER.sub(r"%\1", line)
    return f"{key}={prefixes}{line}"
