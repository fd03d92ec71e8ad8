"""Read a service directory: ``run`` and the files beside it, into the model.

The usual subset of ``run`` is lifted: ``exec 2>&1``, ``cd``, ``umask``, ``export K=V``
and a last ``exec`` through ``chpst``, ``setuidgid``, ``envdir``, ``softlimit`` and their
s6 forms; ``env/``, ``down``, ``finish`` and the dialect's stop files come through the
include loader. Any other statement is kept verbatim as an extra (and noted), so a run
script is never refused for what it does. A last command run without ``exec`` is read as
the start command all the same, marked with a ``run without exec`` extra for lint.
Imports: model, diagnostics, errors, formats/_script, formats/_svdir.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from tree_sitter import Node

from translator.diagnostics import Diagnostic, IncludeLoader, ParseResult, ReadLoss, Severity
from translator.errors import ParseError
from translator.formats._script import Evaluator, Script, read_script, simple_call
from translator.formats._svdir.dialect import LIMIT_OPTIONS, Dialect, limit_option
from translator.formats._svdir.finish import read_finish
from translator.model import (
    Command,
    Extra,
    Hook,
    Host,
    Origin,
    Output,
    ResourceLimit,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    Span,
    StartLimit,
)

NO_EXEC = "run without exec"
"""The key of the extra that marks a run script whose program is not started by ``exec``."""
_CHPST_KEPT = ("-/", "-n")
"""chpst options with no model field, kept as extras ``chpst -X``."""
_FLAGS = ("-P", "-0", "-1", "-2", "-v")
"""chpst's options that take no value (every softlimit option takes one)."""


@dataclass(slots=True)
class Reading:
    """What reading one service directory found so far."""

    name: str
    dialect: Dialect
    script: Script
    load_include: IncludeLoader | None
    notes: list[Diagnostic] = field(default_factory=list)
    values: dict[str, object] = field(default_factory=dict)
    spans: list[tuple[str, Span]] = field(default_factory=list)
    extras: list[Extra] = field(default_factory=list)
    environment: list[tuple[str, str]] = field(default_factory=list)
    limits: list[ResourceLimit] = field(default_factory=list)

    def set(self, name: str, value: object, span: Span) -> None:
        """Set the model field ``name``, written at ``span``."""
        self.values[name] = value
        self.spans.append((name, span))

    def extra(self, key: str, value: str, span: Span, *, is_informational: bool = False) -> None:
        """Keep a statement of this format as an extra, without a note."""
        self.extras.append(
            Extra(
                format=self.dialect.format,
                key=key,
                value=value,
                is_informational=is_informational,
                origin=Origin(span=span),
            )
        )

    def keep(
        self, key: str, value: str, span: Span, why: str, severity: Severity = Severity.INFO
    ) -> None:
        """Keep a statement verbatim as an extra, and say so.

        A statement of the script is a warning: svconv does not know what it does, so
        only the same format keeps it.
        """
        self.extra(key, value, span)
        self.notes.append(
            Diagnostic(
                code="SV730",
                severity=severity,
                span=span,
                message=f"svconv does not read {why}",
                loss=ReadLoss(
                    service=self.name,
                    field="extras",
                    action=f"kept verbatim for {self.dialect.format}; other targets report it",
                ),
            )
        )

    def load(self, name: str, span: Span) -> list[Source]:
        """Load the files ``name`` (a glob) beside the run script."""
        return [] if self.load_include is None else self.load_include(name, span)


def read_service_directory(
    source: Source, dialect: Dialect, load_include: IncludeLoader | None
) -> ParseResult:
    """Parse a service's ``run`` script (``…/NAME/run``) and the files beside it."""
    script = read_script(source, lambda path, span: None)
    if script.error_spans:
        raise ParseError("the shell cannot read this run script", script.error_spans[0], "SV101")
    name = PurePosixPath(source.path).parent.name or "run"
    reading = Reading(name=name, dialect=dialect, script=script, load_include=load_include)
    evaluator = Evaluator(script, lambda path, span: None)
    start: Command | None = None
    for node in script.root.named_children:
        start = _statement(reading, evaluator, node, has_start=start is not None) or start
    _exported(reading)
    span = Span(path=source.path, line=1, column=1)
    _stop_files(reading, span)
    _log_service(reading, span)
    hooks, start_limit = _finish(reading, span)
    service = Service(
        name=name,
        start=start,
        daemonizes=False,  # the supervisor watches the process it execs
        restart=RestartPolicy(when=RestartWhen.ALWAYS),
        environment=tuple(sorted(dict(reading.environment).items())),
        limits=tuple(reading.limits),
        enabled_at_boot=not reading.load("down", span),
        hooks=hooks,
        start_limit=start_limit,
        extras=tuple(reading.extras),
        managed_by=dialect.format,
        origin=Origin(span=span, fields=tuple(reading.spans)),
        **reading.values,  # type: ignore[arg-type]
    )
    host = Host(services=(service,), origin=Origin(span=span))
    return ParseResult(host=host, diagnostics=tuple(reading.notes))


