"""svconv: translate and lint process-supervision configuration.

The public API is :mod:`translator.api`; the model is :mod:`translator.model`.
"""

from translator.api import Translation, convert, parse, read_sources

__all__ = ["Translation", "convert", "parse", "read_sources"]
