"""monit's own argument syntax for ``start program = "..."`` and ``exec "..."``.

monit splits the quoted program string on blanks; a word that starts with ``'`` runs to
the next ``'`` (blanks included, quotes dropped). There is no escape character, and the
whole string sits inside ``"..."``, so it can never hold a double quote.
Imports: errors, model.
"""

from __future__ import annotations

import re

from translator.errors import ParseError
from translator.model import Span

_WORD = re.compile(r"'(?P<quoted>[^']*)'|(?P<bare>[^\s']\S*)|(?P<bad>')")


def split(text: str, span: Span) -> tuple[str, ...]:
    """Split a program string into argv as monit does; unbalanced ``'`` is an error."""
    argv: list[str] = []
    for match in _WORD.finditer(text):
        if match.group("bad") is not None:
            raise ParseError("unbalanced quotes in program string", span, code="SV101")
        quoted = match.group("quoted")
        argv.append(quoted if quoted is not None else match.group("bare"))
    if not argv:
        raise ParseError("empty program string", span, code="SV101")
    return tuple(argv)


def can_join(argv: tuple[str, ...]) -> bool:
    """Whether monit's syntax can carry ``argv`` unchanged."""
    return bool(argv) and all(_quote(arg) is not None for arg in argv)


def join(argv: tuple[str, ...]) -> str:
    """Join argv into a program string that :func:`split` gives back exactly."""
    words = [_quote(arg) for arg in argv]
    if not argv or any(word is None for word in words):
        raise ValueError(f"monit cannot quote {argv!r}")
    return " ".join(word for word in words if word is not None)


def _quote(arg: str) -> str | None:
    """Return ``arg`` as one monit word, or None when monit cannot hold it."""
    if '"' in arg:
        return None
    if arg and not re.search(r"\s", arg) and not arg.startswith("'"):
        return arg
    if "'" in arg:
        return None
    return f"'{arg}'"
