"""Write the supervision model as UptimeRobot monitors: a JSON list and a Terraform file.

Each health check UptimeRobot can make from outside (HTTP, a keyword on a page, a TCP
port, a ping) becomes one monitor; everything else is reported. An external monitor
only alerts: it runs no process and cannot restart one. ``localhost`` means nothing
from outside, so the host every monitor reaches comes from ``--public-host`` unless the
check names a public one. Imports: model, diagnostics, errors, loss, formats/_options,
formats/_capabilities, formats/uptimerobot.
"""

from __future__ import annotations

import ipaddress
import math
import re
from dataclasses import dataclass, replace

from translator.diagnostics import Severity
from translator.errors import SvconvError
from translator.formats._capabilities import FIELDS
from translator.formats._options import EmitOptions
from translator.formats.uptimerobot import render
from translator.formats.uptimerobot.monitor import (
    FORMAT,
    CheckLosses,
    Monitor,
    MonitorType,
    Target,
    target,
)
from translator.loss import LossLog, ServiceLosses
from translator.model import Action, Extra, HealthCheck, Host, Origin, Service, ServiceKind

MONITORS_FILE = "uptimerobot-monitors.json"
TERRAFORM_FILE = "uptimerobot.tf"
DEFAULT_CYCLE = 120.0
"""Seconds of a monit cycle where neither the files nor ``--poll`` say: Debian's."""
DEFAULT_TIMEOUT = 30
"""Seconds UptimeRobot waits for an answer where the check gives no timeout."""
MAX_TIMEOUT = 60
_EVERY = re.compile(r"every\s+(\d+)\s+cycles?", re.IGNORECASE)
_WATCHED_KINDS = (ServiceKind.PROCESS, ServiceKind.HOST)
_HANDLED = ("kind", "target", "health_checks", "alerts", "extras")
"""Fields written as monitors (or reported with them) rather than as process settings."""
_LOCAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".lan")


@dataclass(frozen=True, slots=True, kw_only=True)
class _Planned:
    """A monitor to write, before its name and host are settled."""

    service: Service
    check: HealthCheck
    target: Target
    interval: int
    timeout: int


def emit(host: Host, options: EmitOptions, losses: LossLog) -> dict[str, str]:
    """Return ``{uptimerobot-monitors.json: text, uptimerobot.tf: text}``.

    Raises SvconvError (nothing written) when no check can become a monitor, or when a
    monitor has no host it can be reached by.
    """
    _refuse_unknown_services(host, options)
    planned: list[_Planned] = []
    for service in host.services:
        planned += _plan(service, host, options, losses)
    losses.foreign_extras(host.extras, target=FORMAT, action="left out")
    for alert in host.alerts:
        _lose_alert(alert.recipient, alert.origin, "", losses)
    if not planned:
        raise SvconvError(
            "nothing for UptimeRobot to monitor: no http, https, tcp port or ping check "
            f"among {len(host.services)} service(s); nothing written",
            host.origin.span,
        )
    monitors = _monitors(planned, options)
    return {
        MONITORS_FILE: render.monitors_json(monitors),
        TERRAFORM_FILE: render.terraform(monitors, options.header),
    }


def _refuse_unknown_services(host: Host, options: EmitOptions) -> None:
    """Refuse ``--public-host SERVICE=HOST`` for a service the input lacks (a typo)."""
    unknown = sorted(set(options.service_hosts) - {service.name for service in host.services})
    if unknown:
        raise SvconvError(
            f"--public-host {unknown[0]}={options.service_hosts[unknown[0]]}: the input has no "
            f"service {unknown[0]!r}; nothing written",
            host.origin.span,
        )


def _plan(service: Service, host: Host, options: EmitOptions, losses: LossLog) -> list[_Planned]:
    """Plan the monitors of one service; report what UptimeRobot cannot hold of it."""
    if service.kind not in _WATCHED_KINDS:
        losses.not_written(service, target=FORMAT, action="dropped")
        return []
    cycles, schedule = _every(service)
    seconds = (host.probe_interval or options.poll_interval or DEFAULT_CYCLE) * cycles
    planned = []
    for check in service.health_checks:
        lost = CheckLosses(service=service, check=check, losses=losses)
        found = target(lost)
        if found is not None:
            _actions(lost)
            planned.append(
                _Planned(
                    service=service,
                    check=check,
                    target=found,
                    interval=_interval(lost, seconds, options.min_interval),
                    timeout=_timeout(lost, found.timeout),
                )
            )
    _process_fields(ServiceLosses(service=service, losses=losses))
    for alert in service.alerts:
        _lose_alert(alert.recipient, alert.origin, service.name, losses)
    others = tuple(extra for extra in service.extras if extra is not schedule)
    losses.foreign_service_extras(replace(service, extras=others), target=FORMAT, action="left out")
    return planned


def _every(service: Service) -> tuple[int, Extra | None]:
    """Find monit's ``every N cycles`` of a service: N, and the statement that said it."""
    # monit keeps its schedule as its own statement; a check runs every N of its cycles
    for extra in service.extras:
        found = _EVERY.fullmatch(extra.value) if extra.key == "every" else None
        if extra.format == "monit" and found:
            return int(found[1]), extra
    return 1, None


