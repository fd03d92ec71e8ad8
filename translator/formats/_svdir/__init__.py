"""What runit, daemontools and s6 service directories share: reading and writing them.

A service directory holds ``run`` (a short sh script ending in ``exec`` through a chain
of privilege and environment tools), ``log/run``, ``env/VAR``, ``down`` and, where the
supervisor runs it, ``finish``. The three formats differ in their tools' names and in
what their supervisor reads beside ``run``; each states that in a :class:`Dialect`.
Imports: model, diagnostics, errors, loss, knowledge, formats/_capabilities,
formats/_foreground, formats/_script, formats/_shell, formats/_options, formats/_svdir.
"""

from translator.formats._capabilities import Support
from translator.formats._svdir.dialect import Dialect, ServiceDirectory
from translator.formats._svdir.read import read_service_directory
from translator.formats._svdir.write import write_service_directories
from translator.model import Output

CAPABILITIES: dict[str, Support] = {
    "start": Support.PARTIAL,  # no start timeout
    "working_directory": Support.FULL,
    "user": Support.FULL,
    "umask": Support.FULL,
    "environment": Support.PARTIAL,
    "enabled_at_boot": Support.FULL,
    "instances": Support.PARTIAL,  # a directory each, NAME-NUMBER
    "stdout": Support.PARTIAL,
    "stderr": Support.PARTIAL,
    "daemonizes": Support.PARTIAL,
    "restart": Support.PARTIAL,
    "limits": Support.PARTIAL,
    "extras": Support.PARTIAL,
}
"""What the three formats' directories all hold; each adds what its supervisor reads."""
DEFAULTS: dict[str, object] = {
    "daemonizes": False,
    "stderr": Output(kind="inherit"),
}
"""What a supervisor of service directories does with what a run script leaves unsaid."""

__all__ = [
    "CAPABILITIES",
    "DEFAULTS",
    "Dialect",
    "ServiceDirectory",
    "read_service_directory",
    "write_service_directories",
]
