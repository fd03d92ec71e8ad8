"""Read supervisord configuration into the supervision model, as supervisor itself does.

The reference is supervisor's ``ServerOptions`` (``options.py``, ``datatypes.py``,
Debian 12's 4.2.5): the same INI reading (``ini.py``), includes, ``%(name)s`` expansion
(``expand.py``), defaults, value types and errors, each error at the value at fault.
What supervisor checks against the host (users, directories, importable handlers) is
left to lint. Imports: model, diagnostics, errors, formats/supervisord.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, TypeVar

from translator.diagnostics import Diagnostic, IncludeLoader, ParseResult, Severity
from translator.errors import ParseError
from translator.formats._options import ParseOptions
from translator.formats.supervisord import ini, keys, quoting
from translator.formats.supervisord.expand import expand
from translator.model import (
    INSTANCE_VARIABLE,
    Command,
    Extra,
    Host,
    ListenSocket,
    Origin,
    Output,
    RestartPolicy,
    RestartWhen,
    Service,
    ServiceKind,
    Source,
    Span,
    StartLimit,
)

FORMAT = "supervisord"
_T = TypeVar("_T")
_PROCESS_NUM = re.compile(r"%\(process_num\)([#0\- +]*\d*(?:\.\d+)?[diouxX])")
_INSTANCE_MARK = "\x00instance\x00"
PROCESS_SECTIONS = ("program", "eventlistener", "fcgi-program")
_TRUE = ("yes", "true", "on", "1")
_FALSE = ("no", "false", "off", "0")
_AUTORESTART = (
    {"unexpected": RestartWhen.ON_FAILURE}
    | dict.fromkeys(_TRUE, RestartWhen.ALWAYS)
    | dict.fromkeys(_FALSE, RestartWhen.NEVER)
)
# Keys the model holds; every other key of a process section is kept as an extra.
_MODELLED = frozenset({
    "command", "directory", "user", "umask", "environment", "autostart", "autorestart",
    "exitcodes", "startsecs", "startretries", "stopsignal", "stopwaitsecs", "stopasgroup",
    "killasgroup", "redirect_stderr", "stdout_logfile", "stderr_logfile", "priority",
    "numprocs",
    "numprocs_start",
    "socket",
    "socket_owner",
    "socket_mode",
    "socket_backlog",
})  # fmt: skip
_SIGNUMS = {0: "0"} | {int(s): s.name for s in signal.Signals}


def parse(
    source: Source,
    *,
    load_include: IncludeLoader | None = None,
    options: ParseOptions | None = None,
) -> ParseResult:
    """Parse a supervisord.conf (or a conf.d fragment) and the files it includes."""
    return parse_many([source], load_include=load_include, options=options)


def parse_many(
    sources: list[Source],
    *,
    load_include: IncludeLoader | None = None,
    options: ParseOptions | None = None,
) -> ParseResult:
    """Parse several files as supervisord reads a main file and what it includes.

    The first is the main file (its ``[include]`` is followed); the others are read into
    the same parser after it, so a ``[group:]`` may name a program of another file.
    """
    context = options or ParseOptions()
    diagnostics: list[Diagnostic] = []
    source = sources[0]
    document = ini.read(source)
    for other in sources[1:]:
        ini.read(other, document)
    _read_includes(document, source, load_include, context, diagnostics)
    diagnostics += keys.unknown_keys(document)
    diagnostics += [
        Diagnostic(
            code="SV107",
            severity=Severity.WARNING,
            span=again,
            message=f"this section was opened before at {first}; supervisord merges the two, "
            "the later value of a key winning",
        )
        for again, first in document.repeated
    ]
    environ = _supervisord_environment(document, context)
    groups = _groups(document)
    services = [
        _service(document, name, groups.get(name), environ, context, diagnostics)
        for name in document.sections
        if name.partition(":")[0] in PROCESS_SECTIONS
    ]
    host = Host(
        services=tuple(services),
        extras=tuple(_other_sections(document, environ.expansions)),
        origin=Origin(span=Span(path=source.path, line=1, column=1)),
    )
    return ParseResult(host=host, diagnostics=tuple(diagnostics))


# ---------------------------------------------------------------- includes


def _read_includes(
    document: ini.Document,
    source: Source,
    load_include: IncludeLoader | None,
    context: ParseOptions,
    diagnostics: list[Diagnostic],
) -> None:
    """Read ``[include] files=`` of the main file into the same document, sorted per glob."""
    if "include" not in document.sections:
        return
    files = document.sections["include"].values.get("files")
    if files is None:
        raise ParseError(
            "[include] has no files= setting", document.sections["include"].span, code="SV101"
        )
    expansions = {
        "here": _here(files.path),
        "host_node_name": context.host_node_name,
        **_env(context.environ),
    }
    patterns = expand(files.text, expansions, files.span, keep_env=False).text.split()
    for pattern in patterns:
        if load_include is None:
            diagnostics.append(_note("SV801", f"include not followed: {pattern}", files.span))
            continue
        found = load_include(pattern, files.span)
        if not found:
            diagnostics.append(
                Diagnostic(
                    code="SV301",
                    severity=Severity.WARNING,
                    span=files.span,
                    message=f"no file matches include {pattern!r}",
                )
            )
        for included in found:
            ini.read(included, document)
    _replace_here(document)
    again = document.sections["include"].values.get("files")
    if again is not None and again.path != source.path:
        diagnostics.append(
            _note(
                "SV804",
                "[include] in an included file is ignored, as supervisord ignores it",
                again.span,
            )
        )


def _replace_here(document: ini.Document) -> None:
    """Replace ``%(here)s`` as plain text in every value, as supervisor does.

    With an [include] supervisor does this before expanding anything, so even
    ``%%(here)s`` loses its ``(here)s``.
    """
    sections = [section.values for section in document.sections.values()]
    for values in [*sections, document.defaults]:
        for value in values.values():
            value.text = value.text.replace("%(here)s", _here(value.path))


def _note(code: str, message: str, span: Span) -> Diagnostic:
    return Diagnostic(code=code, message=message, span=span, severity=Severity.INFO)


def _here(path: str) -> str:
    return str(PurePosixPath(path).parent)


def _env(environ: Mapping[str, str]) -> dict[str, object]:
    return {f"ENV_{key}": value for key, value in environ.items()}


@dataclass(frozen=True, slots=True)
class _Environment:
    """What ``%(ENV_X)s`` can name, and the pairs every program's environment starts from.

    ``expansions`` hold ``--env`` values, then supervisord's own environment=; ``pairs``
    are that environment=.
    """

    expansions: dict[str, str]
    pairs: tuple[tuple[str, str], ...]


def _supervisord_environment(document: ini.Document, context: ParseOptions) -> _Environment:
    """Read ``[supervisord] environment=``, expanded twice as supervisor does."""
    environ = dict(context.environ)
    section = document.sections.get("supervisord")
    value = section.values.get("environment") if section else None
    if value is None:
        return _Environment(expansions=environ, pairs=())
    expansions = {
        "here": _here(value.path),
        "host_node_name": context.host_node_name,
        **_env(environ),
    }
    once = expand(value.text, expansions, value.span, keep_env=False).text
    twice = expand(once, expansions, value.span, keep_env=False).text
    pairs = quoting.split_environment(twice, value.span)
    return _Environment(expansions=environ | dict(pairs), pairs=pairs)


def _groups(document: ini.Document) -> dict[str, str]:
    """Map each ``program:x`` section that a ``[group:g]`` lists to ``g``."""
    owner: dict[str, str] = {}
    for name, section in document.sections.items():
        kind, _, group = name.partition(":")
        if kind != "group":
            continue
        _check_name(group, section.span)
        priority = section.values.get("priority")
        if priority is not None and not priority.text.strip().lstrip("-").isdigit():
            raise ParseError(
                f"priority: not an integer: {priority.text!r}", priority.span, code="SV103"
            )
        programs = section.values.get("programs")
        for program in programs.text.replace(",", " ").split() if programs else []:
            member = next(
                (
                    f"{k}:{program}"
                    for k in ("program", "fcgi-program")
                    if f"{k}:{program}" in document.sections
                ),
                None,
            )
            if member is None:
                raise ParseError(
                    f"[{name}] names unknown program {program}",
                    programs.span if programs else section.span,
                    code="SV101",
                )
            owner[member] = group
    return owner


def _check_name(name: str, span: Span) -> None:
    for character in " :/":
        if character in name.strip():
            raise ParseError(f"invalid name {name!r}: it holds {character!r}", span, code="SV101")


# ---------------------------------------------------------------- process sections


@dataclass(slots=True)
class _Reader:
    """Typed reads of one process section's values, recording the span of each."""

    document: ini.Document
    section: str
    expansions: dict[str, object]
    spans: dict[str, Span] = field(default_factory=dict)
    references: list[tuple[str, Span]] = field(default_factory=list)

    def raw(self, key: str) -> ini.Value | None:
        return self.document.get(self.section, key)

    def text(self, key: str, *, slot: str | None = None, expand_it: bool = True) -> str | None:
        value = self.raw(key)
        if value is None:
            return None
        self.spans[slot or key] = value.span
        if not expand_it:
            return value.text
        expansions = {**self.expansions, "here": _here(value.path)}
        result = expand(value.text, expansions, value.span, keep_env=False)
        self.references += [(name, value.span) for name in result.references]
        return result.text

    def convert(
        self, key: str, default: str, convert: Callable[[str], _T], *, slot: str | None = None
    ) -> _T:
        text = self.text(key, slot=slot)
        try:
            return convert(default if text is None else text)
        except (ValueError, KeyError) as error:
            value = self.raw(key)
            span = value.span if value else self.document.sections[self.section].span
            raise ParseError(f"{key}: {error}", span, code="SV103") from None


