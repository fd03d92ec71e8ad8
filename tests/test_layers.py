"""Every module imports only what STYLE.md §1 allows for its layer (checked with ast)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "translator"
MODULES = sorted(PACKAGE.rglob("*.py"))

# (module prefix, allowed translator-internal prefixes); the first matching row applies.
RULES: list[tuple[str, tuple[str, ...]]] = [
    ("translator.model", ("translator.model",)),
    ("translator.diagnostics", ("translator.model",)),
    ("translator.errors", ("translator.model",)),
    ("translator.loss", ("translator.model", "translator.diagnostics")),
    ("translator.io", ("translator.errors", "translator.model")),
    (
        "translator.report",
        ("translator.model", "translator.diagnostics", "translator.loss", "translator.report"),
    ),
    ("translator.knowledge", ("translator.knowledge",)),
    (
        "translator.lint.rules",
        (
            "translator.model",
            "translator.diagnostics",
            "translator.knowledge",
            "translator.lint.registry",
            "translator.lint.rules",
        ),
    ),
    (
        "translator.lint",
        (
            "translator.model",
            "translator.diagnostics",
            "translator.errors",
            "translator.knowledge",
            "translator.lint",
        ),
    ),
    (
        "translator.formats._svdir",
        (
            "translator.formats._capabilities",
            "translator.model",
            "translator.diagnostics",
            "translator.errors",
            "translator.loss",
            "translator.formats._options",
            "translator.formats._shell",
            "translator.formats._script",
            "translator.formats._foreground",
            "translator.knowledge",
        ),
    ),
    (
        "translator.formats._foreground",
        (
            "translator.model",
            "translator.diagnostics",
            "translator.loss",
            "translator.knowledge",
        ),
    ),
    ("translator.formats._", ("translator.errors", "translator.model")),
    (
        "translator.formats",
        (
            "translator.model",
            "translator.diagnostics",
            "translator.errors",
            "translator.loss",
            "translator.formats._grammar",
            "translator.formats._options",
            "translator.formats._shell",
            "translator.formats._script",
            "translator.formats._capabilities",
            "translator.formats._svdir",
            "translator.formats._foreground",
            "translator.knowledge",
        ),
    ),
    (
        "translator.api",
        (
            "translator.model",
            "translator.diagnostics",
            "translator.errors",
            "translator.loss",
            "translator.formats",
            "translator.io",
            "translator.knowledge",
            "translator.lint",
        ),
    ),
    (
        "translator.migration",
        (
            "translator.api",
            "translator.io",
            "translator.model",
            "translator.diagnostics",
            "translator.errors",
            "translator.formats",
            "translator.knowledge",
            "translator.lint",
            "translator.migrate",
        ),
    ),
    (
        "translator.migrate",
        ("translator.model", "translator.diagnostics", "translator.migrate"),
    ),
    (
        "translator.cli",
        (
            "translator.migration",
            "translator.api",
            "translator.report",
            "translator.io",
            "translator.errors",
            "translator.loss",
        ),
    ),
    ("translator", ("translator.api",)),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def internal_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {_imported_module(node.module, alias.name) for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            names |= {a.value for a in node.args if isinstance(a, ast.Constant)}
    return {name for name in names if name == "translator" or name.startswith("translator.")}


def _imported_module(base: str, name: str) -> str:
    """``from a.b import c`` imports module a.b.c when that exists, else names from a.b."""
    candidate = PACKAGE.parent.joinpath(*f"{base}.{name}".split("."))
    exists = candidate.with_suffix(".py").exists() or (candidate / "__init__.py").exists()
    return f"{base}.{name}" if exists else base


def allowed_for(module: str) -> tuple[str, ...]:
    for prefix, allowed in RULES:
        if module == prefix or module.startswith(prefix + ".") or module.startswith(prefix):
            return allowed
    raise AssertionError(f"no layer rule for {module}")


def is_allowed(module: str, imported: str, allowed: tuple[str, ...]) -> bool:
    own_format = module.split(".")[:3]
    if module.startswith("translator.formats.") and imported.split(".")[:3] == own_format:
        return True  # a format's modules may import each other
    if module == "translator.formats" and imported.startswith("translator.formats."):
        return True  # the registry names every format
    return any(imported == a or imported.startswith(a + ".") for a in allowed)


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_imports_follow_the_layers(path: Path) -> None:
    module = module_name(path)
    allowed = allowed_for(module)
    bad = sorted(i for i in internal_imports(path) if not is_allowed(module, i, allowed))
    assert bad == [], f"{module} may not import {bad}"


def test_a_format_importing_another_is_caught() -> None:
    allowed = allowed_for("translator.formats.systemd.emit")
    assert not is_allowed("translator.formats.systemd.emit", "translator.formats.monit", allowed)
    assert is_allowed(
        "translator.formats.systemd.emit", "translator.formats.systemd.quoting", allowed
    )


def test_each_format_states_what_its_package_can_do() -> None:
    from translator.formats import FORMATS

    for fmt in FORMATS.values():
        assert [a for a in ("parse", "emit") if fmt.can(a)] == [
            a for a in ("parse", "emit") if hasattr(fmt.module, a)
        ], fmt.id
