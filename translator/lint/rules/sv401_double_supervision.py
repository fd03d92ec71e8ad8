"""SV401 host.double-supervision: one daemon started by two supervisors."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from translator.diagnostics import Edit, Fix, Severity
from translator.knowledge.control import SUPERVISORCTL, SYSTEMCTL, normal_pidfile, request
from translator.lint.registry import Finding, rule, where
from translator.lint.rules._common import program_words, runs_in_place, shell_commands, shell_script
from translator.lint.rules._monit_checks import PROGRAMS, monit_processes, program, reworded
from translator.model import Command, Host, Service

_STARTERS = ("systemd", "supervisord")
"""Supervisors that start their services themselves at boot (monit is the one checked)."""
_INTERPRETER = re.compile(
    r"(python|pypy|perl|ruby|node|nodejs|java|php|lua|sh|bash|dash|zsh|ksh)[\d.]*"
)
_INTERPRETER_VALUE_OPTIONS = frozenset(["-cp", "-classpath", "--class-path", "-W", "-X"])
"""Interpreter options whose next word is their value, not the script."""
_USR_MERGED = ("/bin/", "/sbin/", "/lib/")
_VERBS = {"start": "start", "stop": "stop", "restart_command": "restart"}
"""The systemctl and supervisorctl verb for each program of a check."""


@dataclass(frozen=True, slots=True)
class _Match:
    """Another supervisor's service running the daemon, and how that was told."""

    service: Service
    reason: str
    rank: int
    """0: same name, 1: same pidfile, 2: same executable; the surest sign first."""

    @property
    def order(self) -> tuple[int, bool]:
        """Surest first, then systemd (the fix asks the first one)."""
        return (self.rank, self.service.managed_by != "systemd")


@rule(
    code="SV401",
    name="host.double-supervision",
    severity=Severity.ERROR,
    formats=("monit", "supervisord", "systemd"),
    has_fix=True,
)
def find_double_supervision(host: Host) -> Iterator[Finding]:
    """What it does: flags a daemon that two supervisors start.

    That is a monit check whose start program runs the daemon itself while an enabled
    systemd unit or a supervisord program runs it too, or a supervisord program and an
    enabled systemd unit running the same daemon.

    Why it matters: both start it at boot and both restart it: one copy fails to bind
    or both run, and the supervisor that lost the race shows it failed and restarts it
    in a loop; systemctl and supervisorctl cannot stop a copy they did not start. It is
    the same daemon when the names match, the pidfiles match (``/var/run`` is
    ``/run``), or the executable matches (its full path; for an interpreter such as
    python or java also the script) without disjoint path arguments (two redis-server
    with their own config files are two daemons). A monit check whose programs run
    ``systemctl`` or ``supervisorctl`` only watches: that is the way to do it. One
    whose programs run an init script is SV402's concern.

    Example:
        ```monit monitrc
        check process web with pidfile /run/web.pid
          start program = "/usr/sbin/web --daemon"
          stop program = "/usr/bin/pkill -F /run/web.pid"
        ```
        ```systemd web.service
        [Service]
        Type=forking
        PIDFile=/run/web.pid
        ExecStart=/usr/sbin/web --daemon
        [Install]
        WantedBy=multi-user.target
        ```

    Use instead:
        ```monit monitrc
        check process web with pidfile /run/web.pid
          start program = "/usr/bin/systemctl start web"
          stop program = "/usr/bin/systemctl stop web"
        ```

    Fix: rewords the monit check's start, stop and restart programs to
    ``/usr/bin/systemctl VERB NAME`` (``/usr/bin/supervisorctl`` for a supervisord
    program); safe when the other supervisor runs monit's very command as the same
    user, unsafe otherwise (the daemon then runs the other's command line); none for a
    supervisord program that an enabled unit also runs (remove one of the two).
    """
    starters = [s for s in host.services if _starts_at_boot(s)]
    for check in monit_processes(host):
        if check.start is None or not check.restart.is_automatic or request(check.start.argv):
            continue
        matches = [m for s in starters if (m := _same_daemon(check, s)) is not None]
        if matches:
            yield _monit_finding(check, sorted(matches, key=lambda m: m.order))
    programs = [s for s in starters if s.managed_by == "supervisord"]
    units = [s for s in starters if s.managed_by == "systemd"]
    for supervised in programs:
        matches = [m for unit in units if (m := _same_daemon(supervised, unit)) is not None]
        if matches:
            yield _program_finding(supervised, sorted(matches, key=lambda m: m.order))


def _starts_at_boot(service: Service) -> bool:
    return (
        service.managed_by in _STARTERS
        and service.is_process
        and service.enabled_at_boot
        and not service.runs_once
        and service.start is not None
    )


def _same_daemon(service: Service, other: Service) -> _Match | None:
    """Tell whether ``other`` runs the daemon of ``service``, and by what sign."""
    if service.name == other.name:
        return _Match(other, "same name", 0)
    pidfile = normal_pidfile(service.pidfile)
    other_pidfile = normal_pidfile(other.pidfile)
    if pidfile is not None and pidfile == other_pidfile:
        return _Match(other, f"same pidfile {pidfile}", 1)
    if pidfile is not None and other_pidfile is not None:
        return None  # two pidfiles: two instances of one program
    if service.start is None or other.start is None:
        return None
    program = _program(service.start, service.working_directory)
    other_program = _program(other.start, other.working_directory)
    if program is None or other_program is None or not _same_program(program, other_program):
        return None
    if _has_other_paths(service.start, other.start):
        return None
    return _Match(other, f"same executable {' '.join(program)}", 2)


