"""Lint in-memory files: a case's files are the whole host, includes resolve among them."""

from __future__ import annotations

import posixpath
from fnmatch import fnmatchcase
from typing import Any

from translator import api
from translator.lint.config import LintConfig
from translator.model import Source, Span


def lint_files(
    files: dict[str, str],
    *,
    config: LintConfig | None = None,
    target: str | None = None,
    fix: bool = False,
) -> Any:
    def load(pattern: str, span: Span) -> list[Source]:
        if pattern.startswith("/"):
            pattern = pattern.lstrip("/")
        else:
            pattern = posixpath.normpath(posixpath.join(posixpath.dirname(span.path), pattern))
        return [Source(path=n, text=t) for n, t in sorted(files.items()) if fnmatchcase(n, pattern)]

    sources = [Source(path=name, text=text) for name, text in files.items()]
    if fix:
        return api.lint_fixed(sources, config=config, load_include=load, target_format=target)
    return api.lint(sources, config=config, load_include=load, target_format=target)


def findings(result: api.LintResult, code: str | None = None) -> list[str]:
    return [
        f"{d.span.path}:{d.span.line}:{d.span.column} {d.severity.value} {d.code}"
        for d in result.diagnostics
        if code is None or d.code == code
    ]
