"""Write the supervision model as supervisord configuration.

One ``NAME.conf`` per service for ``/etc/supervisor/conf.d`` (plus one per group), or
with ``standalone`` a whole ``supervisord.conf`` that runs from its own directory. Only
values that differ from supervisor's defaults are written. supervisord runs programs in
the foreground, so a daemonizing command goes through the knowledge base of foreground
forms. Imports: model, loss, formats/_foreground, formats/supervisord.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from translator.diagnostics import Severity
from translator.formats._foreground import foreground_form
from translator.formats._options import WATCHER, EmitOptions
from translator.formats._shell import through_shell
from translator.formats.supervisord import quoting
from translator.loss import LossLog, ServiceLosses
from translator.model import (
    INSTANCE_VARIABLE,
    VARIABLE_REFERENCE,
    Action,
    Command,
    Host,
    Output,
    RestartWhen,
    Service,
    ServiceKind,
)

FORMAT = "supervisord"
SUPERVISORCTL = "/usr/bin/supervisorctl"
_DEFAULTS = {"startsecs": 1.0, "startretries": 3, "stopwaitsecs": 10.0, "priority": 999}
_STANDALONE_HEAD = """\
[unix_http_server]
file=%(here)s/supervisor.sock
chmod=0700

[supervisord]
nodaemon=true
logfile=%(here)s/supervisord.log
pidfile=%(here)s/supervisord.pid
childlogdir=%(here)s

