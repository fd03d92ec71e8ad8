"""Write the supervision model as an Angel configuration: one ``angel.conf`` for all.

Each process becomes a group with its ``exec``, and what Angel can hold of the rest.
Angel's ``user`` is file-wide, so services of different users go to one file each
(``angel-USER.conf``), each for an angel of its own. Angel watches the process it
starts, so a daemonizing command goes through the knowledge base of foreground forms;
with none known the service is not written. Imports: model, diagnostics, loss,
knowledge, formats/_foreground, formats/_options, formats/angel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from translator.diagnostics import Severity
from translator.formats._foreground import foreground_form
from translator.formats._options import EmitOptions
from translator.formats.angel import quoting
from translator.formats.angel.parse import (
    COMPLETE_ENVIRONMENT,
    DEFAULT_DELAY,
    FORMAT,
    NEVER_KILL,
)
from translator.knowledge.control import request
from translator.loss import LossLog, ServiceLosses
from translator.model import VARIABLE_REFERENCE, Host, RestartWhen, Service

MAIN_FILE = "angel.conf"
INDENT = "    "
"""Seconds Angel waits before starting a program again (Data.hs ``defaultDelay``)."""
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]")
_WRITTEN_EXTRAS = frozenset([COMPLETE_ENVIRONMENT[0], "logger", "termgrace"])


@dataclass(slots=True)
class _Program(ServiceLosses):
    """The lines of one program group being written."""

    lines: list[str] = field(default_factory=list)

    def set(self, key: str, value: str) -> None:
        self.lines.append(f"{INDENT}{key} = {value}")


def emit(host: Host, options: EmitOptions, losses: LossLog) -> dict[str, str]:
    """Return ``{angel.conf: text}``, plus ``angel-USER.conf`` per further user."""
    blocks: list[tuple[str | None, str]] = []
    for service in host.services:
        if not service.is_process:
            losses.not_written(service, target=FORMAT, action="dropped")
            continue
        written = _program(_Program(service=service, losses=losses))
        if written is not None:
            blocks.append((_user(service), written))
    losses.foreign_extras(host.extras, target=FORMAT, action="left out")
    top = [_host_extra(extra.key, extra.value) for extra in host.extras if extra.format == FORMAT]
    users = list(dict.fromkeys(user for user, _ in blocks))
    if not blocks and not top:
        return {}
    if len(users) > 1:
        _report_split(host, losses)
    files: dict[str, str] = {}
    for user in users or [None]:
        name = _file_name(user) if len(users) > 1 else MAIN_FILE
        head = [*top] if name == MAIN_FILE else []
        if user is not None:
            head.insert(0, f"user = {quoting.quote(user)}")
        body = [text for owner, text in blocks if owner == user]
        files[name] = _file(options.header, head, body)
    return files


def _user(service: Service) -> str | None:
    return service.user or (service.start.user if service.start else None)


def _file_name(user: str | None) -> str:
    return MAIN_FILE if user is None else f"angel-{_NOT_NAME.sub('-', user)}.conf"


def _file(header: str, head: list[str], blocks: list[str]) -> str:
    comments = [f"# {line}".rstrip() for line in header.splitlines()]
    parts = ["\n".join([*comments, *head])] if comments or head else []
    return "\n\n".join([*parts, *blocks]) + "\n"


def _host_extra(key: str, value: str) -> str:
    return f"import {quoting.quote(value)}" if key == "import" else f"{key} = {value}"


def _report_split(host: Host, losses: LossLog) -> None:
    for service in host.services:
        user = _user(service) if service.is_process else None
        if user is not None:
            losses.unsupported(
                service.origin,
                "user",
                service=service.name,
                code="SV710",
                severity=Severity.INFO,
                reason=f"an angel file has one user for all its programs; this one runs as {user}",
                action=f"written to {_file_name(user)}, for an angel of its own",
            )


def _program(program: _Program) -> str | None:
    """Write one program group; None (reported) when Angel cannot run it."""
    service = program.service
    if service.start is None:
        program.losses.no_start(service, written="program")
        return None
    argv = _foreground_argv(program)
    command = _command(program, argv) if argv is not None else None
    if command is None:
        return None
    program.set("exec", quoting.quote(command))
    _settings(program)
    _unsupported(program)
    return "\n".join([f"{_name(program)} {{", *program.lines, "}"])


def _name(program: _Program) -> str:
    name = program.service.name
    if _NAME.fullmatch(name):
        return name
    written = _NOT_NAME.sub("-", name)
    written = written if written[:1].isalpha() else f"p{written}"
    program.lose("name", f"an angel program name is a word, not {name!r}", f"named {written}")
    return written


def _foreground_argv(program: _Program) -> tuple[str, ...] | None:
    """Give the argv Angel can keep in front, or None (reported) when none is known."""
    service = program.service
    assert service.start is not None
    if service.match_pattern:
        program.lose(
            "match_pattern",
            "angel watches its own child, not a pattern",
            "dropped",
            severity=Severity.INFO,
        )
    if not service.daemonizes:
        return service.start.argv
    form = foreground_form(program, "angel")
    if form is None:
        _no_foreground(program)
        return None
    return form.argv


def _no_foreground(program: _Program) -> None:
    start = program.service.start
    assert start is not None
    asked = request(start.argv)
    reason = (
        f"{start.argv[0]} asks {asked.tool.value} to start {asked.name} in the background"
        if asked is not None and asked.runs_init_script
        else f"{start.argv[0]} detaches and svconv knows no foreground form of it"
    )
    program.lose(
        "service",
        reason,
        "no program written: angel would see it exit and start it again every "
        f"{_delay_text(program.service.restart.delay)} s; give its foreground command by hand",
        code="SV715",
        severity=Severity.ERROR,
        located_at="daemonizes",
    )


def _delay_text(delay: float | None) -> str:
    return f"{DEFAULT_DELAY if delay is None else delay:g}"


def _command(program: _Program, argv: tuple[str, ...]) -> str | None:
    """Angel's exec: the argv split at spaces, run without a shell."""
    start = program.service.start
    assert start is not None
    if start.expands_variables:
        if any(m.group() != "$$" for w in argv for m in VARIABLE_REFERENCE.finditer(w)):
            program.lose(
                "start.expands_variables",
                "angel runs exec without a shell and expands no $VARIABLES",
                "passed literally",
            )
        argv = tuple(word.replace("$$", "$") for word in argv)
    command = quoting.join(argv)
    if command is None:
        program.lose(
            "service",
            "angel splits exec at every space and cannot pass an empty argument or one "
            f"with a space: {argv!r}",
            "no program written",
            code="SV702",
            severity=Severity.ERROR,
            located_at="start",
        )
    return command


