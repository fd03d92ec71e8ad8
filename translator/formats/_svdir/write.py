"""Write the supervision model as service directories, one per process service.

``NAME/run`` (``exec`` through the dialect's tools), ``NAME/log/run`` (its logger into
``/var/log/NAME``), ``NAME/env/VAR``, an empty ``NAME/down`` when it is not started at
boot, and ``NAME/finish`` for post-stop hooks and a start limit. The supervisor watches
the process it starts, so a daemonizing command goes through the knowledge base of
foreground forms; with none known the service is not written.
Imports: model, loss, formats/_foreground, formats/_shell, formats/_options, formats/_svdir.
"""

from __future__ import annotations

from dataclasses import replace

from translator.diagnostics import Severity
from translator.formats._foreground import foreground_form
from translator.formats._options import EmitOptions
from translator.formats._shell import through_shell
from translator.formats._svdir import quoting
from translator.formats._svdir.dialect import SHEBANG, Dialect, ServiceDirectory, limit_option
from translator.formats._svdir.finish import write_finish
from translator.formats._svdir.read import NO_EXEC
from translator.loss import LossLog
from translator.model import (
    INSTANCE_VARIABLE,
    VARIABLE_REFERENCE,
    Action,
    Host,
    RestartWhen,
    Service,
    StartLimit,
)


def write_service_directories(
    host: Host, dialect: Dialect, options: EmitOptions, losses: LossLog
) -> dict[str, str]:
    """Return ``{NAME/run: text, NAME/log/run: text, NAME/env/VAR: value, …}``."""
    files: dict[str, str] = {}
    for service in host.services:
        if not service.is_process:
            losses.not_written(service, target=dialect.format, action="dropped")
            continue
        for copy, instance in _instances(service, dialect, losses):
            directory = ServiceDirectory(
                service=copy, losses=losses, dialect=dialect, instance=instance
            )
            if _write(directory, options):
                files |= {f"{directory.name}/{n}": text for n, text in directory.files.items()}
    losses.foreign_extras(host.extras, target=dialect.format, action="left out")
    return files


def _instances(service: Service, dialect: Dialect, losses: LossLog) -> list[tuple[Service, str]]:
    """Give each instance and its number (none: ""): a service directory runs one process.

    ``${SVCONV_INSTANCE}`` in the start command and the environment becomes the number.
    """
    if service.instances <= 1:
        return [(service, "")]
    numbers = range(service.first_instance, service.first_instance + service.instances)
    names = [service.instance_format % number for number in numbers]
    losses.unsupported(
        service.origin,
        "instances",
        service=service.name,
        code="SV722",
        severity=Severity.INFO,
        also=("name", "first_instance", "instance_format"),
        reason=f"a {dialect.format} service directory runs one process",
        action=f"{service.instances} directories, {service.name}-{names[0]} to "
        f"{service.name}-{names[-1]}",
    )
    return [(_numbered(service, name), name) for name in names]


def _numbered(service: Service, number: str) -> Service:
    """Give the copy of ``service`` that runs as instance ``number``."""
    reference = "${" + INSTANCE_VARIABLE + "}"
    start = service.start
    if start is not None:
        start = replace(start, argv=tuple(w.replace(reference, number) for w in start.argv))
    environment = tuple((k, v.replace(reference, number)) for k, v in service.environment)
    return replace(
        service,
        start=start,
        environment=environment,
        instances=1,
        first_instance=0,
        instance_format="%d",
    )


def _write(directory: ServiceDirectory, options: EmitOptions) -> bool:
    """Fill the directory's files; False when the service cannot run under the supervisor."""
    service = directory.service
    if service.start is None:
        directory.losses.no_start(service, written="run")
        return False
    argv = _foreground_argv(directory)
    if argv is None:
        return False
    header = [f"# {line}" for line in options.header.splitlines()]
    body = [*_prelude(directory), _exec_line(directory, argv)]
    directory.files["run"] = "\n".join([SHEBANG, *header, *body]) + "\n"
    directory.files["log/run"] = directory.dialect.log_run(directory.name)
    _environment(directory)
    if not service.enabled_at_boot:
        directory.files["down"] = ""
    _outputs(directory, directory.dialect.log_directory(directory.name))
    _lifecycle(directory)
    write_finish(directory)
    directory.dialect.stop(directory)
    _unsupported(directory)
    return True


