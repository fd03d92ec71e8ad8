"""Run the rules over one host: findings, severities, selection and inline suppression.

The readers' own notes count as findings when a rule stands behind their code (a syntax
rule, or one that checks the model too: a dependency loop monit refuses is the monit
reader's SV303); any other note of theirs is about translation, not lint, and is left out.
Imports: model, diagnostics, lint.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from translator.diagnostics import Diagnostic, Severity, ordered
from translator.lint.config import LintConfig
from translator.lint.registry import Finding, Rule, by_code, rules
from translator.lint.suppression import Directive, directives
from translator.model import Host

UNUSED_SUPPRESSION = "SV100"


@dataclass(frozen=True, slots=True, kw_only=True)
class LintFile:
    """One file of the run: its text, its format, and how that format writes comments."""

    path: str
    text: str
    format: str
    comment_markers: tuple[str, ...] = ("#",)
    has_trailing_comments: bool = True


def run(
    host: Host,
    files: Iterable[LintFile],
    notes: Iterable[Diagnostic],
    config: LintConfig,
) -> list[Diagnostic]:
    """Lint ``host`` (read from ``files``); ``notes`` are what the readers reported."""
    files = list(files)
    found = [*_reported(notes), *_checked(host)]
    found = [_with_severity(d, config) for d in found]
    found = [d for d in found if config.is_enabled(d.code, d.span.path)]
    kept, unused = _suppress(found, files, host, config)
    kept += [_with_severity(d, config) for d in unused if config.is_enabled(d.code, d.span.path)]
    return ordered(kept)


def _reported(notes: Iterable[Diagnostic]) -> Iterator[Diagnostic]:
    for note in notes:
        rule = by_code(note.code)
        if rule is not None and note.loss is None:
            yield replace(note, severity=rule.severity)


def _checked(host: Host) -> Iterator[Diagnostic]:
    for rule in rules():
        if rule.check is not None:
            for finding in rule.check(host):
                yield _diagnostic(rule, finding)


def _diagnostic(rule: Rule, finding: Finding) -> Diagnostic:
    return Diagnostic(
        code=rule.code,
        message=finding.message,
        span=finding.span,
        severity=rule.severity,
        related=finding.related,
        fix=finding.fix,
        service=finding.service,
    )


def _with_severity(diagnostic: Diagnostic, config: LintConfig) -> Diagnostic:
    return replace(diagnostic, severity=config.severity_of(diagnostic.code, diagnostic.severity))


def _suppress(
    found: list[Diagnostic], files: list[LintFile], host: Host, config: LintConfig
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Drop what a directive covers; give the kept findings and the unused directives."""
    blocks = _block_heads(host)
    found_directives = {
        f.path: directives(f.path, f.text, f.comment_markers, f.has_trailing_comments)
        for f in files
    }
    lines = {f.path: f.text.split("\n") for f in files}
    kept = [
        d
        for d in found
        if not any(
            _covers(directive, d, lines[d.span.path], blocks)
            for directive in found_directives.get(d.span.path, [])
        )
    ]
    unused = [
        note
        for listed in found_directives.values()
        for directive in listed
        for note in _unused(directive, config)
    ]
    return kept, unused


def _block_heads(host: Host) -> Mapping[tuple[str, int], int]:
    """Map (path, line) of each service's first line to the last line of its block.

    A block (a ``check``, a ``[program:]`` section) runs to the line before the next
    service of the same file, or to the end of the file.
    """
    starts: dict[str, list[int]] = {}
    for service in host.services:
        span = service.origin.span
        if span is not None:
            starts.setdefault(span.path, []).append(span.line)
    heads: dict[tuple[str, int], int] = {}
    for path, lines in starts.items():
        ordered_lines = sorted(set(lines))
        ends = [line - 1 for line in ordered_lines[1:]] + [1 << 30]
        heads |= {(path, line): end for line, end in zip(ordered_lines, ends, strict=True)}
    return heads


def _covers(
    directive: Directive,
    diagnostic: Diagnostic,
    lines: list[str],
    blocks: Mapping[tuple[str, int], int],
) -> bool:
    rule = by_code(diagnostic.code)
    names = (rule.code, rule.name.upper()) if rule is not None else ()
    named = [n for n in directive.rules if n.upper() in names]
    if not named:
        return False
    line = diagnostic.span.line
    if directive.covers == "file":
        hit = True
    elif directive.covers == "line":
        hit = line == directive.span.line
    else:
        target = directive.target_line(lines)
        block_end = blocks.get((directive.span.path, target), target)
        hit = target <= line <= block_end
    if hit:
        directive.used.update(named)
    return hit


def _unused(directive: Directive, config: LintConfig) -> Iterator[Diagnostic]:
    for name in directive.rules:
        rule = by_code(name)
        if rule is None:
            message = f"{name} names no rule"
        elif name in directive.used or not config.is_enabled(rule.code, directive.span.path):
            continue  # a rule that does not run here has nothing to suppress
        else:
            message = f"disable={name} suppresses nothing here"
        yield Diagnostic(
            code=UNUSED_SUPPRESSION,
            message=message,
            span=directive.span,
            severity=Severity.WARNING,
        )


def fails(diagnostics: Iterable[Diagnostic], fail_on: Severity) -> bool:
    """Say whether any finding is at or above ``fail_on``."""
    order = [Severity.INFO, Severity.WARNING, Severity.ERROR]
    return any(order.index(d.severity) >= order.index(fail_on) for d in diagnostics)
