"""Shared assertions: exact translations, exact losses, and round trips through the model."""

from __future__ import annotations

import dataclasses
import fnmatch
import glob
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from translator import api
from translator.diagnostics import IncludeLoader
from translator.formats import FORMATS
from translator.loss import Loss
from translator.model import Extra, Host, Service, Source, Span

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OWN_FILES = {
    "systemd": (".service", ".target", ".socket", ".timer", ".path"),
    "monit": (".monitrc",),
    "supervisord": (".conf",),
    "initd": ("",),
    "upstart": (".conf",),
    "runit": ("/run",),
    "daemontools": ("/run",),
    "s6": ("/run",),
    "angel": (".conf",),
}
READ_BACK = {"initd": api.ParseOptions(restarts_daemons=False)}
"""How a round trip reads a target back: an init script as SysV ran it, never restarted."""
"""The suffix of the files a target writes for services (companions and drop-ins aside)."""


@dataclass(frozen=True)
class Case:
    """One fixture directory read as ``read`` and written to every format in ``write``.

    ``input`` names the file read, or several separated by spaces (read together).
    """

    id: str
    read: str
    write: tuple[str, ...]
    input: str = "input.monitrc"
    notes: str = field(default="", compare=False)

    @property
    def directory(self) -> Path:
        return FIXTURES / self.read / self.id


def chroot_loader(root: Path) -> IncludeLoader:
    """Resolve includes as io.resolve_include does, but absolute paths under ``root``."""

    def load(pattern: str, span: Span) -> list[Source]:
        base = root.parent / Path(span.path).parent  # input paths are relative to the case
        full = root / pattern.lstrip("/") if pattern.startswith("/") else base / pattern
        found = sorted(p for p in glob.glob(str(full)) if Path(p).is_file())  # noqa: PTH207
        return [
            Source(path=str(Path(p).relative_to(root.parent)), text=Path(p).read_text())
            for p in found
        ]

    return load