def _foreground_argv(directory: ServiceDirectory) -> tuple[str, ...] | None:
    """Give the argv the supervisor can keep in front, or None (reported) when none is known."""
    service = directory.service
    supervisor = directory.dialect.supervisor
    assert service.start is not None
    for name in ("pidfile", "match_pattern"):
        if getattr(service, name):
            directory.lose(
                name,
                f"{supervisor} watches its own child, not a {name.replace('_', ' ')}",
                "dropped",
                severity=Severity.INFO,
            )
    if not service.daemonizes:
        return service.start.argv
    form = foreground_form(directory, supervisor)
    if form is None:
        directory.lose(
            "service",
            f"{service.start.argv[0]} detaches and svconv knows no foreground form of it",
            f"no service directory written: {supervisor} would see it exit and start it "
            "again every second; give its foreground flag by hand",
            code="SV715",
            severity=Severity.ERROR,
            located_at="daemonizes",
        )
        return None
    return form.argv


def _prelude(directory: ServiceDirectory) -> list[str]:
    """List what runs before the exec: stderr into the log, directory, umask, kept lines."""
    service = directory.service
    lines = ["exec 2>&1"]
    if service.working_directory:
        lines.append(f"cd {quoting.join((service.working_directory,))} || exit 1")
    if service.umask:
        lines.append(f"umask {quoting.join((service.umask,))}")
    own = directory.dialect.format
    lines += [e.value for e in service.extras if e.format == own and e.key == "run"]
    return lines


def _exec_line(directory: ServiceDirectory, argv: tuple[str, ...]) -> str:
    """``exec [tools …] ARGV``, through sh when argv needs expanding."""
    service = directory.service
    assert service.start is not None
    start = service.start
    inner = ""
    if service.environment_files or (
        start.expands_variables and any(VARIABLE_REFERENCE.search(word) for word in argv)
    ):
        literal = argv if start.expands_variables else tuple(w.replace("$", "$$") for w in argv)
        argv = through_shell(literal, service.environment_files)
        directory.lose(
            "start.argv",
            f"{directory.dialect.environment_tool} reads no environment files and expands "
            "no $VARIABLES",
            "run through /bin/sh -c, which reads them when the program starts",
            code="SV716",
            severity=Severity.INFO,
            also=("environment_files", "start.expands_variables"),
        )
        # the single quotes are meant: the inner sh, not this one, expands the variables
        inner = "# shellcheck disable=SC2016\n"
    return inner + "exec " + quoting.join((*directory.dialect.wrappers(directory), *argv))


def environment_directory(directory: ServiceDirectory) -> str:
    """Name the service's own ``env/`` directory, as its run script does."""
    return f"{directory.dialect.service_root}/{directory.name}/env"


def _environment(directory: ServiceDirectory) -> None:
    """Write ``env/VAR`` files: the tool reads each file's first line, trailing blanks trimmed."""
    service = directory.service
    if list(service.environment) != sorted(dict(service.environment).items()):
        directory.lose(
            "environment",
            "env/ holds one file per variable, in no order",
            "read back in name order",
            severity=Severity.INFO,
        )
    for key, value in service.environment:
        if "\n" in value or value != value.rstrip(" \t"):
            directory.lose(
                "environment",
                f"an env/ file holds one line without trailing blanks; {key}={value!r}",
                "written with the first line, trimmed",
            )
        directory.files[f"env/{key}"] = value.split("\n", 1)[0].rstrip(" \t") + "\n"


def _outputs(directory: ServiceDirectory, log: str) -> None:
    service = directory.service
    logger = directory.dialect.log_command[0]
    for name, output in (("stdout", service.stdout), ("stderr", service.stderr)):
        if output is None or output.kind in ("managed", "inherit"):
            continue
        where = output.path if output.kind == "file" else output.kind
        directory.lose(
            name,
            f"{directory.dialect.format} sends a service's output to its log service, "
            f"not to {where}",
            f"{logger} writes it to {log}",
        )


def _lifecycle(directory: ServiceDirectory) -> None:
    service = directory.service
    supervisor = directory.dialect.supervisor
    if service.restart.when is not RestartWhen.ALWAYS:
        directory.lose(
            "restart", f"{supervisor} starts a service again whenever it exits", "restarted always"
        )
    if service.runs_once:
        directory.lose(
            "runs_once",
            f"{directory.dialect.format} has no one-shot tasks",
            "restarted whenever it exits",
        )
    if service.restart.delay is not None:
        directory.lose(
            "restart.delay",
            f"{supervisor} has no restart delay",
            "it waits 1 s between fast restarts",
            severity=Severity.INFO,
        )


