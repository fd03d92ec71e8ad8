"""The errors svconv expects: each renders as ``path:line:col: message``.

Imports: model only.
"""

from __future__ import annotations

from translator.model import Span


class SvconvError(Exception):
    """Bad input or usage; the CLI prints it, exits 2 and writes nothing."""

    def __init__(self, message: str, span: Span | None = None, code: str = "SV000") -> None:
        """Keep the message, the span it points at, and its diagnostic code."""
        super().__init__(message)
        self.message = message
        self.span = span
        self.code = code

    def __str__(self) -> str:
        """Render with the position first, as compilers do."""
        prefix = f"{self.span}: " if self.span else ""
        return f"{prefix}{self.code} {self.message}"


class ParseError(SvconvError):
    """The input is not valid in its format."""


class OutputError(SvconvError):
    """An output file cannot be written (exists without --force, not writable)."""


class UnsupportedError(SvconvError):
    """A translation the build cannot do (unknown format, no parser or emitter)."""
