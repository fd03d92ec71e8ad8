"""What systemd says of a unit's lines as it loads them, for lint to report.

A section, or a key in its section, systemd does not know (SV102), an ``Exec*=``
program systemd refuses (SV103), a setting moved to [Unit] or a path below the legacy
``/var/run`` (SV106).
The keys come from ``keys.txt``, systemd's own list (written by scripts/systemd-keys).
Imports: model, diagnostics.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from functools import cache
from importlib.resources import files
from typing import Protocol

from translator.diagnostics import Diagnostic, Edit, Fix, Severity
from translator.model import Source, Span

_MOVED_TO_UNIT = {
    "StartLimitInterval": "StartLimitIntervalSec",
    "StartLimitIntervalSec": "StartLimitIntervalSec",
    "StartLimitBurst": "StartLimitBurst",
    "StartLimitAction": "StartLimitAction",
    "FailureAction": "FailureAction",
    "RebootArgument": "RebootArgument",
}
"""[Service] settings systemd 230 moved to [Unit], and their name there."""
_LEGACY_PATH_KEYS = {
    ("Service", "PIDFile"),
    *(("Socket", f"Listen{kind}") for kind in ("Stream", "Datagram", "SequentialPacket", "FIFO")),
}
"""Settings whose ``/var/run/…`` path systemd rewrites to ``/run/…`` with a warning."""
_LEGACY_RUN = "/var/run/"
_EXEC_SECTIONS = ("Service", "Socket")
_EXEC_PREFIXES = "-@:+!"


class Setting(Protocol):
    """One ``Key=value`` line of a unit, in its section."""

    @property
    def section(self) -> str:
        """The section it is in (``Service``)."""

    @property
    def key(self) -> str:
        """The key (``ExecStart``)."""

    @property
    def value(self) -> str:
        """The value, continuation lines joined."""

    @property
    def span(self) -> Span:
        """From the key to the end of the value."""


@cache
def known_keys() -> tuple[str, dict[str, frozenset[str]]]:
    """Give the systemd version of ``keys.txt`` and, by section, the keys it knows."""
    text = files(__package__).joinpath("keys.txt").read_text(encoding="utf-8")
    version = " ".join(text.removeprefix("# The settings ").split()[:2])  # "systemd 252"
    sections: dict[str, set[str]] = {}
    current: set[str] = set()
    for line in text.splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        elif "=" in line and not line.startswith("#"):
            current.add(line.split("=", 1)[0])
    return version, {name: frozenset(keys) for name, keys in sections.items()}


def check(source: Source, settings: Sequence[Setting]) -> list[Diagnostic]:
    """Report what systemd would warn about or refuse in ``source``'s ``settings``."""
    lines = source.text.splitlines()
    return [
        *_unknown_sections(source, settings),
        *_unknown_keys(settings),
        *_moved_to_unit(source, settings),
        *_legacy_paths(lines, settings),
        *_refused_programs(lines, settings),
    ]


def _unknown_sections(source: Source, settings: Sequence[Setting]) -> Iterator[Diagnostic]:
    """SV102: a section systemd does not know, whose settings it all ignores."""
    version, known = known_keys()
    names = dict.fromkeys(s.section for s in settings if s.section not in known)
    for name in (n for n in names if not n.startswith("X-")):
        line = _header_line(source, name) or 1
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        yield Diagnostic(
            code="SV102",
            severity=Severity.WARNING,
            span=Span(
                path=source.path, line=line, column=1, end_line=line, end_column=len(name) + 3
            ),
            message=f"{version} knows no section [{name}] and ignores every setting in it"
            + (f" (did you mean [{close[0]}]?)" if close else ""),
        )


def _unknown_keys(settings: Sequence[Setting]) -> Iterator[Diagnostic]:
    """SV102: a key systemd does not know in its section (``X-`` keys are the user's)."""
    version, known = known_keys()
    for setting in settings:
        keys = known.get(setting.section)
        if keys is None or setting.key in keys or setting.key.startswith("X-"):
            continue
        if setting.section == "Service" and setting.key in _MOVED_TO_UNIT:
            continue  # SV106 says where it belongs
        yield Diagnostic(
            code="SV102",
            severity=Severity.WARNING,
            span=_key_span(setting),
            message=f"{version} knows no {setting.key}= in [{setting.section}] and ignores "
            f"it{_hint(setting, known)}",
        )


def _hint(setting: Setting, known: dict[str, frozenset[str]]) -> str:
    """Name the section that knows the key, or the key it most looks like."""
    homes = [name for name, keys in known.items() if setting.key in keys]
    if homes:
        return f" (it belongs in [{homes[0]}])"
    close = difflib.get_close_matches(setting.key, known[setting.section], n=1, cutoff=0.8)
    return f" (did you mean {close[0]}=?)" if close else ""


