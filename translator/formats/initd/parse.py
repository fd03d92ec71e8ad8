"""Read an init script into the model: its headers, and the daemon its start arm runs.

Imports: model, diagnostics, errors, formats/_options, formats/initd.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any

from translator.diagnostics import Diagnostic, IncludeLoader, ParseResult, ReadLoss, Severity
from translator.errors import ParseError
from translator.formats._options import ParseOptions
from translator.formats._script import (
    REFERENCE,
    Call,
    EnvLoader,
    Evaluator,
    Script,
    Word,
    action,
    calls,
    parse_command_string,
    read_script,
)
from translator.formats.initd import daemon as daemons
from translator.formats.initd import lsb
from translator.formats.initd.headers import BEGIN, Headers, read_headers
from translator.model import (
    Binding,
    Command,
    Dependency,
    EnvironmentFile,
    Extra,
    Hook,
    HookTime,
    Host,
    Origin,
    Output,
    ResourceLimit,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    Span,
)

FORMAT = "initd"
# LSB facilities (systemd-sysv-generator's table): the target a facility means, and
# whether the service also wants it; None: systemd's default dependencies cover it.
FACILITIES: dict[str, tuple[str, bool] | None] = {
    "$network": ("network-online.target", True),
    "$remote_fs": ("remote-fs.target", False),
    "$named": ("nss-lookup.target", False),
    "$time": ("time-sync.target", False),
    "$portmap": ("rpcbind.service", True),
    "$local_fs": None,
    "$syslog": None,
}
PIDFILE_TAG = "pidfile.tag"
"""The ``origin.fields`` key of a ``# pidfile:`` tag's span, when the script has one."""
_MULTI_USER_LEVELS = {"2", "3", "4"}
_SUFFIXES = (".init", ".sh")


@dataclass(slots=True)
class _Reading:
    """What reading one script found, and how sure it is."""

    name: str
    notes: list[Diagnostic] = field(default_factory=list)

    def lose(
        self,
        span: Span,
        field_name: str,
        message: str,
        action_taken: str,
        severity: Severity = Severity.WARNING,
    ) -> None:
        self.notes.append(
            Diagnostic(
                code="SV730",
                severity=severity,
                span=span,
                message=message,
                loss=ReadLoss(service=self.name, field=field_name, action=action_taken),
            )
        )


def detect(path: str, text: str) -> bool:
    """Whether ``text`` is an init script: a service's, or a shell script under init.d."""
    return is_service_script(text) or (_is_shell(text) and "init.d/" in path)


def is_service_script(text: str) -> bool:
    """Whether ``text`` is a service's script: an LSB block, or a chkconfig header.

    A library beside the scripts (RHEL's ``functions``) has neither.
    """
    has_chkconfig = any(line.startswith("# chkconfig:") for line in text.splitlines()[:40])
    return BEGIN in text or (_is_shell(text) and has_chkconfig)


def _is_shell(text: str) -> bool:
    return text.startswith("#!") and "sh" in text.split("\n", 1)[0]


def parse(
    source: Source,
    *,
    load_include: IncludeLoader | None = None,
    options: ParseOptions | None = None,
) -> ParseResult:
    """Parse one init script into a host holding the service it starts."""
    if not source.text.startswith("#!") and "### BEGIN INIT INFO" not in source.text:
        span = Span(path=source.path, line=1, column=1)
        raise ParseError("not an init script (no #! line and no LSB header)", span, code="SV101")
    headers = read_headers(source)
    name = _service_name(source.path)
    reading = _Reading(name=name)
    script = read_script(source, _env_loader(source, load_include, options or ParseOptions()))
    for span in script.error_spans[:1]:
        reading.notes.append(
            Diagnostic(
                code="SV731",
                severity=Severity.INFO,
                span=span,
                message="the shell parser recovered from text it could not read here",
            )
        )
    services = _services(name, source, headers, script, reading)
    reading.notes.append(_confidence(services[0], script, reading))
    reading.notes += lsb.check(script, headers)
    if (options or ParseOptions()).restarts_daemons:
        restart_span = Span(path=source.path, line=1, column=1)
        reading.lose(
            restart_span,
            "restart",
            "SysV never restarts a daemon that dies",
            "Restart=on-failure added (--restart no keeps SysV's way)",
            Severity.INFO,  # an addition svconv makes, not behaviour lost
        )
        restart = RestartPolicy(when=RestartWhen.ON_FAILURE, origin=Origin(span=restart_span))
        services = [replace(service, restart=restart) for service in services]
    span = Span(path=source.path, line=1, column=1)
    return ParseResult(
        host=Host(services=tuple(services), origin=Origin(span=span)),
        diagnostics=tuple(reading.notes),
    )


