"""Shell words as a service directory's scripts write them. Imports: the standard library only."""

from __future__ import annotations

import shlex


def join(argv: tuple[str, ...]) -> str:
    """Write argv as sh words, each quoted only when it needs to be."""
    return " ".join(shlex.quote(word) for word in argv)
