"""systemd units: parse and emit, and how other tools drive systemd.

Imports: model, diagnostics, errors, loss, formats/_grammar, formats/_options.
"""

import re

from translator.formats._capabilities import Support
from translator.formats.systemd.control import control_commands, keep_alive, wrapped_unit
from translator.formats.systemd.emit import emit
from translator.formats.systemd.parse import (
    DEFAULT_RESTART_DELAY,
    DEFAULT_TIMEOUT,
    parse,
    parse_many,
)
from translator.formats.systemd.parse import DEFAULTS as FIELD_DEFAULTS

ID = "systemd"
COMMENT_MARKERS = ("#", ";")
"""What starts a comment; a lint suppression directive lives in one."""
TRAILING_COMMENTS = False
"""Whether a comment may follow a setting on its line."""
CAPABILITIES: dict[str, Support] = {
    "description": Support.FULL,
    "start": Support.FULL,
    "reload": Support.FULL,
    "working_directory": Support.FULL,
    "user": Support.FULL,
    "group": Support.FULL,
    "umask": Support.FULL,
    "environment": Support.FULL,
    "environment_files": Support.FULL,
    "pidfile": Support.FULL,
    "daemonizes": Support.FULL,
    "runs_once": Support.FULL,
    "stop_signal": Support.FULL,
    "stop_timeout": Support.FULL,
    "restart": Support.FULL,
    "hooks": Support.FULL,
    "limits": Support.FULL,
    "groups": Support.FULL,
    "enabled_at_boot": Support.FULL,
    "sockets": Support.FULL,
    "stop": Support.PARTIAL,
    "stdout": Support.PARTIAL,
    "stderr": Support.PARTIAL,
    "stops_process_group": Support.PARTIAL,
    "kills_process_group": Support.PARTIAL,
    "success_exit_codes": Support.PARTIAL,
    "start_limit": Support.PARTIAL,
    "dependencies": Support.PARTIAL,
    "instances": Support.PARTIAL,
    "first_instance": Support.PARTIAL,
    "instance_format": Support.PARTIAL,
    "extras": Support.PARTIAL,
}
"""What its files hold of the model; any other field is reported when set."""
DEFAULTS: dict[str, object] = {
    **FIELD_DEFAULTS,
    "restart.delay": DEFAULT_RESTART_DELAY,
    "start.timeout": DEFAULT_TIMEOUT,
}
"""What systemd does with a model field (``a.b``: a field of one) a unit leaves unsaid."""
_SECTION = re.compile(r"^\[(Unit|Service|Install)\]\s*$", re.MULTILINE)


def detect(path: str, text: str) -> bool:
    """Whether ``text`` looks like a systemd unit."""
    return path.endswith((".service", ".target", ".socket")) or bool(_SECTION.search(text))


__all__ = [
    "CAPABILITIES",
    "COMMENT_MARKERS",
    "DEFAULTS",
    "ID",
    "TRAILING_COMMENTS",
    "control_commands",
    "detect",
    "emit",
    "keep_alive",
    "parse",
    "parse_many",
    "wrapped_unit",
]