def _statement(
    reading: Reading, evaluator: Evaluator, node: Node, *, has_start: bool
) -> Command | None:
    """Read one top-level statement; give the start command when it is the ``exec``.

    A last command without ``exec`` is the start command too, when no ``exec`` came before.
    """
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
        reading.keep("run", script.text(node), span, "this statement", Severity.WARNING)
        return None
    if call.name == "exec" and not call.args and call.redirects == (("2", "&1"),):
        reading.set("stderr", Output(kind="inherit"), span)
        return None
    words = [word.text for word in call.args]
    if call.redirects or None in words or call.background:
        reading.keep(
            "run", script.text(node), span, "a value only running it could tell", Severity.WARNING
        )
        return None
    known = [word for word in words if word is not None]
    if _setting(reading, call.name, known, span):
        pass
    elif call.name == "exec" and known:
        word_spans = [word.span for word in call.args]
        return _exec(reading, known, word_spans, span, script.text(node))
    elif _is_last(script, node) and call.name and not has_start:
        # the supervisor watches the shell: lint says so (the extra marks it)
        reading.extra(NO_EXEC, script.text(node), span, is_informational=True)
        word_spans = [call.span, *(word.span for word in call.args)]
        return _exec(reading, [call.name, *known], word_spans, span, script.text(node))
    else:
        reading.keep(
            "run", script.text(node), span, f"{call.name or 'this statement'}", Severity.WARNING
        )
    return None


_ULIMIT_OPTIONS = {"-n": "-o", "-c": "-c"}
"""``ulimit``'s flag for each limit, and chpst's and softlimit's for the same one."""


def _setting(reading: Reading, name: str | None, words: list[str], span: Span) -> bool:
    """Read ``cd DIR``, ``umask MODE`` or ``ulimit -n N``/``-c 0``; False: none of them.

    A limit is written back through the exec chain's own tool (``ulimit -n`` is not
    POSIX sh).
    """
    if name == "cd" and len(words) == 1:
        reading.set("working_directory", words[0], span)
    elif name == "umask" and len(words) == 1:
        reading.set("umask", words[0], span)
    elif name == "ulimit" and len(words) == 2 and words[0] in _ULIMIT_OPTIONS:
        return _read_limit(reading, _ULIMIT_OPTIONS[words[0]], words[1])
    else:
        return False
    return True


def _is_last(script: Script, node: Node) -> bool:
    """Whether ``node`` is the last statement of the script (comments aside)."""
    statements = [n for n in script.root.named_children if n.type != "comment"]
    return bool(statements) and statements[-1].start_byte == node.start_byte


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


def _exec(
    reading: Reading, words: list[str], word_spans: list[Span], span: Span, text: str
) -> Command | None:
    """Unwrap the chain of privilege, environment and limit tools down to the program.

    The command is placed at the program's first word (after ``exec`` and the chain).
    """
    rest = words
    while rest:
        unwrapped = _unwrap(reading, rest, span)
        if unwrapped is None:
            break
        rest = unwrapped
    if not rest:
        reading.keep("run", text, span, "an exec with no program", Severity.WARNING)
        return None
    program = word_spans[len(words) - len(rest)]
    return Command(argv=tuple(rest), origin=Origin(span=program))


def _unwrap(reading: Reading, words: list[str], span: Span) -> list[str] | None:
    """Read the first tool of the chain; None when ``words`` is the program itself."""
    program = PurePosixPath(words[0]).name
    rest = words[1:]
    if program == "chpst":
        return _chpst(reading, rest, span)
    if program in ("softlimit", "s6-softlimit"):
        return _softlimit(reading, rest, span)
    if not rest:
        return None
    if program in ("setuidgid", "s6-setuidgid"):
        reading.set("user", rest[0], span)
        return rest[1:]
    if program in ("envdir", "s6-envdir"):
        _environment_directory(reading, rest[0], span)
        return rest[1:]
    if program == "s6-envuidgid":
        return _s6_identity(reading, rest, span)
    return None


def _s6_identity(reading: Reading, words: list[str], span: Span) -> list[str] | None:
    """``s6-envuidgid [-B] USER[:GROUP] s6-applyuidgid -U …``; None for any other form."""
    by_both = words[0] == "-B"
    account, *rest = words[1:] if by_both else words
    if rest[:2] != ["s6-applyuidgid", "-U"] or (by_both != (":" in account)):
        return None
    user, _, group = account.partition(":")
    reading.set("user", user, span)
    if group:
        reading.set("group", group, span)
    return rest[2:]


