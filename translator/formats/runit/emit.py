"""Write the supervision model as runit service directories.

Per process service ``NAME/run`` (``exec chpst … ARGV``), ``NAME/log/run`` (svlogd into
``/var/log/NAME``), ``NAME/env/VAR`` and an empty ``NAME/down`` when it is not started at
boot. runsv watches the process it starts, so a daemonizing command goes through the
knowledge base of foreground forms; with none known the service is not written.
Imports: model, loss, knowledge, formats/_shell, formats/_options, formats/runit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.diagnostics import Severity
from translator.formats._options import EmitOptions
from translator.formats._shell import through_shell
from translator.formats.runit import quoting
from translator.formats.runit.parse import ENV_ROOT, FORMAT
from translator.knowledge import foreground
from translator.loss import LossLog, ServiceLosses
from translator.model import VARIABLE_REFERENCE, Host, RestartWhen

LOG_ROOT = "/var/log"
_SHEBANG = "#!/bin/sh"


@dataclass(slots=True)
class _Directory(ServiceLosses):
    """The files of one service directory being written."""

    files: dict[str, str] = field(default_factory=dict)


def emit(host: Host, options: EmitOptions, losses: LossLog) -> dict[str, str]:
    """Return ``{NAME/run: text, NAME/log/run: text, NAME/env/VAR: value, …}``."""
    files: dict[str, str] = {}
    for service in host.services:
        if not service.is_process:
            losses.not_written(service, target=FORMAT, action="dropped")
            continue
        directory = _Directory(service=service, losses=losses)
        if _write(directory, options):
            files |= {f"{service.name}/{name}": text for name, text in directory.files.items()}
    losses.foreign_extras(host.extras, target=FORMAT, action="left out")
    return files


def _write(directory: _Directory, options: EmitOptions) -> bool:
    """Fill the directory's files; False when the service cannot run under runsv."""
    service = directory.service
    if service.start is None:
        directory.losses.no_start(service, written="run")
        return False
    argv = _foreground_argv(directory)
    if argv is None:
        return False
    header = [f"# {line}" for line in options.header.splitlines()]
    body = [*_prelude(directory), _exec_line(directory, argv)]
    directory.files["run"] = "\n".join([_SHEBANG, *header, *body]) + "\n"
    log = f"{LOG_ROOT}/{service.name}"
    directory.files["log/run"] = (
        "\n".join(
            [
                _SHEBANG,
                f"mkdir -p {quoting.join((log,))}",
                f"exec svlogd -tt {quoting.join((log,))}",
            ]
        )
        + "\n"
    )
    if list(service.environment) != sorted(dict(service.environment).items()):
        directory.lose(
            "environment",
            "env/ holds one file per variable, in no order",
            "read back in name order",
            severity=Severity.INFO,
        )
    for key, value in service.environment:
        directory.files[f"env/{key}"] = _environment_value(directory, key, value)
    if not service.enabled_at_boot:
        directory.files["down"] = ""
    _outputs(directory, log)
    _lifecycle(directory)
    _stop(directory)
    _unsupported(directory)
    return True


def _foreground_argv(directory: _Directory) -> tuple[str, ...] | None:
    """Give the argv runsv can keep in front, or None (reported) when none is known."""
    service = directory.service
    assert service.start is not None
    for name in ("pidfile", "match_pattern"):
        if getattr(service, name):
            directory.lose(
                name,
                f"runsv watches its own child, not a {name.replace('_', ' ')}",
                "dropped",
                severity=Severity.INFO,
            )
    if not service.daemonizes:
        return service.start.argv
    form = foreground(service.start.argv)
    if form is None:
        directory.lose(
            "service",
            f"{service.start.argv[0]} detaches and svconv knows no foreground form of it",
            "no service directory written: runsv would see it exit and start it again "
            "every second; give its foreground flag by hand",
            code="SV715",
            severity=Severity.ERROR,
            located_at="daemonizes",
        )
        return None
    change = ", ".join(
        [*(f"added {w}" for w in form.added), *(f"removed {w}" for w in form.removed)]
    )
    directory.lose(
        "daemonizes",
        "runsv needs a program that stays in the foreground",
        f"{change or 'unchanged'} ({form.rule.man})",
        code="SV717",
        severity=Severity.INFO,
        also=("start.argv",),
    )
    return form.argv


def _prelude(directory: _Directory) -> list[str]:
    """List what runs before the exec: stderr into the log, directory, umask, kept lines."""
    service = directory.service
    lines = ["exec 2>&1"]
    if service.working_directory:
        lines.append(f"cd {quoting.join((service.working_directory,))} || exit 1")
    if service.umask:
        lines.append(f"umask {quoting.join((service.umask,))}")
    lines += [e.value for e in service.extras if e.format == FORMAT and e.key == "run"]
    return lines


def _exec_line(directory: _Directory, argv: tuple[str, ...]) -> str:
    """``exec [chpst …] [softlimit …] ARGV``, through sh when argv needs expanding."""
    service = directory.service
    assert service.start is not None
    start = service.start
    if service.environment_files or (
        start.expands_variables and any(VARIABLE_REFERENCE.search(word) for word in argv)
    ):
        literal = argv if start.expands_variables else tuple(w.replace("$", "$$") for w in argv)
        argv = through_shell(literal, service.environment_files)
        directory.lose(
            "start.argv",
            "chpst reads no environment files and expands no $VARIABLES",
            "run through /bin/sh -c, which reads them when the program starts",
            code="SV716",
            severity=Severity.INFO,
            also=("environment_files", "start.expands_variables"),
        )
    return "exec " + quoting.join((*_chpst(directory), *_softlimit(directory), *argv))


