"""Read systemd service units into the supervision model.

This covers the keys svconv itself writes and their common neighbours; drop-ins,
specifiers and templates come with issue #5. Every other key is kept as an extra.
Imports: model, diagnostics, errors, formats/_grammar, formats/systemd.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any

from lark import Token, Transformer, UnexpectedInput, v_args
from lark.tree import Meta

from translator.diagnostics import Diagnostic, IncludeLoader, ParseResult, Severity
from translator.errors import ParseError
from translator.formats import _grammar
from translator.formats._options import ParseOptions
from translator.formats.systemd import quoting, syntax
from translator.formats.systemd.control import target_group
from translator.model import (
    INSTANCE_VARIABLE,
    Binding,
    Command,
    Comment,
    Dependency,
    EnvironmentFile,
    Extra,
    Hook,
    HookTime,
    Host,
    ListenSocket,
    Origin,
    Output,
    ResourceLimit,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    Span,
    StartLimit,
)

FORMAT = "systemd"
DEFAULT_TIMEOUT = 90.0
DEFAULT_RESTART_DELAY = 0.1
DEFAULT_START_LIMIT = StartLimit(burst=5, interval=10.0)
DEFAULTS: dict[str, object] = {
    "enabled_at_boot": False,
    "daemonizes": False,  # Type=simple
    "stop_signal": "SIGTERM",
    "stop_timeout": DEFAULT_TIMEOUT,
    "stops_process_group": True,  # KillMode=control-group
    "kills_process_group": True,
    "stdout": Output(kind="managed"),  # the journal
    "stderr": Output(kind="inherit"),  # wherever stdout goes
    "start_limit": DEFAULT_START_LIMIT,
}
"""What systemd does with a model field a unit leaves unsaid."""
PREFIX_SUFFIX = ":prefix"
TEMPLATE_KEY = ":template"
"""An extra marking a unit read from a ``NAME@.service`` template file."""
"""An extra ``Service.ExecStart:prefix`` holds the prefixes (``-@:+!``) of that line."""
_RESTART = {
    "always": RestartWhen.ALWAYS,
    "on-failure": RestartWhen.ON_FAILURE,
    "no": RestartWhen.NEVER,
}
_TYPES = ("simple", "exec", "forking", "oneshot", "dbus", "notify", "notify-reload", "idle")
_RESTART_APPROXIMATED = ("on-success", "on-abnormal", "on-abort", "on-watchdog")
_BINDINGS = {"Wants": Binding.WANTS, "Requires": Binding.REQUIRES, "BindsTo": Binding.BINDS}
_HOOKS = {
    "ExecStartPre": HookTime.BEFORE_START,
    "ExecStartPost": HookTime.AFTER_START,
    "ExecStopPost": HookTime.AFTER_STOP,
}
RLIMITS = (
    "CPU", "FSIZE", "DATA", "STACK", "CORE", "RSS", "NOFILE", "AS", "NPROC", "MEMLOCK",
    "LOCKS", "SIGPENDING", "MSGQUEUE", "NICE", "RTPRIO", "RTTIME",
)  # fmt: skip
"""The ``Limit*=`` settings, as ``LimitNOFILE=`` names RLIMIT_NOFILE."""
CGROUP_LIMITS = {"MemoryMax": "memory", "CPUQuota": "cpu-quota"}
_TIME_UNITS = {
    "us": 1e-6,
    "ms": 1e-3,
    "s": 1,
    "sec": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
}
_ALIAS = re.compile(r"[\w@:./\\-]+\.(service|socket|target|timer|path|mount)")
_SPECIFIER = re.compile(r"%(.)", re.DOTALL)
# Specifiers only the host that runs the unit knows (boot id, machine id, kernel, …):
# they stay references, written back as themselves.
_HOST_SPECIFIERS = "aAbBdmMoqsvwWyY"
SPECIFIER_VARIABLE = "SVCONV_SYSTEMD_"
_TIME_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]*)")


@dataclass(frozen=True, slots=True)
class _Entry:
    section: str
    key: str
    value: str
    span: Span
    comments: tuple[Comment, ...] = ()
    """The comment lines just before it (or before its section's header)."""


END_OF_FILE = ":end"
"""Where a comment after the last setting of a file goes (``Comment.before``)."""


@v_args(meta=True)
class _Entries(Transformer[Token, list[_Entry]]):
    def __init__(self, source: Source) -> None:
        super().__init__()
        self._path = source.path
        self.ignored: list[Diagnostic] = []

    def start(self, meta: Meta, items: list[Any]) -> list[_Entry]:
        entries: list[_Entry] = []
        section = ""
        pending: list[Comment] = []  # comment lines waiting for what they come before
        for item in items:
            if isinstance(item, Comment):
                pending.append(item)
            elif isinstance(item, str):
                section = item
                pending = [c if c.before else replace(c, before=f"[{section}]") for c in pending]
            elif not section:  # systemd warns and ignores it
                key, _, span = item
                self.ignored.append(_ignored(span, f"{key}= before any [Section]"))
            else:
                key, value, span = item
                before = f"{section}.{key}"
                comments = tuple(c if c.before else replace(c, before=before) for c in pending)
                entries.append(_Entry(section, key, value, span, comments))
                pending = []
        if pending and entries:  # after the last setting
            last = entries[-1]
            end = tuple(replace(c, before=c.before or END_OF_FILE) for c in pending)
            entries[-1] = replace(last, comments=last.comments + end)
        return entries

    def comment(self, meta: Meta, children: list[Token]) -> Comment:
        span = Span(path=self._path, line=meta.line, column=meta.column)
        return Comment(
            format=FORMAT, before="", text=str(children[0]).strip(), origin=Origin(span=span)
        )

    def header(self, meta: Meta, children: list[Token]) -> str:
        return str(children[0])[1:-1]

    def entry(self, meta: Meta, children: list[Token]) -> tuple[str, str, Span]:
        key = children[0]
        raw = str(children[1]) if len(children) > 1 else ""
        span = Span(
            path=self._path,
            line=key.line or 1,
            column=key.column or 1,
            end_line=meta.end_line or 1,
            end_column=meta.end_column or 1,
        )
        return str(key), _join_continuations(raw), span


def _ignored(span: Span, what: str) -> Diagnostic:
    return Diagnostic(
        code="SV110",
        severity=Severity.WARNING,
        span=span,
        message=f"{what}: systemd ignores it, and so does svconv",
    )


def _join_continuations(raw: str) -> str:
    r"""Glue ``\``-continued lines into one value, skipping comment lines between."""
    lines = raw.split("\n")
    kept = [lines[0]] + [line for line in lines[1:] if not line.lstrip().startswith(("#", ";"))]
    return " ".join(line.removesuffix("\\").strip() for line in kept).strip()


@dataclass(slots=True)
class _Draft:
    fields: dict[str, Any] = field(default_factory=dict)
    spans: dict[str, Span] = field(default_factory=dict)
    extras: list[Extra] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    limit: dict[str, Any] = field(default_factory=dict)
    starts: list[tuple[Command, _Entry]] = field(default_factory=list)
    specifiers: dict[str, str] = field(default_factory=dict)
    after: list[_Entry] = field(default_factory=list)
    hooks: list[_Entry] = field(default_factory=list)
    ignored: list[Diagnostic] = field(default_factory=list)


_Handler = Callable[[_Draft, _Entry], None]
_Converter = Callable[[str, Span], object]


def parse(
    source: Source,
    *,
    load_include: IncludeLoader | None = None,
    options: ParseOptions | None = None,
) -> ParseResult:
    """Parse one ``.service`` unit into a host holding that one service.

    A ``.target`` holds no service. ``load_include`` will find drop-ins and ``options``
    resolve specifiers (issue #5); neither is used yet.
    """
    return parse_many([source], load_include=load_include, options=options)


def parse_many(
    sources: list[Source],
    *,
    load_include: IncludeLoader | None = None,
    options: ParseOptions | None = None,
) -> ParseResult:
    """Parse units together, as systemd loads a directory of them.

    A target wanting ``NAME@01.service`` … gives ``NAME@.service`` its instance count; a
    socket unit of a service read with it hands it its sockets; a group target of its
    members is theirs. Units of other kinds (timers, paths, …) are kept setting by setting.
    """
    options = options or ParseOptions()
    reading = _Reading(host_node_name=options.host_node_name, keep_dropins=options.keep_dropins)
    for source in sources:
        note = _nothing_of_its_own(source)
        if note:
            reading.diagnostics.append(
                Diagnostic(
                    code="SV805",
                    severity=Severity.INFO,
                    span=Span(path=source.path, line=1, column=1),
                    message=f"{note}; nothing of its own to translate",
                )
            )
            continue
        entries = _entries(source, reading.diagnostics)
        for name, drop_in in _drop_ins(source, load_include, reading.diagnostics):
            if reading.keep_dropins:  # written back as a file of its own
                reading.keep_unit(name, drop_in)
            else:
                entries += drop_in
            done = "kept as a file of its own" if reading.keep_dropins else "merged"
            reading.diagnostics.append(
                Diagnostic(
                    code="SV806",
                    severity=Severity.INFO,
                    span=Span(path=source.path, line=1, column=1),
                    message=f"drop-in {name} {done}",
                )
            )
        reading.add(source, entries)
    span = Span(path=sources[0].path, line=1, column=1)
    return ParseResult(
        host=Host(
            services=tuple(reading.services()),
            extras=tuple(reading.kept),
            comments=tuple(reading.kept_comments),
            origin=Origin(span=span),
        ),
        # a drop-in read with its unit and on its own is reported once
        diagnostics=tuple(dict.fromkeys(reading.diagnostics)),
    )


@dataclass(slots=True)
class _Reading:
    """The units of one parse, sorted by what the model makes of them."""

    host_node_name: str
    keep_dropins: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    drafts: list[Service] = field(default_factory=list)
    wanted: dict[str, bool] = field(default_factory=dict)  # unit -> its target is enabled
    sockets: dict[str, list[_Entry]] = field(default_factory=dict)
    targets: dict[str, list[_Entry]] = field(default_factory=dict)
    kept: list[Extra] = field(default_factory=list)  # units of other kinds
    kept_comments: list[Comment] = field(default_factory=list)  # and their comments

    def add(self, source: Source, entries: list[_Entry]) -> None:
        unit = PurePosixPath(source.path).name
        if unit.endswith(".socket") and _is_plain_socket(entries):
            self.sockets[unit.removesuffix(".socket")] = entries
        elif unit.endswith(".target") and _wants_instances(entries):
            enabled = any(e.section == "Install" and e.key == "WantedBy" for e in entries)
            self.wanted |= {
                w: enabled for e in entries if e.key == "Wants" for w in e.value.split()
            }
        elif unit.endswith(".target") and _is_group_target(unit, entries):
            self.targets[unit] = entries  # a group, if its members are here
        elif unit.endswith(".service"):
            self.drafts.append(self._service(source, unit, entries))
        else:
            self.keep_unit(unit, entries)

    def keep_unit(self, unit: str, entries: list[_Entry]) -> None:
        """Keep a file the model has no place for, setting by setting, comments too."""
        self.kept += _unit_file(unit, entries)
        comments = (comment for entry in entries for comment in entry.comments)
        self.kept_comments += [replace(comment, file=unit) for comment in comments]

    def _service(self, source: Source, unit: str, entries: list[_Entry]) -> Service:
        name = unit.removesuffix(".service").removesuffix("@")
        draft = _Draft(specifiers=_specifiers(unit, self.host_node_name))
        for entry in entries:
            _apply(draft, entry)
        if unit.endswith("@.service"):
            draft.extras.append(
                Extra(
                    format=FORMAT,
                    key=TEMPLATE_KEY,
                    value=name,
                    origin=Origin(span=Span(path=source.path, line=1, column=1)),
                )
            )
        self.diagnostics.extend(draft.ignored)
        comments = tuple(comment for entry in entries for comment in entry.comments)
        return replace(_finish(name, draft, source), comments=comments)

    def services(self) -> list[Service]:
        """Finish the services with what other units say of them; keep the rest."""
        services = _distinct_templates(self.drafts)
        for unit, entries in self.targets.items():
            members = {s.name for s in services if target_group(unit) in s.groups}
            if not _wanted_names(entries) <= members:  # more than its members say
                self.keep_unit(unit, entries)
        names = {service.name for service in services}
        for name, entries in self.sockets.items():
            if name not in names:  # no service of its own here: kept as written
                self.keep_unit(f"{name}.socket", entries)
        return [
            _with_sockets(_with_instances(service, self.wanted), self.sockets.get(service.name))
            for service in services
        ]


def _with_sockets(service: Service, entries: list[_Entry] | None) -> Service:
    """Hand ``service`` the sockets of its socket unit, which then says StandardInput=.

    The socket unit's comments go with it, marked with its file name.
    """
    if entries is None:
        return service
    extras = tuple(e for e in service.extras if e.key != "Service.StandardInput")
    unit = f"{service.name}.socket"
    comments = tuple(replace(c, file=unit) for e in entries for c in e.comments)
    return replace(
        service,
        sockets=_sockets(entries),
        extras=extras,
        comments=service.comments + comments,
    )


def _wanted_names(entries: list[_Entry]) -> set[str]:
    """Name the services a target wants (a template's instances by its own target)."""
    return {
        unit.removesuffix(".service").removesuffix(".target")
        for e in entries
        if e.key == "Wants"
        for unit in e.value.split()
    }


def _nothing_of_its_own(source: Source) -> str | None:
    """Say why a unit file holds no unit: an alias, or masked (empty, or /dev/null)."""
    alias = _ALIAS.fullmatch(source.text.strip())
    if alias:  # a flattened alias symlink: the file holds the name of the real unit
        return f"an alias of {alias.group()}"
    if not source.text.strip():
        return "masked (an empty file or a link to /dev/null): systemd will not start it"
    return None


def _distinct_templates(services: list[Service]) -> list[Service]:
    """Name a template ``NAME@`` when ``NAME.service`` is read with it (tor, dnsmasq)."""
    plain = {s.name for s in services if not _is_template(s)}
    return [
        replace(s, name=f"{s.name}@") if _is_template(s) and s.name in plain else s
        for s in services
    ]


def _is_template(service: Service) -> bool:
    return any(e.format == FORMAT and e.key == TEMPLATE_KEY for e in service.extras)


_PLAIN_SOCKET_KEYS = {
    ("Socket", key)
    for key in ("ListenStream", "SocketUser", "SocketGroup", "SocketMode", "Backlog")
}


def _is_plain_socket(entries: list[_Entry]) -> bool:
    """Whether a socket unit only listens on stream sockets, which the model holds.

    Anything more (datagrams, ``Accept=``, its own dependencies) keeps it a file of its own.
    """
    return all(
        (e.section, e.key) in _PLAIN_SOCKET_KEYS
        or (e.section, e.key) == ("Unit", "Description")
        or (e.section, e.key, e.value) == ("Install", "WantedBy", "sockets.target")
        for e in entries
    )


def _wants_instances(entries: list[_Entry]) -> bool:
    """Whether a target only groups instances of a template (``NAME@01.service`` …)."""
    wants = [unit for e in entries if e.key == "Wants" for unit in e.value.split()]
    return (
        bool(wants)
        and all("@" in unit and unit.endswith(".service") for unit in wants)
        and all(
            e.key == "Wants"
            or (e.section, e.key) in (("Unit", "Description"), ("Install", "WantedBy"))
            for e in entries
        )
    )


def _is_group_target(unit: str, entries: list[_Entry]) -> bool:
    """Whether a target is what svconv writes for a service group: members it wants."""
    description = f"Service group {target_group(unit)}"
    return all(
        e.key == "Wants" or (e.section, e.key, e.value) == ("Unit", "Description", description)
        for e in entries
    )


def _unit_file(unit: str, entries: list[_Entry]) -> list[Extra]:
    """Keep a unit the model has no place for (a timer, a path, …), setting by setting."""
    return [
        Extra(
            format=FORMAT,
            key=f"{e.section}.{e.key}",
            value=e.value,
            file=unit,
            origin=Origin(span=e.span),
        )
        for e in entries
    ]


def _drop_ins(
    source: Source, load_include: IncludeLoader | None, diagnostics: list[Diagnostic]
) -> list[tuple[str, list[_Entry]]]:
    """Read the unit's drop-ins in file-name order, to merge after its own entries.

    They are ``NAME.d/*.conf``, and for an instance also its template's ``NAME@.d``;
    each comes with its name, ``DIRECTORY/FILE.conf``.
    """
    if load_include is None:
        return []
    unit = PurePosixPath(source.path).name
    directories = [f"{unit}.d"]
    if "@" in unit and not unit.split("@", 1)[1].startswith("."):
        directories.insert(0, unit.split("@", 1)[0] + "@" + unit[unit.rindex(".") :] + ".d")
    span = Span(path=source.path, line=1, column=1)
    found = {
        PurePosixPath(d.path).name: d
        for directory in directories
        for d in load_include(f"{directory}/*.conf", span)
    }
    return [
        (
            f"{PurePosixPath(found[name].path).parent.name}/{name}",
            _entries(found[name], diagnostics, is_input=False),
        )
        for name in sorted(found)
    ]


def _entries(
    source: Source, diagnostics: list[Diagnostic], *, is_input: bool = True
) -> list[_Entry]:
    """Read one file's assignments; what systemd ignores goes to ``diagnostics``.

    Lint's notes on its lines (``syntax``) are given for an input file only, not for a
    drop-in read with its unit: they belong to the files linted, against their text.
    """
    try:
        tree = _grammar.load("systemd").parse(source.text.rstrip("\n") + "\n")
    except UnexpectedInput as error:
        span = Span(path=source.path, line=error.line or 1, column=error.column or 1)
        raise ParseError("expected [Section] or Key=Value", span, code="SV101") from None
    reader = _Entries(source)
    entries = _grammar.transform(reader, tree)
    diagnostics.extend(reader.ignored)
    if is_input:
        diagnostics.extend(syntax.check(source, entries))
    return entries


def _sockets(entries: list[_Entry]) -> tuple[ListenSocket, ...]:
    """Read the stream sockets a socket unit listens on, with their file's owner and mode."""
    options = {e.key: e.value for e in entries if e.section == "Socket"}
    backlog = options.get("Backlog")
    return tuple(
        ListenSocket(
            address=e.value,
            owner=options.get("SocketUser"),
            group=options.get("SocketGroup"),
            mode=options.get("SocketMode"),
            backlog=int(backlog) if backlog and backlog.isdigit() else None,
        )
        for e in entries
        if e.section == "Socket" and e.key == "ListenStream"
    )


def _start_commands(draft: _Draft, fields: dict[str, Any]) -> None:
    """One ExecStart=, except that a oneshot service may list several, run in order."""
    if not draft.starts:
        return
    if len(draft.starts) > 1 and not draft.fields.get("runs_once"):
        raise ParseError(
            "more than one ExecStart= in a service that is not Type=oneshot",
            draft.starts[1][1].span,
            code="SV101",
        )
    fields["start"] = draft.starts[0][0]
    for _, later in draft.starts[1:]:  # kept as written, prefixes and all
        draft.extras.append(
            Extra(
                format=FORMAT,
                key="Service.ExecStart",
                value=later.value,
                origin=Origin(span=later.span),
            )
        )


def _with_instances(service: Service, wanted: dict[str, bool]) -> Service:
    """Count the instances of a template that a target wants; name their number format."""
    units = [
        unit for unit in wanted if unit.startswith(f"{service.name}@") and unit.endswith(".service")
    ]
    numbers = [unit.removeprefix(f"{service.name}@").removesuffix(".service") for unit in units]
    if not numbers or not all(number.isdigit() for number in numbers):
        return service
    width = len(numbers[0])
    padded = width > 1 and numbers[0].startswith("0")
    return replace(
        service,
        instances=len(numbers),
        first_instance=min(int(n) for n in numbers),
        instance_format=f"%0{width}d" if padded else "%d",
        groups=tuple(g for g in service.groups if g != service.name),
        enabled_at_boot=any(wanted[unit] for unit in units),
    )


_SPAN_NAMES = {
    "Environment": "environment",
    "EnvironmentFile": "environment_files",
    "StandardOutput": "stdout",
    "StandardError": "stderr",
}


_RESETS = {
    "ExecStart": ("start",), "ExecStop": ("stop",), "ExecReload": ("reload",),
    "Environment": ("environment",), "EnvironmentFile": ("environment_files",),
    "PartOf": ("groups",), "SuccessExitStatus": (),
}  # fmt: skip


def _apply(draft: _Draft, entry: _Entry) -> None:
    if not entry.value:  # an empty assignment empties a list setting
        _reset(draft, entry)
        return
    handler = _HANDLERS.get((entry.section, entry.key))
    if entry.key in _SPAN_NAMES:
        draft.spans.setdefault(_SPAN_NAMES[entry.key], entry.span)
    if handler is None:
        _keep(draft, entry)
        return
    handler(draft, entry)


def _reset(draft: _Draft, entry: _Entry) -> None:
    key = f"{entry.section}.{entry.key}"
    draft.extras = [extra for extra in draft.extras if extra.key != key]
    for name in _RESETS.get(entry.key, ()):
        draft.fields.pop(name, None)
    if entry.key in _BINDINGS:
        binding = _BINDINGS[entry.key]
        draft.dependencies[:] = [d for d in draft.dependencies if d.binding is not binding]
    draft.hooks[:] = [hook for hook in draft.hooks if hook.key != entry.key]
    if entry.key == "ExecStart":
        draft.starts.clear()
    resource = _limit_resource(entry.key)
    if resource:
        limits = draft.fields.get("limits", ())
        draft.fields["limits"] = tuple(x for x in limits if x.resource != resource)


def _keep(draft: _Draft, entry: _Entry) -> None:
    """Keep a setting the model has no field for, to write it back unchanged."""
    draft.extras.append(
        Extra(
            format=FORMAT,
            key=f"{entry.section}.{entry.key}",
            value=entry.value,
            origin=Origin(span=entry.span),
        )
    )


def _set(name: str, convert: _Converter) -> _Handler:
    def handler(draft: _Draft, entry: _Entry) -> None:
        draft.fields[name] = convert(entry.value, entry.span)
        draft.spans[name] = entry.span

    return handler


def _text(value: str, span: Span) -> str:
    return value


def _seconds(value: str, span: Span) -> float:
    """Parse a systemd time span ("90", "1min 30s", "5s", "infinity")."""
    if value.strip() == "infinity":
        return math.inf
    parts = _TIME_PART.findall(value.strip())
    if not parts or "".join(value.split()) != "".join(n + u for n, u in parts):
        raise ParseError(f"invalid time span {value!r}", span, code="SV101")
    try:
        return sum(float(number) * _TIME_UNITS[unit or "s"] for number, unit in parts)
    except KeyError as error:
        raise ParseError(f"unknown time unit {error.args[0]!r}", span, code="SV101") from None


def _specifiers(unit: str, host: str) -> dict[str, str]:
    """Map each specifier to what it stands for in ``unit`` under the system manager.

    A template's instance (``%i``, ``%I``) stays a reference, so a template stays one;
    ``%h``/``%u``/… are the manager's (root's), not ``User=``'s.
    """
    name, _, suffix = unit.rpartition(".")
    prefix, at, instance = name.partition("@")
    instance = "${" + INSTANCE_VARIABLE + "}" if at and not instance else instance
    return {
        "n": unit if not at or instance != "${" + INSTANCE_VARIABLE + "}" else
        f"{prefix}@{instance}.{suffix}",
        "N": f"{prefix}@{instance}" if at else name, "p": prefix, "P": prefix,
        "i": instance, "I": instance, "j": prefix.rpartition("-")[2],
        "J": prefix.rpartition("-")[2], "f": "/" + (instance or prefix), "h": "/root",
        "u": "root", "U": "0", "g": "root", "G": "0", "H": host, "l": host.split(".")[0],
        "t": "/run", "S": "/var/lib", "C": "/var/cache", "L": "/var/log", "E": "/etc",
        "T": "/tmp", "V": "/var/tmp",
    } | {x: "${" + SPECIFIER_VARIABLE + x + "}" for x in _HOST_SPECIFIERS}  # fmt: skip


def _resolve_specifiers(value: str, span: Span, specifiers: dict[str, str]) -> str:
    """Replace ``%X`` by what it stands for (``%%`` stays for the word splitter)."""

    def replace_one(match: re.Match[str]) -> str:
        letter = match.group(1)
        if letter == "%":
            return "%%"
        if letter not in specifiers:
            raise ParseError(
                f"unknown specifier %{letter} (write %% for a percent sign)", span, code="SV101"
            )
        return specifiers[letter].replace("%", "%%")

    return _SPECIFIER.sub(replace_one, value)


def _command(value: str, span: Span, specifiers: dict[str, str]) -> Command:
    value = _resolve_specifiers(value, span, specifiers) if specifiers else value
    argv, _prefixes = quoting.split(value, span)
    if quoting.has_references(argv):
        return Command(argv=argv, expands_variables=True, origin=Origin(span=span))
    return Command(argv=quoting.literal(argv), origin=Origin(span=span))


def _exec(slot: str) -> _Handler:
    """Read ExecStop=/ExecReload=; their prefixes (``-``, ``+``, …) are kept as an extra."""

    def handler(draft: _Draft, entry: _Entry) -> None:
        draft.fields[slot] = _command(entry.value, entry.span, draft.specifiers)
        draft.spans[slot] = entry.span
        _keep_prefixes(draft, entry)

    return handler


def _keep_prefixes(draft: _Draft, entry: _Entry) -> None:
    _, prefixes = quoting.split(entry.value, entry.span)
    key = f"{entry.section}.{entry.key}{PREFIX_SUFFIX}"
    draft.extras = [extra for extra in draft.extras if extra.key != key]
    if prefixes:
        draft.extras.append(
            Extra(format=FORMAT, key=key, value=prefixes, origin=Origin(span=entry.span))
        )


def _exec_start(draft: _Draft, entry: _Entry) -> None:
    draft.starts.append((_command(entry.value, entry.span, draft.specifiers), entry))
    draft.spans.setdefault("start", entry.span)
    if len(draft.starts) == 1:
        _keep_prefixes(draft, entry)


def _type(draft: _Draft, entry: _Entry) -> None:
    if entry.value not in _TYPES:
        draft.ignored.append(_ignored(entry.span, f"Type={entry.value} is not a value"))
        return
    draft.extras = [extra for extra in draft.extras if extra.key != "Service.Type"]
    draft.fields["daemonizes"] = entry.value == "forking"
    draft.fields["runs_once"] = entry.value == "oneshot"
    draft.spans["daemonizes"] = draft.spans["runs_once"] = entry.span
    if entry.value not in ("forking", "simple", "oneshot"):
        _keep(draft, entry)


def _restart(draft: _Draft, entry: _Entry) -> None:
    when = _RESTART.get(entry.value)
    if entry.value in _RESTART_APPROXIMATED:  # kept for systemd, approximated elsewhere
        _keep(draft, entry)
        when = RestartWhen.ON_FAILURE
    elif when is None:
        draft.ignored.append(_ignored(entry.span, f"Restart={entry.value} is not a value"))
        return
    draft.fields["restart_when"] = when
    draft.spans["restart"] = entry.span


def _restart_delay(draft: _Draft, entry: _Entry) -> None:
    draft.fields["restart_delay"] = _seconds(entry.value, entry.span)
    draft.spans["restart.delay"] = entry.span


def _unit_reference(unit: str) -> str:
    """Name a service without ``.service``; other units keep their suffix."""
    return unit.removesuffix(".service")


def _depends(draft: _Draft, entry: _Entry) -> None:
    binding = _BINDINGS[entry.key]
    for unit in entry.value.split():
        name = _unit_reference(unit)
        if all((d.name, d.binding) != (name, binding) for d in draft.dependencies):
            draft.dependencies.append(
                Dependency(name=name, binding=binding, origin=Origin(span=entry.span))
            )


def _hook(draft: _Draft, entry: _Entry) -> None:
    draft.hooks.append(entry)  # hooks or extras, once all lines of the key are read


def _hooks(draft: _Draft) -> tuple[Hook, ...]:
    """Turn ExecStartPre=/…Post= lines into hooks, or a key's lines into extras.

    A key's lines stay extras when one of them has a prefix the model cannot hold
    (``+``, ``!``, ``@``, ``:``): all lines of a key go one way, to keep their order.
    """
    hooks = []
    for key, when in _HOOKS.items():
        entries = [entry for entry in draft.hooks if entry.key == key]
        split = [quoting.split(entry.value, entry.span)[1] for entry in entries]
        if any(prefixes.replace("-", "") for prefixes in split):
            for entry in entries:
                _keep(draft, entry)
            continue
        hooks += [
            Hook(
                when=when,
                command=_command(entry.value, entry.span, draft.specifiers),
                ignores_failure="-" in prefixes,
                origin=Origin(span=entry.span),
            )
            for entry, prefixes in zip(entries, split, strict=True)
        ]
    return tuple(hooks)


def _limit_resource(key: str) -> str | None:
    if key.startswith("Limit") and key.removeprefix("Limit") in RLIMITS:
        return key.removeprefix("Limit").lower()
    return CGROUP_LIMITS.get(key)


def _resource_limit(resource: str) -> _Handler:
    def handler(draft: _Draft, entry: _Entry) -> None:
        limits = [x for x in draft.fields.get("limits", ()) if x.resource != resource]
        limit = ResourceLimit(resource=resource, value=entry.value, origin=Origin(span=entry.span))
        draft.fields["limits"] = (*limits, limit)
        draft.spans.setdefault("limits", entry.span)

    return handler


def _after(draft: _Draft, entry: _Entry) -> None:
    draft.after.append(entry)  # matched against Requires= once the whole unit is read


def _order(draft: _Draft) -> None:
    """Mark dependencies that After= orders; the other After= units only order."""
    after = {_unit_reference(u) for entry in draft.after for u in entry.value.split()}
    draft.dependencies[:] = [replace(d, is_ordered=d.name in after) for d in draft.dependencies]
    needed = {d.name for d in draft.dependencies}
    for entry in draft.after:
        for unit in entry.value.split():
            name = _unit_reference(unit)
            if name not in needed:
                needed.add(name)
                draft.dependencies.append(
                    Dependency(name=name, binding=Binding.ORDERS, origin=Origin(span=entry.span))
                )
    draft.dependencies.sort(key=lambda d: list(Binding).index(d.binding))  # as written back


def _working_directory(draft: _Draft, entry: _Entry) -> None:
    """Read the directory; a ``-`` prefix (optional directory) is kept like Exec prefixes."""
    draft.fields["working_directory"] = entry.value.removeprefix("-")
    draft.spans["working_directory"] = entry.span
    key = f"{entry.section}.{entry.key}{PREFIX_SUFFIX}"
    draft.extras = [extra for extra in draft.extras if extra.key != key]
    if entry.value.startswith("-"):
        draft.extras.append(
            Extra(format=FORMAT, key=key, value="-", origin=Origin(span=entry.span))
        )


def _standard_input(draft: _Draft, entry: _Entry) -> None:
    _keep(draft, entry)  # dropped again if a socket unit of the same name is read with it


def _part_of(draft: _Draft, entry: _Entry) -> None:
    groups = [target_group(u) for u in entry.value.split() if u.endswith(".target")]
    draft.fields["groups"] = (*draft.fields.get("groups", ()), *groups)
    if others := [u for u in entry.value.split() if not u.endswith(".target")]:
        draft.extras.append(
            Extra(
                format=FORMAT,
                key="Unit.PartOf",
                value=" ".join(others),
                origin=Origin(span=entry.span),
            )
        )


def _limit(name: str, convert: _Converter) -> _Handler:
    def handler(draft: _Draft, entry: _Entry) -> None:
        draft.limit[name] = convert(entry.value, entry.span)
        draft.limit["span"] = entry.span
        draft.spans["start_limit"] = entry.span

    return handler


def _wanted_by(draft: _Draft, entry: _Entry) -> None:
    draft.fields["enabled_at_boot"] = True
    if entry.value != "multi-user.target":
        _keep(draft, entry)


def _timeout(slot: str) -> _Handler:
    def handler(draft: _Draft, entry: _Entry) -> None:
        draft.fields[f"{slot}_timeout"] = _seconds(entry.value, entry.span)
        draft.spans[f"{slot}.timeout"] = entry.span

    return handler


def _environment(draft: _Draft, entry: _Entry) -> None:
    pairs = draft.fields.setdefault("environment", ())
    for word in quoting.split_words(entry.value, entry.span):
        key, equals, value = word.partition("=")
        if not equals:
            raise ParseError(f"{word!r} is not KEY=value", entry.span, code="SV101")
        pairs = (*(p for p in pairs if p[0] != key), (key, value))
    draft.fields["environment"] = pairs


def _environment_file(draft: _Draft, entry: _Entry) -> None:
    path = entry.value.strip()
    found = EnvironmentFile(path=path.removeprefix("-"), is_optional=path.startswith("-"))
    draft.fields["environment_files"] = (*draft.fields.get("environment_files", ()), found)


def _output(slot: str) -> _Handler:
    def handler(draft: _Draft, entry: _Entry) -> None:
        kind, colon, path = entry.value.partition(":")
        if colon and kind == "append":
            draft.fields[slot] = Output(kind="file", path=path)
        elif not colon and kind in ("journal", "null", "inherit"):
            draft.fields[slot] = Output(kind="managed" if kind == "journal" else kind)
        else:
            _keep(draft, entry)

    return handler


def _success_codes(draft: _Draft, entry: _Entry) -> None:
    codes = [word for word in entry.value.split() if word.isdigit()]
    if len(codes) != len(entry.value.split()):
        _keep(draft, entry)
    current = draft.fields.get("success_exit_codes", (0,))
    draft.fields["success_exit_codes"] = tuple(sorted({*current, *map(int, codes)}))
    draft.spans["success_exit_codes"] = entry.span


def _forced_restart(draft: _Draft, entry: _Entry) -> None:
    if entry.value.split() == ["0"]:
        current = draft.fields.get("success_exit_codes", (0,))
        draft.fields["success_exit_codes"] = tuple(c for c in current if c != 0)
        return
    _keep(draft, entry)


def _kill_mode(draft: _Draft, entry: _Entry) -> None:
    groups = {"control-group": (True, True), "mixed": (False, True)}.get(entry.value)
    if groups is None:
        _keep(draft, entry)
        return
    draft.fields["stops_process_group"], draft.fields["kills_process_group"] = groups
    draft.spans["stops_process_group"] = draft.spans["kills_process_group"] = entry.span


_HANDLERS: dict[tuple[str, str], _Handler] = {
    ("Unit", "Description"): _set("description", _text),
    ("Unit", "Requires"): _depends,
    ("Unit", "Wants"): _depends,
    ("Unit", "BindsTo"): _depends,
    ("Unit", "After"): _after,
    ("Unit", "PartOf"): _part_of,
    ("Unit", "StartLimitIntervalSec"): _limit("interval", _seconds),
    ("Unit", "StartLimitBurst"): _limit("burst", lambda v, s: int(v)),
    # systemd before 230 read these in [Service]; 252 still does.
    ("Service", "StartLimitInterval"): _limit("interval", _seconds),
    ("Service", "StartLimitIntervalSec"): _limit("interval", _seconds),
    ("Service", "StartLimitBurst"): _limit("burst", lambda v, s: int(v)),
    ("Service", "Type"): _type,
    ("Service", "PIDFile"): _set("pidfile", _text),
    ("Service", "User"): _set("user", _text),
    ("Service", "Group"): _set("group", _text),
    ("Service", "WorkingDirectory"): _working_directory,
    ("Service", "UMask"): _set("umask", _text),
    ("Service", "Environment"): _environment,
    ("Service", "EnvironmentFile"): _environment_file,
    ("Service", "StandardOutput"): _output("stdout"),
    ("Service", "StandardInput"): _standard_input,
    ("Service", "StandardError"): _output("stderr"),
    ("Service", "ExecStart"): _exec_start,
    ("Service", "ExecStop"): _exec("stop"),
    ("Service", "ExecReload"): _exec("reload"),
    ("Service", "TimeoutStartSec"): _timeout("start"),
    ("Service", "TimeoutStopSec"): _set("stop_timeout", _seconds),
    ("Service", "SuccessExitStatus"): _success_codes,
    ("Service", "RestartForceExitStatus"): _forced_restart,
    ("Service", "KillMode"): _kill_mode,
    ("Service", "Restart"): _restart,
    ("Service", "RestartSec"): _restart_delay,
    ("Service", "KillSignal"): _set("stop_signal", _text),
    ("Install", "WantedBy"): _wanted_by,
    **{("Service", key): _hook for key in _HOOKS},
    **{("Service", f"Limit{name}"): _resource_limit(name.lower()) for name in RLIMITS},
    **{("Service", key): _resource_limit(name) for key, name in CGROUP_LIMITS.items()},
}


def _finish(name: str, draft: _Draft, source: Source) -> Service:
    _order(draft)
    fields = dict(draft.fields)
    fields["hooks"] = _hooks(draft)
    if fields["hooks"]:
        draft.spans.setdefault("hooks", fields["hooks"][0].origin.span)
    _start_commands(draft, fields)
    if "start" not in fields and not fields.get("runs_once"):
        raise ParseError(
            "service has no ExecStart= (systemd refuses to load it unless Type=oneshot)",
            Span(path=source.path, line=1, column=1),
            code="SV101",
        )
    # What systemd does where the unit says nothing (systemd-system.conf(5), systemd.kill(5)),
    # so that another format gets the same behaviour; the spans tell said from unsaid.
    timeout = fields.pop("start_timeout", DEFAULT_TIMEOUT)
    if "start" in fields:
        fields["start"] = replace(fields["start"], timeout=timeout)
    restart_span = draft.spans.pop("restart", None)
    fields["restart"] = RestartPolicy(
        when=fields.pop("restart_when", RestartWhen.NEVER),
        delay=fields.pop("restart_delay", DEFAULT_RESTART_DELAY),
        origin=Origin(span=restart_span),
    )
    fields["start_limit"] = StartLimit(
        burst=draft.limit.get("burst", DEFAULT_START_LIMIT.burst),
        interval=draft.limit.get("interval", DEFAULT_START_LIMIT.interval),
        origin=Origin(span=draft.limit.get("span")),
    )
    for key, value in DEFAULTS.items():
        fields.setdefault(key, value)
    span = Span(path=source.path, line=1, column=1)
    return Service(
        name=name,
        dependencies=tuple(draft.dependencies),
        extras=tuple(draft.extras),
        managed_by=FORMAT,
        origin=Origin(span=span, fields=tuple(sorted(draft.spans.items()))),
        **fields,
    )
