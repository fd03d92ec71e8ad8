"""daemontools service directories: the run-script subset read, the files written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.validators import shell_check
from translator.errors import ParseError
from translator.formats._options import EmitOptions
from translator.formats.daemontools import detect, emit, parse
from translator.loss import LossLog
from translator.model import (
    Command,
    Extra,
    Hook,
    HookTime,
    Host,
    ResourceLimit,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    Span,
    StartLimit,
)

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def _loader(files: dict[str, str]):
    def load(pattern: str, span: Span) -> list[Source]:
        names = [n for n in files if n.startswith("env/")] if pattern == "env/*" else [pattern]
        return [Source(path=f"service/db/{n}", text=files[n]) for n in names if n in files]

    return load


def _read(text: str, files: dict[str, str] | None = None) -> Service:
    result = parse(Source(path="service/db/run", text=text), load_include=_loader(files or {}))
    (service,) = result.host.services
    return service


def test_the_exec_chain_is_unwrapped_with_glued_options() -> None:
    service = _read(
        "#!/bin/sh\nexec envdir ./env softlimit -o250 -m 1000 setuidgid db /usr/bin/db -x\n",
        {"env/PORT": "5432\n", "finish": "#!/bin/sh\necho ignored\n"},
    )
    assert service.start is not None
    assert service.start.argv == ("/usr/bin/db", "-x")
    assert service.user == "db"
    assert service.environment == (("PORT", "5432"),)
    assert service.limits == (ResourceLimit(resource="nofile", value="250"),)
    assert [(e.key, e.value) for e in service.extras] == [("softlimit -m", "1000")]
    assert service.hooks == ()  # supervise runs no finish


def test_a_program_run_without_exec_is_read_and_marked() -> None:
    service = _read("#!/bin/sh\ncd /srv || exit 1\nsetuidgid db /usr/bin/db\n")
    assert service.start is not None
    assert service.start.argv == ("/usr/bin/db",)
    assert service.user == "db"
    assert [(e.key, e.value, e.is_informational) for e in service.extras] == [
        ("run without exec", "setuidgid db /usr/bin/db", True)
    ]


def test_the_marked_program_is_written_with_exec_and_reported() -> None:
    service = _read("#!/bin/sh\n/usr/bin/db\n")
    log = LossLog()
    files = emit(Host(services=(service,)), EmitOptions(), log)
    assert files["db/run"].endswith("\nexec /usr/bin/db\n")
    assert [(lo.code, lo.action) for lo in log.ordered()] == [("SV710", "written with exec")]


def test_other_statements_are_kept_verbatim_and_noted() -> None:
    result = parse(
        Source(path="service/db/run", text="#!/bin/sh\nsleep 2\nexec /usr/bin/db\n"),
        load_include=_loader({}),
    )
    (service,) = result.host.services
    assert [(e.format, e.key, e.value) for e in service.extras] == [
        ("daemontools", "run", "sleep 2")
    ]
    assert [(d.code, str(d.span)) for d in result.diagnostics] == [("SV730", "service/db/run:2:1")]


def test_a_broken_run_script_gives_a_positioned_error() -> None:
    with pytest.raises(ParseError) as error:
        parse(Source(path="service/db/run", text="#!/bin/sh\nexec db (\n"))
    assert str(error.value).startswith("service/db/run:2:")


WRITTEN = Service(
    name="db",
    start=Command(argv=("/usr/bin/db", "--data", "/var/lib/db")),
    user="db",
    group="adm",
    environment=(("PORT", "5432"),),
    limits=(ResourceLimit(resource="nofile", value="4096"),),
    restart=RestartPolicy(when=RestartWhen.ALWAYS),
    start_limit=StartLimit(burst=5, interval=60),
    hooks=(Hook(when=HookTime.AFTER_STOP, command=Command(argv=("/bin/rm", "-f", "/run/db"))),),
    stop_timeout=20,
    extras=(Extra(format="daemontools", key="softlimit -m", value="1000"),),
    enabled_at_boot=False,
)


def test_emit_writes_the_directory_and_reports_what_supervise_cannot_do() -> None:
    log = LossLog()
    files = emit(Host(services=(WRITTEN,)), EmitOptions(), log)
    assert files == {
        "db/run": "#!/bin/sh\nexec 2>&1\nexec envdir /etc/service/db/env softlimit -o 4096 "
        "-m 1000 setuidgid db /usr/bin/db --data /var/lib/db\n",
        "db/log/run": "#!/bin/sh\nmkdir -p /var/log/db\nexec multilog t /var/log/db\n",
        "db/env/PORT": "5432\n",
        "db/down": "",
    }
    assert sorted(lo.field for lo in log.ordered()) == [
        "group",
        "hooks",
        "start_limit",
        "stop_timeout",
    ]


def test_emitted_scripts_pass_sh_and_shellcheck(tmp_path: Path) -> None:
    files = emit(Host(services=(WRITTEN,)), EmitOptions(), LossLog())
    for name in ("db/run", "db/log/run"):
        script = tmp_path / name.replace("/", "_")
        script.write_text(files[name])
        assert shell_check(script) == [], name


@pytest.mark.parametrize(
    ("path", "text", "claimed"),
    [
        ("service/db/run", "#!/bin/sh\nexec setuidgid db db\n", True),
        ("service/db/run", "#!/bin/sh\nexec chpst -u db db\n", False),
        ("service/db/finish", "#!/bin/sh\nexec setuidgid db db\n", False),
    ],
)
def test_detect(path: str, text: str, claimed: bool) -> None:
    assert detect(path, text) is claimed


def test_a_command_after_the_exec_is_kept_not_started() -> None:
    service = _read("#!/bin/sh\nexec /usr/bin/db\necho never\n")
    assert service.start is not None
    assert service.start.argv == ("/usr/bin/db",)
    assert [(e.key, e.value) for e in service.extras] == [("run", "echo never")]


def test_softlimit_options_take_values() -> None:
    service = _read("#!/bin/sh\nexec softlimit -a 3000000 -d3000000 /usr/bin/db\n")
    assert service.start is not None
    assert service.start.argv == ("/usr/bin/db",)
    assert [(e.key, e.value) for e in service.extras] == [
        ("softlimit -a", "3000000"),
        ("softlimit -d", "3000000"),
    ]
