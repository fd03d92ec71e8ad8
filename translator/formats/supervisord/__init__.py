"""supervisord configuration: parse and emit, and how other tools drive supervisord.

Imports: model, diagnostics, errors, loss, formats/_foreground, formats/_options,
formats/supervisord.
"""

import re

from translator.formats._capabilities import Support
from translator.formats.supervisord.emit import control_commands, emit, keep_alive
from translator.formats.supervisord.parse import parse, parse_many
from translator.model import Output, StartLimit

ID = "supervisord"
WATCHES_ITS_CHILD = True
"""It runs the started process in front: a start program that only runs an init script is
replaced by the daemon that script starts (api)."""
COMMENT_MARKERS = ("#", ";")
"""What starts a comment; a lint suppression directive lives in one."""
TRAILING_COMMENTS = True
"""Whether a comment may follow a setting on its line."""
INCLUDES_DEFINE_AGAIN = True
"""A file read both through an include and on its own would define its services twice."""
CAPABILITIES: dict[str, Support] = {
    "working_directory": Support.FULL,
    "user": Support.FULL,
    "umask": Support.FULL,
    "environment": Support.FULL,
    "stop_signal": Support.FULL,
    "stop_timeout": Support.FULL,
    "stops_process_group": Support.FULL,
    "kills_process_group": Support.FULL,
    "success_exit_codes": Support.FULL,
    "groups": Support.FULL,
    "enabled_at_boot": Support.FULL,
    "instances": Support.FULL,
    "first_instance": Support.FULL,
    "instance_format": Support.FULL,
    "sockets": Support.FULL,
    "start": Support.PARTIAL,
    "stdout": Support.PARTIAL,
    "stderr": Support.PARTIAL,
    "daemonizes": Support.PARTIAL,
    "restart": Support.PARTIAL,
    "min_uptime": Support.PARTIAL,
    "start_limit": Support.PARTIAL,
    "start_order": Support.PARTIAL,
    "extras": Support.PARTIAL,
}
"""What its files hold of the model; any other field is reported when set."""
DEFAULTS: dict[str, object] = {
    "min_uptime": 1.0,
    "start_limit": StartLimit(burst=4, interval=None),
    "stop_signal": "SIGTERM",
    "stop_timeout": 10.0,
    "stops_process_group": False,
    "kills_process_group": False,
    "start_order": 999,
    "stdout": Output(kind="managed"),
    "stderr": Output(kind="managed"),
}
"""What supervisord does with a model field a file leaves unsaid (its documented defaults)."""
_SECTION = re.compile(
    r"^\s*\[(program|supervisord|group|eventlistener|fcgi-program):?", re.MULTILINE
)


def detect(path: str, text: str) -> bool:
    """Whether ``text`` looks like supervisord configuration."""
    return bool(_SECTION.search(text))


__all__ = [
    "CAPABILITIES",
    "COMMENT_MARKERS",
    "DEFAULTS",
    "ID",
    "INCLUDES_DEFINE_AGAIN",
    "TRAILING_COMMENTS",
    "WATCHES_ITS_CHILD",
    "control_commands",
    "detect",
    "emit",
    "keep_alive",
    "parse",
    "parse_many",
]
