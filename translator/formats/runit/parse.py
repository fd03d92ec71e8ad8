"""Read a runit service directory's ``run`` script into the model.

The usual subset is lifted: ``exec 2>&1``, ``cd``, ``umask``, ``export K=V`` and a last
``exec`` through ``chpst``, ``setuidgid``, ``envdir`` and ``softlimit``; the service's
``env/`` files and ``down`` come through ``load_include``. Any other statement is kept
verbatim as an extra (and noted), so a run script is never refused for what it does.
Imports: model, diagnostics, errors, formats/_script, formats/_options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from tree_sitter import Node

from translator.diagnostics import Diagnostic, IncludeLoader, ParseResult, ReadLoss, Severity
from translator.errors import ParseError
from translator.formats._options import ParseOptions
from translator.formats._script import Evaluator, Script, read_script, simple_call
from translator.model import (
    Command,
    Extra,
    Host,
    Origin,
    Output,
    ResourceLimit,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    Span,
)

FORMAT = "runit"
ENV_ROOT = "/etc/sv"
"""Where runit service directories live; ``chpst -e /etc/sv/NAME/env`` is the service's own."""
_CHPST_KEPT = ("-/", "-n")
"""chpst options with no model field, kept as extras ``chpst -X``."""


@dataclass(slots=True)
class _Reading:
    """What reading one run script found so far."""

    name: str
    script: Script
    load_include: IncludeLoader | None
    notes: list[Diagnostic] = field(default_factory=list)
    values: dict[str, object] = field(default_factory=dict)
    spans: list[tuple[str, Span]] = field(default_factory=list)
    extras: list[Extra] = field(default_factory=list)
    environment: list[tuple[str, str]] = field(default_factory=list)
    limits: list[ResourceLimit] = field(default_factory=list)

    def set(self, name: str, value: object, span: Span) -> None:
        self.values[name] = value
        self.spans.append((name, span))

    def keep(self, key: str, value: str, span: Span, why: str) -> None:
        """Keep a statement verbatim as a runit extra, and say so."""
        self.extras.append(Extra(format=FORMAT, key=key, value=value, origin=Origin(span=span)))
        self.notes.append(
            Diagnostic(
                code="SV730",
                severity=Severity.INFO,
                span=span,
                message=f"svconv does not read {why}",
                loss=ReadLoss(
                    service=self.name,
                    field="extras",
                    action="kept verbatim for runit; other targets report it",
                ),
            )
        )


def parse(
    source: Source,
    *,
    load_include: IncludeLoader | None = None,
    options: ParseOptions | None = None,
) -> ParseResult:
    """Parse a service's ``run`` script (``…/NAME/run``) and the files beside it."""
    script = read_script(source, lambda path, span: None)
    if script.error_spans:
        raise ParseError("the shell cannot read this run script", script.error_spans[0], "SV101")
    name = PurePosixPath(source.path).parent.name or "run"
    reading = _Reading(name=name, script=script, load_include=load_include)
    evaluator = Evaluator(script, lambda path, span: None)
    start: Command | None = None
    for node in script.root.named_children:
        start = _statement(reading, evaluator, node) or start
    _exported(reading)
    span = Span(path=source.path, line=1, column=1)
    service = Service(
        name=name,
        start=start,
        daemonizes=False,  # runsv watches the process it execs
        restart=RestartPolicy(when=RestartWhen.ALWAYS),
        environment=tuple(sorted(dict(reading.environment).items())),
        limits=tuple(reading.limits),
        enabled_at_boot=not _loaded(reading, "down", span),
        extras=tuple(reading.extras),
        origin=Origin(span=span, fields=tuple(reading.spans)),
        **reading.values,  # type: ignore[arg-type]
    )
    host = Host(services=(service,), origin=Origin(span=span))
    return ParseResult(host=host, diagnostics=tuple(reading.notes))


def _statement(reading: _Reading, evaluator: Evaluator, node: Node) -> Command | None:
    """Read one top-level statement; give the start command when it is the ``exec``."""
    script = reading.script
    if node.type == "comment":
        return None
    if node.type in ("variable_assignment", "declaration_command"):
        evaluator.settle(node)
        return None
    span = script.span(node)
    node = _unguarded(script, node)
    call = simple_call(script, evaluator, node)
    if call is None:
        reading.keep("run", script.text(node), span, "this statement")
        return None
    if call.name == "exec" and not call.args and call.redirects == (("2", "&1"),):
        reading.set("stderr", Output(kind="inherit"), span)
        return None
    words = [word.text for word in call.args]
    if call.redirects or None in words or call.background:
        reading.keep("run", script.text(node), span, "a value only running it could tell")
        return None
    known = [word for word in words if word is not None]
    if call.name == "cd" and len(known) == 1:
        reading.set("working_directory", known[0], span)
    elif call.name == "umask" and len(known) == 1:
        reading.set("umask", known[0], span)
    elif call.name == "exec" and known:
        return _exec(reading, known, span, script.text(node))
    else:
        reading.keep("run", script.text(node), span, f"{call.name or 'this statement'}")
    return None


