"""SV106 syntax.deprecated-key: a legacy systemd setting systemd rewrites or moved."""

from translator.diagnostics import Severity
from translator.lint.registry import reported

RULE = reported(
    code="SV106",
    name="syntax.deprecated-key",
    severity=Severity.WARNING,
    formats=("systemd",),
    has_fix=True,
    doc="""
    What it does: flags a start-limit or failure setting in ``[Service]``
    (``StartLimitInterval=``, ``StartLimitIntervalSec=``, ``StartLimitBurst=``,
    ``StartLimitAction=``, ``FailureAction=``, ``RebootArgument=``), which systemd 230
    moved to ``[Unit]``, and a ``PIDFile=`` or ``Listen*=`` socket path below
    ``/var/run``.

    Why it matters: systemd reads the old ``[Service]`` names only for compatibility,
    and ignores ``StartLimitIntervalSec=`` there altogether, so the start limit is not
    the one written. A ``/var/run`` path makes systemd warn at every load and rewrite it
    to ``/run``, which is what the daemon must then write.

    Example:
        ```systemd web.service
        [Unit]
        Description=web server

        [Service]
        ExecStart=/usr/sbin/web
        StartLimitIntervalSec=60
        ```

    Use instead:
        ```systemd web.service
        [Unit]
        Description=web server
        StartLimitIntervalSec=60

        [Service]
        ExecStart=/usr/sbin/web
        ```

    Fix: safe: moves the line to the end of ``[Unit]`` (a new ``[Unit]`` on top when
    there is none), ``StartLimitInterval=`` as ``StartLimitIntervalSec=``; writes
    ``/run/`` for ``/var/run/``.
    """,
)