def _options(words: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Split ``-X value`` pairs off the front of ``words`` (``-a`` style flags get "")."""
    pairs: list[tuple[str, str]] = []
    index = 0
    while index < len(words) and words[index].startswith("-") and len(words[index]) > 1:
        option = words[index][:2]
        if len(words[index]) > 2:  # -o250: getopt takes the value glued on
            if option in _FLAGS:
                break
            pairs.append((option, words[index][2:]))
            index += 1
        elif option in _FLAGS:
            pairs.append((option, ""))
            index += 1
        elif index + 1 < len(words):
            pairs.append((option, words[index + 1]))
            index += 2
        else:
            break
    return pairs, words[index:]


def _chpst(reading: Reading, words: list[str], span: Span) -> list[str]:
    pairs, rest = _options(words)
    for option, value in pairs:
        if option == "-u":
            user, _, group = value.partition(":")
            reading.set("user", user, span)
            if group:
                reading.set("group", group, span)
        elif option == "-e":
            _environment_directory(reading, value, span)
        elif _read_limit(reading, option, value):
            pass
        elif option in _CHPST_KEPT:
            reading.extra(f"chpst {option}", value, span)
        else:
            reading.keep(f"chpst {option}", value, span, f"chpst {option}")
    return rest


def _softlimit(reading: Reading, words: list[str], span: Span) -> list[str]:
    pairs, rest = _options(words)
    for option, value in pairs:
        if not _read_limit(reading, option, value):
            reading.keep(f"softlimit {option}", value, span, f"softlimit {option}")
    return rest


def _read_limit(reading: Reading, option: str, value: str) -> bool:
    """Read ``-o N`` or ``-c 0`` (chpst, softlimit, ulimit) as a limit; False: not one."""
    resource = next((r for r, o in LIMIT_OPTIONS.items() if o == option), None)
    if resource is None or limit_option(resource, value) is None:
        return False
    reading.limits.append(ResourceLimit(resource=resource, value=value))
    return True


def _environment_directory(reading: Reading, directory: str, span: Span) -> None:
    """Read ``env/*`` when ``directory`` is the service's own, else keep it verbatim."""
    own = (f"{reading.dialect.service_root}/{reading.name}/env", "env", "./env")
    if directory.rstrip("/") not in own:
        reading.keep("envdir", directory, span, f"the environment directory {directory}")
        return
    for source in sorted(reading.load("env/*", span), key=lambda s: s.path):
        key = PurePosixPath(source.path).name
        if source.text:  # an empty file unsets the variable
            value = source.text.split("\n", 1)[0].rstrip(" \t").replace("\0", "\n")
            reading.environment.append((key, value))
    reading.spans.append(("environment", span))


def _exported(reading: Reading) -> None:
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
                reading.keep(
                    "run", script.text(node), script.span(node), "this export", Severity.WARNING
                )
                continue
            reading.environment.append((script.text(name_node), variable.known))
            reading.spans.append(("environment", script.span(node)))


def _log_service(reading: Reading, span: Span) -> None:
    """Note a ``log/run`` other than the one svconv writes: it is not read."""
    dialect = reading.dialect
    for source in reading.load("log/run", span):
        if source.text == dialect.log_run(reading.name):
            continue
        reading.notes.append(
            Diagnostic(
                code="SV730",
                severity=Severity.INFO,
                span=Span(path=source.path, line=1, column=1),
                message="svconv does not read this log/run",
                loss=ReadLoss(
                    service=reading.name,
                    field="stdout",
                    action="the target's own logging takes the output",
                ),
            )
        )


def _stop_files(reading: Reading, span: Span) -> None:
    """Read the dialect's stop signal and kill timeout files, where it has them."""
    dialect = reading.dialect
    _stop_script(reading, span)
    for name, field_name in (
        (dialect.stop_signal_file, "stop_signal"),
        (dialect.kill_timeout_file, "stop_timeout"),
    ):
        found = reading.load(name, span) if name else []
        if not found:
            continue
        text = found[0].text.strip()
        where = Span(path=found[0].path, line=1, column=1)
        if field_name == "stop_signal":
            reading.set(field_name, text, where)
        elif text.isdigit():
            reading.set(field_name, int(text) / 1000, where)
        else:
            reading.keep(str(name), text, where, f"{name} holding {text!r}")


_SIGNALLING_SCRIPT = re.compile(
    r'\s*exec\s+kill\s+-s\s+([A-Z0-9]+)\s+"\$\(cat\s+supervise/pid\)"\s*'
)
"""The ``control/t`` svconv writes: send this signal to the process runsv started."""


def _stop_script(reading: Reading, span: Span) -> None:
    """Read a stop-signal script (runit ``control/t``): the signal, or the script kept."""
    name = reading.dialect.stop_signal_script
    found = reading.load(name, span) if name else []
    if not found or name is None:
        return
    lines = [line for line in found[0].text.splitlines() if not line.startswith("#")]
    signalled = _SIGNALLING_SCRIPT.fullmatch(" ".join(lines))
    where = Span(path=found[0].path, line=1, column=1)
    if signalled is not None:
        reading.set("stop_signal", f"SIG{signalled[1]}", where)
    else:
        reading.keep(
            name, found[0].text, where, f"{name}, a script svconv does not read", Severity.WARNING
        )


def _finish(reading: Reading, span: Span) -> tuple[tuple[Hook, ...], StartLimit | None]:
    """Read ``finish`` where the supervisor runs it: post-stop hooks and a start limit."""
    found = reading.load("finish", span) if reading.dialect.runs_finish else []
    if not found:
        return (), None
    hooks, limit = read_finish(found[0], reading.extra, reading.keep)
    if limit is not None and limit.origin.span is not None:
        reading.spans.append(("start_limit", limit.origin.span))
    return hooks, limit
