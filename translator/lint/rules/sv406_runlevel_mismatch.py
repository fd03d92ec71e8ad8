"""SV406 host.runlevel-mismatch: a service on in runlevel 3 or 5, but not both."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule, where
from translator.model import Extra, Host, Service


@rule(
    code="SV406",
    name="host.runlevel-mismatch",
    severity=Severity.WARNING,
    formats=("initd", "upstart"),
)
def find_runlevel_mismatches(host: Host) -> Iterator[Finding]:
    """What it does: flags a service that starts in runlevel 3 but not 5, or the reverse.

    The runlevels are chkconfig's links (``/etc/rc.d/rcN.d``) when ``svconv migrate``
    reads a host, else the script's ``# chkconfig:`` line or an upstart job's
    ``start on runlevel``.

    Why it matters: systemd has no runlevels of its own: ``graphical.target`` pulls in
    ``multi-user.target``, so a unit wanted by either runs in both. A service kept off
    the console-only or the graphical level will run in both after the move.

    Example:
        ```initd etc/rc.d/init.d/web
        #!/bin/sh
        # chkconfig: 3 85 15
        # description: web server
        case "$1" in
          start) /usr/sbin/web ;;
        esac
        ```

    Use instead:
        ```initd etc/rc.d/init.d/web
        #!/bin/sh
        # chkconfig: 2345 85 15
        # description: web server
        case "$1" in
          start) /usr/sbin/web ;;
        esac
        ```

    Fix: none; decide whether it belongs in both and say so (``chkconfig --level 35``),
    or keep it off with a condition of its own after the move.
    """
    for service in host.services:
        found = _runlevels(service)
        if found is None:
            continue
        levels, extra = found
        if len(set(levels) & {"3", "5"}) == 1:
            only = "3" if "3" in levels else "5"
            yield Finding(
                span=extra.origin.span or where(service, "enabled_at_boot"),
                service=service.name,
                message=f"{service.name} starts in runlevel {only} only; systemd's "
                "graphical.target pulls in multi-user.target, so it will run in both",
            )


def _runlevels(service: Service) -> tuple[str, Extra] | None:
    """Give the runlevels chkconfig links (migrate), else the chkconfig line's or the job's."""
    extras = {extra.key: extra for extra in service.extras}
    if "runlevels" in extras:
        return extras["runlevels"].value, extras["runlevels"]
    chkconfig = extras.get("chkconfig")
    words = chkconfig.value.split() if chkconfig is not None else []
    if chkconfig is None or not words or words[0] == "-":
        return None
    return words[0], chkconfig
