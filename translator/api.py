"""The library API: what the command line does, callable from Python and tests.

Imports: model, diagnostics, errors, loss, formats, io. Never cli or click.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from translator import io
from translator.diagnostics import Diagnostic, IncludeLoader, ParseResult, ReadLoss, Severity
from translator.errors import ParseError, SvconvError, UnsupportedError
from translator.formats import FORMATS, Format, detect
from translator.formats._capabilities import (
    ConversionTable,
    conversions,
    conversions_markdown,
    matrix,
)
from translator.formats._options import WATCHER, EmitOptions, ParseOptions
from translator.knowledge.control import INIT_DIRECTORIES, request
from translator.lint import baseline, engine, fix, registry
from translator.lint import config as lint_config
from translator.lint.config import LintConfig
from translator.lint.engine import LintFile
from translator.lint.registry import Rule
from translator.loss import Loss, LossLevel, LossLog
from translator.model import Command, Host, Origin, Service, ServiceKind, Source, Span

__all__ = [
    "EmitOptions",
    "FixResult",
    "IncludeRecorder",
    "LintConfig",
    "LintResult",
    "ParseOptions",
    "Rule",
    "Severity",
    "Translation",
    "convert",
    "format_ids",
    "lint",
    "lint_fixed",
    "lint_rule",
    "lint_rules",
    "lint_settings",
    "lint_sources",
    "parse",
    "read_sources",
    "rule_text",
    "translate",
]

"""The format that keeps checks a target cannot do (ports, files, alerts) working."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Translation:
    """The files a conversion wrote (name → text), what it lost, and what it noticed."""

    files: dict[str, str]
    losses: tuple[Loss, ...]
    diagnostics: tuple[Diagnostic, ...]
    host: Host
    executables: frozenset[str] = frozenset()
    """The files to write executable, by the target's ``EXECUTABLE`` names (``*``: all)."""

    def fails(self, level: LossLevel) -> bool:
        """Say whether the run exits 1: an output that cannot work, or any loss at ERROR."""
        broken = any(loss.severity is Severity.ERROR for loss in self.losses)
        return broken or (level is LossLevel.ERROR and bool(self.losses))


def format_ids(able: str | None = None) -> list[str]:
    """List the ids of the formats this build knows (that can ``parse`` or ``emit``)."""
    return sorted(fmt for fmt in FORMATS if able is None or FORMATS[fmt].can(able))


def capability_matrix() -> str:
    """Render what each format holds of the model, as the README's conversion matrix."""
    writers = format_ids("emit")
    return matrix({fmt: FORMATS[fmt].module.CAPABILITIES for fmt in writers})


def conversion_table(
    source_format: str | None = None, target_format: str | None = None
) -> ConversionTable:
    """Tell, for each reader and writer pair, the fate of every field (``svconv matrix``)."""
    readers = [source_format] if source_format else format_ids("parse")
    writers = [target_format] if target_format else format_ids("emit")
    return conversions(
        {fmt: FORMATS[fmt].module.CAPABILITIES for fmt in readers},
        {fmt: FORMATS[fmt].module.CAPABILITIES for fmt in writers},
    )


conversion_markdown = conversions_markdown
"""Render :func:`conversion_table` as Markdown (pair totals, or per field for one pair)."""


def read_sources(paths: Sequence[str | Path]) -> list[Source]:
    """Read input files from disk (for the CLI; tests usually build Sources)."""
    return [io.read_source(path) for path in paths]


def parse(
    sources: Sequence[Source],
    *,
    source_format: str | None = None,
    load_include: IncludeLoader | None = io.resolve_include,
    options: ParseOptions | None = None,
) -> ParseResult:
    """Parse ``sources`` (one format, detected when not given) into one host.

    ``load_include`` reads what include statements name (None: leave them unread).
    """
    services: list[Service] = []
    diagnostics: list[Diagnostic] = []
    hosts: list[Host] = []
    for fmt, group in _by_format(sources, source_format):
        result = _parse_group(fmt, group, load_include, options)
        hosts.append(result.host)
        diagnostics.extend(result.diagnostics)
        for service in result.host.services:
            _refuse_duplicate(service, services)
            services.append(service)
    return ParseResult(host=_merge(hosts, services), diagnostics=tuple(diagnostics))


