"""The default-port knowledge base: lookups, and every entry cites where it is written."""

from __future__ import annotations

from collections import Counter

import pytest

from translator.knowledge.ports import PortRule, default_port, rules

RULES = rules()


@pytest.mark.parametrize(
    ("programs", "services", "daemon"),
    [
        (["sshd"], [], "sshd"),
        ([], ["ssh"], "sshd"),
        (["mysqld"], ["db"], "mariadbd"),
        ([], ["postfix"], "postfix"),
        (["frobd"], ["frob"], None),
        (["master"], [], None),  # postfix's master: too common a name to match
    ],
)
def test_default_port(programs: list[str], services: list[str], daemon: str | None) -> None:
    found = default_port(programs, services)
    assert (found.daemon if found else None) == daemon


def test_ports_of_some_daemons() -> None:
    ports = {rule.daemon: rule.port for rule in RULES}
    assert (ports["sshd"], ports["nginx"], ports["redis-server"]) == (22, 80, 6379)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.daemon)
def test_rule_cites_its_source(rule: PortRule) -> None:
    assert rule.man.strip()
    assert rule.cites.strip()
    assert rule.package.strip()
    assert str(rule.port) in rule.cites


def test_no_two_rules_claim_a_name() -> None:
    names = Counter(name for rule in RULES for name in {*rule.programs, *rule.services})
    assert [name for name, count in names.items() if count > 1] == []


def test_rules_are_loaded_once() -> None:
    assert rules() is RULES


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"port": 22}, "name at least one program or service"),
        ({"port": 70000, "programs": ("x",)}, "not a TCP port"),
    ],
)
def test_rule_refuses_nonsense(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PortRule(daemon="x", package="x", man="x(8)", cites="x", **fields)  # type: ignore[arg-type]
