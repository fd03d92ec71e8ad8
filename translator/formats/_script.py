"""Read a shell script (init script, runit run file) with tree-sitter-bash, evaluate it statically.

Nothing of the script or the host runs: assignments, ``${V:-d}``, ``${V:=d}``,
``$(basename …)``, ``export`` and the env files a script sources are evaluated from the
text alone. A value that cannot be known stays unresolved (None), and says where.
Shared by formats (initd, runit). Imports: model.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from functools import cache
from pathlib import PurePosixPath

import tree_sitter_bash
from tree_sitter import Language, Node, Parser

from translator.model import Source, Span

_LIBRARIES = frozenset(
    ["/lib/lsb/init-functions", "/lib/init/vars.sh", "/etc/rc.d/init.d/functions",
     "/etc/init.d/functions", "/etc/rc.status", "/lib/init/init-d-script"]
)  # fmt: skip
"""Distribution libraries init scripts source for their helpers (log_*, daemon, …)."""
REFERENCE = "\x00"
"""Marks a reference to an env-file variable inside an evaluated word: ``\\x00NAME\\x00``."""
_UNKNOWN = "\x01"
"""Stands for the part of a value only running the script could tell (``/run/$(id -u)``)."""


def unescape(text: str) -> str:
    r"""Remove the shell's backslash escapes from an unquoted word (``a\ b`` is ``a b``)."""
    if "\\" not in text:
        return text
    try:
        return "".join(shlex.split(text)) if text.strip() else text
    except ValueError:
        return text


_DOUBLE_QUOTED_ESCAPES = frozenset('$`"\\\n')


def unescape_double_quoted(text: str) -> str:
    r"""Remove the escapes double quotes know: ``\$``, ``\```, ``\"``, ``\\``, ``\``+newline."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in _DOUBLE_QUOTED_ESCAPES:
            if text[index + 1] != "\n":  # a backslash-newline joins the lines
                out.append(text[index + 1])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


@cache
def _parser() -> Parser:
    return Parser(Language(tree_sitter_bash.language()))


@dataclass(frozen=True, slots=True)
class Word:
    """An argument after expansion: its text (None: unknown) and where it was written.

    Env-file variables stay references (``REFERENCE``-marked), for the unit to expand.
    """

    text: str | None
    span: Span
    known_prefix: str = ""
    """What is known of an unknown word's start (``-P`` of ``-P$(id -u).pid``)."""


@dataclass(frozen=True, slots=True)
class Call:
    """A simple command as the script would run it, after expansion."""

    name: str
    args: tuple[Word, ...]
    span: Span
    background: bool = False
    redirects: tuple[tuple[str, str | None], ...] = ()
    """Output redirects in order: (descriptor, file) or (descriptor, ``&1``); None: unknown."""


@dataclass(slots=True)
class Variable:
    """A shell variable's value; ``from_env_file`` ones stay references in commands."""

    value: str | None
    span: Span
    from_env_file: bool = False
    defaulted: bool = False

    @property
    def known(self) -> str | None:
        """The value when all of it is known, else None."""
        return None if self.value is None or _UNKNOWN in self.value else self.value

    def words(self) -> list[Word]:
        """Split the value as an unquoted expansion would; unknown words have None text."""
        return _split(self.value or "", self.span)


EnvLoader = Callable[[str, Span], "Source | None"]
"""Read an env file a script sources (``/etc/default/NAME``) from the host tree."""


