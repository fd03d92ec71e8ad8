"""Write the supervision model as upstart 1.13 job files: ``NAME.conf`` per service.

Each field goes to the stanza upstart's init/parse_job.c reads it from; what upstart
cannot hold is reported to the loss log. A command is written as ``exec`` or as a
``script`` block, whichever the reader gives back as it was; ``expect fork|daemon`` only
for a command upstart's own job said so of, or one the knowledge base knows detaches.
Imports: model, loss, knowledge, formats/_shell, formats/_options, formats/upstart.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from translator.diagnostics import Severity
from translator.formats._options import EmitOptions
from translator.formats._shell import through_shell
from translator.formats.upstart import quoting
from translator.formats.upstart.job import (
    FORMAT,
    INSTANCE_NAME,
    KILL_TIMEOUT,
    LOG_DIRECTORY,
    PROVIDED_BY,
    RESPAWN_LIMIT,
    RLIMITS,
)
from translator.knowledge import foreground
from translator.loss import LossLog, ServiceLosses
from translator.model import (
    INSTANCE_VARIABLE,
    VARIABLE_REFERENCE,
    Action,
    Binding,
    Command,
    Extra,
    HookTime,
    Host,
    Output,
    RestartWhen,
)

_HOOK_SLOTS = {
    HookTime.BEFORE_START: "pre-start",
    HookTime.AFTER_START: "post-start",
    HookTime.AFTER_STOP: "post-stop",
}
_WORD_EXTRAS = ("author", "version", "usage", "chroot")
"""Extras written back as one quoted word."""
_WORDS_EXTRAS = ("emits", "export", "nice", "oom", "apparmor", "cgroup", "env")
"""Extras written back as they were read: words separated by blanks."""
_HANDLED_EXTRAS = frozenset(
    {"runlevels", "start on", "stop on", "wanted-by", "expect", "console", "normal exit",
     "reload signal", "instance", PROVIDED_BY, *_WORD_EXTRAS, *_WORDS_EXTRAS}
)  # fmt: skip
_INSTANCE_REFERENCES = ("${" + INSTANCE_VARIABLE + "}", "$" + INSTANCE_VARIABLE)
_NOT_HELD = (
    ("min_uptime", "minimum uptime"),
    ("start_order", "start order"),
    ("groups", "groups"),
    ("sockets", "sockets it opens"),
    ("environment_files", "environment files"),
    ("pidfile", "pidfile: it follows the process it starts (expect)"),
    ("match_pattern", "process pattern: it follows the process it starts"),
    ("restart_command", "restart command: it restarts by stopping and starting"),
    ("reload", "reload command: it reloads by a signal (reload signal)"),
)


@dataclass(slots=True)
class _Job(ServiceLosses):
    """The stanzas of one job file being written, in groups separated by blank lines."""

    groups: list[list[str]] = field(default_factory=list)
    instance: str | None = None
    """The variable the job's instances are named by, when it has instances."""
    has_main: bool = True
    """Whether the main process could be written (else no job is)."""

    def add(self, *lines: str) -> None:
        """Add a group of stanzas (none: nothing)."""
        if lines:
            self.groups.append(list(lines))

    def extras(self, key: str) -> list[Extra]:
        """Give the service's upstart extras with ``key``."""
        return [e for e in self.service.extras if e.format == FORMAT and e.key == key]

    def extra(self, key: str) -> str | None:
        """Give the value of the last upstart extra with ``key``."""
        found = self.extras(key)
        return found[-1].value if found else None


def emit(host: Host, options: EmitOptions, losses: LossLog) -> dict[str, str]:
    """Return ``{NAME.conf: text}``, one job per process service."""
    files: dict[str, str] = {}
    for service in host.services:
        if not service.is_process:
            losses.not_written(service, target=FORMAT, action="dropped")
        elif service.start is None:
            losses.no_start(service, written=f"{service.name}.conf")
        else:
            job = _Job(service=service, losses=losses)
            _write(job)
            if not job.has_main:
                continue
            header = [f"# {line}" for line in options.header.splitlines()]
            body = "\n\n".join("\n".join(group) for group in job.groups)
            files[f"{service.name}.conf"] = "\n".join([*header, body]) + "\n"
    losses.foreign_extras(host.extras, target=FORMAT, action="left out")
    return files


