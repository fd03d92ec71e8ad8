"""Read an Angel configuration file (``angel.conf``) into the model.

lark splits the file into bindings and groups (``grammars/angel.lark``), imports are read
in place, and each top-level group becomes a program as Angel's ``Config.hs`` reads it.
What Angel refuses (no ``exec``, a ``logger`` beside ``stdout``, a value of the wrong
type) is a ParseError at the value. Imports: model, diagnostics, errors,
formats/_grammar, formats/_options, formats/angel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lark import Token, Transformer, UnexpectedCharacters, UnexpectedInput, UnexpectedToken, v_args
from lark.tree import Meta

from translator.diagnostics import Diagnostic, IncludeLoader, ParseResult, Severity
from translator.errors import ParseError
from translator.formats import _grammar
from translator.formats._grammar import span_of
from translator.formats._options import ParseOptions
from translator.formats.angel import quoting
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
)

FORMAT = "angel"
DEFAULT_DELAY = 5.0
"""Seconds Angel waits before starting a program again, when its `delay` says nothing."""
COMPLETE_ENVIRONMENT = ("environment", "nothing inherited")
"""The extra (key, value) of every program: its environment is exactly its ``env`` block
(Job.hs starts it with ``env = Just``), so nothing of Angel's own is inherited."""
NEVER_KILL = ("0", "off", "false")
"""``termgrace`` values that mean: send SIGTERM only, never SIGKILL."""
_BOOLEANS = {"on": True, "true": True, "off": False, "false": False}
_MAX_IMPORTS = 32
"""How deep imports may nest before a cycle is assumed."""


@dataclass(frozen=True, slots=True)
class Value:
    """A value as written: ``kind`` is string, number, boolean or list."""

    kind: str
    data: Any
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Binding:
    """``name = value``."""

    name: str
    value: Value
    span: Span