def _boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered not in _TRUE + _FALSE:
        raise ValueError(f"not a valid boolean value: {text!r}")
    return lowered in _TRUE


def _integer(text: str) -> int:
    return int(text)


def _exit_codes(text: str) -> tuple[int, ...]:
    if not text:
        return ()
    codes = tuple(int(word) for word in text.split(","))
    if any(not 0 <= code <= 255 for code in codes):
        raise ValueError(f"not a valid list of exit codes: {text!r}")
    return codes


def _autorestart(text: str) -> RestartWhen:
    if text.lower() not in _AUTORESTART:
        raise ValueError(f"invalid 'autorestart' value {text!r}")
    return _AUTORESTART[text.lower()]


def _signal(text: str) -> str:
    if text.strip().isdigit():
        number = int(text)
        if number not in _SIGNUMS:
            raise ValueError(f"value {text!r} is not a valid signal number")
        return _SIGNUMS[number]  # supervisor takes 0 (SIG_DFL) too
    name = text.strip().upper()
    name = name if name.startswith("SIG") else f"SIG{name}"
    if name not in signal.Signals.__members__:
        raise ValueError(f"value {text!r} is not a valid signal name")
    return name


def _octal(text: str) -> str:
    int(text, 8)
    return text


def _output(text: str) -> Output:
    lowered = text.lower()
    if lowered in ("none", "off"):
        return Output(kind="null")
    if lowered == "auto":
        return Output(kind="managed")
    if lowered == "syslog":  # deprecated spelling of {stream}_syslog=true
        return Output(kind="syslog")
    return Output(kind="file", path=text)


