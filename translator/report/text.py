"""Plain-text rendering of diagnostics and losses, one ``path:line:col: CODE …`` per line.

Imports: diagnostics, loss.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from translator.diagnostics import Diagnostic, ordered


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
