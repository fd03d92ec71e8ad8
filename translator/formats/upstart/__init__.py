"""upstart 0.6 job files (CentOS 6's ``/etc/init/*.conf``): parse only.

Imports: model, diagnostics, errors, formats/_grammar, formats/_options.
"""

import re

from translator.formats.upstart.job import SYSTEMD_PROVIDED_JOBS
from translator.formats.upstart.parse import parse

ID = "upstart"
COMMENT_MARKERS = ("#",)
"""What starts a comment; a lint suppression directive lives in one."""
TRAILING_COMMENTS = True
"""Whether a comment may follow a setting on its line."""
_EVENT_STANZA = re.compile(r"^[ \t]*(start|stop)[ \t]+on[ \t]", re.MULTILINE)


def detect(path: str, text: str) -> bool:
    """Whether ``text`` is an upstart job: a ``.conf`` under ``init/``, or one with ``start on``.

    Only ``.conf`` files: upstart reads no others from ``/etc/init``.
    """
    if not path.endswith(".conf"):
        return False
    return "/init/" in f"/{path}" or bool(_EVENT_STANZA.search(text))


__all__ = [
    "COMMENT_MARKERS",
    "ID",
    "SYSTEMD_PROVIDED_JOBS",
    "TRAILING_COMMENTS",
    "detect",
    "parse",
]