def convert(
    sources: Sequence[Source],
    *,
    target_format: str,
    source_format: str | None = None,
    load_include: IncludeLoader | None = io.resolve_include,
    options: ParseOptions | None = None,
    emit: EmitOptions | None = None,
) -> Translation:
    """Translate ``sources`` into ``target_format``; every loss is in the result.

    ``emit`` says how to write the target (companion checks, standalone, …); its
    header is filled in with the input names.
    """
    parsed = parse(sources, source_format=source_format, load_include=load_include, options=options)
    if getattr(_format(target_format, needs="emit").module, "WATCHES_ITS_CHILD", False):
        parsed = _daemons_of_init_scripts(parsed, load_include, options)
    names = ", ".join(source.path for source in sources)
    return translate(parsed, target_format=target_format, emit=emit, names=names)


def _daemons_of_init_scripts(
    parsed: ParseResult, load_include: IncludeLoader | None, options: ParseOptions | None
) -> ParseResult:
    """Run the daemon an init script starts where a start program only runs the script.

    A supervisor that watches its child cannot run ``/etc/init.d/web start`` (or
    ``service web start``): the script returns once the daemon is in the background.
    The script is read (through ``load_include``, as an include is) for the daemon it
    starts, which the writer then puts in its foreground form.
    """
    services, notes = [], list(parsed.diagnostics)
    for service in parsed.host.services:
        found = _script_daemon(service, load_include, options)
        if found is None:
            services.append(service)
            continue
        daemon, note = found
        services.append(daemon)
        notes.append(note)
    return ParseResult(host=parsed.host.with_services(tuple(services)), diagnostics=tuple(notes))


def _script_daemon(
    service: Service, load_include: IncludeLoader | None, options: ParseOptions | None
) -> tuple[Service, Diagnostic] | None:
    """Give ``service`` running the daemon its init script starts, and a note saying so."""
    start = service.start
    asked = request(start.argv) if start is not None else None
    if start is None or load_include is None or asked is None:
        return None
    if not asked.runs_init_script or asked.verb != "start":
        return None
    span = start.origin.span or service.origin.span or Span(path="<input>", line=1, column=1)
    scripts = [s for d in INIT_DIRECTORIES for s in load_include(f"{d}/{asked.name}", span)]
    if not scripts:
        return None
    read = FORMATS["initd"].module.parse(scripts[0], load_include=load_include, options=options)
    started = next((s for s in read.host.services if s.name == asked.name and s.start), None)
    if started is None or started.start is None or request(started.start.argv) is not None:
        return None  # no daemon found in the script: it would only run itself again
    daemon = replace(
        service,
        start=replace(started.start, timeout=start.timeout, origin=start.origin),
        daemonizes=started.daemonizes,
        user=service.user or started.user,
        group=service.group or started.group,
        environment=service.environment or started.environment,
        environment_files=service.environment_files or started.environment_files,
    )
    words = " ".join(started.start.argv)
    note = Diagnostic(
        code="SV717",
        severity=Severity.INFO,
        span=span,
        message=f"{' '.join(start.argv)} only runs the init script {scripts[0].path}",
        loss=ReadLoss(service=service.name, field="start", action=f"runs what it starts: {words}"),
    )
    return daemon, note