@dataclass(slots=True)
class Script:
    """One parsed init script: its variables, functions and the env files it read."""

    source: Source
    root: Node
    variables: dict[str, Variable] = field(default_factory=dict)
    functions: dict[str, Node] = field(default_factory=dict)
    env_files: list[tuple[str, Span, bool | None]] = field(default_factory=list)
    """Each sourced env file: path, where, pure KEY=value (True), shell code (False),
    absent (None)."""
    error_spans: list[Span] = field(default_factory=list)
    reads_unknown_files: bool = False
    exported: set[str] = field(default_factory=set)
    masked_rows: frozenset[int] = frozenset()
    """Rows (from 0) whose backticks were masked so the grammar could read the rest."""
    positional: tuple[Word, ...] = ()
    """``$1``, ``$2``…: the action while it is followed, a function's arguments inside it."""

    @property
    def name(self) -> str:
        """The script's file name (``$(basename $0)``)."""
        return PurePosixPath(self.source.path).name

    @property
    def service_name(self) -> str:
        """The script's name without ``.init``/``.sh``: its env file's name."""
        return self.name.removesuffix(".init").removesuffix(".sh")

    def span(self, node: Node) -> Span:
        """Where ``node`` was written."""
        return Span(
            path=self.source.path,
            line=node.start_point.row + 1,
            column=node.start_point.column + 1,
            end_line=node.end_point.row + 1,
            end_column=node.end_point.column + 1,
        )

    def text(self, node: Node) -> str:
        """Give the source text of ``node``."""
        return self.code[node.start_byte : node.end_byte].decode()

    @property
    def code(self) -> bytes:
        """The text the grammar read: the source, with masked rows' backticks as quotes."""
        if not self.masked_rows:
            return self.source.text.encode()
        lines = self.source.text.encode().split(b"\n")
        for row in self.masked_rows:
            lines[row] = lines[row].replace(b"`", b"'")
        return b"\n".join(lines)


def read_script(source: Source, load_env: EnvLoader) -> Script:
    """Parse ``source`` and evaluate its top level (assignments, sourced env files)."""
    script = Script(source=source, root=_parser().parse(source.text.encode()).root_node)
    script.error_spans = [script.span(n) for n in _errors(script.root)]
    _mask_backticks(script)
    Evaluator(script, load_env).run_top_level(script.root)
    return script


def _mask_backticks(script: Script) -> None:
    """Work around the grammar's ``[ -d /proc/`cat F`/ ]``, which swallows the rest.

    tree-sitter-bash 0.25 fails on a backtick substitution glued between words inside a
    test; its recovery then loses whole functions. Backticks on the rows of the innermost
    errors become single quotes (same length, so positions hold) and the words on those
    rows count as unknown. The masking is kept only if it leaves fewer errors.
    """
    errors = list(_innermost_errors(script.root))
    for _ in range(3):
        rows = {n.start_point.row for n in errors}
        rows = {row for row in rows if b"`" in script.source.text.encode().split(b"\n")[row]}
        if not rows:
            return
        masked = replace(script, masked_rows=script.masked_rows | rows)
        root = _parser().parse(masked.code).root_node
        fewer = list(_innermost_errors(root))
        if len(fewer) >= len(errors):
            return
        script.masked_rows, script.root, errors = masked.masked_rows, root, fewer


def _innermost_errors(node: Node) -> Iterator[Node]:
    inner = [error for child in node.children for error in _innermost_errors(child)]
    if not inner and (node.type == "ERROR" or node.is_missing):
        yield node
    yield from inner


def _errors(node: Node) -> Iterator[Node]:
    if node.type == "ERROR" or node.is_missing:
        yield node
        return
    for child in node.children:
        yield from _errors(child)


