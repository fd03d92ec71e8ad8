"""Writing runit service directories: exact files, losses, shell validity, file modes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.validators import shell_check
from translator import api, io
from translator.formats._options import EmitOptions
from translator.formats.runit import emit
from translator.loss import LossLog
from translator.model import (
    Command,
    Host,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    StartLimit,
)

LOG_RUN = "#!/bin/sh\nmkdir -p /var/log/web\nexec svlogd -tt /var/log/web\n"
COUNTING_FINISH = """\
#!/bin/sh
# at most 10 starts in 60 seconds, then the service stays down
now=$(date +%s)
{ cat supervise/svconv-exits 2>/dev/null; echo "$now"; } |
  awk -v now="$now" 'now - $1 < 60' >supervise/svconv-exits.new
mv supervise/svconv-exits.new supervise/svconv-exits
if [ "$(wc -l <supervise/svconv-exits)" -ge 10 ]; then
  rm -f supervise/svconv-exits
  exec sv down .
fi
"""
CASES = [
    (
        "plain",
        Service(name="web", start=Command(argv=("/usr/bin/web", "a b")),
                restart=RestartPolicy(when=RestartWhen.ALWAYS)),
        {
            "web/run": "#!/bin/sh\nexec 2>&1\nexec /usr/bin/web 'a b'\n",
            "web/log/run": LOG_RUN,
        },
        [],
    ),
    (
        "identity-env-down",
        Service(
            name="web",
            start=Command(argv=("web",)),
            user="www",
            group="adm",
            working_directory="/srv/web",
            umask="027",
            environment=(("A", "1"), ("B", "x y")),
            enabled_at_boot=False,
            restart=RestartPolicy(when=RestartWhen.ALWAYS),
        ),
        {
            "web/run": "#!/bin/sh\nexec 2>&1\ncd /srv/web || exit 1\numask 027\n"
            "exec chpst -u www:adm -e /etc/sv/web/env web\n",
            "web/log/run": LOG_RUN,
            "web/env/A": "1\n",
            "web/env/B": "x y\n",
            "web/down": "",
        },
        [],
    ),
    (
        "start-limit-and-restart-lost",
        Service(name="web", start=Command(argv=("web",)),
                start_limit=StartLimit(burst=10, interval=60)),
        {"web/run": "#!/bin/sh\nexec 2>&1\nexec web\n", "web/log/run": LOG_RUN,
         "web/finish": COUNTING_FINISH},
        ["SV710 runsv restarts forever; it has no limit of 10 starts in 60s; approximated: "
         "finish counts exits in supervise/svconv-exits and runs sv down .",
         "SV710 runsv starts a service again whenever it exits; restarted always"],
    ),
    (
        "daemon-with-foreground-form",
        Service(name="cron", start=Command(argv=("/usr/sbin/cron",)), daemonizes=True,
                restart=RestartPolicy(when=RestartWhen.ALWAYS)),
        {
            "cron/run": "#!/bin/sh\nexec 2>&1\nexec /usr/sbin/cron -f\n",
            "cron/log/run": LOG_RUN.replace("web", "cron"),
        },
        None,
    ),
    (
        "daemon-without-foreground-form",
        Service(name="web", start=Command(argv=("/opt/webd",)), daemonizes=True),
        {},
        None,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("case", "service", "files", "losses"), CASES, ids=[c[0] for c in CASES])
def test_emit(case: str, service: Service, files: dict[str, str], losses: list[str] | None) -> None:
    log = LossLog()
    assert emit(Host(services=(service,)), EmitOptions(companion=False), log) == files
    codes = [f"{lo.code} {lo.reason}; {lo.action}" for lo in log.ordered()]
    if losses is not None:
        assert codes == losses
    elif not files:
        assert [lo.code for lo in log.ordered()] == ["SV715"]


@pytest.mark.parametrize(("case", "service", "files", "losses"), CASES, ids=[c[0] for c in CASES])
def test_scripts_pass_sh_and_shellcheck(
    case: str, service: Service, files: dict[str, str], losses: object, tmp_path: Path
) -> None:
    for name, text in files.items():
        if name.endswith(("run", "finish")):
            script = tmp_path / name.replace("/", "_")
            script.write_text(text)
            assert shell_check(script) == [], name


def test_run_files_are_written_executable(tmp_path: Path) -> None:
    translation = api.convert(
        [Source(path="web.conf", text="[program:web]\ncommand=/usr/bin/web\n")],
        source_format="supervisord",
        target_format="runit",
        load_include=None,
    )
    assert translation.executables == frozenset({"web/run", "web/log/run"})
    io.write_files(tmp_path, translation.files, force=False, executables=translation.executables)
    modes = {
        str(p.relative_to(tmp_path)): stat.S_IMODE(p.stat().st_mode)
        for p in sorted(tmp_path.rglob("*"))
        if p.is_file()
    }
    assert modes == {"web/log/run": 0o755, "web/run": 0o755}
