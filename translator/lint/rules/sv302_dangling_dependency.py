"""SV302 deps.dangling: a dependency on a service nothing in the host defines."""

from __future__ import annotations

from collections.abc import Iterator

from translator.diagnostics import Severity
from translator.lint.registry import Finding, rule
from translator.lint.rules._common import (
    UNIT_SUFFIXES,
    extra,
    of_format,
    source_path,
    systemd_names,
)
from translator.model import Binding, Dependency, Host, Service, Span

_STOCK_SYSTEMD = frozenset(
    {"dbus", "dbus-broker", "getty@", "serial-getty@", "user@", "emergency", "rescue"}
)
"""Services every systemd machine has, besides systemd's own ``systemd-*`` ones."""
_STOCK_INITD = frozenset(
    {
        "mountkernfs", "mountdevsubfs", "mountall", "mountall-bootclean", "mountnfs",
        "mountnfs-bootclean", "checkroot", "checkroot-bootclean", "checkfs", "hostname",
        "bootmisc", "udev", "procps", "kmod", "urandom", "networking", "hwclock",
    }
)  # fmt: skip
"""Scripts of Debian's boot sequence (``rcS``) that other scripts may require."""
_HARD = {Binding.REQUIRES: "Requires", Binding.BINDS: "BindsTo"}
_ENOUGH = 2
"""Units or scripts of a format a run must hold before a missing one counts as missing."""


@rule(
    code="SV302",
    name="deps.dangling",
    severity=Severity.WARNING,
    formats=("monit", "systemd", "initd"),
)
def find_dangling_dependencies(host: Host) -> Iterator[Finding]:
    """What it does: flags a dependency on a service that nothing in the host defines.

    That is a monit ``depends on`` naming no check, a systemd ``Requires=`` or
    ``BindsTo=`` naming a service no unit of the run provides, and an init script's
    ``Required-Start:`` naming a script no ``Provides:`` of the run gives.

    To keep the lint of a few files quiet about what the rest of the machine provides:
    systemd and init scripts are only checked when the run holds at least two units (or
    two scripts); ``Wants=`` is not checked (systemd ignores a wanted unit that does not
    exist, by design), nor units of other kinds (``.socket``, ``.target``, …), nor
    services every system has (``systemd-*``, ``dbus``, ``getty@``, …; for init
    scripts, ``$`` facilities and Debian's boot scripts such as ``mountall``). An init
    script or a native unit stands for the other (systemd-sysv-generator turns scripts
    into units). monit is always checked: ``monit -t`` refuses the control file, and it
    follows includes. A supervisord ``[group:x]`` naming no program is not this rule:
    supervisord refuses the whole file, and svconv reports it as SV101.

    Why it matters: monit refuses to start with the control file; systemd fails the
    start of a unit whose required unit is not found; insserv refuses to enable a
    script whose requirement no script provides.

    Example:
        ```monit monitrc
        check process web with pidfile /run/web.pid
          start program = "/usr/sbin/web"
          depends on database
        ```

    Use instead:
        ```monit monitrc
        check process web with pidfile /run/web.pid
          start program = "/usr/sbin/web"
          depends on database
        check process database with pidfile /run/db.pid
          start program = "/usr/sbin/db"
        ```

    Fix: none; correct the name, or add what it names.
    """
    yield from _monit_findings(host)
    yield from _systemd_findings(host)
    yield from _initd_findings(host)


def _monit_findings(host: Host) -> Iterator[Finding]:
    checks = {service.name for service in of_format(host, "monit")}
    for service in of_format(host, "monit"):
        for dependency in service.dependencies:
            if dependency.name not in checks:
                yield _finding(
                    service,
                    dependency,
                    f"depends on {dependency.name}, which no check defines: monit -t refuses it",
                )


def _systemd_findings(host: Host) -> Iterator[Finding]:
    services = of_format(host, "systemd")
    if len(services) < _ENOUGH:
        return
    known = systemd_names(host) | {service.name for service in of_format(host, "initd")}
    for service in services:
        for dependency in service.dependencies:
            setting = _HARD.get(dependency.binding)
            if setting is None or _is_stock_unit(dependency.name):
                continue
            if dependency.name not in known and _template(dependency.name) not in known:
                yield _finding(
                    service,
                    dependency,
                    f"{setting}={dependency.name}.service names no unit of this run: "
                    "systemd fails the start when it is not found",
                )


def _is_stock_unit(name: str) -> bool:
    return (
        name.endswith(UNIT_SUFFIXES)
        or name.startswith("systemd-")
        or _template(name) in _STOCK_SYSTEMD
        or name in _STOCK_SYSTEMD
    )


def _template(name: str) -> str:
    """Give the template an instance comes from (``getty@tty1`` → ``getty@``)."""
    return name.partition("@")[0] + "@" if "@" in name else name


def _initd_findings(host: Host) -> Iterator[Finding]:
    scripts = of_format(host, "initd")
    if len({source_path(service) for service in scripts}) < _ENOUGH:
        return
    provided = systemd_names(host) | _STOCK_INITD
    for service in scripts:
        provided.add(service.name)
        aliases = extra(service, "provides")
        provided |= set(aliases.value.split()) if aliases else set()
    seen: set[tuple[Span | None, str]] = set()
    for service in scripts:
        for dependency in service.dependencies:
            key = (dependency.origin.span, dependency.name)
            if not _is_required_script(dependency) or dependency.name in provided:
                continue
            if key not in seen:  # the services of one script share its headers
                seen.add(key)
                yield _finding(
                    service,
                    dependency,
                    f"Required-Start: {dependency.name} is provided by no script of this run: "
                    "insserv refuses to enable it",
                )


def _is_required_script(dependency: Dependency) -> bool:
    """Say whether it is a ``Required-Start:`` script (facilities became targets)."""
    return dependency.binding is Binding.WANTS and not dependency.name.endswith(UNIT_SUFFIXES)


def _finding(service: Service, dependency: Dependency, message: str) -> Finding:
    span = dependency.origin.span or service.origin.span or Span(path="<input>", line=1, column=1)
    return Finding(span=span, service=service.name, message=message)