def _write(job: _Job) -> None:
    """Fill the job's stanza groups, reporting what upstart cannot hold."""
    job.instance = _instance_variable(job)
    job.add(*_about(job))
    job.add(*_events(job))
    job.add(*_lifecycle(job))
    job.add(*_process_control(job))
    job.add(*_environment(job))
    for process in _processes(job):
        job.add(*process)
    _unsupported(job)


def _about(job: _Job) -> Iterator[str]:
    service = job.service
    if service.description is not None:
        yield f"description {quoting.word(service.description)}"
    for key in ("author", "version", "usage"):
        if (value := job.extra(key)) is not None:
            yield f"{key} {quoting.word(value)}"


# ---------------------------------------------------------------- start on, stop on


def _events(job: _Job) -> Iterator[str]:
    """``start on`` (kept text, or runlevels and the jobs that start it), ``stop on``."""
    start = job.extra("start on") or _start_expression(job)
    if start:
        yield f"start on {start}"
    stop = job.extra("stop on")
    if stop is None and start:
        stop = "runlevel [!2345]"
    if stop:
        yield f"stop on {stop}"
    if (emits := job.extra("emits")) is not None:
        yield f"emits {emits}"


def _start_expression(job: _Job) -> str:
    """Build ``runlevel [LEVELS] or started X …`` from the model."""
    service = job.service
    parts = []
    levels = job.extra("runlevels")
    if levels is not None:
        parts.append(f"runlevel [{levels}]")
    elif service.enabled_at_boot:
        parts.append("runlevel [2345]")
    started = {e.value.removesuffix(".service") for e in job.extras("wanted-by")}
    for dependency in service.dependencies:
        if dependency.name in started and dependency.binding is Binding.ORDERS:
            parts.append(f"started {dependency.name}")
        else:
            job.lose(
                "dependencies",
                f"upstart has no dependency on {dependency.name}: start on started "
                f"{dependency.name} would also start it whenever that starts",
                "left out",
            )
    return " or ".join(parts)


# ---------------------------------------------------------------- respawn, task, limits


def _lifecycle(job: _Job) -> Iterator[str]:
    """``task``, ``respawn``, ``respawn limit`` and ``normal exit``."""
    service = job.service
    restart = service.restart
    if service.runs_once:
        yield "task"
    if restart.is_automatic:
        yield "respawn"
        yield from _respawn_limit(job)
        if restart.when is RestartWhen.ALWAYS and service.runs_once:
            job.lose("restart", "upstart respawns a task only when it fails", "respawn on failure")
    elif service.start_limit is not None:
        job.lose("start_limit", "upstart limits only respawns, and it respawns none", "left out")
    if restart.delay is not None:
        job.lose("restart.delay", "upstart respawns at once; it has no respawn delay", "left out")
    yield from _normal_exit(job)


def _respawn_limit(job: _Job) -> Iterator[str]:
    limit = job.service.start_limit
    if limit is None:
        job.lose(
            "start_limit",
            "upstart stops respawning after 10 respawns in 5 s",
            "its default limit applies",
            severity=Severity.INFO,
        )
        return
    if limit.action is not Action.GIVE_UP:
        job.lose("start_limit.action", f"upstart cannot {limit.action.value} at its limit", "stops")
    if limit.burst == 0 or limit.interval == 0:
        yield "respawn limit unlimited"
        return
    if limit.interval is None:
        job.lose(
            "start_limit",
            f"upstart counts respawns within a time, not {limit.burst} failures in a row",
            "its default limit of 10 in 5 s applies",
        )
        return
    seconds = math.ceil(limit.interval)
    if seconds != limit.interval:
        job.lose(
            "start_limit.interval",
            "upstart counts whole seconds",
            f"{seconds} s",
            severity=Severity.INFO,
        )
    if (limit.burst, float(seconds)) != (RESPAWN_LIMIT.burst, RESPAWN_LIMIT.interval):
        yield f"respawn limit {limit.burst} {seconds}"