def translate(
    parsed: ParseResult, *, target_format: str, emit: EmitOptions | None = None, names: str
) -> Translation:
    """Write a host already read (``parse``) in ``target_format``; ``names`` its inputs."""
    target = _format(target_format, needs="emit")
    losses = LossLog(fallback=parsed.host.origin.span or Span(path="<input>", line=1, column=1))
    for note in parsed.diagnostics:
        if note.loss is not None:
            losses.unsupported(
                Origin(span=note.span),
                note.loss.field,
                service=note.loss.service,
                code=note.code,
                severity=note.severity,
                reason=note.message,
                action=note.loss.action,
            )
    header = f"Generated by svconv from {names}"
    wanted = emit or EmitOptions()
    keeps_companion = wanted.companion and hasattr(target.module, "control_commands")
    emit_options = replace(wanted, companion=keeps_companion, header=header)
    host = parsed.host
    if not getattr(target.module, "RUNS_FOREGROUND", True) and not wanted.owns_process:
        host = _leave_to_source_supervisor(host, losses)
    files = dict(target.module.emit(host, emit_options, losses))
    if keeps_companion:
        files.update(_companion_files(host, target_format, header))
    marked = getattr(target.module, "EXECUTABLE", ())
    return Translation(
        files=files,
        losses=tuple(losses.ordered()),
        diagnostics=parsed.diagnostics,
        host=host,
        executables=frozenset(
            name for name in files if "*" in marked or name.rpartition("/")[2] in marked
        ),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class LintResult:
    """What ``lint`` found, and the files it read (for fixes, snippets, baselines).

    ``skipped``: files no format claims.
    """

    diagnostics: tuple[Diagnostic, ...]
    files: tuple[LintFile, ...]
    skipped: tuple[str, ...]
    refused: tuple[str, ...] = ()
    """Files their reader refused (a parse error): the run exits 2."""
    changed: tuple[str, ...] = ()
    """Files ``--fix`` changed (or ``--diff`` would)."""

    @property
    def texts(self) -> dict[str, str]:
        """Each file's text by path."""
        return {f.path: f.text for f in self.files}

    def fails(self, fail_on: Severity) -> bool:
        """Say whether a finding is at or above ``fail_on`` (exit status 1)."""
        return engine.fails(self.diagnostics, fail_on)

    def without_baseline(self, recorded: str, path: str) -> LintResult:
        """Leave out the findings baseline file ``path`` (text ``recorded``) records."""
        kept = baseline.new_findings(self.diagnostics, baseline.read(path, recorded), self.texts)
        return replace(self, diagnostics=tuple(kept))

    def baseline(self) -> str:
        """Render a baseline recording every finding of this run."""
        return baseline.write(self.diagnostics, self.texts)

    def fingerprints(self) -> dict[int, str]:
        """Each finding's fingerprint (by index), as baselines and SARIF match them."""
        return {i: baseline.fingerprint(d, self.texts) for i, d in enumerate(self.diagnostics)}


@dataclass(frozen=True, slots=True, kw_only=True)
class FixResult:
    """Files ``fix`` changed (path → (before, after)) and what is left to report."""

    changed: dict[str, tuple[str, str]]
    remaining: LintResult

    def diff(self) -> str:
        """Render every change as one unified diff."""
        return "".join(fix.diff(path, *texts) for path, texts in sorted(self.changed.items()))


def lint_fixed(
    sources: Sequence[Source],
    *,
    rounds: int = 5,
    **options: Any,  # noqa: ANN401 - lint's
) -> FixResult:
    """Lint ``sources`` and apply safe fixes, linting again until nothing changes.

    A file with a parse error is left alone. ``options`` are ``lint``'s.
    """
    texts = {source.path: source.text for source in sources}
    result = lint(sources, **options)
    for _ in range(rounds):
        updated = {
            path: fix.apply(text, result.diagnostics, path)
            for path, text in texts.items()
            if path not in result.refused
        }
        if all(texts[path] == text for path, text in updated.items()):
            break
        texts |= updated
        result = lint([Source(path=p, text=t) for p, t in texts.items()], **options)
    original = {source.path: source.text for source in sources}
    changed = {p: (original[p], t) for p, t in texts.items() if t != original[p]}
    return FixResult(changed=changed, remaining=result)


def lint_rules() -> tuple[Rule, ...]:
    """Every lint rule, by code."""
    return registry.rules()


def rule_text(rule: Rule) -> str:
    """Give a rule's documentation as ``svconv rule`` prints it."""
    return "\n\n".join(
        f"{heading}:\n{registry.section(rule.doc, heading)}" for heading in registry.DOC_HEADINGS
    )


def lint_rule(code: str) -> Rule | None:
    """Find a lint rule by code or name."""
    return registry.by_code(code)


def lint_settings(
    config_file: Path | None,
    start: Path,
    **overrides: Any,  # noqa: ANN401 - any setting
) -> LintConfig:
    """Read the lint settings (``--config``, else found from ``start`` up); apply overrides."""
    found = config_file or lint_config.find(start)
    settings = lint_config.load(found) if found is not None else LintConfig()
    return settings.overridden(**overrides)


def lint_sources(paths: Sequence[str | Path]) -> list[Source]:
    """Read the files given, and every file under the directories given, sorted."""
    found: list[Path] = []
    given = {Path(path) for path in paths}
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and not _is_hidden(p.relative_to(path))
            )
        else:
            found.append(path)
    unique: dict[Path, Path] = {}
    for path in found:  # rc links and /etc/init.d -> rc.d/init.d name a file once more
        unique.setdefault(path.resolve(), path)
    return [_walked(path, given=path in given) for path in unique.values()]


