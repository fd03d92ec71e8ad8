"""runit ``finish``: post-stop hooks read back, and the counting start limit at work."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from tests.validators import require
from translator.formats._options import EmitOptions
from translator.formats.runit import emit, parse
from translator.loss import LossLog
from translator.model import Command, Hook, HookTime, Host, Service, Source, Span, StartLimit

LIMITED = Service(
    name="web",
    start=Command(argv=("/usr/bin/web",)),
    start_limit=StartLimit(burst=3, interval=60),
    hooks=(
        Hook(
            when=HookTime.AFTER_STOP,
            command=Command(argv=("/bin/echo", "stopped")),
            ignores_failure=True,
        ),
    ),
)


def _finish(tmp_path: Path) -> Path:
    files = emit(Host(services=(LIMITED,)), EmitOptions(), LossLog())
    service = tmp_path / "web"
    (service / "supervise").mkdir(parents=True)
    finish = service / "finish"
    finish.write_text(files["web/finish"])
    finish.chmod(0o755)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_sv = bin_dir / "sv"
    fake_sv.write_text(f'#!/bin/sh\necho "$*" >>{tmp_path}/sv-calls\n')
    fake_sv.chmod(0o755)
    return finish


def _run(finish: Path, tmp_path: Path) -> None:
    environment = {**os.environ, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}"}
    subprocess.run(
        [require("sh"), str(finish)], cwd=finish.parent, env=environment, check=True, timeout=10
    )


def test_the_service_goes_down_at_the_limit_of_recent_exits(tmp_path: Path) -> None:
    finish = _finish(tmp_path)
    exits = finish.parent / "supervise" / "svconv-exits"
    exits.write_text(f"{int(time.time()) - 3600}\n")  # an hour ago: outside the interval
    calls = tmp_path / "sv-calls"
    for _ in range(2):
        _run(finish, tmp_path)
    assert not calls.exists()
    assert len(exits.read_text().split()) == 2
    _run(finish, tmp_path)
    assert calls.read_text() == "down .\n"
    assert not exits.exists()


def test_finish_reads_back_as_the_hooks_and_the_limit() -> None:
    files = emit(Host(services=(LIMITED,)), EmitOptions(), LossLog())

    def load(pattern: str, span: Span) -> list[Source]:
        name = f"web/{pattern}"
        return [Source(path=name, text=files[name])] if name in files else []

    result = parse(Source(path="web/run", text=files["web/run"]), load_include=load)
    (service,) = result.host.services
    assert service.start_limit == LIMITED.start_limit
    assert service.hooks == LIMITED.hooks
    assert files["web/finish"].startswith("#!/bin/sh\n/bin/echo stopped || true\n# at most 3")
