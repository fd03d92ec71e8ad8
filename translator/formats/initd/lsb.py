"""What an init script owes the LSB, for lint: its header block (SV108), its actions (SV109).

Imports: model, diagnostics, formats/initd.
"""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Diagnostic, Severity
from translator.formats._script import Script, actions
from translator.formats.initd.headers import BEGIN, Headers
from translator.model import Span

REQUIRED_ACTIONS = ("start", "stop", "restart", "force-reload", "status")
"""The actions LSB 3.1 asks every init script for."""
INIT_D_SCRIPT = "/lib/init/init-d-script"
"""Debian's library that gives a script every action by itself."""


def check(script: Script, headers: Headers) -> list[Diagnostic]:
    """Report a missing or incomplete LSB block, and LSB actions the script lacks."""
    return [*_header(script, headers), *_missing_actions(script)]


def _header(script: Script, headers: Headers) -> Iterator[Diagnostic]:
    """SV108: no ``### BEGIN INIT INFO`` block, or one without Provides: or Default-Start:.

    A RHEL ``# chkconfig:`` line gives the runlevels, so it stands in for Default-Start:
    but not for the block: insserv, update-rc.d and systemd's sysv generator read only
    the block (chkconfig reads both).
    """
    lines = script.source.text.splitlines() or [""]
    if headers.lsb_span is None:
        yield _note(
            "SV108",
            _line(script, 1, lines[0]),
            f"no {BEGIN} block: insserv and systemd's sysv generator find no runlevels "
            "or dependencies",
        )
        return
    missing = [
        f"{keyword}:"
        for keyword in ("Provides", "Default-Start")
        if keyword.lower() not in headers.lsb
        and not (keyword == "Default-Start" and headers.tag("chkconfig"))
    ]
    if missing:
        line = headers.lsb_span.line
        yield _note(
            "SV108",
            _line(script, line, lines[line - 1]),
            f"the INIT INFO block has no {' and no '.join(missing)}",
        )


def _missing_actions(script: Script) -> Iterator[Diagnostic]:
    """SV109: LSB actions that no arm of the script's ``case "$1"`` handles."""
    if INIT_D_SCRIPT in script.source.text:
        return
    found = actions(script)
    if found is None:
        return
    span, names = found
    missing = [name for name in REQUIRED_ACTIONS if name not in names]
    if missing and len(missing) < len(REQUIRED_ACTIONS):  # else that case is not the dispatch
        them = "it" if len(missing) == 1 else "them"
        yield _note(
            "SV109",
            span,
            f"no {', '.join(missing)} arm: LSB requires every init script to handle {them}",
        )


def _line(script: Script, number: int, text: str) -> Span:
    end = len(text.rstrip()) + 1
    return Span(path=script.source.path, line=number, column=1, end_line=number, end_column=end)


def _note(code: str, span: Span, message: str) -> Diagnostic:
    return Diagnostic(
        code=code, severity=Severity.WARNING, span=span, message=message, lint_only=True
    )
