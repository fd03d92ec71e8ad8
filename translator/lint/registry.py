"""Lint rules: the record each rule module declares, and the table of all of them.

A rule is a module under ``translator/lint/rules/`` holding one ``Rule`` made by
``@rule(...)`` over its check. The table is read from that folder once (a cached, pure
loader: importing a rule registers nothing). Codes are never reused: a retired code stays
in ``RETIRED``.
Imports: model, diagnostics.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from translator.diagnostics import Fix, Severity
from translator.model import Host, Origin, Service, Span

DOC_HEADINGS = ("What it does", "Why it matters", "Example", "Use instead", "Fix")
"""The headings every rule's docstring has, in this order."""
RETIRED: dict[str, str] = {}
"""Codes no longer in use, and why; never given to a new rule."""
_CODE = re.compile(r"SV[1-9][0-9]{2}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """What a rule found: where, what, in which service, and how to fix it if known."""

    span: Span
    message: str
    service: str | None = None
    fix: Fix | None = None
    related: tuple[Span, ...] = ()


Check = Callable[[Host], Iterator[Finding]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One rule: ``SV201`` = ``lifecycle.daemonizing-foreground-supervisor``.

    ``check`` reads the model; None means the readers report the rule themselves (a
    syntax rule: only a parser sees the text). ``formats`` are the formats it reads.
    """

    code: str
    name: str
    severity: Severity
    formats: tuple[str, ...]
    doc: str
    check: Check | None = None
    has_fix: bool = False

    @property
    def theme(self) -> str:
        """The first part of the name (``lifecycle``), one per hundreds digit."""
        return self.name.split(".", 1)[0]

    @property
    def summary(self) -> str:
        """The first sentence of *What it does*."""
        body = section(self.doc, "What it does")
        return " ".join(body.split()).split(". ")[0].rstrip(".")

    def selected_by(self, selector: str) -> bool:
        """Say whether ``SV2``, ``SV201``, ``lifecycle`` or the full name picks this rule."""
        if selector.upper().startswith("SV"):
            return self.code.startswith(selector.upper())
        return self.name == selector or self.name.startswith(f"{selector}.")


def where(service: Service, name: str) -> Span:
    """Find where ``name`` (``restart``, ``start``, ``restart.delay``) of ``service`` was set.

    The field's own span, else its node's (a command, a restart policy), else the first
    of its sub-fields, else the service's.
    """
    spans = dict(service.origin.fields)
    if name in spans:
        return spans[name]
    node = getattr(service, name.split(".")[0], None)
    origin = getattr(node, "origin", None)
    if isinstance(origin, Origin) and origin.span is not None:
        return origin.span
    parts = [span for key, span in spans.items() if key.startswith(f"{name}.")]
    if parts:
        return min(parts, key=lambda s: (s.line, s.column))
    return service.origin.span or Span(path="<input>", line=1, column=1)


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    formats: tuple[str, ...],
    has_fix: bool = False,
) -> Callable[[Check], Rule]:
    """Declare the check below as rule ``code``; its docstring is the rule's documentation."""

    def declare(check: Check) -> Rule:
        return Rule(
            code=code,
            name=name,
            severity=severity,
            formats=formats,
            doc=check.__doc__ or "",
            check=check,
            has_fix=has_fix,
        )

    return declare


def reported(
    *,
    code: str,
    name: str,
    severity: Severity,
    formats: tuple[str, ...],
    doc: str,
    has_fix: bool = False,
) -> Rule:
    """Declare a rule the readers report (no check of its own; a fix comes with the note)."""
    return Rule(code=code, name=name, severity=severity, formats=formats, doc=doc, has_fix=has_fix)


@cache
def rules() -> tuple[Rule, ...]:
    """Every rule, by code: one per module of ``translator.lint.rules``."""
    package = importlib.import_module("translator.lint.rules")
    found = []
    for module in pkgutil.iter_modules(package.__path__):
        loaded = importlib.import_module(f"{package.__name__}.{module.name}")
        found += [value for value in vars(loaded).values() if isinstance(value, Rule)]
    return tuple(sorted(found, key=lambda r: r.code))


def by_code(code: str) -> Rule | None:
    """Find a rule by its code (``SV201``) or its name."""
    return next((r for r in rules() if code.upper() == r.code or code == r.name), None)


def selected(selectors: Iterable[str]) -> list[Rule]:
    """Give the rules any of ``selectors`` picks (``ALL`` picks every rule)."""
    chosen = list(selectors)
    return [r for r in rules() if "ALL" in chosen or any(r.selected_by(s) for s in chosen)]


def section(doc: str, heading: str) -> str:
    """Give the text under ``heading:`` of a rule docstring, up to the next heading."""
    lines = doc.splitlines()
    body: list[str] = []
    inside = False
    for line in lines:
        stripped = line.strip()
        starts = next((h for h in DOC_HEADINGS if stripped.startswith(f"{h}:")), None)
        if starts is not None:
            if inside:
                break
            inside = starts == heading
            if inside:
                body.append(stripped[len(heading) + 1 :].strip())
            continue
        if inside:
            body.append(line)
    first, *rest = body or [""]
    return f"{first}\n{_dedent(chr(10).join(rest))}".strip("\n")


def examples(doc: str, heading: str) -> list[tuple[str, str, str]]:
    """Give the fenced examples under ``heading``: (format, file name, text) each.

    A fence opens with ```` ```FORMAT NAME ```` and closes with ```` ``` ````.
    """
    found: list[tuple[str, str, str]] = []
    lines = section(doc, heading).splitlines()
    index = 0
    while index < len(lines):
        opening = lines[index].strip()
        if opening.startswith("```") and len(opening.split()) == 2:
            fmt, name = opening[3:].split()
            end = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == "```")
            found.append((fmt, name, _dedent("\n".join(lines[index + 1 : end])) + "\n"))
            index = end
        index += 1
    return found


def is_code(text: str) -> bool:
    """Say whether ``text`` is a rule code (``SV201``)."""
    return _CODE.fullmatch(text) is not None


def _dedent(text: str) -> str:
    lines = text.splitlines()
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines)