@dataclass(slots=True)
class Evaluator:
    """Evaluates words and the statements that set variables, in script order."""

    script: Script
    load_env: EnvLoader

    def run_top_level(self, node: Node) -> None:
        """Record functions; evaluate assignments, exports and sourcing outside them."""
        for child in node.children:
            if child.type == "function_definition":
                name = child.child_by_field_name("name")
                body = child.child_by_field_name("body")
                if name is not None and body is not None:
                    self.script.functions[self.script.text(name)] = body
            elif child.type in ("case_statement", "ERROR"):
                continue  # the dispatcher on $1 is followed per action, not evaluated here
            elif child.type == "command" and self.command_name(child) in self.script.functions:
                # a helper called at the top (get_mysql_option … sets $result): its
                # assignments count for what follows
                for _ in _command(self.script, self, child, 0):
                    pass
            else:
                self.settle(child)

    def settle(self, node: Node) -> None:
        """Evaluate what ``node`` sets: assignments, exports, sourced env files."""
        if node.type == "variable_assignment":
            self.assign(node)
        elif node.type == "declaration_command" and self.script.text(node).startswith("export"):
            for child in node.named_children:
                name = child.child_by_field_name("name") if child.type != "variable_name" else child
                if name is not None:
                    self.script.exported.add(self.script.text(name))
                if child.type == "variable_assignment":
                    self.assign(child)
        elif node.type == "command" and self.command_name(node) in (".", "source"):
            arguments = self.arguments(node)
            if arguments and arguments[0].text:
                self.source_env(arguments[0].text, arguments[0].span)
        elif node.type in ("function_definition", "command_substitution"):
            return
        else:
            for child in node.children:
                self.settle(child)

    def assign(self, node: Node) -> None:
        """Evaluate ``NAME=value`` into the script's variables."""
        name_node = node.child_by_field_name("name")
        value_node = node.child_by_field_name("value")
        if name_node is None:
            return
        name = self.script.text(name_node)
        value = self.partial(value_node) if value_node is not None else ""
        self.script.variables[name] = Variable(value=value, span=self.script.span(node))

    def source_env(self, path: str, span: Span) -> None:
        """Read an env file the script sources; only /etc/default and /etc/sysconfig."""
        if not path.startswith(("/etc/default/", "/etc/sysconfig/")):
            # a distribution library sets no variable a daemon's command uses; any other
            # file might, so what is never set here is unknown rather than empty
            self.script.reads_unknown_files |= path not in _LIBRARIES
            return
        own = PurePosixPath(path).name == self.script.service_name
        if any(path == read for read, _, _ in self.script.env_files):
            return  # read again on another branch (if/elif): the unit reads it once
        found = self.load_env(path, span)
        if found is None:
            if own:
                self.script.env_files.append((path, span, None))
            return
        tree = _parser().parse(found.text.encode())
        env = Script(source=found, root=tree.root_node)
        children = tree.root_node.children
        pure = all(child.type in ("variable_assignment", "comment") for child in children)
        env.variables = self.script.variables  # one environment
        Evaluator(env, self.load_env).settle(tree.root_node)
        if own:  # the unit reads it too: its variables stay references
            for variable in self.script.variables.values():
                if variable.span.path == found.path:
                    variable.from_env_file = pure
            self.script.env_files.append((path, span, pure))

    def command_name(self, node: Node) -> str | None:
        """Expand the name of a command (None when unknown)."""
        name = node.child_by_field_name("name")
        return self.word(name).text if name is not None else None

    def arguments(self, node: Node) -> list[Word]:
        """Expand a command's arguments, splitting unquoted expansions into words."""
        words: list[Word] = []
        for child in node.children_by_field_name("argument"):
            if _is_glued(child):
                continue  # expanded with the word it belongs to
            if self.script.text(child) in ('"$@"', '"${@}"'):
                words += self.script.positional  # each argument stays one word
            else:
                words += self.split(child)
        return words

    def split(self, node: Node) -> list[Word]:
        """Expand one argument; an unquoted expansion splits into words."""
        if node.type not in ("simple_expansion", "expansion"):
            return [self.word(node)]
        span = self.script.span(node)
        text = self.partial(node)
        if text is None:
            return [Word(text=None, span=span)]
        return _split(text, span)  # an env-file reference stays one word: the unit splits it

    def partial(self, node: Node) -> str | None:
        """Expand ``node``, marking unknown parts; None when none of it is known."""
        if node.start_point.row in self.script.masked_rows:
            return None
        try:
            text = self.expand(node)
        except _UnknownValueError:
            return None
        return None if text and not text.replace(_UNKNOWN, "") else text

    def word(self, node: Node | None) -> Word:
        """Expand one word; None text when part of it cannot be known statically."""
        if node is None:
            return Word(text="", span=Span(path=self.script.source.path, line=1, column=1))
        text = self.partial(node)
        known = text is not None and _UNKNOWN not in text
        return Word(text=text if known else None, span=self.script.span(node))

    def expand(self, node: Node) -> str:
        """Expand ``node`` to text, or raise when only running the script could tell."""
        kind = node.type
        if kind in ("word", "number", "extglob_pattern"):
            text = self.script.text(node)
            if "`" in text or "$(" in text:  # a command substitution the grammar left whole
                raise _UnknownValueError
            return unescape(text)
        if kind == "raw_string":
            return self.script.text(node)[1:-1]
        if kind in ("string", "concatenation", "command_name"):
            text = "".join(self._expand_part(child) for child in node.named_children)
            if (tail := _glued_tail(node)) is not None:
                text += self._glued(self.script.text(tail))
            return text
        if kind == "string_content":
            return unescape_double_quoted(self.script.text(node))
        if kind == "simple_expansion":
            # in "$A $B" the grammar puts the space inside the second expansion's "$" token
            text = self.script.text(node)
            dollar = text.index("$")
            return text[:dollar] + self.lookup(text[dollar + 1 :])
        if kind == "expansion":
            return self.parameter(node)
        if kind == "command_substitution":
            return self.substitute(node)
        raise _UnknownValueError

    def _glued(self, text: str) -> str:
        """Expand ``NAME.pid``, the rest of a ``$NAME.pid`` the grammar split off."""
        end = next((i for i, char in enumerate(text) if not (char.isalnum() or char == "_")), None)
        end = len(text) if end is None else end
        return self._expand_part_of(text[:end]) + unescape(text[end:])

    def _expand_part_of(self, name: str) -> str:
        try:
            return self.lookup(name)
        except _UnknownValueError:
            return _UNKNOWN

    def _expand_part(self, node: Node) -> str:
        try:
            return self.expand(node)
        except _UnknownValueError:
            return _UNKNOWN

    def lookup(self, name: str) -> str:
        """Give a variable's value, or a reference to an env-file variable."""
        if name == "0":
            return f"/etc/init.d/{self.script.name}"
        if name.isdigit() or name in ("@", "*"):
            return self.positional(name)
        variable = self.script.variables.get(name)
        if variable is None and name.isidentifier():
            # never set: empty, as in the shell, unless an env file the unit reads sets it
            if self.script.env_files:
                return f"{REFERENCE}{name}{REFERENCE}"
            if self.script.reads_unknown_files:
                raise _UnknownValueError
            return ""
        if variable is None or variable.value is None:
            raise _UnknownValueError
        if variable.from_env_file:
            return f"{REFERENCE}{name}{REFERENCE}"
        return variable.value

    def positional(self, name: str) -> str:
        """``$1``…, ``$@``, ``$*``: the action or the function's arguments."""
        words = self.script.positional
        if name in ("@", "*"):
            texts = [word.text for word in words]
        else:
            index = int(name) - 1
            texts = [words[index].text] if index < len(words) else [""]
        if None in texts:
            raise _UnknownValueError
        return " ".join(text for text in texts if text is not None)

    def parameter(self, node: Node) -> str:
        """``${V}``, ``${V:-d}``, ``${V-d}``, ``${V:=d}``, ``${V##pattern}`` and kin."""
        name_node = next(
            (
                c
                for c in node.named_children
                if c.type in ("variable_name", "special_variable_name")
            ),
            None,
        )
        if name_node is None:
            raise _UnknownValueError
        name = self.script.text(name_node)
        kinds = [c.type for c in node.children]
        operator = next((k for k in kinds if k in (":-", "-", ":=", "=")), None)
        trim = next((k for k in kinds if k in _TRIMS), None)
        if trim is not None:
            pattern = "".join(
                self.script.text(c) if c.type == "regex" else self.expand(c)
                for c in node.named_children
                if c is not name_node
            )
            return _trimmed(self.lookup(name), trim, pattern)
        if operator is None:
            return self.lookup(name)
        variable = self.script.variables.get(name)
        known = variable is not None and variable.value is not None
        if known and (variable.value or operator in ("-", "=")):  # type: ignore[union-attr]
            return self.lookup(name)
        default_nodes = [
            c for c in node.named_children if c is not name_node and c.type != "variable_name"
        ]
        default = "".join(self.expand(c) for c in default_nodes)
        if operator in (":=", "="):
            self.script.variables[name] = Variable(
                value=default, span=self.script.span(node), defaulted=True
            )
        elif variable is not None and variable.value is None:
            variable.defaulted = True  # unknown, so its default stands in for it
        return default

    def substitute(self, node: Node) -> str:
        """``$(basename X)`` is known; any other command substitution is not."""
        command = next((c for c in node.named_children if c.type == "command"), None)
        if command is None or self.command_name(command) != "basename":
            raise _UnknownValueError
        arguments = self.arguments(command)
        if not arguments or arguments[0].text is None:
            raise _UnknownValueError
        return PurePosixPath(arguments[0].text).name


