"""SV201 lifecycle.daemonizing-foreground-supervisor: a daemon forking under a watcher."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from translator.diagnostics import Severity
from translator.knowledge import ForegroundForm, ForegroundRule, foreground
from translator.lint.registry import Finding, rule, where
from translator.lint.rules._common import (
    SERVICE_DIRECTORIES,
    program_words,
    shell_commands,
    shell_script,
    systemd_type,
)
from translator.model import VARIABLE_REFERENCE, Host, Service

_FOREGROUND_TYPES = ("simple", "exec", "idle")
"""systemd types whose main process is the daemon; notify and dbus daemons may say
their main PID themselves."""
_WATCHERS = ("supervisord", *SERVICE_DIRECTORIES, "angel")
"""Supervisors that watch the process they start, whatever it says of itself."""
_SCRIPT_DIRECTORIES = ("/etc/init.d", "/etc/rc.d/init.d")
_SERVICE_TOOLS = ("service", "invoke-rc.d")
_DAEMONIZE = ("daemonize", "-daemonize", "--daemonize", "-daemon", "--daemon")
"""Words that, given yes, make a program daemonize (its config directive as an option)."""
_YES = ("yes", "true", "on", "1")


@rule(
    code="SV201",
    name="lifecycle.daemonizing-foreground-supervisor",
    severity=Severity.ERROR,
    formats=("systemd", *_WATCHERS),
)
def find_daemonizing_commands(host: Host) -> Iterator[Finding]:
    """What it does: flags a daemon that forks under a supervisor that wants it in front.

    The supervisor is supervisord, runit, daemontools, s6 or Angel, or systemd for a
    service of ``Type=simple`` (the default), ``exec`` or ``idle``. It fires on a daemon
    the knowledge base knows, run without its foreground flag (``nginx``, ``sshd``,
    ``memcached -d``, …), on ``--daemonize yes``, on a ``sh -c`` script ending in ``&``, and on
    ``/etc/init.d/NAME start`` or ``service NAME start``. Inside ``sh -c`` it reads the
    script's last command. A daemon whose command holds a ``$VARIABLE`` is left alone
    when the flag would only need adding: the variable may hold it.

    Why it matters: the supervisor watches the process it started. When that process
    forks and exits, supervisord takes it for a crash and starts it again (the copy
    fails on the busy port) until it gives up; runsv, supervise, s6-supervise and Angel
    do so every second or so, forever; systemd marks the service dead and kills
    the forked daemon with the rest of its cgroup.

    Example:
        ```supervisord web.conf
        [program:web]
        command=/usr/sbin/nginx
        ```

    Use instead:
        ```supervisord web.conf
        [program:web]
        command=/usr/sbin/nginx -g "daemon off;"
        ```

    Fix: none; the message names the flag to add or remove. A daemon that must fork
    belongs in a systemd unit of ``Type=forking`` with ``PIDFile=``.
    """
    for service in host.services:
        if not _runs_in_foreground(service) or service.start is None:
            continue
        found = _forks(service.start.argv)
        if found is not None:
            problem, change = found
            yield Finding(
                span=where(service, "start"),
                service=service.name,
                message=f"{problem}, which {_watcher(service)} takes for an exit: {change}",
            )


def _runs_in_foreground(service: Service) -> bool:
    """Say whether the supervisor wants the started process to stay (not a task)."""
    if not service.is_process or service.runs_once or service.daemonizes is not False:
        return False
    if service.managed_by == "systemd":
        return systemd_type(service) in _FOREGROUND_TYPES
    return service.managed_by in _WATCHERS


def _watcher(service: Service) -> str:
    if service.managed_by == "systemd":
        return f"systemd (Type={systemd_type(service)})"
    return service.managed_by


def _forks(argv: tuple[str, ...]) -> tuple[str, str] | None:
    """Say how ``argv`` ends up in the background, and what to change; None: it does not."""
    script = shell_script(argv)
    if script is not None:
        commands = shell_commands(script)
        if not commands:
            return None
        if commands[-1].ended_by == "&":
            return "its sh -c script ends in '&'", "drop the '&' and exec the program"
        argv = program_words(commands[-1])
    if not argv:
        return None
    return _init_script(argv) or _daemonize_yes(argv) or _known_daemon(argv)


def _init_script(argv: tuple[str, ...]) -> tuple[str, str] | None:
    path = PurePosixPath(argv[0])
    if str(path.parent) in _SCRIPT_DIRECTORIES and argv[1:2] == ("start",):
        started = f"{path} start"
    elif path.name in _SERVICE_TOOLS and argv[2:3] == ("start",):
        started = f"{path.name} {argv[1]} start"
    else:
        return None
    return f"{started} returns once the daemon is in the background", "run the daemon itself"


def _daemonize_yes(argv: tuple[str, ...]) -> tuple[str, str] | None:
    for word, value in zip(argv, (*argv[1:], ""), strict=True):
        name, equals, attached = word.partition("=")
        if name not in _DAEMONIZE:
            continue
        if equals and attached.lower() in _YES:
            return f"{word} makes it daemonize", f"remove {word}"
        if not equals and value.lower() in _YES:
            return f"{word} {value} makes it daemonize", f"remove {word} {value}"
    return None


def _known_daemon(argv: tuple[str, ...]) -> tuple[str, str] | None:
    form = foreground(argv)
    if form is None or not form.changed or _says_foreground(form.rule, argv):
        return None
    if not form.removed and any(VARIABLE_REFERENCE.search(word) for word in argv):
        return None  # $OPTIONS may hold the foreground flag
    daemon = form.rule.daemon
    if not form.removed:
        return f"{daemon} daemonizes unless its configuration says not to", _change(form)
    return f"{_shown(form.removed)} makes {daemon} daemonize", _change(form)


def _change(form: ForegroundForm) -> str:
    """Say what turns the command into its foreground form."""
    if len(form.removed) == len(form.added) == 1:
        return f"replace {_shown(form.removed)} with {_shown(form.added)}"
    changes = [f"remove {_shown(form.removed)}"] if form.removed else []
    return ", ".join([*changes, *([f"add {_shown(form.added)}"] if form.added else [])])


def _says_foreground(rule: ForegroundRule, argv: tuple[str, ...]) -> bool:
    """Say whether a foreground flag is given a true value (``--foreground=true``)."""
    flags = (*rule.already_foreground_if, *rule.add[:1])
    for word in argv[1:]:
        name, equals, value = word.partition("=")
        if equals and name in flags and value.lower() in _YES:
            return True
    return False


def _shown(words: tuple[str, ...]) -> str:
    """Show words as they would be typed, quoting one holding a space or a semicolon."""
    return " ".join(f"'{word}'" if any(c in word for c in " ;") else word for word in words)
