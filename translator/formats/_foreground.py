"""The foreground form a watching supervisor needs, reported the same way by every writer.

supervisord, runit, daemontools, s6 and Angel watch the process they start, so a daemon
that forks must be run in its foreground form (knowledge base). Shared by formats;
imports: model, diagnostics, loss, knowledge.
"""

from __future__ import annotations

from translator.diagnostics import Severity
from translator.knowledge import ForegroundForm, foreground
from translator.loss import ServiceLosses


def foreground_form(owner: ServiceLosses, supervisor: str) -> ForegroundForm | None:
    """Give the foreground form of the service's start command, reported (SV717).

    None when the knowledge base knows none: the caller says what it does instead.
    """
    start = owner.service.start
    form = foreground(start.argv) if start is not None else None
    if form is None:
        return None
    change = [*(f"added {w}" for w in form.added), *(f"removed {w}" for w in form.removed)]
    owner.lose(
        "daemonizes",
        f"{supervisor} needs a program that stays in the foreground",
        f"{', '.join(change) or 'unchanged'} ({form.rule.man})",
        code="SV717",
        severity=Severity.INFO,
        also=("start.argv",),
    )
    return form
