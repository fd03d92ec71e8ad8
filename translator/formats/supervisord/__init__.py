"""supervisord configuration: parse and emit, and how other tools drive supervisord.

Imports: model, diagnostics, errors, loss, formats/_options, formats/supervisord.
"""

import re

from translator.formats.supervisord.parse import parse

ID = "supervisord"
_SECTION = re.compile(
    r"^\s*\[(program|supervisord|group|eventlistener|fcgi-program):?", re.MULTILINE
)


def detect(path: str, text: str) -> bool:
    """Whether ``text`` looks like supervisord configuration."""
    return bool(_SECTION.search(text))


__all__ = ["ID", "detect", "parse"]
