"""The init.d reader: headers, static evaluation, the daemon a start action runs."""

from __future__ import annotations

import pytest

from translator import api
from translator.errors import ParseError
from translator.formats.initd.parse import parse
from translator.model import Binding, Source

HEADER = """#!/bin/sh
### BEGIN INIT INFO
# Provides:          web
# Required-Start:    $network $local_fs $all db
# Should-Start:      cache
# Default-Start:     2 3 4 5
# Short-Description: A web server
### END INIT INFO
"""


def read(body: str, header: str = HEADER, name: str = "/etc/init.d/web"):
    return parse(Source(path=name, text=header + body))


def test_lsb_dependencies_map_as_the_sysv_generator_does() -> None:
    result = read('case "$1" in start) /usr/sbin/web ;; esac\n')
    service = result.host.services[0]
    found = [(d.name, d.binding) for d in service.dependencies]
    assert found == [
        ("network-online.target", Binding.WANTS),
        ("db", Binding.WANTS),
        ("cache", Binding.ORDERS),
    ]
    assert service.description == "A web server"
    assert service.enabled_at_boot
    lost = [d.message for d in result.diagnostics if d.loss is not None]
    assert "no systemd target stands for $all" in lost


@pytest.mark.parametrize(
    ("body", "argv"),
    [
        # a default stands in for what only running the script could tell (munin-node)
        (
            "PIDFILE=$(sed -n 1p /etc/x)\nDAEMON=/usr/sbin/web\n"
            "do_start() { start-stop-daemon --start --pidfile ${PIDFILE:-/run/web.pid} "
            '--exec $DAEMON -- -f "$CONF" ; }\nCONF="/etc/web/a b.conf"\n'
            'case "$1" in start) do_start ;; esac\n',
            ("/usr/sbin/web", "-f", "/etc/web/a b.conf"),
        ),
        ('prog=/usr/bin/web\ncase "$1" in start) daemon --user www $prog -d ;; esac\n', None),
        (
            'case "$1" in start)\n'
            '  su - www -c "nohup /usr/bin/web --fg > /dev/null 2>&1 &" ;;\nesac\n',
            ("/usr/bin/web", "--fg"),
        ),
    ],
    ids=["start-stop-daemon", "rhel-daemon", "su-nohup"],
)
def test_the_daemon_is_found_after_evaluation(body: str, argv: tuple[str, ...] | None) -> None:
    service = read(body).host.services[0]
    assert service.start is not None
    assert service.start.argv == (argv or ("/usr/bin/web", "-d"))
    # found where the script starts it (an su string's command: at the su line)
    launchers = ("start-stop-daemon --start", "daemon --user", "su - www")
    lines = (HEADER + body).splitlines()
    line = next(n for n, text in enumerate(lines, 1) if any(x in text for x in launchers))
    span = service.start.origin.span
    assert span is not None and span.line == line


def test_a_pidfile_default_is_used_when_the_value_cannot_be_known() -> None:
    body = (
        "PIDFILE=$(sed -n 1p /etc/x)\n"
        'case "$1" in start) start-stop-daemon --start --pidfile ${PIDFILE:-/run/w.pid} '
        "--exec /usr/sbin/web ;; esac\n"
    )
    assert read(body).host.services[0].pidfile == "/run/w.pid"


def test_no_daemon_falls_back_to_the_script_with_a_loss() -> None:
    result = read('case "$1" in start) echo hello ;; esac\n')
    service = result.host.services[0]
    assert service.start is not None and service.start.argv == ("/etc/init.d/web", "start")
    assert any("no daemon found" in d.message for d in result.diagnostics)


def test_an_unterminated_lsb_block_is_an_error_at_its_start() -> None:
    with pytest.raises(ParseError, match="without") as caught:
        read("", header="#!/bin/sh\n### BEGIN INIT INFO\n# Provides: web\n")
    assert caught.value.span is not None and caught.value.span.line == 2


def test_a_file_that_is_no_script_is_refused() -> None:
    with pytest.raises(ParseError, match="not an init script"):
        parse(Source(path="/etc/init.d/web", text="hello\n"))


def test_strict_fails_on_a_fallback() -> None:
    translation = api.convert(
        [Source(path="/etc/init.d/web", text=HEADER + 'case "$1" in start) : ;; esac\n')],
        source_format="initd",
        target_format="systemd",
    )
    assert any(loss.code == "SV730" and "no daemon" in loss.reason for loss in translation.losses)


def test_init_d_script_runs_its_daemon_variables() -> None:
    text = (
        '#!/bin/sh\nif [ true != "$INIT_D_SCRIPT_SOURCED" ] ; then\n'
        '    set "$0" "$@"; INIT_D_SCRIPT_SOURCED=true . /lib/init/init-d-script\nfi\n'
        "DAEMON=/usr/sbin/agentd\nPIDFILE=/run/agentd.pid\n"
        'do_start_prepare() { DAEMON_ARGS="-f -p $PIDFILE"; }\n'
    )
    service = parse(Source(path="/etc/init.d/agentd", text=text)).host.services[0]
    assert service.start is not None
    assert service.start.argv == ("/usr/sbin/agentd", "-f", "-p", "/run/agentd.pid")
    assert service.pidfile == "/run/agentd.pid"