def _byte_size(text: str) -> int:
    match = re.fullmatch(r"\s*(\d+)\s*(KB|MB|GB)?\s*", text.upper())
    if match is None:
        raise ValueError(f"not a byte size: {text!r}")
    return int(match.group(1)) * {"KB": 1024, "MB": 1024**2, "GB": 1024**3}.get(
        match.group(2) or "", 1
    )


def _service(
    document: ini.Document,
    section: str,
    group: str | None,
    environ: _Environment,
    context: ParseOptions,
    diagnostics: list[Diagnostic],
) -> Service:
    kind, _, name = section.partition(":")
    section_span = document.sections[section].span
    _check_name(name, section_span)
    base: dict[str, object] = {
        "program_name": name.strip(),
        "group_name": group or name.strip(),
        "host_node_name": context.host_node_name,
        **_env(environ.expansions),
    }
    reader = _Reader(document, section, base)
    # supervisor reads these before it knows process_num or the program's environment.
    fields = _early_fields(reader, kind, section_span)
    process_name = reader.text("process_name", expand_it=False) or "%(program_name)s"
    if fields["instances"] > 1 and "%(process_num)" not in process_name:
        raise ParseError(
            "process_name must hold %(process_num) when numprocs > 1",
            reader.spans.get("process_name", section_span),
            code="SV101",
        )
    first = reader.convert("numprocs_start", "0", _integer)
    reader.expansions |= {"process_num": first, "numprocs": fields["instances"]}
    own = _program_environment(reader)
    fields["environment"] = tuple({**dict(environ.pairs), **dict(own)}.items())
    _check_name(
        expand(
            process_name, reader.expansions, reader.spans.get("process_name", section_span)
        ).text,
        reader.spans.get("process_name", section_span),
    )
    directory = reader.text("directory", slot="working_directory")
    if directory is not None:
        fields["working_directory"] = directory
    fields |= _outputs(reader)
    fields["start"] = _command(reader, section_span, templated=fields["instances"] > 1)
    if fields["instances"] > 1:
        fields["first_instance"] = first
        command = reader.raw("command")
        spec = _PROCESS_NUM.search(process_name) or _PROCESS_NUM.search(
            command.text if command else ""
        )
        fields["instance_format"] = "%" + spec.group(1) if spec else "%d"
    _check_listener(reader, kind, section_span)
    if kind == "fcgi-program":
        fields["sockets"] = (_fcgi_socket(reader, section_span),)
    _note_references(reader, name, diagnostics)
    return Service(
        name=name.strip(),
        kind=ServiceKind.LISTENER if kind == "eventlistener" else ServiceKind.PROCESS,
        groups=(group,) if group else (),
        extras=tuple(_extras(document, section, kind, process_name)),
        managed_by=FORMAT,
        origin=Origin(span=section_span, fields=tuple(sorted(reader.spans.items()))),
        **fields,
    )


