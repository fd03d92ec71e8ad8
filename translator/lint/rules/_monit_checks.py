"""What the host rules share about monit process checks (no rule of its own).

A check stands for a daemon that other supervisors on the host may know under its name,
or under the name its start program asks a service manager to start
(``systemctl start web``). Its programs can be reworded in place: the reader records
where each program's quoted text is (the ``argv`` field of the command's origin).
Imports: model, diagnostics, knowledge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from translator.diagnostics import Edit
from translator.knowledge.control import Tool, request
from translator.model import Command, Host, Service

MONIT = "monit"
PROGRAMS = ("start", "stop", "restart_command")
"""The fields of a check holding monit's start, stop and restart programs."""
_PLAIN_WORD = re.compile(r"[\w@.:*+/-]+")
"""A word monit's program string carries as it is: no blank, no quote."""


def monit_processes(host: Host) -> Iterator[Service]:
    """Every monit ``check process`` of the host."""
    return (s for s in host.services if s.managed_by == MONIT and s.is_process)


def program(service: Service, field: str) -> Command | None:
    """The check's start, stop or restart program (``field`` one of ``PROGRAMS``)."""
    command = getattr(service, field)
    return command if isinstance(command, Command) else None


def names(check: Service) -> set[str]:
    """The names the check's daemon goes by: the check's, and the one it asks to start."""
    found = {check.name}
    asked = request(check.start.argv) if check.start is not None else None
    if asked is not None and asked.tool is not Tool.SUPERVISORCTL:
        found.add(asked.name)
    return found


def counterparts(host: Host, check: Service) -> list[Service]:
    """The services of other supervisors that run the daemon the check watches, by name."""
    known = names(check)
    return [s for s in host.services if s.managed_by != MONIT and s.name in known]


def reworded(check: Service, field: str, words: tuple[str, ...]) -> Edit | None:
    """Replace the quoted text of the check's ``field`` program with ``words``.

    None when the reader kept no position for it, or a word would need quoting.
    """
    command = program(check, field)
    span = dict(command.origin.fields).get("argv") if command is not None else None
    if span is None or not all(_PLAIN_WORD.fullmatch(word) for word in words):
        return None
    # monit splits a program on blanks, so plain words joined by one are that argv exactly
    return Edit(span=span, text='"' + " ".join(words) + '"')
