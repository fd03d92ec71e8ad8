"""Write the supervision model as s6 service directories (for s6-svscan).

What s6 shares with runit and daemontools is in ``formats/_svdir``; this module says how
it differs: ``s6-envdir``, ``s6-softlimit`` and ``s6-setuidgid`` (or ``s6-envuidgid -B
USER:GROUP s6-applyuidgid -U`` for another group) in ``run``, s6-log in ``log/run``, the
stop signal in ``down-signal``, the kill timeout in ``timeout-kill`` (milliseconds), and a
start limit through ``s6-permafailon`` at the end of ``finish``: it exits 125 after
too many deaths in the interval, which tells s6-supervise not to restart.
Imports: model, loss, formats/_svdir, formats/_options.
"""

from __future__ import annotations

from translator.formats._options import EmitOptions
from translator.formats._svdir import Dialect, ServiceDirectory, quoting, write_service_directories
from translator.formats._svdir.finish import EVERY_DEATH, PERMAFAILON, STATUSES, seconds
from translator.formats._svdir.write import (
    environment_directory,
    identity,
    interval_limit,
    softlimit,
)
from translator.loss import LossLog
from translator.model import Host

FORMAT = "s6"
MAX_DEATH_TALLY = 4096
"""The most deaths s6-supervise can remember (``max-death-tally``)."""
DEFAULT_DEATH_TALLY = 100
"""The deaths it remembers when ``max-death-tally`` is absent."""


def emit(host: Host, options: EmitOptions, losses: LossLog) -> dict[str, str]:
    """Return ``{NAME/run: text, NAME/log/run: text, NAME/finish: text, …}``."""
    return write_service_directories(host, DIALECT, options, losses)


def _wrappers(directory: ServiceDirectory) -> list[str]:
    """``s6-envdir ENV s6-softlimit … s6-setuidgid USER``: read as root, then drop privileges."""
    service = directory.service
    words: list[str] = []
    if service.environment:
        words += ["s6-envdir", environment_directory(directory)]
    words += softlimit(directory, "s6-softlimit", open_files=True)
    user, group = identity(directory)
    if user and group:
        words += ["s6-envuidgid", "-B", f"{user}:{group}", "s6-applyuidgid", "-U"]
    elif user:
        words += ["s6-setuidgid", user]
    elif group:
        directory.lose("group", "s6-envuidgid -B needs a user to set a group", "runs as root")
    return words


def _start_limit(directory: ServiceDirectory) -> list[str]:
    """``exec s6-permafailon SECONDS BURST STATUSES true`` at the end of finish."""
    limit = interval_limit(directory, PERMAFAILON)
    if limit is None:
        return []
    if limit.burst > MAX_DEATH_TALLY:
        directory.lose(
            "start_limit",
            f"s6-supervise remembers at most {MAX_DEATH_TALLY} deaths, not {limit.burst}",
            f"s6-permafailon counts {MAX_DEATH_TALLY}",
        )
    if limit.burst > DEFAULT_DEATH_TALLY:
        burst = min(limit.burst, MAX_DEATH_TALLY)
        directory.files["max-death-tally"] = f"{burst}\n"
    statuses = next(
        (e.value for e in directory.service.extras if e.format == FORMAT and e.key == STATUSES),
        EVERY_DEATH,
    )
    argv = (PERMAFAILON, str(seconds(limit)), str(limit.burst), statuses, "true")
    return ["exec " + quoting.join(argv)]


def _stop(directory: ServiceDirectory) -> None:
    """Write the stop signal to ``down-signal``, the kill timeout to ``timeout-kill`` (ms)."""
    service = directory.service
    if service.stop_signal:
        directory.files["down-signal"] = f"{service.stop_signal}\n"
    if service.stop_timeout is not None:
        directory.files["timeout-kill"] = f"{round(service.stop_timeout * 1000)}\n"


DIALECT = Dialect(
    format=FORMAT,
    supervisor="s6-supervise",
    service_root="/etc/s6/sv",
    environment_tool="s6-envdir",
    log_command=("s6-log", "t"),
    wrappers=_wrappers,
    start_limit=_start_limit,
    stop=_stop,
    written_extras=("softlimit ", STATUSES),
    stop_signal_file="down-signal",
    kill_timeout_file="timeout-kill",
)
"""s6's tools and the files s6-supervise reads."""
