"""Writing Angel files: one file per user, foreground forms, and what Angel cannot hold."""

from __future__ import annotations

from translator import api
from translator.formats._options import EmitOptions
from translator.formats.angel import emit, parse
from translator.loss import LossLog
from translator.model import (
    Command,
    Host,
    Output,
    RestartPolicy,
    RestartWhen,
    Service,
    Source,
    StartLimit,
)


def write(*services: Service) -> tuple[dict[str, str], list[str]]:
    losses = LossLog()
    files = emit(Host(services=services), EmitOptions(), losses)
    return files, [f"{loss.service} {loss.code} {loss.field}" for loss in losses.ordered()]


def service(name: str, *argv: str, **fields: object) -> Service:
    return Service(name=name, start=Command(argv=argv), daemonizes=False, **fields)  # type: ignore[arg-type]


def test_services_of_different_users_go_to_a_file_each() -> None:
    files, losses = write(
        service("web", "/usr/bin/web", user="www"),
        service("db", "/usr/bin/db", user="postgres"),
        service("cron", "/usr/sbin/cron", "-f"),
    )
    assert files == {
        "angel-www.conf": 'user = "www"\n\nweb {\n    exec = "/usr/bin/web"\n}\n',
        "angel-postgres.conf": 'user = "postgres"\n\ndb {\n    exec = "/usr/bin/db"\n}\n',
        "angel.conf": 'cron {\n    exec = "/usr/sbin/cron -f"\n}\n',
    }
    assert "web SV710 user" in losses and "db SV710 user" in losses
    assert not any(line.startswith("cron SV710 user") for line in losses)


def test_services_of_one_user_share_angel_conf() -> None:
    files, _ = write(service("a", "/bin/a", user="app"), service("b", "/bin/b", user="app"))
    assert list(files) == ["angel.conf"]
    assert files["angel.conf"].startswith('user = "app"\n\na {')


def test_a_daemon_runs_in_its_foreground_form() -> None:
    files, losses = write(
        Service(name="sshd", start=Command(argv=("/usr/sbin/sshd",)), daemonizes=True)
    )
    assert 'exec = "/usr/sbin/sshd -D"' in files["angel.conf"]
    assert "sshd SV717 daemonizes" in losses


def test_a_daemon_without_a_foreground_form_is_not_written() -> None:
    files, losses = write(
        Service(name="app", start=Command(argv=("/etc/init.d/app", "start")), daemonizes=True)
    )
    assert files == {}
    assert losses == ["app SV715 service"]


def test_an_argument_with_a_space_keeps_the_service_out() -> None:
    files, losses = write(service("a", "/bin/sh", "-c", "exec /bin/a"))
    assert files == {}
    assert losses == ["a SV702 service"]


def test_what_angel_cannot_hold_is_reported() -> None:
    files, losses = write(
        service(
            "web.1",
            "/usr/bin/web",
            group="www",
            umask="022",
            stdout=Output(kind="managed"),
            stderr=Output(kind="inherit"),
            restart=RestartPolicy(when=RestartWhen.ON_FAILURE, delay=2.5),
            start_limit=StartLimit(burst=3, interval=60),
            stop_timeout=0.5,
            stop_signal="SIGINT",
        )
    )
    text = files["angel.conf"]
    assert text.startswith("web-1 {\n") and "delay = 2\n" in text and "termgrace = 1\n" in text
    for field in (
        "name", "group", "umask", "stdout", "stderr", "restart", "restart.delay",
        "start_limit", "stop_timeout", "stop_signal", "environment",
    ):  # fmt: skip
        assert f"web.1 SV710 {field}" in losses, field


def test_a_written_file_reads_back_the_same_and_writes_the_same_bytes() -> None:
    files, _ = write(
        service(
            "web",
            "/usr/bin/web",
            "--port",
            "8080",
            user="www",
            working_directory="/srv/web",
            environment=(("GREETING", 'say "hi"\tnow'),),
            stdout=Output(kind="file", path="/var/log/web.log"),
            pidfile="/run/web.pid",
            restart=RestartPolicy(when=RestartWhen.ALWAYS, delay=2),
            stop_timeout=9,
            instances=2,
            first_instance=1,
        )
    )
    back = parse(Source(path="angel.conf", text=files["angel.conf"])).host
    (web,) = back.services
    assert web.environment == (("GREETING", 'say "hi"\tnow'),)
    assert (web.instances, web.first_instance, web.stop_timeout) == (2, 1, 9)
    again = api.convert(
        [Source(path="angel.conf", text=files["angel.conf"])],
        target_format="angel",
        source_format="angel",
    )
    assert again.files["angel.conf"].split("\n", 1)[1] == files["angel.conf"]
