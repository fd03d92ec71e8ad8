"""Every run, finish and log/run the service-directory fixtures expect passes sh and shellcheck.

The runit/web fixture keeps a ``ulimit -c`` of its input verbatim (not POSIX sh), so the
fixtures checked here are those of daemontools, s6 and the monit cases written to them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.validators import shell_check
from translator import api
from translator.formats import FORMATS
from translator.formats._options import EmitOptions
from translator.loss import LossLog
from translator.model import Command, Host, RestartPolicy, RestartWhen, Service, Source

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASES = [
    *FIXTURES.glob("runit/*"),
    *FIXTURES.glob("daemontools/*"),
    *FIXTURES.glob("s6/*"),
    FIXTURES / "monit/sshd-svdir",
    FIXTURES / "monit/initscript-start",
]
SCRIPTS = sorted(
    script
    for case in CASES
    for target in ("runit", "daemontools", "s6")
    for script in (case / "expected" / target).rglob("*")
    if script.name in ("run", "finish") or script.parent.name == "control"
)


def test_there_are_scripts_to_check() -> None:
    assert len(SCRIPTS) >= 12


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_scripts_pass_the_shells_and_shellcheck(script: Path) -> None:
    assert shell_check(script) == []


@pytest.mark.parametrize("target", ["runit", "daemontools", "s6"])
def test_each_instance_gets_a_directory_of_its_own(target: str) -> None:
    service = Service(
        name="queue",
        start=Command(
            argv=("/usr/bin/worker", "--slot", "${SVCONV_INSTANCE}"), expands_variables=True
        ),
        environment=(("SLOT", "n${SVCONV_INSTANCE}"),),
        instances=2,
        first_instance=1,
        instance_format="%02d",
        restart=RestartPolicy(when=RestartWhen.ALWAYS),
    )
    losses = LossLog()
    files = FORMATS[target].module.emit(Host(services=(service,)), EmitOptions(), losses)
    assert sorted({name.split("/")[0] for name in files}) == ["queue-01", "queue-02"]
    assert files["queue-02/run"].splitlines()[-1].endswith("/usr/bin/worker --slot 02")
    assert files["queue-02/env/SLOT"] == "n02\n"
    assert [(loss.code, loss.field, loss.action) for loss in losses.losses] == [
        ("SV722", "instances", "2 directories, queue-01 to queue-02")
    ]


def test_an_init_script_unread_leaves_the_service_unwritten() -> None:
    case = FIXTURES / "monit/initscript-start"
    source = Source(path="input.monitrc", text=(case / "input.monitrc").read_text())
    translation = api.convert(
        [source], target_format="runit", source_format="monit", load_include=None
    )
    assert translation.files == {}
    assert [(loss.code, loss.field) for loss in translation.losses if loss.code == "SV715"] == [
        ("SV715", "service")
    ]
    assert not any(loss.code == "SV717" for loss in translation.losses)
