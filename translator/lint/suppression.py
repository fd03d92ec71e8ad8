"""Inline suppression: ``# svconv: disable=SV206,SV208 -- reason`` in a format's comment.

On a line of its own a directive covers the next line, or the whole block that line opens
(a section, a ``check``); after a setting it covers its own line; ``disable-file=`` covers
the file. A directive that suppresses nothing, or names no rule, is itself a finding
(SV100, reported by the engine).
Imports: model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from translator.model import Span

_DIRECTIVE = re.compile(
    r"svconv:\s*(?P<kind>disable-file|disable)\s*=\s*(?P<rules>[\w.\-]+(?:\s*,\s*[\w.\-]+)*)"
    r"(?:\s+(?:--\s*)?(?P<reason>.*))?$"
)


@dataclass(slots=True)
class Directive:
    """One suppression comment, what it names, what it covers, and whether it was used."""

    span: Span
    rules: tuple[str, ...]
    covers: str
    """``file``, ``line`` (its own) or ``next`` (the next line, or the block it opens)."""
    reason: str = ""
    used: set[str] = field(default_factory=set)

    def target_line(self, lines: list[str]) -> int:
        """Give the line a ``next`` directive covers: the first after it not a comment."""
        line = self.span.line
        while line < len(lines) and _is_comment_or_blank(lines[line]):
            line += 1
        return line + 1


def directives(path: str, text: str, markers: tuple[str, ...], trailing: bool) -> list[Directive]:
    """Find the directives in ``text``; ``markers`` start a comment (``#``, ``;``).

    ``trailing``: the format allows a comment after a setting (systemd does not).
    """
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        for marker in markers:
            at = line.find(marker)
            if at < 0:
                continue
            own_line = not line[:at].strip()
            if not own_line and (not trailing or not line[at - 1].isspace()):
                continue
            match = _DIRECTIVE.search(line[at + len(marker) :].strip())
            if match is None or not line[at + len(marker) :].strip().startswith("svconv:"):
                continue
            rules = tuple(r.strip() for r in match["rules"].split(","))
            covers = "file" if match["kind"] == "disable-file" else "next" if own_line else "line"
            span = Span(
                path=path, line=number, column=at + 1, end_line=number, end_column=len(line) + 1
            )
            found.append(Directive(span, rules, covers, (match["reason"] or "").strip()))
            break
    return found


def _is_comment_or_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped[0] in "#;"
