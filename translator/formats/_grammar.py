"""Load the lark grammars shipped in ``grammars/`` (inside the wheel) once per process.

Imports: lark, the standard library, errors and model.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from lark import Lark, Token, Transformer, Tree
from lark import logger as lark_logger
from lark.exceptions import VisitError
from lark.tree import Meta

from translator.errors import SvconvError
from translator.model import Span

_Result = TypeVar("_Result")


def _grammar_text(name: str) -> str:
    """Return ``grammars/<name>.lark``: from the installed package, else the source tree."""
    packaged = resources.files("translator").joinpath("grammars").joinpath(f"{name}.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    source_tree = Path(__file__).resolve().parents[2] / "grammars" / f"{name}.lark"
    return source_tree.read_text(encoding="utf-8")


@cache
def load(name: str, *, strict: bool = True) -> Lark:
    """Build the LALR parser for grammar ``name`` (contextual lexer, positions kept).

    ``strict=False`` is for languages whose lexer has a catch-all word terminal that
    overlaps keywords (monit): lark's contextual lexer resolves those per parser state,
    which strict mode's global collision check cannot see. Shift/reduce conflicts are
    then checked by ``tests/formats/test_grammars.py`` instead.
    """
    with _quiet_lark():
        return _build(name, strict=strict)


def span_of(path: str, meta: Meta | Token) -> Span:
    """Give the span lark recorded for a rule (``meta``) or a token, in file ``path``."""
    return Span(
        path=path,
        line=meta.line or 1,
        column=meta.column or 1,
        end_line=meta.end_line or meta.line or 1,
        end_column=meta.end_column or meta.column or 1,
    )


def transform(transformer: Transformer[Any, _Result], tree: Tree[Any]) -> _Result:
    """Run ``transformer``; an SvconvError it raises comes out as itself, not wrapped."""
    try:
        return transformer.transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, SvconvError):
            raise error.orig_exc from None
        raise


@contextmanager
def _quiet_lark() -> Iterator[None]:
    """Silence lark's collision warnings, which non-strict grammars expect."""
    level = lark_logger.level
    lark_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        lark_logger.setLevel(level)


def _build(name: str, *, strict: bool) -> Lark:
    return Lark(
        _grammar_text(name),
        parser="lalr",
        lexer="contextual",
        strict=strict,
        propagate_positions=True,
        maybe_placeholders=False,
        cache=True,  # LALR tables are saved in the temp dir: building them costs ~1 s
    )
