"""Find what a host tree supervises, without running or writing anything.

Init scripts and their runlevels, upstart jobs, inittab, monit and supervisord.

Imports: model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Protocol

from translator.model import Source, Span

SCRIPT_DIRECTORIES = ("/etc/rc.d/init.d", "/etc/init.d")
RUNLEVEL_DIRECTORIES = ("/etc/rc.d/rc{}.d", "/etc/rc{}.d")
MONIT_FILES = ("/etc/monit.conf", "/etc/monitrc", "/etc/monit/monitrc")
SUPERVISORD_FILES = ("/etc/supervisord.conf", "/etc/supervisor/supervisord.conf")
UPSTART_DIRECTORY = "/etc/init"
RUNLEVELS = "0123456S"
"""Debian starts early-boot scripts from rcS.d: they run at boot too."""


class Tree(Protocol):
    """A read-only host tree whose paths (links too) resolve inside it."""

    def real(self, path: str) -> str | None:
        """Resolve ``path``; None if nothing is there."""

    def entries(self, path: str) -> list[str]:
        """List a directory's entries as host paths."""

    def link(self, path: str) -> str | None:
        """Give a symlink's target as written."""

    def is_file(self, path: str) -> bool:
        """Say whether ``path`` resolves to a file."""

    def read(self, path: str) -> Source:
        """Read ``path`` as text."""

    def include_loader(self) -> Callable[[str, Span], list[Source]]:
        """Resolve includes inside the tree."""


@dataclass(slots=True)
class Inventory:
    """What the tree holds, each file once, with the chkconfig state of each script."""

    init_scripts: list[Source] = field(default_factory=list)
    upstart_jobs: list[Source] = field(default_factory=list)
    inittab: Source | None = None
    monit: Source | None = None
    supervisord: Source | None = None
    starts: dict[str, frozenset[str]] = field(default_factory=dict)
    """Script name → the runlevels with an ``S##name`` link (its chkconfig state)."""
    linked: set[str] = field(default_factory=set)
    """Scripts with any rc link at all (S or K): chkconfig knows them."""

    @property
    def is_upstart(self) -> bool:
        """Whether upstart runs the host (``/etc/init/rc.conf``): inittab is then inert."""
        return any(PurePosixPath(job.path).name == "rc.conf" for job in self.upstart_jobs)


def discover(tree: Tree, is_init_script: Callable[[str, str], bool]) -> Inventory:
    """Read the tree's supervision files; ``is_init_script`` tells a script from a library."""
    inventory = Inventory()
    seen: set[str] = set()
    for directory in SCRIPT_DIRECTORIES:
        for path in tree.entries(directory):
            real = tree.real(path)
            if real is None or real in seen or not tree.is_file(path):
                continue
            seen.add(real)
            source = tree.read(real)
            if is_init_script(real, source.text):
                inventory.init_scripts.append(source)
    inventory.starts, inventory.linked = _runlevel_links(tree)
    inventory.upstart_jobs = [
        tree.read(p)
        for p in tree.entries(UPSTART_DIRECTORY)
        if p.endswith(".conf") and tree.is_file(p)
    ]
    inventory.inittab = _first(tree, ("/etc/inittab",))
    inventory.monit = _first(tree, MONIT_FILES)
    inventory.supervisord = _first(tree, SUPERVISORD_FILES)
    return inventory


def _first(tree: Tree, paths: tuple[str, ...]) -> Source | None:
    found = next((p for p in paths if tree.is_file(p)), None)
    return tree.read(found) if found is not None else None


def _runlevel_links(tree: Tree) -> tuple[dict[str, frozenset[str]], set[str]]:
    """Read ``S##name``/``K##name`` links per runlevel, each directory once."""
    starts: dict[str, set[str]] = {}
    linked: set[str] = set()
    for level in RUNLEVELS:
        directories = {tree.real(d.format(level)) for d in RUNLEVEL_DIRECTORIES} - {None}
        for directory in sorted(d for d in directories if d is not None):
            for entry in tree.entries(directory):
                name = PurePosixPath(entry).name
                if len(name) < 4 or name[0] not in "SK" or not name[1:3].isdigit():
                    continue
                script = PurePosixPath(tree.link(entry) or name[3:]).name
                linked.add(script)
                if name[0] == "S":
                    starts.setdefault(script, set()).add(level)
    return {name: frozenset(levels) for name, levels in starts.items()}, linked
