"""Diagnostics as JUnit XML, one failing test case per finding, for CI test dashboards.

Imports: diagnostics, report.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import TextIO

from translator.diagnostics import Diagnostic
from translator.report._findings import collect, xml_text
from translator.report.rules import RuleInfo

_SUITE = "svconv lint"


def render(
    diagnostics: Sequence[Diagnostic],
    stream: TextIO,
    *,
    rules: Mapping[str, RuleInfo],
    texts: Mapping[str, str],
    fingerprints: Mapping[int, str] | None = None,
) -> None:
    """Write one ``<testsuite>``; with no findings it holds a single passing test case."""
    findings = collect(diagnostics, rules=rules, texts=texts, fingerprints=fingerprints)
    suite = ET.Element(
        "testsuite",
        name=_SUITE,
        tests=str(max(len(findings), 1)),
        failures=str(len(findings)),
        errors="0",
    )
    for finding in findings:
        diagnostic = finding.diagnostic
        span = diagnostic.span
        case = ET.SubElement(
            suite,
            "testcase",
            classname=span.path,
            name=f"{diagnostic.code} {span.line}:{span.column}",
        )
        message = xml_text(diagnostic.message)
        failure = ET.SubElement(case, "failure", type=diagnostic.code, message=message)
        severity = diagnostic.severity.value.upper()
        failure.text = f"{span}: {severity} {diagnostic.code} {message}"
    if not findings:
        ET.SubElement(suite, "testcase", classname=_SUITE, name=_SUITE)
    ET.indent(suite)
    ET.ElementTree(suite).write(stream, encoding="unicode", xml_declaration=True)
    stream.write("\n")
