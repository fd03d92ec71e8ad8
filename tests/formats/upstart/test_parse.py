"""The upstart reader (0.6 to 1.13): each stanza's exact service, its losses, errors, spans."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from tests.asserts import Case, assert_translates
from tests.validators import systemd_verify
from translator import api
from translator.errors import ParseError
from translator.formats import _grammar
from translator.formats.upstart import detect, parse, quoting
from translator.model import (
    Binding,
    Command,
    Dependency,
    Extra,
    Hook,
    HookTime,
    Output,
    ResourceLimit,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    StartLimit,
)

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "upstart"
EXEC = "exec /usr/bin/job\n"
JOB = Service(
    name="job",
    start=Command(argv=("/usr/bin/job",)),
    daemonizes=False,
    stop_signal="SIGTERM",
    stop_timeout=5.0,
    stops_process_group=True,
    kills_process_group=True,
    enabled_at_boot=False,
    managed_by="upstart",
)
"""``exec /usr/bin/job`` alone: upstart's defaults (SIGTERM to the group, KILL after 5s)."""
SHELL = ("/bin/sh", "-e", "-c")


def extra(key: str, value: str, *, informational: bool = False) -> Extra:
    return Extra(format="upstart", key=key, value=value, is_informational=informational)


@dataclass(frozen=True)
class Row:
    """A job's text, how its service differs from JOB, and its SV733 losses (line: message)."""

    id: str
    text: str
    changes: dict[str, Any] = field(default_factory=dict)
    losses: tuple[str, ...] = ()


