"""``svconv migrate``: read a CentOS 6 host tree, plan its move to systemd, write OUT.

The tree is read through ``io.HostTree`` (read only, every path resolved inside it);
each supervision file goes through its format's reader, the whole host through the lint
rules, each service that becomes a unit through the systemd writer. What to do with
each service and how risky it is lives in ``translator.migrate``.
Imports: api, io, model, diagnostics, errors, formats, knowledge, lint, migrate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from translator import api, io
from translator.diagnostics import Diagnostic, Edit, Fix, ParseResult
from translator.errors import SvconvError
from translator.formats import FORMATS, detect
from translator.formats.initd import is_service_script
from translator.knowledge.control import normal_pidfile
from translator.lint import engine
from translator.lint.config import LintConfig
from translator.lint.engine import LintFile
from translator.lint.fix import apply as apply_fixes
from translator.migrate import inittab as inittab_reader
from translator.migrate.discover import Inventory, discover
from translator.migrate.plan import SCRIPT_DIRECTORY, Item, Note, Plan, Target
from translator.migrate.render import outputs
from translator.model import (
    Command,
    Extra,
    Host,
    Origin,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    Span,
)

_BOOT_LEVELS = frozenset("2345S")
_UNIT_DIRECTORY = "etc/systemd/system"
_MIGRATION_EXTRAS = frozenset({"runlevels", "provided-by"})
_FIX_RULES = ("SV401", "SV402")
"""Rules whose safe fixes remove a double start: monit then asks systemctl."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Migration:
    """The files of OUT and the plan they come from."""

    files: dict[str, str]
    plan: Plan

    @property
    def executables(self) -> frozenset[str]:
        """The files of OUT that must be executable: apply.sh and installed scripts."""
        return frozenset(
            name for name in self.files if name == "apply.sh" or name.startswith(SCRIPT_DIRECTORY)
        )


@dataclass(slots=True)
class _Reading:
    """One service read from the tree, before it is planned."""

    service: Service
    kind: str
    span: Span
    notes: list[Diagnostic]
    runlevels: str = ""
    confidence: str = "high"
    problems: tuple[str, ...] = ()
    reviews: tuple[str, ...] = ()


def migrate(
    root: Path,
    *,
    absorb: frozenset[str] = frozenset(),
    progress: Callable[[str], None] | None = None,
) -> Migration:
    """Plan the move of the host tree at ``root`` to systemd; nothing in it is written.

    ``absorb`` names supervisors whose programs become units (``supervisord``: each
    program gets a unit, and ``autostart=false`` in its own file). ``progress`` hears the
    host path of each file as it is read.
    """
    tree = io.HostTree(root)
    found = discover(tree, lambda path, text: is_service_script(text))
    read = _read(found, tree, progress or (lambda path: None))
    readings, sources, refused = read.readings, read.sources, read.refused
    plan = Plan(default_target=_default_target(found))
    host = Host(services=tuple(_with_runlevels(r) for r in readings), extras=tuple(read.extras))
    findings = engine.run(host, _lint_files(sources), read.notes, LintConfig())
    plan.changed = _fixed_monit(sources, findings, readings)
    if "supervisord" in absorb:
        readings = [_absorbed(r) for r in readings]
        plan.changed |= _autostart_off(readings, sources)
    plan.items, plan.units = _planned(readings, findings, tree, plan)
    plan.host_findings = tuple(_note(d) for d in findings if _owner(d, readings) is None)
    plan.items += refused
    return Migration(files=outputs(plan, root.name), plan=plan)


def _default_target(found: Inventory) -> str:
    if found.inittab is None:
        return "multi-user.target"
    default = inittab_reader.read(found.inittab).default_runlevel
    return "graphical.target" if default == "5" else "multi-user.target"


# ---------------------------------------------------------------- reading


@dataclass(slots=True)
class _Read:
    """Everything read from the tree: services, files, host settings, readers' notes."""

    readings: list[_Reading]
    sources: list[Source]
    refused: list[Item]
    extras: list[Extra]
    notes: list[Diagnostic]


