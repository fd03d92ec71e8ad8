"""The grammars build as LALR without conflicts, and bad input never escapes as a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from lark import Lark, logger

from translator.errors import ParseError
from translator.formats import _grammar
from translator.formats.monit.parse import parse as parse_monit
from translator.formats.systemd.parse import parse as parse_systemd
from translator.model import Source

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MONIT_INPUTS = sorted(FIXTURES.glob("monit/*/input.monitrc"))


def test_monit_grammar_has_no_lalr_conflicts(caplog: pytest.LogCaptureFixture) -> None:
    # Non-strict lark resolves shift/reduce conflicts silently (logging them at debug
    # level); the monit grammar must have none for that to never matter.
    logger.setLevel(logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG, logger="lark"):
            Lark(_grammar._grammar_text("monit"), parser="lalr", lexer="contextual")
    finally:
        logger.setLevel(logging.WARNING)
    conflicts = [r.getMessage() for r in caplog.records if "conflict" in r.getMessage().lower()]
    assert conflicts == []


def test_systemd_grammar_builds_in_strict_mode() -> None:
    assert _grammar.load("systemd").options.strict is True


def _truncations(text: str) -> list[str]:
    return [text[:end] for end in range(0, len(text), 7)]


@pytest.mark.parametrize("path", MONIT_INPUTS, ids=lambda p: p.parent.name)
def test_truncated_monit_input_gives_a_positioned_error_or_parses(path: Path) -> None:
    lines = path.read_text()
    for text in _truncations(lines):
        try:
            parse_monit(Source(path="cut.monitrc", text=text))
        except ParseError as error:
            assert error.span is not None
            assert 1 <= error.span.line <= text.count("\n") + 2
            assert str(error).startswith(f"cut.monitrc:{error.span.line}:")


@pytest.mark.parametrize(
    "text",
    [
        "[Service]\nExecStart=/bin/true\n",
        "[Service\n",
        "[Service]\nfoo\n",
        '[Service]\nExecStart=/bin/echo "unterminated\n',
        "[Service]\nTimeoutStartSec=5 parsecs\n",
    ],
    ids=["valid", "bad-header", "no-equals", "open-quote", "bad-time"],
)
def test_systemd_bad_input_gives_a_positioned_error(text: str) -> None:
    try:
        result = parse_systemd(Source(path="x.service", text=text))
    except ParseError as error:
        assert error.span is not None and error.span.line >= 1
    else:
        assert result.host.services[0].start is not None
        assert result.host.services[0].start.argv == ("/bin/true",)


INPUTS = sorted(
    [(path, "monit") for path in FIXTURES.glob("monit/*/input.monitrc")]
    + [(path, "supervisord") for path in FIXTURES.glob("supervisord/*/*.conf")]
    + [(path, "systemd") for path in FIXTURES.glob("systemd/*/*.service")]
)


@pytest.mark.parametrize(("path", "fmt"), INPUTS, ids=lambda v: getattr(v, "name", v))
def test_any_prefix_or_damage_gives_a_positioned_error_or_parses(path: Path, fmt: str) -> None:
    """Cut every input short, and damage it, at many points: never a traceback."""
    from translator import api

    text = path.read_text()
    damaged = [text[:end] for end in range(0, len(text), 5)]
    damaged += [
        text[:end] + junk + text[end:]
        for end in range(0, len(text), 23)
        for junk in ('"', "%", "[", "\\\n", "=", "\x00")
    ]
    for variant in damaged:
        try:
            api.parse(
                [Source(path=f"cut.{fmt}", text=variant)], source_format=fmt, load_include=None
            )
        except ParseError as error:
            assert error.span is not None
            assert str(error).startswith(f"cut.{fmt}:")