def _chpst(directory: _Directory) -> list[str]:
    service = directory.service
    words: list[str] = []
    user = service.user or (service.start.user if service.start else None)
    group = service.group or (service.start.group if service.start else None)
    if user:
        words += ["-u", f"{user}:{group}" if group else user]
    elif group:
        directory.lose("group", "chpst -u needs a user to set a group", "runs as root's group")
    if service.environment:
        words += ["-e", f"{ENV_ROOT}/{service.name}/env"]
    for limit in service.limits:
        if limit.resource == "nofile" and ":" not in limit.value:
            words += ["-o", limit.value]
        else:
            directory.lose(
                "limits",
                f"chpst sets no {limit.resource} limit of {limit.value}",
                "left out",
            )
    for extra in service.extras:
        if extra.format == FORMAT and extra.key.startswith("chpst "):
            words += [extra.key.removeprefix("chpst "), extra.value]
    return ["chpst", *words] if words else []


def _softlimit(directory: _Directory) -> list[str]:
    words: list[str] = []
    for extra in directory.service.extras:
        if extra.format == FORMAT and extra.key.startswith("softlimit "):
            words += [extra.key.removeprefix("softlimit "), *([extra.value] if extra.value else [])]
    return ["softlimit", *words] if words else []


def _environment_value(directory: _Directory, key: str, value: str) -> str:
    """One env/ file: chpst reads its first line, trailing blanks trimmed."""
    if "\n" in value or value != value.rstrip(" \t"):
        directory.lose(
            "environment",
            f"an env/ file holds one line without trailing blanks; {key}={value!r}",
            "written with the first line, trimmed",
        )
    return value.split("\n", 1)[0].rstrip(" \t") + "\n"


def _outputs(directory: _Directory, log: str) -> None:
    service = directory.service
    for name, output in (("stdout", service.stdout), ("stderr", service.stderr)):
        if output is None or output.kind in ("managed", "inherit"):
            continue
        where = output.path if output.kind == "file" else output.kind
        directory.lose(
            name,
            f"runit sends a service's output to its log service, not to {where}",
            f"svlogd writes it to {log}",
        )


def _lifecycle(directory: _Directory) -> None:
    service = directory.service
    if service.restart.when is not RestartWhen.ALWAYS:
        directory.lose(
            "restart", "runsv starts a service again whenever it exits", "restarted always"
        )
    if service.runs_once:
        directory.lose("runs_once", "runit has no one-shot tasks", "restarted whenever it exits")
    if service.restart.delay is not None:
        directory.lose(
            "restart.delay",
            "runsv has no restart delay",
            "it waits 1 s between fast restarts",
            severity=Severity.INFO,
        )
    limit = service.start_limit
    if limit is not None:
        within = f" in {limit.interval:g}s" if limit.interval is not None else ""
        directory.lose(
            "start_limit",
            f"runsv restarts forever; it has no limit of {limit.burst} starts{within}",
            "left out",
        )


def _stop(directory: _Directory) -> None:
    service = directory.service
    if service.stop_signal and service.stop_signal.removeprefix("SIG") != "TERM":
        directory.lose("stop_signal", "runit stops a service with SIGTERM", "left out")
    if service.stop_timeout is not None:
        directory.lose(
            "stop_timeout",
            "sv waits its own -w seconds (7 by default) for a stop",
            "left out",
            severity=Severity.INFO,
        )
    for slot, what in (
        ("stop", "stop command"),
        ("reload", "reload command"),
        ("restart_command", "restart command"),
    ):
        if getattr(service, slot) is not None:
            directory.lose(slot, f"runit has no {what}; it signals the process", "left out")


_NOT_HELD = (
    ("description", "a description"),
    ("stops_process_group", "a process-group stop"),
    ("kills_process_group", "a process-group kill"),
    ("min_uptime", "a minimum uptime"),
    ("start_order", "a start order"),
    ("dependencies", "dependencies"),
    ("hooks", "hooks around start and stop"),
    ("groups", "groups"),
    ("sockets", "sockets it opens"),
)


def _unsupported(directory: _Directory) -> None:
    """Report every field runit's files cannot hold, and the checks and alerts."""
    service = directory.service
    for name, what in _NOT_HELD:
        if getattr(service, name) not in (None, (), False):
            directory.lose(name, f"runit has no {what}", "left out")
    if service.success_exit_codes != (0,):
        directory.lose("success_exit_codes", "runsv restarts on any exit", "left out")
    if service.instances > 1:
        directory.lose("instances", "a runit directory runs one process", "one written")
    if service.start is not None and service.start.timeout is not None:
        directory.lose("start.timeout", "runit has no start timeout", "left out")
    for check in service.health_checks:
        directory.losses.unsupported(
            check.origin,
            "health_checks",
            service=service.name,
            code="SV701",
            action="dropped",
            reason=f"runit cannot check {check.probe.describe()}",
        )
    for alert in service.alerts:
        directory.losses.unsupported(
            alert.origin,
            "alerts",
            service=service.name,
            code="SV706",
            reason=f"runit cannot send alerts to {alert.recipient}",
            action="dropped",
        )
    directory.losses.foreign_service_extras(service, target=FORMAT, action="left out")
