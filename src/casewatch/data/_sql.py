"""Quoting helpers for the SQL the data layer writes.

Table and column names come from the contract, but file paths, source headers and config values come from the
user; everything user-supplied passes through these two functions before it reaches a statement.
"""

from __future__ import annotations


def ident(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def literal_list(values: tuple[str, ...] | list[str]) -> str:
    """A parenthesised list of string literals, for ``IN (...)``."""
    return "(" + ", ".join(literal(v) for v in values) + ")"
