"""The ``svconv`` command line: thin commands over :mod:`translator.api`.

Exit status: 0 clean; 1 losses at the chosen failure level; 2 usage or input error
(nothing written). Imports: api, report, io, errors, click.
"""

from __future__ import annotations

import importlib
import io as io_module
import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from translator import api, io, migration
from translator.errors import SvconvError
from translator.loss import LossLevel
from translator.report import text
from translator.report.rules import RuleInfo

_INPUTS = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False)
)


def _parse_environ(
    context: click.Context, parameter: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    """Turn repeated ``--env NAME=VALUE`` into a dict, refusing a word without ``=``."""
    pairs = {}
    for value in values:
        name, equals, text = value.partition("=")
        if not equals or not name:
            raise click.BadParameter(f"{value!r} is not NAME=VALUE")
        pairs[name] = text
    return pairs


def _parse_public_hosts(
    context: click.Context, parameter: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    """Turn repeated ``--public-host [SERVICE=]HOST`` into ``{service: host}``, ``""`` for all."""
    hosts: dict[str, str] = {}
    for value in values:
        service, _, host = value.rpartition("=")
        if not host or service in hosts:
            raise click.BadParameter(f"{value!r}: give one HOST, and SERVICE=HOST once each")
        hosts[service] = host
    return hosts


def _translation_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by ``convert`` and every ``X2Y`` shortcut."""
    decorators = [
        click.option(
            "-o",
            "--output",
            type=click.Path(file_okay=False, path_type=Path),
            help="Write one file per unit into this directory instead of stdout.",
        ),
        click.option("--force", is_flag=True, help="Overwrite existing output files."),
        click.option(
            "--health-checks",
            type=click.Choice(["keep", "drop"]),
            default="keep",
            show_default=True,
            help="keep: checks the target cannot do go to a companion monit check; "
            "drop: leave them out (still reported).",
        ),
        click.option(
            "--losses",
            type=click.Choice([level.value for level in LossLevel]),
            default=LossLevel.WARN.value,
            show_default=True,
            help="ignore, print (warn) or fail on (error) what the target loses.",
        ),
        click.option("--strict", is_flag=True, help="Same as --losses error: exit 1 on loss."),
        click.option("--no-includes", is_flag=True, help="Do not follow include statements."),
        click.option(
            "--keep-dropins",
            is_flag=True,
            help="systemd: write drop-ins back as files of their own instead of merging them.",
        ),
        click.option(
            "--standalone",
            is_flag=True,
            help="supervisord: write a whole supervisord.conf that runs from its directory.",
        ),
        click.option(
            "--monit-owns-process",
            is_flag=True,
            help="monit: run a foreground program in the background itself "
            "(start-stop-daemon) rather than through the supervisor it came from.",
        ),
        click.option(
            "--poll",
            "poll_interval",
            type=click.FloatRange(min=1),
            metavar="SECONDS",
            help="monit's cycle (set daemon) where the files do not say; "
            "counts restart limits in cycles  [default: 120, Debian's]",
        ),
        click.option(
            "--systemd-version",
            type=click.IntRange(min=200),
            default=252,
            show_default=True,
            help="systemd: the version that will read the units (219: CentOS 7's).",
        ),
        click.option(
            "--restart",
            type=click.Choice(["on-failure", "no"]),
            default="on-failure",
            show_default=True,
            help="init.d: restart a daemon that dies (SysV never did), or keep SysV's way.",
        ),
        click.option(
            "--env",
            "environ",
            multiple=True,
            metavar="NAME=VALUE",
            callback=_parse_environ,
            help="The supervisor's own environment (supervisord's %(ENV_NAME)s); repeatable.",
        ),
        click.option(
            "--public-host",
            "public_hosts",
            multiple=True,
            metavar="[SERVICE=]HOST",
            callback=_parse_public_hosts,
            help="uptimerobot: the host its monitors reach (localhost means nothing from "
            "outside), for every service or for SERVICE; repeatable.",
        ),
        click.option(
            "--min-interval",
            type=click.IntRange(min=30),
            default=300,
            show_default=True,
            metavar="SECONDS",
            help="uptimerobot: the shortest check interval (300: the free plan's).",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="svconv")
def main() -> None:
    """Translate and check process-supervision configuration (monit, systemd, …)."""


@main.command()
@click.option(
    "--from",
    "source_format",
    type=click.Choice(api.format_ids("parse")),
    help="Input format (detected when left out).",
)
@click.option(
    "--to",
    "target_format",
    type=click.Choice(api.format_ids("emit")),
    required=True,
    help="Output format.",
)
@_INPUTS
@_translation_options
def convert(source_format: str | None, target_format: str, **options: Any) -> None:  # noqa: ANN401 - click passes each option by name
    """Translate PATHS from one supervision format to another."""
    _run_conversion(source_format, target_format, **options)


def _run_conversion(
    source_format: str | None,
    target_format: str,
    *,
    paths: tuple[str, ...],
    output: Path | None,
    force: bool,
    health_checks: str,
    losses: str,
    strict: bool,
    no_includes: bool,
    standalone: bool,
    environ: dict[str, str],
    monit_owns_process: bool,
    poll_interval: float | None,
    systemd_version: int,
    keep_dropins: bool,
    restart: str,
    public_hosts: dict[str, str],
    min_interval: int,
) -> None:
    try:
        translation = api.convert(
            api.read_sources(paths),
            source_format=source_format,
            target_format=target_format,
            load_include=None if no_includes else io.resolve_include,
            options=api.ParseOptions(
                environ=environ,
                host_node_name=io.host_name(),
                poll_interval=poll_interval,
                keep_dropins=keep_dropins,
                restarts_daemons=restart == "on-failure",
            ),
            emit=api.EmitOptions(
                companion=health_checks == "keep",
                standalone=standalone,
                owns_process=monit_owns_process,
                poll_interval=poll_interval,
                systemd_version=systemd_version,
                public_host=public_hosts.get(""),
                service_hosts={name: h for name, h in public_hosts.items() if name},
                min_interval=min_interval,
            ),
        )
        if output is not None:
            io.write_files(
                output, translation.files, force=force, executables=translation.executables
            )
    except SvconvError as error:
        click.echo(f"svconv: {error}", err=True)
        sys.exit(2)
    level = LossLevel.ERROR if strict else LossLevel(losses)
    # losses come below; lint-only notes are for `svconv lint`
    notes = [d for d in translation.diagnostics if d.loss is None and not d.lint_only]
    text.render(notes, sys.stderr)
    if level is not LossLevel.IGNORE:
        text.render([loss.as_diagnostic() for loss in translation.losses], sys.stderr)
    if output is None:
        text.render_files(translation.files, sys.stdout)
    if translation.fails(level):
        sys.exit(1)


@main.command()
def formats() -> None:
    """Show the formats and, per model field, how much of it each one holds."""
    click.echo("Reads: " + ", ".join(api.format_ids("parse")))
    click.echo("Writes: " + ", ".join(api.format_ids("emit")))
    click.echo("\n✓ every value kept; partly: some approximated (reported); — always reported.\n")
    click.echo(api.capability_matrix(), nl=False)


@main.command(name="matrix")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@click.option("--from", "source_format", type=click.Choice(api.format_ids("parse")))
@click.option("--to", "target_format", type=click.Choice(api.format_ids("emit")))
def conversion_matrix(
    output_format: str, source_format: str | None, target_format: str | None
) -> None:
    """Show, per pair of formats, which model fields are kept, approximated or lost.

    Markdown counts kept/approximated/lost per pair; with --from or --to it lists the
    fields. JSON maps source → target → field → fate (fields the source cannot hold
    are left out).
    """
    table = api.conversion_table(source_format, target_format)
    if output_format == "json":
        click.echo(json.dumps(table, indent=2, sort_keys=True))
    else:
        click.echo(api.conversion_markdown(table), nl=False)


_RENDERERS = {
    "text": "text",
    "json": "json_output",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "checkstyle": "checkstyle",
    "gitlab": "gitlab",
}
_LEVELS = click.Choice(["error", "warning", "info"])


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "source_format",
    type=click.Choice(api.format_ids("parse")),
    help="Read every file as this format (detected per file when left out).",
)
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False),
    help="Treat this directory as /: includes, env files resolve inside it.",
)
@click.option("--select", multiple=True, help="Rules to run: code, prefix (SV2), name or theme.")
@click.option("--ignore", multiple=True, help="Rules to leave out (as --select).")
@click.option("--fail-on", type=_LEVELS, help="Exit 1 on a finding at or above this severity.")
@click.option("--output-format", type=click.Choice(list(_RENDERERS)), help="Report format.")
@click.option(
    "-o",
    "--output",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of stdout.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Settings file (default: .svconv.yaml or pyproject.toml).",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Report only findings this baseline does not record.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record every finding of this run in a baseline file.",
)
@click.option(
    "--target",
    "target_format",
    type=click.Choice(api.format_ids("emit")),
    help="Also report what translating to this format would lose (SV701).",
)
@click.option("--fix", is_flag=True, help="Apply safe fixes to the files, then report the rest.")
@click.option("--diff", is_flag=True, help="Print the fixes as a diff; write nothing.")
def lint(paths: tuple[Path, ...], fix: bool, diff: bool, **options: Any) -> None:  # noqa: ANN401
    # click passes each option by name
    """Check supervision files (or whole host trees) against svconv's rules."""
    try:
        settings = api.lint_settings(
            options["config_file"],
            paths[0],
            select=options["select"],
            ignore=options["ignore"],
            fail_on=api.Severity(options["fail_on"]) if options["fail_on"] else None,
            output_format=options["output_format"],
        )
        sources = api.lint_sources(paths)
        arguments = {
            "config": settings,
            "source_format": options["source_format"],
            "load_include": io.include_loader(options["root"]),
            "options": api.ParseOptions(root=options["root"]),
            "target_format": options["target_format"],
        }
        if fix or diff:
            result = _fixed(api.lint_fixed(sources, **arguments), write=fix)
        else:
            result = api.lint(sources, **arguments)
        written = None if diff else options["write_baseline"]  # --diff writes nothing
        result = _with_baselines(result, options["baseline_file"], written)
        if not diff:
            _write_report(result, settings.output_format, options["output_file"])
    except SvconvError as error:
        click.echo(f"svconv: {error}", err=True)
        sys.exit(2)
    for path in result.skipped:
        click.echo(f"svconv: {path}: skipped: no format claims it", err=True)
    for path in result.refused:
        click.echo(f"svconv: {path}: its reader stopped at an error; not linted past it", err=True)
    sys.exit(_lint_status(result, settings.fail_on, diff=diff))


def _fixed(outcome: api.FixResult, *, write: bool) -> api.LintResult:
    """Write the fixed files (--fix), or print the change as a diff (--diff)."""
    if write:
        for path, (_, after) in sorted(outcome.changed.items()):
            io.rewrite(Path(path), after)
    else:
        click.echo(outcome.diff(), nl=False)
    return replace(outcome.remaining, changed=tuple(sorted(outcome.changed)))


def _with_baselines(
    result: api.LintResult, baseline_file: Path | None, write_baseline: Path | None
) -> api.LintResult:
    """Record every finding (--write-baseline), then leave out the recorded ones."""
    if write_baseline is not None:
        io.write_atomic(write_baseline, result.baseline())
    if baseline_file is not None:
        recorded = io.read_source(baseline_file).text
        result = result.without_baseline(recorded, str(baseline_file))
    return result


def _lint_status(result: api.LintResult, fail_on: api.Severity, *, diff: bool) -> int:
    if result.refused:
        return 2
    if diff:
        return 1 if result.changed else 0
    return 1 if result.fails(fail_on) else 0


def _write_report(result: api.LintResult, output_format: str, output_file: Path | None) -> None:
    renderer = importlib.import_module(f"translator.report.{_RENDERERS[output_format]}")
    rules = {r.code: _rule_info(r) for r in api.lint_rules()}
    stream = io_module.StringIO()
    if output_format == "text":
        terminal = output_file is None and sys.stdout.isatty()
        text.render_findings(
            result.diagnostics, stream, rules=rules, texts=result.texts, snippets=terminal
        )
    else:
        renderer.render(
            result.diagnostics,
            stream,
            rules=rules,
            texts=result.texts,
            fingerprints=result.fingerprints(),
        )
    if output_file is None:
        click.echo(stream.getvalue(), nl=False)
    else:
        io.write_atomic(output_file, stream.getvalue())


def _rule_info(rule: api.Rule) -> RuleInfo:
    return RuleInfo(
        code=rule.code,
        name=rule.name,
        summary=rule.summary,
        severity=rule.severity,
        help=rule.doc,
    )


@main.command(name="rule")
@click.argument("code", required=False)
@click.option("--list", "listing", is_flag=True, help="List every rule.")
def rule_command(code: str | None, listing: bool) -> None:
    """Explain a lint rule (svconv rule SV201), or list them all (--list)."""
    if listing or code is None:
        for rule in api.lint_rules():
            click.echo(f"{rule.code}  {rule.severity.value:<7}  {rule.name}  {rule.summary}")
        return
    found = api.lint_rule(code)
    if found is None:
        click.echo(f"svconv: no rule {code}; svconv rule --list lists them", err=True)
        sys.exit(2)
    click.echo(f"{found.code} {found.name} ({found.severity.value}; {', '.join(found.formats)})\n")
    click.echo(api.rule_text(found))


@main.command()
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="Directory for the units, plan, apply.sh and reports (absent or empty).",
)
@click.option("--force", is_flag=True, help="Replace a non-empty output directory.")
@click.option(
    "--absorb",
    type=click.Choice(["supervisord"]),
    multiple=True,
    help="Move this supervisor's programs into units (autostart=false there).",
)
def migrate(root: Path, output: Path, force: bool, absorb: tuple[str, ...]) -> None:
    """Plan the move of a CentOS 6 / SysV host tree (or /) to systemd; ROOT is only read."""
    if output.resolve().is_relative_to(root.resolve()):
        click.echo(
            f"svconv: {output}: the output may not lie inside ROOT, which is read only", err=True
        )
        sys.exit(2)
    try:
        result = migration.migrate(root, absorb=frozenset(absorb), progress=_progress())
        io.write_tree(output, result.files, force=force, executables=result.executables)
    except SvconvError as error:
        click.echo(f"svconv: {error}", err=True)
        sys.exit(2)
    plan = result.plan
    click.echo(
        f"svconv: {len(plan.items)} services, {len(plan.units)} unit files in {output}; "
        f"see {output / 'report.md'}",
        err=True,
    )
    sys.exit(1 if plan.is_high_risk else 0)


def _progress() -> Callable[[str], None] | None:
    """Show the file being read on stderr, on a terminal only (quiet in CI and pipes)."""
    if not sys.stderr.isatty():
        return None
    width = shutil.get_terminal_size().columns - 1

    def show(path: str) -> None:
        click.echo(f"\rreading {path}"[:width].ljust(width), nl=False, err=True)

    return show


def _add_shortcut(source_format: str, target_format: str) -> None:
    """Register ``svconv SRC2DST`` as ``svconv convert --from SRC --to DST``."""

    def shortcut(**options: Any) -> None:  # noqa: ANN401 - click passes each option by name
        _run_conversion(source_format, target_format, **options)

    shortcut.__doc__ = (
        f"Normalise {source_format} PATHS (read and write them back in one layout)."
        if source_format == target_format
        else f"Translate {source_format} PATHS to {target_format}."
    )
    command = _translation_options(_INPUTS(shortcut))
    main.command(name=f"{source_format}2{target_format}")(command)


for _source in api.format_ids("parse"):
    for _target in api.format_ids("emit"):
        _add_shortcut(_source, _target)