def _walked(path: Path, *, given: bool) -> Source:
    """Read a file; one found in a directory that is not text is skipped, not fatal."""
    try:
        return io.read_source(path)
    except SvconvError:
        if given:
            raise
        return Source(path=str(path), text="")  # no format claims it: skipped with a note


def _is_hidden(path: Path) -> bool:
    return any(part.startswith(".") for part in path.parts)


def lint(
    sources: Sequence[Source],
    *,
    config: LintConfig | None = None,
    source_format: str | None = None,
    load_include: IncludeLoader | None = io.resolve_include,
    options: ParseOptions | None = None,
    target_format: str | None = None,
) -> LintResult:
    """Lint ``sources`` as one host: each file's format detected unless given.

    A file no format claims is skipped (listed in the result). A file its reader refuses
    is a finding (SV101, or the rule of the error), and the others are still linted.
    ``target_format`` adds what translating to it would lose (SV701).
    """
    settings = config or LintConfig()
    claimed = [(source_format or detect(s.path, s.text), s) for s in sources]
    skipped = tuple(s.path for fmt, s in claimed if fmt is None)
    files: list[LintFile] = []
    hosts: list[Host] = []
    notes: list[Diagnostic] = []
    refused: set[str] = set()
    for fmt in sorted({fmt for fmt, _ in claimed if fmt is not None}):
        group = [s for f, s in claimed if f == fmt]
        module = _format(fmt, needs="parse").module
        result, group, included = _parse_once_each(fmt, group, load_include, options)
        files += [_lint_file(s, fmt, module) for s in [*group, *included]]
        hosts.append(result.host)
        notes += result.diagnostics
        refused.update(result.refused)
        if target_format is not None and result.host.services:
            notes += _port_findings(result.host, fmt, group, target_format, options)
    host = _merge(hosts, [s for h in hosts for s in h.services])
    found = engine.run(host, files, notes, settings)
    return LintResult(
        diagnostics=tuple(found),
        files=tuple(files),
        skipped=skipped,
        refused=tuple(sorted(refused)),
    )


def _lint_file(source: Source, fmt: str, module: ModuleType) -> LintFile:
    return LintFile(
        path=source.path,
        text=source.text,
        format=fmt,
        comment_markers=module.COMMENT_MARKERS,
        has_trailing_comments=module.TRAILING_COMMENTS,
    )


