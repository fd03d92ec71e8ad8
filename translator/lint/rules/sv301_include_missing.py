"""SV301 deps.include-missing: an include that matches no file."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV301",
    name="deps.include-missing",
    severity=Severity.WARNING,
    formats=("monit", "supervisord"),
    doc="""
    What it does: flags a monit ``include`` or a supervisord ``[include] files=`` pattern
    that matches no file.

    Why it matters: the checks or programs meant to be there are silently not
    supervised; a renamed directory or a typo is enough.

    Example:
        ```monit monitrc
        set daemon 60
        include /etc/monit/conf-enabled.d/*
        ```

    Use instead:
        ```monit monitrc
        set daemon 60
        ```

    Fix: none; correct the pattern, or drop it when nothing belongs there.
    """,
)
