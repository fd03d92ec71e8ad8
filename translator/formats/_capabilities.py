"""What each format can hold of the model: the capability table and its matrix.

Each format package declares ``CAPABILITIES``, ``{model field: Support}``; a field it
leaves out it cannot hold. Tests hold the emitters to it (a field held fully is never
lost, one not held is always reported), and the README's conversion matrix is
:func:`matrix`. Imports: model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from enum import Enum

from translator.model import Service


class Support(str, Enum):
    """How much of a model field a format's files hold."""

    FULL = "yes"
    """Every value is written and read back as it was."""
    PARTIAL = "partly"
    """Some values are; the others are approximated or left out, and reported."""
    NONE = "no"
    """Never written; reported whenever it is set."""


FIELDS = tuple(
    f.name for f in fields(Service) if f.name not in ("name", "origin", "managed_by", "comments")
)
"""The service fields a translation carries (its name, provenance and comments aside)."""

_MARKS = {Support.FULL: "✓", Support.PARTIAL: "partly", Support.NONE: "—"}


def support(capabilities: Mapping[str, Support], field: str) -> Support:
    """Say how much of ``field`` a format with ``capabilities`` holds."""
    return capabilities.get(field, Support.NONE)


def matrix(formats: Mapping[str, Mapping[str, Support]]) -> str:
    """Render a Markdown table: a row per model field, a column per format."""
    names = sorted(formats)
    lines = [
        "| model field | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for field in FIELDS:
        marks = [_MARKS[support(formats[name], field)] for name in names]
        lines.append(f"| `{field}` | " + " | ".join(marks) + " |")
    return "\n".join(lines) + "\n"


class Fate(str, Enum):
    """What a translation from one format to another does with a model field."""

    KEPT = "kept"
    """Written as read: the round trip gives it back unchanged."""
    APPROXIMATED = "approximated"
    """Some values are written another way or left out; the loss report says which."""
    LOST = "lost"
    """The target cannot hold it: every value is in the loss report."""


_TARGET_FATE = {
    Support.FULL: Fate.KEPT,
    Support.PARTIAL: Fate.APPROXIMATED,
    Support.NONE: Fate.LOST,
}


def fate(source: Mapping[str, Support], target: Mapping[str, Support], field: str) -> Fate | None:
    """Say what becomes of ``field`` going from ``source`` to ``target`` (None: never read).

    A reader lifts whatever its files say into the model, so the target's writer decides;
    a field the source's files cannot hold never reaches the model at all.
    """
    if support(source, field) is Support.NONE:
        return None
    return _TARGET_FATE[support(target, field)]


ConversionTable = dict[str, dict[str, dict[str, str]]]
"""``{source: {target: {field: fate}}}``; fields the source cannot hold are left out."""


def conversions(
    readers: Mapping[str, Mapping[str, Support]], writers: Mapping[str, Mapping[str, Support]]
) -> ConversionTable:
    """Give each field's fate for every pair of a reader and a writer."""
    table: ConversionTable = {}
    for source, held in sorted(readers.items()):
        table[source] = {}
        for target, written in sorted(writers.items()):
            fates = ((name, fate(held, written, name)) for name in FIELDS)
            table[source][target] = {name: f.value for name, f in fates if f is not None}
    return table


_FATE_MARKS = {Fate.KEPT.value: "kept", Fate.APPROXIMATED.value: "approx.", Fate.LOST.value: "LOST"}


def conversions_markdown(table: ConversionTable) -> str:
    """Render a conversion table: pair totals, or per field when one side is fixed.

    One source and one target: a field per row. Otherwise a row per source and a
    column per target, each cell counting kept / approximated / lost fields.
    """
    sources = sorted(table)
    targets = sorted({target for row in table.values() for target in row})
    if len(sources) == 1 or len(targets) == 1:
        return _per_field(table, sources, targets)
    lines = [
        "| from \\ to | " + " | ".join(targets) + " |",
        "|---|" + "---|" * len(targets),
    ]
    for source in sources:
        cells = [_totals(table[source][target]) for target in targets]
        lines.append(f"| **{source}** | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _totals(fates: Mapping[str, str]) -> str:
    """``kept/approximated/lost`` counts of one pair."""
    counts = [sum(1 for f in fates.values() if f == each.value) for each in Fate]
    return "/".join(str(count) for count in counts)


def _per_field(table: ConversionTable, sources: list[str], targets: list[str]) -> str:
    """Render a row per field, a column per pair (one side of every pair is fixed)."""
    pairs = [(source, target) for source in sources for target in targets]
    names = [f"{source} → {target}" for source, target in pairs]
    lines = ["| model field | " + " | ".join(names) + " |", "|---|" + "---|" * len(pairs)]
    for name in FIELDS:
        marks = [table[source][target].get(name) for source, target in pairs]
        if any(marks):
            cells = [_FATE_MARKS[mark] if mark else "·" for mark in marks]
            lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
