"""Real-world input: every monit file of ../shared/corpus converts to units systemd accepts.

Skipped when the corpus is absent (it sits beside the project; CI has it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.validators import monit_check, systemd_verify
from translator import api
from translator.errors import ParseError
from translator.model import Source

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
MONIT_FILES = sorted(
    p
    for pattern in ("github/monit/*", "debian/monit/etc/monit/**/*")
    for p in CORPUS.glob(pattern)
    if p.is_file() and not p.is_symlink()
)


def _translate(path: Path) -> api.Translation | None:
    source = Source(path=path.name, text=path.read_text())
    try:
        return api.convert(
            [source], target_format="systemd", source_format="monit", load_include=None
        )
    except ParseError as error:
        assert "outside a check" in str(error), error  # a fragment meant for an include
        return None


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", MONIT_FILES, ids=lambda p: p.name)
def test_corpus_file_converts_to_units_systemd_accepts(path: Path) -> None:
    translation = _translate(path)
    if translation is None:
        return
    units = {name: text for name, text in translation.files.items() if name.endswith(".service")}
    wrapped = {loss.service for loss in translation.losses if loss.code == "SV703"}
    processes = {s.name for s in translation.host.services if s.is_process}
    assert {name.removesuffix(".service") for name in units} == processes - wrapped
    if units:
        status, output = systemd_verify(units)
        assert (status, output) == (0, "")


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", MONIT_FILES, ids=lambda p: p.name)
def test_companion_checks_pass_monit_when_the_source_does(path: Path) -> None:
    translation = _translate(path)
    if translation is None:
        return
    source_status, _ = monit_check({"source.monitrc": path.read_text()})
    companions = {
        name.removeprefix("monit/"): text
        for name, text in translation.files.items()
        if name.startswith("monit/")
    }
    if source_status == 0 and companions:
        status, output = monit_check(companions)
        assert status == 0, output


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", MONIT_FILES, ids=lambda p: p.name)
def test_monit_output_passes_monit_when_the_source_does(path: Path) -> None:
    source = Source(path=path.name, text=path.read_text())
    try:
        translation = api.convert(
            [source], target_format="monit", source_format="monit", load_include=None
        )
    except ParseError as error:
        assert "outside a check" in str(error), error
        return
    if monit_check({"source.monitrc": path.read_text()})[0] == 0:
        status, output = monit_check(translation.files)
        assert status == 0, output


UNIT_FILES = sorted(
    p
    for root in ("debian", "github/systemd", "sysv-generator-output")
    for p in (CORPUS / root).rglob("*")
    if p.is_file() and p.suffix in (".service", ".socket", ".target") and ".d/" not in str(p)
)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
def test_every_corpus_unit_parses() -> None:
    failures = []
    for path in UNIT_FILES:
        try:
            api.parse(api.read_sources([path]), source_format="systemd")
        except ParseError as error:
            failures.append(str(error))
    assert failures == []
    assert len(UNIT_FILES) > 200