@dataclass(frozen=True, slots=True)
class Group:
    """``name { ... }`` and the directives inside it, imports read in place."""

    name: str
    items: tuple[Binding | Group, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class _Import:
    path: str
    span: Span


@v_args(meta=True)
class _Directives(Transformer[Token, list[Any]]):
    """Turn lark's tree into bindings, groups and imports, each with its span."""

    def __init__(self, source: Source) -> None:
        super().__init__()
        self._source = source

    def _span(self, meta: Meta | Token) -> Span:
        return span_of(self._source.path, meta)

    def _text(self, meta: Meta) -> str:
        return self._source.text[meta.start_pos : meta.end_pos]

    def start(self, meta: Meta, children: list[Any]) -> list[Any]:
        return children

    def binding(self, meta: Meta, children: list[Any]) -> Binding:
        name, value = children
        return Binding(str(name), self._value(value), self._span(meta))

    def group(self, meta: Meta, children: list[Any]) -> Group:
        name, *items = children
        return Group(str(name), tuple(items), self._span(meta))

    def statement(self, meta: Meta, children: list[Token]) -> _Import:
        keyword, path = children
        if str(keyword) != "import":
            raise ParseError(f'expected "=" or "{{" after {keyword!s}', self._span(path), "SV101")
        return _Import(self._string(path), self._span(meta))

    def list(self, meta: Meta, children: list[Any]) -> Value:
        items = tuple(self._value(child) for child in children)
        return Value("list", items, self._text(meta), self._span(meta))

    def _value(self, item: Token | Value) -> Value:
        if isinstance(item, Value):
            return item
        span, text = self._span(item), str(item)
        if item.type == "STRING":
            return Value("string", self._string(item), text, span)
        if item.type == "NUMBER":
            return Value("number", float(text), text, span)
        if text not in _BOOLEANS:
            raise ParseError(f"expected a value, found {text!r}", span, "SV101")
        return Value("boolean", _BOOLEANS[text], text, span)

    def _string(self, token: Token) -> str:
        try:
            return quoting.unquote(str(token))
        except quoting.EscapeError as error:
            raise ParseError(str(error), self._span(token), "SV101") from None


@dataclass(slots=True)
class _Reader:
    """Reads one file and its imports; notes what could not be read."""

    load_include: IncludeLoader | None
    notes: list[Diagnostic] = field(default_factory=list)
    unresolved: list[_Import] = field(default_factory=list)

    def items(self, source: Source, depth: int = 0) -> list[Binding | Group]:
        """Return the file's directives, each import replaced by what it holds."""
        found: list[Binding | Group] = []
        for item in _directives(source):
            if isinstance(item, _Import):
                found += self._imported(item, depth)
            elif isinstance(item, Group):
                found.append(Group(item.name, tuple(self._inside(item, depth)), item.span))
            else:
                found.append(item)
        return found

    def _inside(self, group: Group, depth: int) -> list[Binding | Group]:
        items: list[Binding | Group] = []
        for item in group.items:
            if isinstance(item, _Import):
                items += self._imported(item, depth)
            elif isinstance(item, Group):
                items.append(Group(item.name, tuple(self._inside(item, depth)), item.span))
            else:
                items.append(item)
        return items

    def _imported(self, statement: _Import, depth: int) -> list[Binding | Group]:
        if depth >= _MAX_IMPORTS:
            raise ParseError("imports nest too deep (a cycle?)", statement.span, "SV101")
        loader = self.load_include
        sources = loader(statement.path, statement.span) if loader else []
        if not sources:
            self.unresolved.append(statement)
            if self.load_include is not None:
                self.notes.append(
                    Diagnostic(
                        code="SV301",
                        message=f"import {statement.path!r} matches no file",
                        span=statement.span,
                        severity=Severity.ERROR,
                    )
                )
            return []
        return [item for source in sources for item in self.items(source, depth + 1)]


def parse(
    source: Source,
    *,
    load_include: IncludeLoader | None = None,
    options: ParseOptions | None = None,
) -> ParseResult:
    """Parse one Angel file: a service per top-level group, ``user`` for all of them."""
    reader = _Reader(load_include)
    items = reader.items(source)
    span = Span(path=source.path, line=1, column=1)
    user = _file_user(items)
    host_extras = [
        Extra(format=FORMAT, key="import", value=s.path, origin=Origin(span=s.span))
        for s in reader.unresolved
    ]
    host_extras += [
        Extra(format=FORMAT, key=b.name, value=b.value.text, origin=Origin(span=b.span))
        for b in items
        if isinstance(b, Binding) and b.name != "user"
    ]
    services = tuple(
        _program(name, span, body, user) for name, (span, body) in _programs(items).items()
    )
    return ParseResult(
        host=Host(services=services, extras=tuple(host_extras), origin=Origin(span=span)),
        diagnostics=tuple(reader.notes),
    )


def _directives(source: Source) -> list[Any]:
    try:
        tree = _grammar.load(FORMAT).parse(source.text)
    except UnexpectedInput as error:
        raise _syntax_error(error, source) from None
    return _grammar.transform(_Directives(source), tree)


def _file_user(items: list[Binding | Group]) -> Binding | None:
    """Return the last top-level ``user``: configurator keeps the last binding of a name."""
    users = [item for item in items if isinstance(item, Binding) and item.name == "user"]
    if users and users[-1].value.kind != "string":
        raise _wrong_type(users[-1], "a string")
    return users[-1] if users else None


def _programs(items: list[Binding | Group]) -> dict[str, tuple[Span, list[Binding | Group]]]:
    """Give each top-level group's span and directives (groups of one name add up)."""
    programs: dict[str, tuple[Span, list[Binding | Group]]] = {}
    for item in items:
        if isinstance(item, Group):
            programs.setdefault(item.name, (item.span, []))[1].extend(item.items)
    return programs


@dataclass(slots=True)
class _Program:
    """The settings of one program, last one of a name winning, with their spans."""

    name: str
    span: Span
    settings: dict[str, Binding] = field(default_factory=dict)
    environment: dict[str, Binding] = field(default_factory=dict)
    others: list[Binding | Group] = field(default_factory=list)

    def string(self, key: str) -> str | None:
        binding = self.settings.get(key)
        if binding is None:
            return None
        if binding.value.kind != "string":
            raise _wrong_type(binding, "a string")
        return str(binding.value.data)

    def number(self, key: str) -> float | None:
        binding = self.settings.get(key)
        if binding is None:
            return None
        if binding.value.kind != "number" or binding.value.data < 0:
            raise _wrong_type(binding, "a number >= 0")
        return float(binding.value.data)


_SETTINGS = frozenset(
    ["exec", "delay", "stdout", "stderr", "directory", "logger", "pidfile", "count", "termgrace"]
)


def _collect(name: str, span: Span, body: list[Binding | Group]) -> _Program:
    program = _Program(name, span)
    for item in body:
        if isinstance(item, Group) and item.name == "env":
            for variable in item.items:
                _environment_variable(program, variable)
        elif isinstance(item, Binding) and item.name in _SETTINGS:
            program.settings[item.name] = item
        else:
            program.others.append(item)
    return program


def _environment_variable(program: _Program, item: Binding | Group) -> None:
    if isinstance(item, Group) or item.value.kind != "string":
        what = item if isinstance(item, Binding) else None
        if what is None:
            raise ParseError('env holds KEY = "value" lines, not groups', item.span, "SV103")
        raise _wrong_type(what, "a string")
    program.environment[item.name] = item


def _program(
    name: str, group_span: Span, body: list[Binding | Group], user: Binding | None
) -> Service:
    """Build the service Angel runs for one group (checkConfigValues' rules apply)."""
    program = _collect(name, group_span, body)
    start = _start(program)
    stdout, stderr, logger = (program.string(k) for k in ("stdout", "stderr", "logger"))
    if logger is not None and (stdout is not None or stderr is not None):
        raise ParseError(
            "a program with a logger cannot have stdout or stderr (Angel refuses it)",
            program.settings["logger"].span,
            "SV103",
        )
    delay = program.number("delay")
    count = program.number("count")
    fields = {k: program.settings[k].span for k in program.settings}
    spans = {
        "start": fields.get("exec"),
        "stdout": fields.get("stdout"),
        "stderr": fields.get("stderr"),
        "restart.delay": fields.get("delay"),
        "working_directory": fields.get("directory"),
        "pidfile": fields.get("pidfile"),
        "instances": fields.get("count"),
        "enabled_at_boot": fields.get("count"),
        "stop_timeout": fields.get("termgrace"),
        "user": user.span if user else None,
        "environment": _environment_span(program),
    }
    return Service(
        name=name,
        start=start,
        user=str(user.value.data) if user else None,
        working_directory=program.string("directory"),
        environment=tuple((k, str(b.value.data)) for k, b in program.environment.items()),
        stdout=_output(stdout),
        stderr=_output(stderr),
        pidfile=program.string("pidfile"),
        daemonizes=False,
        # Angel's own default, said: another target must wait as long, not its own default
        restart=RestartPolicy(
            when=RestartWhen.ALWAYS, delay=DEFAULT_DELAY if delay is None else _whole(delay)
        ),
        stop_timeout=_grace(program),
        enabled_at_boot=count != 0,
        instances=int(count) if count else 1,
        first_instance=1 if count else 0,
        extras=_extras(program, logger),
        managed_by=FORMAT,
        origin=Origin(
            span=group_span,
            fields=tuple((key, span) for key, span in spans.items() if span is not None),
        ),
    )


def _start(program: _Program) -> Command:
    command = program.string("exec")
    if command is None:
        raise ParseError(
            f"program {program.name!r} has no exec (Angel refuses it)", program.span, "SV103"
        )
    argv = quoting.split(command)
    binding = program.settings["exec"]
    if not argv:
        raise ParseError("exec is empty", binding.value.span, "SV103")
    return Command(argv=argv, origin=Origin(span=binding.span))


def _environment_span(program: _Program) -> Span | None:
    return next(iter(program.environment.values())).span if program.environment else None


def _output(path: str | None) -> Output | None:
    if path is None:
        return None
    return Output(kind="null") if path == "/dev/null" else Output(kind="file", path=path)


def _whole(seconds: float | None) -> float | None:
    """Angel rounds a number of seconds to a whole one."""
    return None if seconds is None else float(round(seconds))


def _grace(program: _Program) -> float | None:
    """``termgrace``: seconds from SIGTERM to SIGKILL; 0 or off (None here): never SIGKILL."""
    binding = program.settings.get("termgrace")
    if binding is None or binding.value.text in NEVER_KILL:
        return None
    if binding.value.kind != "number" or binding.value.data < 0:
        raise _wrong_type(binding, "a number >= 0 or off")
    return _whole(binding.value.data) or None


def _extras(program: _Program, logger: str | None) -> tuple[Extra, ...]:
    """Keep what no model field holds: the complete environment, a logger, never killing."""
    span = Origin(span=program.settings["exec"].span)
    key, value = COMPLETE_ENVIRONMENT
    extras = [Extra(format=FORMAT, key=key, value=value, origin=span)]
    if logger is not None:
        binding = program.settings["logger"]
        extras.append(
            Extra(format=FORMAT, key="logger", value=logger, origin=Origin(span=binding.span))
        )
    grace = program.settings.get("termgrace")
    if grace is not None and (grace.value.text in NEVER_KILL or grace.value.data == 0):
        extras.append(
            Extra(
                format=FORMAT,
                key="termgrace",
                value=grace.value.text,
                origin=Origin(span=grace.span),
            )
        )
    for item in program.others:
        value = item.value.text if isinstance(item, Binding) else "{ ... }"
        extras.append(
            Extra(format=FORMAT, key=item.name, value=value, origin=Origin(span=item.span))
        )
    return tuple(extras)


def _wrong_type(binding: Binding, wanted: str) -> ParseError:
    return ParseError(
        f"{binding.name} must be {wanted}, not {binding.value.text}", binding.value.span, "SV103"
    )


def _syntax_error(error: UnexpectedInput, source: Source) -> ParseError:
    """Say what was found where, and what configurator would have taken there."""
    line, column = error.line or 1, error.column or 1
    span = Span(path=source.path, line=line, column=column, end_line=line, end_column=column)
    if isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream or 0
        found = source.text[position : position + 1]
        if found == '"':
            return ParseError("unterminated string", span, code="SV101")
        return ParseError(f"unexpected {found!r}", span, code="SV101")
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        expected = " or ".join(sorted(_EXPECTED.get(t, repr(t)) for t in error.accepts))
        return ParseError(f"unexpected {str(error.token)!r}; expected {expected}", span, "SV101")
    line = source.text.count("\n") + 1
    column = len(source.text.rpartition("\n")[2]) + 1
    end = Span(path=source.path, line=line, column=column, end_line=line, end_column=column)
    return ParseError('unexpected end of file; a "}" is missing', end, code="SV101")


_EXPECTED = {
    "NAME": "a name",
    "STRING": "a string",
    "NUMBER": "a number",
    "EQUAL": '"="',
    "LBRACE": '"{"',
    "RBRACE": '"}"',
    "LSQB": '"["',
    "RSQB": '"]"',
    "COMMA": '","',
    "SEMICOLON": '";"',
}