def _confidence(service: Service, script: Script, reading: _Reading) -> Diagnostic:
    """Say how sure the reading of the daemon is.

    High when every value was known; medium when a default stood in for one, a value of
    the command was unknown, or the env file is absent; low when it runs the script.
    """
    starts = [n.message for n in reading.notes if n.loss and n.loss.field == "start"]
    defaulted = any(variable.defaulted for variable in script.variables.values())
    absent = any(pure is None for _, _, pure in script.env_files)
    if service.start is not None and service.start.argv[0].startswith("/etc/init.d/"):
        level = "low"  # it fell back to running the script
    elif defaulted or absent or any("lock file" not in message for message in starts):
        level = "medium"
    else:
        level = "high"
    program = service.start.argv[0] if service.start else "nothing"
    return Diagnostic(
        code="SV732",
        severity=Severity.INFO,
        span=Span(path=script.source.path, line=1, column=1),
        message=f"starts {program}: {level} confidence",
    )


def _service_name(path: str) -> str:
    name = PurePosixPath(path).name
    for suffix in _SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def _env_loader(
    source: Source, load_include: IncludeLoader | None, options: ParseOptions
) -> EnvLoader:
    """Read ``/etc/default/NAME`` from the host tree the script lives in (or ``--root``).

    Without ``--root`` the path is given relative to the script (``../default/NAME``),
    as an include is, so the tree may be anywhere.
    """

    def load(path: str, span: Span) -> Source | None:
        if load_include is None:
            return None
        if options.root is not None:
            pattern = f"{options.root.rstrip('/')}{path}"
        else:
            where = f"{_host_root(source.path).rstrip('/')}{path}"
            pattern = posixpath.relpath(where, posixpath.dirname(source.path) or ".")
        found = load_include(pattern, span)
        return found[0] if found else None

    return load


def _host_root(path: str) -> str:
    """Give the directory above ``etc/`` in the script's path (``/`` for /etc/init.d/x)."""
    parts = PurePosixPath(path).parts
    if "etc" in parts:
        index = len(parts) - 1 - parts[::-1].index("etc")
        return str(PurePosixPath(*parts[:index])) if index else "/"
    return str(PurePosixPath(path).parent)


def _services(
    name: str, source: Source, headers: Headers, script: Script, reading: _Reading
) -> list[Service]:
    """Build the script's service and one more for each other program its start runs."""
    spans: dict[str, Span] = {}
    header_fields = _header_fields(headers, reading, spans)
    fields, others = _daemon_fields(name, script, headers, reading, spans)
    services = [_built(name, source, header_fields | fields, spans)]
    for launch in others:
        program = PurePosixPath(launch.argv[0].text or "").name
        own_spans = {key: span for key, span in spans.items() if key not in fields}
        own = header_fields | _launch_fields(launch, reading, own_spans)
        own["environment_files"] = fields.get("environment_files", ())
        if "description" in own:
            own["description"] = f"{own['description']} ({program})"
        services.append(_built(f"{name}-{program}", source, own, own_spans))
    return services