def _read(found: Inventory, tree: io.HostTree, progress: Callable[[str], None]) -> _Read:
    """Read every supervision file; a file its reader refuses is a high-risk item."""
    readings: list[_Reading] = []
    sources: dict[str, Source] = {}
    refused: list[Item] = []
    extras: list[Extra] = []
    notes: list[Diagnostic] = []
    load = api.IncludeRecorder(tree.include_loader(), sources)
    groups: list[tuple[str, str, list[Source]]] = [
        ("initd", "init.d", [s]) for s in found.init_scripts
    ]
    if "upstart" in FORMATS:
        groups += [("upstart", "upstart", [s]) for s in found.upstart_jobs]
    if found.monit is not None:
        groups.append(("monit", "monit", [found.monit]))
    if found.supervisord is not None:
        groups.append(("supervisord", "supervisord", [found.supervisord]))
    for fmt, kind, group in groups:
        progress(group[0].path)
        try:
            parsed = api.parse(
                group, source_format=fmt, load_include=load, options=api.ParseOptions()
            )
        except SvconvError as error:
            refused.append(_refused(group[0], kind, error))
            continue
        sources |= {source.path: source for source in group}
        readings += [_reading(s, kind, parsed, found) for s in parsed.host.services]
        extras += parsed.host.extras
        notes += parsed.diagnostics
    if found.inittab is not None:
        readings += _inittab(found)
    ordered = [sources[path] for path in sorted(sources)]
    return _Read(readings=readings, sources=ordered, refused=refused, extras=extras, notes=notes)


def _refused(source: Source, kind: str, error: SvconvError) -> Item:
    name = PurePosixPath(source.path).name.removesuffix(".conf")
    return Item(
        name=name,
        kind=kind,
        where=str(error.span or source.path),
        supervisors=(kind,),
        runlevels="",
        target=Target.DROPPED,
        confidence="low",
        problems=(f"parse error: {error}",),
    )


def _reading(service: Service, kind: str, parsed: ParseResult, found: Inventory) -> _Reading:
    span = service.origin.span or Span(path="<tree>", line=1, column=1)
    notes = [d for d in parsed.diagnostics if d.span.path == span.path]
    confidence = next((d.message.rsplit(" ", 2)[-2] for d in notes if d.code == "SV732"), "high")
    runlevels = _runlevels(service, kind, found)
    if runlevels is not None:
        service = replace(service, enabled_at_boot=bool(set(runlevels) & _BOOT_LEVELS))
    return _Reading(
        service=service,
        kind=kind,
        span=span,
        notes=notes,
        runlevels=runlevels or "",
        confidence=confidence,
        reviews=_header_disagrees(service, kind, runlevels),
    )


def _header_disagrees(service: Service, kind: str, linked: str | None) -> tuple[str, ...]:
    """Say when chkconfig's links and the script's own header name other runlevels."""
    chkconfig = next((e.value for e in service.extras if e.key == "chkconfig"), None)
    if kind != "init.d" or linked is None or chkconfig is None or not chkconfig.split():
        return ()
    stated = "".join(sorted(set(chkconfig.split()[0]) - {"-"}))
    if stated == linked:
        return ()
    return (
        f"chkconfig's links start it in runlevels {linked or 'none'}, its header says "
        f"{stated or 'none'}; the links win",
    )


def _with_runlevels(reading: _Reading) -> Service:
    """Give the service as lint sees the migrated host.

    A script that becomes a unit is a systemd service there (so a monit check that also
    starts it is a double start), restarted by nothing as under SysV, and keeps its
    chkconfig runlevels as an extra.
    """
    service = reading.service
    if reading.kind != "init.d":
        return service
    extra = Extra(format=service.managed_by, key="runlevels", value=reading.runlevels)
    # as SysV runs it today: nothing restarts it (the unit's Restart= comes with the move)
    return replace(
        service, managed_by="systemd", restart=RestartPolicy(), extras=(*service.extras, extra)
    )


def _runlevels(service: Service, kind: str, found: Inventory) -> str | None:
    """Give the runlevels it starts in: chkconfig's links for a script, else its own."""
    if kind == "init.d":
        script = PurePosixPath((service.origin.span or Span(path="x", line=1, column=1)).path)
        return "".join(sorted(found.starts.get(script.name, frozenset())))
    stated = next((e.value for e in service.extras if e.key == "runlevels"), None)
    if stated is None and kind == "upstart" and service.enabled_at_boot:
        return "2345"  # the upstart reader keeps only runlevels other than these
    return stated


