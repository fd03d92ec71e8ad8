"""Diagnostics as Checkstyle XML, which many CI dashboards and review bots read.

Imports: diagnostics, report.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import TextIO

from translator.diagnostics import Diagnostic
from translator.report._findings import collect, xml_text
from translator.report.rules import RuleInfo


def render(
    diagnostics: Sequence[Diagnostic],
    stream: TextIO,
    *,
    rules: Mapping[str, RuleInfo],
    texts: Mapping[str, str],
    fingerprints: Mapping[int, str] | None = None,
) -> None:
    """Write a ``<checkstyle>`` document: a ``<file>`` per path, an ``<error>`` per finding."""
    root = ET.Element("checkstyle", version="4.3")
    files: dict[str, ET.Element] = {}
    for finding in collect(diagnostics, rules=rules, texts=texts, fingerprints=fingerprints):
        diagnostic = finding.diagnostic
        path = diagnostic.span.path
        if path not in files:
            files[path] = ET.SubElement(root, "file", name=path)
        ET.SubElement(
            files[path],
            "error",
            line=str(diagnostic.span.line),
            column=str(diagnostic.span.column),
            severity=diagnostic.severity.value,
            message=xml_text(diagnostic.message),
            source=f"svconv.{diagnostic.code}",
        )
    ET.indent(root)
    ET.ElementTree(root).write(stream, encoding="unicode", xml_declaration=True)
    stream.write("\n")
