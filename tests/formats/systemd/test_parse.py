"""The systemd reader: exec prefixes, specifiers, list resets, several ExecStart, aliases."""

from __future__ import annotations

import pytest

from tests.asserts import FIXTURES, model_differences
from translator import api, io
from translator.errors import ParseError
from translator.formats._options import EmitOptions, ParseOptions
from translator.formats.systemd.emit import emit
from translator.formats.systemd.parse import parse
from translator.loss import LossLog
from translator.model import Source

OPTIONS = ParseOptions(host_node_name="web01.example.org")


def read(name: str, text: str):
    return parse(Source(path=name, text=text), options=OPTIONS)


def exec_lines(name: str, text: str) -> list[str]:
    files = emit(read(name, text).host, EmitOptions(), LossLog())
    return [
        line for text in files.values() for line in text.splitlines() if line.startswith("Exec")
    ]


@pytest.mark.parametrize(
    ("name", "line", "argv"),
    [
        (
            "a.service",
            "/bin/echo %n %N %p %h %u %U %t %H %l %%",
            (
                "/bin/echo",
                "a.service",
                "a",
                "a",
                "/root",
                "root",
                "0",
                "/run",
                "web01.example.org",
                "web01",
                "%",
            ),
        ),
        (
            "tor@default.service",
            "/bin/echo %i %I %p %n",
            ("/bin/echo", "default", "default", "tor", "tor@default.service"),
        ),
        ("db-main@.service", "/bin/echo %j %f", ("/bin/echo", "main", "/${SVCONV_INSTANCE}")),
    ],
    ids=["plain", "instance", "template"],
)
def test_specifiers_are_resolved_for_the_system_manager(name, line, argv) -> None:
    service = read(name, f"[Service]\nExecStart={line}\n").host.services[0]
    assert service.start is not None
    assert service.start.argv == argv


@pytest.mark.parametrize(
    ("name", "text", "written"),
    [
        (
            "t@.service",
            "[Service]\nExecStart=/bin/echo %i %b 100%%\n",
            ["ExecStart=/bin/echo %i %b 100%%"],
        ),
        (
            "p.service",
            "[Service]\nExecStart=-/bin/false\nExecStop=+/bin/kill $MAINPID\n",
            ["ExecStart=-/bin/false", "ExecStop=+/bin/kill $MAINPID"],
        ),
    ],
    ids=["template-and-host-specifiers", "prefixes"],
)
def test_what_systemd_resolves_itself_is_written_back(name, text, written) -> None:
    assert exec_lines(name, text) == written


def test_an_unknown_specifier_is_an_error_at_its_line() -> None:
    with pytest.raises(ParseError, match="unknown specifier %Z") as caught:
        read("x.service", "[Service]\nType=simple\nExecStart=/bin/echo %Z\n")
    assert caught.value.span is not None and caught.value.span.line == 3


def test_several_exec_start_need_a_oneshot_service() -> None:
    with pytest.raises(ParseError, match="more than one ExecStart") as caught:
        read("x.service", "[Service]\nExecStart=/bin/a\nExecStart=/bin/b\n")
    assert caught.value.span is not None and caught.value.span.line == 3
    oneshot = "[Service]\nType=oneshot\nExecStart=/bin/a\nExecStart=-/bin/b x\n"
    assert exec_lines("y.service", oneshot) == ["ExecStart=/bin/a", "ExecStart=-/bin/b x"]


def test_an_empty_assignment_empties_a_list() -> None:
    text = (
        "[Unit]\nRequires=a.service\nRequires=\nRequires=b.service\n[Service]\n"
        "Environment=A=1\nEnvironment=\nEnvironment=B=2\nExecStart=/bin/x\n"
        "ExecStart=\nExecStart=/bin/y\n"
    )
    service = read("z.service", text).host.services[0]
    assert [d.name for d in service.dependencies] == ["b"]
    assert service.environment == (("B", "2"),)
    assert service.start is not None and service.start.argv == ("/bin/y",)


