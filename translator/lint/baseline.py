"""Baselines: findings recorded once, then left out of later runs.

A finding is matched by rule, path and a fingerprint of the text it points at (the
line's words, not its number), so edits elsewhere in the file do not revive it.
Imports: model, diagnostics, errors.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping

from translator.diagnostics import Diagnostic
from translator.errors import SvconvError
from translator.model import Span

VERSION = 1


def fingerprint(diagnostic: Diagnostic, texts: Mapping[str, str]) -> str:
    """Hash the rule, the path and the words of the lines the finding points at."""
    lines = texts.get(diagnostic.span.path, "").split("\n")
    first = diagnostic.span.line
    last = max(first, diagnostic.span.end_line or first)
    words = " ".join(" ".join(lines[first - 1 : last]).split()) if lines else ""
    key = "\0".join((diagnostic.code, diagnostic.span.path, words or diagnostic.message))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def write(diagnostics: Iterable[Diagnostic], texts: Mapping[str, str]) -> str:
    """Render a baseline file recording ``diagnostics``."""
    entries = sorted(
        {"code": d.code, "path": d.span.path, "fingerprint": fingerprint(d, texts)}.items()
        for d in diagnostics
    )
    findings = [dict(entry) for entry in entries]
    return json.dumps({"version": VERSION, "findings": findings}, indent=2) + "\n"


def read(path: str, text: str) -> Counter[tuple[str, str, str]]:
    """Read a baseline file into counts of (code, path, fingerprint)."""
    try:
        data = json.loads(text)
        findings = data["findings"]
        return Counter((f["code"], f["path"], f["fingerprint"]) for f in findings)
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        span = Span(path=path, line=getattr(error, "lineno", 1), column=getattr(error, "colno", 1))
        raise SvconvError(f"not an svconv baseline: {error}", span) from None


def new_findings(
    diagnostics: Iterable[Diagnostic],
    recorded: Counter[tuple[str, str, str]],
    texts: Mapping[str, str],
) -> list[Diagnostic]:
    """Keep the findings the baseline does not record (each record absorbs one)."""
    left = Counter(recorded)
    kept = []
    for diagnostic in diagnostics:
        key = (diagnostic.code, diagnostic.span.path, fingerprint(diagnostic, texts))
        if left[key] > 0:
            left[key] -= 1
        else:
            kept.append(diagnostic)
    return kept
