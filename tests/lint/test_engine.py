"""The lint engine: suppression, settings, baselines and the exit status they lead to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint.helpers import findings, lint_files
from translator import api
from translator.diagnostics import Severity
from translator.lint.config import ConfigError, LintConfig, load

ONESHOT = "[Service]\nType=oneshot\nExecStart=/usr/local/bin/backup\nRestart=always\n"
WRAPPER = "[Service]\nType=forking\nExecStart=/etc/init.d/web start\nPIDFile=/run/web.pid\n"
HOST = {"backup.service": ONESHOT, "web.service": WRAPPER}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # on its own line: the next line
        ({"b.service": ONESHOT.replace("Restart=", "# svconv: disable=SV207\nRestart=")}, []),
        # the next line that is not a comment
        ({"b.service": ONESHOT.replace("Restart=", "# svconv: disable=SV207\n# why\nRestart=")},
         []),
        # a name works as well as a code
        ({"b.service": ONESHOT.replace(
            "Restart=", "# svconv: disable=lifecycle.oneshot-restarted -- reviewed\nRestart=")},
         []),
        # the whole file
        ({"b.service": "# svconv: disable-file=SV207\n" + ONESHOT}, []),
        # another line is not covered, and the directive is then unused
        ({"b.service": ONESHOT.replace("ExecStart", "# svconv: disable=SV207\nExecStart")},
         ["b.service:5:1 error SV207", "b.service:3:1 warning SV100"]),
    ],
    ids=["next-line", "skips-comments", "by-name", "file", "wrong-line"],
)  # fmt: skip
def test_systemd_suppression(files: dict[str, str], expected: list[str]) -> None:
    assert findings(lint_files(files)) == sorted(expected)


def test_a_directive_heading_a_block_covers_the_whole_section() -> None:
    conf = (
        "# svconv: disable=SV105 -- LISTEN comes from the unit's environment\n"
        "[program:web]\n"
        "command=/usr/bin/web --listen %(ENV_LISTEN)s\n"
        "[program:api]\n"
        "command=/usr/bin/api --listen %(ENV_LISTEN)s\n"
    )
    assert findings(lint_files({"web.conf": conf})) == ["web.conf:5:9 warning SV105"]


def test_a_trailing_directive_covers_its_own_line_where_the_format_allows_it() -> None:
    conf = "[program:web]\ncommand=/usr/bin/web 100% ; svconv: disable=SV104\n"
    assert findings(lint_files({"web.conf": conf})) == []


CONFIGS = [
    ("select: [SV2]\n", HOST, ["backup.service:4:1 error SV207", "web.service:3:1 warning SV204"]),
    ("select: [SV207]\n", HOST, ["backup.service:4:1 error SV207"]),
    ("ignore: [lifecycle.oneshot-restarted]\n", HOST, ["web.service:3:1 warning SV204"]),
    ("per-path-ignores:\n  'web.*': [SV204]\n", HOST, ["backup.service:4:1 error SV207"]),
    ("severity:\n  SV204: error\n", HOST,
     ["backup.service:4:1 error SV207", "web.service:3:1 error SV204"]),
]  # fmt: skip


@pytest.mark.parametrize(("yaml", "files", "expected"), CONFIGS, ids=lambda v: str(v)[:20])
def test_each_setting_applies(
    yaml: str, files: dict[str, str], expected: list[str], tmp_path: Path
) -> None:
    (tmp_path / ".svconv.yaml").write_text(yaml)
    config = load(tmp_path / ".svconv.yaml")
    found = [f for f in findings(lint_files(files, config=config)) if "SV100" not in f]
    assert sorted(f for f in found if "SV2" in f) == expected


def test_fail_on_and_output_format_are_read(tmp_path: Path) -> None:
    (tmp_path / ".svconv.yaml").write_text("fail-on: error\noutput-format: sarif\n")
    config = load(tmp_path / ".svconv.yaml")
    assert (config.fail_on, config.output_format) == (Severity.ERROR, "sarif")
    result = lint_files({"web.service": WRAPPER}, config=config)
    assert not result.fails(config.fail_on)
    assert result.fails(Severity.WARNING)


def test_pyproject_table_is_found_upward_and_the_command_line_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.svconv]\nignore = ["SV204"]\n')
    (tmp_path / "etc").mkdir()
    settings = api.lint_settings(None, tmp_path / "etc", ignore=("SV207",))
    assert settings.ignore == ("SV207",)
    assert api.lint_settings(None, tmp_path / "etc").ignore == ("SV204",)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (".svconv.yaml", "select: [SV2]\nfail-on: sometimes\n",
         ".svconv.yaml:2:1: SV000 fail-on: 'sometimes' is not one of error, warning, info"),
        (".svconv.yaml", "selct: [SV2]\n",
         ".svconv.yaml:1:1: SV000 selct: unknown setting; expected one of select, ignore, "
         "per-path-ignores, severity, fail-on, output-format"),
        (".svconv.yaml", "select: [SV999]\n",
         ".svconv.yaml:1:1: SV000 select: 'SV999' names no rule"),
        (".svconv.yaml", "select: [\n",
         ".svconv.yaml:2:1: SV000 expected the node content, but found '<stream end>'"),
        ("pyproject.toml", '[tool.svconv]\nseverity = {SV204 = "fatal"}\n',
         "pyproject.toml:2:1: SV000 severity: 'fatal' is not one of error, warning, info"),
    ],
    ids=["bad-value", "unknown-key", "unknown-rule", "bad-yaml", "pyproject"],
)  # fmt: skip
def test_a_bad_config_is_a_positioned_error(
    name: str, text: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(text)
    with pytest.raises(ConfigError) as raised:
        load(Path(name))
    assert str(raised.value) == message


def test_a_baseline_hides_recorded_findings_even_when_lines_move() -> None:
    first = lint_files(HOST)
    recorded = first.baseline()
    moved = {**HOST, "backup.service": "# a new comment\n\n" + ONESHOT}
    again = lint_files(moved).without_baseline(recorded, "baseline.json")
    assert findings(again) == []
    added = {**moved, "other.service": ONESHOT}
    assert findings(lint_files(added).without_baseline(recorded, "baseline.json")) == [
        "other.service:4:1 error SV207"
    ]


def test_default_settings_select_everything() -> None:
    assert LintConfig().is_enabled("SV207", "x.service")