[rpcinterface:supervisor]
supervisor.rpcinterface_factory=supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://%(here)s/supervisor.sock
"""


@dataclass(slots=True)
class _Program(ServiceLosses):
    """The lines of one process section being written."""

    lines: list[str] = field(default_factory=list)

    def set(self, key: str, value: object) -> None:
        self.lines.append(f"{key}={value}")


def emit(host: Host, options: EmitOptions, losses: LossLog) -> dict[str, str]:
    """Return ``{file name: text}``: a program file per process, a file per group."""
    priorities = _priorities(host)
    sections = {
        service.name: _section(service, host, priorities, options, losses)
        for service in host.services
        if _is_supervised(service, options, losses)
    }
    groups = _group_sections(host, set(sections))
    header = "".join(f"; {line}\n" for line in options.header.splitlines())
    _report_host(host, losses, standalone=options.standalone)
    if options.standalone:
        body = "\n".join([_STANDALONE_HEAD, *sections.values(), *groups.values()])
        return {"supervisord.conf": header + body}
    files = {f"{name}.conf": header + text for name, text in sections.items()}
    return files | {f"group-{name}.conf": header + text for name, text in groups.items()}


def _is_supervised(service: Service, options: EmitOptions, losses: LossLog) -> bool:
    if not service.is_watched:
        return True
    action = "kept in companion monit check" if options.companion else "dropped"
    losses.not_written(service, target=FORMAT, action=action)
    return False


def _report_host(host: Host, losses: LossLog, *, standalone: bool) -> None:
    if standalone:
        action = "left out: the standalone file runs with settings of its own"
    else:
        action = "left out of the conf.d files (use --standalone to write a whole file)"
    for extra in host.extras:
        if extra.format == FORMAT:
            losses.unsupported(
                extra.origin,
                "extras",
                service="",
                code="SV713",
                severity=Severity.INFO,
                reason=f"{extra.format} {extra.key} belongs in supervisord.conf itself",
                action=action,
            )
    losses.foreign_extras(host.extras, target=FORMAT, action="left out")


def _section(
    service: Service, host: Host, priorities: dict[str, int], options: EmitOptions, losses: LossLog
) -> str:
    program = _Program(service=service, losses=losses)
    kind = next(
        (e.value for e in service.extras if e.format == FORMAT and e.key == "section"),
        "eventlistener"
        if service.kind is ServiceKind.LISTENER
        else "fcgi-program"
        if service.sockets
        else "program",
    )
    _command(program)
    _identity(program)
    _lifecycle(program, priorities.get(service.name))
    _stop(program)
    _logs(program)
    _instances(program)
    _sockets(program)
    _monitoring(program, options)
    _extras(program)
    where = service.origin.span
    source = [f"; from {where.path}:{where.line}"] if where else []
    source += [f"; {comment.body}".rstrip() for comment in service.comments]
    return "\n".join([*source, f"[{kind}:{service.name}]", *program.lines]) + "\n"


def _command(program: _Program) -> None:
    service = program.service
    start = service.start
    if start is None:
        program.lose(
            "start", "supervisord needs a command", "program written without one", code="SV702"
        )
        return
    argv = _foreground_argv(program, start)
    if service.environment_files or (start.expands_variables and _needs_shell(service, argv)):
        literal = argv if start.expands_variables else _escape_dollars(argv)
        argv = through_shell(literal, service.environment_files)
        start = replace(start, expands_variables=False)
        program.lose(
            "start.argv",
            "supervisord reads no environment files, and expands "
            "%(ENV_X)s when it reads its own (refusing one it does not know)",
            "run through /bin/sh -c, which reads the environment files and expands "
            "$VARIABLES when the program starts",
            code="SV716",
            severity=Severity.INFO,
            also=("environment_files", "start.expands_variables"),
        )
    if service.environment and quoting.join_environment(service.environment) is None:
        argv = ("/usr/bin/env", *(f"{k}={v}" for k, v in service.environment), *argv)
        program.lose(
            "environment",
            "supervisord's environment= cannot quote a value",
            "set with /usr/bin/env in command=",
            severity=Severity.INFO,
        )
    line = _command_line(program, start, argv)
    if line is None:
        program.lose("start", f"an argument of {argv!r} holds a newline", "left out", code="SV702")
        return
    program.set("command", line)


def _foreground_argv(program: _Program, start: Command) -> tuple[str, ...]:
    """Give the command supervisord can keep: a daemonizing one made to stay in front."""
    service = program.service
    if service.pidfile:
        program.lose(
            "pidfile",
            "supervisord watches its own child, not a pidfile",
            "pidfile dropped",
            severity=Severity.INFO,
        )
    if service.match_pattern:
        program.lose(
            "match_pattern",
            "supervisord watches its own child, not a pattern",
            "pattern dropped",
            severity=Severity.INFO,
        )
    if not service.daemonizes:
        return start.argv
    form = foreground_form(program, "supervisord")
    if form is None:
        program.lose(
            "daemonizes",
            f"{start.argv[0]} detaches and svconv knows no foreground form of it",
            "command kept, exit status 1: supervisord would see it exit, start it again "
            "while the first copy runs, and mark it FATAL; give its foreground flag by hand",
            code="SV715",
            severity=Severity.ERROR,
        )
        return start.argv
    return form.argv


def _escape_dollars(argv: tuple[str, ...]) -> tuple[str, ...]:
    """Write literal argv in the model's variable syntax (a literal ``$`` is ``$$``)."""
    return tuple(word.replace("$", "$$") for word in argv)


def _needs_shell(service: Service, argv: tuple[str, ...]) -> bool:
    """Whether argv names a variable the program's own environment= does not set."""
    defined = {key for key, _ in service.environment} | {INSTANCE_VARIABLE}
    names = {
        m.group(1) or m.group(2)
        for word in argv
        for m in VARIABLE_REFERENCE.finditer(word)
        if m.group() != "$$"
    }
    return bool(names - defined)


