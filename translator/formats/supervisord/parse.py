"""Read supervisord configuration into the supervision model, as supervisor itself does.

The reference is supervisor's ``ServerOptions`` (``options.py``, ``datatypes.py``,
Debian 12's 4.2.5): the same INI reading (``ini.py``), includes, ``%(name)s`` expansion
(``expand.py``), defaults, value types and errors, each error at the value at fault.
What supervisor checks against the host (users, directories, importable handlers) is
left to lint. Imports: model, diagnostics, errors, formats/supervisord.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, TypeVar

from translator.diagnostics import Diagnostic, IncludeLoader, ParseResult, Severity
from translator.errors import ParseError
from translator.formats._options import ParseOptions
from translator.formats.supervisord import ini, quoting
from translator.formats.supervisord.expand import expand
from translator.model import (
    Command,
    Extra,
    Host,
    Origin,
    Output,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    Span,
    StartLimit,
)

FORMAT = "supervisord"
_T = TypeVar("_T")
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
})  # fmt: skip
_SIGNUMS = {int(s): s.name for s in signal.Signals}


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
    environ = _supervisord_environment(document, context)
    groups = _groups(document)
    services = [
        _service(document, name, groups.get(name), environ, context, diagnostics)
        for name in document.sections
        if name.partition(":")[0] in PROCESS_SECTIONS
    ]
    host = Host(
        services=tuple(services),
        extras=tuple(_other_sections(document)),
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
            diagnostics.append(_note("SV102", f"include not followed: {pattern}", files.span))
            continue
        found = load_include(pattern, files.span)
        if not found:
            diagnostics.append(
                Diagnostic(
                    code="SV102",
                    severity=Severity.WARNING,
                    span=files.span,
                    message=f"no file matches include {pattern!r}",
                )
            )
        for included in found:
            ini.read(included, document)
    again = document.sections["include"].values.get("files")
    if again is not None and again.path != source.path:
        diagnostics.append(
            _note(
                "SV107",
                "[include] in an included file is ignored, as supervisord ignores it",
                again.span,
            )
        )


def _note(code: str, message: str, span: Span) -> Diagnostic:
    return Diagnostic(code=code, message=message, span=span, severity=Severity.INFO)


def _here(path: str) -> str:
    return str(PurePosixPath(path).parent)


def _env(environ: Mapping[str, str]) -> dict[str, object]:
    return {f"ENV_{key}": value for key, value in environ.items()}


def _supervisord_environment(document: ini.Document, context: ParseOptions) -> dict[str, str]:
    """Supervisord's environment: ``--env`` values, then ``[supervisord] environment=``."""
    environ = dict(context.environ)
    section = document.sections.get("supervisord")
    value = section.values.get("environment") if section else None
    if value is not None:
        expansions = {"here": _here(value.path), **_env(environ)}
        text = expand(value.text, expansions, value.span).text
        environ.update(quoting.split_environment(text, value.span))
    return environ


def _groups(document: ini.Document) -> dict[str, str]:
    """Map each ``program:x`` section that a ``[group:g]`` lists to ``g``."""
    owner: dict[str, str] = {}
    for name, section in document.sections.items():
        kind, _, group = name.partition(":")
        if kind != "group":
            continue
        _check_name(group, section.span)
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
        result = expand(value.text, expansions, value.span)
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
            raise ParseError(f"{key}: {error}", span, code="SV101") from None


def _boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered not in _TRUE + _FALSE:
        raise ValueError(f"not a valid boolean value: {text!r}")
    return lowered in _TRUE


def _integer(text: str) -> int:
    return int(text)


def _exit_codes(text: str) -> tuple[int, ...]:
    codes = tuple(int(word) for word in text.split(",") if word.strip())
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
        return _SIGNUMS[number]
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
    return Output(kind="file", path=text)


def _service(
    document: ini.Document,
    section: str,
    group: str | None,
    environ: dict[str, str],
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
        **_env(environ),
    }
    reader = _Reader(document, section, base)
    numprocs = reader.convert("numprocs", "1", _integer)
    first = reader.convert("numprocs_start", "0", _integer)
    reader.expansions |= {"process_num": first, "numprocs": numprocs}
    process_name = reader.text("process_name", expand_it=False) or "%(program_name)s"
    if numprocs > 1 and "%(process_num)" not in process_name:
        raise ParseError(
            "process_name must hold %(process_num) when numprocs > 1",
            reader.spans.get("process_name", section_span),
            code="SV101",
        )
    fields: dict[str, Any] = {}
    environment = reader.text("environment")
    if environment is not None:
        pairs = quoting.split_environment(environment, reader.spans["environment"])
        fields["environment"] = pairs
        reader.expansions |= {f"ENV_{key}": value for key, value in pairs}
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
    fields |= {
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
        "instances": numprocs,
    }
    when = reader.convert("autorestart", "unexpected", _autorestart, slot="restart")
    fields["restart"] = RestartPolicy(
        when=when, origin=Origin(span=reader.spans.get("restart", section_span))
    )
    umask = reader.text("umask")
    if umask is not None:
        fields["umask"] = reader.convert("umask", umask, _octal)
    for key, slot in (("directory", "working_directory"), ("user", "user")):
        value = reader.text(key, slot=slot)
        if value is not None:
            fields[slot] = value
    fields |= _outputs(reader)
    fields["start"] = _command(reader, section_span)
    _note_references(reader, name, diagnostics)
    return Service(
        name=name.strip(),
        groups=(group,) if group else (),
        extras=tuple(_extras(document, section, kind, process_name)),
        managed_by=FORMAT,
        origin=Origin(span=section_span, fields=tuple(sorted(reader.spans.items()))),
        **fields,
    )


def _outputs(reader: _Reader) -> dict[str, Output]:
    redirect = reader.convert("redirect_stderr", "false", _boolean, slot="stderr")
    stdout = reader.convert("stdout_logfile", "auto", _output, slot="stdout")
    stderr = (
        Output(kind="inherit")
        if redirect
        else reader.convert("stderr_logfile", "auto", _output, slot="stderr")
    )
    return {"stdout": stdout, "stderr": stderr}


def _command(reader: _Reader, section_span: Span) -> Command:
    raw = reader.raw("command")
    if raw is None:
        raise ParseError(f"[{reader.section}] has no command=", section_span, code="SV101")
    expansions = {**reader.expansions, "here": _here(raw.path)}
    expanded = expand(raw.text, expansions, raw.span)
    reader.spans["start"] = raw.span
    reader.references += [(name, raw.span) for name in expanded.references]
    if expanded.references:
        words = quoting.split_command(expanded.variable_text, raw.span)
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
    if kind != "program":
        extras.append(
            Extra(
                format=FORMAT,
                key="section",
                value=kind,
                origin=Origin(span=document.sections[section].span),
            )
        )
    for key in document.keys(section):
        if key in _MODELLED or (key == "numprocs_start" and process_name == "%(program_name)s"):
            continue
        value = document.get(section, key)
        assert value is not None
        extras.append(
            Extra(format=FORMAT, key=key, value=value.text, origin=Origin(span=value.span))
        )
    return extras


def _other_sections(document: ini.Document) -> list[Extra]:
    """Sections that are not processes or groups ([supervisord], servers, ctl, …)."""
    extras = []
    for name, section in document.sections.items():
        if name.partition(":")[0] in (*PROCESS_SECTIONS, "group", "include"):
            continue
        for key, value in section.values.items():
            extras.append(
                Extra(
                    format=FORMAT,
                    key=f"{name}.{key}",
                    value=value.text,
                    origin=Origin(span=value.span),
                )
            )
    return extras