def _unguarded(script: Script, node: Node) -> Node:
    """Give ``cd DIR`` of ``cd DIR || exit N`` (the guard shellcheck asks for), else ``node``."""
    parts = node.children
    if node.type != "list" or len(parts) != 3 or parts[1].type != "||":
        return node
    first, guard = parts[0], parts[2]
    guard_name = guard.child_by_field_name("name") if guard.type == "command" else None
    first_name = first.child_by_field_name("name") if first.type == "command" else None
    if guard_name is None or first_name is None:
        return node
    if script.text(guard_name) != "exit" or script.text(first_name) != "cd":
        return node
    return first


def _exec(reading: _Reading, words: list[str], span: Span, text: str) -> Command | None:
    """Unwrap chpst, setuidgid, envdir and softlimit down to the program's argv."""
    rest = words
    while rest:
        program = PurePosixPath(rest[0]).name
        if program == "chpst":
            rest = _chpst(reading, rest[1:], span)
        elif program == "setuidgid" and len(rest) > 1:
            reading.set("user", rest[1], span)
            rest = rest[2:]
        elif program == "envdir" and len(rest) > 1:
            _environment_directory(reading, rest[1], span)
            rest = rest[2:]
        elif program == "softlimit":
            rest = _softlimit(reading, rest[1:], span)
        else:
            break
    if not rest:
        reading.keep("run", text, span, "an exec with no program")
        return None
    return Command(argv=tuple(rest), origin=Origin(span=span))


def _options(words: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Split ``-X value`` pairs off the front of ``words`` (``-a`` style flags get "")."""
    pairs: list[tuple[str, str]] = []
    index = 0
    while index < len(words) and words[index].startswith("-") and len(words[index]) == 2:
        option = words[index]
        if option in ("-P", "-0", "-1", "-2", "-a", "-v"):
            pairs.append((option, ""))
            index += 1
        elif index + 1 < len(words):
            pairs.append((option, words[index + 1]))
            index += 2
        else:
            break
    return pairs, words[index:]


def _chpst(reading: _Reading, words: list[str], span: Span) -> list[str]:
    pairs, rest = _options(words)
    for option, value in pairs:
        if option == "-u":
            user, _, group = value.partition(":")
            reading.set("user", user, span)
            if group:
                reading.set("group", group, span)
        elif option == "-e":
            _environment_directory(reading, value, span)
        elif option == "-o":
            reading.limits.append(ResourceLimit(resource="nofile", value=value))
        elif option in _CHPST_KEPT:
            reading.extras.append(
                Extra(format=FORMAT, key=f"chpst {option}", value=value, origin=Origin(span=span))
            )
        else:
            reading.keep(f"chpst {option}", value, span, f"chpst {option}")
    return rest


def _softlimit(reading: _Reading, words: list[str], span: Span) -> list[str]:
    pairs, rest = _options(words)
    for option, value in pairs:
        if option == "-o":
            reading.limits.append(ResourceLimit(resource="nofile", value=value))
        else:
            reading.keep(f"softlimit {option}", value, span, f"softlimit {option}")
    return rest


def _environment_directory(reading: _Reading, directory: str, span: Span) -> None:
    """Read ``env/*`` when ``directory`` is the service's own, else keep it verbatim."""
    own = (f"{ENV_ROOT}/{reading.name}/env", "env", "./env")
    if directory.rstrip("/") not in own:
        reading.keep("envdir", directory, span, f"the environment directory {directory}")
        return
    if reading.load_include is None:
        return
    for source in sorted(reading.load_include("env/*", span), key=lambda s: s.path):
        key = PurePosixPath(source.path).name
        if source.text:  # an empty file unsets the variable
            value = source.text.split("\n", 1)[0].rstrip(" \t").replace("\0", "\n")
            reading.environment.append((key, value))
    reading.spans.append(("environment", span))


def _exported(reading: _Reading) -> None:
    """Add ``export K=V`` variables, in the order they are exported, to the environment."""
    script = reading.script
    for node in script.root.named_children:
        if node.type != "declaration_command" or not script.text(node).startswith("export"):
            continue
        for child in node.named_children:
            if child.type != "variable_assignment":
                continue
            name_node = child.child_by_field_name("name")
            variable = script.variables.get(script.text(name_node)) if name_node else None
            if variable is None or variable.known is None or name_node is None:
                reading.keep("run", script.text(node), script.span(node), "this export")
                continue
            reading.environment.append((script.text(name_node), variable.known))
            reading.spans.append(("environment", script.span(node)))


def _loaded(reading: _Reading, name: str, span: Span) -> bool:
    """Whether the file ``name`` beside the run script exists."""
    return reading.load_include is not None and bool(reading.load_include(name, span))