def _settings(program: _Program) -> None:
    service = program.service
    if service.working_directory:
        program.set("directory", quoting.quote(service.working_directory))
    _outputs(program)
    _restart(program)
    _instances(program)
    if service.pidfile:
        program.set("pidfile", quoting.quote(service.pidfile))
    _stop(program)
    for extra in service.extras:
        if extra.format == FORMAT and extra.key not in _WRITTEN_EXTRAS:
            program.set(extra.key, extra.value)
    _environment(program)


_SILENT = ("null",)
_DESTINATIONS = {
    "managed": "its supervisor's log",
    "journal": "the journal",
    "inherit": "its supervisor's output",
}


def _outputs(program: _Program) -> None:
    """``stdout``/``stderr`` files, or the ``logger`` both go to; /dev/null by default."""
    service = program.service
    logger = next(
        (e.value for e in service.extras if e.format == FORMAT and e.key == "logger"), None
    )
    if logger is not None and service.stdout is None and service.stderr is None:
        program.set("logger", quoting.quote(logger))
        return
    stdout = service.stdout
    if stdout is not None and stdout.kind == "file" and stdout.path:
        program.set("stdout", quoting.quote(stdout.path))
    elif stdout is not None and stdout.kind not in _SILENT:
        where = _DESTINATIONS.get(stdout.kind, stdout.kind)
        program.lose("stdout", f"angel cannot send output to {where}", "sent to /dev/null")
    _stderr(program)


def _stderr(program: _Program) -> None:
    stdout, stderr = program.service.stdout, program.service.stderr
    if stderr is None or stderr.kind in _SILENT:
        return
    if stderr.kind == "file" and stderr.path:
        program.set("stderr", quoting.quote(stderr.path))
    elif stderr.kind == "inherit" and stdout is not None and stdout.kind == "file" and stdout.path:
        program.set("stderr", quoting.quote(stdout.path))
        program.lose(
            "stderr",
            "angel names a file for each stream",
            "stderr appends to stdout's file",
            severity=Severity.INFO,
        )
    else:
        reason = (
            "angel sends errors only to a file it names"
            if stderr.kind == "inherit"
            else f"angel cannot send errors to {_DESTINATIONS.get(stderr.kind, stderr.kind)}"
        )
        program.lose("stderr", reason, "sent to /dev/null")