def _inittab(found: Inventory) -> list[_Reading]:
    assert found.inittab is not None
    table = inittab_reader.read(found.inittab)
    readings = []
    for service in table.services:
        span = service.origin.span or Span(path="/etc/inittab", line=1, column=1)
        levels = next((e.value for e in service.extras if e.key == "runlevels"), "")
        reviews: tuple[str, ...] = ()
        if found.is_upstart:
            reviews = ("inert: upstart reads only initdefault from /etc/inittab, as the file says",)
        readings.append(
            _Reading(
                service=service,
                kind="inittab",
                span=span,
                notes=[],
                runlevels=levels,
                reviews=reviews,
            )
        )
    return readings


# ---------------------------------------------------------------- lint and fixes


def _lint_files(sources: Iterable[Source]) -> list[LintFile]:
    files = []
    for source in sources:
        fmt = detect(source.path, source.text)
        if fmt is None:
            continue
        module = FORMATS[fmt].module
        files.append(
            LintFile(
                path=source.path,
                text=source.text,
                format=fmt,
                comment_markers=module.COMMENT_MARKERS,
                has_trailing_comments=module.TRAILING_COMMENTS,
            )
        )
    return files


def _fixed_monit(
    sources: list[Source], findings: list[Diagnostic], readings: list[_Reading]
) -> dict[str, tuple[str, str]]:
    """Make monit ask systemctl and watch the unit's pidfile: systemd owns the process.

    The fixes of SV401/SV402 are applied even where lint calls them unsafe (the unit
    runs the daemon another way): after the move, the unit is how it runs.
    """
    fixes = [
        replace(d, fix=replace(d.fix, is_safe=True))
        for d in findings
        if d.code in _FIX_RULES and d.fix is not None
    ]
    fixes += _aligned_pidfiles(readings)
    changed = {}
    for source in sources:
        after = apply_fixes(source.text, fixes, source.path)
        if after != source.text:
            changed[source.path] = (source.text, after)
    return changed


def _aligned_pidfiles(readings: list[_Reading]) -> list[Diagnostic]:
    """Point each monit check at the pidfile of the unit that now runs its daemon."""
    units = {
        r.service.name: r.service.pidfile
        for r in readings
        if r.kind in ("init.d", "upstart") and r.service.pidfile
    }
    fixes = []
    for reading in readings:
        watched = reading.service.pidfile
        span = dict(reading.service.origin.fields).get("pidfile")
        unit_pidfile = units.get(reading.service.name)
        if reading.kind != "monit" or not watched or span is None or not span.end_line:
            continue
        if unit_pidfile is None or normal_pidfile(unit_pidfile) == normal_pidfile(watched):
            continue
        edit = Edit(span=span, text=unit_pidfile)
        fix = Fix(description=f"watch {unit_pidfile}", edits=(edit,))
        fixes.append(Diagnostic(code="SV404", message=fix.description, span=span, fix=fix))
    return fixes


def _owner(diagnostic: Diagnostic, readings: list[_Reading]) -> _Reading | None:
    """Find the service a finding is about: by its file first (a name may be in two)."""
    in_file = [r for r in readings if r.span.path == diagnostic.span.path]
    named = [r for r in readings if diagnostic.service == r.service.name]
    both = [r for r in in_file if r in named]
    return next(iter(both or in_file or named), None)


def _note(diagnostic: Diagnostic) -> Note:
    return Note(text=str(diagnostic), severity=diagnostic.severity)


# ---------------------------------------------------------------- planning


