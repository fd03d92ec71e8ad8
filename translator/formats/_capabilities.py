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
