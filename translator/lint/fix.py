"""Apply fixes: edit only the spans a fix names, leaving comments and layout alone.

Imports: model, diagnostics.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from translator.diagnostics import Diagnostic
from translator.model import Span


def apply(text: str, diagnostics: Iterable[Diagnostic], path: str) -> str:
    """Apply the safe fixes of ``diagnostics`` that edit ``path``; overlapping ones wait.

    An edit overlapping one already taken is left for the next round (the caller lints
    again and repeats until nothing changes).
    """
    edits: list[tuple[int, int, str]] = []
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        if fix is None or not fix.is_safe or not fix.edits:
            continue
        if any(edit.span.path != path for edit in fix.edits):
            continue
        ranges = [(*_offsets(text, edit.span), edit.text) for edit in fix.edits]
        if not any(_overlaps(r, taken) for r in ranges for taken in edits):
            edits += ranges
    for start, end, replacement in sorted(edits, reverse=True):
        if start == len(text) and text and not text.endswith("\n") and replacement:
            replacement = "\n" + replacement  # a line added after a last line with no newline
        text = text[:start] + replacement + text[end:]
    return text


def diff(path: str, before: str, after: str) -> str:
    """Render the change to ``path`` as a unified diff."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


def _overlaps(one: tuple[int, int, str], other: tuple[int, int, str]) -> bool:
    return (one[0] < other[1] and other[0] < one[1]) or one[0] == other[0]


def _offsets(text: str, span: Span) -> tuple[int, int]:
    lines = [line + "\n" for line in text.split("\n")]  # lines end at \n only, as in the file
    lines[-1] = lines[-1][:-1]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        if line > len(lines):
            return len(text)
        return min(starts[line - 1] + column - 1, starts[line])

    start = offset(span.line, span.column)
    end = offset(span.end_line, span.end_column) if span.end_line else start
    return start, max(start, end)