def test_an_alias_file_holds_no_service() -> None:
    result = read("sshd.service", "ssh.service\n")
    assert result.host.services == ()
    assert [d.code for d in result.diagnostics] == ["SV805"]


def test_infinity_optional_directory_and_legacy_limits_come_back() -> None:
    text = (
        "[Service]\nStartLimitInterval=60\nStartLimitBurst=3\nWorkingDirectory=-/srv/x\n"
        "ExecStart=/bin/x\nTimeoutStartSec=infinity\nTimeoutStopSec=1min 30s\n"
    )
    service = read("x.service", text).host.services[0]
    assert service.working_directory == "/srv/x"
    assert service.start_limit is not None
    assert (service.start_limit.burst, service.start_limit.interval) == (3, 60)
    assert service.stop_timeout == 90
    unit = emit(read("x.service", text).host, EmitOptions(), LossLog())["x.service"]
    assert "WorkingDirectory=-/srv/x" in unit.splitlines()
    assert "TimeoutStartSec=infinity" in unit.splitlines()
    assert "StartLimitIntervalSec=60" in unit.splitlines()


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("ExecStart=/bin/a\n[Service]\nExecStart=/bin/b\n", 1, "ExecStart= before any [Section]"),
        ("[Service]\nExecStart=/bin/b\nRestart=sometimes\n", 3, "Restart=sometimes is not"),
    ],
    ids=["outside-section", "bad-restart"],
)
def test_what_systemd_ignores_is_ignored_and_reported(text: str, line: int, what: str) -> None:
    result = read("x.service", text)
    service = result.host.services[0]
    assert service.start is not None and service.start.argv == ("/bin/b",)
    assert service.restart.when.value == "never"
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("SV110", line)]
    assert what in result.diagnostics[0].message


def test_a_restart_systemd_knows_but_the_model_does_not_is_kept() -> None:
    service = read("x.service", "[Service]\nExecStart=/bin/b\nRestart=on-abnormal\n").host
    assert service.services[0].restart.when.value == "on-failure"
    assert "Restart=on-abnormal" in emit(service, EmitOptions(), LossLog())["x.service"]


def test_dependencies_keep_their_strength() -> None:
    text = (
        "[Unit]\nWants=a.service\nRequires=b.service\nBindsTo=c.service\nAfter=c.service\n"
        "Wants=\nWants=d.service\n[Service]\nExecStart=/bin/x\n"
    )
    service = read("x.service", text).host.services[0]
    found = [(d.name, d.binding.value, d.is_ordered) for d in service.dependencies]
    assert found == [("d", "wants", False), ("b", "requires", False), ("c", "binds", True)]


def test_hooks_read_unless_a_prefix_needs_systemd() -> None:
    text = (
        "[Service]\nExecStartPre=-/bin/mkdir -p /run/x\nExecStartPre=/bin/true\n"
        "ExecStart=/bin/x\nExecStartPost=/bin/a\nExecStartPost=+/bin/b\nExecStopPost=/bin/c\n"
    )
    service = read("x.service", text).host.services[0]
    hooks = [(h.when.value, h.command.argv, h.ignores_failure) for h in service.hooks]
    assert hooks == [
        ("before-start", ("/bin/mkdir", "-p", "/run/x"), True),
        ("before-start", ("/bin/true",), False),
        ("after-stop", ("/bin/c",), False),
    ]
    # ExecStartPost lines stay together, in order, with their prefixes
    assert [e.value for e in service.extras if e.key == "Service.ExecStartPost"] == [
        "/bin/a",
        "+/bin/b",
    ]
    assert exec_lines("x.service", text) == [
        "ExecStartPre=-/bin/mkdir -p /run/x",
        "ExecStartPre=/bin/true",
        "ExecStart=/bin/x",
        "ExecStopPost=/bin/c",
        "ExecStartPost=/bin/a",
        "ExecStartPost=+/bin/b",
    ]