def read_expected(directory: Path) -> dict[str, str]:
    """Every file under ``directory``, keyed by its path relative to it."""
    return {
        str(p.relative_to(directory)): p.read_text()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def loss_lines(losses: tuple[Loss, ...]) -> list[str]:
    return [str(loss.as_diagnostic()) for loss in losses]


def translate(case: Case, target: str) -> api.Translation:
    sources = [
        Source(path=name, text=(case.directory / name).read_text()) for name in case.input.split()
    ]
    return api.convert(
        sources,
        target_format=target,
        source_format=case.read,
        load_include=chroot_loader(case.directory / "root"),
    )


def assert_translates(case: Case) -> None:
    """Exact files and loss lines per target, then a round trip back through the model."""
    problems: list[str] = []
    for target in case.write:
        expected_dir = case.directory / "expected" / target
        translation = translate(case, target)
        expected = read_expected(expected_dir)
        if translation.files != expected:
            problems.append(_file_diff(target, expected, translation.files))
        expected_losses = (case.directory / "expected" / f"{target}.losses").read_text()
        actual_losses = "".join(f"{line}\n" for line in loss_lines(translation.losses))
        if actual_losses != expected_losses:
            problems.append(
                f"{target} losses:\n--- expected\n{expected_losses}--- actual\n{actual_losses}"
            )
        problems.extend(round_trip_problems(translation, target))
    assert not problems, "\n\n".join(problems)


def _file_diff(target: str, expected: dict[str, str], actual: dict[str, str]) -> str:
    lines = [f"{target}: files differ"]
    for name in sorted(set(expected) | set(actual)):
        if expected.get(name) != actual.get(name):
            lines.append(
                f"--- expected {name}\n{expected.get(name)}--- actual {name}\n{actual.get(name)}"
            )
    return "\n".join(lines)


DIRECTORY_FORMATS = {"runit": "/run", "daemontools": "/run", "s6": "/run"}
"""Targets that write a directory per service: read back through its main file."""


def files_loader(files: dict[str, str]) -> IncludeLoader:
    """Resolve includes (``env/*``, ``down``) among emitted files, beside the file read."""

    def load(pattern: str, span: Span) -> list[Source]:
        base = str(Path(span.path).parent)
        full = f"{base}/{pattern}" if base != "." else pattern
        return [
            Source(path=name, text=text)
            for name, text in sorted(files.items())
            if fnmatch.fnmatchcase(name, full) and name.count("/") == full.count("/")
        ]

    return load


def read_back(target: str, files: dict[str, str]) -> tuple[list[Source], IncludeLoader | None]:
    """The files a round trip reads of ``target``'s output, and how it finds the rest."""
    suffix = DIRECTORY_FORMATS.get(target)
    if suffix is None:
        return [Source(path=n, text=t) for n, t in sorted(files.items()) if "/" not in n], None
    mains = [
        Source(path=n, text=t)
        for n, t in sorted(files.items())
        if n.count("/") == 1 and n.endswith(suffix)
    ]
    return mains, files_loader(files)


def own_files(translation: api.Translation, target: str) -> dict[str, str]:
    """The files of ``target`` itself: no companion checks, no drop-ins for other units."""
    suffix = OWN_FILES[target]
    keep_alive = getattr(FORMATS[target].module, "keep_alive", lambda watcher: {})("monit")
    return {
        name: text
        for name, text in translation.files.items()
        if ("/" not in name or target in DIRECTORY_FORMATS)
        and name not in keep_alive
        and (name.endswith(suffix) or name == "monitrc" or target in DIRECTORY_FORMATS)
    }


def round_trip_problems(translation: api.Translation, target: str) -> list[str]:
    """Read the target's files back: the model must match bar declared losses, and a
    second emit must give the same bytes."""
    files = own_files(translation, target)
    sources, loader = read_back(target, files)
    if target not in DIRECTORY_FORMATS:
        sources = [Source(path=name, text=text) for name, text in sorted(files.items())]
    options = READ_BACK.get(target)
    back = (
        api.parse(sources, source_format=target, load_include=loader, options=options).host
        if sources
        else Host()
    )
    defaults = getattr(FORMATS[target].module, "DEFAULTS", {})
    problems = list(model_differences(translation.host, back, translation.losses, defaults))
    again = (
        api.convert(
            sources,
            target_format=target,
            source_format=target,
            load_include=loader,
            options=options,
        )
        if sources
        else None
    )
    for name, text in files.items():
        if again is not None and _body(again.files.get(name, "")) != _body(text):
            problems.append(f"{target}: second emit of {name} differs:\n{again.files.get(name)}")
    return problems


def _body(text: str) -> str:
    """A file without comment lines: they name other inputs, or hold what was lost."""
    return "".join(
        line for line in text.splitlines(keepends=True) if not line.startswith(("#", ";"))
    )


def model_differences(
    original: Host, back: Host, losses: tuple[Loss, ...], defaults: dict[str, object] | None = None
) -> Iterator[str]:
    """Field paths where ``back`` differs from ``original``, bar fields named in losses.

    ``defaults`` are the target's values for fields a file leaves unsaid: an original
    that said nothing (None) and comes back as that default has not changed.
    """
    reported = {loss.span for loss in losses if not loss.service}
    lost_files = {e.file for e in original.extras if e.file and e.origin.span in reported}
    kept = [
        _extra_order(e)
        for e in original.extras
        if e.origin.span not in reported and e.file not in lost_files
    ]
    if sorted(kept) != sorted(map(_extra_order, back.extras)):
        yield f"host.extras: {sorted(kept)!r} became {sorted(map(_extra_order, back.extras))!r}"
    for service in original.services:
        ignored = {
            field
            for loss in losses
            if loss.service == service.name
            for field in (loss.field, *loss.also)
        }
        if "service" in ignored or "name" in ignored:  # not written, or written renamed
            continue
        other = back.service(service.name)
        if other is None:
            yield f"{service.name}: missing after the round trip"
            continue
        other = _undefault(other, service, defaults or {})
        for path, left, right in _compare(_normal(service), _normal(other), service.name):
            if not any(
                path == f"{service.name}.{f}" or path.startswith(f"{service.name}.{f}.")
                for f in ignored
            ):
                yield f"{path}: {left!r} became {right!r}"


_NOT_COMPARED = {"origin", "managed_by", "comments"}  # comments carry no behaviour


def _extra_order(extra: Extra) -> tuple[str, str, str, str]:
    return (extra.format, extra.file, extra.key, extra.value)


def _undefault(back: Service, original: Service, defaults: dict[str, object]) -> Service:
    """Where one side is unsaid (None) and the other the target's default, they agree."""
    for name, value in defaults.items():
        owner, _, attribute = name.rpartition(".")
        left = getattr(original, owner) if owner else original
        right = getattr(back, owner) if owner else back
        if left is None or right is None:
            continue
        if {_get(left, attribute), _get(right, attribute)} <= {None, value}:
            moved = replace(right, **{attribute: _get(left, attribute)})
            back = replace(back, **{owner: moved}) if owner else moved
    return back


def _get(node: object, attribute: str) -> object:
    found = getattr(node, attribute)
    return found if not isinstance(found, list | dict) else None


def _normal(service: Service) -> Service:
    """Move a start command's user and group to the service (where units keep them), and
    drop the same identity from its other commands (where monit repeats it).

    Extras are compared in key order (a stable sort: repeated keys keep their order),
    since a writer groups them by section.
    """
    service = replace(
        service, extras=tuple(sorted(service.extras, key=lambda e: (e.format, e.key)))
    )
    start = service.start
    if start is None or (start.user is None and start.group is None):
        return service
    user, group = service.user or start.user, service.group or start.group
    commands = {}
    for slot in ("start", "stop", "restart_command"):
        command = getattr(service, slot)
        if command is not None and (command.user, command.group) in ((user, group), (user, None)):
            commands[slot] = replace(command, user=None, group=None)
    return replace(service, user=user, group=group, **commands)


def _compare(left: Any, right: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    if dataclasses.is_dataclass(left) and type(left) is type(right):
        for item in dataclasses.fields(left):
            if item.name in _NOT_COMPARED:
                continue
            yield from _compare(
                getattr(left, item.name), getattr(right, item.name), f"{path}.{item.name}"
            )
    elif left != right:
        yield (path, left, right)
