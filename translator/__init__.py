"""svconv: translate and lint process-supervision configuration.

The public API is :mod:`translator.api`; the model is :mod:`translator.model`. Names
are imported on first use so the command line starts fast.
"""

from __future__ import annotations

import importlib

__all__ = ["Translation", "convert", "parse", "read_sources"]


def __getattr__(name: str) -> object:
    """Re-export the API lazily (PEP 562)."""
    if name in __all__:
        return getattr(importlib.import_module("translator.api"), name)
    raise AttributeError(name)
