"""Real-world input: every monit file of ../shared/corpus converts to units systemd accepts.

Skipped when the corpus is absent (it sits beside the project; CI has it).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from tests.asserts import model_differences
from tests.validators import (
    SUPERVISOR_INTERPRETERS,
    monit_check,
    supervisor_check,
    systemd_verify,
)
from translator import api
from translator.errors import ParseError
from translator.formats import FORMATS
from translator.formats._capabilities import Support, support
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


_UNIT_SUFFIXES = (".service", ".socket", ".target", ".timer", ".path")
UNIT_FILES = sorted(
    p
    for root in ("debian", "github/systemd", "sysv-generator-output")
    for p in (CORPUS / root).rglob("*")
    if p.is_file() and p.suffix in _UNIT_SUFFIXES and ".d/" not in str(p)
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


PACKAGES = (
    sorted(
        p.parent.parent.parent
        for p in CORPUS.glob("debian/*/lib/systemd/system")
        if any(child.is_file() for child in p.iterdir())
    )  # slapd ships a drop-in only
    if CORPUS.is_dir()
    else []
)


def _package_units(package: Path) -> dict[str, Path]:
    """A package's unit files, without alias files (a name where the unit should be)."""
    units = {}
    for path in sorted((package / "lib/systemd/system").glob("*")):
        is_unit = path.is_file() and path.suffix in _UNIT_SUFFIXES
        if is_unit and "[" in path.read_text():
            units[path.name] = path
    return units


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_systemd_to_systemd_keeps_every_unit(package: Path) -> None:
    """The package's units (drop-ins merged; sockets, timers, paths, targets too) come back
    with no loss and an equal model, and systemd judges them as it judges the originals."""
    units = _package_units(package)
    originals = {name: path.read_text() for name, path in units.items()}
    written = _normalised_without_loss(
        [Source(path=str(path), text=originals[name]) for name, path in units.items()]
    )
    assert sorted(written) == sorted(originals)
    assert _verdict(systemd_verify(written)) == _verdict(systemd_verify(originals))
    for name, text in originals.items():
        assert Counter(_comment_lines(text)) <= Counter(_comment_lines(written[name])), name


def _normalised_without_loss(sources: list[Source]) -> dict[str, str]:
    """systemd2systemd ``sources``: assert nothing is lost and the written units read
    back to the same model; return the units written."""
    translation = api.convert(
        sources,
        target_format="systemd",
        source_format="systemd",
        emit=api.EmitOptions(companion=False),
    )
    assert [str(loss.as_diagnostic()) for loss in translation.losses] == []
    written = {n: t for n, t in translation.files.items() if "/" not in n}
    back = api.parse(
        [Source(path=n, text=t) for n, t in sorted(written.items())],
        source_format="systemd",
        load_include=None,
    ).host
    assert list(model_differences(translation.host, back, translation.losses)) == []
    return written


def _comment_lines(text: str) -> list[str]:
    """The comment lines of a unit, bar those inside a continued value (systemd drops them)."""
    lines, continued = [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("#", ";")) and not continued:
            lines.append(line.strip())
        elif line.strip():
            continued = line.rstrip().endswith("\\")
    return lines


_MISSING = re.compile(r"(Failed to create \S+/start): Unit \S+ not found\.")


def _verdict(result: tuple[int, str]) -> tuple[int, list[str]]:
    """systemd's verdict, bar which missing unit it names first (its hash order varies)."""
    status, output = result
    return status, sorted(_MISSING.sub(r"\1: a unit it needs is missing", output).splitlines())


