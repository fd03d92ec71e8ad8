"""SV101 syntax.parse-error: a file its own program would refuse."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV101",
    name="syntax.parse-error",
    severity=Severity.ERROR,
    formats=("monit", "supervisord", "systemd", "initd"),
    doc="""
    What it does: reports where a file stops being valid in its format, as the program
    that reads it (monit, supervisord, systemd, sh) would.

    Why it matters: monit and supervisord refuse to start with such a file; systemd skips
    the unit; the service is then not supervised at all.

    Example:
        ```monit web.monitrc
        check process web with pidfile /run/web.pid
          if failed port then restart
        ```

    Use instead:
        ```monit web.monitrc
        check process web with pidfile /run/web.pid
          if failed port 80 then restart
        ```

    Fix: none. The other files of the run are still linted.
    """,
)
