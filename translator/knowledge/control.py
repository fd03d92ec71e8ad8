"""How one supervisor asks another to act on a service, and how pidfile paths compare.

A monit start program such as ``systemctl start web``, ``service web start``,
``/etc/init.d/web start`` or ``supervisorctl start web`` runs no daemon: it asks the
service manager that owns ``web`` to start it. ``request`` reads such a command back.

Imports: the standard library only.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePosixPath

INIT_DIRECTORIES = ("/etc/init.d", "/etc/rc.d/init.d")
"""Where SysV init scripts live (Debian, RHEL)."""
SYSTEMCTL = "/usr/bin/systemctl"
SUPERVISORCTL = "/usr/bin/supervisorctl"
VERBS = frozenset(
    ["start", "stop", "restart", "reload", "force-reload", "try-restart", "condrestart"]
)
"""The actions a control command is read for; anything else (``status``) is no request."""
_SUPERVISORCTL_VALUE_OPTIONS = frozenset(
    ["-c", "--configuration", "-s", "--serverurl", "-u", "--username", "-p", "--password",
     "-r", "--history-file"]
)  # fmt: skip


class Tool(str, Enum):
    """The command a request goes through."""

    SYSTEMCTL = "systemctl"
    SERVICE = "service"
    """``service NAME VERB``: runs the init script, or systemctl where systemd runs."""
    INIT_SCRIPT = "init-script"
    SUPERVISORCTL = "supervisorctl"


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """A command asking ``tool``'s manager to ``verb`` the service ``name``.

    ``name`` is bare: ``web``, not ``web.service`` (supervisorctl's ``group:web`` stays).
    """

    tool: Tool
    name: str
    verb: str

    @property
    def runs_init_script(self) -> bool:
        """Whether it runs the service's init script (directly or through ``service``)."""
        return self.tool in (Tool.SERVICE, Tool.INIT_SCRIPT)

    @property
    def systemctl_verb(self) -> str:
        """The systemctl verb that asks the same (RHEL's ``condrestart`` is ``try-restart``)."""
        return "try-restart" if self.verb == "condrestart" else self.verb


def request(argv: tuple[str, ...]) -> Request | None:
    """Read ``argv`` as a request to a service manager; None when it runs something else.

    Only a command of exactly the verb and the name (options aside) is one: a request
    with more words (``/etc/init.d/web start --debug``) could not be reworded unchanged.
    """
    if not argv:
        return None
    program = PurePosixPath(argv[0])
    if program.name == "systemctl":
        return _request(Tool.SYSTEMCTL, _words(argv[1:]), verb_first=True)
    if program.name == "supervisorctl":
        return _request(Tool.SUPERVISORCTL, _words(argv[1:], _SUPERVISORCTL_VALUE_OPTIONS), True)
    if program.name == "service":
        return _request(Tool.SERVICE, list(argv[1:]), verb_first=False)
    if str(program.parent) in INIT_DIRECTORIES:
        name = program.name.removesuffix(".sh")  # systemd-sysv-generator drops it too
        return _request(Tool.INIT_SCRIPT, [name, *argv[1:]], verb_first=False)
    return None


def _words(arguments: tuple[str, ...], value_options: frozenset[str] = frozenset()) -> list[str]:
    """Keep the arguments that are neither options nor the value of a ``value_options``."""
    words: list[str] = []
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument.startswith("-"):
            skip = argument in value_options
        else:
            words.append(argument)
    return words


def _request(tool: Tool, words: list[str], verb_first: bool) -> Request | None:
    if len(words) != 2:
        return None
    verb, name = words if verb_first else reversed(words)
    if verb not in VERBS:
        return None
    return Request(tool=tool, name=name.removesuffix(".service"), verb=verb)


def normal_pidfile(path: str | None) -> str | None:
    """Give ``path`` in one spelling (``/var/run`` is ``/run``); None unless absolute and known.

    A path holding a variable (``$PIDFILE``) or a value only running could tell is None.
    """
    if path is None or not path.startswith("/") or any(c in path for c in "$\x00\x01"):
        return None
    normal = posixpath.normpath(path)
    if normal == "/var/run" or normal.startswith("/var/run/"):
        normal = normal.removeprefix("/var")
    return normal
