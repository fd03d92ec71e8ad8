"""Read a daemontools service directory (``run``, ``env/``, ``down``) into the model.

The reading is shared with runit and s6 (``formats/_svdir``); supervise runs no
``finish``, so none is read. Imports: model, diagnostics, formats/_svdir, formats/_options,
formats/daemontools.
"""

from __future__ import annotations

from translator.diagnostics import IncludeLoader, ParseResult
from translator.formats._options import ParseOptions
from translator.formats._svdir import read_service_directory
from translator.formats.daemontools.emit import DIALECT
from translator.model import Source


def parse(
    source: Source,
    *,
    load_include: IncludeLoader | None = None,
    options: ParseOptions | None = None,
) -> ParseResult:
    """Parse a service's ``run`` script (``…/NAME/run``) and the files beside it."""
    return read_service_directory(source, DIALECT, load_include)
