"""Read an s6 service directory into the model.

Read are ``run``, ``env/``, ``down``, ``finish``, ``down-signal`` and ``timeout-kill``.

The reading is shared with runit and daemontools (``formats/_svdir``).
Imports: model, diagnostics, formats/_svdir, formats/_options, formats/s6.
"""

from __future__ import annotations

from translator.diagnostics import IncludeLoader, ParseResult
from translator.formats._options import ParseOptions
from translator.formats._svdir import read_service_directory
from translator.formats.s6.emit import DIALECT
from translator.model import Source


def parse(
    source: Source,
    *,
    load_include: IncludeLoader | None = None,
    options: ParseOptions | None = None,
) -> ParseResult:
    """Parse a service's ``run`` script (``…/NAME/run``) and the files beside it."""
    return read_service_directory(source, DIALECT, load_include)
