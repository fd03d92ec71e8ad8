"""SV205 lifecycle.restart-unbounded: a crash loop nothing slows down or stops."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule, where
from translator.lint.rules._common import is_set
from translator.model import Host, RestartWhen, Service

_QUICK = 1.0
"""Seconds between restarts below which an unlimited crash loop burns the machine."""


@rule(
    code="SV205",
    name="lifecycle.restart-unbounded",
    severity=Severity.WARNING,
    formats=("systemd", "supervisord", "monit"),
)
def find_unbounded_restarts(host: Host) -> Iterator[Finding]:
    """What it does: flags automatic restarts with no limit on a crash loop.

    systemd: a service that restarts, with ``StartLimitIntervalSec=0`` (or
    ``StartLimitBurst=0``), which turns the start limit off, and ``RestartSec=`` under a
    second (100 ms when unset). supervisord: a program that restarts with
    ``startsecs=0``: it counts as started at once, so ``startretries`` never applies.
    monit: a process check with a start program that monit restarts (active mode, the
    default) and no ``if N restarts within M cycles`` limit.

    Why it matters: a daemon that cannot start (a bad config, a port in use, a missing
    disk) is started again and again for ever, several times a second under systemd and
    supervisord: the logs fill up, the CPU spins and nothing says it has given up.

    Example:
        ```systemd web.service
        [Unit]
        StartLimitIntervalSec=0
        [Service]
        ExecStart=/usr/sbin/web
        Restart=always
        ```

    Use instead:
        ```systemd web.service
        [Unit]
        StartLimitIntervalSec=0
        [Service]
        ExecStart=/usr/sbin/web
        Restart=always
        RestartSec=5s
        ```

    Fix: none; set ``RestartSec=`` to a second or more, ``startsecs=`` above zero, or
    add ``if 5 restarts within 5 cycles then unmonitor`` to the monit check.
    """
    for service in host.services:
        if not service.is_process or not service.restart.is_automatic or service.runs_once:
            continue
        found = _checked(service)
        if found is not None:
            field, message = found
            yield Finding(span=where(service, field), service=service.name, message=message)


def _systemd(service: Service) -> tuple[str, str] | None:
    limit = service.start_limit
    delay = service.restart.delay or 0.0
    if limit is None or not is_set(service, "start_limit") or delay >= _QUICK:
        return None
    if limit.interval != 0 and limit.burst != 0:
        return None
    setting = "StartLimitIntervalSec=0" if limit.interval == 0 else "StartLimitBurst=0"
    return "start_limit", (
        f"{setting} lifts the start limit, so a crash loop restarts it every {delay:g}s "
        "for ever; set RestartSec=1s or more"
    )


def _supervisord(service: Service) -> tuple[str, str] | None:
    if service.min_uptime != 0 or not is_set(service, "min_uptime"):
        return None
    autorestart = "true" if service.restart.when is RestartWhen.ALWAYS else "unexpected"
    return "min_uptime", (
        f"startsecs=0 with autorestart={autorestart}: it counts as started at once, so "
        "startretries never stops a crash loop; set startsecs to the seconds it takes to come up"
    )


def _monit(service: Service) -> tuple[str, str] | None:
    if service.start is None or service.start_limit is not None:
        return None
    return "restart", (
        "monit restarts it every cycle for ever if it keeps failing; add "
        "'if 5 restarts within 5 cycles then unmonitor'"
    )


_CHECKS = {"systemd": _systemd, "supervisord": _supervisord, "monit": _monit}


def _checked(service: Service) -> tuple[str, str] | None:
    check = _CHECKS.get(service.managed_by)
    return check(service) if check is not None else None
