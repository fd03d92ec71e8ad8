"""Reading Angel files: configurator's syntax, Angel's rules, positioned refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from translator import api
from translator.errors import ParseError
from translator.formats import detect
from translator.formats.angel import parse
from translator.formats.angel.quoting import join, quote, split, unquote
from translator.model import Output, RestartWhen, Source

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "angel"


def read(text: str, path: str = "angel.conf"):
    return parse(Source(path=path, text=text)).host


def test_a_program_takes_its_settings_and_the_file_wide_user() -> None:
    host = read(
        'user = "www"\n'
        "web {\n"
        '    exec = "/usr/bin/web  --port 8080 "  # two spaces: one split\n'
        '    directory = "/srv/web"; delay = 7\n'
        '    stdout = "/var/log/web.log"\n'
        '    stderr = "/dev/null"\n'
        '    pidfile = "/run/web.pid"\n'
        "    termgrace = 12\n"
        '    env { A = "x\\ty"\n B = "$(HOME)/b" }\n'
        "}\n"
    )
    (web,) = host.services
    assert web.start is not None and web.start.argv == ("/usr/bin/web", "--port", "8080")
    assert (web.user, web.working_directory, web.pidfile) == ("www", "/srv/web", "/run/web.pid")
    assert web.restart.when is RestartWhen.ALWAYS and web.restart.delay == 7
    assert web.stdout == Output(kind="file", path="/var/log/web.log")
    assert web.stderr == Output(kind="null")
    assert web.stop_timeout == 12
    assert web.environment == (("A", "x\ty"), ("B", "$(HOME)/b"))
    assert web.daemonizes is False and web.managed_by == "angel"
    assert str(web.origin.of("restart.delay")) == "angel.conf:4:29"


def test_count_makes_copies_and_zero_keeps_the_program_stopped() -> None:
    host = read('a {\n exec = "/bin/a"\n count = 3\n}\nb {\n exec = "/bin/b"\n count = 0\n}\n')
    a, b = host.services
    assert (a.instances, a.first_instance, a.enabled_at_boot) == (3, 1, True)
    assert (b.instances, b.enabled_at_boot) == (1, False)


@pytest.mark.parametrize("spelling", ["off", "0", "false"])
def test_termgrace_off_never_kills_and_is_kept_as_written(spelling: str) -> None:
    (service,) = read(f'a {{\n exec = "/bin/a"\n termgrace = {spelling}\n}}\n').services
    assert service.stop_timeout is None
    assert ("termgrace", spelling) in {(e.key, e.value) for e in service.extras}


def test_the_environment_is_marked_complete_and_a_logger_is_kept() -> None:
    (service,) = read('a {\n exec = "/bin/a"\n logger = "/usr/bin/logger -t a"\n}\n').services
    extras = {(e.format, e.key, e.value) for e in service.extras}
    assert ("angel", "environment", "nothing inherited") in extras
    assert ("angel", "logger", "/usr/bin/logger -t a") in extras
    assert service.stdout is None and service.stderr is None


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a {\n  delay = 3\n}\n", "1:1", "has no exec"),
        ('a {\n exec = "/a"\n stdout = "/x"\n logger = "/l"\n}\n', "4:2", "logger"),
        ('a {\n exec = "/a"\n delay = "3"\n}\n', "3:10", "delay must be a number"),
        ('a {\n exec = "/a"\n delay = -1\n}\n', "3:10", "delay must be a number"),
        ("a {\n exec = 3\n}\n", "2:9", "exec must be a string"),
        ('a {\n exec = "/a"\n termgrace = on\n}\n', "3:14", "termgrace must be"),
        ('a {\n exec = "   "\n}\n', "2:9", "exec is empty"),
        ('a {\n exec = "/a"\n env { A = 1 }\n}\n', "3:12", "A must be a string"),
        ('a {\n exec = "/a\n', "2:9", "unterminated string"),
        ('a {\n exec = "/a"\n', "3:1", '"}" is missing'),
        ("a {\n exec = maybe\n}\n", "2:9", "expected a value"),
        ('a {\n exec = "\\q"\n}\n', "2:9", "unknown escape"),
        ('include "x.conf"\n', "1:9", 'expected "=" or "{"'),
        ('a {\n exec "/a"\n}\n', "2:7", 'expected "=" or "{"'),
        ('user = 3\na {\n exec = "/a"\n}\n', "1:8", "user must be a string"),
    ],
)
def test_what_angel_refuses_is_a_positioned_error(text: str, where: str, message: str) -> None:
    with pytest.raises(ParseError) as refused:
        read(text)
    assert str(refused.value).startswith(f"angel.conf:{where}: "), str(refused.value)
    assert message in str(refused.value)


def test_an_unknown_setting_is_kept_and_an_import_without_a_file_too() -> None:
    host = read('import "other.conf"\nretries = 2\na {\n exec = "/a"\n nice = [1, on]\n}\n')
    assert [(e.key, e.value) for e in host.extras] == [("import", "other.conf"), ("retries", "2")]
    assert ("nice", "[1, on]") in {(e.key, e.value) for e in host.services[0].extras}


def test_an_import_that_matches_nothing_is_reported() -> None:
    result = parse(
        Source(path="angel.conf", text='import "gone.conf"\n'), load_include=lambda p, s: []
    )
    assert [str(d) for d in result.diagnostics] == [
        "angel.conf:1:1: SV301 import 'gone.conf' matches no file"
    ]


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*/angel.conf")), ids=lambda p: p.parent.name)
def test_any_prefix_or_damage_gives_a_positioned_error_or_parses(path: Path) -> None:
    text = path.read_text()
    damaged = [text[:end] for end in range(0, len(text), 3)]
    damaged += [
        text[:end] + junk + text[end:]
        for end in range(0, len(text), 11)
        for junk in ('"', "{", "}", "=", "\\", "\x00", "[", "$(")
    ]
    for variant in damaged:
        try:
            api.parse([Source(path="cut.conf", text=variant)], source_format="angel")
        except ParseError as error:
            assert str(error).startswith("cut.conf:"), variant


def test_detection_claims_angel_files_and_leaves_others_alone() -> None:
    angel = 'web {\n    exec = "/usr/bin/web"\n}\n'
    assert detect("etc/angel.conf", angel) == "angel"
    assert detect("etc/angel.conf", "# nothing\n") is None
    assert detect("etc/init/web.conf", "start on runlevel [2345]\nexec /usr/bin/web\n") == "upstart"
    assert detect("etc/supervisor/conf.d/web.conf", "[program:web]\ncommand=/bin/web\n") == (
        "supervisord"
    )


@pytest.mark.parametrize(
    ("command", "argv"),
    [
        ("/bin/a  -x   y", ("/bin/a", "-x", "y")),
        (" /bin/a\t-x ", ("/bin/a\t-x",)),
        ("/bin/a 'b c'", ("/bin/a", "'b", "c'")),
    ],
)
def test_exec_splits_at_spaces_only_and_keeps_quotes(command: str, argv: tuple[str, ...]) -> None:
    assert split(command) == argv


def test_an_argument_with_a_space_or_empty_cannot_be_written() -> None:
    assert join(("/bin/a", "b c")) is None
    assert join(("/bin/a", "")) is None
    assert join(("/bin/a", "-x")) == "/bin/a -x"


@pytest.mark.parametrize("text", ["plain", 'say "hi"\n\tback\\slash', "\x01bell", "$(HOME)"])
def test_strings_quote_and_unquote_to_the_same_text(text: str) -> None:
    assert unquote(quote(text)) == text
