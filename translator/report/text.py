"""Plain-text rendering of diagnostics and losses, one ``path:line:col: CODE …`` per line.

Imports: model, diagnostics, loss, report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TextIO

from translator.diagnostics import Diagnostic, ordered
from translator.model import Span
from translator.report._findings import line_text
from translator.report.rules import RuleInfo


def render(diagnostics: Iterable[Diagnostic], stream: TextIO) -> None:
    """Write each diagnostic on its own line, in file/line/column order."""
    for diagnostic in ordered(diagnostics):
        stream.write(f"{diagnostic}\n")


def render_files(files: dict[str, str], stream: TextIO) -> None:
    """Write several files to one stream, each after a ``# ==> name <==`` header line."""
    for index, name in enumerate(sorted(files)):
        if index:
            stream.write("\n")
        stream.write(f"# ==> {name} <==\n{files[name]}")


def render_findings(
    diagnostics: Sequence[Diagnostic],
    stream: TextIO,
    *,
    rules: Mapping[str, RuleInfo],
    texts: Mapping[str, str],
    snippets: bool,
) -> None:
    """Write ``path:line:col: SEVERITY CODE message`` per finding, in file/line/column order.

    With ``snippets``, each line is followed by its source line and a caret line under the
    span. ``rules`` completes the renderers' common signature; lines name codes only.
    """
    for diagnostic in ordered(diagnostics):
        severity = diagnostic.severity.value.upper()
        stream.write(f"{diagnostic.span}: {severity} {diagnostic.code} {diagnostic.message}\n")
        source = line_text(diagnostic.span, texts) if snippets else None
        if source is not None:
            stream.write(f"    {source}\n    {_carets(diagnostic.span, source)}\n")


def _carets(span: Span, source: str) -> str:
    """Carets under the span: column to end column on one line, else a single caret.

    Tabs before the column are kept so the carets line up however the terminal shows them.
    """
    indent = "".join(c if c == "\t" else " " for c in source[: span.column - 1])
    same_line = span.end_line in (0, span.line)
    width = span.end_column - span.column if same_line and span.end_column > 0 else 1
    return indent + "^" * max(width, 1)