def _built(name: str, source: Source, fields: dict[str, Any], spans: dict[str, Span]) -> Service:
    return Service(
        name=name,
        managed_by=FORMAT,
        origin=Origin(
            span=Span(path=source.path, line=1, column=1), fields=tuple(sorted(spans.items()))
        ),
        **fields,
    )


def _header_fields(headers: Headers, reading: _Reading, spans: dict[str, Span]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    described = headers.lsb.get("short-description") or headers.tag("description")
    if described is not None:
        fields["description"] = described.value
        spans["description"] = described.span
    fields["dependencies"] = tuple(_dependencies(headers, reading))
    fields["enabled_at_boot"] = _enabled(headers, reading)
    if (pidfile_tag := headers.tag("pidfile")) is not None:
        # the only pidfile systemd-sysv-generator reads (lint SV203), whatever else names one
        spans[PIDFILE_TAG] = pidfile_tag.span
    extras = [
        Extra(format=FORMAT, key=keyword, value=found.value, origin=Origin(span=found.span))
        for keyword, found in headers.lsb.items()
        if keyword.startswith("x-")
    ]
    aliases = [word for word, _ in headers.words("provides") if word != reading.name]
    if aliases:
        provides = headers.lsb["provides"]
        extras.append(
            Extra(
                format=FORMAT,
                key="provides",
                value=" ".join(aliases),
                origin=Origin(span=provides.span),
            )
        )
    chkconfig = headers.tag("chkconfig")
    if chkconfig is not None:
        extras.append(
            Extra(
                format=FORMAT,
                key="chkconfig",
                value=chkconfig.value,
                # the runlevels are read into enabled_at_boot; the priorities only ordered
                # SysV's starts, which systemd takes from the dependencies
                is_informational=True,
                origin=Origin(span=chkconfig.span),
            )
        )
    fields["extras"] = tuple(extras)
    return fields


def _dependencies(headers: Headers, reading: _Reading) -> list[Dependency]:
    """Required-Start → wanted and ordered; Should-Start → ordered; facilities mapped."""
    found: list[Dependency] = []
    for keyword, strong in (("required-start", True), ("should-start", False)):
        for word, span in headers.words(keyword):
            target = FACILITIES.get(word, ("", False)) if word.startswith("$") else (word, strong)
            if target is None:
                continue
            unit, wanted = target
            if not unit:
                reading.lose(
                    span, "dependencies", f"no systemd target stands for {word}", "left out"
                )
                continue
            binding = (
                Binding.WANTS if wanted and (strong or word.startswith("$")) else Binding.ORDERS
            )
            if all(d.name != unit for d in found):
                found.append(Dependency(name=unit, binding=binding, origin=Origin(span=span)))
    return sorted(found, key=lambda d: list(Binding).index(d.binding))  # as units list them


def _enabled(headers: Headers, reading: _Reading) -> bool:
    """Say whether it starts at boot: Default-Start (else chkconfig) names 2, 3, 4 or 5."""
    levels = {word for word, _ in headers.words("default-start")}
    chkconfig = headers.tag("chkconfig")
    if not levels and chkconfig is not None and chkconfig.value.split():
        levels = set(chkconfig.value.split()[0]) - {"-"}
    enabled = bool(levels & (_MULTI_USER_LEVELS | {"5"}))
    default_start = headers.lsb.get("default-start")
    if not enabled and default_start is not None:
        reading.lose(
            default_start.span,
            "enabled_at_boot",
            f"Default-Start: {default_start.value or '(empty)'} names no multi-user runlevel",
            "not started at boot (no [Install])",
        )
    return enabled


def _daemon_fields(
    name: str, script: Script, headers: Headers, reading: _Reading, spans: dict[str, Span]
) -> tuple[dict[str, Any], list[daemons.Launch]]:
    """Read the daemon the start action runs; also give the other programs it starts."""
    evaluator = Evaluator(script, lambda path, span: None)
    start_calls = _start_calls(script, evaluator)
    names = {script.service_name, *(f.value for f in headers.chkconfig.get("processname", []))}
    found = [launch for call in start_calls for launch in _launches(call, script, names)]
    if not found and (launch := _init_d_script(script)) is not None:
        found = [launch]
    # a launcher's start beats a bare call, which may be a config check (tor --verify-config)
    found = [x for x in found if x.argv and x.argv[0].text]  # the program must be known
    found = [x for x in found if not _is_config_test(x)]
    launches = [x for x in found if x.launcher != "direct"] or found
    if not launches:
        return _fallback(script, headers, reading, spans, "no daemon found in the start action"), []
    launch, others = launches[0], _other_programs(launches)
    unknown = sum(word.text is None for word in launch.argv)
    if unknown >= _MOST_UNKNOWN_WORDS:  # a loop over configs (openvpn), not one command line
        why = f"the daemon's command line has {unknown} words only running the script could tell"
        return _fallback(script, headers, reading, spans, why), []
    if len(launches) > 1:
        separate = ", ".join(f"{name}-{PurePosixPath(o.argv[0].text or '').name}" for o in others)
        reading.lose(
            launches[1].span,
            "start",
            f"the start action runs {len(launches)} daemons",
            f"each other program is a service of its own: {separate}"
            if others
            else "the first becomes this service (the others run the same program: "
            "a retry, another branch or another instance)",
        )
    fields = _launch_fields(launch, reading, spans)
    if "pidfile" not in fields and (pidfile := _pidfile(launch, headers, script)) is not None:
        fields["pidfile"], spans["pidfile"] = pidfile
    _report_lock_files(start_calls, reading)
    fields |= _surroundings(
        [c for c in start_calls if _before(c.span, launch.span)], launch, reading
    )
    if environment := _exported(script):
        fields["environment"] = environment
    fields["environment_files"] = tuple(
        EnvironmentFile(path=path, is_optional=True)
        for path, _, pure in script.env_files
        if pure is not False
    )
    _stop_fields(script, evaluator, fields, spans)
    return fields, others


def _launch_fields(
    launch: daemons.Launch, reading: _Reading, spans: dict[str, Span]
) -> dict[str, Any]:
    """Read what one launch says of its daemon: command, pidfile, user, group, directory."""
    fields: dict[str, Any] = {"start": _command(launch, reading), "daemonizes": launch.forks}
    spans["start"] = spans["daemonizes"] = launch.span
    if launch.pidfile is not None and launch.pidfile.text:
        fields["pidfile"] = launch.pidfile.text.replace(REFERENCE, "")
        spans["pidfile"] = launch.pidfile.span
    if launch.user and launch.user not in ("root", "0"):
        fields["user"] = launch.user
    if launch.group and launch.group not in ("root", "0"):
        fields["group"] = launch.group
    if launch.directory:
        fields["working_directory"] = launch.directory
    fields |= _outputs(launch.redirects)
    return fields


def _outputs(redirects: tuple[tuple[str, str | None], ...]) -> dict[str, Output]:
    """Map ``>> LOG 2>&1`` and kin to the daemon's stdout and stderr.

    ``/dev/null`` is read as no choice at all: a script must send a background daemon's
    output somewhere other than the terminal, and a supervisor with a log keeps it.
    """
    streams: dict[str, str | None] = {}
    for descriptor, target in redirects:
        if target is not None and target.startswith("&"):
            target = streams.get(target[1:])
        streams[descriptor] = target
    files = {key: path for key, path in streams.items() if path and path != "/dev/null"}
    fields: dict[str, Output] = {}
    if "1" in files:
        fields["stdout"] = Output(kind="file", path=files["1"])
    if "2" in files:
        same = files["2"] == files.get("1")
        fields["stderr"] = Output(kind="inherit") if same else Output(kind="file", path=files["2"])
    return fields


def _other_programs(launches: list[daemons.Launch]) -> list[daemons.Launch]:
    """Keep the first launch of each program other than the first launch's."""
    seen = {launches[0].argv[0].text}
    others = []
    for launch in launches[1:]:
        if launch.argv[0].text not in seen:
            seen.add(launch.argv[0].text)
            others.append(launch)
    return others


def _pidfile(launch: daemons.Launch, headers: Headers, script: Script) -> tuple[str, Span] | None:
    """Find the daemon's pidfile where the launcher names none: the tag, or $PIDFILE."""
    if (tag := headers.tag("pidfile")) is not None:
        return tag.value, tag.span
    variable = script.variables.get("PIDFILE")
    if launch.forks and variable is not None and variable.known:  # a bare start names it
        return variable.known, variable.span
    return None


def _report_lock_files(start_calls: list[Call], reading: _Reading) -> None:
    for call in start_calls:
        if call.name == "touch" and any("/var/lock/subsys/" in (w.text or "") for w in call.args):
            reading.lose(
                call.span,
                "start",
                "SysV's /var/lock/subsys lock file",
                "dropped (systemd tracks it)",
            )


def _before(span: Span, other: Span) -> bool:
    return (span.path, span.line, span.column) < (other.path, other.line, other.column)


_CONFIG_TESTS = ("-t", "-T", "configtest", "--test-config", "--verify-config", "-n")


def _is_config_test(launch: daemons.Launch) -> bool:
    """Say whether a bare call of the daemon only tests its config (``nginx -t``)."""
    return launch.launcher == "direct" and any(w.text in _CONFIG_TESTS for w in launch.argv[1:])


def _surroundings(earlier: list[Call], launch: daemons.Launch, reading: _Reading) -> dict[str, Any]:
    """Read what the start action does before the launch.

    That is cd, umask, ulimit -n, the daemon's own config test (a hook before the start)
    and SysV's lock file (dropped, reported).
    """
    fields: dict[str, Any] = {}
    program = launch.argv[0].text
    hooks = []
    for call in earlier:
        words = [w.text or "" for w in call.args]
        moved = launch.directory or "login shell" in launch.notes
        if call.name == "cd" and words and words[0].startswith("/") and not moved:
            fields["working_directory"] = words[0]
        elif call.name == "umask" and words and words[0].isdigit():
            fields["umask"] = words[0]
        elif call.name == "ulimit" and words[:1] == ["-n"] and len(words) > 1:
            if (limit := _limit(words[1], call, reading)) is not None:
                fields["limits"] = (ResourceLimit(resource="nofile", value=limit),)
        elif call.name == program and any(w in _CONFIG_TESTS for w in words):
            argv = (call.name, *words)
            hooks.append(
                Hook(
                    when=HookTime.BEFORE_START,
                    command=Command(argv=argv, origin=Origin(span=call.span)),
                    origin=Origin(span=call.span),
                )
            )
    if hooks:
        fields["hooks"] = tuple(hooks)
    return fields


def _limit(text: str, call: Call, reading: _Reading) -> str | None:
    """Give a ``ulimit -n`` value systemd can read: a number or unlimited, no variable."""
    if text.isdigit() or text == "unlimited":
        return "infinity" if text == "unlimited" else text
    shown = text.replace(REFERENCE, "$", 1).replace(REFERENCE, "")
    reading.lose(
        call.span,
        "limits",
        f"ulimit -n {shown}: systemd expands no variables in LimitNOFILE=",
        "left out; write the number in the unit",
    )
    return None


def _exported(script: Script) -> tuple[tuple[str, str], ...]:
    """Give the variables the script exports (bar PATH), as the daemon's environment."""
    return tuple(
        (name, variable.known)
        for name, variable in script.variables.items()
        if name in script.exported
        and name != "PATH"
        and variable.known is not None
        and not variable.from_env_file
        and REFERENCE not in variable.known
    )


def _stop_fields(
    script: Script, evaluator: Evaluator, fields: dict[str, Any], spans: dict[str, Span]
) -> None:
    stop_node = action(script, "stop")
    if stop_node is not None:
        stop_calls = list(calls(script, evaluator, stop_node))
        stopping = daemons.stopping(stop_calls)
        waits = script.variables.get("STOP_TIMEOUT")  # svconv's own scripts say it so
        if stopping.timeout is None and waits is not None and (waits.known or "").isdigit():
            stopping = replace(stopping, timeout=float(waits.known or 0))
        command = next((c for c in stop_calls if c.name.startswith("/")), None)
        if command is not None and all(w.text is not None for w in command.args):
            argv = (command.name, *(w.text or "" for w in command.args))
            fields["stop"] = Command(argv=argv, origin=Origin(span=command.span))
            spans["stop"] = command.span
        if stopping.signal:
            fields["stop_signal"] = stopping.signal
        if stopping.timeout is not None:
            fields["stop_timeout"] = stopping.timeout
        if stopping.span is not None:
            spans["stop_signal"] = spans["stop_timeout"] = stopping.span
    reload_node = action(script, "reload") or action(script, "force-reload")
    if reload_node is not None:
        hangup = daemons.reloads_by_hangup(calls(script, evaluator, reload_node))
        if hangup is not None:
            fields["reload"] = Command(
                argv=("/bin/kill", "-HUP", "$MAINPID"),
                expands_variables=True,
                origin=Origin(span=hangup),
            )
            spans["reload"] = hangup


def _launches(call: Call, script: Script, names: set[str]) -> list[daemons.Launch]:
    """Recognise the daemon ``call`` starts; ``names`` are the daemon's likely names."""
    recognise = daemons.RECOGNISERS.get(call.name)
    if recognise is not None:
        found = recognise(call)
        return [replace(found, redirects=call.redirects)] if found is not None else []
    switched = daemons.switch_user(call)
    if switched is not None:
        user, command = switched
        inner = parse_command_string(command.text or "", script)
        evaluator = Evaluator(inner, lambda path, span: None)
        inner_calls = [_placed(c, command.span) for c in calls(inner, evaluator, inner.root)]
        if inner_calls:
            first = inner_calls[0]
            inside = _launches(first, script, names) or [
                daemons.Launch(
                    argv=(Word(first.name, command.span), *first.args),
                    span=call.span,
                    launcher="su",
                    forks=not first.background,
                    redirects=first.redirects,
                )
            ]
            login = any(w.text in ("-", "-l", "--login") for w in call.args)
            notes = ("login shell",) if login else ()  # it starts in the user's home
            return [replace(inside[0], user=user, span=call.span, notes=notes)]
    # a program named like the daemon, or anything the start action leaves running (&)
    named = PurePosixPath(call.name).name in names or call.background
    if call.name.startswith("/") and (named or _named_by_variable(call, script)):
        return [
            daemons.Launch(
                argv=(Word(call.name, call.span), *call.args),
                span=call.span,
                launcher="direct",
                forks=not call.background,
                redirects=call.redirects,
            )
        ]
    return []


def _start_calls(script: Script, evaluator: Evaluator) -> list[Call]:
    """Follow the start action; init-d-script's is its start hooks, run in its order."""
    start_node = action(script, "start")
    if start_node is not None:
        return list(calls(script, evaluator, start_node))
    if not _uses_init_d_script(script):
        return []
    hooks = ("do_start_prepare", "do_start_cmd_override")
    return [
        call
        for hook in hooks
        if hook in script.functions
        for call in calls(script, evaluator, script.functions[hook])
    ]


def _uses_init_d_script(script: Script) -> bool:
    return "/lib/init/init-d-script" in script.source.text


def _init_d_script(script: Script) -> daemons.Launch | None:
    """Debian's init-d-script runs $DAEMON $DAEMON_ARGS with $PIDFILE by itself."""
    if not _uses_init_d_script(script) or "do_start_cmd_override" in script.functions:
        return None
    daemon = script.variables.get("DAEMON")
    if daemon is None or not daemon.known:
        return None
    arguments = script.variables.get("DAEMON_ARGS")
    words = [Word(daemon.known, daemon.span)]
    if arguments is not None and arguments.value is None:
        words.append(Word(None, arguments.span))  # reported where the command is built
    elif arguments is not None:
        words += arguments.words()
    pidfile = script.variables.get("PIDFILE")
    default = f"/var/run/{PurePosixPath(daemon.known).name}.pid"
    path = pidfile.known if pidfile is not None else default
    return daemons.Launch(
        argv=tuple(words),
        span=daemon.span,
        launcher="init-d-script",
        pidfile=None if path in (None, "none") else Word(path, daemon.span),
    )


def _placed(call: Call, span: Span) -> Call:
    """Put a call found inside a command string, and its words, at that string's span."""
    args = tuple(Word(word.text, span) for word in call.args)
    return replace(call, args=args, span=span)


def _named_by_variable(call: Call, script: Script) -> bool:
    """Say whether a bare command is the daemon.

    A DAEMON-like variable names it, or a variable named after the program
    (``SSHD=/usr/sbin/sshd``), or it is named after the script.
    """
    daemon_names = {"DAEMON", "PROG", "EXEC", "BINARY"}
    program = PurePosixPath(call.name).name
    return any(
        variable.value == call.name
        and (
            key.upper() in daemon_names
            or key.upper().endswith("_BIN")
            or key.lower() == program
            or program == script.service_name
        )
        for key, variable in script.variables.items()
    )


def _command(launch: daemons.Launch, reading: _Reading) -> Command:
    argv: list[str] = []
    references = False
    for word in launch.argv:
        if word.text is None:
            action = "left out"
            is_option = word.known_prefix.startswith("-")
            if not is_option and len(argv) > 1 and argv[-1].startswith("-") and "=" not in argv[-1]:
                # most likely that option's value: the option alone would take the next word
                action = f"left out with the option before it ({argv.pop()})"
            reading.lose(word.span, "start", "a value only running the script could tell", action)
            continue
        text = word.text.replace("$", "$$")
        if REFERENCE in text:
            references = True
            whole = daemons.is_reference(text)
            text = _references(text, whole=whole)
        argv.append(text)
    if not references:
        argv = [word.replace("$$", "$") for word in argv]
    if argv and not argv[0].startswith("/"):
        reading.lose(launch.span, "start", f"{argv[0]} is not an absolute path", "kept as written")
    return Command(
        argv=tuple(argv),
        user=None,
        expands_variables=references,
        origin=Origin(span=launch.span),
    )


def _references(text: str, *, whole: bool) -> str:
    """Turn marked env-file references into ``$NAME`` (a whole word) or ``${NAME}``."""
    parts = text.split(REFERENCE)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(f"${part}" if whole else f"${{{part}}}")
        else:
            out.append(part)
    return "".join(out)


_MOST_UNKNOWN_WORDS = 3


def _fallback(
    script: Script, headers: Headers, reading: _Reading, spans: dict[str, Span], why: str
) -> dict[str, Any]:
    """No daemon to trust: run the script itself, as systemd-sysv-generator does."""
    span = Span(path=script.source.path, line=1, column=1)
    path = f"/etc/init.d/{PurePosixPath(script.source.path).name}"
    reading.lose(
        span,
        "start",
        f"{why} (low confidence)",
        f"the unit runs {path} start, as systemd-sysv-generator does",
    )
    fields: dict[str, Any] = {
        "start": Command(argv=(path, "start"), origin=Origin(span=span)),
        "stop": Command(argv=(path, "stop"), origin=Origin(span=span)),
        "daemonizes": True,
    }
    if action(script, "reload") is not None:
        fields["reload"] = Command(argv=(path, "reload"), origin=Origin(span=span))
    pidfile = headers.tag("pidfile")
    if pidfile is not None:
        fields["pidfile"] = pidfile.value
        spans["pidfile"] = pidfile.span
    return fields
