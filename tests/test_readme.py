"""The README's tables are what the code says: the capability table and the pair matrix."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from ruamel.yaml import YAML

from translator import api
from translator.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
_MATRIX = re.compile(r"<!-- capability-matrix[^>]*-->\n(.*?)<!-- /capability-matrix -->", re.S)
_PAIRS = re.compile(r"<!-- conversion-matrix[^>]*-->\n(.*?)<!-- /conversion-matrix -->", re.S)


def test_readme_matrix_is_the_capability_table() -> None:
    found = _MATRIX.search(README.read_text())
    assert found is not None
    assert found.group(1) == api.capability_matrix()


def test_readme_pair_matrix_is_what_svconv_matrix_prints() -> None:
    found = _PAIRS.search(README.read_text())
    assert found is not None
    assert found.group(1) == CliRunner().invoke(main, ["matrix"]).output


def test_formats_command_prints_the_matrix() -> None:
    result = CliRunner().invoke(main, ["formats"])
    assert result.exit_code == 0
    assert api.capability_matrix() in result.output
    hooks = "| `hooks` | — | — | partly | — | partly | partly | — | ✓ | partly | — |"
    assert hooks in result.output


def test_the_pre_commit_hook_runs_svconv_lint() -> None:
    hooks = YAML(typ="safe").load((README.parent / ".pre-commit-hooks.yaml").read_text())
    assert [(hook["id"], hook["entry"], hook["language"]) for hook in hooks] == [
        ("svconv-lint", "svconv lint", "python")
    ]
    scripts = (README.parent / "pyproject.toml").read_text()
    assert 'svconv = "translator.cli:main"' in scripts
