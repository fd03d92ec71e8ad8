"""SV108 syntax.lsb-header: an init script without a usable LSB header block."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV108",
    name="syntax.lsb-header",
    severity=Severity.WARNING,
    formats=("initd",),
    doc="""
    What it does: flags an init script with no ``### BEGIN INIT INFO`` block, or one
    whose block has no ``Provides:`` or no ``Default-Start:``. A RHEL
    ``# chkconfig: 2345 …`` line gives the runlevels, so it stands in for
    ``Default-Start:``, but not for the block.

    Why it matters: insserv and update-rc.d order and enable scripts by the block, and
    systemd's sysv generator takes the unit's dependencies from it: without it the
    script starts in no particular order, in runlevels guessed from its links, and
    without ``Provides:`` no other script can depend on it.

    Example:
        ```initd etc/init.d/web
        #!/bin/sh
        ### BEGIN INIT INFO
        # Provides:          web
        # Required-Start:    $network
        ### END INIT INFO
        case "$1" in
          start) /usr/sbin/web ;;
          stop) pkill -x web ;;
          restart|force-reload) pkill -x web; /usr/sbin/web ;;
          status) pgrep -x web >/dev/null ;;
        esac
        ```

    Use instead:
        ```initd etc/init.d/web
        #!/bin/sh
        ### BEGIN INIT INFO
        # Provides:          web
        # Required-Start:    $network
        # Default-Start:     2 3 4 5
        # Default-Stop:      0 1 6
        ### END INIT INFO
        case "$1" in
          start) /usr/sbin/web ;;
          stop) pkill -x web ;;
          restart|force-reload) pkill -x web; /usr/sbin/web ;;
          status) pgrep -x web >/dev/null ;;
        esac
        ```

    Fix: none; write the block (``Provides:`` the script's name, ``Default-Start:
    2 3 4 5``).
    """,
)
