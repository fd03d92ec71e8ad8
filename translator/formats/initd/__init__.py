"""SysV init scripts: read their headers and the daemon their start action runs.

Imports: model, diagnostics, errors, formats/_options.
"""

from translator.formats.initd.parse import detect, parse

ID = "initd"

__all__ = ["ID", "detect", "parse"]