def _planned(
    readings: list[_Reading], findings: list[Diagnostic], tree: io.HostTree, plan: Plan
) -> tuple[list[Item], dict[str, str]]:
    items: list[Item] = []
    units: dict[str, str] = {}
    supervisors = _supervisors(readings)
    kept_by_supervisord = {r.service.name for r in readings if r.kind == "supervisord"}
    for reading in readings:
        target, service = _target(reading)
        mine = [d for d in findings if _owner(d, readings) is reading]
        if target is Target.SYSTEMD:
            mine = []  # the distribution's own job: systemd has its equivalent
        item = Item(
            name=reading.service.name,
            kind=reading.kind,
            where=f"{reading.span.path}:{reading.span.line}",
            supervisors=supervisors.get(reading.service.name, (reading.kind,)),
            runlevels=reading.runlevels,
            target=target,
            enabled=service.enabled_at_boot and target is Target.UNIT,
            confidence=reading.confidence,
            findings=tuple(_note(d) for d in mine),
            problems=(
                *reading.problems,
                *_missing(service, target, tree),
                *_unresolved(mine, plan),
            ),
            reviews=reading.reviews,
        )
        if target is Target.UNIT and reading.service.name in kept_by_supervisord:
            # supervisord keeps running it: the unit is written but stays disabled
            item = replace(
                item,
                enabled=False,
                reviews=(*item.reviews, "supervisord runs it too; the unit stays disabled"),
            )
            service = replace(service, enabled_at_boot=False)
        if target is Target.UNIT:
            service = _absolute(service, tree)
            files, losses = _unit(service, reading)
            units |= files
            item = replace(item, unit=f"{service.name}.service", losses=losses)
        items.append(item)
    return items, units


def _supervisors(readings: list[_Reading]) -> dict[str, tuple[str, ...]]:
    by_name: dict[str, list[str]] = {}
    for reading in readings:
        by_name.setdefault(reading.service.name, []).append(reading.kind)
    return {name: tuple(sorted(set(kinds))) for name, kinds in by_name.items()}


def _absorbed(reading: _Reading) -> _Reading:
    """Hand a supervisord program to systemd (``--absorb supervisord``)."""
    if reading.kind != "supervisord":
        return reading
    reviews = (*reading.reviews, "moved from supervisord into a unit; autostart=false there")
    return replace(reading, kind="supervisord (absorbed)", reviews=reviews)


def _autostart_off(readings: list[_Reading], sources: list[Source]) -> dict[str, tuple[str, str]]:
    """Turn each absorbed program's ``autostart`` off in its own file, line by line."""
    texts = {source.path: source.text for source in sources}
    changed: dict[str, tuple[str, str]] = {}
    for reading in readings:
        span = reading.service.origin.span
        if reading.kind != "supervisord (absorbed)" or span is None or span.path not in texts:
            continue
        before = changed.get(span.path, (texts[span.path], texts[span.path]))[1]
        lines = before.split("\n")
        setting = dict(reading.service.origin.fields).get("enabled_at_boot")
        if setting:
            lines[setting.line - 1] = "autostart=false"
        else:
            lines.insert(span.line, "autostart=false")
        changed[span.path] = (texts[span.path], "\n".join(lines))
    return changed


def _target(reading: _Reading) -> tuple[Target, Service]:
    service = reading.service
    if any(e.key == "provided-by" for e in service.extras):
        return Target.SYSTEMD, service
    if reading.kind == "monit":
        return Target.WATCHED, service
    if reading.kind == "supervisord":
        return Target.SUPERVISORD, service
    if reading.kind == "inittab" and reading.reviews:
        return Target.DROPPED, service
    if reading.kind == "init.d" and service.name in _SUPERVISOR_UNITS:
        return Target.UNIT, _SUPERVISOR_UNITS[service.name](service)
    return Target.UNIT, service


def _monit_unit(script: Service) -> Service:
    """Run monit itself in the foreground (``-I``), restarted always: nothing watches it."""
    return _own_unit(script, ("/usr/bin/monit", "-I"), RestartWhen.ALWAYS, "monit")


def _supervisord_unit(script: Service) -> Service:
    """Run supervisord in the foreground (``-n``), restarted when it fails."""
    argv = ("/usr/bin/supervisord", "-n", "-c", "/etc/supervisord.conf")
    return _own_unit(script, argv, RestartWhen.ON_FAILURE, "supervisord")


