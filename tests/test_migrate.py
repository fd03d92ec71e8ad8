"""svconv migrate on the team's CentOS 6 tree: exact OUT, a read-only ROOT, real tools."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from tests.validators import SYSTEM_UNITS, require, systemd_verify
from translator import migration
from translator.cli import main
from translator.migrate.plan import Risk, Target

HOSTS = Path(__file__).resolve().parents[1] / "fixtures" / "hosts"
CENTOS6 = HOSTS / "centos6"
EXPECTED = HOSTS / "centos6.expected"
SCHEMA = Path(migration.__file__).parent / "migrate" / "report.schema.json"


@pytest.fixture(scope="module")
def result() -> migration.Migration:
    return migration.migrate(CENTOS6)


def snapshot(root: Path) -> dict[str, tuple[str, int, int, bytes]]:
    """Every entry of a tree: kind, mode, mtime and content (a link's target)."""
    found = {}
    for path in sorted(root.rglob("*")):
        stat = path.lstat()
        if path.is_symlink():
            found[str(path)] = ("link", stat.st_mode, stat.st_mtime_ns, bytes(path.readlink()))
        elif path.is_file():
            found[str(path)] = ("file", stat.st_mode, stat.st_mtime_ns, path.read_bytes())
        else:
            found[str(path)] = ("dir", stat.st_mode, stat.st_mtime_ns, b"")
    return found


def test_out_is_the_expected_tree_byte_for_byte(result: migration.Migration) -> None:
    expected = {
        str(p.relative_to(EXPECTED)): p.read_text() for p in EXPECTED.rglob("*") if p.is_file()
    }
    assert sorted(result.files) == sorted(expected)
    for name, text in expected.items():
        assert result.files[name] == text, name


def test_two_runs_give_the_same_bytes_and_root_is_untouched(tmp_path: Path) -> None:
    before = snapshot(CENTOS6)
    first, second = migration.migrate(CENTOS6), migration.migrate(CENTOS6)
    assert first.files == second.files
    assert snapshot(CENTOS6) == before


def test_every_unit_passes_systemd_analyze_verify(result: migration.Migration) -> None:
    units = {
        Path(name).name: text
        for name, text in result.files.items()
        if name.startswith("etc/systemd/system/") and name.endswith(".service")
    }
    status, output = systemd_verify(units)
    assert status == 0, output


def test_report_json_follows_its_schema(result: migration.Migration) -> None:
    report = json.loads(result.files["report.json"])
    jsonschema.validate(report, json.loads(SCHEMA.read_text()))
    assert report["totals"]["services"] == len(report["services"])


@pytest.mark.parametrize(
    "code",
    ["SV401", "SV402", "SV405", "SV406", "SV503", "SV601"],
)
def test_the_host_findings_the_issue_names_fire(result: migration.Migration, code: str) -> None:
    notes = [n.text for item in result.plan.items for n in item.findings]
    notes += [n.text for n in result.plan.host_findings]
    assert any(f" {code} " in note for note in notes), code


def test_targets_and_risks(result: migration.Migration) -> None:
    found = {(i.name, i.kind): (i.target, i.risk, i.enabled) for i in result.plan.items}
    assert found[("sshd", "init.d")] == (Target.UNIT, Risk.MEDIUM, True)  # no force-reload arm
    assert found[("httpd", "init.d")][0] is Target.UNIT
    assert found[("celery-worker", "supervisord")][0] is Target.SUPERVISORD
    assert found[("dummy", "monit")][0] is Target.WATCHED
    assert found[("inittab-x1-queue-runner", "inittab")][:2] == (Target.DROPPED, Risk.MEDIUM)
    assert found[("netfs", "init.d")][1] is Risk.HIGH  # no daemon: the unit runs the script
    httpd = next(i for i in result.plan.items if i.name == "httpd")
    assert httpd.reviews == (
        "chkconfig's links start it in runlevels 3, its header says none; the links win",
    )


def test_a_binary_missing_from_the_tree_is_high_risk(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(CENTOS6, root, symlinks=True)
    (root / "usr/local/bin/dummy").unlink()
    items = {(i.name, i.kind): i for i in migration.migrate(root).plan.items}
    dummy = items[("dummy", "init.d")]
    assert (dummy.problems, dummy.risk) == (
        ("/usr/local/bin/dummy is missing from the tree",),
        Risk.HIGH,
    )


def test_apply_sh_passes_the_shell_checkers(result: migration.Migration, tmp_path: Path) -> None:
    script = tmp_path / "apply.sh"
    script.write_text(result.files["apply.sh"])
    for command in (["bash", "-n"], ["dash", "-n"], [require("shellcheck"), "-s", "sh"]):
        completed = subprocess.run([*command, str(script)], capture_output=True, text=True)
        assert completed.returncode == 0, completed.stdout + completed.stderr


def test_apply_sh_on_a_root_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    require("systemctl")
    out, root = tmp_path / "out", tmp_path / "root"
    shutil.copytree(CENTOS6, root, symlinks=True)
    # apply.sh runs once systemd is installed: the tree gets systemd's own targets
    shutil.copytree(SYSTEM_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    # exit 1: netfs runs as a script (high risk), and the files are written all the same
    assert CliRunner().invoke(main, ["migrate", str(CENTOS6), "-o", str(out)]).exit_code == 1
    before = snapshot(root)
    dry = subprocess.run(["sh", str(out / "apply.sh"), "--dry-run", "--root", str(root)],
                         capture_output=True, text=True)  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    assert snapshot(root) == before
    assert "would install /etc/systemd/system/sshd.service" in dry.stdout
    first = subprocess.run(["sh", str(out / "apply.sh"), "--root", str(root)],
                           capture_output=True, text=True)  # fmt: skip
    assert first.returncode == 0, first.stdout + first.stderr
    second = subprocess.run(["sh", str(out / "apply.sh"), "--root", str(root)],
                            capture_output=True, text=True)  # fmt: skip
    assert second.stdout == "nothing to change: the host is already as planned\n"
    plan = (out / "enable-plan.txt").read_text().splitlines()
    enabled = sorted(line.split()[2] for line in plan if line.startswith("systemctl enable"))
    wants = root / "etc/systemd/system/multi-user.target.wants"
    assert sorted(p.name for p in wants.iterdir()) == enabled


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["migrate", "missing-root", "-o", "out"], "does not exist"),
        (["migrate", str(CENTOS6), "-o", str(CENTOS6 / "out")], "inside ROOT"),
    ],
)
def test_bad_invocations_exit_2_and_write_nothing(argv: list[str], message: str) -> None:
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 2
    assert message in result.output
    assert not (CENTOS6 / "out").exists()