def test_resource_limits_are_read_and_the_last_one_wins() -> None:
    text = (
        "[Service]\nExecStart=/bin/x\nLimitNOFILE=1024\nLimitNOFILE=4096:8192\n"
        "LimitCORE=infinity\nMemoryMax=512M\nCPUQuota=20%\nLimitCORE=\n"
    )
    service = read("x.service", text).host.services[0]
    assert [(x.resource, x.value) for x in service.limits] == [
        ("nofile", "4096:8192"),
        ("memory", "512M"),
        ("cpu-quota", "20%"),
    ]


def test_an_older_systemd_gets_the_spellings_it_knows() -> None:
    text = (
        "[Unit]\nStartLimitIntervalSec=60\nStartLimitBurst=3\n[Service]\nExecStart=/bin/x\n"
        "StandardOutput=append:/var/log/x.log\n"
    )
    host = read("x.service", text).host
    losses = LossLog()
    unit = emit(host, EmitOptions(systemd_version=219), losses)["x.service"]
    service_section = unit.split("[Service]")[1].splitlines()
    assert "StartLimitInterval=60" in service_section
    assert "StartLimitBurst=3" in service_section
    assert "StandardOutput" not in unit
    assert [(loss.field, loss.span.line) for loss in losses.losses] == [("stdout", 6)]
    back = read("x.service", unit).host.services[0]
    assert back.start_limit == host.services[0].start_limit
    current = emit(host, EmitOptions(), LossLog())["x.service"]
    assert "StartLimitIntervalSec=60" in current.split("[Service]")[0]


def test_comments_go_back_before_what_they_preceded() -> None:
    text = (
        "# SPDX-License-Identifier: x\n[Unit]\n# what it is\nDescription=x\n\n[Service]\n"
        "ExecStart=/bin/x \\\n# inside a continuation: systemd drops it\n  --flag\n"
        "; about Nice\nNice=5\n# at the end\n"
    )
    host = read("x.service", text).host
    comments = [(c.before, c.text) for c in host.services[0].comments]
    assert comments == [
        ("[Unit]", "# SPDX-License-Identifier: x"),
        ("Unit.Description", "# what it is"),
        ("Service.Nice", "; about Nice"),
        (":end", "# at the end"),
    ]
    unit = emit(host, EmitOptions(), LossLog())["x.service"].splitlines()
    assert unit[unit.index("[Unit]") - 1] == "# SPDX-License-Identifier: x"
    assert unit[unit.index("Description=x") - 1] == "# what it is"
    assert unit[unit.index("Nice=5") - 1] == "; about Nice"
    assert unit[-1] == "# at the end"


def test_kept_drop_ins_are_written_back_and_merge_to_the_same_service(tmp_path) -> None:
    unit = FIXTURES / "systemd" / "dropin" / "app.service"
    sources = api.read_sources([unit])
    kept = api.convert(
        sources,
        source_format="systemd",
        target_format="systemd",
        options=ParseOptions(keep_dropins=True),
    )
    assert sorted(kept.files) == [
        "app.service",
        "app.service.d/10-command.conf",
        "app.service.d/20-restart.conf",
    ]
    assert "ExecStart=\nExecStart=/usr/bin/app" in kept.files["app.service.d/10-command.conf"]
    io.write_files(tmp_path, kept.files, force=False)
    merged = api.parse(sources, source_format="systemd").host
    again = api.parse(api.read_sources([tmp_path / "app.service"]), source_format="systemd").host
    assert list(model_differences(merged, again, ())) == []


def test_a_masked_unit_holds_no_service() -> None:
    result = read("x.service", "\n")
    assert result.host.services == ()
    assert [d.code for d in result.diagnostics] == ["SV805"]
    assert "masked" in result.diagnostics[0].message


def test_a_service_without_exec_start_is_refused_unless_oneshot() -> None:
    with pytest.raises(ParseError, match="no ExecStart="):
        read("x.service", "[Service]\nUser=nobody\n")
    oneshot = read("y.service", "[Service]\nType=oneshot\nExecStop=/bin/true\n").host
    assert oneshot.services[0].runs_once
