"""The migration plan: per service, where it was found, where it goes, and how risky.

Risk levels follow Red Hat's Preupgrade Assistant: none (high confidence, nothing lost),
slight (informational losses only), medium (behaviour to review), high (a fallback
wrapper, an unresolved double start, a binary missing from the tree, a parse error).
Imports: model, diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from translator.diagnostics import Severity

SCRIPT_DIRECTORY = "usr/local/libexec/svconv"
"""Where an upstart ``script … end script`` block goes, as a file of its own."""


class Risk(str, Enum):
    """How much the move of one service needs a person's attention."""

    NONE = "none"
    SLIGHT = "slight"
    MEDIUM = "medium"
    HIGH = "high"


class Target(str, Enum):
    """What becomes of a service."""

    UNIT = "unit"
    SUPERVISORD = "stays under supervisord"
    SYSTEMD = "provided by systemd"
    WATCHED = "watched by monit"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True, kw_only=True)
class Note:
    """A loss or a lint finding about a service, rendered ``file:line:col: CODE message``."""

    text: str
    severity: Severity


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """One service of the host and what the migration does with it."""

    name: str
    kind: str
    """Where it was found: ``init.d``, ``upstart``, ``inittab``, ``monit``, ``supervisord``
    (``supervisord (absorbed)`` when ``--absorb supervisord`` makes it a unit)."""
    where: str
    supervisors: tuple[str, ...]
    runlevels: str
    target: Target
    unit: str | None = None
    enabled: bool = False
    confidence: str = "high"
    losses: tuple[Note, ...] = ()
    findings: tuple[Note, ...] = ()
    problems: tuple[str, ...] = ()
    """Reasons for high risk."""
    reviews: tuple[str, ...] = ()
    """Behaviour a person should review (medium risk)."""

    @property
    def risk(self) -> Risk:
        """Grade the item as the Preupgrade Assistant would."""
        if self.problems or self.confidence == "low":
            return Risk.HIGH
        notes = [*self.losses, *self.findings]
        if (
            self.reviews
            or self.confidence == "medium"
            or any(n.severity is not Severity.INFO for n in notes)
        ):
            return Risk.MEDIUM
        return Risk.SLIGHT if notes else Risk.NONE


@dataclass(slots=True, kw_only=True)
class Plan:
    """Every item, the units to install, the changed files, and the boot target."""

    items: list[Item] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)
    """Path under OUT (``etc/systemd/system/x.service``) → text."""
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Host path → (before, after) of each file the migration rewrites."""
    default_target: str = "multi-user.target"
    host_findings: tuple[Note, ...] = ()

    @property
    def is_high_risk(self) -> bool:
        """Whether any item is high risk (the run then exits 1)."""
        return any(item.risk is Risk.HIGH for item in self.items)

    def enable_lines(self) -> list[str]:
        """Give the ``systemctl`` lines that reproduce the runlevel state, sorted."""
        lines = []
        for item in sorted(self.items, key=lambda i: i.unit or ""):
            if item.target is Target.UNIT and item.unit is not None:
                verb = "enable" if item.enabled else "disable"
                lines.append(f"systemctl {verb} {item.unit}")
        return [*lines, f"systemctl set-default {self.default_target}"]