def _interval(lost: CheckLosses, seconds: float, minimum: int) -> int:
    """Seconds between two checks, raised (reported) to UptimeRobot's floor."""
    wanted = math.ceil(seconds)
    if wanted < minimum:
        lost.lose(
            f"the check ran every {wanted}s; UptimeRobot checks at most every {minimum}s "
            "(--min-interval)",
            f"checked every {minimum}s",
            code="SV710",
        )
    if lost.check.failures > 1:
        lost.lose(
            f"UptimeRobot alerts on the first failure it confirms, not after "
            f"{lost.check.failures} failures in {lost.check.window} cycles",
            "alerts after one failed check",
            severity=Severity.INFO,
        )
    return max(wanted, minimum)


def _timeout(lost: CheckLosses, seconds: float | None) -> int:
    """Seconds a check may take: the input's, within UptimeRobot's 1 to 60 (default 30)."""
    if seconds is None:
        return DEFAULT_TIMEOUT
    wanted = max(1, math.ceil(seconds))
    if wanted > MAX_TIMEOUT:
        lost.lose(
            f"UptimeRobot waits at most {MAX_TIMEOUT}s for a check, not {wanted}s",
            f"timeout {MAX_TIMEOUT}s",
            code="SV710",
        )
    return min(wanted, MAX_TIMEOUT)


def _actions(lost: CheckLosses) -> None:
    """Report actions other than alerts (restart, exec, …): an external monitor only alerts."""
    check = lost.check
    if check.action is not Action.ALERT:
        lost.lose(
            f"an external monitor only alerts; it cannot {_deed(check.action, check.action_argv)}",
            "alerts instead",
            code="SV714",
        )
    if check.recovery is not None and check.recovery is not Action.ALERT:
        lost.lose(
            "an external monitor only alerts; on recovery it cannot "
            f"{_deed(check.recovery, check.recovery_argv)}",
            "alerts on recovery instead",
            code="SV714",
        )


def _deed(action: Action, argv: tuple[str, ...]) -> str:
    """Say what an action does: ``restart the service``, ``run /usr/bin/x``."""
    if action is Action.EXEC:
        return f"run {argv[0] if argv else 'a program'}"
    return f"{action.value} the service"


def _process_fields(service: ServiceLosses) -> None:
    """Report each process setting: an external monitor runs and configures nothing."""
    blank = Service(name=service.service.name)
    for name in FIELDS:
        if name in _HANDLED or getattr(service.service, name) == getattr(blank, name):
            continue
        service.lose(
            name,
            f"UptimeRobot only watches from outside: it runs no process, so {name} is not written",
            "left to the supervisor that runs the service",
            severity=Severity.INFO,
        )


def _lose_alert(recipient: str, origin: Origin, service: str, losses: LossLog) -> None:
    losses.unsupported(
        origin,
        "alerts",
        service=service,
        code="SV706",
        reason=f"UptimeRobot alerts the account's alert contacts, not {recipient}",
        action="set var.uptimerobot_alert_contacts to their ids",
    )


def _monitors(planned: list[_Planned], options: EmitOptions) -> list[Monitor]:
    """Name each monitor and give it the host it is reached by."""
    hosts = [_host(p, options) for p in planned]
    unreachable = [p for p, host in zip(planned, hosts, strict=True) if host is None]
    if unreachable:
        services = ", ".join(dict.fromkeys(p.service.name for p in unreachable))
        raise SvconvError(
            f"uptimerobot needs --public-host HOST (or SERVICE=HOST) for {services}: the "
            "checks name no host that can be reached from outside; nothing written",
            unreachable[0].check.origin.span,
        )
    return [
        Monitor(
            name=name,
            target=p.target,
            url=p.target.url(host or ""),
            interval=p.interval,
            timeout=p.timeout,
        )
        for name, p, host in zip(_names(planned), planned, hosts, strict=True)
    ]


_ANY_PUBLIC_HOST = "public-host.invalid"
"""The host a loss report alone is written with (an RFC 2606 name that resolves nowhere)."""


def _host(planned: _Planned, options: EmitOptions) -> str | None:
    """``--public-host SERVICE=HOST``, else the check's own public address, else the default."""
    given = options.service_hosts.get(planned.service.name)
    address = planned.target.address
    if given is None and address is not None and _is_public(address):
        return address
    return given or options.public_host or (_ANY_PUBLIC_HOST if options.losses_only else None)


def _is_public(address: str) -> bool:
    """Whether an address can be reached from the internet (not loopback, private, …)."""
    try:
        return ipaddress.ip_address(address.strip("[]")).is_global
    except ValueError:
        name = address.lower().rstrip(".")
        return "." in name and not name.endswith(_LOCAL_SUFFIXES)


def _names(planned: list[_Planned]) -> list[str]:
    """Friendly names: the service's, with the kind of check when it has several."""
    counts: dict[str, int] = {}
    for p in planned:
        counts[p.service.name] = counts.get(p.service.name, 0) + 1
    names: list[str] = []
    for p in planned:
        name = p.service.name
        if counts[name] > 1:
            name = f"{name} {_kind_word(p.target)}"
        unique, number = name, 2
        while unique in names:
            unique, number = f"{name} {number}", number + 1
        names.append(unique)
    return names


def _kind_word(found: Target) -> str:
    if found.type is MonitorType.PORT:
        return f"port {found.port}"
    if found.type is MonitorType.PING:
        return "ping"
    return found.scheme
