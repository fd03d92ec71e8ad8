"""supervisord configuration: parse and emit, and how other tools drive supervisord.

Imports: model, diagnostics, errors, loss, formats/_options, formats/supervisord.
"""

import re

from translator.formats.supervisord.emit import control_commands, emit, keep_alive
from translator.formats.supervisord.parse import parse, parse_many
from translator.model import Output, StartLimit

ID = "supervisord"
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
    "DEFAULTS",
    "ID",
    "control_commands",
    "detect",
    "emit",
    "keep_alive",
    "parse",
    "parse_many",
]
