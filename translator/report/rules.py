"""What a report says about each rule: its name, summary, default severity and help.

Imports: diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass

from translator.diagnostics import Severity


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleInfo:
    """One rule as reports describe it (``SV201`` = ``lifecycle.daemonizing-…``)."""

    code: str
    name: str
    summary: str
    severity: Severity
    help: str
