"""Write the model as self-contained LSB init scripts (no distribution library).

Each script manages its own pidfile, backgrounds a foreground program, stops with the
service's signal and kills after its stop timeout, and answers start, stop, restart,
try-restart, force-reload, reload (with a reload command) and status with LSB's exit
codes. Imports: model, loss, formats/_options, formats/initd.
"""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.formats._options import EmitOptions
from translator.formats.initd import quoting
from translator.formats.initd.parse import FACILITIES
from translator.loss import LossLog
from translator.model import Binding, Command, HookTime, Host, Service

FORMAT = "initd"
_FACILITIES = {
    unit: facility
    for facility, target in FACILITIES.items()
    if target is not None
    for unit in (target[0], target[0].removesuffix(".service"))
}
"""The LSB facility standing for a unit: the reader's table, turned round."""
_STATUS = """\
    status)
        if is_running; then
            echo "$NAME is running"
            exit 0
        elif [ -f "$PIDFILE" ]; then
            echo "$NAME is dead, but its pidfile remains"
            exit 1
        fi
        echo "$NAME is stopped"
        exit 3
        ;;"""
_HELPERS = """\
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    # a zombie (dead, not reaped yet) still answers kill -0
    state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d ' ' -f 1)
    [ "$state" != Z ]
}

is_running() {
    [ -f "$PIDFILE" ] || return 1
    pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
    [ -n "$pid" ] && alive "$pid"
}
"""


def emit(host: Host, options: EmitOptions, losses: LossLog) -> dict[str, str]:
    """Return ``{script name: text}``, one init script per process."""
    files = {}
    losses.foreign_extras(host.extras, target=FORMAT, action="left out")
    for service in host.services:
        if not service.is_process:
            losses.not_written(service, target=FORMAT, action="left out")
            continue
        if _runs_itself(service):
            losses.unsupported(
                service.origin,
                "service",
                service=service.name,
                code="SV703",
                severity=Severity.INFO,
                reason=f"the start program is /etc/init.d/{service.name} itself",
                action="no script written; keep the one there is",
            )
            continue
        if service.start is None:
            losses.no_start(service, written="script")
            continue
        _report(service, losses)
        files[service.name] = _script(service, options, losses)
    return files


def _runs_itself(service: Service) -> bool:
    argv = service.start.argv if service.start else ()
    return bool(argv) and argv[0] == f"/etc/init.d/{service.name}"


def _own(service: Service, key: str) -> str | None:
    return next((e.value for e in service.extras if e.format == FORMAT and e.key == key), None)


def _script(service: Service, options: EmitOptions, losses: LossLog) -> str:
    header = [f"# {line}".rstrip() for line in options.header.splitlines()]
    commands = (service.start, service.stop, service.reload, *(h.command for h in service.hooks))
    if any(c is not None and c.expands_variables for c in commands):
        # $OPTIONS is meant to split into words, and su's command expands it itself
        header.append("# shellcheck disable=SC2086,SC2016")
    chkconfig = _own(service, "chkconfig")
    tags = [f"# chkconfig: {chkconfig}"] if chkconfig else []
    lines = ["#!/bin/sh", *header, *tags, *_lsb_header(service), ""]
    lines += _variables(service, losses)
    lines += ["", _HELPERS, *_start(service, losses), "", *_stop(service), ""]
    if service.reload is not None:
        lines += [*_reload(service.reload), ""]
    lines += _dispatch(service)
    return "\n".join(lines) + "\n"


def _lsb_header(service: Service) -> list[str]:
    required = ["$local_fs", "$syslog"]  # what systemd's default dependencies give too
    should = []
    for dependency in service.dependencies:
        if _unnamed(dependency.name):
            continue  # reported: LSB names services and facilities, not other units
        name = _FACILITIES.get(dependency.name, dependency.name.removesuffix(".service"))
        if dependency.binding is Binding.ORDERS:
            should.append(name)
        elif name not in required:
            required.append(name)
    levels = ("2 3 4 5", "0 1 6") if service.enabled_at_boot else ("", "0 1 6")
    provides = " ".join([service.name, *(_own(service, "provides") or "").split()])
    described = service.description
    description = [f"# Short-Description: {described}", f"# Description:       {described}"]
    return [
        "### BEGIN INIT INFO",
        f"# Provides:          {provides}",
        f"# Required-Start:    {' '.join(required)}",
        f"# Required-Stop:     {' '.join(required)}",
        *([f"# Should-Start:      {' '.join(should)}"] if should else []),
        f"# Default-Start:     {levels[0]}".rstrip(),
        f"# Default-Stop:      {levels[1]}",
        *(description if described else []),
        *(
            f"# {e.key.upper()}: {e.value}"
            for e in service.extras
            if e.format == FORMAT and e.key.startswith("x-")
        ),
        "### END INIT INFO",
    ]