@dataclass(frozen=True, slots=True)
class IncludeRecorder:
    """An include loader that keeps what it read (lint reads their directives too)."""

    load: IncludeLoader
    read: dict[str, Source]

    def __call__(self, pattern: str, span: Span) -> list[Source]:
        """Load as ``load`` does, and remember each file by its path."""
        found = self.load(pattern, span)
        self.read.update((source.path, source) for source in found)
        return found


def _parse_once_each(
    fmt: str,
    sources: list[Source],
    load_include: IncludeLoader | None,
    options: ParseOptions | None,
) -> tuple[ParseResult, list[Source], list[Source]]:
    """Parse one format's files, each once: a file another one includes is read there.

    Gives the result, the files given that were parsed as such, and the included ones.
    """
    repeats = getattr(_format(fmt, needs="parse").module, "INCLUDES_DEFINE_AGAIN", False)
    if load_include is None or not repeats:
        return _parse_isolated(fmt, sources, load_include, options), sources, []
    recorder = IncludeRecorder(load_include, {})
    result = _parse_isolated(fmt, sources, recorder, options)
    included = {_same_file(path) for path in recorder.read}
    again = [s for s in sources if _same_file(s.path) not in included]
    if len(again) < len(sources):
        recorder = IncludeRecorder(load_include, {})
        result = _parse_isolated(fmt, again, recorder, options)
    given = {_same_file(s.path) for s in again}
    extra = [s for p, s in sorted(recorder.read.items()) if _same_file(p) not in given]
    return result, again, extra


def _same_file(path: str) -> str:
    return str(Path(path).resolve())


def _parse_isolated(
    fmt: str,
    sources: list[Source],
    load_include: IncludeLoader | None,
    options: ParseOptions | None,
) -> ParseResult:
    """Parse one format's files together; a file its reader refuses is left out, noted."""
    pending = list(sources)
    refused: list[Diagnostic] = []
    while pending:
        try:
            result = _parse_group(fmt, pending, load_include, options)
        except ParseError as error:
            span = error.span or Span(path=pending[0].path, line=1, column=1)
            code = error.code if error.code != "SV000" else "SV101"
            refused.append(
                Diagnostic(code=code, message=error.message, span=span, severity=Severity.ERROR)
            )
            left = [s for s in pending if s.path != span.path]
            pending = left if len(left) < len(pending) else pending[1:]
            continue
        host, duplicates = _without_duplicates(result.host)
        return ParseResult(
            host=host,
            diagnostics=(*result.diagnostics, *refused, *duplicates),
            refused=tuple(d.span.path for d in refused),
        )
    return ParseResult(
        host=Host(), diagnostics=tuple(refused), refused=tuple(d.span.path for d in refused)
    )


def _without_duplicates(host: Host) -> tuple[Host, list[Diagnostic]]:
    """Keep the first service of each name; each later one is an SV107 finding."""
    kept: dict[str, Service] = {}
    found = []
    for service in host.services:
        first = kept.setdefault(service.name, service)
        if first is not service:
            span = service.origin.span or Span(path="<input>", line=1, column=1)
            message = f"service {service.name!r} is defined twice (also at {first.origin.span})"
            found.append(
                Diagnostic(code="SV107", message=message, span=span, severity=Severity.ERROR)
            )
    return host.with_services(tuple(kept.values())), found


def _port_findings(
    host: Host,
    fmt: str,
    sources: list[Source],
    target_format: str,
    options: ParseOptions | None,
) -> list[Diagnostic]:
    """Say, as SV701 findings, what translating ``sources`` to the target would lose."""
    if target_format == fmt:
        return []
    emit = EmitOptions(losses_only=True)
    try:
        translation = convert(
            sources, source_format=fmt, target_format=target_format, options=options, emit=emit
        )
    except SvconvError as error:  # the target refuses the whole input (nothing to monitor)
        span = error.span or Span(path=sources[0].path, line=1, column=1)
        message = f"{target_format}: {error.message}"
        return [Diagnostic(code="SV701", message=message, span=span, severity=Severity.INFO)]
    return [
        Diagnostic(
            code="SV701",
            message=f"{target_format}: {loss.as_diagnostic().message}",
            span=loss.as_diagnostic().span,
            severity=Severity.INFO,
            service=loss.service,
        )
        for loss in translation.losses
    ]


