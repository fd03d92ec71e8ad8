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
    is not part of a service's or the host's main configuration.
    """

    format: str
    key: str
    value: str
    file: str = ""
    origin: Origin = origin_field()
