"""s6 service directories: identities, stop files, s6-permafailon, and the files written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.validators import shell_check
from translator.formats._options import EmitOptions
from translator.formats.s6 import detect, emit, parse
from translator.loss import LossLog
from translator.model import (
    Action,
    Command,
    Hook,
    HookTime,
    Host,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    Span,
    StartLimit,
)

EVERY_DEATH = "0-255,SIGHUP,SIGINT,SIGQUIT,SIGILL,SIGABRT,SIGFPE,SIGKILL,SIGSEGV,SIGPIPE,SIGTERM"


def _loader(files: dict[str, str]):
    def load(pattern: str, span: Span) -> list[Source]:
        names = [n for n in files if n.startswith("env/")] if pattern == "env/*" else [pattern]
        return [Source(path=f"sv/api/{n}", text=files[n]) for n in names if n in files]

    return load


def _read(text: str, files: dict[str, str] | None = None):
    result = parse(Source(path="sv/api/run", text=text), load_include=_loader(files or {}))
    (service,) = result.host.services
    return service, result.diagnostics


@pytest.mark.parametrize(
    ("chain", "user", "group"),
    [
        ("s6-setuidgid api", "api", None),
        ("s6-envuidgid -B api:web s6-applyuidgid -U", "api", "web"),
        ("s6-envuidgid api s6-applyuidgid -U", "api", None),
    ],
)
def test_identities_are_read(chain: str, user: str, group: str | None) -> None:
    service, _ = _read(f"#!/bin/sh\nexec {chain} /usr/bin/api\n")
    assert service.start.argv == ("/usr/bin/api",)
    assert (service.user, service.group) == (user, group)


def test_an_identity_form_s6_would_refuse_stays_in_the_command() -> None:
    # -B without a group makes GID 0: not lifted, so nothing changes what runs
    service, _ = _read("#!/bin/sh\nexec s6-envuidgid -B api s6-applyuidgid -U /usr/bin/api\n")
    assert service.start.argv[0] == "s6-envuidgid"
    assert service.user is None


def test_stop_files_and_finish_are_read() -> None:
    service, _ = _read(
        "#!/bin/sh\nexec /usr/bin/api\n",
        {
            "down-signal": "SIGHUP\n",
            "timeout-kill": "2500\n",
            "finish": "#!/bin/sh\n/bin/rm -f /run/api.sock\n"
            f"exec s6-permafailon 30 4 {EVERY_DEATH} true\n",
        },
    )
    assert (service.stop_signal, service.stop_timeout) == ("SIGHUP", 2.5)
    assert service.start_limit == StartLimit(burst=4, interval=30)
    assert [h.command.argv for h in service.hooks] == [("/bin/rm", "-f", "/run/api.sock")]
    assert service.extras == ()


def test_unreadable_stop_and_finish_lines_are_kept_and_noted() -> None:
    service, notes = _read(
        "#!/bin/sh\nexec /usr/bin/api\n",
        {"timeout-kill": "soon\n", "finish": "#!/bin/sh\nfor x in a; do :; done\n"},
    )
    assert [(e.key, e.value) for e in service.extras] == [
        ("timeout-kill", "soon"),
        ("finish", "for x in a; do :; done"),
    ]
    assert [(d.code, str(d.span)) for d in notes] == [
        ("SV730", "sv/api/timeout-kill:1:1"),
        ("SV730", "sv/api/finish:2:1"),
    ]


API = Service(
    name="api",
    start=Command(argv=("/usr/bin/api",)),
    user="api",
    group="web",
    restart=RestartPolicy(when=RestartWhen.ALWAYS),
    start_limit=StartLimit(burst=150, interval=12.5, action=Action.ALERT),
    hooks=(
        Hook(when=HookTime.AFTER_STOP, command=Command(argv=("/bin/rm", "-f", "/run/a b"))),
        Hook(when=HookTime.BEFORE_START, command=Command(argv=("/bin/mkdir", "/run/api"))),
    ),
    stop_signal="SIGINT",
    stop_timeout=1.5,
)


def test_emit_writes_finish_stop_files_and_a_larger_death_tally() -> None:
    log = LossLog()
    files = emit(Host(services=(API,)), EmitOptions(), log)
    assert files == {
        "api/run": "#!/bin/sh\nexec 2>&1\n"
        "exec s6-envuidgid -B api:web s6-applyuidgid -U /usr/bin/api\n",
        "api/log/run": "#!/bin/sh\nmkdir -p /var/log/api\nexec s6-log t /var/log/api\n",
        "api/finish": "#!/bin/sh\n/bin/rm -f '/run/a b'\n"
        f"exec s6-permafailon 13 150 {EVERY_DEATH} true\n",
        "api/max-death-tally": "150\n",
        "api/down-signal": "SIGINT\n",
        "api/timeout-kill": "1500\n",
    }
    assert [(lo.field, lo.reason) for lo in log.ordered()] == [
        ("start_limit.action", "s6-permafailon can only stop restarting, not alert"),
        ("hooks", "s6-supervise runs no command before start"),
    ]


def test_emitted_scripts_pass_sh_and_shellcheck(tmp_path: Path) -> None:
    files = emit(Host(services=(API,)), EmitOptions(), LossLog())
    for name in ("api/run", "api/log/run", "api/finish"):
        script = tmp_path / name.replace("/", "_")
        script.write_text(files[name])
        assert shell_check(script) == [], name


@pytest.mark.parametrize(
    ("text", "claimed"),
    [("#!/bin/sh\nexec s6-setuidgid a a\n", True), ("#!/bin/sh\nexec chpst -u a a\n", False)],
)
def test_detect(text: str, claimed: bool) -> None:
    assert detect("sv/api/run", text) is claimed
