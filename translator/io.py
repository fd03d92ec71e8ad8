"""The only place svconv reads or writes files (besides the CLI's streams).

Reads decode as UTF-8 (Latin-1 when a file is not), refusing binary files; writes go
to a temporary file in the target directory and are renamed into place, and never
replace a file unless asked to.
Imports: errors, model.
"""

from __future__ import annotations

import glob
import os
import platform
import tempfile
from collections.abc import Callable
from pathlib import Path

from translator.errors import OutputError, SvconvError
from translator.model import Source, Span


def read_source(path: str | Path) -> Source:
    """Read ``path`` as text; a missing, unreadable or binary file is an SvconvError."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SvconvError(f"cannot read {name}: {error.strerror}", code="SV000") from None
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        span = Span(path=name, line=line, column=1)
        raise SvconvError("not a text file (it holds a NUL byte)", span, code="SV000")
    try:
        return Source(path=name, text=data.decode("utf-8"))
    except UnicodeDecodeError:
        # older configs (an init script's comment) are often Latin-1: every byte reads
        return Source(path=name, text=data.decode("latin-1"))


def resolve_include(pattern: str, span: Span) -> list[Source]:
    """Read the files an include ``pattern`` names, relative to the including file, sorted."""
    full = Path(span.path).parent / pattern  # an absolute pattern replaces the base
    matches = glob.glob(str(full))  # noqa: PTH207 - Path.glob takes no absolute pattern
    return [read_source(p) for p in sorted(matches) if Path(p).is_file()]


def include_loader(root: str | None) -> Callable[[str, Span], list[Source]]:
    """Resolve includes as ``resolve_include`` does; with ``root``, absolute ones inside it."""
    if root is None:
        return resolve_include

    def load(pattern: str, span: Span) -> list[Source]:
        if pattern.startswith("/"):
            pattern = str(Path(root) / pattern.lstrip("/"))
        return resolve_include(pattern, span)

    return load


def host_name() -> str:
    """Return this machine's node name, as supervisord's %(host_node_name)s sees it."""
    return platform.node()


def check_writable(directory: Path, names: list[str], *, force: bool) -> None:
    """Fail before writing anything if a file exists and ``force`` is off."""
    existing = [name for name in names if (directory / name).exists()]
    if existing and not force:
        listed = ", ".join(str(directory / name) for name in existing)
        raise OutputError(f"refusing to overwrite {listed} (use --force)", code="SV000")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        Path(temporary).chmod(0o644)
        Path(temporary).replace(path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror}", code="SV000") from None


def write_files(directory: Path, files: dict[str, str], *, force: bool) -> list[Path]:
    """Write every file under ``directory`` (all checked first, so it is all or nothing)."""
    names = sorted(files)
    check_writable(directory, names, force=force)
    written = []
    for name in names:
        target = directory / name
        write_atomic(target, files[name])
        written.append(target)
    return written
