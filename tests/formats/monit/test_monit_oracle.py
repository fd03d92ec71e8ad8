"""Differential test: svconv's monit parser against the real ``monit -t``.

Each row of ``CASES`` is a small control file and the verdict monit 5.33 gives it. The
table is checked against the real monit (so a wrong row fails loudly) and svconv must give
the same verdict. Cases avoid host-dependent errors (undefined ``depends on`` targets,
missing ``check program`` paths, unknown users and groups), so a disagreement is a grammar
difference. ``@DIR@`` in a snippet stands for a scratch directory.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from translator.errors import ParseError
from translator.formats.monit.parse import parse
from translator.model import Source

ACCEPT = "accept"
REJECT = "reject"
PLACEHOLDER = "@DIR@"
SVCONV_DIR = "/var/tmp/svconv-oracle"
MONIT_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    verdict: str
    # For rejects: what monit prints (the control file is shown as "monitrc").
    monit_says: str | None = None


PROCESS = "check process a with pidfile /run/a.pid\n"
FILE = "check file f with path /etc/hostname\n"
SYSTEM = "check system box\n"
FILESYSTEM = "check filesystem root with path /\n"
HOST = "check host web with address 127.0.0.1\n"
PROGRAM = 'check program p with path "/bin/true"\n'
STATUS = "  if status != 0 then alert\n"

CASES = [
    # ------------------------------------------------------------- global settings
    Case(id="set-daemon", text="set daemon 30\n", verdict=ACCEPT),
    Case(id="set-daemon-start-delay", text="set daemon 120 with start delay 240\n",
         verdict=ACCEPT),
    Case(id="set-logfile", text="set logfile @DIR@/monit.log\n", verdict=ACCEPT),
    Case(id="set-logfile-syslog", text="set logfile syslog facility log_daemon\n",
         verdict=ACCEPT),
    Case(id="set-log-syslog", text="set log syslog\n", verdict=ACCEPT),
    Case(id="set-id-state-pid-files",
         text="set idfile @DIR@/id\nset statefile @DIR@/state\nset pidfile @DIR@/monit.pid\n",
         verdict=ACCEPT),
    Case(id="set-eventqueue", text="set eventqueue basedir @DIR@/events slots 100\n",
         verdict=ACCEPT),
    Case(id="set-mailserver",
         text='set mailserver smtp.example.com port 587 username "u" password "p"\n'
              "    using tlsv12 with timeout 15 seconds\n",
         verdict=ACCEPT),
    Case(id="set-mail-format-multiline",
         text="set mail-format {\n  from: monit@example.com\n  subject: $SERVICE $EVENT\n"
              "  message: $DESCRIPTION\n}\n",
         verdict=ACCEPT),
    Case(id="set-alert", text="set alert ops@example.com\n", verdict=ACCEPT),
    Case(id="set-alert-not-on", text="set alert ops@example.com not on { instance, action }\n",
         verdict=ACCEPT),
    Case(id="set-httpd",
         text='set httpd port 2812 and\n    use address localhost\n    allow localhost\n'
              '    allow admin:"pw"\n',
         verdict=ACCEPT),
    Case(id="include-nonexistent", text="include /nonexistent/*\n", verdict=ACCEPT),
    Case(id="comments", text="# a comment\nset daemon 30  # trailing comment\n\n#\n",
         verdict=ACCEPT),
    Case(id="upper-case-keywords",
         text="SET DAEMON 30\nCHECK PROCESS a WITH PIDFILE /run/a.pid\n"
              '  START PROGRAM = "/bin/true"\n  IF 5 RESTARTS WITHIN 5 CYCLES THEN TIMEOUT\n',
         verdict=ACCEPT),
    # ------------------------------------------------------------- check kinds
    Case(id="check-process-pidfile", text=PROCESS, verdict=ACCEPT),
    Case(id="check-process-matching", text='check process a matching "a.*d"\n', verdict=ACCEPT),
    Case(id="check-file", text=FILE, verdict=ACCEPT),
    Case(id="check-directory", text="check directory d with path /tmp\n", verdict=ACCEPT),
    Case(id="check-fifo", text="check fifo q with path /tmp/q.fifo\n", verdict=ACCEPT),
    Case(id="check-filesystem", text=FILESYSTEM, verdict=ACCEPT),
    Case(id="check-device", text="check device rootdev with path /\n", verdict=ACCEPT),
    Case(id="check-host", text=HOST + "  if failed port 80 then alert\n", verdict=ACCEPT),
    Case(id="check-system", text=SYSTEM, verdict=ACCEPT),
    Case(id="check-program", text=PROGRAM + STATUS, verdict=ACCEPT),
    Case(id="check-program-timeout",
         text='check program p with path "/bin/true" with timeout 10 seconds\n' + STATUS,
         verdict=ACCEPT),
    Case(id="check-network", text="check network lo with interface lo\n", verdict=ACCEPT),
    # ------------------------------------------------------------- programs
    Case(id="programs-with-equals",
         text=PROCESS + '  start program = "/bin/true"\n  stop program = "/bin/true"\n'
              '  restart program = "/bin/true"\n',
         verdict=ACCEPT),
    Case(id="programs-without-equals",
         text=PROCESS + '  start program "/bin/true"\n  stop program "/bin/true"\n',
         verdict=ACCEPT),
    Case(id="program-as-uid-gid",
         text=PROCESS + '  start program = "/bin/true" as uid root and gid root\n'
              '  stop program = "/bin/true" as uid nobody and gid nogroup\n',
         verdict=ACCEPT),
    Case(id="program-timeout",
         text=PROCESS + '  start program = "/bin/true" with timeout 60 seconds\n',
         verdict=ACCEPT),
    # ------------------------------------------------------------- tests
    Case(id="if-not-exist", text=PROCESS + "  if not exist then restart\n", verdict=ACCEPT),
    Case(id="if-exist", text=PROCESS + "  if exist then alert\n", verdict=ACCEPT),
    Case(id="port-simple", text=PROCESS + "  if failed port 80 then restart\n", verdict=ACCEPT),
    Case(id="port-full",
         text=PROCESS + "  if failed host 127.0.0.1 port 8080 type tcp protocol http\n"
              '     request "/health" status = 200 with timeout 5 seconds for 3 cycles\n'
              "     then restart\n",
         verdict=ACCEPT),
    Case(id="port-udp", text=PROCESS + "  if failed port 53 type udp then alert\n",
         verdict=ACCEPT),
    Case(id="port-times-within",
         text=PROCESS + "  if failed port 80 3 times within 5 cycles then restart\n",
         verdict=ACCEPT),
    Case(id="port-else-if-succeeded",
         text=PROCESS + "  if failed port 80 then restart else if succeeded then alert\n",
         verdict=ACCEPT),
    Case(id="unixsocket-mysql",
         text=PROCESS + "  if failed unixsocket /run/mysqld/mysqld.sock protocol mysql\n"
              "     then restart\n",
         verdict=ACCEPT),
    Case(id="icmp-echo-count", text=HOST + "  if failed icmp type echo count 3 then alert\n",
         verdict=ACCEPT),
    Case(id="ping", text=HOST + "  if failed ping then alert\n", verdict=ACCEPT),
    Case(id="process-resources",
         text=PROCESS + "  if cpu > 50% then alert\n  if memory usage > 85% then alert\n"
              "  if totalmem > 256.0 MB then restart\n  if children > 255 then alert\n",
         verdict=ACCEPT),
    Case(id="system-resources",
         text=SYSTEM + "  if cpu usage (user) > 75% then alert\n"
              "  if loadavg (1min) > 5 then alert\n  if swap usage > 25% then alert\n",
         verdict=ACCEPT),
    Case(id="filesystem-usage",
         text=FILESYSTEM + "  if space usage > 90% then alert\n"
              "  if inode usage > 80% then alert\n",
         verdict=ACCEPT),
    Case(id="file-attributes",
         text=FILE + "  if failed permission 755 then alert\n  if failed uid root then alert\n"
              "  if failed gid root then alert\n",
         verdict=ACCEPT),
    Case(id="failed-checksum", text=FILE + "  if failed checksum then alert\n", verdict=ACCEPT),
    Case(id="changed-checksum", text=FILE + "  if changed checksum then alert\n",
         verdict=ACCEPT),
    Case(id="changed-pid", text=PROCESS + "  if changed pid then alert\n", verdict=ACCEPT),
    Case(id="timestamp", text=FILE + "  if timestamp > 65 minutes then alert\n",
         verdict=ACCEPT),
    Case(id="content-match", text=FILE + '  if match "ERROR" then alert\n', verdict=ACCEPT),
    Case(id="program-status", text=PROGRAM + "  if status != 1 for 2 cycles then restart\n",
         verdict=ACCEPT),
    Case(id="restarts-within",
         text="check process a with pidfile /run/a.pid\n"
              "  if 5 restarts within 5 cycles then timeout\n"
              "check process b with pidfile /run/b.pid\n"
              "  if 3 restarts within 10 cycles then unmonitor\n"
              "check process c with pidfile /run/c.pid\n"
              "  if 2 restarts within 3 cycles then alert\n",
         verdict=ACCEPT),
    Case(id="restarts-with-cycles", text=PROCESS + "  if 5 restarts with 5 cycles then timeout\n",
         verdict=ACCEPT),
    # ------------------------------------------------------------- service options
    Case(id="depends-on-list",
         text="check process a with pidfile /run/a.pid\ncheck process b with pidfile /run/b.pid\n"
              "check process c with pidfile /run/c.pid\n  depends on a, b\n",
         verdict=ACCEPT),
    Case(id="depend-without-on",
         text="check process a with pidfile /run/a.pid\ncheck process b with pidfile /run/b.pid\n"
              "  depend a\n",
         verdict=ACCEPT),
    Case(id="group-twice", text=PROCESS + "  group www\n  group web\n", verdict=ACCEPT),
    Case(id="every-cycles", text=PROCESS + "  every 2 cycles\n", verdict=ACCEPT),
    Case(id="every-cron-list", text=PROCESS + '  every "0,30 * * * *"\n', verdict=ACCEPT),
    Case(id="mode",
         text="check process a with pidfile /run/a.pid\n  mode active\n"
              "check process b with pidfile /run/b.pid\n  mode passive\n"
              "check process c with pidfile /run/c.pid\n  mode manual\n",
         verdict=ACCEPT),
    Case(id="onreboot",
         text="check process a with pidfile /run/a.pid\n  onreboot start\n"
              "check process b with pidfile /run/b.pid\n  onreboot nostart\n"
              "check process c with pidfile /run/c.pid\n  onreboot laststate\n",
         verdict=ACCEPT),
    Case(id="service-alert", text=PROCESS + "  alert ops@example.com\n", verdict=ACCEPT),
    # ------------------------------------------------------------- more of monit's grammar
    Case(id="url-test", text=HOST + "  if failed url http://127.0.0.1/health then alert\n",
         verdict=ACCEPT),
    Case(id="total-cpu", text=PROCESS + "  if total cpu > 50% then alert\n", verdict=ACCEPT),
    Case(id="total-memory", text=PROCESS + "  if total memory > 100 MB then alert\n",
         verdict=ACCEPT),
    Case(id="loadavg-per-core", text=SYSTEM + "  if loadavg (5min) per core > 2 then alert\n",
         verdict=ACCEPT),
    Case(id="timestamp-older-than",
         text=FILE + "  if timestamp is older than 5 minutes then alert\n", verdict=ACCEPT),
    Case(id="program-timeout-unit-s",
         text=PROCESS + '  start program = "/bin/true" with timeout 10 s\n', verdict=ACCEPT),
    Case(id="not-every-cron", text=PROCESS + '  not every "* 0-3 * * *"\n', verdict=ACCEPT),
    Case(id="restart-singular", text=PROCESS + "  if 5 restart within 5 cycles then timeout\n",
         verdict=ACCEPT),
    Case(id="network-saturation-upload",
         text="check network lo with interface lo\n  if failed link then alert\n"
              "  if saturation > 90% then alert\n  if upload > 10 MB/s then alert\n",
         verdict=ACCEPT),
    # ------------------------------------------------------------- rejects
    Case(id="reject-process-without-pidfile", text="check process a\n", verdict=REJECT,
         monit_says="monitrc:2: syntax error ''"),
    Case(id="reject-if-before-check", text="if failed port 80 then restart\n", verdict=REJECT,
         monit_says="monitrc:1: syntax error 'if'"),
    Case(id="reject-unquoted-program", text=PROCESS + "  start program = /bin/true\n",
         verdict=REJECT, monit_says="monitrc:2: syntax error '='"),
    Case(id="reject-misspelt-check", text="chekc process a with pidfile /run/a.pid\n",
         verdict=REJECT, monit_says="monitrc:1: syntax error 'chekc'"),
    Case(id="reject-port-without-number", text=PROCESS + "  if failed port then restart\n",
         verdict=REJECT, monit_says="monitrc:2: syntax error 'then'"),
    Case(id="reject-cpu-without-value", text=PROCESS + "  if cpu > then alert\n",
         verdict=REJECT, monit_says="monitrc:2: syntax error 'then'"),
    Case(id="reject-daemon-without-number", text="set daemon\n", verdict=REJECT,
         monit_says="monitrc:2: syntax error ''"),
    Case(id="reject-unknown-action", text=PROCESS + "  if failed port 80 then reboot\n",
         verdict=REJECT, monit_says="monitrc:2: syntax error 'reboot'"),
    Case(id="reject-unterminated-quote", text='check process a matching "a.*d\n  group x\n',
         verdict=REJECT, monit_says="monitrc:1: unbalanced quotes"),
    Case(id="reject-restarts-without-cycle-count",
         text=PROCESS + "  if 5 restarts within cycles then timeout\n",
         verdict=REJECT, monit_says="monitrc:2: syntax error 'cycles'"),
    Case(id="reject-duplicate-name",
         text="check process a with pidfile /run/a.pid\ncheck process a with pidfile /run/b.pid\n",
         verdict=REJECT, monit_says="monitrc:2: Service name conflict, a already defined"),
    Case(id="reject-unknown-mode", text=PROCESS + "  mode sometimes\n", verdict=REJECT,
         monit_says="monitrc:2: syntax error 'sometimes'"),
    Case(id="reject-every-cron-step", text=PROCESS + '  every "*/5 * * * *"\n', verdict=REJECT,
         monit_says="monitrc:2: invalid every format '\"'"),
    Case(id="reject-file-without-path", text="check file f\n", verdict=REJECT,
         monit_says="monitrc:2: syntax error ''"),
    Case(id="reject-host-without-test", text=HOST, verdict=REJECT,
         monit_says="'check host' statement is incomplete"),
    Case(id="reject-host-without-address", text="check host web\n", verdict=REJECT,
         monit_says="monitrc:2: syntax error ''"),
    Case(id="reject-program-without-test", text=PROGRAM, verdict=REJECT,
         monit_says="'check program p' is incomplete"),
    Case(id="reject-start-delay-without-number", text="set daemon 30 with start delay\n",
         verdict=REJECT, monit_says="monitrc:2: syntax error ''"),
    Case(id="reject-missing-action", text=PROCESS + "  if failed port 80 then\n",
         verdict=REJECT, monit_says="monitrc:3: syntax error ''"),
    Case(id="reject-depends-on-nothing", text=PROCESS + "  depends on\n", verdict=REJECT,
         monit_says="monitrc:3: syntax error ''"),
    Case(id="reject-single-quoted-program", text=PROCESS + "  start program = '/bin/true'\n",
         verdict=REJECT, monit_says="monitrc:2: syntax error '='"),
    Case(id="reject-unknown-protocol",
         text=PROCESS + "  if failed port 80 protocol nosuch then restart\n",
         verdict=REJECT, monit_says="monitrc:2: syntax error 'nosuch'"),
    Case(id="reject-fractional-children", text=PROCESS + "  if children > 2.5 then alert\n",
         verdict=REJECT, monit_says="monitrc:2: syntax error '2.5'"),
    Case(id="reject-invalid-checksum",
         text=FILE + "  if failed md5 checksum expect abcd then alert\n",
         verdict=REJECT, monit_says="monitrc:2: Invalid checksum [abcd]"),
    Case(id="reject-depends-on-itself", text=PROCESS + "  depends on a\n", verdict=REJECT,
         monit_says="Found a depend loop in the control file involving the service 'a'"),
    Case(id="reject-zero-cycles", text=PROCESS + "  if failed port 80 for 0 cycles then restart\n",
         verdict=REJECT, monit_says="monitrc:2: The number of cycles must be between 1 and 64"),
    Case(id="reject-restarts-not-below-cycles",
         text=PROCESS + "  if 5 restarts within 3 cycles then timeout\n",
         verdict=REJECT, monit_says="monitrc:2: The number of restarts must be less than poll"),
    Case(id="reject-times-above-cycles",
         text=PROCESS + "  if failed port 80 3 times within 2 cycles then restart\n",
         verdict=REJECT, monit_says="monitrc:2: The number of events must be between 1 and less"),
]  # fmt: skip


# ---------------------------------------------------------------- runners


def require_monit() -> str:
    """Return the monit binary, or skip (locally) / fail (in CI) when it is missing."""
    monit = shutil.which("monit")
    if monit is None:
        if os.environ.get("CI"):
            pytest.fail("monit missing: the test command must install it")
        pytest.skip("monit is not installed")
    return monit


@dataclass(frozen=True)
class MonitRun:
    accepted: bool
    output: str


def run_monit(text: str, *, cwd: Path | None = None) -> MonitRun:
    """Run ``monit -t`` on ``text`` through a private 0600 copy, offline.

    ``@DIR@`` in the text becomes the scratch directory, which is also HOME (monit writes
    its id file there) and, unless ``cwd`` is given, the directory include globs are
    resolved against. File names in the output are shown as ``monitrc``.
    """
    monit = require_monit()
    with tempfile.TemporaryDirectory(prefix="svconv-monit-") as scratch:
        control = Path(scratch) / "monitrc"
        control.write_text(text.replace(PLACEHOLDER, scratch))
        control.chmod(0o600)
        completed = subprocess.run(
            [monit, "-t", "-c", str(control)],
            cwd=cwd or scratch,
            env={**os.environ, "HOME": scratch},
            capture_output=True,
            text=True,
            timeout=MONIT_TIMEOUT_SECONDS,
            check=False,
        )
        output = (completed.stdout + completed.stderr).replace(str(control), "monitrc")
    return MonitRun(accepted=completed.returncode == 0, output=output.strip())


def svconv_error(text: str, *, fragment: bool = False) -> ParseError | None:
    """Parse with svconv: None when it accepts, the ParseError when it rejects."""
    try:
        parse(Source(path="x.monitrc", text=text), fragment=fragment)
    except ParseError as error:
        return error
    return None


# ---------------------------------------------------------------- the table


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_table_matches_monit(case: Case) -> None:
    """Guards the table: monit 5.33 gives each case the verdict (and error) written down."""
    run = run_monit(case.text)
    assert (ACCEPT if run.accepted else REJECT) == case.verdict, run.output
    if case.verdict == REJECT:
        assert case.monit_says is not None
        assert case.monit_says in run.output, run.output


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_svconv_agrees_with_monit(case: Case) -> None:
    """Svconv accepts exactly what monit accepts; a reject points at a real line."""
    error = svconv_error(case.text.replace(PLACEHOLDER, SVCONV_DIR))
    if case.verdict == ACCEPT:
        assert error is None, f"svconv rejects what monit accepts: {error}"
    else:
        assert error is not None, f"svconv accepts what monit rejects ({case.monit_says})"
        assert error.span is not None
        assert error.span.line >= 1


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- the corpus

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
_FRAGMENT_START = re.compile(r"\A(?:\s*(?:#[^\n]*)?\n)*\s*if\b", re.IGNORECASE)
_CHECK = re.compile(r"^\s*check\b", re.IGNORECASE | re.MULTILINE)


def corpus_files() -> list[Path]:
    """Every monit control file in the corpus: GitHub files and the Debian package's."""
    if not CORPUS.is_dir():
        return []
    github = (CORPUS / "github" / "monit").glob("*")
    debian = (CORPUS / "debian" / "monit" / "etc" / "monit").rglob("*")
    return sorted(path for path in [*github, *debian] if path.is_file())


def is_fragment(text: str) -> bool:
    """A file meant to be included inside a check: no ``check`` and ``if`` first."""
    return not _CHECK.search(text) and bool(_FRAGMENT_START.match(text))


def corpus_params() -> list[object]:
    files = corpus_files()
    if not files:
        return [
            pytest.param(
                None, id="corpus-absent", marks=pytest.mark.skip(reason=f"no corpus at {CORPUS}")
            )
        ]
    return [pytest.param(path, id=str(path.relative_to(CORPUS))) for path in files]


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_file(path: Path) -> None:
    """Svconv parses every corpus file, above all each one ``monit -t`` accepts.

    Fragments meant to be included inside a check are read with ``fragment=True``. Files
    monit rejects only for host reasons (missing groups, programs, dependencies) or for
    being fragments are still valid input for svconv.
    """
    text = path.read_text()
    error = svconv_error(text)
    if error is not None and is_fragment(text):
        error = svconv_error(text, fragment=True)
    run = run_monit(text, cwd=path.parent)
    monit = "monit accepts it" if run.accepted else f"monit rejects it too: {run.output}"
    assert error is None, f"svconv rejects {path.name}: {error}; {monit}"
