"""Diagnostics as GitHub Actions workflow commands, which annotate the changed files.

Imports: model, diagnostics, report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TextIO

from translator.diagnostics import Diagnostic, Severity
from translator.report._findings import Finding, collect
from translator.report.rules import RuleInfo

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_DATA_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})


def render(
    diagnostics: Sequence[Diagnostic],
    stream: TextIO,
    *,
    rules: Mapping[str, RuleInfo],
    texts: Mapping[str, str],
    fingerprints: Mapping[int, str] | None = None,
) -> None:
    """Write one ``::error file=…::message`` line per diagnostic, in file/line/column order."""
    for finding in collect(diagnostics, rules=rules, texts=texts, fingerprints=fingerprints):
        stream.write(_command(finding) + "\n")


def _command(finding: Finding) -> str:
    """Build one workflow command; end positions only when known."""
    diagnostic = finding.diagnostic
    span = diagnostic.span
    properties = [("file", span.path), ("line", str(span.line)), ("col", str(span.column))]
    if span.end_column > 0:
        properties += [
            ("endLine", str(span.end_line or span.line)),
            ("endColumn", str(span.end_column)),
        ]
    name = finding.rule.name
    title = diagnostic.code if name == diagnostic.code else f"{diagnostic.code} {name}"
    properties.append(("title", title))
    listed = ",".join(f"{key}={value.translate(_PROPERTY_ESCAPES)}" for key, value in properties)
    message = diagnostic.message.translate(_DATA_ESCAPES)
    return f"::{_COMMANDS[diagnostic.severity]} {listed}::{message}"
