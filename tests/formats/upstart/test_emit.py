"""Writing upstart jobs: exact stanzas per field, losses, read-back, and shell validity."""

from __future__ import annotations

import re
import shutil
import socket
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.asserts import FIXTURES, chroot_loader, model_differences
from tests.validators import shell_check
from translator import api
from translator.cli import main
from translator.errors import ParseError
from translator.formats._options import EmitOptions
from translator.formats.upstart import DEFAULTS, emit, parse
from translator.loss import LossLog
from translator.model import (
    Action,
    Binding,
    Command,
    Dependency,
    Extra,
    Hook,
    HookTime,
    Host,
    Output,
    ResourceLimit,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    StartLimit,
)

SHELL = ("/bin/sh", "-e", "-c")
JOB = Service(name="job", start=Command(argv=("/usr/bin/job",)), enabled_at_boot=False)
"""A job started by hand that upstart never respawns: ``exec /usr/bin/job`` alone."""
BOOT = "start on runlevel [2345]\nstop on runlevel [!2345]\n\n"
ALWAYS = RestartPolicy(when=RestartWhen.ALWAYS)
ON_FAILURE = RestartPolicy(when=RestartWhen.ON_FAILURE)
DEFAULT_LIMIT = "SV710 upstart stops respawning after 10 respawns in 5 s; its default limit applies"


def upstart(key: str, value: str) -> Extra:
    return Extra(format="upstart", key=key, value=value)


EXEC = "exec /usr/bin/job\n"


@dataclass(frozen=True)
class Row:
    """How a service differs from JOB, the job file's stanzas, its processes, the losses."""

    id: str
    changes: dict[str, Any]
    text: str
    losses: tuple[str, ...] = field(default=())
    processes: str | None = None
    """What follows the stanzas; None: the row's own start command, else EXEC."""

    @property
    def job(self) -> str:
        if self.processes is not None:
            return self.text + self.processes
        return self.text if "start" in self.changes else self.text + EXEC


