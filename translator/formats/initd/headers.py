"""Read an init script's LSB block and RHEL chkconfig tags, every value with its span.

Imports: model, errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.errors import ParseError
from translator.model import Source, Span

BEGIN = "### BEGIN INIT INFO"
_END = "### END INIT INFO"
_CHKCONFIG_TAGS = ("chkconfig", "description", "processname", "pidfile", "config")


@dataclass(frozen=True, slots=True)
class Field:
    """One header keyword's value, where it was written."""

    value: str
    span: Span


@dataclass(slots=True)
class Headers:
    """The LSB keywords (lower-cased) and chkconfig tags of one script.

    A repeatable chkconfig tag (``pidfile``, ``config``) keeps every value.
    """

    lsb: dict[str, Field] = field(default_factory=dict)
    chkconfig: dict[str, list[Field]] = field(default_factory=dict)
    lsb_span: Span | None = None

    def words(self, keyword: str) -> list[tuple[str, Span]]:
        """Split an LSB keyword's value into words, each with the keyword's span."""
        found = self.lsb.get(keyword)
        return [(word, found.span) for word in found.value.split()] if found else []

    def tag(self, name: str) -> Field | None:
        """Give the first value of a chkconfig tag, if any."""
        values = self.chkconfig.get(name)
        return values[0] if values else None


def read_headers(source: Source) -> Headers:
    """Read the headers of ``source``; an unterminated LSB block is an error."""
    headers = Headers()
    lines = source.text.splitlines()
    inside = False
    continued: tuple[str, Field] | None = None  # (where, field) a continuation extends
    for number, line in enumerate(lines, start=1):
        span = Span(path=source.path, line=number, column=1)
        if line.strip() == BEGIN:
            inside, headers.lsb_span = True, span
            continue
        if inside and line.strip() == _END:
            inside = False
            continue
        if not line.startswith("#"):
            continued = None
            continue
        if continued and _continues(line, inside, continued[1]):
            continued = _extend(headers, continued, line)
            continue
        continued = (
            _lsb_line(headers, line, span) if inside else _chkconfig_line(headers, line, span)
        )
    if inside and headers.lsb_span is not None:
        raise ParseError(f'"{BEGIN}" without "{_END}"', headers.lsb_span, code="SV101")
    return headers


def _continues(line: str, inside: bool, previous: Field) -> bool:
    """Say whether ``line`` continues the previous value.

    An LSB Description goes on after ``#`` and a tab or two spaces; a chkconfig tag after
    a value that ends in a backslash.
    """
    if inside:
        return line.startswith(("#\t", "#  "))
    return previous.value.endswith("\\")


def _extend(headers: Headers, continued: tuple[str, Field], line: str) -> tuple[str, Field]:
    where, previous = continued
    text = line[1:].strip()
    value = f"{previous.value.removesuffix(chr(92)).rstrip()} {text}".strip()
    extended = Field(value=value, span=previous.span)
    if where.startswith("lsb:"):
        headers.lsb[where[4:]] = extended
    else:
        headers.chkconfig[where][-1] = extended
    return where, extended


def _lsb_line(headers: Headers, line: str, span: Span) -> tuple[str, Field] | None:
    keyword, colon, value = line[1:].partition(":")
    if not colon or not keyword.strip():
        return None
    name = keyword.strip().lower()
    found = Field(value=value.strip(), span=span)
    headers.lsb[name] = found
    return f"lsb:{name}", found


def _chkconfig_line(headers: Headers, line: str, span: Span) -> tuple[str, Field] | None:
    tag, colon, value = line[1:].partition(":")
    name = tag.strip().lower()
    if not colon or name not in _CHKCONFIG_TAGS:
        return None
    found = Field(value=value.strip(), span=span)
    headers.chkconfig.setdefault(name, []).append(found)
    return name, found
