"""The README's conversion matrix is the capability table the emitters are held to."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from ruamel.yaml import YAML

from translator import api
from translator.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
_MATRIX = re.compile(r"<!-- capability-matrix[^>]*-->\n(.*?)<!-- /capability-matrix -->", re.S)


def test_readme_matrix_is_the_capability_table() -> None:
    found = _MATRIX.search(README.read_text())
    assert found is not None
    assert found.group(1) == api.capability_matrix()


def test_formats_command_prints_the_matrix() -> None:
    result = CliRunner().invoke(main, ["formats"])
    assert result.exit_code == 0
    assert api.capability_matrix() in result.output
    assert "| `hooks` | partly | — | — | — | ✓ |" in result.output


def test_the_pre_commit_hook_runs_svconv_lint() -> None:
    hooks = YAML(typ="safe").load((README.parent / ".pre-commit-hooks.yaml").read_text())
    assert [(hook["id"], hook["entry"], hook["language"]) for hook in hooks] == [
        ("svconv-lint", "svconv lint", "python")
    ]
    scripts = (README.parent / "pyproject.toml").read_text()
    assert 'svconv = "translator.cli:main"' in scripts
