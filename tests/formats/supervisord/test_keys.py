"""The options svconv knows for each process section are those supervisor asks for."""

from __future__ import annotations

from pathlib import Path

import pytest

from translator.formats.supervisord.keys import KEYS

supervisor_options = pytest.importorskip("supervisor.options")

CONFIG = """\
[supervisord]
logfile={tmp}/supervisord.log

[program:web]
command=/bin/cat

[eventlistener:listener]
command=/bin/cat
events=TICK_5

[fcgi-program:fcgi]
command=/bin/cat
socket=unix://{tmp}/fcgi.sock
"""


def test_each_section_knows_the_options_supervisor_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: dict[str, set[str]] = {}
    parser = supervisor_options.UnhosedConfigParser
    saneget = parser.saneget

    def recording(self, section, option, *args, **kwargs):
        asked.setdefault(section.partition(":")[0], set()).add(option)
        return saneget(self, section, option, *args, **kwargs)

    monkeypatch.setattr(parser, "saneget", recording)
    config = tmp_path / "supervisord.conf"
    config.write_text(CONFIG.format(tmp=tmp_path))
    supervisor_options.ServerOptions().realize(["-c", str(config)])
    assert {kind: asked[kind] for kind in KEYS} == KEYS
