"""A supervised service and its parts, in supervision terms rather than any format's.

Imports: the standard library only (model layer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from translator.model.extras import Comment, Extra
from translator.model.span import Origin, origin_field


class ServiceKind(str, Enum):
    """What is being supervised: a process, or something only watched."""

    PROCESS = "process"
    FILE = "file"
    DIRECTORY = "directory"
    FILESYSTEM = "filesystem"
    FIFO = "fifo"
    HOST = "host"
    SYSTEM = "system"
    PROGRAM = "program"
    NETWORK = "network"
    LISTENER = "event-listener"
    """A process that speaks its supervisor's event protocol (supervisord's listeners)."""


class RestartWhen(str, Enum):
    """When the supervisor starts a process again after it went away."""

    NEVER = "never"
    ALWAYS = "always"
    ON_FAILURE = "on-failure"


class Action(str, Enum):
    """What a supervisor does when a test fails or a limit is reached."""

    ALERT = "alert"
    RESTART = "restart"
    START = "start"
    STOP = "stop"
    UNMONITOR = "unmonitor"
    EXEC = "exec"
    GIVE_UP = "give-up"


VARIABLE_REFERENCE = re.compile(r"\$\$|\$\{(\w+)\}|\$(\w+)")
"""In a command that expands variables: ``$$`` (a literal dollar sign), ``${NAME}`` or
``$NAME`` (a reference; group 1 or 2 is the name)."""

INSTANCE_VARIABLE = "SVCONV_INSTANCE"
"""In a command that expands variables, ``${SVCONV_INSTANCE}`` is the instance number of a
service that runs several instances (supervisord's %(process_num)d, systemd's %i)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    """A program to run, as an argv list, with the identity and time it runs with.

    With ``expands_variables``, ``$NAME`` and ``${NAME}`` in argv are references to the
    environment, resolved when the command runs (a whole-word ``$NAME`` splits into
    words, ``${NAME}`` inside a word does not) and ``$$`` is a literal dollar sign;
    otherwise every character is literal.
    """

    argv: tuple[str, ...]
    user: str | None = None
    group: str | None = None
    timeout: float | None = None
    expands_variables: bool = False
    origin: Origin = origin_field()


@dataclass(frozen=True, slots=True, kw_only=True)
class RestartPolicy:
    """When and how soon a dead process is started again."""

    when: RestartWhen = RestartWhen.NEVER
    delay: float | None = None
    origin: Origin = origin_field()

    @property
    def is_automatic(self) -> bool:
        """Whether the supervisor restarts the process without being asked."""
        return self.when is not RestartWhen.NEVER


@dataclass(frozen=True, slots=True, kw_only=True)
class StartLimit:
    """At most ``burst`` starts within ``interval`` seconds, then ``action``.

    With no ``interval`` the starts are counted while they fail in a row (supervisord's
    startretries), however long that takes.
    """

    burst: int
    interval: float | None
    action: Action = Action.GIVE_UP
    origin: Origin = origin_field()


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkProbe:
    """Connect to a TCP/UDP port, a unix socket or ping a host, optionally speaking a protocol."""

    host: str | None = None
    port: int | None = None
    socket_path: str | None = None
    transport: str = "tcp"
    protocol: str | None = None
    request: str | None = None
    expect_status: int | None = None
    timeout: float | None = None
    details: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        """Say in a few words what is probed."""
        where = f"unix socket {self.socket_path}" if self.socket_path else f"port {self.port}"
        if self.transport == "icmp":
            where = f"ping {self.host or 'host'}"
        if self.transport == "url":
            where = dict(self.details).get("url", "a url")
        return f"{where} ({self.protocol})" if self.protocol else where


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceProbe:
    """Compare a measured quantity (cpu, memory, children, space, …) with a limit."""

    metric: str
    operator: str
    limit: float
    unit: str = ""

    def describe(self) -> str:
        """Say in a few words what is compared."""
        unit = self.unit if self.unit in ("", "%") else f" {self.unit}"
        return f"{self.metric} {self.operator} {self.limit:g}{unit}"


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributeProbe:
    """Check an attribute (permission, uid, checksum, pid, content, status, …).

    ``expected`` is the wanted value; ``changed`` means the test fires on any change
    of the attribute; ``negated`` inverts a content match.
    """

    attribute: str
    expected: str | None = None
    operator: str | None = None
    changed: bool = False
    negated: bool = False

    def describe(self) -> str:
        """Say in a few words what is checked."""
        if self.changed:
            return f"{self.attribute} changes"
        value = f" {self.operator or ''} {self.expected}" if self.expected is not None else ""
        return f"{self.attribute}{value}".replace("  ", " ")


