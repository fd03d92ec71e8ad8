"""SV107 syntax.duplicate-section: a program or check defined twice."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV107",
    name="syntax.duplicate-section",
    severity=Severity.ERROR,
    formats=("monit", "supervisord"),
    doc="""
    What it does: flags a second ``[program:x]`` (or any section) in supervisord files,
    or a second ``check … x`` in monit's.

    Why it matters: monit refuses the control file ("service name conflict").
    supervisord merges the two sections silently, the later value of each key winning,
    so a program runs with settings from two places.

    Example:
        ```monit web.monitrc
        check process web with pidfile /run/web.pid
          start program = "/usr/sbin/web"
        check process web with pidfile /run/web2.pid
          start program = "/usr/sbin/web"
        ```

    Use instead:
        ```monit web.monitrc
        check process web with pidfile /run/web.pid
          start program = "/usr/sbin/web"
        ```

    Fix: none; merge the two by hand.
    """,
)
