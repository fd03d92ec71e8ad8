"""Options every emitter takes. Imports: the standard library only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

WATCHER = "monit"
"""The format companion checks are written in: what a target cannot watch, it watches."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EmitOptions:
    """How to write a target format.

    ``companion``: what the target cannot watch (probes, alerts, file checks) is kept
    in a companion monit check, and reported as kept rather than dropped.
    ``header``: a comment (without comment markers) put first in every file.
    ``standalone``: write a whole configuration that runs on its own (supervisord.conf
    with its socket, log and pidfile beside it) rather than files for a conf.d.
    ``owns_process``: a target that cannot run a foreground program (monit) starts it
    in the background itself (start-stop-daemon) instead of asking the source's
    supervisor to.
    ``poll_interval``: the seconds of the watcher's (monit's) cycle, where the files do
    not say (None: Debian's ``set daemon 120``).
    ``systemd_version``: the systemd that will read the units (older ones get the
    spellings they know, and a loss for what they lack).
    ``public_host``: the name an external monitor (uptimerobot) reaches every service
    by, where the files name only localhost; ``service_hosts`` the same per service.
    ``min_interval``: the fewest seconds an external monitor allows between checks.
    ``losses_only``: only the loss report is wanted (``lint --target``): a writer does
    not refuse for want of what only the files need (an external monitor's host).
    """

    companion: bool = True
    header: str = ""
    standalone: bool = False
    owns_process: bool = False
    poll_interval: float | None = None
    systemd_version: int = 252
    public_host: str | None = None
    service_hosts: Mapping[str, str] = field(default_factory=dict)
    min_interval: int = 300
    losses_only: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ParseOptions:
    """What a supervisor would know besides its files.

    ``environ``: the supervisor's own environment (supervisord's ``--env NAME=VALUE``),
    never svconv's. ``host_node_name``: the host name configuration may refer to.
    ``poll_interval``: the seconds of monit's cycle where the files do not say (None:
    Debian's ``set daemon 120``), to count "N cycles" in seconds.
    ``keep_dropins``: keep systemd drop-ins as files of their own rather than merge them
    into their unit (to write them back separately).
    ``root``: the host tree an init script's ``/etc/default`` files are read from (None:
    the directory above the script's ``etc/``).
    ``restarts_daemons``: an init script's daemon gets Restart=on-failure (reported);
    False keeps SysV's way, which never restarts it.
    """

    environ: Mapping[str, str] = field(default_factory=dict)
    host_node_name: str = "localhost"
    poll_interval: float | None = None
    keep_dropins: bool = False
    root: str | None = None
    restarts_daemons: bool = True
