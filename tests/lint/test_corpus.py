"""svconv lint over the whole corpus: no crash, no file it cannot place, no false error.

The corpus holds many hosts: each Debian package's tree is linted as one host, every
other file on its own.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from translator import api
from translator.diagnostics import Severity

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def hosts(corpus: Path) -> list[list[Path]]:
    """Group the corpus into hosts: a Debian package's tree, else a single file."""
    packages = [[p] for p in sorted((corpus / "debian").iterdir()) if p.is_dir()]
    others = [
        [p]
        for p in sorted(corpus.rglob("*"))
        if p.is_file() and "debian" not in p.relative_to(corpus).parts[:1]
    ]
    return packages + others


@pytest.fixture(scope="module")
def results() -> list[api.LintResult]:
    return [api.lint(api.lint_sources(paths)) for paths in hosts(CORPUS)]


def test_every_finding_is_a_rule_at_a_place_in_a_corpus_file(
    results: list[api.LintResult],
) -> None:
    codes = {rule.code for rule in api.lint_rules()}
    for result in results:
        assert {d.code for d in result.diagnostics} <= codes
        paths = {f.path for f in result.files}
        assert all(d.span.path in paths and d.span.line >= 1 for d in result.diagnostics)


def test_no_error_on_debian_units_systemd_accepts(results: list[api.LintResult]) -> None:
    """Debian 12's own units load in systemd: an error finding on one is a false error."""
    errors = [
        str(d)
        for result in results
        for d in result.diagnostics
        if d.severity is Severity.ERROR
        and "/debian/" in d.span.path
        and "/lib/systemd/system/" in d.span.path
    ]
    assert errors == []


def test_what_is_skipped_is_no_supervision_file(results: list[api.LintResult]) -> None:
    skipped = [Path(path) for result in results for path in result.skipped]
    kinds = Counter(
        "env-file"
        if path.parent.name == "default" or "sysconfig" in path.name
        else path.suffix or path.parent.name
        for path in skipped
    )
    assert set(kinds) <= {"env-file", ".md", ".tsv", ".sh", ".py", "templates", "monit"}