DEBIAN_SERVICES = (
    sorted(
        p
        for p in CORPUS.glob("debian/*/lib/systemd/system/*.service")
        if p.is_file() and "[" in p.read_text()
    )
    if CORPUS.is_dir()
    else []
)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", DEBIAN_SERVICES, ids=lambda p: p.name)
def test_debian_unit_becomes_supervisord_and_monit_files_they_accept(path: Path) -> None:
    source = Source(path=str(path), text=path.read_text())
    options = api.EmitOptions(companion=False)
    supervisord = api.convert(
        [source], target_format="supervisord", source_format="systemd", emit=options
    )
    programs = {n: t for n, t in supervisord.files.items() if "/" not in n}
    status, output = supervisor_check(programs, SUPERVISOR_INTERPRETERS["pypi"])
    assert status == 0, output
    monit = api.convert([source], target_format="monit", source_format="systemd", emit=options)
    status, output = monit_check(monit.files)
    assert status == 0, output


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("middle", ["supervisord", "monit"])
@pytest.mark.parametrize("path", DEBIAN_SERVICES, ids=lambda p: p.name)
def test_systemd_through_another_format_loses_nothing_it_does_not_report(
    path: Path, middle: str
) -> None:
    """systemd → supervisord|monit → systemd: what comes back equals the unit, bar the
    fields the first hop reported (and the middle's own defaults for what it left unsaid).

    monit runs the program itself (--monit-owns-process): watching it would leave the
    unit with systemd, and there would be nothing to bring back.
    """
    options = api.EmitOptions(companion=False, owns_process=True)
    first = api.convert(
        [Source(path=str(path), text=path.read_text())],
        target_format=middle,
        source_format="systemd",
        emit=options,
    )
    written = [Source(path=n, text=t) for n, t in sorted(first.files.items()) if "/" not in n]
    second = api.convert(
        written, target_format="systemd", source_format=middle, load_include=None, emit=options
    )
    units = [Source(path=n, text=t) for n, t in sorted(second.files.items()) if "/" not in n]
    back = api.parse(units, source_format="systemd", load_include=None).host
    defaults = getattr(FORMATS[middle].module, "DEFAULTS", {})
    assert list(model_differences(first.host, back, first.losses, defaults)) == []
    held = FORMATS[middle].module.CAPABILITIES
    paths = [d.split(": ")[0] for d in model_differences(first.host, back, (), defaults)]
    changed = [  # a whole service missing is reported (checked above)
        path for path in paths if "." in path and support(held, path.split(".")[1]) is Support.FULL
    ]
    assert changed == [], f"{middle} holds these fully, by its capability table"


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
def test_a_drop_in_whose_unit_is_generated_verifies_with_it(tmp_path: Path) -> None:
    """slapd ships only a drop-in, for the unit systemd-sysv-generator makes of its
    init script: together they come back with no loss and the same verdict."""
    unit = tmp_path / "slapd.service"
    unit.write_text((CORPUS / "sysv-generator-output/debian/slapd.service").read_text())
    drop_ins = CORPUS / "debian/slapd/lib/systemd/system/slapd.service.d"
    shutil.copytree(drop_ins, tmp_path / "slapd.service.d")
    translation = api.convert(
        api.read_sources([unit]),
        target_format="systemd",
        source_format="systemd",
        emit=api.EmitOptions(companion=False),
    )
    assert translation.losses == ()
    assert "RemainAfterExit=no" in translation.files["slapd.service"]
    originals = {"slapd.service": unit.read_text()} | {
        f"slapd.service.d/{p.name}": p.read_text() for p in drop_ins.iterdir()
    }
    assert _verdict(systemd_verify(translation.files)) == _verdict(systemd_verify(originals))


OTHER_UNITS = (
    sorted(
        p
        for root in ("sysv-generator-output", "github/systemd")
        for p in (CORPUS / root).rglob("*")
        if p.is_file() and p.suffix in _UNIT_SUFFIXES and "[" in p.read_text()  # not an alias
    )
    if CORPUS.is_dir()
    else []
)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", OTHER_UNITS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_generator_and_github_units_come_back(path: Path) -> None:
    """systemd → model → systemd for the generator's and GitHub's units: no loss, an
    equal model, and systemd's verdict on the original (drop-ins merged) is unchanged."""
    written = _normalised_without_loss(api.read_sources([path]))
    originals = {path.name: path.read_text()}
    drop_ins = path.parent / f"{path.name}.d"
    if drop_ins.is_dir():
        originals |= {f"{drop_ins.name}/{p.name}": p.read_text() for p in drop_ins.glob("*.conf")}
    assert _verdict(systemd_verify(written)) == _verdict(systemd_verify(originals))


INIT_SCRIPTS = (
    sorted(
        [p for p in CORPUS.glob("debian/*/etc/init.d/*") if p.is_file()]
        + [p for p in CORPUS.glob("github/sysv/*") if "sysconfig" not in p.name]
    )
    if CORPUS.is_dir()
    else []
)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", INIT_SCRIPTS, ids=lambda p: p.name)
def test_init_script_becomes_a_unit_systemd_accepts(path: Path) -> None:
    """Every init script of the corpus is read (its /etc/default file from its package's
    tree) and becomes a unit that systemd-analyze verify accepts."""
    translation = api.convert(
        api.read_sources([path]),
        source_format="initd",
        target_format="systemd",
        emit=api.EmitOptions(companion=False),
    )
    units = {n: t for n, t in translation.files.items() if "/" not in n}
    assert units
    status, output = systemd_verify(units)
    assert status == 0, output
