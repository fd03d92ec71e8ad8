"""Read ``/etc/inittab``: the default runlevel, and ``respawn`` lines as services.

``id:runlevels:action:process``; ``initdefault`` gives the default runlevel and
``respawn`` a process init restarts. Under upstart (CentOS 6) only ``initdefault``
counts: the file says so itself.
Imports: model.
"""

from __future__ import annotations

from dataclasses import dataclass

from translator.model import (
    Command,
    Extra,
    Origin,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    Span,
)

FORMAT = "inittab"


@dataclass(frozen=True, slots=True, kw_only=True)
class Inittab:
    """The default runlevel and each respawn line (as a service) of an inittab."""

    default_runlevel: str | None
    default_span: Span | None
    services: tuple[Service, ...]


def read(source: Source) -> Inittab:
    """Read ``source``; lines that are not ``id:levels:action:process`` are left alone."""
    default: str | None = None
    default_span: Span | None = None
    services = []
    for number, line in enumerate(source.text.splitlines(), start=1):
        if line.lstrip().startswith("#") or line.count(":") < 3:
            continue
        entry, levels, action, process = line.split(":", 3)
        span = Span(
            path=source.path, line=number, column=1, end_line=number, end_column=len(line) + 1
        )
        if action == "initdefault":
            default, default_span = levels.strip(), span
        elif action == "respawn" and process.strip():
            services.append(_respawned(entry.strip(), levels.strip(), process.strip(), span))
    return Inittab(default_runlevel=default, default_span=default_span, services=tuple(services))


def _respawned(entry: str, levels: str, process: str, span: Span) -> Service:
    """Make a respawn line a service: init runs it through /bin/sh, restarting always."""
    argv = tuple(process.split())
    program = argv[0].rsplit("/", 1)[-1] if argv else entry
    needs_shell = any(char in process for char in "$|;&<>`'\"*?")
    command = ("/bin/sh", "-c", process) if needs_shell else argv
    origin = Origin(span=span, fields=(("start", span), ("restart", span)))
    return Service(
        name=f"inittab-{entry}-{program}",
        description=f"inittab {entry}: {process}",
        start=Command(argv=command, origin=Origin(span=span)),
        daemonizes=False,
        restart=RestartPolicy(when=RestartWhen.ALWAYS, origin=Origin(span=span)),
        enabled_at_boot=bool(set(levels) & set("2345")),
        extras=(
            Extra(format=FORMAT, key="runlevels", value=levels, origin=Origin(span=span)),
            *_provided_by_systemd(program, span),
        ),
        managed_by=FORMAT,
        origin=origin,
    )


_GETTIES = frozenset({"mingetty", "agetty", "getty", "mgetty"})
"""Terminal logins: systemd starts them itself (getty@.service, serial-getty@.service)."""


def _provided_by_systemd(program: str, span: Span) -> tuple[Extra, ...]:
    if program not in _GETTIES:
        return ()
    return (Extra(format=FORMAT, key="provided-by", value="systemd", origin=Origin(span=span)),)