def _own_unit(script: Service, argv: tuple[str, ...], when: RestartWhen, name: str) -> Service:
    span = script.origin.span
    return Service(
        name=name,
        description=script.description,
        start=Command(argv=argv, origin=Origin(span=span)),
        daemonizes=False,
        restart=RestartPolicy(when=when, origin=Origin(span=span)),
        dependencies=script.dependencies,
        enabled_at_boot=script.enabled_at_boot,
        managed_by="initd",
        origin=Origin(span=span),
    )


_SUPERVISOR_UNITS = {"monit": _monit_unit, "supervisord": _supervisord_unit}


def _unit(service: Service, reading: _Reading) -> tuple[dict[str, str], tuple[Note, ...]]:
    """Write ``service`` as a unit (and drop-ins, and scripts); its losses, the reader's too."""
    # what the migration itself reads (runlevels, provided-by) is no loss of the unit
    kept = tuple(e for e in service.extras if e.key not in _MIGRATION_EXTRAS)
    service, scripts = _scripts_installed(replace(service, extras=kept))
    parsed = ParseResult(host=Host(services=(service,)), diagnostics=tuple(reading.notes))
    translation = api.translate(
        parsed,
        target_format="systemd",
        emit=api.EmitOptions(companion=False),
        names=reading.span.path,
    )
    files = {f"{_UNIT_DIRECTORY}/{name}": text for name, text in translation.files.items()}
    files |= scripts
    losses = tuple(
        Note(text=str(loss.as_diagnostic()), severity=loss.severity) for loss in translation.losses
    )
    return files, losses


def _scripts_installed(service: Service) -> tuple[Service, dict[str, str]]:
    """Move multi-line ``sh -e -c`` bodies (upstart script blocks) into script files.

    A unit's ``ExecStart=`` holds one line; the file keeps the block readable, and
    ``bash -n`` and shellcheck can judge it.
    """
    scripts: dict[str, str] = {}

    def installed(command: Command | None, role: str) -> Command | None:
        if command is None or not _is_script_block(command.argv):
            return command
        path = f"{SCRIPT_DIRECTORY}/{service.name}-{role}"
        scripts[path] = f"#!/bin/sh -e\n# {role} of {service.name}, from its upstart job\n"
        scripts[path] += command.argv[3].rstrip("\n") + "\n"
        return replace(command, argv=(f"/{path}",))

    hooks = tuple(
        replace(hook, command=installed(hook.command, hook.when.value) or hook.command)
        for hook in service.hooks
    )
    moved = replace(
        service,
        start=installed(service.start, "start"),
        stop=installed(service.stop, "stop"),
        hooks=hooks,
    )
    return moved, scripts


def _is_script_block(argv: tuple[str, ...]) -> bool:
    return len(argv) == 4 and argv[:3] == ("/bin/sh", "-e", "-c") and "\n" in argv[3].strip()


_PATH = ("/sbin", "/usr/sbin", "/bin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")
"""Where a CentOS 6 init script's PATH finds a program (``daemon crond``)."""


def _absolute(service: Service, tree: io.HostTree) -> Service:
    """Resolve a start program named without a path through the tree's PATH."""
    start = service.start
    if start is None or not start.argv or "/" in start.argv[0]:
        return service
    found = next(
        (f"{d}/{start.argv[0]}" for d in _PATH if tree.is_file(f"{d}/{start.argv[0]}")), None
    )
    if found is None:
        return service
    return replace(service, start=replace(start, argv=(found, *start.argv[1:])))


def _missing(service: Service, target: Target, tree: io.HostTree) -> tuple[str, ...]:
    """Name the start program when it is missing from the tree and the service will run."""
    start = service.start
    if target in (Target.DROPPED, Target.SYSTEMD):
        return ()
    if start is None or not start.argv or not start.argv[0].startswith("/"):
        return ()
    program = start.argv[0]
    if program.startswith("/etc/init.d/") or tree.is_file(program):
        return ()
    return (f"{program} is missing from the tree",)


def _unresolved(mine: list[Diagnostic], plan: Plan) -> tuple[str, ...]:
    """Name each double start no safe fix removed."""
    fixed = set(plan.changed)
    return tuple(
        f"double start left as it is: {d.message}"
        for d in mine
        if d.code == "SV401" and (d.fix is None or d.span.path not in fixed)
    )


__all__ = ["Migration", "migrate"]
