"""INI files read the way supervisor reads them, with a span on every value.

supervisor hands its files to Python's ``RawConfigParser(inline_comment_prefixes=(";",
"#"), strict=False)``. This module follows that reader's algorithm line by line
(``configparser.RawConfigParser._read``), because its rules are stateful in a way a
grammar does not capture well: a line continues the previous value only when it is
indented deeper than the line that started the value, inline comments need whitespace
before them (even inside quotes), duplicate sections merge, the last duplicate key wins,
and ``[DEFAULT]`` keys show through in every section.
Imports: model, errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from translator.errors import ParseError
from translator.model import Source, Span

DEFAULT_SECTION = "DEFAULT"
_SECTION = re.compile(r"\[(?P<header>.+)\]")
_OPTION = re.compile(r"(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$")
_COMMENT_PREFIXES = ("#", ";")


@dataclass(slots=True)
class Value:
    """One key's text (continuation lines joined with newlines) and where it came from.

    ``span`` is the value's, ``key_span`` the key's.
    """

    text: str
    span: Span
    path: str
    key_span: Span


@dataclass(slots=True)
class Section:
    """A section's keys (lower-cased) in the order first seen, and where it starts."""

    name: str
    span: Span
    values: dict[str, Value] = field(default_factory=dict)


@dataclass(slots=True)
class Document:
    """Every section of one or more files read into the same parser."""

    sections: dict[str, Section] = field(default_factory=dict)
    defaults: dict[str, Value] = field(default_factory=dict)
    section_files: dict[str, str] = field(default_factory=dict)
    repeated: list[tuple[Span, Span]] = field(default_factory=list)
    """Each section header seen again: (where again, where first)."""

    def get(self, section: str, key: str) -> Value | None:
        """Return ``key`` of ``section``, falling back to ``[DEFAULT]``."""
        found = self.sections[section].values.get(key)
        return found if found is not None else self.defaults.get(key)

    def keys(self, section: str) -> list[str]:
        """List the keys of ``section``, with those ``[DEFAULT]`` lends it."""
        own = list(self.sections[section].values)
        return own + [key for key in self.defaults if key not in own]


def read(source: Source, document: Document | None = None) -> Document:
    """Read ``source`` into ``document`` (a new one by default), as configparser would."""
    document = document if document is not None else Document()
    _Reader(source, document).run()
    return document


class _Reader:
    def __init__(self, source: Source, document: Document) -> None:
        self.source = source
        self.document = document
        self.values: dict[str, Value] | None = None
        self.option: Value | None = None
        self.indent = 0
        self.lines: list[str] = []

    def run(self) -> None:
        # A file object splits at \n, \r\n and \r only (not at \u2028 as splitlines does).
        lines = re.split(r"\r\n|\r|\n", self.source.text)
        for number, line in enumerate(lines, start=1):
            self._line(number, line)
        self._close_option()

    def _line(self, number: int, line: str) -> None:
        comment_start = _comment_start(line)
        value = line[:comment_start].strip()
        if not value:
            if comment_start is None and self.option is not None:
                self.lines.append("")  # a blank line inside a value is kept
            return
        indent = len(line) - len(line.lstrip())
        if self.option is not None and indent > self.indent:
            self.lines.append(value)
            return
        self._close_option()
        self.indent = indent
        span = Span(
            path=self.source.path,
            line=number,
            column=indent + 1,
            end_line=number,
            end_column=len(line) + 1,
        )
        header = _SECTION.match(value)
        if header:
            self._open_section(header.group("header"), span)
        elif self.values is None:
            raise ParseError("a key before any [section] header", span, code="SV101")
        else:
            self._open_option(value, span)

    def _open_section(self, name: str, span: Span) -> None:
        if name == DEFAULT_SECTION:
            self.values = self.document.defaults
            return
        section = self.document.sections.get(name)
        if section is None:
            section = self.document.sections[name] = Section(name=name, span=span)
            self.document.section_files[name] = self.source.path
        else:
            self.document.repeated.append((span, section.span))
        self.values = section.values

    def _open_option(self, text: str, span: Span) -> None:
        match = _OPTION.match(text)
        if match is None or not match.group("option"):
            raise ParseError(f"expected key = value, found {text!r}", span, code="SV101")
        key = match.group("option").rstrip().lower()
        key_span = Span(
            path=span.path,
            line=span.line,
            column=span.column,
            end_line=span.line,
            end_column=span.column + len(match.group("option").rstrip()),
        )
        column = span.column + match.start("value")
        value_span = Span(
            path=span.path,
            line=span.line,
            column=column,
            end_line=span.line,
            end_column=span.end_column,
        )
        assert self.values is not None
        self.option = self.values[key] = Value(
            text="", span=value_span, path=span.path, key_span=key_span
        )
        self.lines = [match.group("value").strip()]

    def _close_option(self) -> None:
        if self.option is not None:
            self.option.text = "\n".join(self.lines).rstrip()
            while len(self.lines) > 1 and not self.lines[-1]:
                self.lines.pop()  # blank lines after a value are not part of it
            last_line = self.option.span.line + len(self.lines) - 1
            self.option.span = Span(
                path=self.option.span.path,
                line=self.option.span.line,
                column=self.option.span.column,
                end_line=last_line,
                end_column=self.option.span.end_column,
            )
        self.option = None
        self.lines = []


def _comment_start(line: str) -> int | None:
    """Find where a comment starts: a full-line ``#``/``;``, or one after whitespace.

    This is configparser's search, rounds and all: each round looks at the next ``#``
    and the next ``;``, and the first round that finds one after whitespace wins: in
    ``a;b ;c #d`` round one sees the ``;`` of ``a;b`` (no blank before it) and ``#d``,
    so ``#d`` starts the comment and `` ;c`` stays in the value.
    """
    if line.strip().startswith(_COMMENT_PREFIXES):
        return 0
    found: int | None = None
    positions = dict.fromkeys(_COMMENT_PREFIXES, -1)
    while found is None and positions:
        following = {}
        for prefix, index in positions.items():
            index = line.find(prefix, index + 1)
            if index == -1:
                continue
            following[prefix] = index
            if index == 0 or line[index - 1].isspace():
                found = index if found is None else min(found, index)
        positions = following
    return found