def _variables(service: Service, losses: LossLog) -> list[str]:
    pidfile = service.pidfile or f"/run/{service.name}.pid"
    signal = (service.stop_signal or "SIGTERM").removeprefix("SIG")
    timeout = int(service.stop_timeout) if service.stop_timeout is not None else 10
    lines = [f"NAME={quoting.quote(service.name)}", f"PIDFILE={quoting.quote(pidfile)}"]
    start = service.start
    if start is not None and not (service.user or start.user):  # else su runs it by path
        lines.append(f"DAEMON={quoting.quote(start.argv[0])}")
    if service.stop is None:  # else the stop command does it
        lines.append(f"STOP_SIGNAL={signal}")
    lines.append(f"STOP_TIMEOUT={timeout}")
    for key, value in service.environment:
        lines.append(f"export {key}={quoting.quote(value)}")
    for environment_file in service.environment_files:
        path = quoting.quote(environment_file.path)
        lines += [
            "# shellcheck source=/dev/null",
            f"[ -r {path} ] && set -a && . {path} && set +a",
        ]
    return lines


def _start(service: Service, losses: LossLog) -> list[str]:
    start = service.start
    assert start is not None  # emit() writes no script without one
    lines = ["do_start() {", "    if is_running; then", "        return 0", "    fi"]
    if service.working_directory:
        lines.append(f"    cd {quoting.quote(service.working_directory)} || return 1")
    if service.umask:
        lines.append(f"    umask {service.umask}")
    lines += [f"    ulimit -n {x.value}" for x in service.limits if x.resource == "nofile"]
    lines += [f"    {line}" for line in _hooks(service, HookTime.BEFORE_START)]
    command = quoting.join(start.argv, expands_variables=start.expands_variables)
    arguments = quoting.join(start.argv[1:], expands_variables=start.expands_variables)
    here = f'"$DAEMON" {arguments}'.rstrip()  # run by this shell: named by $DAEMON
    output = _redirect(service)
    user = service.user or start.user
    if service.daemonizes or service.runs_once:  # it detaches, or it does its work
        logs = output if _has_log_file(service) else ""  # else its output stays as it was
        runs = _as_user(f"{command} {logs}".rstrip(), user) if user else f"{here} {logs}"
        lines.append(f"    {runs.rstrip()}")
    elif user:
        inner = f"{command} {output} & echo $!"
        lines.append(
            f'    su -s /bin/sh {quoting.quote(user)} -c {quoting.quote(inner)} > "$PIDFILE"'
        )
    else:
        lines += [f"    {here} {output} &", '    echo $! > "$PIDFILE"']
    return [*lines, "}"]


def _as_user(command: str, user: str | None) -> str:
    return f"su -s /bin/sh {quoting.quote(user)} -c {quoting.quote(command)}" if user else command


def _has_log_file(service: Service) -> bool:
    return any(s is not None and s.kind == "file" for s in (service.stdout, service.stderr))


def _redirect(service: Service) -> str:
    stdout, stderr = service.stdout, service.stderr
    redirect = "> /dev/null"
    if stdout is not None and stdout.kind == "file" and stdout.path:
        redirect = f">> {quoting.quote(stdout.path)}"
    if stderr is not None and stderr.kind == "file" and stderr.path:
        return f"{redirect} 2>> {quoting.quote(stderr.path)} < /dev/null"
    return f"{redirect} 2>&1 < /dev/null"


def _hooks(service: Service, when: HookTime) -> Iterator[str]:
    for hook in service.hooks:
        if hook.when is when:
            command = hook.command
            line = quoting.join(command.argv, expands_variables=command.expands_variables)
            yield f"{line} || true" if hook.ignores_failure else f"{line} || return 1"


def _stop(service: Service) -> list[str]:
    lines = [
        "do_stop() {",
        "    if ! is_running; then",
        '        rm -f "$PIDFILE"',
        "        return 0",
        "    fi",
    ]
    lines.append('    pid=$(cat "$PIDFILE")')
    if service.stop is not None:
        stop = service.stop
        lines.append(f"    {quoting.join(stop.argv, expands_variables=stop.expands_variables)}")
    else:
        lines.append('    kill -"$STOP_SIGNAL" "$pid"')
    lines += [
        "    waited=0",
        '    while alive "$pid"; do',
        '        if [ "$waited" -ge "$STOP_TIMEOUT" ]; then',
        '            kill -KILL "$pid" 2>/dev/null',
        "            break",
        "        fi",
        "        sleep 1",
        "        waited=$((waited + 1))",
        "    done",
        '    rm -f "$PIDFILE"',
    ]
    lines += [f"    {line}" for line in _hooks(service, HookTime.AFTER_STOP)]
    return [*lines, "}"]


