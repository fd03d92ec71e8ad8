"""svconv migrate on one host built from the whole corpus: verified units, read-only, stable.

The host is the one benchmarks/bench_migrate.py builds (its docstring says how): every
corpus init script with its rc links and env files, monit's and supervisor's files, and
stub programs.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tests.test_migrate import snapshot
from tests.validators import require, systemd_verify
from translator import migration

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT.parent / "shared" / "corpus"
BENCHMARK = PROJECT / "benchmarks" / "bench_migrate.py"

pytestmark = pytest.mark.skipif(
    not (CORPUS / "debian").is_dir(), reason="../shared/corpus is absent"
)


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_migrate", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require("insserv")  # the Debian scripts' rc links come from its dry run
    benchmark = _benchmark()
    root = tmp_path_factory.mktemp("corpus-host")
    benchmark.build_host(CORPUS, root)
    benchmark.stub_exec_programs(root)
    return root


@pytest.fixture(scope="module")
def result(host: Path) -> migration.Migration:
    return migration.migrate(host)


def test_every_unit_passes_systemd_analyze_verify(result: migration.Migration) -> None:
    units = {
        Path(name).name: text
        for name, text in result.files.items()
        if name.startswith("etc/systemd/system/") and name.endswith(".service")
    }
    assert len(units) == sum(1 for item in result.plan.items if item.unit is not None)
    status, output = systemd_verify(units)
    assert (status, output) == (0, "")


def test_two_runs_give_the_same_files_and_the_tree_is_untouched(
    host: Path, result: migration.Migration
) -> None:
    before = snapshot(host)
    again = migration.migrate(host)
    assert snapshot(host) == before
    assert sorted(again.files) == sorted(result.files)
    for name, text in result.files.items():
        assert again.files[name] == text, name
