"""A machine's supervision: every service and the supervisor-wide settings.

Imports: the standard library only (model layer).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from translator.model.extras import Comment, Extra
from translator.model.service import Alert, Service
from translator.model.span import Origin, origin_field


@dataclass(frozen=True, slots=True, kw_only=True)
class Host:
    """Services of one host, the files they came from, and global settings.

    ``probe_interval`` is the seconds between two rounds of health checks and
    ``start_delay`` the seconds a watcher waits after boot before its first round.
    """

    services: tuple[Service, ...] = ()
    probe_interval: float | None = None
    start_delay: float | None = None
    alerts: tuple[Alert, ...] = ()
    extras: tuple[Extra, ...] = ()
    comments: tuple[Comment, ...] = ()
    origin: Origin = origin_field()

    def service(self, name: str) -> Service | None:
        """Return the service called ``name``, if any."""
        return next((s for s in self.services if s.name == name), None)

    def with_services(self, services: tuple[Service, ...]) -> Host:
        """Return a copy holding ``services`` instead."""
        return replace(self, services=services)
