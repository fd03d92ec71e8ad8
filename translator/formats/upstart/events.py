"""upstart's event expressions (``start on``, ``stop on``) and what runlevels they name.

Imports: errors, model.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

from translator.errors import ParseError
from translator.model import Span

RUNLEVELS = "0123456S"
"""Every runlevel a ``runlevel`` event can carry, in the order they are written back."""
BOOT_LEVELS = frozenset("2345")
"""The multi-user runlevels: a job started in one of them starts at boot."""
OPERATORS = ("and", "or")
BOOT_EVENTS = frozenset(
    {"filesystem", "local-filesystems", "remote-filesystems", "virtual-filesystems",
     "all-swaps", "mounted", "net-device-up", "static-network-up"}
)  # fmt: skip
"""Events every boot emits (mountall, ifupdown): a job started on them starts at boot.

``startup`` is not one of them: jobs on it are the early boot that systemd does itself.
"""


@dataclass(frozen=True, slots=True)
class Event:
    """One event to match: its name and arguments (positional, then ``NAME=pattern``)."""

    name: str
    arguments: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Operation:
    """Two expressions joined by ``and`` or ``or``."""

    operator: str
    left: Event | Operation
    right: Event | Operation


@dataclass(frozen=True, slots=True)
class Operator:
    """``and`` or ``or`` where it stands, before it joins two expressions."""

    word: str
    span: Span


Expression = Event | Operation


def with_argument(event: Event, argument: str, span: Span) -> Event:
    """Add an argument to ``event``; upstart refuses a positional one after a named one."""
    if "=" not in argument and any("=" in a for a in event.arguments):
        message = f"{argument!r}: a positional argument cannot follow a NAME=value one"
        raise ParseError(message, span, code="SV101")
    return replace(event, arguments=(*event.arguments, argument))


def fold(sequence: list[Expression | Operator], span: Span) -> Expression:
    """Check that operands and operators alternate, and combine them left to right.

    ``and`` and ``or`` bind equally, as upstart's parse_on() reads them. ``span`` is
    the whole expression's, for what is missing at its end.
    """
    expression: Expression | None = None
    operator: Operator | None = None
    for item in sequence:
        if isinstance(item, Operator):
            if expression is None or operator is not None:
                raise ParseError(f"expected an event before {item.word!r}", item.span, code="SV101")
            operator = item
        elif expression is None:
            expression = item
        elif operator is None:
            where = next(leaves(item)).span
            raise ParseError('expected "and" or "or" before this event', where, code="SV101")
        else:
            expression, operator = Operation(operator.word, expression, item), None
    if operator is not None:
        raise ParseError(f"expected an event after {operator.word!r}", operator.span, code="SV101")
    if expression is None:
        raise ParseError("expected an event", span, code="SV101")
    return expression


def leaves(expression: Expression) -> Iterator[Event]:
    """Yield the events of ``expression``, left to right."""
    if isinstance(expression, Event):
        yield expression
    else:
        yield from leaves(expression.left)
        yield from leaves(expression.right)


def operators(expression: Expression) -> set[str]:
    """Give the operators ``expression`` uses."""
    if isinstance(expression, Event):
        return set()
    return {expression.operator} | operators(expression.left) | operators(expression.right)


def runlevels(event: Event) -> set[str] | None:
    """Give the runlevels ``runlevel X`` or ``stopped rc RUNLEVEL=X`` matches, else None.

    None too when the pattern refers to a variable (``[!$RUNLEVEL]``): only the running
    upstart knows it.
    """
    named = dict(a.partition("=")[::2] for a in event.arguments if "=" in a)
    positional = [a for a in event.arguments if "=" not in a]
    if event.name == "runlevel":
        pattern = positional[0] if positional else named.get("RUNLEVEL", "*")
    elif event.name == "stopped" and positional == ["rc"] and "RUNLEVEL" in named:
        pattern = named["RUNLEVEL"]
    else:
        return None
    if "$" in pattern:
        return None
    return {level for level in RUNLEVELS if fnmatchcase(level, pattern)}


def is_at_boot(expression: Expression) -> bool:
    """Whether the events of a boot satisfy ``expression`` by themselves.

    A boot enters a multi-user runlevel and emits BOOT_EVENTS; ``started JOB`` and any
    other event may never come.
    """
    if isinstance(expression, Operation):
        left, right = is_at_boot(expression.left), is_at_boot(expression.right)
        return (left and right) if expression.operator == "and" else (left or right)
    if expression.name in BOOT_EVENTS:
        return True
    return bool((runlevels(expression) or set()) & BOOT_LEVELS)


def started_job(event: Event) -> str | None:
    """Give the job ``started JOB`` names (no pattern, no other argument), else None."""
    if event.name == "started" and len(event.arguments) == 1:
        name = event.arguments[0]
        if "=" not in name and not set(name) & set("*?[]$"):
            return name
    return None
