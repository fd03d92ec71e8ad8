"""Every rule: its record, its documentation, its examples, and its fixture cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.lint.helpers import findings, lint_files
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
    assert len(examples(rule.doc, "Example")) == 1
    assert len(examples(rule.doc, "Use instead")) == 1


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docstring_examples_fire_and_do_not(rule) -> None:
    (fmt, name, bad), (_, good_name, good) = (
        examples(rule.doc, "Example")[0],
        examples(rule.doc, "Use instead")[0],
    )
    target = TARGETS.get(rule.code)
    fired = findings(lint_files({name: bad}, target=target), rule.code)
    assert fired, f"{rule.code}: the bad example does not fire"
    assert findings(lint_files({good_name: good}, target=target), rule.code) == []
    assert fmt in rule.formats


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
