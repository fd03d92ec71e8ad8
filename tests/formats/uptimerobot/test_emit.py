"""Writing UptimeRobot monitors: exact files and losses per fixture, Terraform read back,
no network, and the command line's refusals (no public host, nothing to monitor)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import hcl2
import pytest
from click.testing import CliRunner

from tests.asserts import FIXTURES, loss_lines, read_expected
from tests.test_no_silent_drops import HOST as KITCHEN_SINK_HOST
from translator import api
from translator.cli import main
from translator.errors import SvconvError
from translator.formats._capabilities import FIELDS, Support, support
from translator.formats.uptimerobot import CAPABILITIES, emit
from translator.loss import LossLog
from translator.model import Source

PUBLIC = api.EmitOptions(public_host="www.example.org")


@dataclass(frozen=True)
class Fixture:
    """A monit input in fixtures/uptimerobot/<id>/, written with ``options``."""

    id: str
    options: api.EmitOptions = PUBLIC
    expected: str = "expected"
    notes: str = field(default="", compare=False)

    @property
    def directory(self) -> Path:
        return FIXTURES / "uptimerobot" / self.id


CASES = [
    Fixture("http-content", notes="content = → KEYWORD alert when missing; != → when present"),
    Fixture("https", notes="tcpssl/https with request and status; timeout kept"),
    Fixture("tcp-port", notes="a protocol on a port → PORT, custom sub_type; timeout capped"),
    Fixture("ping-host", notes="the check's public address is used; localhost → --public-host"),
    Fixture("lost-checks", notes="udp, unix socket, resources, a file check: lost"),
    Fixture("restart-actions", notes="restart, exec, recovery exec, alert mail: lost"),
    Fixture("min-interval", notes="every N cycles times set daemon, raised to 300"),
    Fixture(
        "min-interval",
        options=api.EmitOptions(public_host="www.example.org", min_interval=60),
        expected="expected-min-60",
    ),
    Fixture(
        "service-hosts",
        options=api.EmitOptions(service_hosts={"web": "www.example.org", "mail": "mx.example.org"}),
        notes="SERVICE=HOST only; status names its own public host",
    ),
]


def _convert(case: Fixture) -> api.Translation:
    path = case.directory / "input.monitrc"
    return api.convert(
        [Source(path="input.monitrc", text=path.read_text())],
        source_format="monit",
        target_format="uptimerobot",
        emit=case.options,
    )


def _case_id(case: Fixture) -> str:
    return case.id if case.expected == "expected" else f"{case.id}-{case.expected}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_fixture_gives_exact_files_and_losses(case: Fixture) -> None:
    translation = _convert(case)
    expected = case.directory / case.expected
    assert translation.files == read_expected(expected / "uptimerobot")
    assert (
        "".join(f"{line}\n" for line in loss_lines(translation.losses))
        == (expected / "uptimerobot.losses").read_text()
    )
    assert translation.executables == frozenset()


def _unquote(value: object) -> object:
    """python-hcl2 keeps a string's quotes and wraps expressions in ``${…}``."""
    if isinstance(value, str) and value.startswith('"') and value.endswith('"'):
        return json.loads(value)
    return value


def _resources(document: dict) -> list[dict]:
    found = []
    for resource in document["resource"]:
        ((kind, labelled),) = resource.items()
        assert _unquote(kind) == "uptimerobot_monitor"
        ((_, body),) = labelled.items()
        found.append({key: _unquote(value) for key, value in body.items()})
    return found


_TYPE_NAMES = {1: "HTTP", 2: "KEYWORD", 3: "PING", 4: "PORT"}
_KEYWORD_NAMES = {1: "ALERT_EXISTS", 2: "ALERT_NOT_EXISTS"}


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_terraform_reads_back_as_the_json_monitors(case: Fixture) -> None:
    files = _convert(case).files
    document = hcl2.loads(files["uptimerobot.tf"])
    monitors = json.loads(files["uptimerobot-monitors.json"])
    resources = _resources(document)
    assert [
        {
            "name": m["friendly_name"],
            "type": _TYPE_NAMES[m["type"]],
            "url": m["url"],
            "interval": m["interval"],
            **({"port": m["port"]} if "port" in m else {}),
            **(
                {
                    "keyword_type": _KEYWORD_NAMES[m["keyword_type"]],
                    "keyword_value": m["keyword_value"],
                }
                if "keyword_type" in m
                else {}
            ),
        }
        for m in monitors
    ] == [
        {
            k: v
            for k, v in r.items()
            if k not in ("timeout", "assigned_alert_contacts") and not k.startswith("__")
        }
        for r in resources
    ]
    assert all(1 <= r["timeout"] <= 60 for r in resources)
    (key,) = (v for v in document["variable"] if '"uptimerobot_api_key"' in v)
    assert key['"uptimerobot_api_key"']["sensitive"] is True
    (provider,) = document["provider"]
    assert provider['"uptimerobot"']["api_key"] == "${var.uptimerobot_api_key}"
    (providers,) = document["terraform"][0]["required_providers"]
    assert _unquote(providers["uptimerobot"]["source"]) == "uptimerobot/uptimerobot"


