"""daemontools service directories: parse a ``run`` script, emit ``NAME/run`` and its companions.

Imports: formats/_svdir, formats/daemontools.
"""

from translator.formats import _svdir as svdir
from translator.formats.daemontools.emit import emit
from translator.formats.daemontools.parse import parse

ID = "daemontools"
WATCHES_ITS_CHILD = True
"""It runs the started process in front: a start program that only runs an init script is
replaced by the daemon that script starts (api)."""
COMMENT_MARKERS = ("#",)
"""What starts a comment; a lint suppression directive lives in one."""
TRAILING_COMMENTS = True
"""Whether a comment may follow a setting on its line."""
EXECUTABLE = ("run",)
"""Written files whose last path part is one of these must be executable (0755)."""
CAPABILITIES = svdir.CAPABILITIES  # supervise reads nothing beside run and down
"""What its files hold of the model; any other field is reported when set."""
DEFAULTS = svdir.DEFAULTS
"""What daemontools does with a model field a run script leaves unsaid."""


def detect(path: str, text: str) -> bool:
    """Whether ``text`` is a daemontools ``run`` script (one that names its tools)."""
    return path.endswith("/run") and text.startswith("#!") and "setuidgid " in text


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
