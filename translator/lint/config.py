"""Lint settings: ``.svconv.yaml`` or ``[tool.svconv]`` in pyproject.toml, found upward.

Keys: ``select``, ``ignore`` (codes, names or themes), ``per-path-ignores`` (glob →
rules), ``severity`` (rule → error|warning|info), ``fail-on`` and ``output-format``. The
command line wins over the file. A bad file is an error at the key at fault.
Imports: model, errors, diagnostics, lint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Any

import tomllib
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from translator.diagnostics import Severity
from translator.errors import SvconvError
from translator.lint.registry import by_code, rules
from translator.model import Span

OUTPUT_FORMATS = ("text", "json", "sarif", "github", "junit", "checkstyle", "gitlab")
FAIL_LEVELS = ("error", "warning", "info")
_KEYS = ("select", "ignore", "per-path-ignores", "severity", "fail-on", "output-format")


class ConfigError(SvconvError):
    """A lint configuration file svconv cannot use."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LintConfig:
    """What to check and how to report it."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    fail_on: Severity = Severity.WARNING
    output_format: str = "text"
    source: str = ""
    """The file the settings came from (empty: defaults)."""

    def is_enabled(self, code: str, path: str) -> bool:
        """Say whether rule ``code`` runs on ``path``."""
        found = by_code(code)
        if found is None:
            return True  # a reader's note with no rule behind it is not filtered
        picked = any(found.selected_by(s) or s == "ALL" for s in self.select)
        dropped = any(found.selected_by(s) for s in self.ignore)
        for pattern, ignored in self.per_path_ignores:
            if _matches(path, pattern) and any(found.selected_by(s) for s in ignored):
                dropped = True
        return picked and not dropped

    def severity_of(self, code: str, default: Severity) -> Severity:
        """Give the severity configured for ``code`` (by code or name), else ``default``."""
        found = by_code(code)
        for key, level in self.severity:
            if key == code or (found is not None and key == found.name):
                return level
        return default

    def overridden(self, **changes: Any) -> LintConfig:  # noqa: ANN401 - any field
        """Return a copy where the given (command-line) values win; None keeps the file's.

        Rule selectors are checked as the file's are: one naming no rule is an error.
        """

        def fail(key: str, message: str) -> ConfigError:
            return ConfigError(f"--{key}: {message}")

        for key in ("select", "ignore"):
            if changes.get(key):
                _selectors(list(changes[key]), key, fail)
        return replace(self, **{k: v for k, v in changes.items() if v not in (None, ())})


def _matches(path: str, pattern: str) -> bool:
    posix = PurePosixPath(path)
    return fnmatchcase(str(posix), pattern) or any(
        fnmatchcase(str(PurePosixPath(*posix.parts[i:])), pattern) for i in range(len(posix.parts))
    )


def find(start: Path) -> Path | None:
    """Find ``.svconv.yaml``, or a pyproject.toml with ``[tool.svconv]``, from ``start`` up.

    The path is given relative to the working directory when it lies below it.
    """
    folder = start if start.is_dir() else start.parent
    for candidate in (folder.resolve(), *folder.resolve().parents):
        for found in (candidate / ".svconv.yaml", candidate / "pyproject.toml"):
            if found.is_file() and (found.suffix == ".yaml" or _has_table(found)):
                return _relative(found)
    return None


def _has_table(pyproject: Path) -> bool:
    return "[tool.svconv]" in pyproject.read_text(errors="replace")


def _relative(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def load(path: Path) -> LintConfig:
    """Read a configuration file; raise ConfigError at the key at fault."""
    text = path.read_text(errors="replace")
    if path.name == "pyproject.toml":
        table, lines = _toml_table(path, text), _key_lines(text, "[tool.svconv]")
    else:
        table, lines = _yaml_table(path, text)
    return _config(str(path), table, lines)


def _toml_table(path: Path, text: str) -> Mapping[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(str(error), Span(path=str(path), line=1, column=1)) from None
    table = data.get("tool", {}).get("svconv", {})
    if not isinstance(table, dict):
        raise ConfigError("[tool.svconv] must be a table", Span(path=str(path), line=1, column=1))
    return table


def _key_lines(text: str, header: str) -> dict[str, int]:
    """Give the line of each key under ``header`` of a TOML file (for messages)."""
    lines: dict[str, int] = {}
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped == header or stripped.startswith(header[:-1] + ".")
        elif inside and "=" in stripped:
            lines.setdefault(stripped.split("=", 1)[0].strip().strip('"'), number)
    return lines


def _yaml_table(path: Path, text: str) -> tuple[Mapping[str, Any], dict[str, int]]:
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        message = getattr(error, "problem", None) or "not valid YAML"
        raise ConfigError(message, Span(path=str(path), line=line, column=column)) from None
    if data is None:
        return {}, {}
    if not isinstance(data, Mapping):
        raise ConfigError("expected a mapping of settings", Span(path=str(path), line=1, column=1))
    lines = {key: data.lc.key(key)[0] + 1 for key in data} if hasattr(data, "lc") else {}
    return data, lines


def _config(path: str, table: Mapping[str, Any], lines: dict[str, int]) -> LintConfig:
    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"{key}: {message}", Span(path=path, line=lines.get(key, 1), column=1))

    for key in table:
        if key not in _KEYS:
            raise fail(key, f"unknown setting; expected one of {', '.join(_KEYS)}")
    config = LintConfig(source=path)
    if "select" in table:
        config = replace(config, select=_selectors(table["select"], "select", fail))
    if "ignore" in table:
        config = replace(config, ignore=_selectors(table["ignore"], "ignore", fail))
    if "per-path-ignores" in table:
        config = replace(config, per_path_ignores=_per_path(table["per-path-ignores"], fail))
    if "severity" in table:
        config = replace(config, severity=_severities(table["severity"], fail))
    if "fail-on" in table:
        level = _choice(table["fail-on"], FAIL_LEVELS, "fail-on", fail)
        config = replace(config, fail_on=Severity(level))
    if "output-format" in table:
        chosen = _choice(table["output-format"], OUTPUT_FORMATS, "output-format", fail)
        config = replace(config, output_format=chosen)
    return config


Fail = Any  # Callable[[str, str], ConfigError], kept loose for the nested helpers


def _selectors(value: object, key: str, fail: Fail) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(key, "expected a list of rule codes, names or themes")
    for selector in value:
        if selector != "ALL" and not any(r.selected_by(selector) for r in rules()):
            raise fail(key, f"{selector!r} names no rule")
    return tuple(value)


def _per_path(value: object, fail: Fail) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, Mapping):
        raise fail("per-path-ignores", "expected a mapping of glob to rules")
    return tuple(
        (str(pattern), _selectors(selectors, "per-path-ignores", fail))
        for pattern, selectors in value.items()
    )


def _severities(value: object, fail: Fail) -> tuple[tuple[str, Severity], ...]:
    if not isinstance(value, Mapping):
        raise fail("severity", "expected a mapping of rule to error, warning or info")
    found = []
    for code, level in value.items():
        if by_code(str(code)) is None:
            raise fail("severity", f"{code!r} names no rule")
        found.append((str(code), Severity(_choice(level, FAIL_LEVELS, "severity", fail))))
    return tuple(found)


def _choice(value: object, choices: tuple[str, ...], key: str, fail: Fail) -> str:
    if value not in choices:
        raise fail(key, f"{value!r} is not one of {', '.join(choices)}")
    return str(value)


__all__ = ["FAIL_LEVELS", "OUTPUT_FORMATS", "ConfigError", "LintConfig", "find", "load"]
