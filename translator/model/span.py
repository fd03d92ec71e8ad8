"""Where a value came from: spans, sources and per-node origins.

Imports: the standard library only (model layer).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A region of a source file; lines and columns count from 1."""

    path: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        """Render as ``path:line:col``, the prefix of every message."""
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """The text of one input file and the path it was read from."""

    path: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """The span of a node and, per field name, the span of that field's value."""

    span: Span | None = None
    fields: tuple[tuple[str, Span], ...] = ()

    def of(self, name: str) -> Span | None:
        """Return the span of field ``name`` (``a.b`` falls back to ``a``), else the node's."""
        spans = dict(self.fields)
        while name:
            if name in spans:
                return spans[name]
            name = name.rpartition(".")[0]
        return self.span


def origin_field() -> Origin:
    """Declare an ``origin`` dataclass field that equality ignores."""
    return field(default=Origin(), compare=False, repr=False)
