"""supervisor's own value syntax: ``command=`` (POSIX shlex) and ``environment=`` pairs.

supervisor splits ``command`` with ``shlex.split`` when it starts the process, and
``environment`` with a non-POSIX ``shlex.shlex`` (``datatypes.dict_of_key_value_pairs``):
quotes are stripped, never escaped. Both values live on an INI line, so ``%`` must be
``%%`` and a ``;`` or ``#`` after whitespace would start a comment, even inside quotes.
Imports: errors, model.
"""

from __future__ import annotations

import re
import shlex

from translator.errors import ParseError
from translator.model import Span

_COMMENT_AFTER_SPACE = re.compile(r"(\s)([;#])")
_KEY = re.compile(r"[A-Za-z0-9_/.+\-():]+")


def split_command(text: str, span: Span) -> tuple[str, ...]:
    """Split an expanded ``command=`` value into argv, as supervisor will."""
    try:
        argv = tuple(shlex.split(text))
    except ValueError as error:
        raise ParseError(f"command: {error}", span, code="SV101") from None
    if not argv:
        raise ParseError("command is empty", span, code="SV101")
    return argv


def join_command(argv: tuple[str, ...]) -> str | None:
    """Quote argv so that supervisor's INI reader and shlex give it back exactly.

    None when an argument holds a newline, which an INI value cannot carry.
    """
    if any("\n" in arg or "\r" in arg for arg in argv):
        return None
    return " ".join(_quote(arg) for arg in argv).replace("%", "%%")


def _quote(arg: str) -> str:
    quoted = shlex.quote(arg)
    # Inside '...' a blank then ';' or '#' would be cut as a comment: step out of the
    # quotes for that one character ('a ; b' becomes 'a '\;' b').
    return _COMMENT_AFTER_SPACE.sub(lambda m: f"{m.group(1)}'\\{m.group(2)}'", quoted)


def split_environment(text: str, span: Span) -> tuple[tuple[str, str], ...]:
    """Split ``KEY=val,KEY2="v, 2"`` exactly as supervisor 4.2.5 and 4.3 do."""
    lexer = shlex.shlex(text)
    lexer.wordchars += "/.+-():"
    try:
        tokens = list(lexer)
    except ValueError as error:
        raise ParseError(f"environment: {error}", span, code="SV101") from None
    pairs: dict[str, str] = {}
    for index in range(0, len(tokens), 4):
        key_equals_value = tokens[index : index + 3]
        if len(key_equals_value) != 3 or key_equals_value[1] != "=":
            raise ParseError(
                f"environment: expected KEY=value pairs, found {text!r}", span, code="SV101"
            )
        pairs[key_equals_value[0]] = key_equals_value[2].strip("'\"")
    return tuple(pairs.items())


def join_environment(pairs: tuple[tuple[str, str], ...]) -> str | None:
    """Write pairs so 4.2.5 and later read them back the same; None if one cannot be."""
    words = []
    for key, value in pairs:
        quote = '"' if '"' not in value else "'"
        impossible = (
            not _KEY.fullmatch(key)
            or quote in value
            or (value[:1] in "'\"" and value)
            or (value[-1:] in "'\"" and value)
            or "\n" in value
            or _COMMENT_AFTER_SPACE.search(value)
        )
        if impossible:
            return None
        words.append(f"{key}={quote}{value}{quote}")
    return ",".join(words).replace("%", "%%")
