"""Diagnostics as a SARIF 2.1.0 log, for code-scanning services.

Imports: model, diagnostics, report.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import TextIO
from urllib.parse import quote

from translator.diagnostics import Diagnostic, Edit, Fix, Severity
from translator.model import Span
from translator.report._findings import Finding, collect
from translator.report.rules import RuleInfo

_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_INFORMATION_URI = "https://github.com/svconv/svconv"
_FINGERPRINT_KEY = "svconv/v1"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(
    diagnostics: Sequence[Diagnostic],
    stream: TextIO,
    *,
    rules: Mapping[str, RuleInfo],
    texts: Mapping[str, str],
    fingerprints: Mapping[int, str] | None = None,
) -> None:
    """Write one SARIF run: the rules that reported something, then each result in order."""
    findings = collect(diagnostics, rules=rules, texts=texts, fingerprints=fingerprints)
    described = sorted({f.rule.code: f.rule for f in findings}.values(), key=lambda r: r.code)
    indexes = {rule.code: index for index, rule in enumerate(described)}
    driver = {
        "name": "svconv",
        "informationUri": _INFORMATION_URI,
        "rules": [_descriptor(rule) for rule in described],
    }
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, indexes[f.rule.code]) for f in findings],
    }
    log = {"$schema": _SCHEMA, "version": "2.1.0", "runs": [run]}
    json.dump(log, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _descriptor(rule: RuleInfo) -> dict[str, object]:
    """Describe a rule as a SARIF reportingDescriptor; help only when it has some."""
    descriptor: dict[str, object] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
    }
    if rule.help:
        descriptor["fullDescription"] = {"text": rule.help}
        descriptor["help"] = {"text": rule.help}
    descriptor["defaultConfiguration"] = {"level": _LEVELS[rule.severity]}
    return descriptor


def _result(finding: Finding, rule_index: int) -> dict[str, object]:
    """Describe a finding as a SARIF result."""
    diagnostic = finding.diagnostic
    result: dict[str, object] = {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": _LEVELS[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [_location(diagnostic.span)],
    }
    if diagnostic.related:
        result["relatedLocations"] = [_location(span) for span in diagnostic.related]
    result["partialFingerprints"] = {_FINGERPRINT_KEY: finding.fingerprint}
    if diagnostic.fix is not None:
        result["fixes"] = [_fix(diagnostic.fix)]
    return result


def _fix(fix: Fix) -> dict[str, object]:
    """Describe a fix as artifact changes, one per file in path order; safety as a property."""
    by_path: dict[str, list[Edit]] = {}
    for edit in fix.edits:
        by_path.setdefault(edit.span.path, []).append(edit)
    changes = [
        {
            "artifactLocation": _artifact(path),
            "replacements": [
                {"deletedRegion": _region(edit.span), "insertedContent": {"text": edit.text}}
                for edit in edits
            ],
        }
        for path, edits in sorted(by_path.items())
    ]
    return {
        "description": {"text": fix.description},
        "artifactChanges": changes,
        "properties": {"safe": fix.is_safe},
    }


def _location(span: Span) -> dict[str, object]:
    """Describe a span as a SARIF location."""
    return {"physicalLocation": {"artifactLocation": _artifact(span.path), "region": _region(span)}}


def _artifact(path: str) -> dict[str, str]:
    """Locate a path: relative ones against ``%SRCROOT%``, absolute ones as file URIs."""
    posix = path.replace("\\", "/")
    if PurePosixPath(posix).is_absolute():
        return {"uri": "file://" + quote(posix)}
    return {"uri": quote(posix), "uriBaseId": "%SRCROOT%"}


def _region(span: Span) -> dict[str, int]:
    """Describe a span as a SARIF region; the end (exclusive column) only when known."""
    region = {"startLine": span.line, "startColumn": span.column}
    if span.end_column > 0:
        region["endLine"] = span.end_line or span.line
        region["endColumn"] = span.end_column
    return region