def _program(command: Command, directory: str | None) -> tuple[str, ...] | None:
    """The executable a command runs: its path, and an interpreter's script.

    A shell that ends up being the program it runs (``sh -c 'exec web'``) runs that program.
    """
    script = shell_script(command.argv)
    if script is not None and runs_in_place(script):
        argv = _without_env(program_words(shell_commands(script)[-1]))
    else:
        argv = _without_env(command.argv)
    if not argv or "$" in argv[0]:
        return None
    interpreter = _INTERPRETER.fullmatch(posixpath.basename(argv[0]))
    if interpreter is None:
        return (_usr(argv[0]),)
    script = _script(argv[1:])
    if script is not None and directory and not script.startswith("/") and "/" in script:
        script = posixpath.join(directory, script)
    return (interpreter.group(1), script or "")


def _same_program(program: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Compare full paths when both commands give one, else the names (a PATH lookup)."""
    (path, *rest), (other_path, *other_rest) = program, other
    if rest != other_rest:
        return False
    if "/" in path and "/" in other_path:
        return path == other_path
    return posixpath.basename(path) == posixpath.basename(other_path)


def _without_env(argv: tuple[str, ...]) -> list[str]:
    """``argv`` without a leading ``env``, its options and its assignments."""
    words = list(argv)
    if words and posixpath.basename(words[0]) == "env":
        words = words[1:]
        while words and (words[0].startswith("-") or _is_assignment(words[0])):
            words = words[1:]
    return words


def _is_assignment(word: str) -> bool:
    return "=" in word and not word.startswith(("/", "-"))


def _script(arguments: list[str]) -> str | None:
    """The first argument that is no option (nor an option's value): the script, or module."""
    skip = False
    for word in arguments:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in _INTERPRETER_VALUE_OPTIONS
        else:
            return word
    return None


def _usr(path: str) -> str:
    """The path after the /usr merge (``/sbin/x`` is ``/usr/sbin/x``); a bare name stays."""
    if "/" not in path:
        return path
    path = posixpath.normpath(path)
    return f"/usr{path}" if path.startswith(_USR_MERGED) else path


def _has_other_paths(command: Command, other: Command) -> bool:
    """Whether both commands name files and none in common (two configs, two daemons)."""
    paths, other_paths = _paths(command), _paths(other)
    return bool(paths and other_paths and not paths & other_paths)


def _paths(command: Command) -> set[str]:
    words = (word.partition("=")[2] or word for word in command.argv[1:])
    return {posixpath.normpath(word) for word in words if word.startswith("/")}


def _monit_finding(check: Service, matches: list[_Match]) -> Finding:
    first = matches[0]
    other = first.service
    return Finding(
        span=where(check, "start"),
        service=check.name,
        message=f"monit starts {check.name} itself while {_describe(other)} runs it too "
        f"({first.reason}): let monit ask {other.managed_by} to start and stop it",
        fix=_fix(check, other),
        related=tuple(where(m.service, "start") for m in matches),
    )


def _program_finding(supervised: Service, matches: list[_Match]) -> Finding:
    first = matches[0]
    return Finding(
        span=where(supervised, "start"),
        service=supervised.name,
        message=f"supervisord runs {supervised.name} while {_describe(first.service)} "
        f"runs it too ({first.reason}): keep one of the two",
        related=tuple(where(m.service, "start") for m in matches),
    )


def _describe(service: Service) -> str:
    if service.managed_by == "systemd":
        return f"{service.name}.service, enabled at boot,"
    return f"supervisord's [program:{service.name}]"


def _fix(check: Service, other: Service) -> Fix | None:
    tool, name = (
        (SYSTEMCTL, other.name)
        if other.managed_by == "systemd"
        else (SUPERVISORCTL, _supervisorctl_name(other))
    )
    edits: list[Edit] = []
    for field in PROGRAMS:
        if program(check, field) is None:
            continue
        edit = reworded(check, field, (tool, _VERBS[field], name))
        if edit is None:
            return None
        edits.append(edit)
    return Fix(
        description=f"start and stop {check.name} through {posixpath.basename(tool)}",
        edits=tuple(edits),
        is_safe=_runs_the_same(check, other),
    )


def _runs_the_same(check: Service, other: Service) -> bool:
    """Whether the other supervisor runs monit's very command, as the same user."""
    start, other_start = check.start, other.start
    if start is None or other_start is None or start.argv != other_start.argv:
        return False
    return (start.user, start.group) == (
        other_start.user or other.user,
        other_start.group or other.group,
    )


def _supervisorctl_name(program_service: Service) -> str:
    """How supervisorctl names a program: ``group:name``, or ``name:*`` for its copies."""
    if program_service.instances > 1:
        return f"{program_service.name}:*"
    if program_service.groups:
        return f"{program_service.groups[0]}:{program_service.name}"
    return program_service.name
