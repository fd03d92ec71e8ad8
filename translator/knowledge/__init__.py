"""Facts about daemons, shared by formats.

Imports: the standard library and ruamel.yaml only.
"""

from __future__ import annotations

from translator.knowledge.foreground import ForegroundForm, ForegroundRule, foreground, rules

__all__ = ["ForegroundForm", "ForegroundRule", "foreground", "rules"]
