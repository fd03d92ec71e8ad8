"""SV112 syntax.rate-out-of-range: a monit rate monit refuses."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV112",
    name="syntax.rate-out-of-range",
    severity=Severity.ERROR,
    formats=("monit",),
    doc="""
    What it does: flags a monit rate outside what monit accepts: ``if N restarts within
    M cycles`` with N below 1 or above M, and ``… for N times within M cycles`` with M
    outside 1 to 64 (the event history monit keeps) or N outside 1 to M.

    Why it matters: monit refuses the whole control file ("The number of restarts must
    be less than poll cycles"), so none of its checks run. A restart count over 64
    cycles is fine: monit counts restarts, it keeps no history of them.

    Example:
        ```monit web.monitrc
        check process web with pidfile /run/web.pid
          start program = "/usr/sbin/web"
          if 5 restarts within 3 cycles then unmonitor
        ```

    Use instead:
        ```monit web.monitrc
        check process web with pidfile /run/web.pid
          start program = "/usr/sbin/web"
          if 3 restarts within 5 cycles then unmonitor
        ```

    Fix: none; make N at most M (and M at most 64 for an event rate).
    """,
)
