"""SV701 port.no-equivalent: what translating to ``--target`` would lose."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV701",
    name="port.no-equivalent",
    severity=Severity.INFO,
    formats=("monit", "supervisord", "systemd", "initd"),
    doc="""
    What it does: with ``svconv lint --target FORMAT``, lists each setting the target
    format cannot hold, and what the translation would do instead (the loss report of
    ``svconv convert``).

    Why it matters: planning a move to another supervisor starts with knowing what does
    not carry over: port probes into systemd, restarts into an init script.

    Example:
        ```monit web.monitrc
        check process web with pidfile /run/web.pid
          start program = "/usr/sbin/web"
          if failed port 80 then restart
        ```

    Use instead:
        ```monit web.monitrc
        check process web with pidfile /run/web.pid
          start program = "/usr/sbin/web"
        ```

    Fix: none; each finding says what the translation does instead.
    """,
)
