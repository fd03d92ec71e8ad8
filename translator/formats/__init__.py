"""The formats svconv reads and writes, in one literal registry.

A new format adds a package beside these and one line here. Imports: formats only.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True, slots=True)
class Format:
    """A format id and the package that reads and writes it.

    The package is imported on first use, so ``svconv --help`` does not pay for grammars
    it will not run.
    """

    id: str
    package: str
    description: str
    actions: tuple[str, ...] = ("parse", "emit")
    """What the package can do; stated here so listing formats imports none of them."""

    @property
    def module(self) -> ModuleType:
        """The format's package: ``parse``, ``emit``, ``detect`` and its helpers."""
        return importlib.import_module(self.package)

    def can(self, action: str) -> bool:
        """Whether this build can ``parse`` or ``emit`` the format."""
        return action in self.actions

    def detect(self, path: str, text: str) -> bool:
        """Whether ``text`` (read from ``path``) is probably in this format."""
        return bool(self.module.detect(path, text))


FORMATS: dict[str, Format] = {
    "monit": Format("monit", "translator.formats.monit", "monit control files (monitrc, conf.d)"),
    "systemd": Format("systemd", "translator.formats.systemd", "systemd service units"),
    "supervisord": Format(
        "supervisord", "translator.formats.supervisord", "supervisord.conf and conf.d programs"
    ),
    "initd": Format("initd", "translator.formats.initd", "SysV init scripts (LSB, chkconfig)"),
    "upstart": Format("upstart", "translator.formats.upstart", "upstart jobs (/etc/init/*.conf)"),
    "runit": Format("runit", "translator.formats.runit", "runit service directories (run, env/)"),
    "angel": Format("angel", "translator.formats.angel", "Angel process monitor (angel.conf)"),
    "daemontools": Format(
        "daemontools", "translator.formats.daemontools", "daemontools service directories"
    ),
    "s6": Format("s6", "translator.formats.s6", "s6 service directories (s6-svscan)"),
    "uptimerobot": Format(
        "uptimerobot",
        "translator.formats.uptimerobot",
        "UptimeRobot monitors (API JSON, Terraform)",
        actions=("emit",),
    ),
}


def detect(path: str, text: str) -> str | None:
    """Return the id of the first format that claims the file, if any."""
    return next((fmt.id for fmt in FORMATS.values() if fmt.detect(path, text)), None)
