"""systemd's command-line syntax for ``Exec*=`` lines (systemd.service(5), "COMMAND LINES").

Words split at blanks; ``"..."`` and ``'...'`` quote, C escapes apply; ``%`` starts a
specifier (``%%`` is a literal ``%``) and ``$`` an environment reference (``$$`` is a
literal ``$``); a lone ``;`` separates commands. Imports: errors, model.
"""

from __future__ import annotations

import re

from translator.errors import ParseError
from translator.model import Span

PREFIX_CHARACTERS = "-@:+!"
_SAFE = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
_C_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
    "s": " ",
    ";": ";",
}


def join(argv: tuple[str, ...]) -> str:
    """Join argv into an ``Exec*=`` value that systemd splits back into exactly argv."""
    return " ".join(_quote_word(arg, is_first=index == 0) for index, arg in enumerate(argv))


def _quote_word(arg: str, *, is_first: bool) -> str:
    escaped = arg.replace("%", "%%").replace("$", "$$")
    if is_first and arg[:1] in PREFIX_CHARACTERS:
        escaped = "\\" + escaped  # keep a leading '-' from reading as a prefix (rare)
    if escaped == ";":
        return "\\;"
    if escaped and _SAFE.fullmatch(escaped):
        return escaped
    body = escaped.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


def split(value: str, span: Span) -> tuple[tuple[str, ...], str]:
    """Split an ``Exec*=`` value into (argv, prefixes); specifiers other than ``%%`` stay."""
    prefixes = ""
    text = value.lstrip()
    while text[:1] in PREFIX_CHARACTERS and text[:1]:
        prefixes += text[0]
        text = text[1:]
    words = tuple(word.replace("$$", "$") for word in split_words(text, span))
    if not words:
        raise ParseError("empty command line", span, code="SV101")
    return words, prefixes


def split_words(text: str, span: Span) -> tuple[str, ...]:
    """Split a list value (``Environment=``, ``Exec*=``) into unquoted, unescaped words."""
    words: list[str] = []
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\n":
            position += 1
        if position >= len(text):
            return tuple(words)
        word, position = _read_word(text, position, span)
        words.append(word.replace("%%", "%"))


def join_assignment(key: str, value: str) -> str:
    """Quote one ``KEY=value`` word of ``Environment=`` so split_words gives it back."""
    body = f"{key}={value}".replace("%", "%%").replace("\\", "\\\\").replace('"', '\\"')
    return f'"{body}"'


def _read_word(text: str, position: int, span: Span) -> tuple[str, int]:
    """Read one word from ``position``: quotes removed, C escapes resolved."""
    out: list[str] = []
    quote: str | None = None
    while position < len(text):
        char = text[position]
        if quote is None and char in " \t\n":
            break
        if char == "\\" and position + 1 < len(text):
            following = text[position + 1]
            out.append(_C_ESCAPES.get(following, "\\" + following))
            position += 2
            continue
        if char in "\"'" and (quote is None or quote == char):
            quote = None if quote else char
        else:
            out.append(char)
        position += 1
    if quote is not None:
        raise ParseError("unbalanced quotes in command line", span, code="SV101")
    return "".join(out), position