ROWS = [
    Row("exec-alone", {}, ""),
    Row(
        "exec-quoted",
        {"start": Command(argv=("/usr/bin/job", "--name", "a b", "it's"))},
        "exec /usr/bin/job --name 'a b' 'it'\"'\"'s'\n",
    ),
    Row(
        "exec-through-the-shell",
        {"start": Command(argv=("/usr/bin/job", "$HOME"))},
        "exec /usr/bin/job '$HOME'\n",
        (
            "SV710 upstart runs a command with shell characters, or a script, through "
            "/bin/sh -e; the same command, written for the shell",
        ),
    ),
    Row(
        "shell-exec",
        {"start": Command(argv=(*SHELL, "exec /usr/bin/job >/dev/null 2>&1"))},
        "exec /usr/bin/job >/dev/null 2>&1\n",
    ),
    Row(
        "script",
        {"start": Command(argv=(*SHELL, 'cd /srv/job\nexec ./job "$@"'))},
        'script\n    cd /srv/job\n    exec ./job "$@"\nend script\n',
    ),
    Row(
        "script-with-an-empty-line",  # indenting would change its lines: left as they are
        {"start": Command(argv=(*SHELL, "cd /srv/job\n\nexec ./job"))},
        "script\ncd /srv/job\n\nexec ./job\nend script\n",
    ),
    Row(
        "variables-expanded-by-the-shell",
        {"start": Command(argv=("/usr/bin/job", "${PORT}", "$$5"), expands_variables=True)},
        "exec /usr/bin/job ${PORT} '$'5\n",
        (
            "SV710 upstart runs a command with shell characters, or a script, through "
            "/bin/sh -e; the same command, written for the shell",
        ),
    ),
    Row("description", {"description": 'A "quoted" job'}, 'description "A \\"quoted\\" job"\n\n'),
    Row("at-boot", {"enabled_at_boot": True}, BOOT),
    Row(
        "runlevels-kept",
        {"enabled_at_boot": True, "extras": (upstart("runlevels", "35"),)},
        "start on runlevel [35]\nstop on runlevel [!2345]\n\n",
    ),
    Row(
        "start-on-kept",
        {
            "enabled_at_boot": True,
            "extras": (
                upstart("start on", "(filesystem and net-device-up IFACE!=lo)"),
                upstart("stop on", "stopping db"),
            ),
        },
        "start on (filesystem and net-device-up IFACE!=lo)\nstop on stopping db\n\n",
    ),
    Row(
        "started-by-another-job",
        {
            "enabled_at_boot": True,
            "dependencies": (Dependency(name="db", binding=Binding.ORDERS),),
            "extras": (upstart("wanted-by", "db.service"),),
        },
        "start on runlevel [2345] or started db\nstop on runlevel [!2345]\n\n",
    ),
    Row(
        "a-dependency",
        {"dependencies": (Dependency(name="db"),)},
        "",
        (
            "SV710 upstart has no dependency on db: start on started db would also start it "
            "whenever that starts; left out",
        ),
    ),
    Row(
        "respawn",
        {"restart": ALWAYS},
        "respawn\n\n",
        (DEFAULT_LIMIT,),
    ),
    Row(
        "respawn-limit",
        {"restart": ALWAYS, "start_limit": StartLimit(burst=10, interval=1200)},
        "respawn\nrespawn limit 10 1200\n\n",
    ),
    Row(
        "respawn-limit-as-upstart-has-it",
        {"restart": ALWAYS, "start_limit": StartLimit(burst=10, interval=5)},
        "respawn\n\n",
    ),
    Row(
        "respawn-unlimited",
        {"restart": ALWAYS, "start_limit": StartLimit(burst=0, interval=0)},
        "respawn\nrespawn limit unlimited\n\n",
    ),
    Row(
        "respawn-limit-in-part-seconds",
        {"restart": ALWAYS, "start_limit": StartLimit(burst=3, interval=7.5, action=Action.ALERT)},
        "respawn\nrespawn limit 3 8\n\n",
        (
            "SV710 upstart cannot alert at its limit; stops",
            "SV710 upstart counts whole seconds; 8 s",
        ),
    ),
    Row(
        "failures-in-a-row",
        {"restart": ALWAYS, "start_limit": StartLimit(burst=3, interval=None)},
        "respawn\n\n",
        (
            "SV710 upstart counts respawns within a time, not 3 failures in a row; its default "
            "limit of 10 in 5 s applies",
        ),
    ),
    Row(
        "respawn-on-failure",
        {"restart": ON_FAILURE, "success_exit_codes": (0, 75)},
        "respawn\nnormal exit 0 75\n\n",
        (DEFAULT_LIMIT,),
    ),
    Row(
        "clean-exits-without-respawn",
        {"success_exit_codes": (0, 2)},
        "normal exit 2\n\n",
    ),
    Row(
        "clean-exits-of-an-always-respawned-job",
        {"restart": ALWAYS, "success_exit_codes": (0, 2)},
        "respawn\n\n",
        (
            "SV710 a service that respawns always respawns after every exit; left out",
            DEFAULT_LIMIT,
        ),
    ),
    Row(
        "task",
        {"runs_once": True, "restart": ON_FAILURE, "success_exit_codes": (0, 3)},
        "task\nrespawn\nnormal exit 3\n\n",
        (DEFAULT_LIMIT,),
    ),
    Row(
        "restart-delay",
        {"restart": RestartPolicy(when=RestartWhen.ALWAYS, delay=3)},
        "respawn\n\n",
        ("SV710 upstart respawns at once; it has no respawn delay; left out", DEFAULT_LIMIT),
    ),
    Row(
        "kill",
        {"stop_signal": "SIGINT", "stop_timeout": 30},
        "kill signal INT\nkill timeout 30\n\n",
    ),
    Row("kill-as-upstart-does", {"stop_signal": "SIGTERM", "stop_timeout": 5}, ""),
    Row(
        "identity-and-place",
        {"user": "app", "group": "staff", "working_directory": "/srv/app", "umask": "027"},
        "setuid app\nsetgid staff\nchdir /srv/app\numask 027\n\n",
    ),
    Row(
        "environment",
        {"environment": (("A", "1"), ("B", 'x "y"'), ("C", ""))},
        'env A=1\nenv "B=x \\"y\\""\nenv C=\n\n',
    ),
    Row(
        "limits",
        {
            "limits": (
                ResourceLimit(resource="nofile", value="1024:4096"),
                ResourceLimit(resource="core", value="infinity"),
                ResourceLimit(resource="memory", value="1G"),
            )
        },
        "limit nofile 1024 4096\nlimit core unlimited unlimited\n\n",
        ("SV710 upstart's limit sets rlimits, not memory 1G; left out",),
    ),
    Row(
        "console-log",
        {
            "stdout": Output(kind="file", path="/var/log/upstart/job.log"),
            "stderr": Output(kind="inherit"),
        },
        "console log\n\n",
    ),
    Row("console-none", {"stdout": Output(kind="null")}, "console none\n\n"),
    Row(
        "console-owner",
        {
            "stdout": Output(kind="file", path="/dev/console"),
            "extras": (upstart("console", "owner"),),
        },
        "console owner\n\n",
    ),
    Row(
        "output-to-a-file",
        {"stdout": Output(kind="file", path="/var/log/job.out"), "stderr": Output(kind="null")},
        "console log\n\n",
        (
            "SV710 upstart sends stderr where stdout goes; with stdout",
            "SV710 upstart writes output to /var/log/upstart/job.log, not to /var/log/job.out; "
            "console log",
        ),
    ),
    Row(
        "hooks-and-stop",
        {
            "stop": Command(argv=("/usr/bin/job", "--drain")),
            "hooks": (
                Hook(when=HookTime.AFTER_STOP, command=Command(argv=("/bin/rm", "-f", "/run/j"))),
                Hook(when=HookTime.BEFORE_START, command=Command(argv=(*SHELL, "mkdir /run/j"))),
                Hook(
                    when=HookTime.AFTER_START,
                    command=Command(argv=("/bin/sleep", "1")),
                    ignores_failure=True,
                ),
            ),
        },
        "",
        (
            "SV710 upstart runs pre-start, post-start and post-stop in that order; written in "
            "that order",
        ),
        processes="pre-start script\n    mkdir /run/j\nend script\n\n"
        + EXEC
        + "\npost-start exec /bin/sleep 1\n\npre-stop exec /usr/bin/job --drain\n"
        + "\npost-stop exec /bin/rm -f /run/j\n",
    ),
    Row(
        "instance",
        {
            "start": Command(
                argv=(*SHELL, "exec /usr/bin/job --queue ${SVCONV_INSTANCE} --depth $$DEPTH"),
                expands_variables=True,
            ),
            "extras": (
                Extra(format="upstart", key="instance", value="$QUEUE", is_informational=True),
            ),
        },
        "instance $QUEUE\n\n",
        processes="exec /usr/bin/job --queue $QUEUE --depth $DEPTH\n",
    ),
    Row(
        "instances",
        {
            "start": Command(
                argv=("/usr/bin/job", "--slot", "${SVCONV_INSTANCE}x"), expands_variables=True
            ),
            "instances": 3,
        },
        "instance $INSTANCE\n\n",
        processes='exec /usr/bin/job --slot "$INSTANCE"x\n',
        losses=(
            "SV710 upstart runs a command with shell characters, or a script, through "
            "/bin/sh -e; the same command, written for the shell",
            "SV710 upstart starts an instance per start command, not 3 at once; one job; start "
            "each with start job INSTANCE=N",
        ),
    ),
    Row(
        "daemon-known-to-detach",
        {"start": Command(argv=("/usr/sbin/sshd",)), "daemonizes": True},
        "expect fork\n\n",
        processes="exec /usr/sbin/sshd\n",
        losses=(
            "SV710 upstart follows a detaching program only when told how often it forks; "
            "/usr/sbin/sshd is known to detach; expect fork (one fork, as daemon(3) does)",
        ),
    ),
    Row(
        "daemon-said-to-fork-twice",
        {
            "daemonizes": True,
            "extras": (
                Extra(format="upstart", key="expect", value="daemon", is_informational=True),
            ),
        },
        "expect daemon\n\n",
    ),
    Row(
        "daemon-unknown",
        {"daemonizes": True, "pidfile": "/run/job.pid"},
        "",
        (
            "SV710 upstart has no pidfile: it follows the process it starts (expect); left out",
            "SV715 /usr/bin/job detaches and svconv does not know how often it forks, which "
            "upstart's expect must match; written without expect: upstart follows only the "
            "first process; add expect fork or daemon, or a foreground flag, by hand",
        ),
    ),
    Row(
        "kept-stanzas",
        {
            "extras": (
                Extra(
                    format="upstart",
                    key="author",
                    value="Ops <ops@example.org>",
                    is_informational=True,
                ),
                Extra(format="upstart", key="nice", value="5"),
                Extra(format="upstart", key="oom", value="score -500"),
                Extra(format="upstart", key="reload signal", value="SIGUSR1"),
                Extra(format="upstart", key="emits", value="job-ready"),
                Extra(format="upstart", key="export", value="RUNLEVEL", is_informational=True),
            )
        },
        'author "Ops <ops@example.org>"\n\nemits job-ready\n\nreload signal USR1\n\n'
        "nice 5\noom score -500\nexport RUNLEVEL\n\n",
    ),
    Row(
        "unknown-stanza-and-foreign-extra",
        {
            "extras": (
                Extra(format="upstart", key="pid", value="file /run/job.pid"),
                Extra(format="systemd", key="Service.Nice", value="5"),
            )
        },
        "",
        (
            "SV710 upstart has no equivalent of systemd Service.Nice='5'; left out",
            "SV710 upstart knows no stanza 'pid'; left out",
        ),
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_each_field_gives_its_stanza(row: Row) -> None:
    losses = LossLog()
    files = emit(Host(services=(replace(JOB, **row.changes),)), EmitOptions(), losses)
    assert files == {"job.conf": row.job}
    assert [f"{loss.code} {loss.reason}; {loss.action}" for loss in losses.ordered()] == list(
        row.losses
    )


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_each_job_reads_back_as_it_was_and_writes_the_same_bytes(row: Row) -> None:
    host = Host(services=(replace(JOB, **row.changes),))
    losses = LossLog()
    files = emit(host, EmitOptions(), losses)
    back = parse(Source(path="job.conf", text=files["job.conf"])).host
    assert list(model_differences(host, back, tuple(losses.ordered()), DEFAULTS)) == []
    assert emit(back, EmitOptions(), LossLog()) == files


_PROCESS = re.compile(
    r"^(?:(?:pre|post)-(?:start|stop) )?"
    r"(?:exec (?P<command>[^\n]*)|script\n(?P<body>.*?)\nend script)$",
    re.MULTILINE | re.DOTALL,
)


SHELLCHECK = str(Path(shutil.which("shellcheck") or "shellcheck"))


def shell_snippets(job: str) -> list[tuple[str, bool]]:
    """Each process of a job as the shell runs it, and whether it is a script block."""
    return [
        (f"exec {match['command']}", False)
        if match["command"] is not None
        else (match["body"], True)
        for match in _PROCESS.finditer(job)
    ]


WRITTEN = sorted(FIXTURES.glob("*/*/expected/upstart/*.conf"))


def test_the_fixtures_write_upstart_jobs() -> None:
    assert {path.parent.parent.parent.name for path in WRITTEN} >= {
        "dummy", "relayd", "tunnel", "override", "metricsd", "cache-cleanup", "worker", "tty"
    }  # fmt: skip


def check_processes(job: str, directory: Path) -> list[str]:
    """``sh -n`` every process of ``job``; shellcheck its script blocks too.

    An ``exec`` line is the input's own command line, kept word for word (an unquoted
    ``$TTY`` there is the job author's), so only the shells' parsers judge it.
    """
    findings = []
    for number, (snippet, is_block) in enumerate(shell_snippets(job)):
        script = directory / f"process{number}.sh"
        script.write_text(f"#!/bin/sh -e\n{snippet}\n")  # upstart runs each with sh -e
        found = shell_check(script)
        findings += found if is_block else [f for f in found if not f.startswith(SHELLCHECK)]
    return findings


@pytest.mark.parametrize("path", WRITTEN, ids=lambda p: p.parent.parent.parent.name)
def test_every_written_process_passes_sh_n_and_shellcheck(path: Path, tmp_path: Path) -> None:
    assert shell_snippets(path.read_text())  # every job has at least its main process
    assert check_processes(path.read_text(), tmp_path) == []


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_each_rows_processes_pass_sh_n_and_shellcheck(row: Row, tmp_path: Path) -> None:
    assert check_processes(row.job, tmp_path) == []


def test_a_script_block_upstart_would_end_early_is_not_written() -> None:
    losses = LossLog()
    start = Command(argv=(*SHELL, "cat <<EOF\nend script\nEOF"))
    assert emit(Host(services=(replace(JOB, start=start),)), EmitOptions(), losses) == {}
    assert [
        f"{loss.code} {loss.field} {loss.reason}; {loss.action}" for loss in losses.ordered()
    ] == [
        "SV710 service upstart ends a script block at a line that reads end script; no job written"
    ]


@pytest.mark.parametrize("path", WRITTEN, ids=lambda p: p.parent.parent.parent.name)
def test_every_written_job_parses_back_without_error(path: Path) -> None:
    result = parse(Source(path=path.name, text=path.read_text()))
    assert [s.name for s in result.host.services] == [path.stem]
    assert {d.code for d in result.diagnostics} <= {"SV733"}


def test_shell_snippets_finds_each_process() -> None:
    job = "exec /a b\n\npre-start script\n    x\n    y\nend script\npost-stop exec /c\n"
    assert shell_snippets(job) == [("exec /a b", False), ("    x\n    y", True), ("exec /c", False)]


# ---------------------------------------------------------------- from monit


def _monit_to_upstart(monitrc: str) -> api.Translation:
    return api.convert(
        [Source(path="monitrc", text=monitrc)], source_format="monit", target_format="upstart"
    )


def test_restarts_within_cycles_become_a_respawn_limit_in_seconds() -> None:
    translation = _monit_to_upstart(
        "set daemon 30\n"
        'check process relay matching "relay"\n'
        '  start program = "/usr/sbin/relay --foreground"\n'
        "  if 10 restarts within 10 cycles then timeout\n"
    )
    job = translation.files["relay.conf"]
    assert "respawn\nrespawn limit 10 300\n" in job


def test_a_resource_threshold_never_becomes_a_limit() -> None:
    translation = _monit_to_upstart(
        'check process relay matching "relay"\n'
        '  start program = "/usr/sbin/relay --foreground"\n'
        "  if totalmem > 256 MB then restart\n"
        "  if cpu > 90% for 5 cycles then restart\n"
    )
    assert "limit" not in translation.files["relay.conf"]
    assert [(loss.code, loss.field) for loss in translation.losses if loss.code == "SV701"] == [
        ("SV701", "health_checks"),
        ("SV701", "health_checks"),
    ]


def test_emitting_opens_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("emit opened a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    translation = _monit_to_upstart(
        'check process relay matching "relay"\n  start program = "/usr/sbin/relay -f"\n'
    )
    assert list(translation.files) == ["relay.conf"]


# ---------------------------------------------------------------- NAME.override


def _read_with_override(tmp_path: Path, job: str, override: str | None) -> Service:
    init = tmp_path / "etc" / "init"
    init.mkdir(parents=True)
    (init / "cache.conf").write_text(job)
    if override is not None:
        (init / "cache.override").write_text(override)
    source = Source(path="etc/init/cache.conf", text=job)
    result = parse(source, load_include=chroot_loader(tmp_path / "root"))
    return result.host.services[0]


CACHE = "start on runlevel [2345]\nrespawn\nexec /usr/bin/cache --size 64\n"


def test_without_an_override_the_job_is_read_alone(tmp_path: Path) -> None:
    service = _read_with_override(tmp_path, CACHE, None)
    assert (service.enabled_at_boot, service.start) == (
        True,
        Command(argv=("/usr/bin/cache", "--size", "64")),
    )


def test_an_override_replaces_stanzas_and_manual_disables(tmp_path: Path) -> None:
    service = _read_with_override(
        tmp_path, CACHE, "manual\nexec /usr/bin/cache --size 256\nsetuid cache\n"
    )
    assert (service.enabled_at_boot, service.start, service.user) == (
        False,
        Command(argv=("/usr/bin/cache", "--size", "256")),
        "cache",
    )
    assert service.restart == ALWAYS
    assert service.origin.of("start") is not None
    assert service.origin.of("start").path == "etc/init/cache.override"  # type: ignore[union-attr]


def test_an_override_may_start_on_again(tmp_path: Path) -> None:
    job = "manual\nexec /usr/bin/cache\n"
    service = _read_with_override(tmp_path, job, "start on runlevel [2345]\n")
    assert service.enabled_at_boot is True


def test_a_broken_override_is_a_positioned_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as caught:
        _read_with_override(tmp_path, CACHE, "respawn limit 5\n")
    assert str(caught.value) == (
        "etc/init/cache.override:1:1: SV101 respawn: expected limit COUNT SECONDS, or limit "
        "unlimited"
    )


def test_the_override_fixture_is_read_through_the_cli_loader() -> None:
    job = FIXTURES / "upstart" / "override" / "root" / "etc" / "init" / "cachesrv.conf"
    translation = api.convert(
        [Source(path=str(job), text=job.read_text())],
        source_format="upstart",
        target_format="upstart",
    )
    assert translation.files["cachesrv.conf"] == (
        f"# Generated by svconv from {job}\n"
        'description "Cache server"\n\nrespawn\n\nkill timeout 60\n\nenv CACHE_SIZE=256\n\n'
        "exec /usr/bin/cachesrv --foreground --size 256\n"
    )


def test_monit2upstart_writes_the_job_file(tmp_path: Path) -> None:
    dummy = FIXTURES / "monit" / "dummy"
    result = CliRunner().invoke(
        main, ["monit2upstart", str(dummy / "input.monitrc"), "-o", str(tmp_path / "init")]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "init").iterdir()) == ["dummy.conf"]
    expected = (dummy / "expected" / "upstart" / "dummy.conf").read_text()
    written = (tmp_path / "init" / "dummy.conf").read_text()
    assert written.splitlines()[1:] == expected.splitlines()[1:]  # the header names the input
