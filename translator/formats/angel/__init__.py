"""Angel (the Haskell process monitor): parse and emit ``angel.conf``.

Imports: model, formats/_capabilities, formats/angel.
"""

import re

from translator.formats._capabilities import Support
from translator.formats.angel.emit import emit
from translator.formats.angel.parse import parse
from translator.model import Output

ID = "angel"
WATCHES_ITS_CHILD = True
"""It runs the started process in front: a start program that only runs an init script is
replaced by the daemon that script starts (api)."""
COMMENT_MARKERS = ("#",)
"""What starts a comment; a lint suppression directive lives in one."""
TRAILING_COMMENTS = True
"""Whether a comment may follow a setting on its line."""
CAPABILITIES: dict[str, Support] = {
    "start": Support.PARTIAL,
    "working_directory": Support.FULL,
    "user": Support.PARTIAL,
    "environment": Support.PARTIAL,
    "stdout": Support.PARTIAL,
    "stderr": Support.PARTIAL,
    "pidfile": Support.FULL,
    "daemonizes": Support.PARTIAL,
    "stop_timeout": Support.PARTIAL,
    "restart": Support.PARTIAL,
    "enabled_at_boot": Support.FULL,
    "instances": Support.PARTIAL,
    "first_instance": Support.PARTIAL,
    "extras": Support.PARTIAL,
}
"""What its files hold of the model; any other field is reported when set."""
DEFAULTS: dict[str, object] = {
    "daemonizes": False,
    "stdout": Output(kind="null"),
    "stderr": Output(kind="null"),
    "restart.delay": 5.0,
}
"""What Angel does with a model field its file leaves unsaid (Data.hs defaults)."""

_PROGRAM_EXEC = re.compile(r'^\s*[A-Za-z][\w-]*\s*\{[^}]*?^\s*exec\s*=\s*"', re.MULTILINE)


def detect(path: str, text: str) -> bool:
    """Whether ``text`` is an Angel file: a ``.conf`` whose group sets ``exec = "..."``."""
    return path.endswith((".conf", ".cfg")) and bool(_PROGRAM_EXEC.search(text))


__all__ = [
    "CAPABILITIES",
    "COMMENT_MARKERS",
    "DEFAULTS",
    "ID",
    "TRAILING_COMMENTS",
    "WATCHES_ITS_CHILD",
    "detect",
    "emit",
    "parse",
]
