"""Command-line transcripts in fixtures/cli/*.md: files, command, exit status, streams."""

from __future__ import annotations

import re
import shlex  # noqa: TID251 - splits the transcript's command line, not a config's argv
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from translator.cli import main

TRANSCRIPTS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "cli").glob("*.md"))
_BLOCK = re.compile(r"^```(\w+)(?: (\S+))?\n(.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass
class Transcript:
    files: dict[str, str] = field(default_factory=dict)
    after: dict[str, str] = field(default_factory=dict)
    command: str = ""
    blocks: dict[str, str] = field(default_factory=dict)


def read_transcript(path: Path) -> Transcript:
    transcript = Transcript()
    for kind, name, body in _BLOCK.findall(path.read_text()):
        if kind == "file":
            transcript.files[name] = body
        elif kind == "after":
            transcript.after[name] = body
        elif kind == "command":
            transcript.command = body.strip()
        else:
            transcript.blocks[kind] = body
    return transcript


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.stem)
def test_transcript(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    transcript = read_transcript(path)
    for name, text in transcript.files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(transcript.command)
    assert argv[0] == "svconv"
    result = CliRunner().invoke(main, argv[1:], catch_exceptions=False)
    blocks = transcript.blocks
    assert result.exit_code == int(blocks["exit"])
    if "stderr" in blocks:
        assert result.stderr == blocks["stderr"]
    if "stdout" in blocks:
        assert result.stdout == blocks["stdout"]
    for name in blocks.get("absent", "").split():
        assert not (tmp_path / name).exists()
    for line in blocks.get("modes", "").splitlines():
        name, mode = line.split()
        assert oct((tmp_path / name).stat().st_mode & 0o777) == f"0o{mode.lstrip('0')}", name
    for name, text in transcript.after.items():
        assert (tmp_path / name).read_text() == text
    for name in blocks.get("unchanged", "").split():
        assert (tmp_path / name).read_text() == transcript.files[name]
    if "written" in blocks:
        written = sorted(
            str(p.relative_to(tmp_path))
            for p in tmp_path.rglob("*")
            if p.is_file() and str(p.relative_to(tmp_path)) not in transcript.files
        )
        assert written == blocks["written"].split()
