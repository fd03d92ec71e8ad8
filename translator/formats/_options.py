"""Options every emitter takes. Imports: the standard library only."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class EmitOptions:
    """How to write a target format.

    ``companion``: what the target cannot watch (probes, alerts, file checks) is kept
    in a companion monit check, and reported as kept rather than dropped.
    ``header``: a comment (without comment markers) put first in every file.
    """

    companion: bool = True
    header: str = ""
