"""SV601 health.listening-without-check: monit checks a server's process, not its port."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from translator.diagnostics import Severity
from translator.knowledge.control import request
from translator.knowledge.ports import default_port
from translator.lint.registry import Finding, rule
from translator.lint.rules._monit_checks import counterparts, monit_processes, names
from translator.model import Command, Host, NetworkProbe, Service, Span

_PORT_OPTIONS = frozenset(["--port", "-p", "--listen-port", "--http-port"])
"""Options whose value is the port the program listens on (``-p`` only when a number)."""
_ADDRESS_OPTIONS = frozenset(
    ["--listen", "--bind", "-b", "--address", "--addr", "--http", "--listen-address",
     "--bind-address"]
)  # fmt: skip
"""Options whose value is an address to listen on: ``host:port``, a port, ``unix:PATH``."""
_ANY_ADDRESS = frozenset(["", "*", "0.0.0.0", "[::]"])
"""Hosts of an address that can only be one to listen on (a bare ``:8080``)."""
_ADDRESS = re.compile(r"(?P<host>.*):(?P<port>\d{1,5})")
_MAX_PORT = 65535


@dataclass(frozen=True, slots=True)
class _Listener:
    """Where the service listens (``test`` in monit's words) and how that was learnt."""

    test: str
    source: str


@rule(
    code="SV601",
    name="health.listening-without-check",
    severity=Severity.WARNING,
    formats=("monit", "systemd", "supervisord", "initd"),
)
def find_unprobed_listeners(host: Host) -> Iterator[Finding]:
    """What it does: flags a monit check that never probes a service known to listen.

    The ``check process`` has no ``if failed port``, ``unixsocket`` or ``url`` test,
    and the service listens: by a port in its command line (``--port 8080``,
    ``--bind 0.0.0.0:8080``, ``:8080``), by a systemd ``.socket`` of the same name, or
    by the default port of a daemon svconv knows (``translator/knowledge/ports.yaml``,
    each entry citing its manual page). The message says which.

    Why it matters: a server that hangs, deadlocks or stops accepting keeps its
    process, so monit sees it running and never restarts it while clients time out.

    Example:
        ```monit monitrc
        check process api with pidfile /run/api.pid
          start program = "/usr/local/bin/api --port 8080 --daemon"
          stop program = "/usr/bin/pkill -F /run/api.pid"
        ```

    Use instead:
        ```monit monitrc
        check process api with pidfile /run/api.pid
          start program = "/usr/local/bin/api --port 8080 --daemon"
          stop program = "/usr/bin/pkill -F /run/api.pid"
          if failed port 8080 for 2 cycles then restart
        ```

    Fix: none; add ``if failed port PORT then restart`` (with ``protocol`` when monit
    speaks the server's, such as ``http`` or ``ssh``).
    """
    for check in monit_processes(host):
        if any(_tests_listening(health.probe) for health in check.health_checks):
            continue
        listener = _listener(host, check)
        if listener is not None:
            yield Finding(
                span=check.origin.span or Span(path="<input>", line=1, column=1),
                service=check.name,
                message=f"monit only checks that {check.name} runs, though it listens "
                f"({listener.source}): add `if failed {listener.test} then restart`",
            )


def _tests_listening(probe: object) -> bool:
    return isinstance(probe, NetworkProbe) and probe.transport != "icmp"


def _listener(host: Host, check: Service) -> _Listener | None:
    """Where the check's service listens, learnt from the surest source first."""
    others = counterparts(host, check)
    commands = [("its start program", _daemon_command(check))]
    commands += [(f"the command of {_named(o)}", o.start) for o in others]
    for source, command in commands:
        found = _from_argv(command.argv) if command is not None else None
        if found is not None:
            return _Listener(found[0], f"{found[1]} in {source}")
    for address, unit in _socket_addresses(host, names(check), others):
        test = _test(address)
        if test is not None:
            return _Listener(test, f"{unit} ListenStream={address}")
    programs = [PurePosixPath(c.argv[0]).name for _, c in commands if c is not None and c.argv]
    known = default_port(programs, names(check))
    if known is None:
        return None
    page = known.man.split(",")[0]
    return _Listener(f"port {known.port}", f"{known.daemon}'s default port, per {page}")


def _daemon_command(check: Service) -> Command | None:
    """The check's start program, unless it only asks a service manager."""
    start = check.start
    return start if start is not None and request(start.argv) is None else None


def _named(service: Service) -> str:
    return f"{service.name}.service" if service.managed_by == "systemd" else service.name


def _from_argv(argv: tuple[str, ...]) -> tuple[str, str] | None:
    """The monit test for the first listening address in ``argv``, and the words saying it."""
    for index, word in enumerate(argv[1:], start=1):
        option, equals, attached = word.partition("=")
        if equals and option.startswith("--"):
            value, shown = attached, word
        elif word in _PORT_OPTIONS | _ADDRESS_OPTIONS and index + 1 < len(argv):
            option, value, shown = word, argv[index + 1], f"{word} {argv[index + 1]}"
        else:
            option, value, shown = "", word, word
        test = _option_test(option, value)
        if test is not None:
            return test, shown
    return None


def _option_test(option: str, value: str) -> str | None:
    if option in _PORT_OPTIONS:
        return _port_test(value)
    if option in _ADDRESS_OPTIONS:
        return _test(value.removeprefix("unix:") if value.startswith("unix:/") else value)
    bare = _ADDRESS.fullmatch(value)
    return _port_test(bare["port"]) if bare and bare["host"] in _ANY_ADDRESS else None


def _test(address: str) -> str | None:
    """The monit test for a listening address: a port, ``host:port`` or a socket path."""
    if address.startswith("/"):
        return f"unixsocket {address}"
    found = _ADDRESS.fullmatch(address)
    return _port_test(found["port"] if found else address)


def _port_test(text: str) -> str | None:
    port = int(text) if text.isdigit() else 0
    return f"port {port}" if 0 < port <= _MAX_PORT else None


def _socket_addresses(
    host: Host, known: set[str], others: list[Service]
) -> Iterator[tuple[str, str]]:
    """The stream addresses of the service's socket units: read with it, or on their own."""
    for other in others:
        for socket in other.sockets:
            yield socket.address, f"{other.name}.socket"
    units = {f"{name}.socket" for name in known}
    for extra in host.extras:
        if extra.format == "systemd" and extra.key == "Socket.ListenStream" and extra.file in units:
            yield extra.value, extra.file
