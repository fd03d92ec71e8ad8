"""monit control files: parse and emit.

Imports: model, diagnostics, errors, loss, formats/_grammar, formats/_options.
"""

import re

from translator.formats._capabilities import Support
from translator.formats.monit.emit import emit, pattern_for
from translator.formats.monit.parse import parse, parse_many

ID = "monit"
COMMENT_MARKERS = ("#",)
"""What starts a comment; a lint suppression directive lives in one."""
TRAILING_COMMENTS = True
"""Whether a comment may follow a setting on its line."""
INCLUDES_DEFINE_AGAIN = True
"""A file read both through an include and on its own would define its services twice."""
CAPABILITIES: dict[str, Support] = {
    # start, its user and pidfile: a foreground program becomes a start-stop-daemon
    # call (--monit-owns-process) or a systemctl one
    "kind": Support.FULL,
    "target": Support.FULL,
    "restart_command": Support.FULL,
    "match_pattern": Support.FULL,
    "health_checks": Support.FULL,
    "groups": Support.FULL,
    "enabled_at_boot": Support.FULL,
    "alerts": Support.FULL,
    "stop": Support.PARTIAL,
    "stop_timeout": Support.PARTIAL,
    "daemonizes": Support.PARTIAL,
    "pidfile": Support.PARTIAL,
    "group": Support.PARTIAL,
    "user": Support.PARTIAL,
    "start": Support.PARTIAL,
    "restart": Support.PARTIAL,
    "start_limit": Support.PARTIAL,
    "dependencies": Support.PARTIAL,
    "extras": Support.PARTIAL,
}
"""What its files hold of the model; any other field is reported when set."""
RUNS_FOREGROUND = False
"""monit waits for start programs to return: it cannot keep a program in the foreground."""
_CHECK = re.compile(r"^\s*(check\s+\w+|set\s+daemon)\b", re.IGNORECASE | re.MULTILINE)


def detect(path: str, text: str) -> bool:
    """Whether ``text`` looks like a monit control file."""
    return path.endswith("monitrc") or bool(_CHECK.search(text))


__all__ = [
    "CAPABILITIES",
    "COMMENT_MARKERS",
    "ID",
    "INCLUDES_DEFINE_AGAIN",
    "TRAILING_COMMENTS",
    "detect",
    "emit",
    "parse",
    "parse_many",
    "pattern_for",
]
