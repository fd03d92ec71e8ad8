"""The only place svconv reads or writes files (besides the CLI's streams).

Reads decode as UTF-8 (Latin-1 when a file is not), refusing binary files; writes go
to a temporary file in the target directory and are renamed into place, and never
replace a file unless asked to.
Imports: errors, model.
"""

from __future__ import annotations

import contextlib
import fnmatch
import glob
import os
import platform
import posixpath
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

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
    base = Path(root).resolve()  # a relative root would be taken from the including file

    def load(pattern: str, span: Span) -> list[Source]:
        if pattern.startswith("/"):
            pattern = str(base / pattern.lstrip("/"))
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


def write_atomic(path: Path, text: str, *, mode: int = 0o644, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror}", code="SV000") from None
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as stream:
            stream.write(text)
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror}", code="SV000") from None


def rewrite(path: Path, text: str) -> None:
    """Replace an existing file's text: through its symlinks, keeping mode, owner, encoding.

    The encoding is the one ``read_source`` found (UTF-8, else Latin-1), so bytes that
    were not edited stay as they were.
    """
    real = path.resolve()
    try:
        data, status = real.read_bytes(), real.stat()
    except OSError as error:
        raise OutputError(f"cannot rewrite {path}: {error.strerror}", code="SV000") from None
    try:
        data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "latin-1"
    write_atomic(real, text, mode=status.st_mode & 0o7777, encoding=encoding)
    with contextlib.suppress(OSError):  # only root may give a file away
        os.chown(real, status.st_uid, status.st_gid)


def write_files(
    directory: Path,
    files: dict[str, str],
    *,
    force: bool,
    executables: frozenset[str] = frozenset(),
) -> list[Path]:
    """Write every file under ``directory`` (all checked first, so it is all or nothing).

    Files named in ``executables`` get mode 0755, the others 0644.
    """
    names = sorted(files)
    check_writable(directory, names, force=force)
    written = []
    for name in names:
        target = directory / name
        write_atomic(target, files[name], mode=0o755 if name in executables else 0o644)
        written.append(target)
    return written


class HostTree:
    """A host's file tree under ``root``, read only, with paths as the host names them.

    Every path, symlinks included (``/etc/init.d -> rc.d/init.d``, absolute links), is
    resolved inside ``root``: an absolute link starts again at ``root``, and ``..``
    never climbs above it. Sources read through it carry the host path
    (``/etc/rc.d/init.d/nginx``), never the copy's.
    """

    _MAX_LINKS = 40

    def __init__(self, root: Path) -> None:
        """Read the tree at ``root`` (the host's ``/``)."""
        self.root = root

    def real(self, path: str) -> str | None:
        """Give the host path ``path`` resolves to (links followed), None if nothing is there."""
        parts = [p for p in PurePosixPath(path).parts if p != "/"]
        resolved: list[str] = []
        hops = 0
        while parts:
            part = parts.pop(0)
            if part in ("", "."):
                continue
            if part == "..":
                resolved = resolved[:-1]
                continue
            disk = self.root.joinpath(*resolved, part)
            if disk.is_symlink():
                hops += 1
                if hops > self._MAX_LINKS:
                    return None
                target = PurePosixPath(disk.readlink())
                if target.is_absolute():
                    resolved = []
                parts = [p for p in target.parts if p != "/"] + parts
                continue
            if not disk.exists():
                return None
            resolved.append(part)
        return "/" + "/".join(resolved)

    def disk(self, path: str) -> Path | None:
        """Give the file on disk that host path ``path`` resolves to, if any."""
        real = self.real(path)
        return None if real is None else self.root / real.lstrip("/")

    def is_file(self, path: str) -> bool:
        """Say whether ``path`` resolves to a regular file."""
        found = self.disk(path)
        return found is not None and found.is_file()

    def is_dir(self, path: str) -> bool:
        """Say whether ``path`` resolves to a directory."""
        found = self.disk(path)
        return found is not None and found.is_dir()

    def entries(self, path: str) -> list[str]:
        """List the host paths of the entries of directory ``path``, sorted."""
        found = self.disk(path)
        if found is None or not found.is_dir():
            return []
        return sorted(f"{path.rstrip('/')}/{entry.name}" for entry in found.iterdir())

    def link(self, path: str) -> str | None:
        """Give the target a symlink at ``path`` names, as written (None: not a link)."""
        parent = self.real(str(PurePosixPath(path).parent))
        if parent is None:
            return None
        disk = self.root / parent.lstrip("/") / PurePosixPath(path).name
        return str(disk.readlink()) if disk.is_symlink() else None

    def read(self, path: str) -> Source:
        """Read ``path`` as text, named by its host path."""
        found = self.disk(path)
        if found is None or not found.is_file():
            raise SvconvError(f"cannot read {path}: no such file in the host tree", code="SV000")
        source = read_source(found)
        return Source(path=path, text=source.text)

    def glob(self, pattern: str) -> list[str]:
        """Expand a host glob (``/etc/monit.d/*``) inside the tree, sorted."""
        matches = ["/"]
        for part in [p for p in PurePosixPath(pattern).parts if p != "/"]:
            if not any(char in part for char in "*?["):
                matches = [f"{m.rstrip('/')}/{part}" for m in matches]
                continue
            matches = [
                entry
                for m in matches
                for entry in self.entries(m)
                if fnmatch.fnmatchcase(PurePosixPath(entry).name, part)
                and not PurePosixPath(entry).name.startswith(".")
            ]
        return sorted(m for m in matches if self.real(m) is not None)

    def include_loader(self) -> Callable[[str, Span], list[Source]]:
        """Resolve includes as the host would: relative to the including file, inside the tree."""

        def load(pattern: str, span: Span) -> list[Source]:
            base = PurePosixPath(span.path).parent
            host = (
                posixpath.normpath(str(base / pattern)) if not pattern.startswith("/") else pattern
            )
            return [self.read(p) for p in self.glob(host) if self.is_file(p)]

        return load


def write_tree(
    out: Path, files: dict[str, str], *, force: bool, executables: frozenset[str] = frozenset()
) -> None:
    """Write ``files`` (path under ``out`` → text) as a new directory ``out``.

    ``out`` must be absent or empty unless ``force``. The tree is built beside it and
    renamed into place, so a failed run leaves no half-written ``out``.
    """
    if out.exists() and not force and (not out.is_dir() or any(out.iterdir())):
        raise OutputError(f"{out} is not empty (use --force to replace it)", code="SV000")
    parent = out.parent if str(out.parent) else Path()
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{out.name}."))
    try:
        for name, text in sorted(files.items()):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            target.chmod(0o755 if name in executables else 0o644)
        staging.chmod(0o755)
        if out.is_dir():
            shutil.rmtree(out)
        elif out.exists():
            out.unlink()
        staging.rename(out)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write {out}: {error.strerror}", code="SV000") from None
