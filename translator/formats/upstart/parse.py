"""Read upstart job files (``/etc/init/*.conf``, 0.6 to 1.13) into the model.

lark splits a job into stanzas (``grammars/upstart.lark``), the transformer turns them
into records, and formats/upstart/job.py applies them as upstart would: the job's own,
then those of a ``NAME.override`` beside it, which replace them. Imports: model,
diagnostics, errors, formats/_grammar, formats/_options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

from lark import Token, Transformer, UnexpectedCharacters, UnexpectedInput, UnexpectedToken, v_args
from lark.tree import Meta

from translator.diagnostics import IncludeLoader, ParseResult
from translator.errors import ParseError
from translator.formats import _grammar
from translator.formats._grammar import span_of
from translator.formats._options import ParseOptions
from translator.formats.upstart import events, quoting
from translator.formats.upstart.job import Job, On, Process, Record, Stanza, Word
from translator.model import Host, Origin, Source, Span

_COMMENT = re.compile(r"""(?P<kept>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|#[^\n]*""", re.S)
"""A comment, or a quoted part it cannot start in."""
_EXPECTED_WORDS = {
    "COMMAND": "a command", "EVENT": "an event", "NAME": "a stanza", "ARG": "a value",
    "BLOCK": 'the script\'s lines and "end script"', "_NL": "the end of the line",
    "LPAR": '"("', "RPAR": '")"', "PRE_START": '"pre-start"', "POST_START": '"post-start"',
    "PRE_STOP": '"pre-stop"', "POST_STOP": '"post-stop"',
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Group:
    items: tuple[Token | _Group, ...]
    span: Span


@v_args(meta=True)
class _Stanzas(Transformer[Token, list[Record]]):
    """Turn lark's tree into stanza records, each with its source span."""

    def __init__(self, source: Source) -> None:
        super().__init__()
        self._source = source

    def _span(self, meta: Meta | Token) -> Span:
        return span_of(self._source.path, meta)

    def start(self, meta: Meta, children: list[Record]) -> list[Record]:
        return children

    def process(self, meta: Meta, children: list[Token]) -> Process:
        keyword, body = children
        if keyword.type == "EXEC":
            argv = quoting.command(str(body))
        else:  # the script line's end, the lines, and the "end script" line
            lines = str(body).partition("\n")[2]
            argv = quoting.script(lines.rpartition("\n")[0] + "\n" if "\n" in lines else "")
            argv = quoting.lifted(argv)
        return Process(slot="main", argv=argv, span=self._span(meta))

    def hook(self, meta: Meta, children: list[Any]) -> Process:
        keyword: Token = children[0]
        process: Process = children[1]
        return replace(process, slot=str(keyword), span=self._span(meta))

    def group(self, meta: Meta, children: list[Token | _Group]) -> _Group:
        return _Group(items=tuple(children), span=self._span(meta))

    def on_clause(self, meta: Meta, children: list[Any]) -> On:
        keyword, on, *items = children
        text = self._source.text[on.end_pos : meta.end_pos]
        return On(
            keyword=f"{keyword} on",
            expression=self._expression(items, self._span(meta)),
            text=" ".join(_COMMENT.sub(lambda m: m.group("kept") or "", text).split()),
            span=self._span(meta),
        )

    def stanza(self, meta: Meta, children: list[Token]) -> Stanza:
        keyword, *words = children
        return Stanza(
            keyword=quoting.dequote(str(keyword)),
            words=tuple(Word(quoting.dequote(str(w)), str(w), self._span(w)) for w in words),
            span=self._span(meta),
        )

    def _expression(self, items: list[Any] | tuple[Any, ...], span: Span) -> events.Expression:
        """Fold an event expression left to right, as upstart's parse_on() does.

        ``and`` and ``or`` bind equally; the first word after an operator names an
        event, the words after it are its arguments (positional ones first).
        """
        sequence: list[events.Expression | events.Operator] = []
        extendable = False
        for item in items:
            if isinstance(item, _Group):
                sequence.append(self._expression(item.items, item.span))
                extendable = False
            elif str(item) in events.OPERATORS:  # a quoted "and" is an event's word
                sequence.append(events.Operator(str(item), self._span(item)))
                extendable = False
            elif extendable and isinstance(event := sequence[-1], events.Event):
                sequence[-1] = events.with_argument(
                    event, quoting.dequote(str(item)), self._span(item)
                )
            else:
                sequence.append(events.Event(quoting.dequote(str(item)), (), self._span(item)))
                extendable = True
        return events.fold(sequence, span)


def parse(
    source: Source,
    *,
    load_include: IncludeLoader | None = None,
    options: ParseOptions | None = None,
) -> ParseResult:
    """Parse one job file into a host holding its service; ParseError where upstart refuses."""
    job = Job(name=_job_name(source.path), source=source)
    for record in _records(source):
        job.read(record)
    if load_include is not None:
        where = Span(path=source.path, line=1, column=1)
        for override in load_include(f"{job.name}.override", where):
            for record in _records(override):
                job.read(record)
    service = job.service()
    span = Span(path=source.path, line=1, column=1)
    return ParseResult(
        host=Host(services=(service,), origin=Origin(span=span)), diagnostics=tuple(job.notes)
    )


def _records(source: Source) -> list[Record]:
    """Read the stanzas of one job (or override) file, in order."""
    text = source.text if source.text.endswith("\n") or not source.text else source.text + "\n"
    try:
        tree = _grammar.load("upstart").parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(error, source) from None
    return _grammar.transform(_Stanzas(source), tree)


def _job_name(path: str) -> str:
    return PurePosixPath(path).name.removesuffix(".conf")


def _syntax_error(error: UnexpectedInput, source: Source) -> ParseError:
    """Say what was found where, and what upstart would have taken there."""
    line, column = error.line or 1, error.column or 1
    span = Span(path=source.path, line=line, column=column, end_line=line, end_column=column)
    if isinstance(error, UnexpectedToken):
        kind, text = error.token.type, str(error.token)
        expected = set(error.accepts or error.expected)
    elif isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream or 0
        kind, text = "", source.text[position : position + 1]
        expected = set(error.allowed or ())
    else:
        kind, text, expected = "$END", "", set()
    message = _syntax_message(kind, text, expected)
    return ParseError(message, span, code="SV101")


def _syntax_message(kind: str, text: str, expected: set[str]) -> str:
    """Name the usual mistakes; otherwise list what was expected instead."""
    if not kind and text in ('"', "'"):
        return "unterminated quoted string"
    if "BLOCK" in expected:
        if kind in ("$END", "_NL") or text in ("", "\n"):
            return 'script block has no "end script" line'
        return 'expected the end of the line after "script"'
    if "RPAR" in expected and kind == "$END":
        return 'unbalanced parentheses: no ")" before the end of the file'
    found = {"$END": "end of file", "_NL": "end of line"}.get(kind, repr(text))
    names = {_EXPECTED_WORDS.get(t, f'"{t.lower()}"') for t in expected if not t.startswith("__")}
    hint = f"; expected {' or '.join(sorted(names))}" if names else ""
    return f"unexpected {found}{hint}"