def _normal_exit(job: _Job) -> Iterator[str]:
    """Write ``normal exit``: the exits (besides 0, unless a service respawns) that are clean."""
    service = job.service
    codes = list(service.success_exit_codes)
    signals = [e.value for e in job.extras("normal exit")]
    respawned = service.restart.is_automatic and not service.runs_once
    if service.restart.when is RestartWhen.ALWAYS and not service.runs_once:
        if codes != [0] or signals:
            job.lose(
                "success_exit_codes",
                "a service that respawns always respawns after every exit",
                "left out",
            )
        return
    if not respawned:
        if 0 not in codes:
            job.lose("success_exit_codes", "upstart counts exit 0 as normal", "0 is normal")
        codes = [code for code in codes if code != 0]
    words = [str(code) for code in codes] + signals
    if words:
        yield "normal exit " + " ".join(words)


# ---------------------------------------------------------------- expect, kill, instance


def _process_control(job: _Job) -> Iterator[str]:
    """``expect``, ``instance``, ``kill signal``, ``kill timeout``, ``reload signal``."""
    service = job.service
    expect = _expect(job)
    if expect:
        yield f"expect {expect}"
    if (instance := job.extra("instance")) is not None:
        yield f"instance {instance}"
    elif job.instance is not None:
        yield f"instance ${job.instance}"
    if service.stop_signal is not None and service.stop_signal.removeprefix("SIG") != "TERM":
        yield f"kill signal {service.stop_signal.removeprefix('SIG')}"
    if service.stop_timeout is not None and service.stop_timeout != KILL_TIMEOUT:
        seconds = math.ceil(service.stop_timeout)
        if seconds != service.stop_timeout:
            job.lose("stop_timeout", "upstart counts whole seconds", f"{seconds} s")
        yield f"kill timeout {seconds}"
    for name, what in (("stops_process_group", "stop signal"), ("kills_process_group", "SIGKILL")):
        if getattr(service, name) is False:
            job.lose(
                name, f"upstart sends its {what} to the job's whole process group", "the group"
            )
    if (signal := job.extra("reload signal")) is not None:
        yield f"reload signal {signal.removeprefix('SIG')}"


def _expect(job: _Job) -> str | None:
    """Say what upstart is told about a detaching start command (None: nothing)."""
    service = job.service
    said = job.extra("expect")
    if not service.daemonizes:
        return said if said == "stop" else None
    if said in ("fork", "daemon"):
        return said
    assert service.start is not None
    if foreground(service.start.argv) is not None:
        job.lose(
            "daemonizes",
            f"upstart follows a detaching program only when told how often it forks; "
            f"{service.start.argv[0]} is known to detach",
            "expect fork (one fork, as daemon(3) does)",
            severity=Severity.INFO,
        )
        return "fork"
    job.lose(
        "daemonizes",
        f"{service.start.argv[0]} detaches and svconv does not know how often it forks, "
        "which upstart's expect must match",
        "written without expect: upstart follows only the first process; add expect "
        "fork or daemon, or a foreground flag, by hand",
        code="SV715",
    )
    return None


def _instance_variable(job: _Job) -> str | None:
    """Give the variable instances are named by, when a command refers to the instance."""
    service = job.service
    commands = [service.start, service.stop, *(hook.command for hook in service.hooks)]
    if not any(
        command is not None
        and command.expands_variables
        and any(reference in word for word in command.argv for reference in _INSTANCE_REFERENCES)
        for command in commands
    ):
        return None
    if service.instances > 1:
        job.lose(
            "instances",
            f"upstart starts an instance per start command, not {service.instances} at once",
            f"one job; start each with start {service.name} {INSTANCE_NAME}=N",
            also=("first_instance", "instance_format"),
        )
    named = job.extra("instance")
    if named is not None and named.startswith("$"):
        return named.strip("${}")
    return INSTANCE_NAME


# ---------------------------------------------------------------- identity, environment


def _environment(job: _Job) -> Iterator[str]:
    """``setuid``, ``setgid``, ``chdir``, ``umask``, ``limit``, ``env``, ``console`` …."""
    service = job.service
    start = service.start
    user = service.user or (start.user if start else None)
    group = service.group or (start.group if start else None)
    if user:
        yield f"setuid {quoting.word(user)}"
    if group:
        yield f"setgid {quoting.word(group)}"
    if service.working_directory:
        yield f"chdir {quoting.word(service.working_directory)}"
    if service.umask:
        yield f"umask {service.umask}"
    for key in ("nice", "oom", "apparmor", "cgroup"):
        yield from (f"{key} {e.value}" for e in job.extras(key))
    if (chroot := job.extra("chroot")) is not None:
        yield f"chroot {quoting.word(chroot)}"
    yield from _limits(job)
    yield from _variables(job)
    yield from _console(job)


