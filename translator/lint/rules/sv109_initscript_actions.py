"""SV109 syntax.initscript-actions: an init script lacking an action LSB requires."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV109",
    name="syntax.initscript-actions",
    severity=Severity.WARNING,
    formats=("initd",),
    doc="""
    What it does: flags an init script whose ``case "$1"`` has no arm for one of the
    actions LSB requires: ``start``, ``stop``, ``restart``, ``force-reload``,
    ``status``. A script that sources Debian's ``/lib/init/init-d-script`` gets them
    all from it; one that dispatches without such a case statement is left alone.

    Why it matters: tools call these actions by name: package scripts and logrotate
    run ``invoke-rc.d web force-reload``, monitoring runs ``/etc/init.d/web status`` and
    reads its LSB exit code (0 running, 3 stopped). Without the arm the script prints
    its usage or does nothing, and the caller takes that for a failure, or for success.

    Example:
        ```initd etc/init.d/web
        #!/bin/sh
        ### BEGIN INIT INFO
        # Provides:          web
        # Default-Start:     2 3 4 5
        ### END INIT INFO
        case "$1" in
          start) /usr/sbin/web ;;
          stop) pkill -x web ;;
          restart|force-reload) pkill -x web; /usr/sbin/web ;;
        esac
        ```

    Use instead:
        ```initd etc/init.d/web
        #!/bin/sh
        ### BEGIN INIT INFO
        # Provides:          web
        # Default-Start:     2 3 4 5
        ### END INIT INFO
        case "$1" in
          start) /usr/sbin/web ;;
          stop) pkill -x web ;;
          restart|force-reload) pkill -x web; /usr/sbin/web ;;
          status) pgrep -x web >/dev/null ;;
        esac
        ```

    Fix: none; add the arms (``status_of_proc`` in Debian's init-functions, ``status``
    in RHEL's functions).
    """,
)