@dataclass(frozen=True, slots=True, kw_only=True)
class ExistenceProbe:
    """The watched thing exists (or, with ``expect_exists=False``, does not)."""

    expect_exists: bool = True

    def describe(self) -> str:
        """Say in a few words what is checked."""
        return "existence" if self.expect_exists else "absence"


Probe = NetworkProbe | ResourceProbe | AttributeProbe | ExistenceProbe


@dataclass(frozen=True, slots=True, kw_only=True)
class HealthCheck:
    """A test run every probe round, and what to do when it fails.

    It fires after ``failures`` failed rounds within ``window`` rounds (1 of 1 by default).
    An ``exec`` action runs ``action_argv`` as ``action_user``/``action_group``, again
    every ``action_repeat`` rounds while the test fails.
    """

    probe: Probe
    failures: int = 1
    window: int = 1
    action: Action = Action.ALERT
    action_argv: tuple[str, ...] = ()
    action_user: str | None = None
    action_group: str | None = None
    action_repeat: int | None = None
    recovery: Action | None = None
    recovery_argv: tuple[str, ...] = ()
    origin: Origin = origin_field()


class Binding(str, Enum):
    """How strongly a service needs another it depends on."""

    WANTS = "wants"
    """Start it along; this one runs even if it fails or stops."""
    REQUIRES = "requires"
    """This one fails if it fails to start, and stops when it is stopped."""
    BINDS = "binds"
    """As REQUIRES, and this one also stops whenever it stops by itself."""
    ORDERS = "orders"
    """Only order: when both start, this one starts after it; it is not started for us."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Dependency:
    """Another service this one needs, how strongly, and (``is_ordered``) started first.

    ``name`` is a service's name, or a unit of another kind with its suffix
    (``rpcbind.socket``, ``network-online.target``).
    """

    name: str
    is_ordered: bool = True
    binding: Binding = Binding.REQUIRES
    origin: Origin = origin_field()


class HookTime(str, Enum):
    """When a hook command runs, relative to the service's own start and stop."""

    BEFORE_START = "before-start"
    AFTER_START = "after-start"
    AFTER_STOP = "after-stop"


@dataclass(frozen=True, slots=True, kw_only=True)
class Hook:
    """A command run around the service's start or stop (setup, cleanup, readiness).

    A failing hook fails the start, unless ``ignores_failure``.
    """

    when: HookTime
    command: Command
    ignores_failure: bool = False
    origin: Origin = origin_field()


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceLimit:
    """A ceiling the process runs under.

    ``resource`` is an rlimit name as ``prlimit`` spells it (``nofile``, ``nproc``,
    ``core``, …; ``value`` ``soft[:hard]``, ``infinity`` for none), or ``memory``
    (bytes with an optional K/M/G/T suffix, or a percentage of RAM) or ``cpu-quota``
    (a percentage of one CPU).
    """

    resource: str
    value: str
    origin: Origin = origin_field()


@dataclass(frozen=True, slots=True, kw_only=True)
class Alert:
    """Where notices about this service go, and for which events (all when empty)."""

    recipient: str
    events: tuple[str, ...] = ()
    is_exclusion: bool = False
    origin: Origin = origin_field()