def _leave_to_source_supervisor(host: Host, losses: LossLog) -> Host:
    """Let the source's supervisor keep running its processes; the target only watches.

    A watcher (monit) starts and stops each process through the supervisor it came from
    (systemctl, supervisorctl): nothing starts twice, and the supervisor's restarts keep
    working. A program that stays in the foreground could not run under monit anyway.
    """
    services = []
    for service in host.services:
        source = FORMATS.get(service.managed_by)
        control = getattr(source.module, "control_commands", None) if source else None
        if not service.is_process or service.runs_once or control is None:
            services.append(service)
            continue
        program = service.start.argv[0] if service.start else "it"
        if service.daemonizes is False:
            reason = f"{program} stays in the foreground, which only its own supervisor can run"
        else:
            reason = f"{service.managed_by} runs {program}; a second starter would race it"
        losses.unsupported(
            service.origin,
            "start",
            service=service.name,
            code="SV720",
            severity=Severity.INFO,
            also=("stop", "daemonizes", "match_pattern", *_KEPT_BY_SUPERVISOR),
            reason=reason,
            action=f"watched; {service.managed_by} starts and stops it and keeps how it "
            "runs (--monit-owns-process: monit runs it instead)",
        )
        services.append(_driven_by(service, control))
    return host.with_services(tuple(services))


_KEPT_BY_SUPERVISOR = (
    "description", "working_directory", "user", "group", "umask", "environment",
    "environment_files", "stdout", "stderr", "stop_signal", "stop_timeout",
    "stops_process_group", "kills_process_group", "success_exit_codes", "min_uptime",
    "hooks", "limits", "sockets", "reload",
)  # fmt: skip
"""How a process runs, which its own supervisor keeps when a watcher only drives it."""


def _driven_by(service: Service, control: Callable[[Service], tuple[Command, Command]]) -> Service:
    """Show the service as a watcher sees it, driven through its supervisor.

    It is started and stopped by the supervisor's control commands and found by its
    pidfile or by a pattern on its command line. How it runs (user, environment, output,
    signals, limits, the source's own settings) stays with the supervisor, so the
    watcher neither holds nor reports it.
    """
    start, stop = control(service)
    pattern = service.match_pattern
    if pattern is None and service.pidfile is None and service.start is not None:
        pattern = FORMATS[WATCHER].module.pattern_for(service.start.argv)
    defaults: dict[str, Any] = {
        f.name: f.default for f in fields(Service) if f.name in _KEPT_BY_SUPERVISOR
    }
    return replace(
        service,
        **defaults,
        start=start,
        stop=stop,
        daemonizes=True,
        match_pattern=pattern,
        extras=tuple(
            e for e in service.extras if e.format == WATCHER or e.format != service.managed_by
        ),
    )


def _companion_files(host: Host, target_format: str, header: str) -> dict[str, str]:
    """Write a monit check per service that needs watching, which drives the target."""
    target = FORMATS[target_format].module
    watcher = FORMATS[WATCHER].module
    watched = [s for s in host.services if _needs_watcher(s, host, target)]
    if not watched:
        return {}
    names = {s.name for s in watched}
    companions = tuple(_companion(s, names, target) for s in watched)
    companion_host = Host(services=companions, probe_interval=host.probe_interval)
    note = (
        f"{header}\nCompanion checks: {target_format} runs each process; monit only "
        f"watches it and asks\n{target_format} to start or stop it, so nothing starts twice."
    )
    options = EmitOptions(companion=False, header=note)
    files: dict[str, str] = watcher.emit(companion_host, options, LossLog())
    files.pop("monitrc", None)
    keep_alive: dict[str, str] = target.keep_alive(WATCHER)
    return {f"{WATCHER}/{name}": text for name, text in files.items()} | keep_alive


