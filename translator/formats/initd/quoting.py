"""Shell words as an init script writes them. Imports: the standard library only."""

from __future__ import annotations

import shlex


def unescape(text: str) -> str:
    r"""Remove the shell's backslash escapes from an unquoted word (``a\ b`` is ``a b``)."""
    if "\\" not in text:
        return text
    try:
        return "".join(shlex.split(text)) if text.strip() else text
    except ValueError:
        return text
