"""Every field an emitter cannot write is in its loss report: nothing is dropped silently.

A service with every model field set goes through each format's emitter and parser; what
comes back must equal what went in, except the fields the loss log names.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.asserts import READ_BACK, model_differences, read_back
from translator import api
from translator.formats import FORMATS
from translator.formats._capabilities import FIELDS, Support, support
from translator.formats._options import EmitOptions
from translator.loss import LossLog
from translator.model import (
    Action,
    Alert,
    AttributeProbe,
    Binding,
    Command,
    Dependency,
    EnvironmentFile,
    Extra,
    HealthCheck,
    Hook,
    HookTime,
    Host,
    NetworkProbe,
    Origin,
    Output,
    ResourceLimit,
    ResourceProbe,
    RestartPolicy,
    RestartWhen,
    Service,
    ServiceKind,
    Span,
    StartLimit,
)

DATABASE = Service(
    name="db",
    start=Command(argv=("/usr/sbin/dbd",)),
    pidfile="/run/db.pid",
    daemonizes=True,
    restart=RestartPolicy(when=RestartWhen.ALWAYS),
)
KITCHEN_SINK = Service(
    name="sink",
    description="Kitchen sink",
    start=Command(argv=("/usr/sbin/sinkd", "--config", "/etc/sink/a b.conf"), timeout=30),
    stop=Command(argv=("/usr/sbin/sinkd", "--stop"), timeout=10),
    restart_command=Command(argv=("/usr/sbin/sinkd", "--restart")),
    reload=Command(argv=("/usr/sbin/sinkd", "--reload")),
    working_directory="/srv/sink",
    user="sink",
    group="sink",
    umask="0027",
    environment=(("LANG", "C.UTF-8"), ("GREETING", 'say "hi" at 100%')),
    environment_files=(EnvironmentFile(path="/etc/default/sink", is_optional=True),),
    stdout=Output(kind="file", path="/var/log/sink.out"),
    stderr=Output(kind="null"),
    pidfile="/run/sink.pid",
    daemonizes=True,
    stop_signal="SIGINT",
    stop_timeout=15,
    stops_process_group=True,
    kills_process_group=True,
    success_exit_codes=(0, 2),
    min_uptime=5,
    start_order=50,
    restart=RestartPolicy(when=RestartWhen.ON_FAILURE, delay=5),
    start_limit=StartLimit(burst=3, interval=60, action=Action.ALERT),
    health_checks=(
        HealthCheck(
            probe=NetworkProbe(port=8080, protocol="http", request="/health"), action=Action.RESTART
        ),
        HealthCheck(probe=ResourceProbe(metric="memory", operator=">", limit=80, unit="%")),
    ),
    dependencies=(
        Dependency(name="network-online.target", is_ordered=False, binding=Binding.WANTS),
        Dependency(name="db"),
    ),
    hooks=(
        Hook(when=HookTime.BEFORE_START, command=Command(argv=("/bin/mkdir", "-p", "/run/sink"))),
        Hook(when=HookTime.AFTER_STOP, command=Command(argv=("/bin/true",)), ignores_failure=True),
    ),
    limits=(
        ResourceLimit(resource="nofile", value="65536"),
        ResourceLimit(resource="memory", value="1G"),
    ),
    groups=("web",),
    enabled_at_boot=False,
    instances=2,
    alerts=(Alert(recipient="ops@example.org"),),
    extras=(
        Extra(format="systemd", key="Service.Nice", value="5"),
        Extra(format="monit", key="every", value="every 2 cycles"),
    ),
)
TASK = Service(
    name="rotate",
    start=Command(argv=("/usr/sbin/logrotate", "/etc/logrotate.conf")),
    runs_once=True,
    daemonizes=False,
)
CONFIG = Service(
    name="sink_config",
    kind=ServiceKind.FILE,
    target="/etc/sink/sink.conf",
    health_checks=(HealthCheck(probe=AttributeProbe(attribute="checksum", changed=True)),),
)
HOST = Host(
    services=(DATABASE, KITCHEN_SINK, TASK, CONFIG),
    probe_interval=30,
    extras=(
        Extra(
            format="systemd",
            key="Timer.OnCalendar",
            value="daily",
            file="rotate.timer",
            origin=Origin(span=Span(path="rotate.timer", line=2, column=1)),
        ),
        Extra(
            format="systemd",
            key="Install.WantedBy",
            value="timers.target",
            file="rotate.timer",
            origin=Origin(span=Span(path="rotate.timer", line=4, column=1)),
        ),
        Extra(
            format="monit",
            key="set logfile",
            value="set logfile syslog",
            origin=Origin(span=Span(path="monitrc", line=1, column=1)),
        ),
    ),
)
TARGETS = [
    fmt for fmt in FORMATS.values() if hasattr(fmt.module, "parse") and hasattr(fmt.module, "emit")
]


@pytest.mark.parametrize("target", TARGETS, ids=lambda fmt: fmt.id)
def test_every_field_is_written_or_reported(target) -> None:
    losses = LossLog()
    files = target.module.emit(HOST, EmitOptions(companion=False), losses)
    sources, loader = read_back(target.id, files)
    options = READ_BACK.get(target.id)
    back = api.parse(sources, source_format=target.id, load_include=loader, options=options).host
    defaults = getattr(target.module, "DEFAULTS", {})
    assert list(model_differences(HOST, back, tuple(losses.losses), defaults)) == []


def _round_trip(target) -> tuple[list, Host]:
    losses = LossLog()
    files = target.module.emit(HOST, EmitOptions(companion=False), losses)
    sources, loader = read_back(target.id, files)
    options = READ_BACK.get(target.id)
    back = api.parse(sources, source_format=target.id, load_include=loader, options=options)
    return losses.losses, back.host


def _top(path: str) -> str:
    return path.split(".")[0]


@pytest.mark.parametrize("target", TARGETS, ids=lambda fmt: fmt.id)
def test_the_capability_table_says_what_survives(target) -> None:
    """A field the format holds fully is neither reported nor changed; one it cannot hold
    is reported whenever it is set."""
    losses, back = _round_trip(target)
    defaults = getattr(target.module, "DEFAULTS", {})
    changed = {
        tuple(difference.split(":")[0].split(".")[:2])
        for difference in model_differences(HOST, back, (), defaults)
    }
    problems = []
    for service in HOST.services:
        reported = {
            _top(name)
            for loss in losses
            if loss.service == service.name
            for name in (loss.field, *loss.also)
        }
        for name in FIELDS:
            if getattr(service, name) == _DEFAULTS[name]:
                continue
            level = support(target.module.CAPABILITIES, name)
            lost = name in reported or (service.name, name) in changed
            if level is Support.FULL and lost and "service" not in reported:
                problems.append(f"{service.name}.{name} is held fully, yet lost")
            if level is Support.NONE and not ({name, "service"} & reported):
                problems.append(f"{service.name}.{name} cannot be held, yet is not reported")
    assert problems == []


_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Service)}
