"""What several rules ask of a service: its systemd type, its extras, the shell it runs.

No rule lives here (a module whose name starts with ``_`` holds none). The shell reading
is a linter's approximation: it splits a ``sh -c`` script into simple commands and their
words, enough to see what the script leaves running; it expands and runs nothing.
Imports: model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from translator.model import Extra, Host, Service

UNIT_SUFFIXES = (
    ".service", ".socket", ".target", ".mount", ".automount", ".path", ".timer", ".slice",
    ".scope", ".device", ".swap",
)  # fmt: skip
"""Suffixes of a dependency that names a unit, not a service: readers drop ``.service``
from a service's name, so one that keeps it stands for a facility (``$portmap``)."""
SHELLS = frozenset({"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh"})
"""Programs that run a script given with ``-c``."""
_SINGLE = r"'[^']*'"
_DOUBLE = r'"(?:[^"\\]|\\.)*"'
_SUBSTITUTION = rf"\$\((?:[^()'\"]|{_SINGLE}|{_DOUBLE}|\([^()]*\))*\)"
"""``$(…)``, quotes and one level of parentheses inside (``$(grep "^(a|b)" f)``)."""
_WORD = rf"(?:[<>]&|&>|\\.|{_SINGLE}|{_DOUBLE}|`[^`]*`|{_SUBSTITUTION}|[^\s;&|()'\"\\`])+"
_TOKEN = re.compile(
    rf"(?P<space>[ \t]+|\\\n|#[^\n]*)|(?P<operator>&&|\|\||;;|[;&|()\n])|(?P<word>{_WORD})",
    re.DOTALL,
)
_QUOTED = re.compile(r"""'([^']*)'|"((?:[^"\\]|\\.)*)"|\\(.)""", re.DOTALL)
_ASSIGNMENT = re.compile(r"[A-Za-z_]\w*=")


@dataclass(frozen=True, slots=True, kw_only=True)
class ShellCommand:
    """One simple command of a script: its words, unquoted, and the operator after it."""

    words: tuple[str, ...]
    ended_by: str


SERVICE_DIRECTORIES = ("runit", "daemontools", "s6")
"""The formats of a service directory (``run`` and the files beside it)."""


def extra(service: Service, key: str, fmt: str | None = None) -> Extra | None:
    """Give the service's extra ``key`` of its own format (or of ``fmt``), if kept."""
    wanted = fmt or service.managed_by
    return next((e for e in service.extras if e.format == wanted and e.key == key), None)


def is_set(service: Service, field: str) -> bool:
    """Say whether the input set ``field`` itself, rather than leaving the default."""
    return field in dict(service.origin.fields)


def systemd_type(service: Service) -> str:
    """Give a systemd service's ``Type=``; a unit that names none is ``simple``."""
    if service.runs_once:
        return "oneshot"
    if service.daemonizes:
        return "forking"
    kept = extra(service, "Service.Type", "systemd")
    return kept.value if kept is not None else "simple"


def of_format(host: Host, fmt: str) -> list[Service]:
    """Give the services ``fmt`` manages, in host order."""
    return [service for service in host.services if service.managed_by == fmt]


def source_path(service: Service) -> str:
    """Give the file a service was read from (its name, when that is unknown)."""
    return service.origin.span.path if service.origin.span else service.name


def systemd_names(host: Host) -> set[str]:
    """Give the names the host's systemd services answer to: their own and ``Alias=``."""
    names: set[str] = set()
    for service in of_format(host, "systemd"):
        names.add(service.name)
        aliases = extra(service, "Install.Alias")
        if aliases is not None:
            names |= {alias.removesuffix(".service") for alias in aliases.value.split()}
    return names


def shell_script(argv: tuple[str, ...]) -> str | None:
    """Give the script of ``sh -c SCRIPT`` (also ``bash -lc``, ``sh -e -c``), else None."""
    if not argv or PurePosixPath(argv[0]).name not in SHELLS:
        return None
    for index, word in enumerate(argv[1:], start=1):
        if not word.startswith("-"):
            return None  # a script file, not -c
        if not word.startswith("--") and "c" in word[1:]:
            return argv[index + 1] if index + 1 < len(argv) else None
    return None


def shell_commands(script: str) -> list[ShellCommand]:
    """Split ``script`` into its simple commands, in order (empty ones left out).

    Quotes group words and are removed; ``$(…)`` and backquotes stay inside their word;
    ``2>&1`` is a word, not a background ``&``; comments are skipped.
    """
    found: list[ShellCommand] = []
    words: list[str] = []
    for match in _TOKEN.finditer(script):
        if match.lastgroup == "word":
            words.append(_QUOTED.sub(_unquoted, match.group()))
        elif match.lastgroup == "operator":
            if words:
                found.append(ShellCommand(words=tuple(words), ended_by=match.group()))
            words = []
    if words:
        found.append(ShellCommand(words=tuple(words), ended_by=""))
    return found


def _unquoted(match: re.Match[str]) -> str:
    return next((group for group in match.groups() if group is not None), "")


def _operators(script: str) -> set[str]:
    return {m.group() for m in _TOKEN.finditer(script) if m.lastgroup == "operator"}


def program_words(command: ShellCommand) -> tuple[str, ...]:
    """Give the program a command runs, and its arguments.

    ``exec``, ``env`` and ``NAME=value`` assignments before the program are left out.
    """
    words = list(command.words)
    while words and (words[0] in ("exec", "env") or _ASSIGNMENT.match(words[0])):
        words.pop(0)
    return tuple(words)


def runs_in_place(script: str) -> bool:
    """Say whether the shell of ``script`` ends up being the program it runs.

    So it is when the script is one simple command (shells exec it) or its last command
    is an ``exec``, and nothing runs in the background, in a pipe or in a subshell.
    """
    commands = shell_commands(script)
    if not commands or _operators(script) & {"&", "|", "(", ")"}:
        return False
    return len(commands) == 1 or commands[-1].words[0] == "exec"