def _limits(job: _Job) -> Iterator[str]:
    for limit in job.service.limits:
        if limit.resource not in RLIMITS:
            job.lose(
                "limits",
                f"upstart's limit sets rlimits, not {limit.resource} {limit.value}",
                "left out",
            )
            continue
        soft, _, hard = limit.value.partition(":")
        words = [w.replace("infinity", "unlimited") for w in (soft, hard or soft)]
        yield f"limit {limit.resource} {words[0]} {words[1]}"


def _variables(job: _Job) -> Iterator[str]:
    for key, value in job.service.environment:
        if "\n" in value:
            job.lose(
                "environment",
                f"an env stanza holds one line; {key}={value!r}",
                "its lines joined by blanks",
            )
        yield f"env {quoting.word(f'{key}={value}')}"
    for extra in job.extras("env"):
        yield f"env {extra.value}"
    for extra in job.extras("export"):
        yield f"export {extra.value}"


def _console(job: _Job) -> Iterator[str]:
    """``console log|output|owner|none`` from where stdout goes; stderr goes along."""
    service = job.service
    stdout, stderr = service.stdout, service.stderr
    if stderr is not None and stderr.kind != "inherit":
        job.lose(
            "stderr",
            "upstart sends stderr where stdout goes",
            "with stdout",
            severity=Severity.INFO if stderr == stdout else Severity.WARNING,
        )
    if stdout is None:
        return
    log = Output(kind="file", path=f"{LOG_DIRECTORY}/{service.name}.log")
    if stdout == log:
        yield "console log"
    elif stdout == Output(kind="file", path="/dev/console"):
        yield f"console {job.extra('console') or 'output'}"
    elif stdout.kind == "null":
        yield "console none"
    else:
        where = stdout.path if stdout.kind == "file" else stdout.kind
        job.lose("stdout", f"upstart writes output to {log.path}, not to {where}", "console log")
        yield "console log"


# ---------------------------------------------------------------- processes


def _processes(job: _Job) -> Iterator[list[str]]:
    """Write the main process and its hooks, in the order upstart runs them."""
    service = job.service
    assert service.start is not None
    hooks = _hooks(job)
    if service.stop is not None:
        hooks["pre-stop"] = service.stop
    for slot, path in (("pre-start", "hooks"), ("", "start"), ("post-start", "hooks")):
        command = service.start if not slot else hooks.get(slot)
        if command is not None:
            yield list(_process(job, slot, command, path))
    for slot, path in (("pre-stop", "stop"), ("post-stop", "hooks")):
        if (command := hooks.get(slot)) is not None:
            yield list(_process(job, slot, command, path))


def _hooks(job: _Job) -> dict[str, Command]:
    """Give the command of each hook slot upstart has, reporting what it cannot hold."""
    hooks: dict[str, Command] = {}
    order = [hook.when for hook in job.service.hooks]
    if order != sorted(order, key=list(_HOOK_SLOTS).index):
        job.lose(
            "hooks",
            "upstart runs pre-start, post-start and post-stop in that order",
            "written in that order",
            severity=Severity.INFO,
        )
    for hook in job.service.hooks:
        slot = _HOOK_SLOTS[hook.when]
        if slot in hooks:
            job.lose("hooks", f"upstart runs one {slot} process", "this one left out")
            continue
        hooks[slot] = hook.command
        if hook.ignores_failure is not (slot == "post-start"):
            if slot == "post-start":
                job.lose("hooks", "upstart ignores how post-start exits", "its failure ignored")
            else:
                job.lose("hooks", f"a failing {slot} fails the job", "its failure minded")
    return hooks