def _command_line(program: _Program, start: Command, argv: tuple[str, ...]) -> str | None:
    """Quote argv for ``command=``, turning ``$X`` references into ``%(ENV_X)s``.

    supervisord expands ``%(ENV_X)s`` before it splits the command, so a whole-word
    reference stays unquoted (it splits, as ``$X`` did) and one inside a word is quoted
    with it (it does not). A reference the service's own environment= does not set comes
    from supervisord's environment, and is reported.
    """
    words = []
    for word in argv:
        whole = re.fullmatch(r"\$(\w+)", word) if start.expands_variables else None
        if whole:
            words.append(_reference(program, whole.group(1)))
            continue
        marked = VARIABLE_REFERENCE.sub(_marker, word) if start.expands_variables else word
        quoted = quoting.join_command((marked,))
        if quoted is None:
            return None
        words.append(re.sub("\0(\\w+)\0", lambda m: _reference(program, m.group(1)), quoted))
    return " ".join(words)


def _marker(match: re.Match[str]) -> str:
    if match.group() == "$$":
        return "$"
    return "\0" + (match.group(1) or match.group(2)) + "\0"


def _reference(program: _Program, name: str) -> str:
    if name == INSTANCE_VARIABLE:
        if program.service.instances <= 1:
            program.lose(
                "start.argv",
                "a template's instance has a name; supervisord only numbers processes",
                "the process number (0) stands in for it",
                also=("start.expands_variables",),
            )
        return "%(process_num)" + program.service.instance_format.removeprefix("%")
    if name not in {key for key, _ in program.service.environment}:
        program.lose(
            "start.argv",
            f"${name} is not set by the service itself",
            f"taken from supervisord's environment as %(ENV_{name})s",
            code="SV716",
            severity=Severity.INFO,
        )
    return f"%(ENV_{name})s"


def _identity(program: _Program) -> None:
    service = program.service
    start = service.start
    user = service.user or (start.user if start else None)
    if user:
        program.set("user", user)
    group = service.group or (start.group if start else None)
    if group:
        program.lose(
            "group",
            "supervisord runs a program with its user's primary group",
            f"group {group} left out",
        )
    if service.working_directory:
        program.set("directory", service.working_directory)
    if service.umask:
        program.set("umask", service.umask)
    if service.environment and quoting.join_environment(service.environment) is not None:
        program.set("environment", quoting.join_environment(service.environment))
    if service.description:
        program.lines.insert(0, f"; {service.description}")
        program.lose(
            "description",
            "supervisord has no description",
            "kept as a comment",
            severity=Severity.INFO,
        )
    if service.start is not None and service.start.timeout is not None:
        program.lose(
            "start.timeout",
            "supervisord has no start timeout; startsecs is the time a start must last",
            "left out",
            severity=Severity.INFO,
        )


def _lifecycle(program: _Program, priority: int | None) -> None:
    service = program.service
    if not service.enabled_at_boot:
        program.set("autostart", "false")
    restart = {RestartWhen.ALWAYS: "true", RestartWhen.NEVER: "false"}.get(service.restart.when)
    if restart:
        program.set("autorestart", restart)
    if service.success_exit_codes != (0,):
        program.set("exitcodes", ",".join(str(code) for code in service.success_exit_codes))
    _start_seconds(program)
    _retries(program)
    if service.restart.delay is not None:
        program.lose(
            "restart.delay",
            "supervisord has no restart delay of its own",
            "it waits 1 s, then a second more before each further try",
            severity=Severity.INFO,
        )
    order = service.start_order if service.start_order is not None else priority
    if order is not None and order != _DEFAULTS["priority"]:
        program.set("priority", order)
    if service.dependencies:
        program.lose(
            "dependencies",
            "supervisord orders starts by priority but does not start what a program needs",
            "ordered by priority",
            severity=Severity.INFO,
            also=("start_order",),
        )
    if service.hooks:
        program.lose(
            "hooks",
            "supervisord runs no command before or after a program's start or stop",
            "left out",
        )
    if service.limits:
        limits = ", ".join(f"{limit.resource}={limit.value}" for limit in service.limits)
        program.lose(
            "limits",
            f"supervisord sets no resource limits per program ({limits})",
            "left out; supervisord's own minfds/minprocs apply to all programs",
        )