def _reload(command: Command) -> list[str]:
    if _hangs_up(command):
        body = 'kill -HUP "$(cat "$PIDFILE")"'
    else:
        body = quoting.join(command.argv, expands_variables=command.expands_variables)
    return ["do_reload() {", f"    {body}", "}"]


def _dispatch(service: Service) -> list[str]:
    reloads = service.reload is not None
    actions = "start|stop|restart|try-restart|force-reload" + ("|reload" if reloads else "")
    lines = [
        'case "$1" in',
        "    start)",
        "        do_start",
        "        ;;",
        "    stop)",
        "        do_stop",
        "        ;;",
        "    restart)",
        "        do_stop",
        "        do_start",
        "        ;;",
        "    try-restart)",
        "        if is_running; then",
        "            do_stop",
        "            do_start",
        "        fi",
        "        ;;",
        "    force-reload)",
        *(["        do_reload"] if reloads else ["        do_stop", "        do_start"]),
        "        ;;",
    ]
    if reloads:
        lines += ["    reload)", "        do_reload", "        ;;"]
    lines += [
        _STATUS,
        "    *)",
        f'        echo "Usage: $0 {{{actions}|status}}" >&2',
        "        exit 2",
        "        ;;",
        "esac",
    ]
    return lines


def _report(service: Service, losses: LossLog) -> None:
    """Record what an init script cannot do for ``service``."""
    for field, reason in _unsupported(service).items():
        losses.unsupported(
            service.origin,
            field,
            service=service.name,
            code="SV740",
            severity=Severity.WARNING,
            reason=reason,
            action="left out",
            also=_ALSO.get(field, ()),
        )
    losses.foreign_service_extras(service, target=FORMAT, action="left out")


_ALSO = {"runs_once": ("daemonizes", "pidfile")}
"""Fields the same change alters: a task is read back as a daemon with a pidfile."""


def _unsupported(service: Service) -> dict[str, str]:
    """Name each field of ``service`` a script cannot hold, with the reason."""
    found = {
        "health_checks": (service.health_checks, "an init script checks nothing"),
        "alerts": (service.alerts, "an init script sends no alerts"),
        "sockets": (service.sockets, "an init script hands no sockets"),
        "groups": (service.groups, "SysV init has no service groups"),
        "min_uptime": (service.min_uptime, "SysV init has no minimum uptime"),
        "start_limit": (service.start_limit, "SysV init never restarts, so has no start limit"),
        "restart": (service.restart.is_automatic, "SysV init never restarts a dead daemon"),
        "instances": (service.instances > 1, "one script runs one instance"),
        "limits": ([x for x in service.limits if x.resource != "nofile"],
                   "the script sets only ulimit -n"),
        "start.timeout": (service.start is not None and service.start.timeout is not None,
                          "an init script waits for its start without a timeout"),
        "stops_process_group": (service.stops_process_group,
                                "the script signals the main process only"),
        "kills_process_group": (service.kills_process_group,
                                "the script kills the main process only"),
        "stdout": (service.stdout is not None and service.stdout.kind != "file",
                   "an init script keeps output only in a file; discarded, which reads back "
                   "as no choice"),
        "stderr": (service.stderr is not None and service.stderr.kind not in ("inherit", "file"),
                   "error output goes to a file or where the output goes"),
        "stop.timeout": (service.stop is not None and service.stop.timeout is not None,
                         "the stop timeout covers the stop command and the wait together"),
        "stop_signal": (service.stop is not None and service.stop_signal is not None,
                        "the stop command stops it; the signal is not sent"),
        "restart_command": (service.restart_command, "restart is stop then start"),
        "reload": (service.reload is not None and not _hangs_up(service.reload),
                   "the reload command is run, but only a SIGHUP reads back"),
        "start_order": (service.start_order is not None, "the order comes from Required-Start"),
        "hooks": (service.hooks, "run around the start and stop; reading finds only a "
                  "config test"),
        "runs_once": (service.runs_once, "SysV has no one-shot tasks: it runs in the foreground"),
        "dependencies": (_loose(service), "SysV starts what Required-Start names first and "
                         "never stops us with it"),
        "group": (service.group or (service.start and service.start.group),
                  "su runs the program with its user's own groups"),
        "success_exit_codes": (service.success_exit_codes != (0,), "SysV looks at no exit code"),
    }  # fmt: skip
    return {field: reason for field, (value, reason) in found.items() if value}


def _hangs_up(command: Command) -> bool:
    return command.argv[:2] == ("/bin/kill", "-HUP") or "$MAINPID" in command.argv


def _loose(service: Service) -> bool:
    strong = (Binding.REQUIRES, Binding.BINDS)
    return any(
        d.binding in strong or not d.is_ordered or _unnamed(d.name) for d in service.dependencies
    )


def _unnamed(unit: str) -> bool:
    """Whether LSB has no name for ``unit``: a target or socket no facility stands for."""
    return "." in unit and not unit.endswith(".service") and unit not in _FACILITIES