def _companion(service: Service, names: set[str], target: ModuleType) -> Service:
    dependencies = tuple(d for d in service.dependencies if d.name in names)
    if not service.is_process:
        return replace(service, dependencies=dependencies)
    is_wrapper = _wrapped(service, target) is not None
    return replace(
        _driven_by(service, target.control_commands),
        restart_command=None,
        start_limit=service.start_limit if is_wrapper else None,  # else the target's
        dependencies=dependencies,
    )


def _by_format(sources: Sequence[Source], fmt: str | None) -> list[tuple[str, list[Source]]]:
    """Group consecutive sources by format, keeping their order."""
    groups: list[tuple[str, list[Source]]] = []
    for source in sources:
        source_fmt = fmt or _detect(source)
        if groups and groups[-1][0] == source_fmt:
            groups[-1][1].append(source)
        else:
            groups.append((source_fmt, [source]))
    return groups


def _wrapped(service: Service, target: ModuleType) -> str | None:
    """Name the existing service of the target that ``service`` only starts, if any."""
    wrapped_unit = getattr(target, "wrapped_unit", None)
    found: str | None = wrapped_unit(service) if wrapped_unit else None
    return found


def _needs_watcher(service: Service, host: Host, target: ModuleType) -> bool:
    """Whether part of ``service`` only works if a watcher (monit) keeps checking it."""
    if service.kind is ServiceKind.LISTENER:
        return False
    if service.is_watched or _wrapped(service, target) is not None:
        return True
    if service.health_checks or service.alerts:
        return True
    if any(extra.format == WATCHER for extra in service.extras):
        return True
    watched = {s.name for s in host.services if s.is_watched}
    return any(dependency.name in watched for dependency in service.dependencies)


def _parse_group(
    fmt: str,
    sources: list[Source],
    load_include: IncludeLoader | None,
    options: ParseOptions | None,
) -> ParseResult:
    """Parse files of one format: together where the format reads them as one (monit)."""
    module = _format(fmt, needs="parse").module
    if hasattr(module, "parse_many"):
        together: ParseResult = module.parse_many(
            sources, load_include=load_include, options=options
        )
        return together
    results = [
        module.parse(source, load_include=load_include, options=options) for source in sources
    ]
    return ParseResult(
        host=_merge([r.host for r in results], [s for r in results for s in r.host.services]),
        diagnostics=tuple(d for r in results for d in r.diagnostics),
    )


def _detect(source: Source) -> str:
    fmt = detect(source.path, source.text)
    if fmt is None:
        raise ParseError(
            "cannot tell the format of this file; give --from",
            Span(path=source.path, line=1, column=1),
            code="SV000",
        )
    return fmt


def _format(fmt: str, *, needs: str) -> Format:
    known = FORMATS.get(fmt)
    if known is None:
        raise UnsupportedError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    if not hasattr(known.module, needs):
        raise UnsupportedError(f"this build cannot {needs} {fmt}")
    return known


def _refuse_duplicate(service: Service, services: list[Service]) -> None:
    for other in services:
        if other.name == service.name:
            raise ParseError(
                f"service {service.name!r} is defined twice (also at {other.origin.span})",
                service.origin.span,
                code="SV107",
            )


def _merge(hosts: list[Host], services: list[Service]) -> Host:
    first = hosts[0] if hosts else Host()
    interval = next((h.probe_interval for h in hosts if h.probe_interval is not None), None)
    delay = next((h.start_delay for h in hosts if h.start_delay is not None), None)
    return Host(
        services=tuple(services),
        probe_interval=interval,
        start_delay=delay,
        alerts=tuple(a for h in hosts for a in h.alerts),
        extras=tuple(e for h in hosts for e in h.extras),
        comments=tuple(c for h in hosts for c in h.comments),
        origin=first.origin,
    )