def _early_fields(reader: _Reader, kind: str, section_span: Span) -> dict[str, Any]:
    stops_group = reader.convert("stopasgroup", "false", _boolean, slot="stops_process_group")
    kills_group = reader.convert(
        "killasgroup", str(stops_group), _boolean, slot="kills_process_group"
    )
    if stops_group and not kills_group:
        raise ParseError(
            "stopasgroup=true needs killasgroup=true",
            reader.spans["kills_process_group"],
            code="SV101",
        )
    for key in (
        "stdout_logfile_maxbytes",
        "stderr_logfile_maxbytes",
        "stdout_capture_maxbytes",
        "stderr_capture_maxbytes",
    ):
        reader.convert(key, "0", _byte_size, slot=f"extras.{key}")
    when = reader.convert("autorestart", "unexpected", _autorestart, slot="restart")
    fields: dict[str, Any] = {
        "enabled_at_boot": reader.convert("autostart", "true", _boolean, slot="enabled_at_boot"),
        "success_exit_codes": reader.convert(
            "exitcodes", "0", _exit_codes, slot="success_exit_codes"
        ),
        "min_uptime": float(reader.convert("startsecs", "1", _integer, slot="min_uptime")),
        "start_limit": StartLimit(
            burst=reader.convert("startretries", "3", _integer, slot="start_limit") + 1,
            interval=None,
            origin=Origin(span=reader.spans.get("start_limit", section_span)),
        ),
        "daemonizes": False,  # supervisord runs every program in the foreground
        "stop_signal": reader.convert("stopsignal", "TERM", _signal, slot="stop_signal"),
        "stop_timeout": float(reader.convert("stopwaitsecs", "10", _integer, slot="stop_timeout")),
        "stops_process_group": stops_group,
        "kills_process_group": kills_group,
        "start_order": reader.convert(
            "priority", "999" if kind != "eventlistener" else "-1", _integer, slot="start_order"
        ),
        "instances": reader.convert("numprocs", "1", _integer),
        "restart": RestartPolicy(
            when=when, origin=Origin(span=reader.spans.get("restart", section_span))
        ),
    }
    user = reader.text("user")
    if user is not None:
        fields["user"] = user
    umask = reader.text("umask")
    if umask is not None:
        fields["umask"] = reader.convert("umask", umask, _octal)
    return fields