def _process(job: _Job, slot: str, command: Command, path: str) -> Iterator[str]:
    """``[SLOT ]exec …`` or ``[SLOT ]script`` … ``end script``, checked by reading it back."""
    prefix = f"{slot} " if slot else ""
    for name in ("timeout", "user", "group"):
        value = getattr(command, name)
        if value is not None and (name == "timeout" or slot):
            where = f"{path}.{name}" if path != "hooks" else path
            job.lose(where, f"upstart has no {name} for one process ({value})", "left out")
    form = _written(prefix, _shell_form(job, command))
    if form is None:
        job.has_main = job.has_main and bool(slot)
        job.lose(
            path if slot else "service",
            "upstart ends a script block at a line that reads end script",
            f"{slot} not written" if slot else "no job written",
            severity=Severity.ERROR,
            located_at=None if slot else "start",
        )
        return
    written, back = form
    instanced = quoting.with_instance(back, job.instance) if job.instance else None
    expands = command.expands_variables and any(
        VARIABLE_REFERENCE.search(word) for word in command.argv
    )
    if (instanced or back) != command.argv or (instanced is not None) != expands:
        job.lose(
            f"{path}.argv" if path != "hooks" else path,
            "upstart runs a command with shell characters, or a script, through /bin/sh -e",
            "the same command, written for the shell",
            severity=Severity.INFO,
            also=(f"{path}.expands_variables",) if path != "hooks" else (),
        )
    yield from written


def _written(prefix: str, argv: tuple[str, ...]) -> tuple[list[str], tuple[str, ...]] | None:
    """Give a process's lines and the argv upstart's reader makes of them (None: none)."""
    body = argv[-1] if argv[0] == quoting.SHELL and argv[1:-1] in (("-e", "-c"), ("-c",)) else None
    if body is None:
        return [f"{prefix}exec {quoting.join(argv)}"], quoting.command(quoting.join(argv))
    if "\n" not in body and body.startswith("exec "):
        text = body.removeprefix("exec ")
        return [f"{prefix}exec {text}"], quoting.command(text)
    lines = quoting.block(body)
    if lines is None:
        return None
    back = quoting.lifted(quoting.script("\n".join(lines) + "\n"))
    return [f"{prefix}script", *lines, "end script"], back


def _shell_form(job: _Job, command: Command) -> tuple[str, ...]:
    """Give the command as upstart's shell runs it: ``$VARIABLES``, the instance resolved."""
    argv = command.argv
    if not command.expands_variables:
        return argv
    is_shell = argv[0] == quoting.SHELL and len(argv) in (3, 4) and argv[-2] == "-c"
    if not is_shell:
        if not any(VARIABLE_REFERENCE.search(word) for word in argv):
            return argv
        argv = through_shell(argv)
    name = job.instance or INSTANCE_NAME
    return (*argv[:-1], _resolved(argv[-1], name))


def _resolved(body: str, name: str) -> str:
    """Undo the model's variable syntax in a shell body.

    ``$$`` becomes ``$``, the instance reference ``$NAME``.
    """
    out: list[str] = []
    position = 0
    for match in VARIABLE_REFERENCE.finditer(body):
        out.append(body[position : match.start()])
        variable = match.group(1) or match.group(2)
        if match.group() == "$$":
            out.append("$")
        elif variable == INSTANCE_VARIABLE:
            following = body[match.end() : match.end() + 1]
            out.append(
                "${" + name + "}" if following[:1].isalnum() or following == "_" else "$" + name
            )
        else:
            out.append(match.group())
        position = match.end()
    out.append(body[position:])
    return "".join(out)


# ---------------------------------------------------------------- the rest


def _unsupported(job: _Job) -> None:
    """Report every field upstart cannot hold, checks, alerts and others' extras."""
    service = job.service
    for name, what in _NOT_HELD:
        if getattr(service, name) not in (None, (), False):
            job.lose(name, f"upstart has no {what}", "left out")
    if service.instances > 1 and job.instance is None:
        job.lose(
            "instances",
            "an upstart job runs one process",
            "one written",
            also=("first_instance", "instance_format"),
        )
    for extra in service.extras:
        if extra.format == FORMAT and extra.key not in _HANDLED_EXTRAS:
            job.losses.unsupported(
                extra.origin,
                "extras",
                service=service.name,
                code="SV710",
                reason=f"upstart knows no stanza {extra.key!r}",
                action="left out",
            )
    job.losses.checks_and_alerts(service, target=FORMAT, action="dropped")
    job.losses.foreign_service_extras(service, target=FORMAT, action="left out")
