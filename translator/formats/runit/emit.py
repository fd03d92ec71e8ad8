"""Write the supervision model as runit service directories.

What runit shares with daemontools and s6 is in ``formats/_svdir``; this module says how
runit differs: ``chpst`` sets the user, the environment and the open-files limit, svlogd
logs, a counting ``finish`` takes the service down (``sv down .``) after too many starts,
and ``control/t`` sends a stop signal other than runsv's SIGTERM.
Imports: model, loss, formats/_svdir, formats/_options.
"""

from __future__ import annotations

from translator.diagnostics import Severity
from translator.formats._options import EmitOptions
from translator.formats._svdir import Dialect, ServiceDirectory, write_service_directories
from translator.formats._svdir.dialect import SHEBANG, limit_option
from translator.formats._svdir.finish import counting_block
from translator.formats._svdir.write import (
    environment_directory,
    identity,
    interval_limit,
    softlimit,
)
from translator.loss import LossLog
from translator.model import Host

FORMAT = "runit"


def emit(host: Host, options: EmitOptions, losses: LossLog) -> dict[str, str]:
    """Return ``{NAME/run: text, NAME/log/run: text, NAME/env/VAR: value, …}``."""
    return write_service_directories(host, DIALECT, options, losses)


def _wrappers(directory: ServiceDirectory) -> list[str]:
    """``chpst -u USER:GROUP -e ENV -o N …`` then ``softlimit …`` for kept options."""
    return [*_chpst(directory), *softlimit(directory, "softlimit", open_files=False)]


def _chpst(directory: ServiceDirectory) -> list[str]:
    service = directory.service
    words: list[str] = []
    user, group = identity(directory)
    if user:
        words += ["-u", f"{user}:{group}" if group else user]
    elif group:
        directory.lose("group", "chpst -u needs a user to set a group", "runs as root's group")
    if service.environment:
        words += ["-e", environment_directory(directory)]
    for limit in service.limits:
        option = limit_option(limit.resource, limit.value)
        if option is not None:
            words += [option, limit.value]
        else:
            directory.lose(
                "limits",
                f"chpst sets no {limit.resource} limit of {limit.value}",
                "left out",
            )
    for extra in service.extras:
        if extra.format == FORMAT and extra.key.startswith("chpst "):
            words += [extra.key.removeprefix("chpst "), extra.value]
    return ["chpst", *words] if words else []


def _start_limit(directory: ServiceDirectory) -> list[str]:
    """End ``finish`` with a counting block that runs ``sv down .`` after too many exits."""
    limit = interval_limit(directory, "a runit finish")
    if limit is None:
        return []
    directory.lose(
        "start_limit",
        f"runsv restarts forever; it has no limit of {limit.burst} starts in {limit.interval:g}s",
        "approximated: finish counts exits in supervise/svconv-exits and runs sv down .",
        severity=Severity.INFO,
    )
    return counting_block(limit, ("sv", "down", "."))


def _stop(directory: ServiceDirectory) -> None:
    """Send a stop signal other than SIGTERM from ``control/t`` (runsv then sends none)."""
    signal = directory.service.stop_signal
    if signal and signal.removeprefix("SIG") != "TERM":
        directory.files["control/t"] = (
            f"{SHEBANG}\n# runsv sends no SIGTERM when this exits 0: stop with {signal}\n"
            f'exec kill -s {signal.removeprefix("SIG")} "$(cat supervise/pid)"\n'
        )
    if directory.service.stop_timeout is not None:
        directory.lose(
            "stop_timeout",
            "sv waits its own -w seconds (7 by default) for a stop",
            "left out",
            severity=Severity.INFO,
        )


DIALECT = Dialect(
    format=FORMAT,
    supervisor="runsv",
    service_root="/etc/sv",
    environment_tool="chpst",
    log_command=("svlogd", "-tt"),
    wrappers=_wrappers,
    start_limit=_start_limit,
    stop=_stop,
    written_extras=("chpst ", "softlimit "),
    stop_signal_script="control/t",
)
"""runit's tools and the files runsv reads."""
