"""systemd units: parse and emit, and how other tools drive systemd.

Imports: model, diagnostics, errors, loss, formats/_grammar, formats/_options.
"""

import re

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
    "DEFAULTS",
    "ID",
    "control_commands",
    "detect",
    "emit",
    "keep_alive",
    "parse",
    "parse_many",
    "wrapped_unit",
]
