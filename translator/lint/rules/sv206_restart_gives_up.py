"""SV206 lifecycle.restart-gives-up: always restarted, until the defaults give up for good."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule, where
from translator.lint.rules._common import is_set
from translator.model import Host, RestartWhen, Service


@rule(
    code="SV206",
    name="lifecycle.restart-gives-up",
    severity=Severity.INFO,
    formats=("systemd", "supervisord"),
)
def find_restarts_that_give_up(host: Host) -> Iterator[Finding]:
    """What it does: flags a service restarted always whose default start limit gives up.

    That is systemd's ``Restart=always`` with no ``RestartSec=`` and no ``StartLimit*=``,
    and supervisord's ``autorestart=true`` with no ``startretries``.

    Why it matters: systemd restarts after 100 ms and allows 5 starts in 10 s, so a
    crash loop uses them up in half a second and the service stays failed until someone
    runs ``systemctl reset-failed``. supervisord gives up after 3 retries that die
    within ``startsecs`` and leaves the program FATAL. A short outage (a database
    restarting, a full disk) thus stops the service for good, which "always" did not mean.

    Example:
        ```systemd web.service
        [Service]
        ExecStart=/usr/sbin/web
        Restart=always
        ```

    Use instead:
        ```systemd web.service
        [Service]
        ExecStart=/usr/sbin/web
        Restart=always
        RestartSec=5s
        ```

    Fix: none; with ``RestartSec=5s`` five starts take longer than the 10 s window, so
    systemd never gives up; for supervisord, raise ``startretries``.
    """
    for service in host.services:
        if service.restart.when is not RestartWhen.ALWAYS:  # never a default
            continue
        message = _checked(service)
        if message is not None:
            yield Finding(span=where(service, "restart"), service=service.name, message=message)


def _systemd(service: Service) -> str | None:
    if service.runs_once or is_set(service, "restart.delay") or _has_start_limit(service):
        return None
    return (
        "Restart=always with systemd's defaults (RestartSec=100ms, 5 starts in 10s): a crash "
        "loop stops it for good within a second; set RestartSec=5s"
    )


def _has_start_limit(service: Service) -> bool:
    settings = ("Unit.StartLimit", "Service.StartLimit")
    return is_set(service, "start_limit") or any(
        e.key.startswith(settings) for e in service.extras if e.format == "systemd"
    )


def _supervisord(service: Service) -> str | None:
    if is_set(service, "start_limit") or service.min_uptime == 0 or service.start_limit is None:
        return None
    return (
        f"autorestart=true with the default startretries={service.start_limit.burst - 1}: "
        "supervisord gives up after that many quick failures and leaves it FATAL; "
        "raise startretries"
    )


_CHECKS = {"systemd": _systemd, "supervisord": _supervisord}


def _checked(service: Service) -> str | None:
    check = _CHECKS.get(service.managed_by)
    return check(service) if check is not None else None
