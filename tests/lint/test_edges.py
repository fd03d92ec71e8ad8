"""Edges of svconv lint a reviewer found: fixes in place, odd bytes, includes, settings."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.lint.helpers import findings, lint_files
from translator.cli import main
from translator.report import checkstyle, junit

MONIT = 'check process web with pidfile /run/web.pid\n  start program = "/etc/init.d/web start"\n'
UNIT = "[Service]\nExecStart=/usr/sbin/web\n"


def lint(*argv: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["lint", *argv])
    return result.exit_code, result.stdout, result.stderr


def test_fix_writes_through_a_symlink_keeping_mode_and_latin1_bytes(tmp_path: Path) -> None:
    real = tmp_path / "real.monitrc"
    real.write_bytes(MONIT.encode() + b"# caf\xe9\n")
    real.chmod(0o600)
    (tmp_path / "monitrc").symlink_to("real.monitrc")
    (tmp_path / "web.service").write_text(UNIT)
    status, stdout, _ = lint("--fix", str(tmp_path / "monitrc"), str(tmp_path / "web.service"))
    assert status == 1  # the rules without a fix still speak
    assert "SV402" not in stdout  # the one with a fix was fixed
    assert (tmp_path / "monitrc").is_symlink()
    assert oct(real.stat().st_mode & 0o777) == "0o600"
    data = real.read_bytes()
    assert b"/usr/bin/systemctl start web" in data and data.endswith(b"# caf\xe9\n")


def test_an_inserted_line_after_a_last_line_without_newline_gets_one(tmp_path: Path) -> None:
    (tmp_path / "monitrc").write_text(
        "check process web with pidfile /run/web.pid\n"
        '  start program = "/usr/bin/systemctl start web"\n'
    )
    unit = tmp_path / "web.service"
    unit.write_text("[Service]\nExecStart=/usr/sbin/web\nType=forking")
    lint("--fix", str(tmp_path / "monitrc"), str(unit))
    assert (
        unit.read_text()
        == "[Service]\nExecStart=/usr/sbin/web\nType=forking\nPIDFile=/run/web.pid\n"
    )


def test_a_form_feed_is_no_line_break_for_positions_or_suppression() -> None:
    unit = (
        "[Service]\n# page\x0cbreak\nExecStart=/usr/sbin/web\n"
        "# svconv: disable=SV106\nPIDFile=/var/run/web.pid\nType=forking\n"
    )
    assert findings(lint_files({"web.service": unit})) == []


def test_a_binary_file_in_a_directory_is_skipped_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "cache.bin").write_bytes(b"\x00\x01")
    (tmp_path / "web.service").write_text(UNIT)
    status, _, stderr = lint(str(tmp_path))
    assert status == 0
    assert "cache.bin: skipped" in stderr


def test_an_included_file_linted_too_is_read_once_and_its_directives_count(
    tmp_path: Path,
) -> None:
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "supervisord.conf").write_text("[supervisord]\n[include]\nfiles = conf.d/*.conf\n")
    (tmp_path / "conf.d" / "web.conf").write_text(
        "# svconv: disable=SV205 -- a one-shot helper\n[program:web]\ncommand=/usr/bin/web\n"
        "startsecs=0\n"
    )
    assert lint(str(tmp_path)) == (0, "", "")
    assert lint(str(tmp_path / "supervisord.conf")) == (0, "", "")


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_a_selector_naming_no_rule_is_an_error(option: str, tmp_path: Path) -> None:
    (tmp_path / "web.service").write_text(UNIT)
    status, _, stderr = lint(option, "lifecyle", str(tmp_path / "web.service"))
    assert status == 2
    assert "names no rule" in stderr


def test_a_parse_error_says_so_even_when_its_finding_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "web.conf").write_text("[program:web\n")
    status, stdout, stderr = lint("--ignore", "SV101", str(tmp_path / "web.conf"))
    assert (status, stdout) == (2, "")
    assert "its reader stopped at an error" in stderr


@pytest.mark.parametrize(
    ("directive", "expected"),
    [
        ("# svconv: disable=sv207", []),  # codes in any case
        ("# svconv: disable=SV207 reviewed by ops", []),  # a reason without --
    ],
)
def test_directive_spellings(directive: str, expected: list[str]) -> None:
    unit = f"[Service]\nType=oneshot\nExecStart=/x\n{directive}\nRestart=always\n"
    assert findings(lint_files({"b.service": unit})) == expected


def test_a_directive_for_a_rule_that_does_not_run_is_not_unused(tmp_path: Path) -> None:
    unit = "[Service]\nType=oneshot\nExecStart=/x\n# svconv: disable=SV207\nRestart=always\n"
    (tmp_path / "b.service").write_text(unit)
    assert lint("--ignore", "SV207", str(tmp_path / "b.service")) == (0, "", "")


def test_sv100_takes_its_configured_severity(tmp_path: Path) -> None:
    (tmp_path / ".svconv.yaml").write_text("severity:\n  SV100: info\n")
    (tmp_path / "web.service").write_text("[Service]\n# svconv: disable=SV207\nExecStart=/x\n")
    status, stdout, _ = lint(str(tmp_path / "web.service"))
    assert (status, stdout.split()[1:3]) == (0, ["INFO", "SV100"])


def test_xml_reports_hold_no_control_characters() -> None:
    result = lint_files({"web.service": "[Service]\nExecStart=/x\nRestart=al\x01ways\n"})
    for renderer in (junit, checkstyle):
        stream = io.StringIO()
        renderer.render(result.diagnostics, stream, rules={}, texts=result.texts)
        ET.fromstring(stream.getvalue().split("?>", 1)[1])


def test_write_baseline_records_everything_even_with_a_baseline(tmp_path: Path) -> None:
    unit = tmp_path / "b.service"
    unit.write_text("[Service]\nType=oneshot\nExecStart=/x\nRestart=always\n")
    baseline = tmp_path / "b.json"
    lint("--write-baseline", str(baseline), str(unit))
    assert lint("--baseline", str(baseline), "--write-baseline", str(baseline), str(unit))[0] == 0
    assert lint("--baseline", str(baseline), str(unit))[0] == 0


def test_diff_writes_no_baseline(tmp_path: Path) -> None:
    (tmp_path / "web.service").write_text(UNIT)
    lint("--diff", "--write-baseline", str(tmp_path / "b.json"), str(tmp_path / "web.service"))
    assert not (tmp_path / "b.json").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["web.service"]


def test_any_error_a_reader_stops_at_exits_2_whatever_its_code(tmp_path: Path) -> None:
    monitrc = tmp_path / "monitrc"
    monitrc.write_text(
        "check process web with pidfile /run/web.pid\ncheck process web with pidfile /run/w.pid\n"
    )
    status, stdout, stderr = lint(str(monitrc))
    assert status == 2
    assert " SV107 service name conflict" in stdout
    assert "its reader stopped at an error" in stderr
