"""The TCP port a known daemon listens on by default, and the page that says so.

A watcher that only checks a daemon's process misses a daemon that runs but no longer
answers; ``ports.yaml`` gives, for each daemon it knows, the port to probe, and quotes
the manual page or file that states it.

Imports: the standard library and ruamel.yaml only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import cache
from importlib.resources import files

from ruamel.yaml import YAML

_MAX_PORT = 65535


@dataclass(frozen=True, slots=True, kw_only=True)
class PortRule:
    """The TCP ``port`` ``daemon`` listens on as shipped, and where that is written.

    It matches a program (the basename of argv[0]) or a service name (a unit, an init
    script, a monit check).
    """

    daemon: str
    package: str
    programs: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    port: int
    man: str
    cites: str

    def __post_init__(self) -> None:
        """Refuse a rule that matches nothing, or a port TCP cannot have."""
        if not self.programs and not self.services:
            raise ValueError(f"{self.daemon}: name at least one program or service")
        if not 0 < self.port <= _MAX_PORT:
            raise ValueError(f"{self.daemon}: port {self.port} is not a TCP port")


@cache
def rules() -> tuple[PortRule, ...]:
    """Every rule in ``ports.yaml``, in file order."""
    text = (files("translator.knowledge") / "ports.yaml").read_text(encoding="utf-8")
    entries = YAML(typ="safe").load(text)
    if not isinstance(entries, list):
        raise ValueError("ports.yaml: expected a list of daemons")
    return tuple(_rule(entry) for entry in entries)


def default_port(programs: Iterable[str], services: Iterable[str]) -> PortRule | None:
    """Find the first rule knowing one of ``programs`` (argv[0] basenames) or ``services``."""
    programs, services = set(programs), set(services)
    return next(
        (
            rule
            for rule in rules()
            if programs.intersection(rule.programs) or services.intersection(rule.services)
        ),
        None,
    )


_FIELDS = frozenset(field.name for field in fields(PortRule))


def _rule(entry: object) -> PortRule:
    """One entry of ports.yaml as a rule; ValueError names what is wrong with it."""
    if not isinstance(entry, Mapping):
        raise ValueError(f"ports.yaml: expected a mapping, got {entry!r}")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise ValueError(f"ports.yaml: {entry.get('daemon')!r} has unknown keys {unknown}")
    port = entry.get("port")
    if not isinstance(port, int) or isinstance(port, bool):
        raise ValueError(f"ports.yaml: {entry.get('daemon')!r} needs a whole-number port")
    return PortRule(
        daemon=_text(entry, "daemon"),
        package=_text(entry, "package"),
        programs=_words(entry, "programs"),
        services=_words(entry, "services"),
        port=port,
        man=_text(entry, "man"),
        cites=_text(entry, "cites"),
    )


def _text(entry: Mapping[object, object], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"ports.yaml: {entry.get('daemon')!r} needs a text {key}")
    return value


def _words(entry: Mapping[object, object], key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise ValueError(f"ports.yaml: {key} of {entry.get('daemon')!r} must list words")
    return tuple(value)
