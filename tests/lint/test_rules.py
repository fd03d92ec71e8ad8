"""Every rule: its record, its documentation, its examples, and its fixture cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.lint.helpers import findings, lint_files
from tests.validators import monit_check, systemd_verify
from translator.lint.registry import DOC_HEADINGS, examples, rules

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lint"
THEMES = {"1": "syntax", "2": "lifecycle", "3": "deps", "4": "host", "5": "security",
          "6": "health", "7": "port"}  # fmt: skip
RULES = rules()
TARGETS = {"SV701": "systemd"}  # rules that only speak with --target


def load_cases(rule_code: str) -> list[dict]:
    data = YAML(typ="safe").load((FIXTURES / f"{rule_code.lower()}.yaml").read_text())
    assert data["rule"] == rule_code
    return data["cases"]


def test_codes_are_unique_and_named_by_theme() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)
    for rule in RULES:
        assert re.fullmatch(r"SV[1-9]\d\d", rule.code), rule.code
        assert re.fullmatch(r"[a-z]+\.[a-z0-9-]+", rule.name), rule.name
        assert rule.theme == THEMES[rule.code[2]], rule.code


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docstring_has_every_heading_in_order(rule) -> None:
    positions = [rule.doc.find(f"{heading}:") for heading in DOC_HEADINGS]
    assert -1 not in positions, rule.code
    assert positions == sorted(positions), rule.code
    assert examples(rule.doc, "Example")
    assert examples(rule.doc, "Use instead")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docstring_examples_fire_and_do_not(rule) -> None:
    # the fences under a heading are the files of one host (a host rule needs several)
    bad, good = examples(rule.doc, "Example"), examples(rule.doc, "Use instead")
    target = TARGETS.get(rule.code)
    fired = findings(lint_files({name: text for _, name, text in bad}, target=target), rule.code)
    assert fired, f"{rule.code}: the bad example does not fire"
    good_files = {name: text for _, name, text in good}
    assert findings(lint_files(good_files, target=target), rule.code) == []
    assert {fmt for fmt, _, _ in bad + good} <= set(rule.formats)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_each_rule_has_a_firing_and_a_quiet_case(rule) -> None:
    cases = load_cases(rule.code)
    assert any(case["expect"] for case in cases)
    assert any(not case["expect"] for case in cases)


CASES = [
    (path.stem.upper(), case)
    for path in sorted(FIXTURES.glob("sv*.yaml"))
    for case in YAML(typ="safe").load(path.read_text())["cases"]
]


@pytest.mark.parametrize(("code", "case"), CASES, ids=[f"{c}-{k['name']}" for c, k in CASES])
def test_fixture_case(code: str, case: dict) -> None:
    result = lint_files(case["files"], target=case.get("target"))
    assert findings(result, code) == case["expect"]


FIX_CASES = [(code, case) for code, case in CASES if "fixed" in case]


def validate(files: dict[str, str]) -> None:
    """Run the real program that reads each fixed file; it must accept it."""
    units = {Path(n).name: t for n, t in files.items() if n.endswith(".service")}
    if units:
        status, output = systemd_verify(units)
        assert status == 0, output
    monit = {n: t for n, t in files.items() if "monit" in n}
    if monit:
        status, output = monit_check(monit)
        assert status == 0, output


@pytest.mark.parametrize(
    ("code", "case"), FIX_CASES, ids=[f"{c}-{k['name']}" for c, k in FIX_CASES]
)
def test_fix_edits_only_the_spans_and_leaves_a_clean_valid_file(code: str, case: dict) -> None:
    outcome = lint_files(case["files"], fix=True)
    after = {path: texts[1] for path, texts in outcome.changed.items()}
    assert after == case["fixed"]
    again = lint_files({**case["files"], **after})
    assert findings(again, code) == []
    validate(after)


@pytest.mark.parametrize("rule", [r for r in RULES if r.has_fix], ids=lambda r: r.code)
def test_a_rule_with_a_fix_has_a_fixed_case(rule) -> None:
    assert any("fixed" in case for case in load_cases(rule.code))
