"""SV104 syntax.unescaped-percent: a lone ``%`` in a supervisord value."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV104",
    name="syntax.unescaped-percent",
    severity=Severity.ERROR,
    formats=("supervisord",),
    doc="""
    What it does: flags a ``%`` in a supervisord value that starts no ``%(name)s``
    expansion.

    Why it matters: supervisord expands every value with Python's ``%`` formatting and
    refuses the whole file on a lone ``%`` ("Format string … is badly formatted"), so
    none of its programs start.

    Example:
        ```supervisord web.conf
        [program:web]
        command=/usr/bin/web --load 100%
        ```

    Use instead:
        ```supervisord web.conf
        [program:web]
        command=/usr/bin/web --load 100%%
        ```

    Fix: none yet; write ``%%`` for a percent sign.
    """,
)
