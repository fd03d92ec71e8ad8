"""SV100 syntax.unused-suppression: a directive that suppresses nothing."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV100",
    name="syntax.unused-suppression",
    severity=Severity.WARNING,
    formats=("monit", "supervisord", "systemd", "initd"),
    doc="""
    What it does: flags a ``# svconv: disable=…`` directive that suppresses no finding,
    or that names no rule.

    Why it matters: a stale suppression hides the next real finding on that line, and a
    misspelt code suppresses nothing while looking as if it did.

    Example:
        ```systemd web.service
        [Service]
        # svconv: disable=SV207 -- not a oneshot any more
        ExecStart=/usr/sbin/web
        ```

    Use instead:
        ```systemd web.service
        [Service]
        ExecStart=/usr/sbin/web
        ```

    Fix: none; delete the directive or name the rule it is for.
    """,
)
