"""What runit, daemontools and s6 service directories share: reading and writing them.

A service directory holds ``run`` (a short sh script ending in ``exec`` through a chain
of privilege and environment tools), ``log/run``, ``env/VAR``, ``down`` and, where the
supervisor runs it, ``finish``. The three formats differ in their tools' names and in
what their supervisor reads beside ``run``; each states that in a :class:`Dialect`.
Imports: model, diagnostics, errors, loss, knowledge, formats/_script, formats/_shell,
formats/_options, formats/_svdir.
"""

from translator.formats._svdir.dialect import Dialect, ServiceDirectory
from translator.formats._svdir.read import read_service_directory
from translator.formats._svdir.write import write_service_directories

__all__ = ["Dialect", "ServiceDirectory", "read_service_directory", "write_service_directories"]
