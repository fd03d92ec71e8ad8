"""Diagnostics in report order, each with its rule and fingerprint; shared by every renderer.

Imports: model, diagnostics, report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from translator.diagnostics import Diagnostic, ordered
from translator.model import Span
from translator.report.rules import RuleInfo


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One diagnostic with the rule that reported it and its stable fingerprint."""

    diagnostic: Diagnostic
    rule: RuleInfo
    fingerprint: str


def collect(
    diagnostics: Sequence[Diagnostic],
    *,
    rules: Mapping[str, RuleInfo],
    texts: Mapping[str, str],
    fingerprints: Mapping[int, str] | None,
) -> list[Finding]:
    """Pair each diagnostic, in stable order, with its rule and fingerprint.

    ``fingerprints`` is keyed by position in ``diagnostics``; without it each fingerprint is
    a hash of the code, the path and the stripped text of the diagnostic's line.
    """
    positions: dict[int, list[int]] = {}
    for index, diagnostic in enumerate(diagnostics):
        positions.setdefault(id(diagnostic), []).append(index)
    findings = []
    for diagnostic in ordered(diagnostics):
        index = positions[id(diagnostic)].pop(0)
        if fingerprints is None:
            fingerprint = _fingerprint(diagnostic, texts)
        else:
            fingerprint = fingerprints[index]
        findings.append(
            Finding(diagnostic=diagnostic, rule=_rule(diagnostic, rules), fingerprint=fingerprint)
        )
    return findings


def xml_text(text: str) -> str:
    """Replace what XML 1.0 cannot hold (control characters from a config) with U+FFFD."""
    return "".join(
        char
        if char in "\t\n\r" or (0x20 <= ord(char) < 0xFFFE and not 0xD800 <= ord(char) < 0xE000)
        else "\ufffd"
        for char in text
    )


def line_text(span: Span, texts: Mapping[str, str]) -> str | None:
    """Return the text of the span's first line without its line break, None if unknown."""
    text = texts.get(span.path)
    lines = [] if text is None else text.split("\n")
    if not 1 <= span.line <= len(lines):
        return None
    return lines[span.line - 1].rstrip("\r")


def _rule(diagnostic: Diagnostic, rules: Mapping[str, RuleInfo]) -> RuleInfo:
    """Look up the diagnostic's rule; a code no rule describes stands for itself."""
    known = rules.get(diagnostic.code)
    if known is not None:
        return known
    code = diagnostic.code
    return RuleInfo(code=code, name=code, summary=code, severity=diagnostic.severity, help="")


def _fingerprint(diagnostic: Diagnostic, texts: Mapping[str, str]) -> str:
    """Hash the code, the path and the stripped text of the line the diagnostic is on."""
    line = (line_text(diagnostic.span, texts) or "").strip()
    key = "\0".join((diagnostic.code, diagnostic.span.path, line))
    return hashlib.sha256(key.encode()).hexdigest()[:16]