def _start_seconds(program: _Program) -> None:
    """Write how long a start must last: a task's start lasts no time at all."""
    service = program.service
    if service.runs_once:
        program.set("startsecs", "0")
        program.lose(
            "runs_once",
            "supervisord has no one-shot tasks",
            "startsecs=0: it runs once at start, and its exit is not a failed start",
            severity=Severity.INFO,
            also=("min_uptime",),
        )
    elif service.min_uptime is not None and service.min_uptime != _DEFAULTS["startsecs"]:
        program.set("startsecs", f"{service.min_uptime:g}")


def _retries(program: _Program) -> None:
    """Write startretries from a start limit: supervisord counts failed starts in a row."""
    limit = program.service.start_limit
    if limit is None:
        return
    retries = max(0, limit.burst - 1)
    if limit.interval is not None:
        program.lose(
            "start_limit.interval",
            f"supervisord limits failed starts, not {limit.burst} starts in {limit.interval:g}s",
            f"startretries={retries}",
            severity=Severity.INFO,
        )
    if limit.action is not Action.GIVE_UP:
        program.lose(
            "start_limit.action",
            f"supervisord cannot {limit.action.value} after its last start retry",
            "the program goes FATAL",
            severity=Severity.INFO,
        )
    if retries != _DEFAULTS["startretries"]:
        program.set("startretries", retries)


def _stop(program: _Program) -> None:
    service = program.service
    if service.stop_signal and service.stop_signal.removeprefix("SIG") != "TERM":
        program.set("stopsignal", service.stop_signal.removeprefix("SIG"))
    timeout = service.stop_timeout
    if timeout is None and service.stop is not None:
        timeout = service.stop.timeout
    if timeout is not None and math.isinf(timeout):
        program.lose(
            "stop_timeout",
            "supervisord always kills after stopwaitsecs",
            "waits a day (stopwaitsecs=86400)",
            severity=Severity.INFO,
        )
        program.set("stopwaitsecs", 86400)
    elif timeout is not None and timeout != _DEFAULTS["stopwaitsecs"]:
        program.set("stopwaitsecs", f"{timeout:g}")
    if service.stops_process_group:
        program.set("stopasgroup", "true")
    if service.kills_process_group and not service.stops_process_group:
        program.set("killasgroup", "true")
    for slot, what in (
        ("stop", "stop command"),
        ("reload", "reload command"),
        ("restart_command", "restart command"),
    ):
        if getattr(service, slot) is not None:
            program.lose(
                slot,
                f"supervisord has no {what}; it signals the process",
                f"stops with {service.stop_signal or 'SIGTERM'}",
            )


def _logs(program: _Program) -> None:
    service = program.service
    if service.stdout is not None:
        _log(program, "stdout_logfile", service.stdout)
    if service.stderr is not None and service.stderr.kind == "inherit":
        program.set("redirect_stderr", "true")
    elif service.stderr is not None:
        _log(program, "stderr_logfile", service.stderr)


def _log(program: _Program, key: str, output: Output) -> None:
    if output.kind == "file":
        program.set(key, (output.path or "").replace("%", "%%"))
    elif output.kind == "null":
        program.set(key, "NONE")
    elif output.kind != "managed":
        program.lose(
            key.split("_")[0],
            f"supervisord cannot send output to {output.kind}",
            "supervisord keeps it in its own log (AUTO)",
        )


def _instances(program: _Program) -> None:
    service = program.service
    if service.instances <= 1:
        return
    program.set("numprocs", service.instances)
    if service.first_instance:
        program.set("numprocs_start", service.first_instance)
    if not any(e.format == FORMAT and e.key == "process_name" for e in service.extras):
        number = "%(process_num)" + service.instance_format.removeprefix("%")
        program.set("process_name", f"%(program_name)s_{number}")