def _key_span(setting: Setting) -> Span:
    span = setting.span
    end = span.column + len(setting.key)
    return Span(
        path=span.path, line=span.line, column=span.column, end_line=span.line, end_column=end
    )


def _moved_to_unit(source: Source, settings: Sequence[Setting]) -> Iterator[Diagnostic]:
    """SV106: a start-limit or failure setting in [Service], which belongs in [Unit]."""
    version, known = known_keys()
    for setting in settings:
        if setting.section != "Service" or setting.key not in _MOVED_TO_UNIT:
            continue
        name = _MOVED_TO_UNIT[setting.key]
        as_name = f" (as {name}=)" if name != setting.key else ""
        effect = (
            "systemd keeps it there only for compatibility"
            if setting.key in known["Service"]
            else f"{version} ignores it there"
        )
        yield Diagnostic(
            code="SV106",
            severity=Severity.WARNING,
            span=_key_span(setting),
            message=f"{setting.key}= belongs in [Unit]{as_name} since systemd 230; {effect}",
            fix=_move_to_unit(source, settings, setting, f"{name}={setting.value}\n"),
            lint_only=True,
        )


def _move_to_unit(source: Source, settings: Sequence[Setting], setting: Setting, line: str) -> Fix:
    """Delete the setting's lines; write ``line`` at the end of [Unit] (a new one on top)."""
    span = setting.span
    last = (span.end_line or span.line) + 1
    whole = Span(path=span.path, line=span.line, column=1, end_line=last, end_column=1)
    unit = [s.span for s in settings if s.section == "Unit"]
    header = _header_line(source, "Unit")
    text = line
    if unit:
        after = max(s.end_line or s.line for s in unit) + 1
    elif header is not None:
        after = header + 1
    else:
        after, text = 1, f"[Unit]\n{line}\n"
    at = Span(path=span.path, line=after, column=1, end_line=after, end_column=1)
    return Fix(
        description=f"move {line.strip()} to [Unit]",
        edits=(Edit(span=whole, text=""), Edit(span=at, text=text)),
    )


def _header_line(source: Source, section: str) -> int | None:
    lines = source.text.splitlines()
    return next((n for n, text in enumerate(lines, 1) if text.strip() == f"[{section}]"), None)


def _legacy_paths(lines: list[str], settings: Sequence[Setting]) -> Iterator[Diagnostic]:
    """SV106: a pidfile or socket path below ``/var/run``, which systemd rewrites."""
    for setting in settings:
        if (setting.section, setting.key) not in _LEGACY_PATH_KEYS:
            continue
        if not setting.value.startswith(_LEGACY_RUN):
            continue
        value = _value_span(lines, setting)
        legacy = Span(
            path=value.path,
            line=value.line,
            column=value.column,
            end_line=value.line,
            end_column=value.column + len(_LEGACY_RUN) - 1,
        )
        modern = "/run/" + setting.value.removeprefix(_LEGACY_RUN)
        yield Diagnostic(
            code="SV106",
            severity=Severity.WARNING,
            span=value,
            message=f"{setting.key}={setting.value} is below the legacy /var/run: systemd "
            f"rewrites it to {modern} with a warning",
            fix=Fix(description=f"write {modern}", edits=(Edit(span=legacy, text="/run"),)),
            lint_only=True,
        )


def _value_span(lines: list[str], setting: Setting) -> Span:
    """Where the value starts (after ``=`` and blanks) to where it ends."""
    span = setting.span
    text = lines[span.line - 1]
    equals = text.index("=", span.column - 1 + len(setting.key))
    column = len(text) - len(text[equals + 1 :].lstrip(" \t")) + 1
    return Span(
        path=span.path,
        line=span.line,
        column=column,
        end_line=span.end_line or span.line,
        end_column=span.end_column or len(text) + 1,
    )


def _refused_programs(lines: list[str], settings: Sequence[Setting]) -> Iterator[Diagnostic]:
    """SV103: an ``Exec*=`` program that is neither a plain name nor a file's absolute path."""
    for setting in settings:
        if setting.section not in _EXEC_SECTIONS or not setting.key.startswith("Exec"):
            continue
        words = setting.value.lstrip(_EXEC_PREFIXES).split(maxsplit=1)
        program = words[0].strip("\"'") if words else ""
        if not program or any(c in program for c in "%$") or _is_valid_program(program):
            continue
        yield Diagnostic(
            code="SV103",
            severity=Severity.WARNING,
            span=_value_span(lines, setting),
            message=f"{setting.key}= runs {program}, neither a program name nor a file's "
            "absolute path: systemd refuses to load the unit",
        )


def _is_valid_program(program: str) -> bool:
    """Say whether systemd 252 takes ``program``: a name to look up, or a full file path."""
    if program.endswith("/"):
        return False  # "Executable path specifies a directory"
    return "/" not in program or program.startswith("/")
