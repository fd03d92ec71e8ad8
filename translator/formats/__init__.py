"""The formats svconv reads and writes, in one literal registry.

A new format adds a package beside these and one line here. Imports: formats only.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from translator.formats import monit, systemd


@dataclass(frozen=True, slots=True)
class Format:
    """A format id, the module that reads and writes it, and its file-name habits."""

    id: str
    module: ModuleType
    description: str

    def detect(self, path: str, text: str) -> bool:
        """Whether ``text`` (read from ``path``) is probably in this format."""
        return bool(self.module.detect(path, text))


FORMATS: dict[str, Format] = {
    "monit": Format("monit", monit, "monit control files (monitrc, conf.d)"),
    "systemd": Format("systemd", systemd, "systemd service units"),
}


def detect(path: str, text: str) -> str | None:
    """Return the id of the first format that claims the file, if any."""
    return next((fmt.id for fmt in FORMATS.values() if fmt.detect(path, text)), None)