def _sockets(program: _Program) -> None:
    """Write an [fcgi-program:]'s socket, which supervisord opens and passes on stdin."""
    sockets = program.service.sockets
    if not sockets:
        return
    socket = sockets[0]
    if socket.is_unix:
        program.set("socket", f"unix://{socket.address}")
        if socket.owner or socket.group:
            program.set("socket_owner", ":".join(n for n in (socket.owner, socket.group) if n))
        if socket.mode and socket.mode != "0700":
            program.set("socket_mode", socket.mode)
    else:
        program.set("socket", f"tcp://{socket.address}")
    if socket.backlog:
        program.set("socket_backlog", socket.backlog)
    if len(sockets) > 1:
        program.lose(
            "sockets",
            "supervisord passes one socket to an fcgi-program",
            f"only {socket.address} kept",
        )


def _monitoring(program: _Program, options: EmitOptions) -> None:
    service = program.service
    kept = "kept in companion monit check" if options.companion else "dropped"
    program.losses.checks_and_alerts(service, target=FORMAT, action=kept)


def _extras(program: _Program) -> None:
    for extra in program.service.extras:
        if extra.format == FORMAT and extra.key != "section":
            program.set(extra.key, extra.value)
    kept = (WATCHER, "kept in companion monit check")
    program.losses.foreign_service_extras(
        program.service, target=FORMAT, action="left out", elsewhere=kept
    )


def _priorities(host: Host) -> dict[str, int]:
    """Start order from dependencies: each program after what it depends on."""
    names = {s.name: s for s in host.services}
    depth: dict[str, int] = {}

    def depth_of(name: str, seen: frozenset[str]) -> int:
        service = names.get(name)
        if service is None or name in seen:
            return 0
        if name not in depth:
            needs = [
                depth_of(d.name, seen | {name}) + 1 for d in service.dependencies if d.name in names
            ]
            depth[name] = max(needs, default=0)
        return depth[name]

    return {
        name: 999 + 10 * depth_of(name, frozenset())
        for name in names
        if depth_of(name, frozenset())
    }


def _group_sections(host: Host, written: set[str]) -> dict[str, str]:
    members: dict[str, list[str]] = {}
    for service in host.services:
        for group in service.groups:
            if service.name in written:
                members.setdefault(group, []).append(service.name)
    return {
        group: f"[group:{group}]\nprograms={','.join(names)}\n" for group, names in members.items()
    }


def control_commands(service: Service) -> tuple[Command, Command]:
    """Commands that ask supervisord to start and to stop ``service`` (all its processes)."""
    names = _process_names(service)
    start_wait = service.start.timeout if service.start else None
    return (
        Command(argv=(SUPERVISORCTL, "start", *names), timeout=start_wait),
        Command(argv=(SUPERVISORCTL, "stop", *names), timeout=service.stop_timeout),
    )


def _process_names(service: Service) -> tuple[str, ...]:
    """Name the processes of ``service`` as supervisorctl does (``group:process``)."""
    number = "%(process_num)" + service.instance_format.removeprefix("%")
    default = f"%(program_name)s_{number}" if service.instances > 1 else "%(program_name)s"
    template = next(
        (e.value for e in service.extras if e.format == FORMAT and e.key == "process_name"), default
    )
    group = service.groups[0] if service.groups else service.name
    prefix = f"{group}:" if service.groups or service.instances > 1 else ""
    try:
        return tuple(
            prefix
            + template
            % {
                "program_name": service.name,
                "group_name": group,
                "process_num": n,
                "numprocs": service.instances,
            }
            for n in range(service.first_instance, service.first_instance + service.instances)
        )
    except (KeyError, ValueError, TypeError):
        return (f"{group}:*",)


def keep_alive(watcher: str) -> dict[str, str]:
    """Write a program entry that makes supervisord run the ``watcher`` (monit) in front."""
    return {f"{watcher}.conf": f"[program:{watcher}]\ncommand=/usr/bin/{watcher} -I\n"}
