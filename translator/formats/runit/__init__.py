"""runit service directories: parse a ``run`` script, emit ``NAME/run`` and its companions.

Imports: formats/_capabilities, formats/_svdir, formats/runit.
"""

from translator.formats import _svdir as svdir
from translator.formats._capabilities import Support
from translator.formats.runit.emit import emit
from translator.formats.runit.parse import parse

ID = "runit"
WATCHES_ITS_CHILD = True
"""It runs the started process in front: a start program that only runs an init script is
replaced by the daemon that script starts (api)."""
COMMENT_MARKERS = ("#",)
"""What starts a comment; a lint suppression directive lives in one."""
TRAILING_COMMENTS = True
"""Whether a comment may follow a setting on its line."""
EXECUTABLE = ("run", "finish", "t")  # control/t
"""Written files whose last path part is one of these must be executable (0755)."""
CAPABILITIES: dict[str, Support] = {
    **svdir.CAPABILITIES,
    "group": Support.PARTIAL,
    "stop_signal": Support.FULL,  # control/t
    "start_limit": Support.PARTIAL,
    "hooks": Support.PARTIAL,
}
"""What its files hold of the model; any other field is reported when set."""
DEFAULTS = svdir.DEFAULTS
"""What runit does with a model field a run script leaves unsaid."""


def detect(path: str, text: str) -> bool:
    """Whether ``text`` is a runit service's ``run`` script (one naming no s6 tool)."""
    return path.endswith("/run") and text.startswith("#!") and "s6-" not in text


__all__ = [
    "CAPABILITIES",
    "COMMENT_MARKERS",
    "DEFAULTS",
    "EXECUTABLE",
    "ID",
    "TRAILING_COMMENTS",
    "WATCHES_ITS_CHILD",
    "detect",
    "emit",
    "parse",
]
