"""SV502 security.pidfile-unsafe-dir: a pidfile in a world-writable temporary directory."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule, where
from translator.model import Extra, Host, Span

TEMPORARY = ("/tmp", "/var/tmp", "/dev/shm")
"""Directories every user may write to (mode 1777), cleaned at boot or by age."""
_OWN_PIDFILES = {("supervisord", "supervisord.pidfile"), ("monit", "set pidfile")}
"""Host settings naming the supervisor's own pidfile, by format and key."""


@rule(
    code="SV502",
    name="security.pidfile-unsafe-dir",
    severity=Severity.ERROR,
    formats=("monit", "supervisord", "systemd", "initd"),
)
def find_unsafe_pidfiles(host: Host) -> Iterator[Finding]:
    """What it does: flags a pidfile in ``/tmp``, ``/var/tmp`` or ``/dev/shm``.

    Directories below them count too; the pidfile is a service's, or the supervisor's
    own (supervisord's ``pidfile=``, monit's ``set pidfile``).

    Why it matters: any local user can create the file before the daemon does, or write
    another pid into it, and the supervisor then watches, signals or kills the process
    that user chose (a stop sends SIGTERM to it, as root). ``systemd-tmpfiles`` empties
    these directories at boot and by age, so a long-running daemon's pidfile can vanish
    and the daemon looks dead.

    Example:
        ```monit monitrc
        check process web with pidfile /tmp/web.pid
          start program = "/usr/bin/systemctl start web"
          stop program = "/usr/bin/systemctl stop web"
        ```

    Use instead:
        ```monit monitrc
        check process web with pidfile /run/web.pid
          start program = "/usr/bin/systemctl start web"
          stop program = "/usr/bin/systemctl stop web"
        ```

    Fix: none; move the pidfile under ``/run`` (``RuntimeDirectory=`` gives a unit its
    own) in the daemon's configuration and in every supervisor that reads it.
    """
    for service in host.services:
        directory = _temporary_directory(service.pidfile)
        if service.pidfile is not None and directory is not None:
            yield Finding(
                span=where(service, "pidfile"),
                service=service.name,
                message=_message(service.pidfile, directory),
            )
    for extra in host.extras:
        if (extra.format, extra.key) in _OWN_PIDFILES:
            yield from _own_pidfile(extra)


def _own_pidfile(extra: Extra) -> Iterator[Finding]:
    path = extra.value.split()[-1].strip("\"'") if extra.value.split() else ""
    directory = _temporary_directory(path)
    if directory is not None:
        span = extra.origin.span or Span(path="<input>", line=1, column=1)
        yield Finding(span=span, message=f"{extra.format}'s own {_message(path, directory)}")


def _temporary_directory(path: str | None) -> str | None:
    """The temporary directory ``path`` lies in, if any."""
    if path is None or not path.startswith("/"):
        return None
    normal = posixpath.normpath(path)
    return next((d for d in TEMPORARY if normal.startswith(f"{d}/")), None)


def _message(path: str, directory: str) -> str:
    return (
        f"pidfile {path} is in {directory}, where any user can plant it and which is "
        f"cleaned at boot and by age: use /run/{posixpath.basename(path)}"
    )