ROWS = [
    Row("exec-alone", EXEC),
    Row("description", EXEC + 'description "A job, quoted"\n', {"description": "A job, quoted"}),
    Row(
        "author-version",
        EXEC + 'author "Ops <ops@example.org>"\nversion 1.2\n',
        {
            "extras": (
                extra("author", "Ops <ops@example.org>", informational=True),
                extra("version", "1.2", informational=True),
            )
        },
    ),
    Row(
        "exec-quoted",
        'exec /usr/bin/job --name \'a b\' --level=3 "c\\"d"  # trailing comment\n',
        {"start": Command(argv=("/usr/bin/job", "--name", "a b", "--level=3", 'c"d'))},
    ),
    Row(
        "exec-continued",
        "exec /usr/bin/job \\\n    --verbose\n",
        {"start": Command(argv=("/usr/bin/job", "--verbose"))},
    ),
    Row(
        "exec-shell",
        "exec /usr/bin/job --pid $PIDFILE >/dev/null 2>&1\n",
        {"start": Command(argv=(*SHELL, "exec /usr/bin/job --pid $PIDFILE >/dev/null 2>&1"))},
    ),
    Row(
        "exec-glob",
        "exec /usr/bin/job /etc/job/*.conf\n",
        {"start": Command(argv=(*SHELL, "exec /usr/bin/job /etc/job/*.conf"))},
    ),
    Row(
        "script",
        "script\n    cd /srv/job\n    exec ./job \\\n        --fast\nend script\n",
        {"start": Command(argv=(*SHELL, "cd /srv/job\nexec ./job \\\n    --fast"))},
    ),
    Row(
        "exec-then-script",  # the later main process replaces the earlier
        EXEC + "script\n  /usr/bin/other\nend script\n",
        {"start": Command(argv=(*SHELL, "/usr/bin/other"))},
    ),
    Row(
        "processes",
        EXEC
        + "pre-start exec /usr/bin/job --check\n"
        + "post-start script\n\tsleep 1\nend script\n"
        + "pre-stop exec /usr/bin/job --drain\n"
        + "post-stop exec /bin/rm -f /run/job.sock\n",
        {
            "stop": Command(argv=("/usr/bin/job", "--drain")),
            "hooks": (
                Hook(
                    when=HookTime.BEFORE_START,
                    command=Command(argv=("/usr/bin/job", "--check")),
                ),
                Hook(
                    when=HookTime.AFTER_START,
                    command=Command(argv=(*SHELL, "sleep 1")),
                    ignores_failure=True,
                ),
                Hook(
                    when=HookTime.AFTER_STOP,
                    command=Command(argv=("/bin/rm", "-f", "/run/job.sock")),
                ),
            ),
        },
    ),
    Row(
        "only-a-pre-start",
        "pre-start exec /bin/mkdir -p /run/job\n",
        {
            "start": None,
            "hooks": (
                Hook(
                    when=HookTime.BEFORE_START,
                    command=Command(argv=("/bin/mkdir", "-p", "/run/job")),
                ),
            ),
        },
        (
            "1: the job has no exec or script: upstart only runs its other processes; "
            "no start command",
        ),
    ),
    Row(
        "respawn",
        EXEC + "respawn\n",
        {
            "restart": RestartPolicy(when=RestartWhen.ALWAYS),
            "start_limit": StartLimit(burst=10, interval=5.0),
        },
    ),
    Row(
        "respawn-limit",
        EXEC + "respawn\nrespawn limit 3 60\n",
        {
            "restart": RestartPolicy(when=RestartWhen.ALWAYS),
            "start_limit": StartLimit(burst=3, interval=60.0),
        },
    ),
    Row(
        "respawn-unlimited",
        EXEC + "respawn\nrespawn limit unlimited\n",
        {
            "restart": RestartPolicy(when=RestartWhen.ALWAYS),
            "start_limit": StartLimit(burst=0, interval=0.0),
        },
    ),
    Row(
        "respawn-limit-zero",  # upstart counts nothing when either number is 0
        EXEC + "respawn\nrespawn limit 0 5\n",
        {
            "restart": RestartPolicy(when=RestartWhen.ALWAYS),
            "start_limit": StartLimit(burst=0, interval=0.0),
        },
    ),
    Row(
        "start-on-runlevel",
        EXEC + "start on runlevel [2345]\n",
        {"enabled_at_boot": True},
    ),
    Row(
        "start-on-rc-stopped",
        EXEC + "start on stopped rc RUNLEVEL=[35]\n",
        {"enabled_at_boot": True, "extras": (extra("runlevels", "35"),)},
    ),
    Row(
        "start-on-runlevel-complement",
        EXEC + "start on runlevel [!016S]\n",
        {"enabled_at_boot": True},
    ),
    Row(
        "start-on-shutdown",
        EXEC + "start on runlevel [06]\n",
        {"extras": (extra("runlevels", "06"),)},
        ("2: starts only on entering runlevel 0 6; not started at boot",),
    ),
    Row(
        "start-on-started",
        EXEC + "start on started metricsd\n",
        {
            "dependencies": (Dependency(name="metricsd", binding=Binding.ORDERS),),
            "extras": (extra("wanted-by", "metricsd.service"),),
        },
        (
            "2: upstart also starts it whenever metricsd starts; "
            "After=metricsd.service; being wanted by it is kept as an extra",
        ),
    ),
    Row(
        "start-on-runlevel-or-started",
        EXEC + "start on (runlevel [2345]\n          or started metricsd)  # either\n",
        {
            "enabled_at_boot": True,
            "dependencies": (Dependency(name="metricsd", binding=Binding.ORDERS),),
            "extras": (extra("wanted-by", "metricsd.service"),),
        },
        (
            "3: upstart also starts it whenever metricsd starts; "
            "After=metricsd.service; being wanted by it is kept as an extra",
        ),
    ),
    Row(
        "start-on-boot-event",
        EXEC + "start on net-device-up IFACE=eth0\n",
        {"enabled_at_boot": True, "extras": (extra("start on", "net-device-up IFACE=eth0"),)},
        (
            "2: start on net-device-up IFACE=eth0: upstart waits for these events of the boot; "
            "kept as an extra; started at boot",
        ),
    ),
    Row(
        "start-on-runlevel-and-boot-event",
        EXEC + "start on runlevel [2345] and net-device-up IFACE=eth0\n",
        {
            "enabled_at_boot": True,
            "extras": (extra("start on", "runlevel [2345] and net-device-up IFACE=eth0"),),
        },
        (
            "2: start on runlevel [2345] and net-device-up IFACE=eth0: upstart waits for these "
            "events of the boot; kept as an extra; started at boot",
        ),
    ),
    Row(
        "start-on-ubuntu-boot",  # upstart 1.x: parentheses, "!=" and events of the boot
        EXEC + "start on (filesystem\n          and net-device-up IFACE!=lo)\n",
        {
            "enabled_at_boot": True,
            "extras": (extra("start on", "(filesystem and net-device-up IFACE!=lo)"),),
        },
        (
            "2: start on (filesystem and net-device-up IFACE!=lo): upstart waits for these "
            "events of the boot; kept as an extra; started at boot",
        ),
    ),
    Row(
        "start-on-runlevel-and-other-event",  # the runlevel alone does not start it
        EXEC + "start on runlevel [2345] and vpn-up\n",
        {"extras": (extra("start on", "runlevel [2345] and vpn-up"),)},
        (
            "2: start on runlevel [2345] and vpn-up: systemd starts units "
            "on no such event; kept as an extra; nothing starts it on that event",
        ),
    ),
    Row(
        "manual",
        EXEC + "start on runlevel [2345]\nmanual\n",
    ),
    Row(
        "manual-then-start-on",  # manual forgets the start on read so far, no later one
        EXEC + "manual\nstart on runlevel [2345]\n",
        {"enabled_at_boot": True},
    ),
    Row(
        "start-on-no-runlevel",
        EXEC + "start on runlevel [7]\n",
        {"extras": (extra("start on", "runlevel [7]"),)},
        (
            "2: start on runlevel [7]: systemd starts units on no such event; "
            "kept as an extra; nothing starts it on that event",
        ),
    ),
    Row("stop-on-runlevels", EXEC + "stop on runlevel [!2345]\n"),
    Row("stop-on-shutdown-levels", EXEC + "stop on runlevel [S016]\n"),
    Row(
        "stop-on-other-event",
        EXEC + "stop on stopping metricsd\n",
        {"extras": (extra("stop on", "stopping metricsd"),)},
        (
            "2: stop on stopping metricsd: systemd stops units on no such event; "
            "kept as an extra; it stops only when stopped",
        ),
    ),
    Row(
        "env",
        EXEC + 'env A=1\nenv B="x y"\nenv A=2\n',
        {"environment": (("B", "x y"), ("A", "2"))},
    ),
    Row(
        "env-from-init",
        EXEC + "env LANG\n",
        {"extras": (extra("env", "LANG"),)},
        ("2: env LANG passes on init's own LANG; kept as an extra",),
    ),
    Row(
        "export",
        EXEC + "export RUNLEVEL PREVLEVEL\n",
        {"extras": (extra("export", "RUNLEVEL PREVLEVEL", informational=True),)},
    ),
    Row(
        "expect-fork",
        EXEC + "expect fork\n",
        {"daemonizes": True, "extras": (extra("expect", "fork", informational=True),)},
    ),
    Row(
        "expect-daemon",
        EXEC + "expect daemon\n",
        {"daemonizes": True, "extras": (extra("expect", "daemon", informational=True),)},
    ),
    Row("expect-none", EXEC + "expect none\n"),
    Row(
        "expect-stop",
        EXEC + "expect stop\n",
        {"extras": (extra("expect", "stop"),)},
        (
            "2: expect stop: the job says it is ready by stopping itself; "
            "started in the foreground; readiness is not awaited",
        ),
    ),
    Row("task", EXEC + "task\n", {"runs_once": True}),
    Row(
        "task-respawn",  # upstart respawns a task only when it fails
        EXEC + "task\nrespawn\n",
        {
            "runs_once": True,
            "restart": RestartPolicy(when=RestartWhen.ON_FAILURE),
            "start_limit": StartLimit(burst=10, interval=5.0),
        },
    ),
    Row(
        "normal-exit-respawn",  # any other exit, 0 too, is respawned
        EXEC + "respawn\nnormal exit 1 TERM\nnormal exit 75\n",
        {
            "restart": RestartPolicy(when=RestartWhen.ON_FAILURE),
            "start_limit": StartLimit(burst=10, interval=5.0),
            "success_exit_codes": (1, 75),
            "extras": (extra("normal exit", "TERM"),),
        },
        (
            "3: a death by TERM counts as a normal exit; "
            "left out: the model holds exit statuses only",
        ),
    ),
    Row("normal-exit", EXEC + "normal exit 2\n", {"success_exit_codes": (0, 2)}),
    Row("kill-timeout", EXEC + "kill timeout 30\n", {"stop_timeout": 30.0}),
    Row("kill-signal", EXEC + "kill signal INT\n", {"stop_signal": "SIGINT"}),
    Row("kill-signal-number", EXEC + "kill signal 1\n", {"stop_signal": "SIGHUP"}),
    Row(
        "reload-signal",
        EXEC + "reload signal SIGUSR1\n",
        {"extras": (extra("reload signal", "SIGUSR1"),)},
        ("2: reload signal SIGUSR1: the model has no reload signal; kept as an extra",),
    ),
    Row("setuid-setgid", EXEC + "setuid app\nsetgid staff\n", {"user": "app", "group": "staff"}),
    Row(
        "usage",
        EXEC + 'usage "start job QUEUE=name"\n',
        {"extras": (extra("usage", "start job QUEUE=name", informational=True),)},
    ),
    Row(
        "oom-score",
        EXEC + "oom score -500\n",
        {"extras": (extra("oom", "score -500"),)},
        ("2: oom score -500: the model has no OOM score adjustment; kept as an extra",),
    ),
    Row(
        "console-log",
        EXEC + "console log\n",
        {
            "stdout": Output(kind="file", path="/var/log/upstart/job.log"),
            "stderr": Output(kind="inherit"),
        },
    ),
    Row(
        "script-of-one-exec",  # does what exec does
        "script\n    exec /usr/bin/job --fast\nend script\n",
        {"start": Command(argv=("/usr/bin/job", "--fast"))},
    ),
    Row(
        "script-of-one-shell-exec",
        "script\n    exec /usr/bin/job >/dev/null\nend script\n",
        {"start": Command(argv=(*SHELL, "exec /usr/bin/job >/dev/null"))},
    ),
    Row(
        "chdir-umask",
        EXEC + "chdir /srv/job\numask 0027\n",
        {"working_directory": "/srv/job", "umask": "0027"},
    ),
    Row(
        "limits",
        EXEC
        + "limit nofile 1024 unlimited\nlimit core unlimited unlimited\nlimit nofile 2048 4096\n",
        {
            "limits": (
                ResourceLimit(resource="nofile", value="2048:4096"),
                ResourceLimit(resource="core", value="infinity"),
            )
        },
    ),
    Row(
        "nice-oom",
        EXEC + "nice -5\noom never\n",
        {"extras": (extra("nice", "-5"), extra("oom", "never"))},
        (
            "2: nice -5: the model has no scheduling priority; kept as an extra",
            "3: oom never: the model has no OOM score adjustment; kept as an extra",
        ),
    ),
    Row(
        "chroot",
        EXEC + "chroot /srv/jail\n",
        {"extras": (extra("chroot", "/srv/jail"),)},
        ("2: chroot /srv/jail: the model has no root directory; kept as an extra",),
    ),
    Row(
        "console-output",
        EXEC + "console output\n",
        {"stdout": Output(kind="file", path="/dev/console"), "stderr": Output(kind="inherit")},
    ),
    Row(
        "console-none",
        EXEC + "console none\n",
        {"stdout": Output(kind="null"), "stderr": Output(kind="inherit")},
    ),
    Row(
        "console-owner",
        EXEC + "console owner\n",
        {
            "stdout": Output(kind="file", path="/dev/console"),
            "stderr": Output(kind="inherit"),
            "extras": (extra("console", "owner"),),
        },
        (
            "2: console owner: the console's keyboard signals reach the job; "
            "output to /dev/console only",
        ),
    ),
    Row(
        "instance",
        "instance $QUEUE\nexec /usr/bin/job --queue $QUEUE --depth $DEPTH\n"
        "post-stop exec /bin/rm -f /run/job-${QUEUE}.pid\n",
        {
            "start": Command(
                argv=(*SHELL, "exec /usr/bin/job --queue ${SVCONV_INSTANCE} --depth $$DEPTH"),
                expands_variables=True,
            ),
            "hooks": (
                Hook(
                    when=HookTime.AFTER_STOP,
                    command=Command(
                        argv=(*SHELL, "exec /bin/rm -f /run/job-${SVCONV_INSTANCE}.pid"),
                        expands_variables=True,
                    ),
                ),
            ),
            "extras": (extra("instance", "$QUEUE", informational=True),),
        },
        (
            "1: upstart names each instance by the $QUEUE of the event that starts it; "
            "a template unit: its instance name stands for $QUEUE",
        ),
    ),
    Row(
        "instance-unused",
        EXEC + "instance $QUEUE\n",
        {"extras": (extra("instance", "$QUEUE"),)},
        (
            "2: instance $QUEUE: no command uses it as one variable; "
            "kept as an extra; one instance runs",
        ),
    ),
    Row(
        "emits",
        EXEC + "emits job-ready job-gone\n",
        {"extras": (extra("emits", "job-ready job-gone"),)},
        ("2: emits job-ready job-gone: other jobs may wait for these events; kept as an extra",),
    ),
    Row(
        "unknown-stanza",  # upstart 0.5's, gone in 0.6
        EXEC + "pid file /var/run/job.pid\n",
        {"extras": (extra("pid", "file /var/run/job.pid"),)},
        ("2: upstart knows no stanza 'pid' and would refuse the job; kept as an extra",),
    ),
    Row(
        "service-stanza",  # upstart 0.5's, gone in 0.6
        EXEC + "service\n",
        {"extras": (extra("service", ""),)},
        ("2: upstart knows no stanza 'service' and would refuse the job; kept as an extra",),
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_each_stanza_gives_its_service(row: Row) -> None:
    result = parse(Source(path="/etc/init/job.conf", text=row.text))
    assert result.host.services == (replace(JOB, **row.changes),)
    losses = [f"{d.span.line}: {d.message}; {d.loss.action}" for d in result.diagnostics if d.loss]
    assert losses == list(row.losses)
    assert {d.code for d in result.diagnostics} <= {"SV733"}


@pytest.mark.parametrize(
    "name",
    ["tty", "rcS", "start-ttys", "prefdm", "ck-log-system-start", "readahead-collector"],
)
def test_the_distributions_jobs_are_marked_as_provided_by_systemd(name: str) -> None:
    service = parse(Source(path=f"/etc/init/{name}.conf", text=EXEC)).host.services[0]
    assert service.extras == (extra("provided-by", "systemd"),)


def test_a_site_job_is_not_marked() -> None:
    service = parse(Source(path="/etc/init/ttyd.conf", text=EXEC)).host.services[0]
    assert service.extras == ()


def test_every_field_is_placed_at_its_stanza() -> None:
    source = FIXTURES / "metricsd/root/etc/init/metricsd.conf"
    service = parse(Source(path="metricsd.conf", text=source.read_text())).host.services[0]
    lines = {name: (span.line, span.column) for name, span in service.origin.fields}
    assert lines == {
        "description": (6, 1),
        "enabled_at_boot": (9, 1),
        "start_limit": (13, 1),
        "environment": (15, 1),
        "umask": (16, 1),
        "limits": (17, 1),
        "working_directory": (18, 1),
        "stop_timeout": (19, 1),
        "hooks": (21, 1),
        "start": (26, 1),
    }
    assert service.restart.origin.span is not None and service.restart.origin.span.line == 12
    assert [(e.key, e.origin.span and e.origin.span.line) for e in service.extras] == [
        ("author", 7),
    ]


ERRORS = [
    ("pre-start\n", 'job.conf:1:10: SV101 unexpected end of line; expected "exec" or "script"'),
    ("exec\n", "job.conf:1:5: SV101 unexpected end of line; expected a command"),
    ("start\n", 'job.conf:1:6: SV101 unexpected end of line; expected "on"'),
    ("description A job\n", "job.conf:1:15: SV101 description: expected one quoted description"),
    ('description "A job\n', "job.conf:1:13: SV101 unterminated quoted string"),
    ("script\n  echo hi\n", 'job.conf:1:7: SV101 script block has no "end script" line'),
    (
        "script echo\nend script\n",
        'job.conf:1:8: SV101 expected the end of the line after "script"',
    ),
    ("respawn limit ten 5\n", "job.conf:1:15: SV101 'ten' is not a number"),
    ("respawn forever\n", "job.conf:1:9: SV101 respawn: expected limit"),
    ("expect forks\n", "job.conf:1:8: SV101 expect: unknown 'forks'"),
    ("kill signal FOO\n", "job.conf:1:13: SV101 'FOO' is no signal"),
    ("kill now 5\n", "job.conf:1:6: SV101 kill: expected timeout or signal"),
    ("reload signal\n", "job.conf:1:1: SV101 reload: expected signal SIGNAL"),
    ("setuid\n", "job.conf:1:1: SV101 setuid: expected one name"),
    ("manual now\n", "job.conf:1:8: SV101 manual: expected nothing after manual"),
    ("oom score 2000\n", "job.conf:1:11: SV101 oom: '2000' is out of range"),
    ("console logs\n", "job.conf:1:9: SV101 console: unknown 'logs'"),
    ("limit files 1 2\n", "job.conf:1:7: SV101 limit: unknown resource 'files'"),
    ("umask 999\n", "job.conf:1:7: SV101 umask: '999' is no octal umask"),
    ("nice 40\n", "job.conf:1:6: SV101 nice: '40' is out of range"),
    ("normal exit 0 FOO\n", "job.conf:1:15: SV101 'FOO' is not a number"),
    ("start on and started a\n", "job.conf:1:10: SV101 expected an event before 'and'"),
    ("start on started a or\n", "job.conf:1:20: SV101 expected an event after 'or'"),
    (
        "start on started a (started b)\n",
        'job.conf:1:21: SV101 expected "and" or "or" before this event',
    ),
    (
        "start on (started a\n",
        'job.conf:1:20: SV101 unbalanced parentheses: no ")" before the end of the file',
    ),
    (
        "start on started a b=1 c\n",
        "job.conf:1:24: SV101 'c': a positional argument cannot follow a NAME=value one",
    ),
]


def test_the_grammar_builds_in_strict_mode() -> None:
    assert _grammar.load("upstart").options.strict is True


@pytest.mark.parametrize(("text", "message"), ERRORS, ids=[e[0].strip() for e in ERRORS])
def test_what_upstart_refuses_is_a_positioned_error(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(Source(path="job.conf", text=text))
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "path", sorted(FIXTURES.glob("*/root/etc/init/*.conf")), ids=lambda p: p.stem
)
def test_a_truncated_job_parses_or_gives_a_positioned_error(path: Path) -> None:
    text = path.read_text()
    for end in range(0, len(text), 5):
        try:
            parse(Source(path="cut.conf", text=text[:end]))
        except ParseError as error:
            assert error.span is not None
            assert 1 <= error.span.line <= text[:end].count("\n") + 2


FIXTURE_CASES = [
    Case(name, read="upstart", write=("systemd", "upstart"), input=f"root/etc/init/{name}.conf")
    for name in ("metricsd", "cache-cleanup", "worker", "tty")
]


@pytest.mark.parametrize("case", FIXTURE_CASES, ids=lambda case: case.id)
def test_fixture_translates(case: Case) -> None:
    assert_translates(case)


def test_a_respawning_job_with_a_pre_start_becomes_a_unit_systemd_accepts() -> None:
    job = (
        'description "Relay"\nstart on runlevel [2345]\nstop on runlevel [!2345]\n'
        "respawn\nrespawn limit 5 30\n"
        "pre-start script\n    mkdir -p /var/run/relay\n    [ -x /usr/sbin/relay ]\nend script\n"
        "exec /usr/sbin/relay --foreground\n"
    )
    translation = api.convert(
        [Source(path="/etc/init/relay.conf", text=job)],
        source_format="upstart",
        target_format="systemd",
    )
    assert translation.files == {
        "relay.service": (
            "# Generated by svconv from /etc/init/relay.conf\n"
            "[Unit]\nDescription=Relay\nStartLimitIntervalSec=30\nStartLimitBurst=5\n\n"
            "[Service]\nType=simple\n"
            'ExecStartPre=/bin/sh -e -c "mkdir -p /var/run/relay\\n[ -x /usr/sbin/relay ]"\n'
            "ExecStart=/usr/sbin/relay --foreground\nRestart=always\nTimeoutStopSec=5\n\n"
            "[Install]\nWantedBy=multi-user.target\n"
        )
    }
    assert systemd_verify(translation.files) == (0, "")


@pytest.mark.parametrize(
    ("path", "text", "claimed"),
    [
        ("/etc/init/relay.conf", EXEC, True),
        ("etc/init/relay.conf", EXEC, True),
        ("jobs/relay.conf", "start on runlevel [2345]\n" + EXEC, True),
        ("jobs/relay.conf", EXEC, False),
        ("/etc/init.d/relay", "start on runlevel [2345]\n", False),
        ("/etc/nginx/nginx.conf", "worker_processes 1;\n", False),
    ],
)
def test_detect(path: str, text: str, claimed: bool) -> None:
    assert detect(path, text) is claimed


@pytest.mark.parametrize(
    ("text", "argv"),
    [
        ("/bin/job  -a\t-b", ("/bin/job", "-a", "-b")),
        ("/bin/job --x='a b' \"c\"", ("/bin/job", "--x=a b", "c")),
        ("/bin/job a\\ b", ("/bin/job", "a b")),
        ("/bin/job ~/x", (*SHELL, "exec /bin/job ~/x")),
        ("/bin/job a && /bin/b", (*SHELL, "exec /bin/job a && /bin/b")),
        ("/bin/job `date`", (*SHELL, "exec /bin/job `date`")),
    ],
)
def test_a_command_runs_directly_unless_it_needs_the_shell(
    text: str, argv: tuple[str, ...]
) -> None:
    assert quoting.command(text) == argv


def test_a_script_loses_the_indentation_its_first_line_sets() -> None:
    assert quoting.script("    a\n      b\n    c\n") == (*SHELL, "a\n  b\nc")
    # as libnih: a line with less (an empty one too) lowers it for every line
    assert quoting.script("    a\n\n    b\n") == (*SHELL, "    a\n\n    b")
    assert quoting.script("\ta\n  b\n") == (*SHELL, "\ta\n  b")


@pytest.mark.parametrize(
    ("word", "text"),
    [('"a b"', "a b"), ("'a'\"b\"c", "abc"), ("a\\#b", "a#b"), ('"a  \n   b"', "a b")],
)
def test_dequote(word: str, text: str) -> None:
    assert quoting.dequote(word) == text
