"""systemd's command-line syntax for ``Exec*=`` lines (systemd.service(5), "COMMAND LINES").

Words split at blanks; ``"..."`` and ``'...'`` quote, C escapes apply; ``%`` starts a
specifier (``%%`` is a literal ``%``) and ``$`` an environment reference (``$$`` is a
literal ``$``); a lone ``;`` separates commands. Imports: errors, model.
"""

from __future__ import annotations

import re

from translator.errors import ParseError
from translator.model import VARIABLE_REFERENCE, Span

PREFIX_CHARACTERS = "-@:+!"
_SAFE = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
_SAFE_WITH_REFERENCES = re.compile(r"[A-Za-z0-9_@%+=:,./${}-]+")
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


def join(argv: tuple[str, ...], *, expands_variables: bool = False) -> str:
    """Join argv into an ``Exec*=`` value that systemd splits back into exactly argv.

    With ``expands_variables`` the words already use systemd's ``$`` syntax (see
    model.Command); otherwise every ``$`` is literal and doubled.
    """
    return " ".join(
        _quote_word(arg, is_first=index == 0, keep_dollars=expands_variables)
        for index, arg in enumerate(argv)
    )


def literal(words: tuple[str, ...]) -> tuple[str, ...]:
    """Read words with no variable references literally: ``$$`` is one dollar sign."""
    return tuple(word.replace("$$", "$") for word in words)


def has_references(words: tuple[str, ...]) -> bool:
    """Whether any word refers to an environment variable (``$$`` does not)."""
    return any(m.group() != "$$" for word in words for m in VARIABLE_REFERENCE.finditer(word))


def _quote_word(arg: str, *, is_first: bool, keep_dollars: bool) -> str:
    escaped = arg.replace("%", "%%")
    safe = _SAFE_WITH_REFERENCES if keep_dollars else _SAFE
    if not keep_dollars:
        escaped = escaped.replace("$", "$$")
    if is_first and arg[:1] in PREFIX_CHARACTERS:
        escaped = "\\" + escaped  # keep a leading '-' from reading as a prefix (rare)
    if escaped == ";":
        return "\\;"
    if escaped and safe.fullmatch(escaped):
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
    words = split_words(text, span)
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