def _glued_tail(node: Node) -> Node | None:
    """Find the node tree-sitter-bash split off ``$A/$NAME.pid`` after its lone ``$``.

    The grammar reads ``X=$A/$NAME.pid`` as ``X=$A/$`` and a command ``NAME.pid``
    (tree-sitter-bash 0.25); the two are glued back here.
    """
    if not node.children or node.children[-1].type != "$" or node.children[-1].is_named:
        return None
    following = node
    while following.next_sibling is None and following.parent is not None:
        following = following.parent
    tail = following.next_sibling
    if tail is None or tail.start_byte != node.end_byte:
        return None
    return tail


def _is_glued(node: Node) -> bool:
    previous = node.prev_sibling
    while previous is not None and previous.children and previous.end_byte == node.start_byte:
        if _glued_tail(previous) == node:
            return True
        previous = previous.children[-1]
    return False


def _split(text: str, span: Span) -> list[Word]:
    return [
        Word(None, span, part.partition(_UNKNOWN)[0]) if _UNKNOWN in part else Word(part, span)
        for part in text.split()
    ]


_TRIMS = ("##", "#", "%%", "%")


def _trimmed(value: str, trim: str, pattern: str) -> str:
    """Remove the shortest (``#``, ``%``) or longest (``##``, ``%%``) match of a glob."""
    if REFERENCE in value or _UNKNOWN in value:
        raise _UnknownValueError  # an env-file value is only known when the unit runs
    ends = range(len(value) + 1)
    if trim in ("##", "%%"):
        ends = range(len(value), -1, -1)
    for end in ends:
        if trim.startswith("#") and fnmatchcase(value[:end], pattern):
            return value[end:]
        if trim.startswith("%") and fnmatchcase(value[len(value) - end :], pattern):
            return value[: len(value) - end]
    return value


