"""SysV init scripts: read the daemon a script starts, and write self-contained ones.

Imports: model, diagnostics, errors, formats/_options.
"""

from translator.formats._capabilities import Support
from translator.formats.initd.emit import emit
from translator.formats.initd.parse import detect, is_service_script, parse
from translator.model import Output

ID = "initd"
COMMENT_MARKERS = ("#",)
"""What starts a comment; a lint suppression directive lives in one."""
TRAILING_COMMENTS = True
"""Whether a comment may follow a setting on its line."""
EXECUTABLE = ("*",)
"""Every file written is an init script: executable."""
DEFAULTS: dict[str, object] = {
    "stop_signal": "SIGTERM",
    "stop_timeout": 10.0,
    "stderr": Output(kind="inherit"),
}
"""What svconv's scripts do where the model leaves a field unsaid."""
CAPABILITIES: dict[str, Support] = {
    "description": Support.FULL,
    "user": Support.FULL,
    "working_directory": Support.FULL,
    "umask": Support.FULL,
    "pidfile": Support.FULL,
    "start": Support.PARTIAL,
    "stop": Support.PARTIAL,
    "reload": Support.PARTIAL,
    "daemonizes": Support.PARTIAL,
    "environment": Support.PARTIAL,
    "environment_files": Support.PARTIAL,
    "stdout": Support.PARTIAL,
    "stderr": Support.PARTIAL,
    "stop_signal": Support.PARTIAL,
    "stop_timeout": Support.PARTIAL,
    "hooks": Support.PARTIAL,
    "limits": Support.PARTIAL,
    "dependencies": Support.PARTIAL,
    "enabled_at_boot": Support.PARTIAL,
}
"""What its scripts hold of the model; any other field is reported when set."""

__all__ = [
    "CAPABILITIES",
    "COMMENT_MARKERS",
    "DEFAULTS",
    "EXECUTABLE",
    "ID",
    "TRAILING_COMMENTS",
    "detect",
    "emit",
    "is_service_script",
    "parse",
]
