"""How one service-directory supervisor differs from the others: a :class:`Dialect`.

Imports: model, loss, formats/_svdir.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from translator.formats._svdir import quoting
from translator.loss import ServiceLosses

SHEBANG = "#!/bin/sh"
LOG_ROOT = "/var/log"


LIMIT_OPTIONS = {"nofile": "-o", "core": "-c"}
"""The limits ``chpst``, ``softlimit`` and ``s6-softlimit`` set, by model resource: open
files (a count) and core size (only 0 here: ``ulimit -c`` counts blocks, they bytes)."""


def limit_option(resource: str, value: str) -> str | None:
    """Give the option that sets ``resource`` to ``value``, or None when none can."""
    option = LIMIT_OPTIONS.get(resource)
    if option is None or not value.isdigit() or (resource == "core" and value != "0"):
        return None
    return option


@dataclass(slots=True)
class ServiceDirectory(ServiceLosses):
    """The files of one service directory being written, and the dialect writing them."""

    dialect: Dialect
    files: dict[str, str] = field(default_factory=dict)
    instance: str = ""
    """The instance number it runs, for a service of several instances (a directory each)."""

    @property
    def name(self) -> str:
        """The directory's name: the service's, ``NAME-NUMBER`` for one of its instances."""
        return f"{self.service.name}-{self.instance}" if self.instance else self.service.name


Writer = Callable[[ServiceDirectory], None]
"""Writes files into a service directory, or reports what its supervisor cannot do."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Dialect:
    """What one supervisor of service directories calls its tools and reads beside ``run``."""

    format: str
    """The format id: ``runit``, ``daemontools``, ``s6``."""
    supervisor: str
    """The program that watches ``run`` (``runsv``), named in loss reasons."""
    service_root: str
    """Where the service directories live: ``ROOT/NAME/env`` is the service's own."""
    environment_tool: str
    """The tool that reads ``env/`` (``chpst``), named where it cannot do more."""
    log_command: tuple[str, ...]
    """``log/run`` execs this with the log directory after it (``svlogd -tt``)."""
    wrappers: Callable[[ServiceDirectory], list[str]]
    """The words between ``exec`` and the program: user, environment, limits."""
    start_limit: Callable[[ServiceDirectory], list[str]]
    """The end of ``finish`` that stops restarting (or report the limit lost)."""
    stop: Writer
    """Write how the service is stopped (or report what is lost)."""
    written_extras: tuple[str, ...] = ()
    """Prefixes of the keys of its own extras that ``wrappers`` writes (``chpst -n``)."""
    runs_finish: bool = True
    """Whether the supervisor runs ``finish`` after each exit of ``run``."""
    stop_signal_file: str | None = None
    """A file holding the signal that stops the service (s6 ``down-signal``)."""
    kill_timeout_file: str | None = None
    """A file holding the milliseconds before SIGKILL (s6 ``timeout-kill``)."""
    stop_signal_script: str | None = None
    """A script run instead of sending SIGTERM that sends another signal (runit ``control/t``)."""

    def log_directory(self, name: str) -> str:
        """Name the directory the log service of service ``name`` writes."""
        return f"{LOG_ROOT}/{name}"

    def log_run(self, name: str) -> str:
        """Write ``log/run`` of service ``name``: its logger into ``/var/log/NAME``."""
        log = quoting.join((self.log_directory(name),))
        return f"{SHEBANG}\nmkdir -p {log}\nexec {quoting.join(self.log_command)} {log}\n"
