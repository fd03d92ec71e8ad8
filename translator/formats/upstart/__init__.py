"""upstart job files (``/etc/init/*.conf``): read 0.6 to 1.13, write 1.13.

Imports: model, diagnostics, errors, loss, knowledge, formats/_grammar, formats/_shell,
formats/_options.
"""

import re

from translator.formats._capabilities import Support
from translator.formats.upstart.emit import emit
from translator.formats.upstart.job import (
    KILL_TIMEOUT,
    RESPAWN_LIMIT,
    SYSTEMD_PROVIDED_JOBS,
)
from translator.formats.upstart.parse import parse
from translator.model import Output

ID = "upstart"
COMMENT_MARKERS = ("#",)
"""What starts a comment; a lint suppression directive lives in one."""
TRAILING_COMMENTS = True
"""Whether a comment may follow a setting on its line."""
CAPABILITIES: dict[str, Support] = {
    "description": Support.FULL,
    "start": Support.PARTIAL,
    "stop": Support.PARTIAL,
    "working_directory": Support.FULL,
    "user": Support.FULL,
    "group": Support.FULL,
    "umask": Support.FULL,
    "environment": Support.PARTIAL,
    "stdout": Support.PARTIAL,
    "stderr": Support.PARTIAL,
    "daemonizes": Support.PARTIAL,
    "runs_once": Support.FULL,
    "stop_signal": Support.FULL,
    "stop_timeout": Support.PARTIAL,
    "stops_process_group": Support.PARTIAL,
    "kills_process_group": Support.PARTIAL,
    "restart": Support.PARTIAL,
    "success_exit_codes": Support.PARTIAL,
    "start_limit": Support.PARTIAL,
    "dependencies": Support.PARTIAL,
    "hooks": Support.PARTIAL,
    "limits": Support.PARTIAL,
    "enabled_at_boot": Support.FULL,
    "instances": Support.PARTIAL,
    "extras": Support.PARTIAL,
}
"""What its job files hold of the model; any other field is reported when set."""
DEFAULTS: dict[str, object] = {
    "daemonizes": False,
    "stderr": Output(kind="inherit"),
    "stop_signal": "SIGTERM",
    "stop_timeout": KILL_TIMEOUT,
    "stops_process_group": True,
    "kills_process_group": True,
    "start_limit": RESPAWN_LIMIT,
}
"""What upstart does with a model field a job leaves unsaid."""
_EVENT_STANZA = re.compile(r"^[ \t]*(start|stop)[ \t]+on[ \t]", re.MULTILINE)


def detect(path: str, text: str) -> bool:
    """Whether ``text`` is an upstart job: a ``.conf`` under ``init/``, or one with ``start on``.

    Only ``.conf`` files: upstart reads no others from ``/etc/init``.
    """
    if not path.endswith(".conf"):
        return False
    return "/init/" in f"/{path}" or bool(_EVENT_STANZA.search(text))


__all__ = [
    "CAPABILITIES",
    "COMMENT_MARKERS",
    "DEFAULTS",
    "ID",
    "SYSTEMD_PROVIDED_JOBS",
    "TRAILING_COMMENTS",
    "detect",
    "emit",
    "parse",
]
