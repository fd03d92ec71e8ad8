"""Diagnostics as a JSON array, one object per finding, for scripts and editors.

Imports: model, diagnostics, report.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TextIO

from translator.diagnostics import Diagnostic, Fix
from translator.model import Span
from translator.report._findings import Finding, collect
from translator.report.rules import RuleInfo


def render(
    diagnostics: Sequence[Diagnostic],
    stream: TextIO,
    *,
    rules: Mapping[str, RuleInfo],
    texts: Mapping[str, str],
    fingerprints: Mapping[int, str] | None = None,
) -> None:
    """Write the diagnostics as an indented JSON array in file/line/column order."""
    findings = collect(diagnostics, rules=rules, texts=texts, fingerprints=fingerprints)
    json.dump([_finding(f) for f in findings], stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _finding(finding: Finding) -> dict[str, object]:
    """Describe one finding as a JSON object."""
    diagnostic = finding.diagnostic
    return {
        "code": diagnostic.code,
        "name": finding.rule.name,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        **_span(diagnostic.span),
        "service": diagnostic.service,
        "related": [_span(span) for span in diagnostic.related],
        "fix": _fix(diagnostic.fix),
        "fingerprint": finding.fingerprint,
    }


def _fix(fix: Fix | None) -> dict[str, object] | None:
    """Describe a fix as a JSON object, or None without one."""
    if fix is None:
        return None
    return {
        "description": fix.description,
        "safe": fix.is_safe,
        "edits": [{**_span(edit.span), "text": edit.text} for edit in fix.edits],
    }


def _span(span: Span) -> dict[str, object]:
    """List a span's fields; ends are 0 when unknown."""
    return {
        "path": span.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }
