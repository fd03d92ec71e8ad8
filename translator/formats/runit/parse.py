"""Read a runit service directory (``run``, ``env/``, ``down``, ``finish``) into the model.

The reading is shared with daemontools and s6 (``formats/_svdir``); runit's dialect names
its tools. Imports: model, diagnostics, formats/_svdir, formats/_options, formats/runit.
"""

from __future__ import annotations

from translator.diagnostics import IncludeLoader, ParseResult
from translator.formats._options import ParseOptions
from translator.formats._svdir import read_service_directory
from translator.formats.runit.emit import DIALECT
from translator.model import Source


def parse(
    source: Source,
    *,
    load_include: IncludeLoader | None = None,
    options: ParseOptions | None = None,
) -> ParseResult:
    """Parse a service's ``run`` script (``…/NAME/run``) and the files beside it."""
    return read_service_directory(source, DIALECT, load_include)