def _program_environment(reader: _Reader) -> tuple[tuple[str, str], ...]:
    """Read the program's own environment=, which later values may name as %(ENV_X)s."""
    environment = reader.text("environment")
    if environment is None:
        return ()
    pairs = quoting.split_environment(environment, reader.spans["environment"])
    reader.expansions |= {f"ENV_{key}": value for key, value in pairs}
    return pairs


_EVENTS = frozenset(
    [
        "EVENT",
        "PROCESS_STATE",
        "PROCESS_STATE_STOPPED",
        "PROCESS_STATE_EXITED",
        "PROCESS_STATE_STARTING",
        "PROCESS_STATE_STOPPING",
        "PROCESS_STATE_BACKOFF",
        "PROCESS_STATE_FATAL",
        "PROCESS_STATE_RUNNING",
        "PROCESS_STATE_UNKNOWN",
        "PROCESS_COMMUNICATION",
        "PROCESS_COMMUNICATION_STDOUT",
        "PROCESS_COMMUNICATION_STDERR",
        "PROCESS_LOG",
        "PROCESS_LOG_STDOUT",
        "PROCESS_LOG_STDERR",
        "REMOTE_COMMUNICATION",
        "SUPERVISOR_STATE_CHANGE",
        "SUPERVISOR_STATE_CHANGE_RUNNING",
        "SUPERVISOR_STATE_CHANGE_STOPPING",
        "TICK",
        "TICK_5",
        "TICK_60",
        "TICK_3600",
        "PROCESS_GROUP",
        "PROCESS_GROUP_ADDED",
        "PROCESS_GROUP_REMOVED",
    ]
)  # supervisor.events.EventTypes
# supervisor.events.EventTypes


def _fcgi_socket(reader: _Reader, section_span: Span) -> ListenSocket:
    """Read the socket of an [fcgi-program:], checked as supervisor's parse_fcgi_socket does."""
    text = reader.text("socket", slot="sockets")
    span = reader.spans.get("sockets", section_span)
    if not text:
        raise ParseError(f"[{reader.section}] needs a socket= line", span, code="SV101")
    owner = reader.text("socket_owner")
    mode = reader.text("socket_mode")
    backlog = reader.convert("socket_backlog", "0", _integer) or None
    if backlog is not None and not 1 <= backlog <= 65535:
        raise ParseError(f"invalid socket_backlog {backlog}", span, code="SV103")
    if text.startswith("unix://"):
        path = text.removeprefix("unix://")
        if not path.startswith("/"):
            raise ParseError(f"unix socket path {path} is not absolute", span, code="SV103")
        user, _, group = (owner or "").partition(":")
        return ListenSocket(
            address=path,
            owner=user or None,
            group=group or None,
            mode=reader.convert("socket_mode", mode or "0700", _octal),
            backlog=backlog,
        )
    if owner is not None or mode is not None:
        raise ParseError(
            "socket_owner and socket_mode are for a unix socket only", span, code="SV101"
        )
    match = re.fullmatch(r"tcp://([^\s:]+):(\d+)", text)
    if match is None:
        raise ParseError(
            f"bad socket {text!r}: tcp://HOST:PORT or unix:///PATH", span, code="SV103"
        )
    return ListenSocket(address=f"{match.group(1)}:{match.group(2)}", backlog=backlog)


def _check_listener(reader: _Reader, kind: str, section_span: Span) -> None:
    """Refuse an event listener without known events, or that redirects stderr."""
    if kind != "eventlistener":
        return
    events = reader.text("events", slot="extras.events") or ""
    names = {word.upper() for word in events.replace(",", " ").split()}
    span = reader.spans.get("extras.events", section_span)
    if not names:
        raise ParseError(f"[{reader.section}] needs an events= line", span, code="SV101")
    if unknown := sorted(names - _EVENTS):
        raise ParseError(f"unknown event type {unknown[0]}", span, code="SV103")
    if reader.raw("redirect_stderr") and reader.convert("redirect_stderr", "false", _boolean):
        raise ParseError(
            "an event listener may not redirect stderr: it would interfere "
            "with the event listener protocol",
            reader.spans["stderr"],
            code="SV101",
        )