@pytest.mark.skipif(shutil.which("terraform") is None, reason="no terraform binary here")
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_terraform_fmt_leaves_the_file_alone(case: Fixture, tmp_path: Path) -> None:
    path = tmp_path / "uptimerobot.tf"
    path.write_text(_convert(case).files["uptimerobot.tf"])
    result = subprocess.run(
        ["terraform", "fmt", "-check", "-diff", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "TF_CLI_CONFIG_FILE": "/dev/null"},
    )
    assert result.returncode == 0, result.stdout


def test_no_api_key_is_written() -> None:
    for case in CASES:
        files = _convert(case).files
        assert all("api_key" not in m for m in json.loads(files["uptimerobot-monitors.json"]))
        assert "api_key = var.uptimerobot_api_key" in files["uptimerobot.tf"]


def test_emitting_opens_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("emitting tried to reach the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for case in CASES:
        assert _convert(case).files


def test_a_check_naming_only_localhost_needs_a_public_host() -> None:
    case = Fixture("http-content", options=api.EmitOptions())
    with pytest.raises(SvconvError) as raised:
        _convert(case)
    assert str(raised.value) == (
        "input.monitrc:6:3: SV000 uptimerobot needs --public-host HOST (or SERVICE=HOST) for "
        "shop: the checks name no host that can be reached from outside; nothing written"
    )


def test_cli_without_public_host_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "out"
    source = FIXTURES / "uptimerobot" / "tcp-port" / "input.monitrc"
    result = CliRunner().invoke(main, ["monit2uptimerobot", str(source), "-o", str(output)])
    assert result.exit_code == 2
    assert "needs --public-host HOST" in result.output
    assert not output.exists()


def test_cli_public_host_per_service_and_min_interval(tmp_path: Path) -> None:
    output = tmp_path / "out"
    source = FIXTURES / "uptimerobot" / "min-interval" / "input.monitrc"
    result = CliRunner().invoke(
        main,
        [
            "monit2uptimerobot",
            str(source),
            "-o",
            str(output),
            "--public-host",
            "q.example.org",
            "--public-host",
            "cache=c.example.org",
            "--min-interval",
            "60",
        ],
    )
    assert result.exit_code == 0, result.output
    monitors = json.loads((output / "uptimerobot-monitors.json").read_text())
    assert [(m["url"], m["interval"]) for m in monitors] == [
        ("q.example.org", 120),
        ("c.example.org", 60),
    ]


def test_cli_refuses_a_public_host_given_twice() -> None:
    source = FIXTURES / "uptimerobot" / "tcp-port" / "input.monitrc"
    result = CliRunner().invoke(
        main, ["monit2uptimerobot", str(source), "--public-host", "a.org", "--public-host", "b.org"]
    )
    assert result.exit_code == 2
    assert "give one HOST" in result.output


def test_a_unit_without_checks_has_nothing_to_monitor(tmp_path: Path) -> None:
    unit = tmp_path / "web.service"
    unit.write_text("[Service]\nExecStart=/usr/bin/web\n")
    result = CliRunner().invoke(
        main, ["systemd2uptimerobot", str(unit), "--public-host", "www.example.org"]
    )
    assert result.exit_code == 2
    assert "nothing for UptimeRobot to monitor" in result.output
    assert result.stdout == ""


def test_every_field_it_cannot_hold_is_reported() -> None:
    """The kitchen-sink host of test_no_silent_drops: each set field is a monitor or a loss."""
    losses = LossLog()
    emit(KITCHEN_SINK_HOST, PUBLIC, losses)
    problems = []
    for service in KITCHEN_SINK_HOST.services:
        reported = {
            name.split(".")[0]
            for loss in losses.losses
            if loss.service == service.name
            for name in (loss.field, *loss.also)
        }
        blank = type(service)(name=service.name)
        for name in FIELDS:
            if getattr(service, name) == getattr(blank, name):
                continue
            held = support(CAPABILITIES, name) is not Support.NONE
            if not held and not ({name, "service"} & reported):
                problems.append(f"{service.name}.{name} cannot be held, yet is not reported")
    assert problems == []
    assert {loss.code for loss in losses.losses if loss.field == "extras"} == {"SV710", "SV713"}


def test_a_public_host_for_an_unknown_service_is_refused() -> None:
    case = Fixture("tcp-port", options=api.EmitOptions(service_hosts={"dbx": "db.example.org"}))
    with pytest.raises(SvconvError, match="the input has no service 'dbx'"):
        _convert(case)
