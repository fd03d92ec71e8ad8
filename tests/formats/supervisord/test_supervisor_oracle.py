"""Differential test: svconv's supervisord parser against supervisor's own parser.

Each row of ``CASES`` is a whole supervisord.conf and the verdict supervisor gives it when
supervisord loads it (``ServerOptions().realize()``, run by ``supervisor_dump.py``). The
table is checked against two supervisor versions (PyPI 4.3.0 in this interpreter, Debian
12's 4.2.5 for ``/usr/bin/python3``), so a wrong row fails loudly. svconv must give the
same verdict, and on accept the same value for every process field supervisor keeps.
Rejects avoid host-dependent reasons (unknown users, missing log directories).

``unsplittable`` rows are files supervisor loads although their command cannot be split
into argv (supervisor splits only at spawn, and the process then goes FATAL): for those,
svconv's agreement is a ParseError at the command line, as it can hold no argv.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import pwd
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from translator import io
from translator.errors import ParseError
from translator.formats._options import ParseOptions
from translator.formats.supervisord.parse import parse
from translator.model import Host, Output, RestartWhen, Service, Source

ACCEPT = "accept"
REJECT = "reject"
DUMPER = Path(__file__).with_name("supervisor_dump.py")
DUMP_TIMEOUT_SECONDS = 60
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    verdict: str
    # For rejects: part of supervisor's message (4.2.5 and 4.3.0 say the same).
    supervisor_says: str | None = None
    # supervisord's --env NAME=VALUE pairs.
    env: tuple[tuple[str, str], ...] = ()
    # Further files (name relative to the main file's directory, text), for [include].
    files: tuple[tuple[str, str], ...] = ()
    unsplittable: bool = False
    # Where svconv differs from supervisor on purpose: why (svconv then accepts the file).
    decided: str | None = None


def conf(body: str, *, supervisord: str = "") -> str:
    """A whole file: supervisor refuses one without a [supervisord] section."""
    return f"[supervisord]\n{supervisord}{body}"


CAT = "[program:cat]\ncommand=/bin/cat\n"

CASES = [
    # ------------------------------------------------------------- plain programs
    Case(id="defaults-only", text=conf(CAT), verdict=ACCEPT),
    Case(id="every-option",
         text=conf("[program:web]\ncommand=/usr/bin/python3 -m http.server 8000\n"
                   "directory=/tmp\numask=027\npriority=10\nautostart=false\nautorestart=true\n"
                   "startsecs=5\nstartretries=7\nuser=root\nstdout_logfile=%(here)s/web.out\n"
                   "stderr_logfile=%(here)s/web.err\nredirect_stderr=false\nstopsignal=INT\n"
                   "stopwaitsecs=30\nstopasgroup=true\nkillasgroup=true\nexitcodes=0,2\n"
                   'environment=A="1",B=two,C="x, y"\n'),
         verdict=ACCEPT),
    Case(id="every-option-other-values",
         text=conf("[program:web]\ncommand=/bin/cat\numask=0o22\nautorestart=false\n"
                   "startsecs=0\nstdout_logfile=NONE\nredirect_stderr=true\n"
                   "stderr_logfile=%(here)s/ignored.err\nstopsignal=9\nexitcodes=\n"
                   "killasgroup=true\nuser=0\n"),
         verdict=ACCEPT),
    Case(id="logfiles-auto-and-off",
         text=conf("[program:x]\ncommand=/bin/cat\nstdout_logfile=auto\nstderr_logfile=off\n"),
         verdict=ACCEPT),
    Case(id="booleans-and-words-any-case",
         text=conf("[program:x]\ncommand=/bin/cat\nautostart=Off\nautorestart=UNEXPECTED\n"
                   "stopasgroup=yes\nstopsignal=hup\n"),
         verdict=ACCEPT),
    Case(id="stopsignal-sig-prefix",
         text=conf("[program:x]\ncommand=/bin/cat\nstopsignal=SIGQUIT\n"), verdict=ACCEPT),
    Case(id="key-case-folded",
         text=conf("[program:x]\nCOMMAND=/bin/cat\nAutoStart=false\n"), verdict=ACCEPT),
    Case(id="section-name-padded",
         text=conf("[program: padded ]\ncommand=/bin/cat\n"), verdict=ACCEPT),
    Case(id="numprocs-zero",
         text=conf("[program:x]\ncommand=/bin/cat\nnumprocs=0\n"), verdict=ACCEPT),
    # ------------------------------------------------------------- INI syntax
    Case(id="colon-separator",
         text=conf("[program:x]\ncommand: /bin/echo a=b\nautostart : false\n"), verdict=ACCEPT),
    Case(id="continuation-lines",
         text=conf('[program:x]\ncommand=/bin/sh -c\n    "echo a\n    echo b"\n'),
         verdict=ACCEPT),
    Case(id="continuation-with-blank-line",
         text=conf('[program:x]\ncommand=/bin/sh -c\n  "echo a\n\n  echo b"\n'), verdict=ACCEPT),
    Case(id="inline-comment-after-space",
         text=conf("[program:x]\ncommand=/bin/echo a ; a comment\nautostart=false # another\n"),
         verdict=ACCEPT),
    Case(id="semicolon-in-quotes-after-space",
         text=conf("[program:x]\ncommand=bash -c 'a ; b'\n"), verdict=ACCEPT, unsplittable=True),
    Case(id="semicolon-and-hash-without-space",
         text=conf("[program:x]\ncommand=/bin/echo a;b c#d\n"), verdict=ACCEPT),
    # configparser looks for the n-th ';' and the n-th '#' together and stops at the first
    # round that finds a comment, so here the '#' wins over the earlier ' ;'.
    Case(id="comment-search-rounds",
         text=conf("[program:x]\ncommand=/bin/echo a;b ;c #d\n"), verdict=ACCEPT),
    # Python's file reading splits lines at \n and \r only; str.splitlines() also at U+2028.
    Case(id="line-separator-inside-value",
         text=conf("[program:x]\ncommand=/bin/echo a\u2028b\n"), verdict=ACCEPT),
    Case(id="duplicate-key-last-wins",
         text=conf("[program:x]\ncommand=/bin/false\ncommand=/bin/cat\n"), verdict=ACCEPT),
    Case(id="duplicate-section-merged",
         text=conf("[program:x]\ncommand=/bin/cat\n[program:y]\ncommand=/bin/cat\n"
                   "[program:x]\nautostart=false\n"),
         verdict=ACCEPT),
    Case(id="default-section",
         text=conf(CAT, supervisord="[DEFAULT]\nstartsecs=0\nautostart=false\n"),
         verdict=ACCEPT),
    # ------------------------------------------------------------- %(name)s expansion
    Case(id="expand-here",
         text=conf("[program:x]\ncommand=%(here)s/run.sh\ndirectory=%(here)s\n"
                   "stdout_logfile=%(here)s/x.log\n"),
         verdict=ACCEPT),
    Case(id="expand-program-name",
         text=conf("[program:x]\ncommand=/bin/echo %(program_name)s\n"), verdict=ACCEPT),
    Case(id="expand-group-name",
         text=conf("[group:g]\nprograms=a,b\n[program:a]\ncommand=/bin/echo %(group_name)s\n"
                   "[program:b]\ncommand=/bin/echo %(group_name)s %(program_name)s\n"),
         verdict=ACCEPT),
    Case(id="expand-percent-escape",
         text=conf("[program:x]\ncommand=/bin/echo 100%%\n"), verdict=ACCEPT),
    Case(id="expand-env-from-program-environment",
         text=conf("[program:x]\nenvironment=GREETING=hi\ncommand=/bin/echo %(ENV_GREETING)s\n"
                   "directory=/tmp/%(ENV_GREETING)s\n"),
         verdict=ACCEPT),
    Case(id="expand-env-from-supervisord-environment",
         text=conf("[program:x]\ncommand=/bin/echo %(ENV_GREETING)s\n",
                   supervisord="environment=GREETING=hi\n"),
         verdict=ACCEPT),
    Case(id="expand-env-from-command-line",
         text=conf("[program:x]\ncommand=/bin/echo %(ENV_GREETING)s\n"),
         verdict=ACCEPT, env=(("GREETING", "hi"),)),
    Case(id="supervisord-environment-overrides-command-line",
         text=conf("[program:x]\ncommand=/bin/echo %(ENV_GREETING)s\n",
                   supervisord="environment=GREETING=hi\n"),
         verdict=ACCEPT, env=(("GREETING", "bye"),)),
    Case(id="numprocs-with-process-num",
         text=conf("[program:web]\ncommand=/bin/echo %(process_num)d\nnumprocs=3\n"
                   "process_name=%(program_name)s_%(process_num)02d\nnumprocs_start=1\n"),
         verdict=ACCEPT),
    Case(id="logfile-tilde",
         text=conf("[program:x]\ncommand=/bin/cat\nstdout_logfile=~/x.log\n"), verdict=ACCEPT,
         decided="~ is the home of whoever runs supervisord on the target host, not of "
                 "svconv's user; svconv keeps it"),
    # supervisor turns the deprecated magic name into stdout_syslog=true and no file.
    Case(id="logfile-syslog",
         text=conf("[program:x]\ncommand=/bin/cat\nstdout_logfile=syslog\n"), verdict=ACCEPT),
    # ------------------------------------------------------------- includes, listeners
    Case(id="include-relative-glob",
         text=conf(CAT + "[include]\nfiles=conf.d/*.conf\n"),
         files=(("conf.d/b.conf", "[program:b]\ncommand=/bin/cat\n"),
                ("conf.d/a.conf", "[program:a]\ncommand=%(here)s/a.sh\n"
                                  "stdout_logfile=%(here)s/a.log\n"),
                ("conf.d/skipped.ini", "[program:no]\ncommand=/bin/cat\n")),
         verdict=ACCEPT),
    Case(id="include-matches-nothing",
         text=conf(CAT + "[include]\nfiles=nothing/*.conf\n"), verdict=ACCEPT),
    Case(id="eventlistener",
         text=conf("[eventlistener:watch]\ncommand=/bin/cat\nevents=PROCESS_STATE\n"),
         verdict=ACCEPT),
    Case(id="unbalanced-quote-in-command",
         text=conf('[program:x]\ncommand=/bin/echo "abc\n'), verdict=ACCEPT, unsplittable=True),
    Case(id="stopsignal-zero",
         text=conf("[program:x]\ncommand=/bin/cat\nstopsignal=0\n"), verdict=ACCEPT),
    # ------------------------------------------------------------- rejects
    Case(id="reject-lone-percent",
         text=conf("[program:x]\ncommand=/bin/echo 100%\n"), verdict=REJECT,
         supervisor_says="is badly formatted"),
    Case(id="reject-unknown-name",
         text=conf("[program:x]\ncommand=/bin/echo %(nope)s\n"), verdict=REJECT,
         supervisor_says="which cannot be expanded"),
    Case(id="reject-undefined-env",
         text=conf("[program:x]\ncommand=/bin/echo %(ENV_NOPE)s\n"), verdict=REJECT,
         supervisor_says="contains names ('ENV_NOPE')",
         decided="an ENV_ name set nowhere in the input stays a reference (${NOPE}) for the "
                 "target's environment, with an SV105 warning"),
    Case(id="reject-autorestart-perhaps",
         text=conf("[program:x]\ncommand=/bin/cat\nautorestart=perhaps\n"), verdict=REJECT,
         supervisor_says="invalid 'autorestart' value 'perhaps'"),
    Case(id="reject-autostart-maybe",
         text=conf("[program:x]\ncommand=/bin/cat\nautostart=maybe\n"), verdict=REJECT,
         supervisor_says="not a valid boolean value"),
    Case(id="reject-startsecs-word",
         text=conf("[program:x]\ncommand=/bin/cat\nstartsecs=ten\n"), verdict=REJECT,
         supervisor_says="invalid literal for int()"),
    Case(id="reject-umask-not-octal",
         text=conf("[program:x]\ncommand=/bin/cat\numask=089\n"), verdict=REJECT,
         supervisor_says="can not be converted to an octal type"),
    Case(id="reject-no-command",
         text=conf("[program:x]\nautostart=true\n"), verdict=REJECT,
         supervisor_says="does not specify a command"),
    Case(id="reject-environment-missing-value",
         text=conf("[program:x]\ncommand=/bin/cat\nenvironment=A=1,B\n"), verdict=REJECT,
         supervisor_says="Unexpected end of key/value pairs"),
    Case(id="reject-program-name-with-space",
         text=conf("[program:a b]\ncommand=/bin/cat\n"), verdict=REJECT,
         supervisor_says="Invalid name: 'a b'"),
    Case(id="reject-group-names-unknown-program",
         text=conf(CAT + "[group:g]\nprograms=cat,nosuch\n"), verdict=REJECT,
         supervisor_says="names unknown program or fcgi-program nosuch"),
    Case(id="reject-include-without-files",
         text=conf(CAT + "[include]\n"), verdict=REJECT,
         supervisor_says="[include] section, but no files setting"),
    Case(id="reject-stopasgroup-without-killasgroup",
         text=conf("[program:x]\ncommand=/bin/cat\nstopasgroup=true\nkillasgroup=false\n"),
         verdict=REJECT, supervisor_says="Cannot set stopasgroup=true and killasgroup=false"),
    Case(id="reject-exitcode-256",
         text=conf("[program:x]\ncommand=/bin/cat\nexitcodes=0,256\n"), verdict=REJECT,
         supervisor_says="not a valid list of exit codes"),
    Case(id="reject-exitcodes-trailing-comma",
         text=conf("[program:x]\ncommand=/bin/cat\nexitcodes=0,\n"), verdict=REJECT,
         supervisor_says="not a valid list of exit codes"),
    Case(id="reject-stopsignal-unknown",
         text=conf("[program:x]\ncommand=/bin/cat\nstopsignal=NOPE\n"), verdict=REJECT,
         supervisor_says="value 'NOPE' is not a valid signal name"),
    Case(id="reject-numprocs-without-process-num",
         text=conf("[program:x]\ncommand=/bin/cat\nnumprocs=2\n"), verdict=REJECT,
         supervisor_says="%(process_num) must be present within process_name"),
    Case(id="reject-key-without-value",
         text=conf("[program:x]\ncommand=/bin/cat\nautostart\n"), verdict=REJECT,
         supervisor_says="contains parsing errors"),
    Case(id="reject-key-before-section",
         text="command=/bin/cat\n" + conf(CAT), verdict=REJECT,
         supervisor_says="File contains no section headers"),
    Case(id="reject-eventlistener-without-events",
         text=conf("[eventlistener:watch]\ncommand=/bin/cat\n"), verdict=REJECT,
         supervisor_says='section requires an "events" line'),
    # Options read before supervisor's per-process loop see neither %(process_num)d nor
    # the ENV_ names of the program's own environment=.
    Case(id="reject-process-num-in-priority",
         text=conf("[program:x]\ncommand=/bin/cat\npriority=%(process_num)d\n"),
         verdict=REJECT, supervisor_says="contains names ('process_num')"),
    Case(id="reject-program-env-in-user",
         text=conf("[program:x]\ncommand=/bin/cat\nenvironment=WHO=root\nuser=%(ENV_WHO)s\n"),
         verdict=REJECT, supervisor_says="contains names ('ENV_WHO')"),
    # supervisor expands stdout_logfile= and [supervisord] environment= twice.
    Case(id="reject-logfile-expanded-twice",
         text=conf("[program:x]\ncommand=/bin/cat\nstdout_logfile=%(here)s/50%%.log\n"),
         verdict=REJECT, supervisor_says="is badly formatted"),
    Case(id="reject-supervisord-environment-expanded-twice",
         text=conf(CAT, supervisord='environment=RATIO="50%%"\n'), verdict=REJECT,
         supervisor_says="is badly formatted"),
    # With an [include] section, %(here)s is replaced as plain text first, even in %%(here)s.
    Case(id="reject-escaped-here-beside-include",
         text=conf("[program:x]\ncommand=/bin/echo %%(here)s\n[include]\nfiles=none/*.conf\n"),
         verdict=REJECT, supervisor_says="is badly formatted"),
    Case(id="reject-process-name-with-colon",
         text=conf("[program:x]\ncommand=/bin/cat\nprocess_name=a:b\n"), verdict=REJECT,
         supervisor_says="Invalid name: 'a:b'"),
    Case(id="reject-eventlistener-redirect-stderr",
         text=conf("[eventlistener:watch]\ncommand=/bin/cat\nevents=TICK_5\n"
                   "redirect_stderr=true\n"),
         verdict=REJECT, supervisor_says="sets redirect_stderr=true but this is not allowed"),
    Case(id="reject-eventlistener-unknown-event",
         text=conf("[eventlistener:watch]\ncommand=/bin/cat\nevents=NOPE\n"), verdict=REJECT,
         supervisor_says="Unknown event type NOPE"),
    Case(id="reject-logfile-maxbytes-word",
         text=conf("[program:x]\ncommand=/bin/cat\nstdout_logfile_maxbytes=big\n"),
         verdict=REJECT, supervisor_says="invalid literal for int()"),
    Case(id="reject-supervisord-loglevel-word",
         text=conf(CAT, supervisord="loglevel=loud\n"), verdict=REJECT,
         supervisor_says="bad logging level name 'loud'"),
    Case(id="reject-group-priority-word",
         text=conf(CAT + "[group:g]\nprograms=cat\npriority=high\n"), verdict=REJECT,
         supervisor_says="invalid literal for int()"),
]  # fmt: skip


# ---------------------------------------------------------------- the two parsers


@dataclass(frozen=True)
class Supervisor:
    label: str
    interpreter: str


SUPERVISORS = [
    pytest.param(Supervisor("pypi", sys.executable), id="pypi"),
    pytest.param(Supervisor("debian", "/usr/bin/python3"), id="debian"),
]


@functools.cache
def has_supervisor(interpreter: str) -> bool:
    if not Path(interpreter).is_file():
        return False
    completed = subprocess.run(
        [interpreter, "-I", "-c", "import supervisor.options"],
        capture_output=True,
        timeout=DUMP_TIMEOUT_SECONDS,
        check=False,
    )
    return completed.returncode == 0


def require(supervisor: Supervisor) -> None:
    """Skip (locally) or fail (in CI) when this interpreter lacks supervisor."""
    if not has_supervisor(supervisor.interpreter):
        message = f"{supervisor.interpreter} has no supervisor ({supervisor.label})"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: the test command must install it")
        pytest.skip(message)


def run_supervisor(
    supervisor: Supervisor, config: Path, environ: Mapping[str, str]
) -> dict[str, Any]:
    """What supervisor makes of ``config`` with ``environ`` as supervisord's environment."""
    require(supervisor)
    command = [supervisor.interpreter, "-I", str(DUMPER), str(config)]
    command += [f"--env={name}={value}" for name, value in environ.items()]
    completed = subprocess.run(
        command,
        env={"PATH": os.defpath, "LC_ALL": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=DUMP_TIMEOUT_SECONDS,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def run_svconv(config: Path, environ: Mapping[str, str]) -> Host | ParseError:
    """svconv's reading of ``config``: the host, or the ParseError it raises."""
    source = Source(path=str(config), text=config.read_text(encoding="utf-8"))
    options = ParseOptions(environ=dict(environ), host_node_name=platform.node())
    try:
        return parse(source, load_include=io.resolve_include, options=options).host
    except ParseError as error:
        return error


def write_case(case: Case, directory: Path) -> Path:
    """Write the case's files under ``directory``; return the main file's absolute path."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in case.files:
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text, encoding="utf-8")
    main = directory / "supervisord.conf"
    main.write_text(case.text, encoding="utf-8")
    return main.resolve()


@dataclass
class Oracle:
    """Runs each case once per supervisor, in one directory per case for the session."""

    root: Path
    runs: dict[tuple[str, str], dict[str, Any]]

    def config(self, case: Case) -> Path:
        return write_case(case, self.root / case.id)

    def supervisor(self, supervisor: Supervisor, case: Case) -> dict[str, Any]:
        key = (supervisor.label, case.id)
        if key not in self.runs:
            self.runs[key] = run_supervisor(supervisor, self.config(case), dict(case.env))
        return self.runs[key]


@pytest.fixture(scope="session")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Oracle:
    return Oracle(root=tmp_path_factory.mktemp("supervisor-oracle"), runs={})


# ---------------------------------------------------------------- field comparison

_RESTART = {
    "true": RestartWhen.ALWAYS,
    "false": RestartWhen.NEVER,
    "unexpected": RestartWhen.ON_FAILURE,
}


def expected_output(logfile: str | None, syslog: bool = False) -> Output:
    if logfile is None:
        return Output(kind="syslog" if syslog else "null")
    if logfile == "AUTO":
        return Output(kind="managed")
    return Output(kind="file", path=logfile)


def uid_of(user: str | None) -> int | None:
    if user is None:
        return None
    return int(user) if user.isdigit() else pwd.getpwnam(user).pw_uid


def process_pairs(
    process: dict[str, Any], service: Service, priority: int
) -> list[tuple[str, Any, Any]]:
    """(field, supervisor's value, svconv's value) for one process and its service.

    ``priority`` is what orders the service's start: its own group's priority when it has
    a group to itself (an [eventlistener:]'s is -1, its processes' 999), else its own.
    """
    start = service.start
    pairs = [
        ("directory", process["directory"], service.working_directory),
        ("umask", process["umask"], None if service.umask is None else int(service.umask, 8)),
        ("priority", priority, service.start_order),
        ("autostart", process["autostart"], service.enabled_at_boot),
        ("autorestart", _RESTART[process["autorestart"]], service.restart.when),
        ("startsecs", process["startsecs"], service.min_uptime),
        ("startretries", process["startretries"], start_retries(service)),
        ("uid", process["uid"], uid_of(service.user)),
        (
            "stdout_logfile",
            expected_output(process["stdout_logfile"], process["stdout_syslog"]),
            service.stdout,
        ),
        ("redirect_stderr", process["redirect_stderr"], _kind(service.stderr) == "inherit"),
        ("stopsignal", process["stopsignal"], service.stop_signal),
        ("stopwaitsecs", process["stopwaitsecs"], service.stop_timeout),
        ("stopasgroup", process["stopasgroup"], service.stops_process_group),
        ("killasgroup", process["killasgroup"], service.kills_process_group),
        ("exitcodes", process["exitcodes"], list(service.success_exit_codes)),
        ("environment", process["environment"], dict(service.environment)),
    ]
    if not process["redirect_stderr"]:
        pairs.append(
            (
                "stderr_logfile",
                expected_output(process["stderr_logfile"], process["stderr_syslog"]),
                service.stderr,
            )
        )
    if start is None or not start.expands_variables:
        pairs.append(("argv", process["argv"], None if start is None else list(start.argv)))
    if not any(extra.key == "process_name" for extra in service.extras):
        pairs.append(("name", process["name"], service.name))
    return pairs


def start_retries(service: Service) -> int | None:
    """startretries as the model holds it: starts that fail in a row, the first one aside."""
    limit = service.start_limit
    if limit is None or limit.interval is not None:
        return None
    return limit.burst - 1


def _kind(output: Output | None) -> str | None:
    return None if output is None else output.kind


def group_members(group: dict[str, Any], host: Host) -> list[Service]:
    """svconv's services behind one supervisor group: a [group:g]'s, or the program's own."""
    listed = [service for service in host.services if group["name"] in service.groups]
    if listed:
        return listed
    return [s for s in host.services if s.name == group["name"] and not s.groups]


def disagreements(groups: list[dict[str, Any]], host: Host) -> list[str]:
    """Every difference between supervisor's process groups and svconv's services."""
    problems: list[str] = []
    seen: list[Service] = []
    for group in groups:
        members = group_members(group, host)
        seen += members
        problems += group_disagreements(group, members)
    unseen = [s.name for s in host.services if not any(s is other for other in seen)]
    if unseen:
        problems.append(f"svconv has services supervisor does not run: {unseen}")
    return problems


def group_disagreements(group: dict[str, Any], members: list[Service]) -> list[str]:
    processes = group["processes"]
    if not members:
        return [f"group {group['name']}: svconv has no service for it"]
    problems = []
    instances = sum(service.instances for service in members)
    if instances != len(processes):
        problems.append(
            f"group {group['name']}: supervisor runs {len(processes)} processes, svconv {instances}"
        )
    if len(members) == 1 and not members[0].groups:
        matched = [(processes[0], members[0], group["priority"])] if processes else []
    else:
        by_name = {service.name: service for service in members}
        matched = [
            (p, by_name[p["name"]], p["priority"]) for p in processes if p["name"] in by_name
        ]
        unmatched = [p["name"] for p in processes if p["name"] not in by_name]
        if unmatched:
            problems.append(f"group {group['name']}: no svconv service for {unmatched}")
    for process, service, priority in matched:
        for name, theirs, ours in process_pairs(process, service, priority):
            if theirs != ours:
                problems.append(f"{service.name}.{name}: supervisor {theirs!r}, svconv {ours!r}")
    return problems


# ---------------------------------------------------------------- the table


def command_line(text: str) -> int:
    """The line number of the last ``command`` key (the one that wins)."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("command")]
    return lines[-1]


@pytest.mark.parametrize("supervisor", SUPERVISORS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_table_matches_supervisor(case: Case, supervisor: Supervisor, oracle: Oracle) -> None:
    """Guards the table: supervisor gives each case the verdict written down."""
    result = oracle.supervisor(supervisor, case)
    assert (ACCEPT if result["ok"] else REJECT) == case.verdict, result
    if case.verdict == REJECT:
        assert case.supervisor_says is not None
        assert case.supervisor_says in result["error"], result["error"]
    else:
        processes = [p for group in result["groups"] for p in group["processes"]]
        unsplittable = any(process["argv"] is None for process in processes)
        assert unsplittable == case.unsplittable, processes


@pytest.mark.parametrize("supervisor", SUPERVISORS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_svconv_agrees_with_supervisor(case: Case, supervisor: Supervisor, oracle: Oracle) -> None:
    """svconv accepts what supervisor accepts, with the same values, and rejects the rest."""
    expected = oracle.supervisor(supervisor, case)
    config = oracle.config(case)
    outcome = run_svconv(config, dict(case.env))
    if case.decided:
        assert not isinstance(outcome, ParseError), f"svconv rejects it: {outcome}"
    elif case.unsplittable:
        assert isinstance(outcome, ParseError), "svconv holds argv supervisor cannot split"
        assert outcome.span is not None
        assert outcome.span.line == command_line(case.text), str(outcome)
    elif expected["ok"]:
        assert not isinstance(outcome, ParseError), f"svconv rejects it: {outcome}"
        assert disagreements(expected["groups"], outcome) == []
    else:
        assert isinstance(outcome, ParseError), (
            f"svconv accepts what supervisor rejects: {expected['error']}"
        )
        assert outcome.span is not None
        assert outcome.span.line >= 1


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- the corpus

_SUPERVISORD_SECTION = re.compile(r"^\s*\[supervisord\]", re.MULTILINE)
_ENV_USE = re.compile(r"^\s*(?P<key>[\w.]+)\s*[=:](?P<value>.*)$", re.MULTILINE)
_ENV_NAME = re.compile(r"%\(ENV_(\w+)\)s")
_BOOLEAN_KEYS = ("autostart", "autorestart", "nodaemon", "stopasgroup", "killasgroup")
# supervisor's reasons that depend on this machine, not on the file's syntax.
_HOST_REASONS = re.compile(
    r"Invalid user name|Invalid user id|Invalid group|does not exist|"
    r"is not an existing directory|cannot be resolved within|could not find config file"
)


def corpus_files() -> list[Path]:
    """The supervisord files of the corpus: GitHub files and Debian's supervisord.conf."""
    if not CORPUS.is_dir():
        return []
    github = [path for path in (CORPUS / "github" / "supervisord").glob("*") if path.is_file()]
    debian = CORPUS / "debian" / "supervisor" / "etc" / "supervisor" / "supervisord.conf"
    return sorted(github) + ([debian] if debian.is_file() else [])


def corpus_params() -> list[Any]:
    files = corpus_files()
    if not files:
        reason = f"no corpus at {CORPUS}"
        return [pytest.param(None, id="corpus-absent", marks=pytest.mark.skip(reason=reason))]
    return [pytest.param(path, id=str(path.relative_to(CORPUS))) for path in files]


def dummy_environ(text: str, directory: Path) -> dict[str, str]:
    """A value for each %(ENV_X)s the file uses, of the kind its key wants."""
    environ = dict.fromkeys(_ENV_NAME.findall(text), "x")
    for use in _ENV_USE.finditer(text):
        key = use["key"].lower()
        value = "x"
        if key in _BOOLEAN_KEYS:
            value = "true"
        elif key == "loglevel":
            value = "info"
        elif key.endswith("dir") or key == "directory":
            value = str(directory)
        elif key.endswith("file"):
            value = str(directory / "dummy.log")
        environ |= dict.fromkeys(_ENV_NAME.findall(use["value"]), value)
    return environ


def stage_corpus_file(path: Path, directory: Path) -> Path:
    """Copy ``path`` under ``directory``; wrap a fragment in a main file that includes it."""
    text = path.read_text(encoding="utf-8")
    if _SUPERVISORD_SECTION.search(text):
        return Path(shutil.copyfile(path, directory / path.name)).resolve()
    (directory / "fragment").mkdir()
    copy = Path(shutil.copyfile(path, directory / "fragment" / path.name)).resolve()
    main = directory / "supervisord.conf"
    main.write_text(f"[supervisord]\n[include]\nfiles={copy}\n", encoding="utf-8")
    return main.resolve()


@pytest.mark.parametrize("supervisor", SUPERVISORS)
@pytest.mark.parametrize("path", corpus_params())
def test_corpus_file(path: Path, supervisor: Supervisor, tmp_path: Path) -> None:
    """svconv gives each corpus file supervisor's verdict, and on accept its values.

    A fragment is read through a main file that includes it. Where supervisor refuses a
    file only for this host (a user or log directory missing here), svconv must accept it.
    """
    environ = dummy_environ(path.read_text(encoding="utf-8"), tmp_path)
    config = stage_corpus_file(path, tmp_path)
    expected = run_supervisor(supervisor, config, environ)
    outcome = run_svconv(config, environ)
    if not expected["ok"] and _HOST_REASONS.search(expected["error"]):
        # svconv leaves checks against the host (users, directories) to lint.
        assert not isinstance(outcome, ParseError), f"svconv rejects it: {outcome}"
    elif expected["ok"]:
        assert not isinstance(outcome, ParseError), f"svconv rejects it: {outcome}"
        assert disagreements(expected["groups"], outcome) == []
    else:
        assert isinstance(outcome, ParseError), (
            f"svconv accepts what supervisor rejects: {expected['error']}"
        )
