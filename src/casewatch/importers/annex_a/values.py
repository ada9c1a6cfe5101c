"""Parsing one Annex A cell into a clean value, or saying why it cannot be used.

Each parser returns a :class:`Parsed`: the value (``None`` for an empty cell) and, when the cell held something
unusable, a reason. The importer turns reasons into located problems; the parsers never raise, so junk in a
cell can cost at most that value (or its row, when the value is required), never the import.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from casewatch.formats.annex_a import Kind

from .text import clean_text

#: Cell texts meaning "no value": Excel error values and the usual placeholders.
EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#GETTING_DATA"})
NULL_TEXTS = frozenset({"", "NULL", "NONE", "N/A", "NA", "-", "SSD_PH"})

_EXCEL_EPOCH = date(1899, 12, 30)
#: Serials outside these bounds (1950-01-01 .. 2099-12-31) are not case dates, whatever Excel would say.
_SERIAL_MIN, _SERIAL_MAX = 18264, 73050
_EARLIEST = date(1900, 1, 2)
_ENUMERATION = re.compile(r"^[a-z]{1,2}\d{0,2}\)\s*", re.IGNORECASE)  # "a) ", "p1) "
_CODE_DESC = re.compile(r"^([A-Za-z0-9]{1,8})\s*(?::|\s-\s|\s\u2013\s)\s*(.+)$")  # "N1: Abuse", "RC1 - Adopted"
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_UK = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_SLASHED_ISO = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_INT = re.compile(r"^[+-]?\d+(?:\.0+)?$")
_TRUE = frozenset({"y", "yes", "true", "t", "1"})
_FALSE = frozenset({"n", "no", "false", "f", "0"})

Value = str | int | bool | date | None
Cell = object  # what openpyxl or the csv module hands over


@dataclass(frozen=True)
class Parsed:
    """A parsed cell: ``value`` (None when empty or unusable) and ``problem`` (why it was unusable)."""

    value: Value
    problem: str | None = None
    severity: str = "error"
    description: str | None = None  # for coded cells: the text after the code


EMPTY = Parsed(None)


def parse(cell: Cell, kind: Kind) -> Parsed:
    """Parse a cell as ``kind``; an empty cell or placeholder gives ``EMPTY``, an Excel error a warning."""
    if cell is None:
        return EMPTY
    if isinstance(cell, str):
        text = clean_text(cell)
        if text.upper() in EXCEL_ERRORS:
            return Parsed(None, f"Excel error value {text} read as blank", "warning")
        if text.upper() in NULL_TEXTS:
            return EMPTY
        cell = text
    parser = _PARSERS[kind]
    return parser(cell)


def _text(cell: Cell) -> Parsed:
    if isinstance(cell, datetime | date | time):
        return Parsed(None, "expected text, found a date or time")
    if isinstance(cell, float) and not math.isfinite(cell):
        return Parsed(None, "not a finite number")
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return Parsed(clean_text(str(cell)))


def _id(cell: Cell) -> Parsed:
    parsed = _text(cell)
    if parsed.value is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_./\-]{0,63}", str(parsed.value)):
        return Parsed(None, "not a usable id (letters, digits, _ . / - only; at most 64 characters)")
    return parsed


def _code(cell: Cell) -> Parsed:
    """``"a) WBRI"`` -> ``WBRI``; ``"p1) 5D: LA services"`` -> ``5D`` (description ``LA services``)."""
    parsed = _text(cell)
    if parsed.value is None:
        return parsed
    text = _ENUMERATION.sub("", str(parsed.value)).strip()
    if not text:
        return Parsed(None, "a code prefix with no code after it")
    match = _CODE_DESC.match(text)
    if match:
        return Parsed(match.group(1), description=match.group(2).strip())
    return Parsed(text, description=text)


def _flag(cell: Cell) -> Parsed:
    if isinstance(cell, bool):
        return Parsed(cell)
    if isinstance(cell, int | float) and cell in (0, 1):
        return Parsed(bool(cell))
    coded = _code(cell)
    word = str(coded.value or "").strip().lower().rstrip(".")
    first = word.split(" ")[0].split("-")[0].rstrip(",;:") if word else ""
    if word in _TRUE or first in _TRUE:
        return Parsed(True)
    if word in _FALSE or first in _FALSE:
        return Parsed(False)
    return Parsed(None, "not a yes/no value")


def _int(cell: Cell) -> Parsed:
    if isinstance(cell, bool | datetime | date):
        return Parsed(None, "not a whole number")
    if isinstance(cell, int):
        return Parsed(cell)
    if isinstance(cell, float):
        return Parsed(int(cell)) if cell.is_integer() else Parsed(None, "not a whole number")
    text = str(cell).strip()
    return Parsed(int(float(text))) if _INT.match(text) else Parsed(None, "not a whole number")


def _date(cell: Cell) -> Parsed:
    if isinstance(cell, datetime):
        return _checked(cell.date())
    if isinstance(cell, date):
        return _checked(cell)
    if isinstance(cell, time):
        return Parsed(None, "a time of day, not a date")
    if isinstance(cell, bool):
        return Parsed(None, "not a date")
    if isinstance(cell, int | float):
        return _serial(float(cell))
    return _date_text(str(cell))


def _date_text(text: str) -> Parsed:
    try:
        if m := _ISO.match(text):
            return _checked(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        if m := _UK.match(text):
            year = int(m.group(3))
            if len(m.group(3)) == 2:
                return Parsed(None, "a two-digit year is ambiguous; write dd/mm/yyyy")
            return _checked(date(year, int(m.group(2)), int(m.group(1))))
        if m := _SLASHED_ISO.match(text):
            return _checked(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    except ValueError:
        return Parsed(None, "not a real calendar date")
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _serial(float(text))
    return Parsed(None, "not a date (expected dd/mm/yyyy, yyyy-mm-dd or an Excel date)")


def _serial(number: float) -> Parsed:
    if not _SERIAL_MIN <= number <= _SERIAL_MAX:
        return Parsed(None, "a number outside the range of plausible Excel dates (1950-2099)")
    return Parsed(_EXCEL_EPOCH + timedelta(days=int(number)))


def _checked(day: date) -> Parsed:
    if day < _EARLIEST:
        return Parsed(None, "a placeholder date (1900 or earlier) read as blank", "warning")
    return Parsed(day)


_PARSERS = {"id": _id, "text": _text, "code": _code, "flag": _flag, "date": _date, "int": _int}
