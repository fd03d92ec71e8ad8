"""Diagnostics as a GitLab Code Quality report, shown in merge requests.

Imports: diagnostics, report.
"""

from __future__ import annotations

import hashlib
import json
import string
from collections.abc import Mapping, Sequence
from typing import TextIO

from translator.diagnostics import Diagnostic, Severity
from translator.report._findings import Finding, collect
from translator.report.rules import RuleInfo

_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(
    diagnostics: Sequence[Diagnostic],
    stream: TextIO,
    *,
    rules: Mapping[str, RuleInfo],
    texts: Mapping[str, str],
    fingerprints: Mapping[int, str] | None = None,
) -> None:
    """Write the Code Quality JSON array; every finding gets a distinct hex fingerprint."""
    findings = collect(diagnostics, rules=rules, texts=texts, fingerprints=fingerprints)
    seen: set[str] = set()
    issues = []
    for finding in findings:
        fingerprint = _unique(finding.fingerprint, seen)
        seen.add(fingerprint)
        issues.append(_issue(finding, fingerprint))
    json.dump(issues, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _issue(finding: Finding, fingerprint: str) -> dict[str, object]:
    """Describe one finding as a Code Quality issue."""
    diagnostic = finding.diagnostic
    return {
        "description": f"{diagnostic.code} {diagnostic.message}",
        "check_name": diagnostic.code,
        "fingerprint": fingerprint,
        "severity": _SEVERITIES[diagnostic.severity],
        "location": {"path": diagnostic.span.path, "lines": {"begin": diagnostic.span.line}},
    }


def _unique(fingerprint: str, seen: set[str]) -> str:
    """Return the fingerprint if hex and new, else a hash of it and a counter that is both.

    GitLab matches issues across pipelines by fingerprint, so two findings on identical lines
    must still differ; the counter keeps the result stable from run to run.
    """
    candidate = fingerprint
    counter = 0
    while not _is_hex(candidate) or candidate in seen:
        counter += 1
        key = f"{fingerprint}\0{counter}"
        candidate = hashlib.sha256(key.encode()).hexdigest()[:16]
    return candidate


def _is_hex(text: str) -> bool:
    """Whether ``text`` is a non-empty string of hex digits."""
    return bool(text) and all(character in string.hexdigits for character in text)
