"""Working out the simple date formulas councils type into Annex A, when Excel never saved their value.

A workbook written by a script, or saved by a tool that does not calculate, holds formulas with no cached value:
openpyxl reads those cells as empty. Most are date arithmetic (``=B2+7``, ``=DATE(2024,5,1)``, ``=C5-14``), which
can be worked out exactly from the sheet itself. This is a small parser, not ``eval``: numbers, same-sheet cell
references, ``DATE(y, m, d)``, brackets, ``+`` and ``-``, nothing else. Anything outside that (``TODAY()``,
lookups, another sheet) is left for the importer to report, since guessing it would put an invented date into a
child's record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from openpyxl.utils import column_index_from_string
from openpyxl.utils.datetime import to_excel

from casewatch.data.vocabulary import read_date

Number = date | float
#: A cell's own value by (Excel row, 0-based column); None when the cell is empty or cannot be worked out.
Lookup = Callable[[int, int], object]

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|(\$?[A-Za-z]{1,3}\$?\d+)|(DATE)\s*\(|([-+(),]))", re.IGNORECASE)
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


@dataclass(frozen=True)
class Formula:
    """A formula cell with no saved value, as the workbook holds it (``=B2+7``), and where it is."""

    text: str
    row: int
    column: int  # 0-based

    def __str__(self) -> str:
        return self.text


class _Unsupported(Exception):
    """The formula is not simple date arithmetic; the caller reports the cell instead."""


def evaluate(text: str, lookup: Lookup) -> Number | None:
    """The value of formula ``text`` (with its ``=``), or None when it is not simple date arithmetic."""
    body = text.strip()
    if not body.startswith("="):
        return None
    try:
        tokens = _tokens(body[1:])
        value, rest = _sum(tokens, lookup)
    except (_Unsupported, ValueError, OverflowError):
        return None
    return value if not rest else None


def as_number(value: object) -> Number | None:
    """A cell's value as the arithmetic sees it: a date, a number, or dd/mm/yyyy text (a CSV's date)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        reading = read_date(value)
        if reading is not None:
            return reading.day
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _Unsupported(text[position:])
        number, ref, function, symbol = match.groups()
        tokens.append(number or ref or (function.upper() + "(" if function else symbol))
        position = match.end()
    return tokens


def _sum(tokens: list[str], lookup: Lookup) -> tuple[Number, list[str]]:
    sign = 1
    if tokens and tokens[0] in "+-":
        sign = -1 if tokens[0] == "-" else 1
        tokens = tokens[1:]
    value, tokens = _term(tokens, lookup)
    if sign < 0:
        value = _combine(0.0, "-", value)
    while tokens and tokens[0] in ("+", "-"):
        operator = tokens[0]
        right, tokens = _term(tokens[1:], lookup)
        value = _combine(value, operator, right)
    return value, tokens


def _term(tokens: list[str], lookup: Lookup) -> tuple[Number, list[str]]:
    if not tokens:
        raise _Unsupported("nothing")
    head, rest = tokens[0], tokens[1:]
    if head == "(":
        value, rest = _sum(rest, lookup)
        return value, _expect(rest, ")")
    if head == "DATE(":
        year, rest = _sum(rest, lookup)
        month, rest = _sum(_expect(rest, ","), lookup)
        day, rest = _sum(_expect(rest, ","), lookup)
        parts = [p for p in (year, month, day) if isinstance(p, float) and p.is_integer()]
        if len(parts) != 3:
            raise _Unsupported("DATE of non-numbers")
        return date(int(parts[0]), int(parts[1]), int(parts[2])), _expect(rest, ")")
    if match := _REF.fullmatch(head):
        referred = as_number(lookup(int(match.group(2)), column_index_from_string(match.group(1).upper()) - 1))
        if referred is None:
            raise _Unsupported(head)
        return referred, rest
    if head[0].isdigit():
        return float(head), rest
    raise _Unsupported(head)


def _expect(tokens: list[str], symbol: str) -> list[str]:
    if not tokens or tokens[0] != symbol:
        raise _Unsupported(f"expected {symbol}")
    return tokens[1:]


def _combine(left: Number, operator: str, right: Number) -> Number:
    """Excel's date arithmetic: a date plus or minus days is a date; a date minus a date is a number of days."""
    if isinstance(left, date) and isinstance(right, float):
        return left + timedelta(days=right if operator == "+" else -right)
    if isinstance(left, float) and isinstance(right, date):
        if operator == "-":
            return left - float(to_excel(right))  # type: ignore[no-untyped-call]
        return right + timedelta(days=left)
    if isinstance(left, date) and isinstance(right, date):
        if operator == "-":
            return float((left - right).days)
        raise _Unsupported("a date plus a date")
    assert isinstance(left, float) and isinstance(right, float)
    return left + right if operator == "+" else left - right
