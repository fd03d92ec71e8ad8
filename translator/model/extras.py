"""What no model field can hold, kept per format so a round trip loses nothing.

Imports: the standard library only (model layer).
"""

from __future__ import annotations

from dataclasses import dataclass

from translator.model.span import Origin, origin_field


@dataclass(frozen=True, slots=True, kw_only=True)
class Extra:
    """A statement of ``format`` the model has no field for, kept verbatim as ``value``.

    ``file`` names a file of its own the statement belongs in (``backup.timer``), when it
    is not part of a service's or the host's main configuration. ``is_informational``:
    it changes nothing of how the service runs (SysV start priorities, an author line),
    so a target without it loses information only.
    """

    format: str
    key: str
    value: str
    file: str = ""
    is_informational: bool = False
    origin: Origin = origin_field()


@dataclass(frozen=True, slots=True, kw_only=True)
class Comment:
    """A comment of the input, kept with the setting (or section) it came before.

    ``before`` names that setting as ``format`` does (``Service.ExecStart``, or
    ``[Service]`` for a section); ``file`` as for :class:`Extra`. Comments carry no
    behaviour: writers put them back where they can, others keep them as comments.
    """

    format: str
    before: str
    text: str
    file: str = ""
    origin: Origin = origin_field()

    @property
    def body(self) -> str:
        """The comment's words, without its marker (``#``, ``;``)."""
        return self.text.lstrip("#;").strip()
