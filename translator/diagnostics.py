"""Typed, positioned messages: every warning or note svconv gives has a code and a span.

Imports: model only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

from translator.model import Host, Source, Span


class Severity(str, Enum):
    """How much a diagnostic matters: info, warning or error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class ReadLoss:
    """What of ``service``'s ``field`` reading could not keep, and what it did instead."""

    service: str
    field: str
    action: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Edit:
    """Replace the text at ``span`` (end exclusive) with ``text``."""

    span: Span
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Fix:
    """Edits that resolve a finding; ``is_safe`` ones keep behaviour, so ``--fix`` applies them."""

    description: str
    edits: tuple[Edit, ...]
    is_safe: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    """One message with its code (``SV101``), severity and source span.

    ``loss``: the message reports something the reader itself could not keep (an init
    script's value only running it could tell); it goes into the loss report too.
    ``lint_only``: a reader's note for lint alone (a legacy spelling, a missing script
    action) that says nothing about the translation, so conversions do not print it.
    """

    code: str
    message: str
    span: Span
    severity: Severity = Severity.WARNING
    related: tuple[Span, ...] = ()
    loss: ReadLoss | None = None
    fix: Fix | None = None
    service: str | None = None
    lint_only: bool = False

    def __str__(self) -> str:
        """Render as ``path:line:col: CODE message``."""
        return f"{self.span}: {self.code} {self.message}"


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sort by file, line, column, then code, so output is stable."""
    return sorted(
        diagnostics, key=lambda d: (d.span.path, d.span.line, d.span.column, d.code, d.message)
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ParseResult:
    """What a parser gives: the services it lifted and what it noticed on the way."""

    host: Host
    diagnostics: tuple[Diagnostic, ...] = ()
    refused: tuple[str, ...] = ()
    """Files the reader stopped at (a parse error): left out of ``host``."""


IncludeLoader = Callable[[str, Span], list[Source]]
"""Resolve an include pattern, relative to the file at the span, to the files it names."""
