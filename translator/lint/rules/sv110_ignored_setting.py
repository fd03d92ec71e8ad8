"""SV110 syntax.ignored-setting: a setting systemd warns about and ignores."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV110",
    name="syntax.ignored-setting",
    severity=Severity.WARNING,
    formats=("systemd",),
    doc="""
    What it does: flags a line systemd ignores with a warning: a setting before any
    section, or a value systemd cannot read (``Restart=sometimes``).

    Why it matters: the unit loads, so the mistake goes unnoticed, but the setting has
    no effect: the service runs with the default instead.

    Example:
        ```systemd web.service
        [Service]
        ExecStart=/usr/sbin/web
        Restart=sometimes
        ```

    Use instead:
        ```systemd web.service
        [Service]
        ExecStart=/usr/sbin/web
        Restart=on-failure
        ```

    Fix: none; ``systemd-analyze verify`` names the accepted values.
    """,
)
