"""Turn a daemon's command line into the form that stays in the foreground.

supervisord, and systemd with ``Type=simple``, watch the process they start: a daemon that
forks and lets its parent exit looks to them like a crash. ``foreground.yaml`` says, for
each daemon it knows, which words keep that daemon attached, and quotes the manual page
that says so.

Imports: the standard library and ruamel.yaml only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from importlib.resources import files
from pathlib import PurePosixPath

from ruamel.yaml import YAML

_VERSION = re.compile(r"\d+(?:\.\d+)*")


@dataclass(frozen=True, slots=True, kw_only=True)
class ForegroundRule:
    """How one daemon is kept in the foreground, and the manual page that says so.

    ``add`` is appended unless the program is already in the foreground: when the ``add``
    words appear in order, or any word of ``already_foreground_if`` does. Daemonizing
    words (``remove``, ``remove_with_value``, ``remove_with_optional_value``) are dropped
    and ``replace`` swaps a subcommand for its foreground twin, except where a word is the
    value of one of ``value_options``. With ``merges_into_existing``, ``add`` is an option
    and a value, and the value joins that option's existing value instead, because the
    program keeps only the last one (nginx ``-g``).
    """

    daemon: str
    package: str
    programs: tuple[str, ...]
    has_versioned_names: bool = False
    add: tuple[str, ...] = ()
    merges_into_existing: bool = False
    remove: tuple[str, ...] = ()
    remove_with_value: tuple[str, ...] = ()
    remove_with_optional_value: tuple[str, ...] = ()
    replace: tuple[tuple[str, str], ...] = ()
    value_options: tuple[str, ...] = ()
    already_foreground_if: tuple[str, ...] = ()
    man: str
    cites: str

    def __post_init__(self) -> None:
        """Refuse a rule that matches no program, or merges what is not one option and value."""
        if not self.programs:
            raise ValueError(f"{self.daemon}: programs must name at least one program")
        if self.merges_into_existing and len(self.add) != 2:
            raise ValueError(f"{self.daemon}: merges_into_existing needs add: [OPTION, VALUE]")

    def matches(self, program: str) -> bool:
        """Whether this rule is about ``program``, the basename of a command's argv[0]."""
        if program in self.programs:
            return True
        return self.has_versioned_names and any(
            program.startswith(name) and _VERSION.fullmatch(program[len(name) :]) is not None
            for name in self.programs
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ForegroundForm:
    """A command line rewritten to stay in the foreground, and what the rewrite did."""

    rule: ForegroundRule
    argv: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """Whether the foreground command line differs from the one given."""
        return bool(self.added or self.removed)


@cache
def rules() -> tuple[ForegroundRule, ...]:
    """Every rule in ``foreground.yaml``, in file order."""
    text = (files("translator.knowledge") / "foreground.yaml").read_text(encoding="utf-8")
    entries = YAML(typ="safe").load(text)
    if not isinstance(entries, list):
        raise ValueError("foreground.yaml: expected a list of daemons")
    return tuple(_rule(entry) for entry in entries)


_SHELLS = ("sh", "bash", "dash")
_BACKGROUND_AND_PIDFILE = re.compile(
    r"""\s*(?:exec\s+)?(?P<nohup>nohup\s+)?
    (?P<command>[^&;|<>$`'"\\(){}#*?\[\]~=\n]+?)   # plain words only: no quoting, no expansion
    \s*&\s*;?\s*
    (?P<record>echo\s+"?\$!"?\s*>\s*[^\s&;|<>$`'"\\]+)
    \s*;?\s*""",
    re.VERBOSE,
)
"""``sh -c 'PROGRAM ARGS & echo $! > PIDFILE'``: the way monit's manual starts a program
that stays in the foreground, backgrounded by hand so monit can read its pid."""
BACKGROUNDED = ForegroundRule(
    daemon="a program put in the background by sh -c '… &'",
    package="",
    programs=_SHELLS,
    man="sh(1)",
    cites="An asynchronous list (a command ended by '&') is run in a subshell; $! expands "
    "to its process ID.",
)
"""The rule a foreground form found in the pidfile idiom cites (no daemon of its own)."""


def foreground(argv: tuple[str, ...]) -> ForegroundForm | None:
    """Rewrite ``argv`` to stay in the foreground; None when no rule knows its program.

    Besides the daemons ``foreground.yaml`` knows, this undoes the pidfile idiom above:
    the program it backgrounds is the foreground form (itself rewritten if known).
    """
    if not argv:
        return None
    backgrounded = _backgrounded(argv)
    if backgrounded is not None:
        return backgrounded
    program = PurePosixPath(argv[0]).name
    rule = next((rule for rule in rules() if rule.matches(program)), None)
    if rule is None:
        return None
    edit = _Edit(words=[argv[0]], added=[], removed=[])
    _drop_daemonizing_words(rule, argv, edit)
    if rule.add and not _is_foreground(rule, edit.words):
        _add_foreground_words(rule, edit)
    return ForegroundForm(
        rule=rule, argv=tuple(edit.words), added=tuple(edit.added), removed=tuple(edit.removed)
    )


def _backgrounded(argv: tuple[str, ...]) -> ForegroundForm | None:
    """Undo ``sh -c 'PROGRAM ARGS & echo $! > PIDFILE'`` (None: not that idiom)."""
    if len(argv) != 3 or PurePosixPath(argv[0]).name not in _SHELLS or argv[1] != "-c":
        return None
    found = _BACKGROUND_AND_PIDFILE.fullmatch(argv[2])
    if found is None:
        return None
    words = tuple(found["command"].split())
    undone = (*(("nohup",) if found["nohup"] else ()), "&", " ".join(found["record"].split()))
    known = foreground(words)
    if known is not None:
        return ForegroundForm(
            rule=known.rule, argv=known.argv, added=known.added, removed=(*known.removed, *undone)
        )
    return ForegroundForm(rule=BACKGROUNDED, argv=words, added=(), removed=undone)


@dataclass(slots=True, kw_only=True)
class _Edit:
    """The command line being rewritten, with the words taken out and put in so far."""

    words: list[str]
    added: list[str]
    removed: list[str]


def _drop_daemonizing_words(rule: ForegroundRule, argv: tuple[str, ...], edit: _Edit) -> None:
    """Copy argv[1:] into ``edit``, dropping daemonizing words and replacing subcommands."""
    replacements = dict(rule.replace)
    index = 1
    is_value = False
    while index < len(argv):
        word = argv[index]
        span = 0 if is_value else _daemonizing_span(rule, argv, index)
        if span:
            edit.removed.extend(argv[index : index + span])
            index += span
            is_value = False
            continue
        if not is_value and word in replacements:
            edit.removed.append(word)
            edit.added.append(replacements[word])
            word = replacements[word]
        edit.words.append(word)
        is_value = not is_value and word in rule.value_options
        index += 1


def _daemonizing_span(rule: ForegroundRule, argv: tuple[str, ...], index: int) -> int:
    """How many words from ``index`` on make up a daemonizing option (0: none)."""
    word = argv[index]
    has_next = index + 1 < len(argv)
    if word in rule.remove:
        return 1
    if word in rule.remove_with_value:
        return 2 if has_next else 1
    if word in rule.remove_with_optional_value:
        return 2 if has_next and not argv[index + 1].startswith("-") else 1
    options = rule.remove_with_value + rule.remove_with_optional_value
    return 1 if any(_attached_value(word, option) is not None for option in options) else 0


def _attached_value(word: str, option: str) -> str | None:
    """Return the value joined to ``option`` in ``word`` (``--opt=value``, ``-oVALUE``)."""
    if option.startswith("--") or len(option) != 2:
        prefix = option + "="
        return word[len(prefix) :] if word.startswith(prefix) else None
    return word[2:] if word.startswith(option) and len(word) > 2 else None


def _is_foreground(rule: ForegroundRule, words: list[str]) -> bool:
    """Whether ``words`` already keep the program in the foreground."""
    arguments = words[1:]
    if any(word in rule.already_foreground_if for word in arguments):
        return True
    width = len(rule.add)
    if any(tuple(arguments[i : i + width]) == rule.add for i in range(len(arguments))):
        return True
    if rule.merges_into_existing:
        option, value = rule.add
        return any(value in existing for _, existing in _option_values(words, option))
    return False


def _add_foreground_words(rule: ForegroundRule, edit: _Edit) -> None:
    """Append ``rule.add``, or join its value to the option already given."""
    if rule.merges_into_existing:
        option, value = rule.add
        found = _option_values(edit.words, option)
        if found:
            index, existing = found[-1]
            old = edit.words[index]
            new = f"{existing.rstrip()} {value}" if existing.strip() else value
            edit.words[index] = new if old == existing else option + new
            edit.removed.append(old)
            edit.added.append(edit.words[index])
            return
    edit.words.extend(rule.add)
    edit.added.extend(rule.add)


def _option_values(words: list[str], option: str) -> list[tuple[int, str]]:
    """Each value given to ``option``: the index of the word holding it, and the value."""
    found: list[tuple[int, str]] = []
    for index in range(1, len(words)):
        if words[index] == option and index + 1 < len(words):
            found.append((index + 1, words[index + 1]))
            continue
        attached = _attached_value(words[index], option)
        if attached is not None:
            found.append((index, attached))
    return found


_FIELDS = frozenset(field.name for field in fields(ForegroundRule))


def _rule(entry: object) -> ForegroundRule:
    """One entry of foreground.yaml as a rule; ValueError names what is wrong with it."""
    if not isinstance(entry, Mapping):
        raise ValueError(f"foreground.yaml: expected a mapping, got {entry!r}")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise ValueError(f"foreground.yaml: {entry.get('daemon')!r} has unknown keys {unknown}")
    return ForegroundRule(
        daemon=_text(entry, "daemon"),
        package=_text(entry, "package"),
        programs=_words(entry, "programs"),
        has_versioned_names=_flag(entry, "has_versioned_names"),
        add=_words(entry, "add"),
        merges_into_existing=_flag(entry, "merges_into_existing"),
        remove=_words(entry, "remove"),
        remove_with_value=_words(entry, "remove_with_value"),
        remove_with_optional_value=_words(entry, "remove_with_optional_value"),
        replace=_pairs(entry, "replace"),
        value_options=_words(entry, "value_options"),
        already_foreground_if=_words(entry, "already_foreground_if"),
        man=_text(entry, "man"),
        cites=_text(entry, "cites"),
    )


def _text(entry: Mapping[object, object], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"foreground.yaml: {entry.get('daemon')!r} needs a text {key}")
    return value


def _words(entry: Mapping[object, object], key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise ValueError(f"foreground.yaml: {key} of {entry.get('daemon')!r} must list words")
    return tuple(value)


def _flag(entry: Mapping[object, object], key: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"foreground.yaml: {key} of {entry.get('daemon')!r} must be a boolean")
    return value


def _pairs(entry: Mapping[object, object], key: str) -> tuple[tuple[str, str], ...]:
    value = entry.get(key, {})
    if not isinstance(value, Mapping) or not all(
        isinstance(old, str) and isinstance(new, str) for old, new in value.items()
    ):
        raise ValueError(f"foreground.yaml: {key} of {entry.get('daemon')!r} must map words")
    return tuple(value.items())