def _restart(program: _Program) -> None:
    service = program.service
    if service.restart.when is not RestartWhen.ALWAYS:
        program.lose(
            "restart", "angel starts a program again whenever it exits", "restarted always"
        )
    if service.runs_once:
        program.lose("runs_once", "angel has no one-shot tasks", "restarted whenever it exits")
    delay = service.restart.delay
    if delay is not None and delay != round(delay):
        program.lose("restart.delay", "angel waits whole seconds", f"delay = {round(delay)}")
    if delay is not None and round(delay) != DEFAULT_DELAY:
        program.set("delay", str(round(delay)))
    if service.start_limit is not None:
        program.lose(
            "start_limit",
            "angel restarts forever; it has no start limit",
            f"left out: it waits {_delay_text(delay)} s between starts",
        )


def _instances(program: _Program) -> None:
    """``count``: copies named NAME-1 … NAME-N; 0 keeps the program stopped."""
    service = program.service
    if not service.enabled_at_boot:
        program.set("count", "0")
        if service.instances > 1:
            program.lose("instances", "angel's count = 0 stops every copy", "none runs")
        return
    if service.instances > 1 or service.first_instance == 1:
        program.set("count", str(service.instances))
    if service.instances > 1 and service.first_instance != 1:
        program.lose(
            "first_instance",
            "angel numbers copies from 1 (ANGEL_PROCESS_NUMBER)",
            "numbered from 1",
            severity=Severity.INFO,
        )
    if service.instances > 1 and service.instance_format != "%d":
        program.lose("instance_format", "angel writes copy numbers as plain digits", "written %d")


def _stop(program: _Program) -> None:
    service = program.service
    if service.stop_signal and service.stop_signal.removeprefix("SIG") != "TERM":
        program.lose("stop_signal", "angel stops a program with SIGTERM", "left out")
    kept = next(
        (e.value for e in service.extras if e.format == FORMAT and e.key == "termgrace"), None
    )
    timeout = service.stop_timeout
    if timeout is None:
        if kept in NEVER_KILL:
            program.set("termgrace", str(kept))
        return
    grace = max(1, round(timeout))
    if grace != timeout:
        program.lose(
            "stop_timeout", "angel waits whole seconds before SIGKILL", f"termgrace = {grace}"
        )
    program.set("termgrace", str(grace))


def _environment(program: _Program) -> None:
    """Write the ``env`` block: all the program gets, since Angel passes on nothing of its own."""
    service = program.service
    complete = any(
        (e.format, e.key, e.value) == (FORMAT, *COMPLETE_ENVIRONMENT) for e in service.extras
    )
    if not complete:
        program.lose(
            "environment",
            "angel gives a program only its env block, nothing inherited (no PATH, HOME)",
            "written as is",
            severity=Severity.INFO,
            located_at="start",
            also=("extras",),
        )
    if service.environment:
        variables = [f"{INDENT * 2}{k} = {quoting.quote(v)}" for k, v in service.environment]
        program.lines += [f"{INDENT}env {{", *variables, f"{INDENT}}}"]
    bad = [k for k, _ in service.environment if not _NAME.fullmatch(k)]
    if bad:
        program.lose("environment", f"configurator names are words, not {bad!r}", "left as is")
    if service.environment_files:
        program.lose("environment_files", "angel reads no environment files", "left out")


_NOT_HELD = (
    ("description", "description"),
    ("group", "group to run as"),
    ("umask", "umask"),
    ("stops_process_group", "process-group stop"),
    ("kills_process_group", "process-group kill"),
    ("min_uptime", "minimum uptime"),
    ("start_order", "start order"),
    ("dependencies", "dependencies"),
    ("hooks", "hooks"),
    ("limits", "resource limits"),
    ("groups", "groups"),
    ("sockets", "sockets it opens"),
)


def _unsupported(program: _Program) -> None:
    """Report every field a program group cannot hold, the checks and the alerts."""
    service = program.service
    for name, what in _NOT_HELD:
        if getattr(service, name) not in (None, (), False):
            program.lose(name, f"angel has no {what}", "left out")
    if service.start is not None and service.start.group is not None and not service.group:
        program.lose("start.group", "angel has no group to run as", "left out")
    for slot in ("stop", "reload", "restart_command"):
        if getattr(service, slot) is not None:
            what = slot.replace("_command", "")
            program.lose(slot, f"angel has no {what} command; it signals the process", "left out")
    if service.success_exit_codes != (0,):
        program.lose("success_exit_codes", "angel restarts on any exit", "left out")
    if service.start is not None and service.start.timeout is not None:
        program.lose("start.timeout", "angel has no start timeout", "left out")
    program.losses.checks_and_alerts(service, target=FORMAT, action="dropped")
    program.losses.foreign_service_extras(service, target=FORMAT, action="left out")
