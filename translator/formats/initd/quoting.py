"""Shell words as an init script writes them. Imports: the standard library only."""

from __future__ import annotations

import shlex


def quote(word: str) -> str:
    """Quote one word for sh, leaving a plain word as it is."""
    return shlex.quote(word)


def join(argv: tuple[str, ...], *, expands_variables: bool = False) -> str:
    """Write an argv as sh words; with ``expands_variables``, ``$NAME`` stays a reference.

    A whole-word ``$NAME`` stays unquoted (sh splits it, as systemd does); ``${NAME}``
    inside a word stays a reference in double quotes; ``$$`` is a literal dollar sign.
    """
    if not expands_variables:
        return " ".join(shlex.quote(word) for word in argv)
    return " ".join(_expanding_word(word) for word in argv)


def _expanding_word(word: str) -> str:
    name = word[1:]
    if word.startswith("$") and name.isidentifier():
        return word
    parts = []
    rest = word
    while rest:
        before, dollar, after = rest.partition("$")
        if before:
            parts.append(shlex.quote(before))
        if not dollar:
            break
        if after.startswith("$"):
            parts.append("'$'")
            rest = after[1:]
        elif after.startswith("{") and "}" in after:
            reference, _, rest = after[1:].partition("}")
            parts.append(f'"${{{reference}}}"')
        else:
            length = len(after) - len(
                after.lstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
            )
            parts.append(f'"${{{after[:length]}}}"' if length else "'$'")
            rest = after[length:]
    return "".join(parts) or "''"