@dataclass(frozen=True, slots=True, kw_only=True)
class Output:
    """Where a stream goes: ``journal``, ``null``, ``inherit`` or a ``file`` at ``path``."""

    kind: str
    path: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ListenSocket:
    """A socket the supervisor opens and hands the process as its standard input.

    ``address`` is ``host:port`` for TCP or an absolute path for a unix socket;
    ``owner``/``group``/``mode`` apply to a unix socket's file.
    """

    address: str
    owner: str | None = None
    group: str | None = None
    mode: str | None = None
    backlog: int | None = None

    @property
    def is_unix(self) -> bool:
        """Whether it is a unix socket (a path) rather than TCP."""
        return self.address.startswith("/")


@dataclass(frozen=True, slots=True, kw_only=True)
class EnvironmentFile:
    """A file of ``KEY=value`` lines read into the environment; optional ones may be absent."""

    path: str
    is_optional: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Service:
    """One supervised thing and everything its supervisor knows about it.

    ``daemonizes`` says whether the start command returns and leaves the daemon
    running in the background (None: unknown). ``runs_once``: the process does its work
    and exits (a task, not a daemon), so an exit is the end of its run. ``stop_signal``
    is a name such as ``SIGTERM``; ``stop_timeout`` the seconds to wait after it before
    killing.
    ``stops_process_group``/``kills_process_group``: the stop signal and the final kill go
    to the whole process group, not just the main process (None: not said).
    ``success_exit_codes``: exits that count as clean. ``min_uptime``: seconds a process
    must stay up to count as started. ``start_order``: lower starts first (and stops last).
    ``instances`` copies run, numbered from ``first_instance``; ``instance_format`` (printf)
    writes a number in their names and in ``${SVCONV_INSTANCE}`` of their commands.
    Which fields the input set explicitly, rather than left to the format's default, is
    what ``origin.fields`` has a span for.
    """

    name: str
    kind: ServiceKind = ServiceKind.PROCESS
    target: str | None = None
    description: str | None = None
    start: Command | None = None
    stop: Command | None = None
    restart_command: Command | None = None
    reload: Command | None = None
    working_directory: str | None = None
    user: str | None = None
    group: str | None = None
    umask: str | None = None
    environment: tuple[tuple[str, str], ...] = ()
    environment_files: tuple[EnvironmentFile, ...] = ()
    stdout: Output | None = None
    stderr: Output | None = None
    pidfile: str | None = None
    daemonizes: bool | None = None
    runs_once: bool = False
    match_pattern: str | None = None
    stop_signal: str | None = None
    stop_timeout: float | None = None
    stops_process_group: bool | None = None
    kills_process_group: bool | None = None
    restart: RestartPolicy = RestartPolicy()
    success_exit_codes: tuple[int, ...] = (0,)
    min_uptime: float | None = None
    start_limit: StartLimit | None = None
    start_order: int | None = None
    health_checks: tuple[HealthCheck, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    hooks: tuple[Hook, ...] = ()
    limits: tuple[ResourceLimit, ...] = ()
    groups: tuple[str, ...] = ()
    enabled_at_boot: bool = True
    instances: int = 1
    sockets: tuple[ListenSocket, ...] = ()
    first_instance: int = 0
    instance_format: str = "%d"
    alerts: tuple[Alert, ...] = ()
    extras: tuple[Extra, ...] = ()
    comments: tuple[Comment, ...] = ()
    managed_by: str = ""
    origin: Origin = origin_field()

    @property
    def is_process(self) -> bool:
        """Whether the supervisor runs a process for it (rather than only watching)."""
        return self.kind is ServiceKind.PROCESS

    @property
    def is_watched(self) -> bool:
        """Whether it is only watched (a file, a host, …), so any watcher can take it."""
        return self.kind not in (ServiceKind.PROCESS, ServiceKind.LISTENER)
