"""monit control files: parse and emit.

Imports: model, diagnostics, errors, loss, formats/_grammar, formats/_options.
"""

import re

from translator.formats.monit.emit import emit, pattern_for
from translator.formats.monit.parse import parse, parse_many

ID = "monit"
RUNS_FOREGROUND = False
"""monit waits for start programs to return: it cannot keep a program in the foreground."""
_CHECK = re.compile(r"^\s*(check\s+\w+|set\s+daemon)\b", re.IGNORECASE | re.MULTILINE)


def detect(path: str, text: str) -> bool:
    """Whether ``text`` looks like a monit control file."""
    return path.endswith("monitrc") or bool(_CHECK.search(text))


__all__ = ["ID", "detect", "emit", "parse", "parse_many", "pattern_for"]
