"""s6 service directories (s6-svscan): parse ``run`` and its companions, emit them.

Imports: formats/_capabilities, formats/_svdir, formats/s6.
"""

from translator.formats import _svdir as svdir
from translator.formats._capabilities import Support
from translator.formats.s6.emit import emit
from translator.formats.s6.parse import parse

ID = "s6"
WATCHES_ITS_CHILD = True
"""It runs the started process in front: a start program that only runs an init script is
replaced by the daemon that script starts (api)."""
COMMENT_MARKERS = ("#",)
"""What starts a comment; a lint suppression directive lives in one."""
TRAILING_COMMENTS = True
"""Whether a comment may follow a setting on its line."""
EXECUTABLE = ("run", "finish")
"""Written files whose last path part is one of these must be executable (0755)."""
CAPABILITIES: dict[str, Support] = {
    **svdir.CAPABILITIES,
    "group": Support.FULL,
    "start_limit": Support.PARTIAL,
    "hooks": Support.PARTIAL,
    "stop_signal": Support.FULL,
    "stop_timeout": Support.FULL,
}
"""What its files hold of the model; any other field is reported when set."""
DEFAULTS = svdir.DEFAULTS
"""What s6 does with a model field a run script leaves unsaid."""


def detect(path: str, text: str) -> bool:
    """Whether ``text`` is an s6 ``run`` script (one that names s6's tools)."""
    return path.endswith("/run") and text.startswith("#!") and "s6-" in text


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
