"""SV505 security.supervisord-http-unauthenticated: supervisord's control server lets anyone in."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule
from translator.model import Extra, Host, Span

SUPERVISORD = "supervisord"
_WORLD_WRITABLE = 0o002


@rule(
    code="SV505",
    name="security.supervisord-http-unauthenticated",
    severity=Severity.ERROR,
    formats=("supervisord",),
)
def find_unauthenticated_servers(host: Host) -> Iterator[Finding]:
    """What it does: flags a supervisord control server anyone may use.

    That is ``[inet_http_server]`` without both ``username=`` and ``password=``, or
    ``[unix_http_server]`` without them whose ``chmod=`` lets every user write to the
    socket.

    Why it matters: whoever reaches the server can start, stop and restart every
    program, read their logs, and with ``supervisorctl`` shut supervisord down; on a
    TCP port that is every local user (every host, on a public address), and supervisord
    itself logs "running without any HTTP authentication checking". A unix socket is
    fine without a login when its mode keeps other users out (the default ``0700``, or
    a group's ``0770``).

    Example:
        ```supervisord supervisord.conf
        [supervisord]
        [inet_http_server]
        port = 127.0.0.1:9001
        ```

    Use instead:
        ```supervisord supervisord.conf
        [supervisord]
        [inet_http_server]
        port = 127.0.0.1:9001
        username = admin
        password = {SHA}c53b625e4b6cc9c77f6e93594f04ea66abc2054f
        ```

    Fix: none; set ``username=`` and ``password=`` (a ``{SHA}`` hash keeps it out of
    the file), or use ``[unix_http_server]`` with ``chmod=0700``.
    """
    settings = {
        extra.key: extra
        for extra in host.extras
        if extra.format == SUPERVISORD and "." in extra.key
    }
    port = settings.get("inet_http_server.port")
    if port is not None and not _has_login(settings, "inet_http_server"):
        yield Finding(
            span=_span(port),
            message=f"[inet_http_server] on {port.value} has no "
            f"{_missing(settings, 'inet_http_server')}: anyone who connects controls every program",
        )
    mode = settings.get("unix_http_server.chmod")
    if (
        mode is not None
        and _is_world_writable(mode.value)
        and not _has_login(settings, "unix_http_server")
    ):
        yield Finding(
            span=_span(mode),
            message=f"[unix_http_server] chmod={mode.value} lets every user control supervisord "
            f"and it has no {_missing(settings, 'unix_http_server')}: use chmod=0700",
        )


def _credentials(settings: dict[str, Extra], section: str) -> list[str]:
    """Which of ``username=`` and ``password=`` the section lacks (or leaves empty)."""
    return [
        f"{key}="
        for key in ("username", "password")
        if not (settings.get(f"{section}.{key}") and settings[f"{section}.{key}"].value.strip())
    ]


def _has_login(settings: dict[str, Extra], section: str) -> bool:
    return not _credentials(settings, section)


def _missing(settings: dict[str, Extra], section: str) -> str:
    return " or ".join(_credentials(settings, section))


def _is_world_writable(mode: str) -> bool:
    try:
        return bool(int(mode, 8) & _WORLD_WRITABLE)
    except ValueError:
        return False  # an expansion (%(ENV_MODE)s) only supervisord resolves


def _span(extra: Extra) -> Span:
    return extra.origin.span or Span(path="<input>", line=1, column=1)
