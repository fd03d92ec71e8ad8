"""Table-driven translations: one input, the exact files and losses per target, and back."""

from __future__ import annotations

import pytest

from tests.asserts import Case, assert_translates

CASES = [
    Case(
        "dummy",
        read="monit",
        write=(
            "systemd",
            "monit",
            "supervisord",
            "initd",
            "runit",
            "daemontools",
            "s6",
            "upstart",
            "angel",
        ),
    ),
    Case("crond", read="monit", write=("systemd", "monit")),
    Case("sshd", read="monit", write=("systemd", "monit")),
    Case("full-process", read="monit", write=("systemd", "monit", "supervisord")),
    Case("watch-only", read="monit", write=("systemd", "monit")),
    Case(
        "webapp",
        read="systemd",
        write=("monit", "systemd", "supervisord", "initd"),
        input="webapp.service",
    ),
    Case("web", read="supervisord", write=("systemd", "monit", "supervisord"), input="web.conf"),
    Case(
        "timer",
        read="systemd",
        write=("systemd", "monit", "supervisord"),
        input="backup.service backup.timer backup.path",
    ),
    *(
        Case(case, read="initd", write=("systemd", "monit", "supervisord", "initd"), input=script)
        for case, script in (
            ("rhel-nginx", "root/etc/init.d/nginx"),
            ("debian-app", "root/etc/init.d/queue"),
            ("su-nohup", "root/etc/init.d/reporter"),
            ("no-daemon", "root/etc/init.d/firewall"),
            ("rhel-sshd", "root/etc/rc.d/init.d/sshd"),
            ("init-d-script", "root/etc/init.d/metricsd"),
            ("mysqld-safe", "root/etc/init.d/appdb"),
        )
    ),
    Case("dropin", read="systemd", write=("systemd", "supervisord", "monit"), input="app.service"),
    Case(
        "workers",
        read="supervisord",
        write=("systemd", "monit", "supervisord"),
        input="workers.conf",
    ),
    Case("web", read="runit", write=("runit", "systemd"), input="web/run"),
    Case("initscript-start", read="monit", write=("runit", "supervisord", "angel")),
    Case("sshd-svdir", read="monit", write=("runit", "daemontools", "s6")),
    Case(
        "cache",
        read="daemontools",
        write=("daemontools", "runit", "s6", "systemd"),
        input="cache/run",
    ),
    Case("web", read="s6", write=("s6", "runit", "daemontools", "systemd"), input="web/run"),
    *(
        Case(case, read="upstart", write=("upstart", "systemd"), input=f"root/etc/init/{job}.conf")
        for case, job in (("relayd", "relayd"), ("tunnel", "tunnel"), ("override", "cachesrv"))
    ),
    *(
        Case(case, read="angel", write=("angel", "systemd", "supervisord"), input="angel.conf")
        for case in ("web", "never-kill", "imports")
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_translation(case: Case) -> None:
    assert_translates(case)
