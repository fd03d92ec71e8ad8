"""SV103 syntax.invalid-value: a value its program refuses."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV103",
    name="syntax.invalid-value",
    severity=Severity.ERROR,
    formats=("monit", "supervisord", "systemd"),
    doc="""
    What it does: flags a value its program refuses to load: a supervisord option of
    the wrong type (``autorestart=perhaps``, ``startsecs=ten``, an unknown signal or
    event), a monit value out of its domain (an unknown protocol, a bad checksum, a
    cron ``every`` that is not five fields), a systemd ``Exec*=`` program that is
    neither a name nor an absolute path (``ExecStart=bin/web``).

    Why it matters: supervisord and monit refuse the whole file, so nothing in it is
    supervised; systemd refuses the unit ("bad-setting"). A value systemd merely
    ignores with a warning (``Type=simpel``, ``Restart=perhaps``) is SV110 instead: the
    unit runs with the default.

    Example:
        ```supervisord web.conf
        [program:web]
        command=/usr/bin/web
        autorestart=perhaps
        ```

    Use instead:
        ```supervisord web.conf
        [program:web]
        command=/usr/bin/web
        autorestart=unexpected
        ```

    Fix: none; the message says what the program accepts. A file supervisord or monit
    refuses is not linted further.
    """,
)