class _UnknownValueError(Exception):
    """A value only running the script could tell."""


def calls(script: Script, evaluator: Evaluator, node: Node, depth: int = 0) -> Iterator[Call]:
    """Walk ``node`` as it would run, into the script's functions, yielding commands.

    Assignments on the way are evaluated, so later commands see them.
    """
    if depth > _MAX_DEPTH:
        return
    for child in node.children:
        if child.type in ("variable_assignment", "declaration_command"):
            evaluator.settle(child)
            for inner in _descendants(child, "command_substitution"):  # R=$(daemon …)
                yield from calls(script, evaluator, inner, depth)
        elif child.type == "command" and _is_glued_assignment(child):
            evaluator.settle(child)
        elif child.type == "command":
            yield from _command(script, evaluator, child, depth)
        elif child.type == "redirected_statement":
            background = _backgrounded(child)
            redirects = _redirects(evaluator, child)
            for found in calls(script, evaluator, child, depth):
                yield replace(
                    found,
                    background=found.background or background,
                    redirects=found.redirects + redirects,
                )
        elif child.type not in ("function_definition", "command_substitution", "heredoc_body"):
            yield from calls(script, evaluator, child, depth)


_MAX_DEPTH = 8


def _command(script: Script, evaluator: Evaluator, node: Node, depth: int) -> Iterator[Call]:
    name = evaluator.command_name(node)
    if name in script.functions:
        outer, script.positional = script.positional, tuple(evaluator.arguments(node))
        try:
            yield from calls(script, evaluator, script.functions[name], depth + 1)
        finally:
            script.positional = outer
    elif name in (".", "source"):
        evaluator.settle(node)
    else:
        span = script.span(node)
        first, *rest = (name or "").split() or [""]  # an unquoted $CMD splits into words
        yield Call(
            name=first,
            args=(*(Word(word, span) for word in rest), *evaluator.arguments(node)),
            span=span,
            background=_backgrounded(node),
        )


