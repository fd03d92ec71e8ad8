"""Every expected output file is accepted by the program that reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.asserts import FIXTURES, read_expected
from tests.validators import (
    SUPERVISOR_INTERPRETERS,
    insserv_check,
    monit_check,
    shell_check,
    supervisor_check,
    systemd_verify,
    sysv_generated_unit,
)

SYSTEMD_OUTPUTS = sorted(FIXTURES.glob("*/*/expected/systemd"))
MONIT_OUTPUTS = sorted(FIXTURES.glob("*/*/expected/monit"))
SUPERVISORD_OUTPUTS = sorted(FIXTURES.glob("*/*/expected/supervisord"))
WITH_COMPANIONS = [d for d in SYSTEMD_OUTPUTS if (d / "monit").is_dir()]


def _id(path: Path) -> str:
    return f"{path.parents[1].parent.name}/{path.parents[1].name}"


@pytest.mark.parametrize("directory", SYSTEMD_OUTPUTS, ids=_id)
def test_systemd_analyze_verify_accepts_units(directory: Path) -> None:
    files = {
        name: text
        for name, text in read_expected(directory).items()
        if not name.startswith("monit/")
    }
    status, output = systemd_verify(files)
    assert (status, output) == (0, "")


@pytest.mark.parametrize("directory", WITH_COMPANIONS, ids=_id)
def test_monit_accepts_companion_checks(directory: Path) -> None:
    files = {
        name.removeprefix("monit/"): text
        for name, text in read_expected(directory).items()
        if name.startswith("monit/")
    }
    status, output = monit_check(files)
    assert status == 0, output


@pytest.mark.parametrize("directory", MONIT_OUTPUTS, ids=_id)
def test_monit_accepts_monit_output(directory: Path) -> None:
    status, output = monit_check(read_expected(directory))
    assert status == 0, output


def test_systemd_verify_rejects_a_broken_unit() -> None:
    status, output = systemd_verify({"broken.service": "[Service]\nExecStart=relative/path\n"})
    assert status != 0
    assert "broken.service" in output


def test_monit_rejects_a_broken_file() -> None:
    status, output = monit_check({"broken.monitrc": "check process x\n"})
    assert status != 0
    assert "syntax error" in output


@pytest.mark.parametrize(
    "python", sorted(SUPERVISOR_INTERPRETERS.values()), ids=sorted(SUPERVISOR_INTERPRETERS)
)
@pytest.mark.parametrize("directory", SUPERVISORD_OUTPUTS, ids=_id)
def test_supervisor_accepts_supervisord_output(directory: Path, python: str) -> None:
    files = {
        name: text
        for name, text in read_expected(directory).items()
        if not name.startswith("monit/")
    }
    status, output = supervisor_check(files, python)
    assert status == 0, output
    assert output.endswith(" groups\n")


@pytest.mark.parametrize(
    "python", sorted(SUPERVISOR_INTERPRETERS.values()), ids=sorted(SUPERVISOR_INTERPRETERS)
)
def test_supervisor_rejects_a_broken_program(python: str) -> None:
    status, output = supervisor_check({"x.conf": "[program:x]\nautorestart=perhaps\n"}, python)
    assert status != 0
    assert "autorestart" in output


INIT_SCRIPTS = sorted(p for p in FIXTURES.glob("*/*/expected/initd/*") if p.is_file())


@pytest.mark.parametrize("script", INIT_SCRIPTS, ids=lambda p: f"{p.parents[2].name}/{p.name}")
def test_init_scripts_pass_the_shells_and_shellcheck(script: Path) -> None:
    assert shell_check(script) == []


@pytest.mark.parametrize("script", INIT_SCRIPTS, ids=lambda p: f"{p.parents[2].name}/{p.name}")
def test_the_sysv_generator_reads_our_description_and_ordering(script: Path) -> None:
    unit = sysv_generated_unit(script)
    header = script.read_text()
    assert unit, "systemd-sysv-generator made no unit"
    if "# Short-Description:" in header:
        described = header.split("# Short-Description:")[1].splitlines()[0].strip()
        assert f"Description=LSB: {described}" in unit
    if "$network" in header.split("### END INIT INFO")[0]:
        assert "After=network-online.target" in unit


def test_insserv_accepts_the_headers_of_every_written_script() -> None:
    assert INIT_SCRIPTS
    assert insserv_check(INIT_SCRIPTS) == []


def test_insserv_complains_about_a_broken_header(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.write_text("#!/bin/sh\n### BEGIN INIT INFO\n# Provides: broken\n")
    assert insserv_check([broken]) != []