def _outputs(reader: _Reader) -> dict[str, Output]:
    redirect = reader.convert("redirect_stderr", "false", _boolean, slot="stderr")
    stdout = _logfile(reader, "stdout")
    stderr = Output(kind="inherit") if redirect else _logfile(reader, "stderr")
    return {"stdout": stdout, "stderr": stderr}


def _logfile(reader: _Reader, stream: str) -> Output:
    """Read a log file option, expanded twice as supervisor does (``%%%%`` for a %)."""
    key = f"{stream}_logfile"
    once = reader.text(key, slot=stream)
    syslog = reader.convert(f"{stream}_syslog", "false", _boolean, slot=f"extras.{stream}_syslog")
    if once is None:
        return Output(kind="syslog" if syslog else "managed")
    value = reader.raw(key)
    assert value is not None
    twice = expand(once, {**reader.expansions, "here": _here(value.path)}, value.span).text
    output = _output(twice)
    return Output(kind="syslog") if syslog and output.kind == "null" else output


def _command(reader: _Reader, section_span: Span, *, templated: bool) -> Command:
    raw = reader.raw("command")
    if raw is None:
        raise ParseError(f"[{reader.section}] has no command=", section_span, code="SV101")
    expansions = {**reader.expansions, "here": _here(raw.path)}
    # With several processes the number stays a reference: %i in a systemd template.
    text = _PROCESS_NUM.sub(_INSTANCE_MARK, raw.text) if templated else raw.text
    expanded = expand(text, expansions, raw.span)
    reader.spans["start"] = raw.span
    reader.references += [(name, raw.span) for name in expanded.references]
    if expanded.references or _INSTANCE_MARK in text:
        variable_text = expanded.variable_text.replace(
            _INSTANCE_MARK, "${" + INSTANCE_VARIABLE + "}"
        )
        words = quoting.split_command(variable_text, raw.span)
        return Command(argv=words, expands_variables=True, origin=Origin(span=raw.span))
    return Command(
        argv=quoting.split_command(expanded.text, raw.span), origin=Origin(span=raw.span)
    )


def _note_references(reader: _Reader, name: str, diagnostics: list[Diagnostic]) -> None:
    for variable, span in reader.references:
        diagnostics.append(
            Diagnostic(
                code="SV105",
                severity=Severity.WARNING,
                span=span,
                message=f"%(ENV_{variable})s of {name} is set nowhere in the input; kept as a "
                f"reference to ${{{variable}}} for the target to resolve",
            )
        )


def _extras(document: ini.Document, section: str, kind: str, process_name: str) -> list[Extra]:
    """Keys the model has no field for, kept verbatim (``process_name`` only if set)."""
    extras = []
    for key in document.keys(section):
        if key in _MODELLED or (key == "numprocs_start" and process_name == "%(program_name)s"):
            continue
        value = document.get(section, key)
        assert value is not None
        extras.append(
            Extra(format=FORMAT, key=key, value=value.text, origin=Origin(span=value.span))
        )
    return extras


_LOG_LEVELS = ("critical", "error", "warn", "info", "debug", "trace", "blather")


def _other_sections(document: ini.Document, environ: dict[str, str]) -> list[Extra]:
    """Sections that are not processes ([supervisord], servers, ctl, a group's priority)."""
    extras = []
    supervisord = document.sections.get("supervisord")
    level = supervisord.values.get("loglevel") if supervisord else None
    expansions = {"here": _here(level.path), **_env(environ)} if level else {}
    if (
        level is not None
        and expand(level.text, expansions, level.span, keep_env=False).text.lower()
        not in _LOG_LEVELS
    ):
        raise ParseError(
            f"loglevel: {level.text!r} is not one of {', '.join(_LOG_LEVELS)}",
            level.span,
            code="SV103",
        )
    for name, section in document.sections.items():
        if name.partition(":")[0] in (*PROCESS_SECTIONS, "include"):
            continue
        for key, value in section.values.items():
            if name.startswith("group:") and key == "programs":
                continue  # held by the members' groups
            extras.append(
                Extra(
                    format=FORMAT,
                    key=f"{name}.{key}",
                    value=value.text,
                    origin=Origin(span=value.span),
                )
            )
    return extras
