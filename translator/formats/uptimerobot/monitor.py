"""What UptimeRobot can check of a health check: a probe becomes a monitor, or a loss.

UptimeRobot's monitor types, as its v2 API's ``newMonitor`` numbers them and its
official Terraform provider names them: HTTP (1), KEYWORD (2), PING (3), PORT (4).
Imports: model, loss, formats/uptimerobot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from urllib.parse import urlsplit

from translator.diagnostics import Severity
from translator.loss import LossLog
from translator.model import HealthCheck, NetworkProbe, Service, ServiceKind

FORMAT = "uptimerobot"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_CONTENT = re.compile(r"""^(?P<operator>==|!=|=)?\s*(?P<quote>["'])(?P<text>.*)(?P=quote)$""")
_URL_OPTIONS = re.compile(
    r"""content\s*(?P<operator>==|!=|=)?\s*(?P<quote>["'])(?P<text>.*?)(?P=quote)"""
    r"""|timeout\s+(?P<timeout>\d+)\s+seconds?""",
    re.IGNORECASE,
)
_REGEX_SYNTAX = re.compile(r"[\\^$.|?*+()\[\]{}]")


class MonitorType(IntEnum):
    """A kind of UptimeRobot monitor, valued as the v2 API's ``type`` parameter."""

    HTTP = 1
    KEYWORD = 2
    PING = 3
    PORT = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """What one monitor checks, before the host it reaches is chosen.

    ``address`` is the host the input names (None: none); ``path`` the request of an
    HTTP or KEYWORD monitor; ``alerts_when_missing`` whether a KEYWORD monitor alerts
    when its keyword is missing (monit ``content =``) rather than present (``!=``).
    """

    type: MonitorType
    address: str | None
    scheme: str = "http"
    port: int | None = None
    path: str = "/"
    keyword: str | None = None
    alerts_when_missing: bool = True
    timeout: float | None = None

    def url(self, host: str) -> str:
        """Give the monitor's ``url``: ``scheme://HOST[:port]/path``, or the bare host."""
        if self.type in (MonitorType.PING, MonitorType.PORT):
            return host
        name = f"[{host}]" if ":" in host else host
        port = "" if self.port in (None, _DEFAULT_PORTS[self.scheme]) else f":{self.port}"
        return f"{self.scheme}://{name}{port}{self.path}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Monitor:
    """One UptimeRobot monitor, named and reaching its host: ready to write."""

    name: str
    target: Target
    url: str
    interval: int
    timeout: int


@dataclass(slots=True)
class CheckLosses:
    """The loss log seen from one health check of one service."""

    service: Service
    check: HealthCheck
    losses: LossLog

    def lose(
        self, reason: str, action: str, *, code: str = "SV701", severity: Severity | None = None
    ) -> None:
        """Record that part of the check cannot be held, at the check's position."""
        self.losses.unsupported(
            self.check.origin,
            "health_checks",
            service=self.service.name,
            code=code,
            reason=reason,
            action=action,
            severity=severity or Severity.WARNING,
        )


def target(lost: CheckLosses) -> Target | None:
    """Give the monitor a check becomes, or None (reported) when UptimeRobot cannot run it."""
    probe = lost.check.probe
    if not isinstance(probe, NetworkProbe):
        lost.lose(f"an external monitor cannot check {probe.describe()}", "dropped")
        return None
    if probe.socket_path is not None:
        lost.lose(f"{probe.describe()} cannot be reached from outside the host", "dropped")
        return None
    if probe.transport == "udp":
        lost.lose(f"UptimeRobot's API has no UDP monitor for {probe.describe()}", "dropped")
        return None
    if probe.transport == "icmp":
        _left_out(lost, probe.details)
        return Target(type=MonitorType.PING, address=_address(lost.service, probe))
    if probe.transport == "url":
        return _url_target(lost, probe)
    if probe.protocol in _DEFAULT_PORTS:
        return _http_target(lost, probe)
    return _port_target(lost, probe)


def _address(service: Service, probe: NetworkProbe) -> str | None:
    """Give the host a probe names: its own, or the address of a ``check host``."""
    if probe.host is not None:
        return probe.host
    return service.target if service.kind is ServiceKind.HOST else None


def _http_target(lost: CheckLosses, probe: NetworkProbe) -> Target:
    scheme = "https" if probe.protocol == "https" or probe.transport == "tcpssl" else "http"
    details = dict(probe.details)
    content = details.pop("content", None)
    keyword, missing = _keyword(lost, content) if content is not None else (None, True)
    if probe.expect_status is not None:
        lost.lose(
            f"UptimeRobot counts any 2xx or 3xx answer as up, not only status "
            f"{probe.expect_status}",
            "any success status accepted",
        )
    _left_out(lost, tuple(details.items()))
    path = probe.request or "/"
    return Target(
        type=MonitorType.KEYWORD if keyword is not None else MonitorType.HTTP,
        address=_address(lost.service, probe),
        scheme=scheme,
        port=probe.port,
        path=path if path.startswith("/") else f"/{path}",
        keyword=keyword,
        alerts_when_missing=missing,
        timeout=probe.timeout,
    )


def _keyword(lost: CheckLosses, content: str) -> tuple[str | None, bool]:
    """Give the keyword of a ``content`` test and whether its absence alerts."""
    match = _CONTENT.match(content.strip())
    if match is None:
        lost.lose(f"UptimeRobot cannot match content {content}", "checked without it")
        return None, True
    text = match["text"]
    if _REGEX_SYNTAX.search(text):
        lost.lose(
            f"monit matches content {text!r} as a regular expression",
            "UptimeRobot looks for it as plain text",
            severity=Severity.INFO,
        )
    return text, match["operator"] != "!="


def _url_target(lost: CheckLosses, probe: NetworkProbe) -> Target | None:
    details = dict(probe.details)
    parts = urlsplit(details.get("url", ""))
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        lost.lose(f"UptimeRobot cannot check {probe.describe()}", "dropped")
        return None
    keyword, missing, timeout = None, True, probe.timeout
    options = details.get("options", "")
    for found in _URL_OPTIONS.finditer(options):
        if found["timeout"]:
            timeout = float(found["timeout"])
        else:
            keyword, missing = found["text"], found["operator"] != "!="
    rest = _URL_OPTIONS.sub("", options).strip()
    if rest:
        lost.lose(f"UptimeRobot has no url option {rest!r}", "left out")
    path = parts.path or "/"
    return Target(
        type=MonitorType.KEYWORD if keyword is not None else MonitorType.HTTP,
        address=parts.hostname,
        scheme=parts.scheme,
        port=parts.port,
        path=f"{path}?{parts.query}" if parts.query else path,
        keyword=keyword,
        alerts_when_missing=missing,
        timeout=timeout,
    )


def _port_target(lost: CheckLosses, probe: NetworkProbe) -> Target | None:
    if probe.port is None:
        lost.lose(f"UptimeRobot needs a port to check {probe.describe()}", "dropped")
        return None
    if probe.protocol is not None:
        lost.lose(
            f"UptimeRobot only connects to port {probe.port}; it does not speak {probe.protocol}",
            "checked as a bare port",
            severity=Severity.INFO,
        )
    if probe.transport == "tcpssl":
        lost.lose(
            f"UptimeRobot does not check TLS on port {probe.port}",
            "checked as a bare port",
            severity=Severity.INFO,
        )
    _left_out(lost, probe.details)
    return Target(
        type=MonitorType.PORT,
        address=_address(lost.service, probe),
        port=probe.port,
        timeout=probe.timeout,
    )


def _left_out(lost: CheckLosses, details: tuple[tuple[str, str], ...]) -> None:
    """Report each detail of a probe (headers, send/expect, count, …) UptimeRobot lacks."""
    for key, value in details:
        lost.lose(f"UptimeRobot has no {key} {value}", "left out", severity=Severity.INFO)
