"""Quoting for the few statements the data layer writes as text (ATTACH, COPY, SET, the staged checks).

Table and column names come from the contract, but file paths, source headers and config values come from the
user; everything user-supplied passes through these functions before it reaches a statement. The quoting is
SQLGlot's, the same the engine's expression trees are rendered with, so there is one set of escaping rules.
"""

from __future__ import annotations

from sqlglot import exp

#: The data layer's statements run on DuckDB; the engine renders its own trees per dialect.
_DIALECT = "duckdb"


def ident(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return exp.to_identifier(name, quoted=True).sql(_DIALECT)


def literal(text: str) -> str:
    """``text`` as a SQL string literal."""
    return exp.Literal.string(text).sql(_DIALECT)


def literal_list(values: tuple[str, ...] | list[str]) -> str:
    """A parenthesised list of string literals, for ``IN (...)``."""
    return "(" + ", ".join(literal(v) for v in values) + ")"
