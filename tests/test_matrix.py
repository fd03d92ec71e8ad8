"""`svconv matrix` says what each pair of formats does with a field, and the fixtures agree.

A field the matrix calls lost is in the loss report whenever a fixture sets it; one it
calls kept is never reported (the translation tests' round trip shows it unchanged).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.asserts import Case, translate
from tests.formats.test_translations import CASES
from translator import api
from translator.cli import main
from translator.diagnostics import Severity
from translator.formats._capabilities import FIELDS, Fate
from translator.loss import Loss
from translator.model import Service

PAIRS = [(case, target) for case in CASES for target in case.write]


def _set_fields(service: Service) -> list[str]:
    """The carried fields ``service`` gives a value other than the model's default."""
    blank = Service(name=service.name)
    return [name for name in FIELDS if getattr(service, name) != getattr(blank, name)]


def _written_losses(translation: api.Translation, at_least: Severity) -> list[Loss]:
    """The target's losses at ``at_least``, without the notes of the source's reader."""
    read = {(d.span, d.message) for d in translation.diagnostics if d.loss is not None}
    # api.translate records each reader note as a loss: reason = the note's message
    levels = list(Severity)
    return [
        loss
        for loss in translation.losses
        if levels.index(loss.severity) >= levels.index(at_least)
        and (loss.span, loss.reason) not in read
    ]


def _reported(losses: list[Loss], service: str) -> set[str]:
    """The top-level fields the loss report names for ``service`` (``service``: all)."""
    names = (n for loss in losses if loss.service == service for n in (loss.field, *loss.also))
    return {name.split(".")[0].split("[")[0] for name in names}


@pytest.mark.parametrize(
    ("case", "target"), PAIRS, ids=lambda item: item.id if isinstance(item, Case) else item
)
def test_the_matrix_says_what_a_fixture_loses(case: Case, target: str) -> None:
    fates = api.conversion_table(case.read, target)[case.read][target]
    translation = translate(case, target)
    every = _written_losses(translation, Severity.INFO)
    # an INFO note on a kept field says what was added to keep its meaning (RestartSec=1)
    warnings = _written_losses(translation, Severity.WARNING)
    problems = []
    for service in translation.host.services:
        reported = _reported(every, service.name)
        if "service" in reported:
            continue  # not written at all (no foreground form): every field goes with it
        for name in _set_fields(service):
            fate = fates.get(name)
            if fate == Fate.LOST.value and name not in reported:
                problems.append(f"{service.name}.{name} is marked lost, yet not reported")
            if fate == Fate.KEPT.value and name in _reported(warnings, service.name):
                problems.append(f"{service.name}.{name} is marked kept, yet reported")
    assert problems == []


def test_json_gives_each_fields_fate() -> None:
    result = CliRunner().invoke(main, ["matrix", "--format", "json", "--from", "monit"])
    assert result.exit_code == 0, result.output
    table = json.loads(result.output)
    assert list(table) == ["monit"]
    assert table["monit"]["systemd"]["health_checks"] == "lost"
    assert table["monit"]["systemd"]["start"] == "kept"
    assert "sockets" not in table["monit"]["systemd"]  # monit files never hold one


def test_markdown_counts_per_pair_and_lists_fields_for_one() -> None:
    runner = CliRunner()
    whole = runner.invoke(main, ["matrix"]).output
    fates = api.conversion_table("systemd", "monit")["systemd"]["monit"]
    counts = [sum(1 for f in fates.values() if f == each.value) for each in Fate]
    row = next(line for line in whole.splitlines() if line.startswith("| **systemd** |"))
    columns = [c.strip() for c in whole.splitlines()[0].split("|")[2:-1]]
    assert row.split("|")[2 + columns.index("monit")].strip() == "/".join(map(str, counts))
    pair = runner.invoke(main, ["matrix", "--from", "systemd", "--to", "monit"]).output
    assert "| `sockets` | LOST |" in pair
    assert "| `start` | approx. |" in pair
