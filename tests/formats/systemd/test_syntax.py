"""What systemd says of a unit's lines: its key list, and SV106's fixes applied."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from translator import api
from translator.formats.systemd.syntax import known_keys
from translator.model import Source

KEYS = Path(__file__).resolve().parents[3] / "translator" / "formats" / "systemd" / "keys.txt"
SYSTEMD = shutil.which("systemd") or next(
    (p for p in ("/lib/systemd/systemd", "/usr/lib/systemd/systemd") if Path(p).exists()), None
)


@pytest.mark.skipif(SYSTEMD is None, reason="systemd is not installed")
def test_the_key_list_is_what_the_installed_systemd_dumps() -> None:
    assert SYSTEMD is not None
    dumped = subprocess.run(
        [SYSTEMD, "--dump-configuration-items"], capture_output=True, text=True, check=True
    ).stdout
    version = subprocess.run(
        [SYSTEMD, "--version"], capture_output=True, text=True, check=True
    ).stdout.splitlines()[0]
    lines = KEYS.read_text().splitlines(keepends=True)
    header = [line for line in lines if line.startswith("#")]
    assert "".join(lines[len(header) :]) == dumped, "run scripts/systemd-keys"
    assert header[0].startswith(f"# The settings {version} knows"), "run scripts/systemd-keys"


def test_the_key_list_is_read_by_section() -> None:
    version, sections = known_keys()
    assert version.startswith("systemd ")
    assert {"Unit", "Service", "Socket", "Timer", "Install"} <= set(sections)
    assert {"ExecStart", "Restart", "StartLimitInterval"} <= sections["Service"]
    assert "StartLimitIntervalSec" not in sections["Service"]
    assert {"StartLimitIntervalSec", "After"} <= sections["Unit"]


def fixed(files: dict[str, str]) -> dict[str, str]:
    result = api.lint_fixed([Source(path=path, text=text) for path, text in files.items()])
    return {path: after for path, (_, after) in result.changed.items()}


def test_start_limits_move_to_the_end_of_unit() -> None:
    unit = (
        "[Unit]\nDescription=web\nAfter=network.target\n\n# the service\n[Service]\n"
        "ExecStart=/usr/sbin/web\nStartLimitInterval=60\nStartLimitBurst=3\n"
    )
    assert fixed({"web.service": unit}) == {
        "web.service": "[Unit]\nDescription=web\nAfter=network.target\n"
        "StartLimitIntervalSec=60\nStartLimitBurst=3\n\n# the service\n[Service]\n"
        "ExecStart=/usr/sbin/web\n"
    }


def test_start_limits_get_a_unit_section_when_there_is_none() -> None:
    drop_in = "[Service]\nStartLimitBurst=3\nRestart=always\n"
    files = {"web.service": "[Service]\nExecStart=/usr/sbin/web\n", "web.service.d/x.conf": drop_in}
    assert fixed(files) == {
        "web.service.d/x.conf": "[Unit]\nStartLimitBurst=3\n\n[Service]\nRestart=always\n"
    }


def test_start_limits_go_after_an_empty_unit_header() -> None:
    unit = "[Unit]\n[Service]\nExecStart=/usr/sbin/web\nStartLimitIntervalSec=60\n"
    assert fixed({"web.service": unit}) == {
        "web.service": "[Unit]\nStartLimitIntervalSec=60\n[Service]\nExecStart=/usr/sbin/web\n"
    }


def test_var_run_paths_become_run() -> None:
    unit = "[Service]\nType=forking\nPIDFile = /var/run/web/web.pid\nExecStart=/usr/sbin/web\n"
    socket = "[Socket]\nListenStream=/var/run/web.sock\n"
    assert fixed({"web.service": unit, "web.socket": socket}) == {
        "web.service": unit.replace("/var/run/", "/run/"),
        "web.socket": "[Socket]\nListenStream=/run/web.sock\n",
    }


def test_a_program_systemd_refuses_is_a_finding_not_a_refused_file() -> None:
    unit = Source(path="web.service", text="[Service]\nExecStart=bin/web\n")
    conf = Source(path="web.conf", text="[program:web]\ncommand=/x\nautorestart=perhaps\n")
    result = api.lint([unit, conf])
    assert [(str(d.span), d.code) for d in result.diagnostics] == [
        ("web.conf:3:13", "SV103"),
        ("web.service:2:11", "SV103"),
    ]
    assert result.refused == ("web.conf",)