def _redirects(evaluator: Evaluator, node: Node) -> tuple[tuple[str, str | None], ...]:
    """Read ``> F``, ``>> F``, ``2>&1``, ``&> F`` of a statement (input redirects aside)."""
    found: list[tuple[str, str | None]] = []
    for redirect in (c for c in node.children if c.type == "file_redirect"):
        operator = next((c.type for c in redirect.children if not c.is_named), "")
        descriptor = redirect.child_by_field_name("descriptor")
        number = evaluator.script.text(descriptor) if descriptor is not None else "1"
        target = evaluator.word(redirect.child_by_field_name("destination")).text
        if operator in ("&>", "&>>"):
            found += [("1", target), ("2", target)]
        elif operator == ">&" and target is not None and target.isdigit():
            found.append((number, f"&{target}"))
        elif operator in (">", ">>", ">|"):
            found.append((number, target))
    return tuple(found)


def _is_glued_assignment(node: Node) -> bool:
    """``X=$A/$NAME.pid`` alone, which the grammar reads as a command ``NAME.pid``."""
    name = node.child_by_field_name("name")
    return name is not None and not node.children_by_field_name("argument") and _is_glued(name)


def _backgrounded(node: Node) -> bool:
    return node.next_sibling is not None and node.next_sibling.type == "&"


def action(script: Script, name: str) -> Node | None:
    """Find the body of the ``case "$1"`` arm for action ``name`` (``start``, ``stop``…).

    While that arm is followed, ``$1`` is ``name`` (``start) $1 ;;`` calls ``start``).
    """
    script.positional = (Word(name, Span(path=script.source.path, line=1, column=1)),)
    for case in _descendants(script.root, "case_statement"):
        value = case.child_by_field_name("value")
        if value is None or script.text(value).strip('"') not in ("$1", "${1}"):
            continue
        for item in case.named_children:
            if item.type != "case_item":
                continue
            patterns = [script.text(v).strip("'\"") for v in item.children_by_field_name("value")]
            if name in patterns:
                return item
    return None


_FIRST_ARGUMENT = re.compile(r"\$1|\$\{1\}|\$\{1:?[-=?+][^}]*\}")
"""``$1`` as a case statement names it: ``$1``, ``${1}``, ``${1:-default}``."""


def actions(script: Script) -> tuple[Span, frozenset[str]] | None:
    """Give the actions the script's ``case "$1"`` arms name, and where that case starts.

    A case on ``${1:-…}``, or on another variable with a ``start`` arm (``case "$WHAT"``),
    counts too. None: no such case, the script dispatches some other way.
    """
    found: list[tuple[Node, Node, set[str]]] = []
    for case in _descendants(script.root, "case_statement"):
        value = case.child_by_field_name("value")
        if value is None:
            continue
        patterns = {
            script.text(pattern).strip("'\"")
            for item in case.named_children
            if item.type == "case_item"
            for pattern in item.children_by_field_name("value")
        }
        if _FIRST_ARGUMENT.fullmatch(script.text(value).strip('"')) or "start" in patterns:
            found.append((case, value, patterns))
    if not found:
        return None
    case, value, _ = next((f for f in found if "start" in f[2]), found[0])
    start, end = script.span(case), script.span(value)
    span = replace(start, end_line=end.end_line, end_column=end.end_column)
    return span, frozenset(name for _, _, patterns in found for name in patterns)


def _descendants(node: Node, kind: str) -> Iterator[Node]:
    for child in node.children:
        if child.type == kind:
            yield child
        yield from _descendants(child, kind)


def parse_command_string(text: str, outer: Script) -> Script:
    """Parse the command string of ``su -c "…"`` as a script of its own.

    It shares ``outer``'s variables and env files, as the shell su starts inherits them.
    Its positions are within the string; callers place what they find at the su call.
    """
    tree = _parser().parse(text.encode())
    inner = Script(source=Source(path=outer.source.path, text=text), root=tree.root_node)
    inner.variables, inner.env_files = outer.variables, outer.env_files
    inner.reads_unknown_files = outer.reads_unknown_files
    return inner


def simple_call(script: Script, evaluator: Evaluator, node: Node) -> Call | None:
    """Give the one simple command a top-level statement runs (redirected or not), else None."""
    redirects: tuple[tuple[str, str | None], ...] = ()
    if node.type == "redirected_statement":
        redirects = _redirects(evaluator, node)
        body = node.child_by_field_name("body")
        if body is None:
            return None
        node = body
    if node.type != "command":
        return None
    found = next(_command(script, evaluator, node, _MAX_DEPTH), None)
    return None if found is None else replace(found, redirects=redirects)