def test_a_daemon_started_inside_a_command_substitution_is_found() -> None:
    body = (
        'case "${1}" in start)\n'
        "  R=$(start-stop-daemon --start --pidfile /run/w.pid --exec /usr/sbin/web 2>&1) ;;\n"
        "esac\n"
    )
    service = read(body).host.services[0]
    assert service.start is not None and service.start.argv == ("/usr/sbin/web",)


def test_what_the_start_action_sets_up_before_the_daemon_is_read() -> None:
    body = (
        "DAEMON=/usr/sbin/web\nexport LANG=C.UTF-8\n"
        "start() {\n  cd /srv/web\n  umask 027\n  ulimit -n 8192\n  $DAEMON -t || exit 1\n"
        "  touch /var/lock/subsys/web\n  $DAEMON -c /etc/web.conf\n}\n"
        'case "$1" in start) start ;; esac\n'
    )
    result = read(body)
    service = result.host.services[0]
    assert service.start is not None and service.start.argv == (
        "/usr/sbin/web",
        "-c",
        "/etc/web.conf",
    )
    assert service.working_directory == "/srv/web"
    assert service.umask == "027"
    assert [(x.resource, x.value) for x in service.limits] == [("nofile", "8192")]
    assert [h.command.argv for h in service.hooks] == [("/usr/sbin/web", "-t")]
    assert service.environment == (("LANG", "C.UTF-8"),)
    assert any("/var/lock/subsys" in d.message for d in result.diagnostics)


@pytest.mark.parametrize(
    ("body", "level"),
    [
        ('case "$1" in start) start-stop-daemon --start --exec /usr/sbin/web ;; esac\n', "high"),
        (
            "P=$(sed -n 1p /etc/x)\n"
            'case "$1" in start) start-stop-daemon --start --pidfile ${P:-/run/w.pid} '
            "--exec /usr/sbin/web ;; esac\n",
            "medium",
        ),
        ('case "$1" in start) echo nothing ;; esac\n', "low"),
    ],
    ids=["high", "medium", "low"],
)
def test_each_reading_says_how_sure_it_is(body: str, level: str) -> None:
    notes = [d.message for d in read(body).diagnostics if d.code == "SV732"]
    assert len(notes) == 1 and notes[0].endswith(f": {level} confidence")


def test_each_other_program_the_start_runs_becomes_a_service_of_its_own() -> None:
    body = (
        'case "$1" in start)\n'
        "  start-stop-daemon --start --pidfile /run/web.pid --exec /usr/sbin/web -- -q\n"
        "  start-stop-daemon --start --pidfile /run/web.pid --exec /usr/sbin/web -- -v\n"
        "  start-stop-daemon --start --chuid www --exec /usr/sbin/web-cache -- -p 8\n"
        "  ;;\nesac\n"
    )
    result = read(body)
    found = [(s.name, s.start.argv, s.pidfile, s.user) for s in result.host.services]
    assert found == [
        ("web", ("/usr/sbin/web", "-q"), "/run/web.pid", None),
        ("web-web-cache", ("/usr/sbin/web-cache", "-p", "8"), None, "www"),
    ]
    assert result.host.services[1].description == "A web server (web-cache)"
    actions = [d.loss.action for d in result.diagnostics if d.loss and d.loss.field == "start"]
    assert actions == ["each other program is a service of its own: web-web-cache"]


def test_the_same_program_started_twice_stays_one_service() -> None:
    body = (
        'case "$1" in start)\n'
        '  if [ -z "$SERVICES" ]; then /usr/sbin/web -q\n'
        '  else /usr/sbin/web -h "$SERVICES"; fi ;;\nesac\n'
    )
    result = read(body, name="/etc/init.d/web")
    assert [s.name for s in result.host.services] == ["web"]


def test_a_ulimit_from_a_variable_is_reported_not_written() -> None:
    body = (
        "ULIMIT=$(cat /etc/web.limit)\n"
        'case "$1" in start)\n  ulimit -n $ULIMIT\n  ulimit -n 4096\n'
        "  start-stop-daemon --start --exec /usr/sbin/web ;;\nesac\n"
    )
    result = read(body)
    assert [(x.resource, x.value) for x in result.host.services[0].limits] == [("nofile", "4096")]


def test_retry_forever_is_a_repeat_mark_not_a_signal() -> None:
    body = (
        'case "$1" in\n  start) start-stop-daemon --start --exec /usr/sbin/web ;;\n'
        "  stop) start-stop-daemon --stop --retry forever/TERM/1 --exec /usr/sbin/web ;;\nesac\n"
    )
    service = read(body).host.services[0]
    assert (service.stop_signal, service.stop_timeout) == ("SIGTERM", 1)


@pytest.mark.parametrize(
    ("path", "text", "service", "script"),
    [
        ("/etc/init.d/web", HEADER, True, True),
        ("/etc/sv/web", "#!/bin/sh\n# chkconfig: 2345 55 25\n", True, True),
        ("/etc/rc.d/init.d/functions", "#!/bin/sh\ndaemon() { :; }\n", False, True),
        ("/etc/default/web", "OPTIONS=-q\n", False, False),
    ],
    ids=["lsb", "chkconfig", "library", "env-file"],
)
def test_a_service_script_is_told_from_a_library(
    path: str, text: str, service: bool, script: bool
) -> None:
    from translator.formats.initd import detect, is_service_script

    assert (is_service_script(text), detect(path, text)) == (service, script)
