"""Re-quoting never changes what a command line means: split(join(argv)) == argv."""

from __future__ import annotations

import pytest

from translator.errors import ParseError
from translator.formats._shell import through_shell
from translator.formats.monit import quoting as monit_quoting
from translator.formats.systemd import quoting as systemd_quoting
from translator.model import Span

SPAN = Span(path="t", line=1, column=1)
ARGVS = [
    ("/usr/bin/dummy",),
    ("/bin/sh", "-c", "exec foo --bar 'baz qux' >/dev/null 2>&1"),
    ("/usr/bin/env", "A=1 2", "x;y", ";", "%h", "$HOME", "$$", "50%"),
    ("/opt/app", "--name", "it's", "tab\there", ""),
    ("/usr/bin/printf", "back\\slash", "new\nline"),
]


@pytest.mark.parametrize("argv", ARGVS)
def test_systemd_round_trip(argv: tuple[str, ...]) -> None:
    words, prefixes = systemd_quoting.split(systemd_quoting.join(argv), SPAN)
    assert (systemd_quoting.literal(words), prefixes) == (argv, "")


@pytest.mark.parametrize(
    ("line", "argv"),
    [
        ("/bin/echo %% $$HOME", ("/bin/echo", "%", "$HOME")),
        ("/bin/echo \"a b\" 'c d'", ("/bin/echo", "a b", "c d")),
        ("-/bin/false \\;", ("/bin/false", ";")),
    ],
)
def test_systemd_split(line: str, argv: tuple[str, ...]) -> None:
    assert systemd_quoting.literal(systemd_quoting.split(line, SPAN)[0]) == argv


@pytest.mark.parametrize(
    ("words", "line"),
    [
        (("/bin/kill", "-HUP", "$MAINPID"), "/bin/kill -HUP $MAINPID"),
        (
            ("/usr/sbin/sshd", "-D", "$SSHD_OPTS", "--x=${A}$$"),
            "/usr/sbin/sshd -D $SSHD_OPTS --x=${A}$$",
        ),
        (("/bin/echo", "a b $X"), '/bin/echo "a b $X"'),
    ],
)
def test_systemd_references_stay_references(words: tuple[str, ...], line: str) -> None:
    assert systemd_quoting.has_references(words)
    assert systemd_quoting.join(words, expands_variables=True) == line
    assert systemd_quoting.split(line, SPAN)[0] == words


def test_monit_runs_references_through_a_shell() -> None:
    argv = ("/usr/sbin/sshd", "-D", "$OPTS", "--name=${NAME}x", "$$5", "it's")
    assert through_shell(argv) == (
        "/bin/sh",
        "-c",
        "exec /usr/sbin/sshd -D $OPTS --name=\"${NAME}\"x '$'5 'it'\"'\"'s'",
    )


def test_systemd_prefixes_are_separated() -> None:
    assert systemd_quoting.split("-@/bin/true x", SPAN) == (("/bin/true", "x"), "-@")


@pytest.mark.parametrize(
    ("text", "argv"),
    [
        ("/etc/init.d/cron start", ("/etc/init.d/cron", "start")),
        ("/usr/bin/pkill -f 'memcached -p 11311'", ("/usr/bin/pkill", "-f", "memcached -p 11311")),
        ("/bin/echo it's", ("/bin/echo", "it's")),
        ("  /bin/a\n  b  ", ("/bin/a", "b")),
    ],
)
def test_monit_split(text: str, argv: tuple[str, ...]) -> None:
    assert monit_quoting.split(text, SPAN) == argv


@pytest.mark.parametrize("argv", [a for a in ARGVS if monit_quoting.can_join(a)])
def test_monit_round_trip(argv: tuple[str, ...]) -> None:
    assert monit_quoting.split(monit_quoting.join(argv), SPAN) == argv


@pytest.mark.parametrize("argv", [("/bin/echo", 'say "hi"'), ("/bin/echo", "it's here")])
def test_monit_cannot_hold_some_argv(argv: tuple[str, ...]) -> None:
    assert not monit_quoting.can_join(argv)
    with pytest.raises(ValueError, match="cannot quote"):
        monit_quoting.join(argv)


def test_monit_unbalanced_quote_is_an_error() -> None:
    with pytest.raises(ParseError, match="unbalanced"):
        monit_quoting.split("/bin/echo 'open", SPAN)