def test_a_non_empty_out_is_refused_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep").write_text("x")
    result = CliRunner().invoke(main, ["migrate", str(CENTOS6), "-o", str(out)])
    assert result.exit_code == 2
    assert "is not empty (use --force" in result.output
    assert [p.name for p in out.iterdir()] == ["keep"]


def test_without_upstart_an_inittab_respawn_line_becomes_a_unit() -> None:
    result = migration.migrate(HOSTS / "centos6-no-upstart")
    unit = result.files["etc/systemd/system/inittab-x1-queue-runner.service"]
    assert "ExecStart=/usr/local/bin/queue-runner --foreground\n" in unit
    assert "Restart=always\n" in unit
    assert result.plan.default_target == "graphical.target"
    assert "systemctl set-default graphical.target" in result.files["enable-plan.txt"]


def test_absorb_supervisord_moves_programs_into_units() -> None:
    result = migration.migrate(CENTOS6, absorb=frozenset({"supervisord"}))
    unit = result.files["etc/systemd/system/celery-worker.service"]
    assert "ExecStart=/opt/app/venv/bin/celery worker -A app --loglevel=INFO\n" in unit
    ini = result.files["files/etc/supervisord.d/celery.ini"]
    assert "autostart=false\n" in ini and "autostart=true" not in ini
    assert "-autostart=true\n+autostart=false\n" in result.files["changes.diff"]
    status, output = systemd_verify({"celery-worker.service": unit})
    assert status == 0, output


def test_a_broken_file_does_not_stop_the_run_and_its_service_is_high_risk(
    tmp_path: Path,
) -> None:
    root = tmp_path / "root"
    shutil.copytree(CENTOS6, root, symlinks=True)
    (root / "etc/init/broken.conf").write_text("respawn limit ten 5\nexec /usr/bin/true\n")
    result = migration.migrate(root)
    broken = next(i for i in result.plan.items if i.name == "broken")
    assert broken.risk is Risk.HIGH
    assert broken.problems[0].startswith("parse error: /etc/init/broken.conf:1:")
    assert any(i.name == "sshd" and i.target is Target.UNIT for i in result.plan.items)
    assert (
        CliRunner().invoke(main, ["migrate", str(root), "-o", str(tmp_path / "o")]).exit_code == 1
    )


def test_monit_watches_the_pidfile_of_the_unit_that_runs_the_daemon(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(CENTOS6, root, symlinks=True)
    check = root / "etc/monit.d/nginx"
    check.write_text(check.read_text().replace("/var/run/nginx.pid", "/tmp/nginx.pid"))
    result = migration.migrate(root)
    rewritten = result.files["files/etc/monit.d/nginx"]
    assert "check process nginx with pidfile /var/run/nginx.pid\n" in rewritten
    assert '"/usr/bin/systemctl start nginx"' in rewritten


def test_upstart_script_blocks_become_scripts_the_shell_checkers_accept(
    result: migration.Migration, tmp_path: Path
) -> None:
    scripts = {n: t for n, t in result.files.items() if n.startswith("usr/local/libexec/svconv/")}
    assert sorted(scripts) == ["usr/local/libexec/svconv/queue-worker-before-start"]
    assert result.executables == frozenset({"apply.sh", *scripts})
    for name, text in scripts.items():
        path = tmp_path / Path(name).name
        path.write_text(text)
        for command in (["bash", "-n"], [require("shellcheck"), "-s", "sh"]):
            completed = subprocess.run([*command, str(path)], capture_output=True, text=True)
            assert completed.returncode == 0, completed.stdout + completed.stderr
