"""Static evaluation of init scripts: what the shell would expand, without running it."""

from __future__ import annotations

import pytest

from translator.formats import _script as shell
from translator.formats.initd.parse import parse
from translator.model import Source

HEADER = (
    "#!/bin/sh\n### BEGIN INIT INFO\n# Provides: web\n# Default-Start: 2 3 4 5\n### END INIT INFO\n"
)


def variables(text: str, path: str = "/etc/init.d/web") -> dict[str, str | None]:
    script = shell.read_script(Source(path=path, text=text), lambda path, span: None)
    return {name: variable.known for name, variable in script.variables.items()}


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ('A=/run\nB=x\nX="$A $B"\n', "X", "/run x"),  # the space sits in the grammar's "$"
        ("A=/run\nNAME=web\nX=$A/$NAME.pid\n", "X", "/run/web.pid"),  # read as a command
        ('NAME="${0##*/}"\nX="${NAME##[KS][0-9][0-9]}"\n', "X", "web"),
        ("N=S20web.sh\nX=${N%.sh}\nY=${N#S20}\nZ=${N%%[.]*}\n", "Y", "web.sh"),
        ("N=S20web.sh\nX=${N%.sh}\n", "X", "S20web"),
        ("N=a.b.c\nZ=${N%%.*}\n", "Z", "a"),
        ('X="a \\\n  b \\$c \\"d\\""\n', "X", 'a   b $c "d"'),
    ],
    ids=["spaces", "glued-name", "trim-glob", "trim-prefix", "trim-suffix", "trim-longest",
         "double-quote-escapes"],
)  # fmt: skip
def test_words_expand_as_the_shell_would(text: str, name: str, value: str) -> None:
    assert variables(text)[name] == value


def test_part_of_a_value_may_be_unknown_and_only_those_words_are_lost() -> None:
    body = (
        "RUN_USER=$(id -un)\nPIDFILE=/run/$RUN_USER/web.pid\n"
        'ARGS="-n -P$PIDFILE -d 5"\n'
        'case "$1" in start) start-stop-daemon --start --exec /usr/sbin/web -- $ARGS ;; esac\n'
    )
    result = parse(Source(path="/etc/init.d/web", text=HEADER + body))
    assert result.host.services[0].start.argv == ("/usr/sbin/web", "-n", "-d", "5")
    lost = [(d.span.line, d.message) for d in result.diagnostics if d.loss is not None]
    assert (9, "a value only running the script could tell") in lost


def test_an_unknown_option_value_takes_its_option_with_it() -> None:
    body = (
        "PIDFILE=$(cat /etc/web.pid.conf)\n"
        'case "$1" in start)\n'
        "  start-stop-daemon --start --exec /usr/sbin/web -- -p $PIDFILE -v ;;\nesac\n"
    )
    result = parse(Source(path="/etc/init.d/web", text=HEADER + body))
    assert result.host.services[0].start.argv == ("/usr/sbin/web", "-v")
    actions = [d.loss.action for d in result.diagnostics if d.loss is not None]
    assert "left out with the option before it (-p)" in actions


def test_a_function_sees_its_own_arguments_as_positional_parameters() -> None:
    body = (
        'OPTIONS="-w"\n'
        'start() { start-stop-daemon --start --exec /sbin/web -- "$@" ; }\n'
        'case "$1" in start) start $OPTIONS "a b" ;; esac\n'
    )
    result = parse(Source(path="/etc/init.d/web", text=HEADER + body))
    assert result.host.services[0].start.argv == ("/sbin/web", "-w", "a b")


def test_backticks_the_grammar_cannot_read_are_masked_not_the_whole_function() -> None:
    body = (
        "do_start() {\n"
        "  if [ -d /proc/`cat /run/web.pid`/ ]; then exit 0; fi\n"
        "  start-stop-daemon --start --pidfile /run/web.pid --exec /usr/sbin/web -- -q\n"
        "}\n"
        'case "$1" in start) do_start ;; esac\n'
    )
    result = parse(Source(path="/etc/init.d/web", text=HEADER + body))
    assert result.host.services[0].start.argv == ("/usr/sbin/web", "-q")
    assert [d.span.line for d in result.diagnostics if d.code == "SV731"] == [6]


def test_init_d_script_override_is_followed_and_env_files_read_once() -> None:
    body = (
        "DAEMON=/usr/bin/cleaner\n"
        "[ -f /etc/default/web ] && . /etc/default/web\n"
        "[ -f /etc/default/web ] && . /etc/default/web\n"
        "do_start_cmd_override() {\n"
        "  start-stop-daemon --start --exec $DAEMON --test > /dev/null || return 1\n"
        "  start-stop-daemon --start --exec $DAEMON -- -n $LEVEL || return 2\n"
        "}\n"
    )
    text = "#!/lib/init/init-d-script\n" + HEADER.split("\n", 1)[1] + body
    result = parse(
        Source(path="/etc/init.d/web", text=text),
        load_include=lambda pattern, span: [Source(path=pattern, text="LEVEL=3\n")],
    )
    service = result.host.services[0]
    assert service.start.argv == ("/usr/bin/cleaner", "-n", "$LEVEL")
    assert [(f.path, f.is_optional) for f in service.environment_files] == [
        ("/etc/default/web", True)
    ]


@pytest.mark.parametrize(
    ("redirect", "stdout", "stderr"),
    [
        (">> /var/log/web.log 2>&1", ("file", "/var/log/web.log"), ("inherit", None)),
        ("&> /var/log/web.log", ("file", "/var/log/web.log"), ("inherit", None)),
        ("> /var/log/web.out 2>> /var/log/web.err", ("file", "/var/log/web.out"),
         ("file", "/var/log/web.err")),
        ("> /dev/null 2>&1", None, None),  # what any script must do: no choice of log
        ("2>&1 > /var/log/web.log", ("file", "/var/log/web.log"), None),  # 2 took the tty
    ],
    ids=["append-both", "ampersand", "separate", "discarded", "order-matters"],
)  # fmt: skip
def test_a_background_daemons_redirects_are_its_output(
    redirect: str, stdout: tuple[str, str | None] | None, stderr: tuple[str, str | None] | None
) -> None:
    body = f'case "$1" in start) nohup /usr/sbin/web -f {redirect} & ;; esac\n'
    service = parse(Source(path="/etc/init.d/web", text=HEADER + body)).host.services[0]
    found = [(s.kind, s.path) if s else None for s in (service.stdout, service.stderr)]
    assert found == [stdout, stderr]
