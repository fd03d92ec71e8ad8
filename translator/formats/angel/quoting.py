r"""Angel's strings and commands: configurator's quoted strings, and how ``exec`` splits.

configurator reads ``"..."`` with the backslash escapes ``\n \t \r \" \\`` and
``\uXXXX``; ``$(VAR)`` interpolation is kept as written. Angel splits ``exec`` at every
space and strips each word, dropping empty ones: no quoting, so a word cannot hold a
space (Job.hs ``cmdSplit``). Imports: the standard library only.
"""

from __future__ import annotations

import re

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPED = {value: f"\\{key}" for key, value in _ESCAPES.items()}
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|.)", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\\"]")


class EscapeError(ValueError):
    r"""A backslash escape configurator does not know (``\q``)."""


def unquote(token: str) -> str:
    """Give the text of a ``"..."`` token, its escapes resolved."""

    def resolve(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape in _ESCAPES:
            return _ESCAPES[escape]
        if escape.startswith("u") and len(escape) == 5:
            return chr(int(escape[1:], 16))
        raise EscapeError(f"unknown escape \\{escape} in a string")

    return _ESCAPE.sub(resolve, token[1:-1])


def quote(text: str) -> str:
    """Write ``text`` as a ``"..."`` string that :func:`unquote` gives back."""

    def escape(match: re.Match[str]) -> str:
        character = match.group()
        return _ESCAPED.get(character, f"\\u{ord(character):04x}")

    return '"' + _CONTROL.sub(escape, text) + '"'


def split(command: str) -> tuple[str, ...]:
    """Split an ``exec`` value as Angel does: at spaces, each word stripped, none empty."""
    return tuple(word for word in (part.strip() for part in command.split(" ")) if word)


def join(argv: tuple[str, ...]) -> str | None:
    """Write argv as an ``exec`` value that :func:`split` gives back; None when none does."""
    if not argv or any(not word or word != word.strip() or " " in word for word in argv):
        return None
    return " ".join(argv)
