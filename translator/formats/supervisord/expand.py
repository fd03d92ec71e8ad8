"""supervisor's ``%(name)s`` expansion (Python %-formatting over a dict), with positions.

supervisor runs ``value % expansions``; a name it lacks or a stray ``%`` is an error.
svconv does the same, pointing at the ``%`` at fault, except for ``ENV_X`` names that
nothing defines: those become environment references (``${X}``) for the target to
resolve, and the caller reports them. Imports: model, errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from translator.errors import ParseError
from translator.model import Span

_SPECIFIER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?(?P<spec>[#0\- +]*(?:\d+)?(?:\.\d+)?)(?P<type>[diouxXeEfFgGcrsa%])"
)


@dataclass(slots=True)
class Expansion:
    """The expanded text, and the ``ENV_`` names left as references.

    ``text`` has references as ``${X}`` beside literal text; ``variable_text`` is the
    same in model.Command's variable syntax, where a literal ``$`` is written ``$$``.
    """

    text: str
    variable_text: str
    references: list[str] = field(default_factory=list)


def expand(
    text: str, expansions: Mapping[str, object], span: Span, *, keep_env: bool = True
) -> Expansion:
    """Expand ``text`` like ``text % expansions``; unknown ``ENV_X`` becomes ``${X}``."""
    out: list[str] = []
    variable: list[str] = []
    references: list[str] = []
    position = 0
    for percent in re.finditer("%", text):
        if percent.start() < position:
            continue
        literal = text[position : percent.start()]
        match = _SPECIFIER.match(text, percent.start())
        if match is None:
            raise ParseError(
                "a lone '%' (write %% for a percent sign)",
                _at(span, text, percent.start()),
                code="SV104",
            )
        count = len(references)
        piece = _one(match, expansions, references, text, span, keep_env=keep_env)
        is_reference = len(references) > count
        out += [literal, piece]
        variable += [
            literal.replace("$", "$$"),
            piece if is_reference else piece.replace("$", "$$"),
        ]
        position = match.end()
    out.append(text[position:])
    variable.append(text[position:].replace("$", "$$"))
    return Expansion(text="".join(out), variable_text="".join(variable), references=references)


def _one(
    match: re.Match[str],
    expansions: Mapping[str, object],
    references: list[str],
    text: str,
    span: Span,
    *,
    keep_env: bool,
) -> str:
    name, kind = match.group("name"), match.group("type")
    if name is None:
        if kind == "%":
            return "%"
        raise ParseError(
            "'%' needs a name here, as in %(program_name)s",
            _at(span, text, match.start()),
            code="SV101",
        )
    if name not in expansions:
        if keep_env and name.startswith("ENV_") and name[4:]:
            references.append(name[4:])
            return "${" + name[4:] + "}"
        known = ", ".join(sorted(expansions))
        raise ParseError(
            f"unknown name %({name}) (known: {known})", _at(span, text, match.start()), code="SV101"
        )
    try:
        return ("%" + match.group("spec") + kind) % (expansions[name],)
    except (TypeError, ValueError) as error:
        raise ParseError(
            f"%({name}){kind} cannot format {expansions[name]!r}: {error}",
            _at(span, text, match.start()),
            code="SV101",
        ) from None


def _at(span: Span, text: str, offset: int) -> Span:
    """Locate character ``offset`` of a value that starts at ``span``."""
    before = text[:offset]
    lines = before.count("\n")
    column = span.column + offset if not lines else len(before) - before.rfind("\n")
    return Span(
        path=span.path,
        line=span.line + lines,
        column=column,
        end_line=span.line + lines,
        end_column=column + 1,
    )
