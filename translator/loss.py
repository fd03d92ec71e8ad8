"""The loss report: what a target cannot express and what was done instead.

Emitters record every such field through :meth:`LossLog.unsupported`; nothing else
may drop a field. Imports: model, diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from translator.diagnostics import Diagnostic, Severity
from translator.model import Extra, Origin, Service, ServiceKind, Span


class LossLevel(str, Enum):
    """What a run does with losses: keep silently, print them, or fail (exit 1)."""

    IGNORE = "ignore"
    WARN = "warn"
    ERROR = "error"


@dataclass(frozen=True, slots=True, kw_only=True)
class Loss:
    """One field of one service that the target could not hold."""

    code: str
    service: str
    field: str
    reason: str
    action: str
    span: Span
    severity: Severity = Severity.WARNING
    also: tuple[str, ...] = ()

    def as_diagnostic(self) -> Diagnostic:
        """Render as a diagnostic: ``reason; action``."""
        return Diagnostic(
            code=self.code,
            message=f"{self.reason}; {self.action}",
            span=self.span,
            severity=self.severity,
        )


@dataclass(slots=True)
class LossLog:
    """Collects losses during one emit; ``fallback`` locates nodes without a span."""

    fallback: Span = field(default_factory=lambda: Span(path="<model>", line=1, column=1))
    losses: list[Loss] = field(default_factory=list)

    def unsupported(
        self,
        origin: Origin,
        field_name: str,
        *,
        service: str,
        reason: str,
        action: str,
        code: str = "SV701",
        severity: Severity = Severity.WARNING,
        located_at: str | None = None,
        also: tuple[str, ...] = (),
    ) -> None:
        """Record that ``field_name`` of ``service`` could not be expressed.

        The report points at ``located_at``'s span when given, else at the field's.
        ``also`` names other fields the same change alters (a foreground flag added to
        the start command when ``daemonizes`` cannot be kept).
        """
        span = origin.of(located_at or field_name) or origin.span or self.fallback
        self.losses.append(
            Loss(
                code=code,
                service=service,
                field=field_name,
                reason=reason,
                action=action,
                span=span,
                severity=severity,
                also=also,
            )
        )

    def not_written(self, service: Service, *, target: str, action: str) -> None:
        """Record that ``target`` writes nothing for ``service``, and why (its kind)."""
        if service.kind is ServiceKind.LISTENER:
            reason = (
                f"an event listener speaks {service.managed_by}'s protocol and runs only under it"
            )
            action = "left out"
        else:
            reason = f"{target} has no {service.kind.value} check"
        self.unsupported(
            service.origin,
            "service",
            service=service.name,
            code="SV705",
            reason=reason,
            action=action,
        )

    def foreign_extras(self, extras: tuple[Extra, ...], *, target: str, action: str) -> None:
        """Record the host-wide statements of other formats ``target`` cannot hold.

        A unit of its own (a timer) is one loss, at its first setting.
        """
        reported: set[str] = set()
        for extra in extras:
            if extra.format == target or (extra.file and extra.file in reported):
                continue
            what = f"{extra.format} {extra.file or repr(extra.key)}"
            reported.add(extra.file)
            self.unsupported(
                extra.origin,
                "extras",
                service="",
                code="SV713",
                severity=Severity.INFO if not extra.file else Severity.WARNING,
                action=action,
                reason=f"{target} has no equivalent of {what}",
            )

    def foreign_service_extras(
        self,
        service: Service,
        *,
        target: str,
        action: str,
        elsewhere: tuple[str, str] | None = None,
    ) -> None:
        """Record each statement of another format in ``service`` that ``target`` lacks.

        ``elsewhere`` is (format, action): that format's statements are kept another way
        (the watcher's, in a companion check).
        """
        for extra in service.extras:
            if extra.format != target:
                self.unsupported(
                    extra.origin,
                    "extras",
                    service=service.name,
                    code="SV710",
                    reason=f"{target} has no equivalent of {extra.format} {extra.key}"
                    f"={extra.value!r}",
                    action=elsewhere[1] if elsewhere and extra.format == elsewhere[0] else action,
                    severity=Severity.INFO if extra.is_informational else Severity.WARNING,
                )

    def checks_and_alerts(self, service: Service, *, target: str, action: str) -> None:
        """Record the health checks and alerts of ``service``: a supervisor does neither."""
        for check in service.health_checks:
            self.unsupported(
                check.origin,
                "health_checks",
                service=service.name,
                code="SV701",
                reason=f"{target} cannot check {check.probe.describe()}",
                action=action,
            )
        for alert in service.alerts:
            self.unsupported(
                alert.origin,
                "alerts",
                service=service.name,
                code="SV706",
                reason=f"{target} cannot send alerts to {alert.recipient}",
                action=action,
            )

    def no_start(self, service: Service, *, written: str) -> None:
        """Record that a process without a start command gets no ``written`` file."""
        self.unsupported(
            service.origin,
            "service",
            service=service.name,
            code="SV702",
            reason="no start command to run",
            action=f"no {written} written",
        )

    def ordered(self) -> list[Loss]:
        """Return the losses sorted by position, then code, without duplicates."""
        unique = {
            (lo.span.path, lo.span.line, lo.span.column, lo.code, lo.reason): lo
            for lo in self.losses
        }
        return [unique[key] for key in sorted(unique)]


@dataclass(slots=True)
class ServiceLosses:
    """A writer's view of one service and the loss log: report its fields by name."""

    service: Service
    losses: LossLog

    def lose(
        self,
        name: str,
        reason: str,
        action: str,
        *,
        code: str = "SV710",
        severity: Severity = Severity.WARNING,
        also: tuple[str, ...] = (),
        located_at: str | None = None,
    ) -> None:
        """Record that field ``name`` of the service could not be written, and why."""
        self.losses.unsupported(
            self.service.origin,
            name,
            service=self.service.name,
            code=code,
            reason=reason,
            action=action,
            severity=severity,
            also=also,
            located_at=located_at,
        )