_NOT_HELD = (
    ("description", "description"),
    ("stops_process_group", "process-group stop"),
    ("kills_process_group", "process-group kill"),
    ("min_uptime", "minimum uptime"),
    ("start_order", "start order"),
    ("dependencies", "dependencies"),
    ("groups", "groups"),
    ("sockets", "sockets it opens"),
)


def _unsupported(directory: ServiceDirectory) -> None:
    """Report every field the directory cannot hold, and the checks and alerts."""
    service = directory.service
    target = directory.dialect.format
    for name, what in _NOT_HELD:
        if getattr(service, name) not in (None, (), False):
            directory.lose(name, f"{target} has no {what}", "left out")
    for slot, what in (
        ("stop", "stop command"),
        ("reload", "reload command"),
        ("restart_command", "restart command"),
    ):
        if getattr(service, slot) is not None:
            directory.lose(slot, f"{target} has no {what}; it signals the process", "left out")
    if service.success_exit_codes != (0,):
        directory.lose(
            "success_exit_codes", f"{directory.dialect.supervisor} restarts on any exit", "left out"
        )
    if service.start is not None and service.start.timeout is not None:
        directory.lose("start.timeout", f"{target} has no start timeout", "left out")
    _own_extras(directory)
    _checks_and_alerts(directory)


def _own_extras(directory: ServiceDirectory) -> None:
    """Report the statements of this format that its writer does not put back."""
    dialect = directory.dialect
    written = ("run", *(("finish",) if dialect.runs_finish else ()))
    for extra in directory.service.extras:
        if extra.format != dialect.format or extra.key in written:
            continue
        if extra.key.startswith(dialect.written_extras):
            continue
        if extra.key == NO_EXEC:
            directory.losses.unsupported(
                extra.origin,
                "extras",
                service=directory.service.name,
                code="SV710",
                reason=f"the program ran without exec, under a shell {dialect.supervisor} watched",
                action="written with exec",
                severity=Severity.INFO,
            )
            continue
        directory.losses.unsupported(
            extra.origin,
            "extras",
            service=directory.service.name,
            code="SV710",
            reason=f"{dialect.format} writes no {extra.key}={extra.value!r} here",
            action="left out",
        )


def _checks_and_alerts(directory: ServiceDirectory) -> None:
    service = directory.service
    target = directory.dialect.format
    directory.losses.checks_and_alerts(service, target=target, action="dropped")
    directory.losses.foreign_service_extras(service, target=target, action="left out")


def softlimit(directory: ServiceDirectory, program: str, *, open_files: bool) -> list[str]:
    """``PROGRAM [-o N] [kept softlimit options]``, or nothing when there is none.

    ``open_files``: the open-files limit goes here (where no other tool of the chain
    sets it); any other limit is reported lost.
    """
    words: list[str] = []
    for limit in directory.service.limits if open_files else ():
        option = limit_option(limit.resource, limit.value)
        if option is not None:
            words += [option, limit.value]
        else:
            directory.lose(
                "limits", f"{program} sets no {limit.resource} limit of {limit.value}", "left out"
            )
    for extra in directory.service.extras:
        if extra.format == directory.dialect.format and extra.key.startswith("softlimit "):
            words += [extra.key.removeprefix("softlimit "), *([extra.value] if extra.value else [])]
    return [program, *words] if words else []


def interval_limit(directory: ServiceDirectory, tool: str) -> StartLimit | None:
    """Give the start limit ``tool`` can count (starts in an interval), else None (reported).

    ``tool`` can only stop restarting: another action is reported as approximated.
    """
    limit = directory.service.start_limit
    assert limit is not None
    if limit.interval is None:
        directory.lose(
            "start_limit",
            f"{tool} counts exits in an interval, not {limit.burst} failed starts in a row",
            "left out",
        )
        return None
    if limit.action is not Action.GIVE_UP:
        directory.lose(
            "start_limit.action",
            f"{tool} can only stop restarting, not {limit.action.value}",
            "the service stays down",
        )
    return limit


def lose_stop_signal(directory: ServiceDirectory, stopper: str) -> None:
    """Report a stop signal other than SIGTERM, the only one ``stopper`` sends."""
    signal = directory.service.stop_signal
    if signal and signal.removeprefix("SIG") != "TERM":
        directory.lose("stop_signal", f"{stopper} stops a service with SIGTERM", "left out")


def identity(directory: ServiceDirectory) -> tuple[str | None, str | None]:
    """Give the user and group the program runs as (the service's, else its start's)."""
    service = directory.service
    start = service.start
    user = service.user or (start.user if start else None)
    return user, service.group or (start.group if start else None)
