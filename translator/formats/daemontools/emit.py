"""Write the supervision model as daemontools service directories.

What daemontools shares with runit and s6 is in ``formats/_svdir``; this module says how
it differs: ``envdir``, ``softlimit`` and ``setuidgid`` (the user's own group only) in
``run``, multilog in ``log/run``. supervise runs no ``finish``, has no start limit,
and stops a service with SIGTERM (then SIGCONT), never SIGKILL.
Imports: model, loss, formats/_svdir, formats/_options.
"""

from __future__ import annotations

from translator.formats._options import EmitOptions
from translator.formats._svdir import Dialect, ServiceDirectory, write_service_directories
from translator.formats._svdir.write import (
    environment_directory,
    identity,
    lose_stop_signal,
    softlimit,
)
from translator.loss import LossLog
from translator.model import Host

FORMAT = "daemontools"


def emit(host: Host, options: EmitOptions, losses: LossLog) -> dict[str, str]:
    """Return ``{NAME/run: text, NAME/log/run: text, NAME/env/VAR: value, …}``."""
    return write_service_directories(host, DIALECT, options, losses)


def _wrappers(directory: ServiceDirectory) -> list[str]:
    """``envdir ENV softlimit … setuidgid USER``: read as root, then drop privileges."""
    service = directory.service
    words: list[str] = []
    if service.environment:
        words += ["envdir", environment_directory(directory)]
    words += softlimit(directory, "softlimit", open_files=True)
    user, group = identity(directory)
    if group:
        directory.lose(
            "group",
            f"setuidgid sets the user's own group, not {group}",
            "runs with the user's group" if user else "runs as root's group",
        )
    if user:
        words += ["setuidgid", user]
    return words


def _start_limit(directory: ServiceDirectory) -> list[str]:
    limit = directory.service.start_limit
    assert limit is not None
    within = f" in {limit.interval:g}s" if limit.interval is not None else ""
    directory.lose(
        "start_limit",
        f"supervise restarts forever; it has no limit of {limit.burst} starts{within}",
        "left out: it waits 1 s between fast restarts",
    )
    return []


def _stop(directory: ServiceDirectory) -> None:
    lose_stop_signal(directory, "svc -d")
    if directory.service.stop_timeout is not None:
        directory.lose(
            "stop_timeout",
            "supervise never sends SIGKILL after a stop",
            "left out: svc -k kills it by hand",
        )


DIALECT = Dialect(
    format=FORMAT,
    supervisor="supervise",
    service_root="/etc/service",
    environment_tool="envdir",
    log_command=("multilog", "t"),
    wrappers=_wrappers,
    start_limit=_start_limit,
    stop=_stop,
    written_extras=("softlimit ",),
    runs_finish=False,
)
"""daemontools' tools and the files supervise reads."""
