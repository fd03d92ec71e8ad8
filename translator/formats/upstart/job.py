"""One upstart job as its stanzas describe it, and the service it becomes.

Each stanza sets what upstart 1.13's init/parse_job.c would (0.6's stanzas are a subset),
checked as strictly (a job upstart refuses is a ParseError); upstart's own defaults fill
in the rest. What the model cannot hold is kept as an Extra and reported as a read loss
(SV733). Imports: diagnostics, errors, model.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from typing import Any

from translator.diagnostics import Diagnostic, ReadLoss, Severity
from translator.errors import ParseError
from translator.formats.upstart import events, quoting
from translator.knowledge import foreground
from translator.model import (
    Binding,
    Command,
    Dependency,
    Extra,
    Hook,
    HookTime,
    Origin,
    Output,
    ResourceLimit,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    Span,
    StartLimit,
)

FORMAT = "upstart"
LOSS_CODE = "SV733"
SYSTEMD_PROVIDED_JOBS: tuple[str, ...] = (
    "rc",
    "rcS",
    "rcS-sulogin",
    "rcS-emergency",
    "tty",
    "serial",
    "start-ttys",
    "prefdm",
    "control-alt-delete",
    "splash-manager",
    "quit-plymouth",
    "plymouth-shutdown",
    "init-system-dbus",
    "ck-log-system-*",
    "readahead-*",
)
"""CentOS 6's own jobs (shell patterns): runlevels, gettys, the display manager, plymouth,
readahead. systemd does their work itself, so each is read with an ``provided-by``
extra saying so, for ``migrate`` to report rather than convert."""
PROVIDED_BY = "provided-by"
KILL_TIMEOUT = 5.0
"""Seconds upstart waits after SIGTERM before SIGKILL (JOB_DEFAULT_KILL_TIMEOUT)."""
INSTANCE_NAME = "INSTANCE"
"""The variable a written job's instances are named by, where its input named none."""
LOG_DIRECTORY = "/var/log/upstart"
"""Where ``console log`` writes a job's output, as ``NAME.log``."""
RESPAWN_LIMIT = StartLimit(burst=10, interval=5.0)
"""What ``respawn`` alone allows: 10 respawns in 5 seconds (JOB_DEFAULT_RESPAWN_*)."""
UNLIMITED = StartLimit(burst=0, interval=0.0)
"""``respawn limit unlimited``: systemd's StartLimitIntervalSec=0 turns its limit off."""
RLIMITS = frozenset(
    {"as", "core", "cpu", "data", "fsize", "memlock", "msgqueue", "nice", "nofile", "nproc",
     "rss", "rtprio", "sigpending", "stack"}
)  # fmt: skip
"""The rlimits upstart 0.6's ``limit`` knows, by their prlimit names."""
_SIGNALS = frozenset(
    {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "IOT", "BUS", "FPE", "KILL", "USR1", "SEGV",
     "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CLD", "CONT", "STOP", "TSTP", "TTIN",
     "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "POLL", "PWR", "SYS"}
)  # fmt: skip
"""Signal names ``normal exit`` takes (with or without ``SIG``), as libnih knows them."""
_HOOK_TIMES = {
    "pre-start": HookTime.BEFORE_START,
    "post-start": HookTime.AFTER_START,
    "post-stop": HookTime.AFTER_STOP,
}
_KEPT = "kept as an extra"
_LOST: dict[str, tuple[str, str, str, bool]] = {
    # an extra's key: (the model field it stands for, why, what was done, whether minor)
    "env": ("environment", "env {value} passes on init's own {value}", _KEPT, False),
    "emits": ("extras", "emits {value}: other jobs may wait for these events", _KEPT, True),
    "expect": ("daemonizes", "expect stop: the job says it is ready by stopping itself",
               "started in the foreground; readiness is not awaited", False),
    "normal exit": ("success_exit_codes", "a death by {value} counts as a normal exit",
                    "left out: the model holds exit statuses only", False),
    "console": ("stdout", "console owner: the console's keyboard signals reach the job",
                "output to /dev/console only", False),
    "nice": ("extras", "nice {value}: the model has no scheduling priority", _KEPT, False),
    "reload signal": ("reload", "reload signal {value}: the model has no reload signal",
                      _KEPT, False),
    "apparmor": ("extras", "apparmor {value}: the model has no AppArmor profile", _KEPT, False),
    "cgroup": ("extras", "cgroup {value}: the model has no control groups", _KEPT, False),
    "oom": ("extras", "oom {value}: the model has no OOM score adjustment", _KEPT, False),
    "chroot": ("extras", "chroot {value}: the model has no root directory", _KEPT, False),
    "instance": ("instances", "instance {value}: no command uses it as one variable",
                 "kept as an extra; one instance runs", False),
    "start on": ("enabled_at_boot", "start on {value}: systemd starts units on no such event",
                 "kept as an extra; nothing starts it on that event", False),
    "stop on": ("extras", "stop on {value}: systemd stops units on no such event",
                "kept as an extra; it stops only when stopped", False),
    "wanted-by": ("dependencies", "upstart also starts it whenever {job} starts",
                  "After={value}; being wanted by it is kept as an extra", True),
}  # fmt: skip
"""What each stanza kept as an extra (and lost) means; any other is one upstart refuses."""
_UNKNOWN = ("extras", "upstart knows no stanza {key!r} and would refuse the job", _KEPT, False)
_VARIABLE = re.compile(r"\$(?:(\w+)|\{(\w+)\})")


@dataclass(frozen=True, slots=True)
class Word:
    """A stanza's word: dequoted as its handler sees it, and as written."""

    text: str
    raw: str
    span: Span


@dataclass(frozen=True, slots=True)
class Stanza:
    """A stanza of words: ``respawn limit 10 5``, ``env A=1``, an unknown one."""

    keyword: str
    words: tuple[Word, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Process:
    """A process of the job: ``main`` (exec, script), ``pre-start``, ``post-stop``, …."""

    slot: str
    argv: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class On:
    """``start on`` or ``stop on`` and its event expression (``text``: on one line)."""

    keyword: str
    expression: events.Expression
    text: str
    span: Span


Record = Stanza | Process | On


@dataclass(slots=True)
class Job:
    """What one job file's stanzas set so far; later stanzas replace earlier ones."""

    name: str
    source: Source
    fields: dict[str, Any] = field(default_factory=dict)
    spans: dict[str, Span] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)
    extras: list[Extra] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    limits: dict[str, ResourceLimit] = field(default_factory=dict)
    notes: list[Diagnostic] = field(default_factory=list)
    respawn: Span | None = None
    task: bool = False
    exits: tuple[int, ...] | None = None
    instance: Word | None = None
    expect: Word | None = None
    triggers: dict[str, On] = field(default_factory=dict)

    def read(self, record: Record) -> None:
        """Apply one stanza (a process, start on or stop on: the last of its kind counts)."""
        if isinstance(record, Process):
            self.processes[record.slot] = record
        elif isinstance(record, On):
            self.triggers[record.keyword] = record
        else:
            _HANDLERS.get(record.keyword, _unknown)(self, record)

    def lose(self, span: Span, field_name: str, message: str, action: str, *, minor: bool) -> None:
        """Report what the model cannot hold as upstart means it (SV733)."""
        self.notes.append(
            Diagnostic(
                code=LOSS_CODE,
                severity=Severity.INFO if minor else Severity.WARNING,
                span=span,
                message=message,
                loss=ReadLoss(service=self.name, field=field_name, action=action),
            )
        )

    def keep(self, key: str, value: str, span: Span, *, informational: bool = False) -> None:
        """Keep a stanza the model has no field for, verbatim."""
        self.extras.append(
            Extra(
                format=FORMAT,
                key=key,
                value=value,
                is_informational=informational,
                origin=Origin(span=span),
            )
        )

    def keep_lost(self, key: str, value: str, span: Span) -> None:
        """Keep a stanza whose meaning the model loses, and report it (see _LOST)."""
        self.keep(key, value, span)
        field_name, why, action, minor = _LOST.get(key, _UNKNOWN)
        job = value.removesuffix(".service")
        message = why.format(key=key, value=value, job=job)
        action = action.format(value=value)
        self.lose(span, field_name, message, action, minor=minor)

    def set(self, name: str, value: object, span: Span) -> None:
        """Set a model field from a stanza at ``span``."""
        self.fields[name] = value
        self.spans[name] = span

    def service(self) -> Service:
        """Build the service the stanzas describe, with upstart's own defaults filled in."""
        if (start_on := self.triggers.get("start on")) is not None:
            _start_on(self, start_on)
        if (stop_on := self.triggers.get("stop on")) is not None:
            _stop_on(self, stop_on)
        fields = dict(self.fields)
        fields |= self._commands()
        fields["restart"] = self._restart()
        fields["start_limit"] = self.fields.get(
            "start_limit", RESPAWN_LIMIT if self.respawn else None
        )
        if self.exits is not None:
            services_respawn = self.respawn is not None and not self.task
            fields["success_exit_codes"] = tuple(
                sorted(set(self.exits) | (set() if services_respawn else {0}))
            )
        self._forks()
        fields.setdefault("daemonizes", False)
        fields.setdefault("stop_timeout", KILL_TIMEOUT)
        fields.setdefault("stop_signal", "SIGTERM")
        fields.setdefault("enabled_at_boot", False)
        start = Span(path=self.source.path, line=1, column=1)
        if any(fnmatchcase(self.name, pattern) for pattern in SYSTEMD_PROVIDED_JOBS):
            self.keep(PROVIDED_BY, "systemd", start)
        return Service(
            name=self.name,
            runs_once=self.task,
            environment=tuple(self.environment.items()),
            dependencies=tuple(self.dependencies),
            limits=tuple(self.limits.values()),
            stops_process_group=True,  # the stop signal goes to the process group,
            # then SIGKILL to it (system_kill)
            kills_process_group=True,
            extras=tuple(self.extras),
            managed_by=FORMAT,
            origin=Origin(span=start, fields=tuple(sorted(self.spans.items()))),
            **fields,
        )

    def _commands(self) -> dict[str, Any]:
        """Give the main process, pre-stop and the hooks as model commands."""
        commands = {
            slot: Command(argv=p.argv, origin=Origin(span=p.span))
            for slot, p in self.processes.items()
        }
        commands = self._instanced(commands)
        fields: dict[str, Any] = {}
        if "main" in commands:
            fields["start"] = commands["main"]
            self.spans["start"] = self.processes["main"].span
        elif self.processes:
            self.lose(
                next(iter(self.processes.values())).span,
                "start",
                "the job has no exec or script: upstart only runs its other processes",
                "no start command",
                minor=False,
            )
        if "pre-stop" in commands:
            # upstart runs pre-stop before it sends SIGTERM; systemd runs ExecStop= (the
            # model's stop command) before its KillSignal= too
            fields["stop"] = commands["pre-stop"]
            self.spans["stop"] = self.processes["pre-stop"].span
        hooks = [
            Hook(
                when=_HOOK_TIMES[slot],
                command=command,
                ignores_failure=slot == "post-start",  # upstart ignores its exit status
                origin=command.origin,
            )
            for slot, command in commands.items()
            if slot in _HOOK_TIMES
        ]
        if hooks:
            fields["hooks"] = tuple(hooks)
            self.spans["hooks"] = min((h.origin.span for h in hooks if h.origin.span), key=_place)
        return fields

    def _instanced(self, commands: dict[str, Command]) -> dict[str, Command]:
        """Make ``instance $VAR``'s variable the instance name in the commands using it."""
        if self.instance is None:
            return commands
        word = self.instance
        match = _VARIABLE.fullmatch(word.text)
        variable = (match.group(1) or match.group(2)) if match else None
        changed = {}
        for slot, command in commands.items():
            argv = quoting.with_instance(command.argv, variable) if variable else None
            if argv is not None:
                changed[slot] = replace(command, argv=argv, expands_variables=True)
        if changed:
            if variable != INSTANCE_NAME:  # the name a written job gets: nothing to keep
                self.keep("instance", word.text, word.span, informational=True)
            self.lose(
                word.span,
                "start",
                f"upstart names each instance by the {word.text} of the event that starts it",
                f"a template unit: its instance name stands for {word.text}",
                minor=True,
            )
            return commands | changed
        self.keep_lost("instance", word.text, word.span)
        return commands

    def _forks(self) -> None:
        """Keep how often the main process forks (``expect fork|daemon``).

        Not kept: the one fork the writer assumes for a program the knowledge base knows
        detaches.
        """
        main = self.processes.get("main")
        if self.expect is None:
            return
        if self.expect.text == "fork" and main is not None and foreground(main.argv):
            return
        self.keep("expect", self.expect.text, self.expect.span, informational=True)

    def _restart(self) -> RestartPolicy:
        """``respawn``: always, or on failure where exits count as normal (or for a task)."""
        if self.respawn is None:
            return RestartPolicy()
        # upstart respawns a service after any exit but a "normal exit" one, a task only
        # after a failure
        normal = self.exits is not None
        when = RestartWhen.ON_FAILURE if self.task or normal else RestartWhen.ALWAYS
        return RestartPolicy(when=when, origin=Origin(span=self.respawn))


def _place(span: Span) -> tuple[int, int]:
    return span.line, span.column


# ---------------------------------------------------------------- stanza handlers


def _words(stanza: Stanza, count: int, what: str) -> tuple[str, ...]:
    """Give exactly ``count`` words, as upstart's handler takes them, else refuse the job."""
    if len(stanza.words) != count:
        where = stanza.words[count].span if len(stanza.words) > count else stanza.span
        raise ParseError(f"{stanza.keyword}: expected {what}", where, code="SV101")
    return tuple(word.text for word in stanza.words)


def _description(job: Job, stanza: Stanza) -> None:
    (text,) = _words(stanza, 1, "one quoted description")
    job.set("description", text, stanza.span)


def _kept(job: Job, stanza: Stanza) -> None:
    """Keep author, version and export: upstart's bookkeeping, nothing for the process."""
    if not stanza.words or (stanza.keyword != "export" and len(stanza.words) > 1):
        _words(stanza, 1, "one value")
    job.keep(
        stanza.keyword,
        " ".join(word.text for word in stanza.words),
        stanza.span,
        informational=True,
    )


def _env(job: Job, stanza: Stanza) -> None:
    (assignment,) = _words(stanza, 1, "one KEY=value")
    key, equals, value = assignment.partition("=")
    if equals:
        job.environment.pop(key, None)
        job.environment[key] = value
        job.spans.setdefault("environment", stanza.span)
        return
    job.keep_lost("env", assignment, stanza.span)


def _emits(job: Job, stanza: Stanza) -> None:
    if not stanza.words:
        _words(stanza, 1, "an event name")
    job.keep_lost("emits", " ".join(word.text for word in stanza.words), stanza.span)


def _expect(job: Job, stanza: Stanza) -> None:
    (kind,) = _words(stanza, 1, "fork, daemon, stop or none")
    if kind not in ("fork", "daemon", "stop", "none"):
        raise ParseError(f"expect: unknown {kind!r}", stanza.words[0].span, code="SV101")
    job.set("daemonizes", kind in ("fork", "daemon"), stanza.span)
    if kind in ("fork", "daemon"):
        job.expect = Word(kind, kind, stanza.span)
    if kind == "stop":
        job.keep_lost("expect", kind, stanza.span)


def _task(job: Job, stanza: Stanza) -> None:
    _words(stanza, 0, "nothing after task")
    job.task = True
    job.spans["runs_once"] = stanza.span


def _kill(job: Job, stanza: Stanza) -> None:
    kind, value = _words(stanza, 2, "timeout SECONDS or signal SIGNAL")
    if kind == "signal":
        job.set("stop_signal", _signal(value, stanza.words[1].span), stanza.span)
    elif kind == "timeout":
        job.set("stop_timeout", float(_count(value, stanza.words[1].span)), stanza.span)
    else:
        raise ParseError("kill: expected timeout or signal", stanza.words[0].span, code="SV101")


def _reload(job: Job, stanza: Stanza) -> None:
    kind, value = _words(stanza, 2, "signal SIGNAL")
    if kind != "signal":
        raise ParseError("reload: expected signal", stanza.words[0].span, code="SV101")
    job.keep_lost("reload signal", _signal(value, stanza.words[1].span), stanza.span)


def _signal(text: str, span: Span) -> str:
    """Give a signal's name as ``SIGTERM``: upstart takes ``TERM``, ``SIGTERM`` or ``15``."""
    if text.isdigit():
        try:
            return signal.Signals(int(text)).name
        except ValueError:
            raise ParseError(f"{text!r} is no signal", span, code="SV101") from None
    name = text.upper().removeprefix("SIG")
    if name not in _SIGNALS:
        raise ParseError(f"{text!r} is no signal", span, code="SV101")
    return f"SIG{name}"


def _identity(job: Job, stanza: Stanza) -> None:
    """``setuid USER`` and ``setgid GROUP``: who the job's processes run as."""
    (name,) = _words(stanza, 1, "one name")
    job.set("user" if stanza.keyword == "setuid" else "group", name, stanza.span)


def _manual(job: Job, stanza: Stanza) -> None:
    """``manual`` forgets the ``start on`` read so far (an override's disables the job)."""
    _words(stanza, 0, "nothing after manual")
    job.triggers.pop("start on", None)
    job.spans["enabled_at_boot"] = stanza.span


def _respawn(job: Job, stanza: Stanza) -> None:
    if not stanza.words:
        job.respawn = stanza.span
        return
    if stanza.words[0].text != "limit":
        raise ParseError("respawn: expected limit", stanza.words[0].span, code="SV101")
    if [w.text for w in stanza.words[1:]] == ["unlimited"]:
        job.set("start_limit", replace(UNLIMITED, origin=Origin(span=stanza.span)), stanza.span)
        return
    _, burst, interval = _words(stanza, 3, "limit COUNT SECONDS, or limit unlimited")
    count = _count(burst, stanza.words[1].span)
    seconds = _count(interval, stanza.words[2].span)
    limit = StartLimit(burst=count, interval=float(seconds)) if count and seconds else UNLIMITED
    job.set("start_limit", replace(limit, origin=Origin(span=stanza.span)), stanza.span)


def _normal(job: Job, stanza: Stanza) -> None:
    if not stanza.words or stanza.words[0].text != "exit" or len(stanza.words) < 2:
        raise ParseError(
            "normal: expected exit and exit statuses or signals", stanza.span, code="SV101"
        )
    codes: list[int] = []
    for word in stanza.words[1:]:
        if word.text.removeprefix("SIG") in _SIGNALS:
            job.keep_lost("normal exit", word.text, word.span)
        else:
            codes.append(_count(word.text, word.span))
    job.exits = (*(job.exits or ()), *codes)
    job.spans["success_exit_codes"] = stanza.span


def _console(job: Job, stanza: Stanza) -> None:
    (kind,) = _words(stanza, 1, "log, output, owner or none")
    if kind not in ("log", "output", "owner", "none"):
        raise ParseError(f"console: unknown {kind!r}", stanza.words[0].span, code="SV101")
    output = Output(kind="file", path="/dev/console")
    if kind == "none":
        output = Output(kind="null")
    elif kind == "log":
        output = Output(kind="file", path=f"{LOG_DIRECTORY}/{job.name}.log")
    job.set("stdout", output, stanza.span)
    job.set("stderr", Output(kind="inherit"), stanza.span)
    if kind == "owner":
        job.keep_lost("console", kind, stanza.span)


def _umask(job: Job, stanza: Stanza) -> None:
    (mask,) = _words(stanza, 1, "an octal umask")
    if not re.fullmatch(r"[0-7]+", mask) or int(mask, 8) > 0o777:
        raise ParseError(f"umask: {mask!r} is no octal umask", stanza.words[0].span, code="SV101")
    job.set("umask", mask, stanza.span)


def _ranged(low: int, high: int, *, special: str = "") -> Callable[[Job, Stanza], None]:
    """Keep nice or oom: a number upstart range-checks, which the model has no field for."""

    def handler(job: Job, stanza: Stanza) -> None:
        (value,) = _words(stanza, 1, f"a number from {low} to {high}")
        _check_range(stanza, value, low, high, special)
        job.keep_lost(stanza.keyword, value, stanza.span)

    return handler


def _check_range(stanza: Stanza, value: str, low: int, high: int, special: str) -> None:
    if value != special and not (re.fullmatch(r"-?\d+", value) and low <= int(value) <= high):
        raise ParseError(
            f"{stanza.keyword}: {value!r} is out of range", stanza.words[-1].span, code="SV101"
        )


def _oom(job: Job, stanza: Stanza) -> None:
    """``oom score N`` (upstart 1.x, -1000 to 1000) or ``oom N`` (0.6's, -17 to 15)."""
    if stanza.words and stanza.words[0].text == "score":
        _, value = _words(stanza, 2, "score and a number from -1000 to 1000")
        _check_range(stanza, value, -1000, 1000, "never")
        job.keep_lost("oom", f"score {value}", stanza.span)
        return
    (value,) = _words(stanza, 1, "a number from -17 to 15")
    _check_range(stanza, value, -17, 15, "never")
    job.keep_lost("oom", value, stanza.span)


def _kept_lost(job: Job, stanza: Stanza) -> None:
    """Keep a stanza upstart knows whose meaning the model has no field for (see _LOST)."""
    if not stanza.words:
        _words(stanza, 1, "a value")
    job.keep_lost(stanza.keyword, " ".join(word.text for word in stanza.words), stanza.span)


def _limit(job: Job, stanza: Stanza) -> None:
    resource = _words(stanza, 3, "RESOURCE SOFT HARD")[0]
    if resource not in RLIMITS:
        raise ParseError(
            f"limit: unknown resource {resource!r}", stanza.words[0].span, code="SV101"
        )
    values = []
    for word in stanza.words[1:]:
        values.append("infinity" if word.text == "unlimited" else str(_count(word.text, word.span)))
    value = values[0] if values[0] == values[1] else ":".join(values)
    job.limits[resource] = ResourceLimit(
        resource=resource, value=value, origin=Origin(span=stanza.span)
    )
    job.spans.setdefault("limits", stanza.span)


def _chroot(job: Job, stanza: Stanza) -> None:
    job.keep_lost("chroot", _words(stanza, 1, "a directory")[0], stanza.span)


def _chdir(job: Job, stanza: Stanza) -> None:
    (directory,) = _words(stanza, 1, "a directory")
    job.set("working_directory", directory, stanza.span)


def _instance(job: Job, stanza: Stanza) -> None:
    _words(stanza, 1, "one instance name")
    job.instance = stanza.words[0]


def _unknown(job: Job, stanza: Stanza) -> None:
    job.keep_lost(stanza.keyword, " ".join(word.raw for word in stanza.words), stanza.span)


def _count(text: str, span: Span) -> int:
    if not text.isdigit():
        raise ParseError(f"{text!r} is not a number", span, code="SV101")
    return int(text)


_HANDLERS: dict[str, Callable[[Job, Stanza], None]] = {
    "description": _description,
    "author": _kept,
    "version": _kept,
    "export": _kept,
    "usage": _kept,
    "env": _env,
    "emits": _emits,
    "expect": _expect,
    "task": _task,
    "kill": _kill,
    "reload": _reload,
    "setuid": _identity,
    "setgid": _identity,
    "manual": _manual,
    "apparmor": _kept_lost,
    "cgroup": _kept_lost,
    "respawn": _respawn,
    "normal": _normal,
    "console": _console,
    "umask": _umask,
    "nice": _ranged(-20, 19),
    "oom": _oom,
    "limit": _limit,
    "chroot": _chroot,
    "chdir": _chdir,
    "instance": _instance,
}


def _start_on(job: Job, on: On) -> None:
    """Runlevels and boot events say whether it starts at boot; ``started X`` orders it.

    Runlevels joined by ``and`` to another event do not start it by themselves; boot
    events (``filesystem``, ``net-device-up``) come at every boot, so a job waiting only
    for them starts at boot. Their text is kept for upstart to write back.
    """
    levels: set[str] = set()
    others: list[events.Event] = []
    for event in events.leaves(on.expression):
        found = events.runlevels(event)
        if found:
            levels |= found
        elif found is None and (other := events.started_job(event)) is not None:
            _started(job, event, other)
        else:
            others.append(event)
    joined = "and" in events.operators(on.expression)
    at_boot = events.is_at_boot(on.expression)
    job.spans["enabled_at_boot"] = on.span
    if levels and not (others and joined):
        job.fields["enabled_at_boot"] = bool(levels & events.BOOT_LEVELS)
        named = "".join(level for level in events.RUNLEVELS if level in levels)
        if levels != events.BOOT_LEVELS:  # the multi-user ones: enabled_at_boot says it
            job.keep("runlevels", named, on.span)
        if not levels & events.BOOT_LEVELS:
            message = f"starts only on entering runlevel {' '.join(named)}"
            job.lose(on.span, "enabled_at_boot", message, "not started at boot", minor=False)
    if at_boot:
        job.fields["enabled_at_boot"] = True
    if others:
        _other_events(job, on, at_boot=at_boot)
    elif joined:
        message = f"start on {on.text}: upstart waits for all of these events"
        job.lose(on.span, "enabled_at_boot", message, "each event is read alone", minor=True)


def _other_events(job: Job, on: On, *, at_boot: bool) -> None:
    """Keep a ``start on`` naming events systemd lacks; say what starting at boot loses."""
    if not at_boot:
        job.keep_lost("start on", on.text, on.span)
        return
    job.keep("start on", on.text, on.span)
    job.lose(
        on.span,
        "enabled_at_boot",
        f"start on {on.text}: upstart waits for these events of the boot",
        "kept as an extra; started at boot",
        minor=True,
    )


def _started(job: Job, event: events.Event, other: str) -> None:
    job.dependencies.append(
        Dependency(name=other, binding=Binding.ORDERS, origin=Origin(span=event.span))
    )
    job.spans.setdefault("dependencies", event.span)
    job.keep_lost("wanted-by", f"{other}.service", event.span)


def _stop_on(job: Job, on: On) -> None:
    """Leaving the multi-user runlevels is how every unit stops; other events are kept."""
    if isinstance(on.expression, events.Event):
        levels = events.runlevels(on.expression)
        if levels and not levels & events.BOOT_LEVELS:
            return
    job.keep_lost("stop on", on.text, on.span)
