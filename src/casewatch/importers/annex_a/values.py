"""Parsing one Annex A cell into a clean value, or saying why it cannot be used.

Each parser returns a :class:`Parsed`: the value (``None`` for an empty cell) and, when the cell held something
unusable, a reason. The importer turns reasons into located problems; the parsers never raise, so junk in a
cell can cost at most that value (or its row, when the value is required), never the import.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from openpyxl.utils.datetime import from_excel

from casewatch.data.vocabulary import DateShape, excel_error, is_empty, read_date, yes_no
from casewatch.formats.annex_a import Kind

from .formulas import Formula
from .text import clean_text

UNCACHED = "a formula with no saved value ({}); open and save the workbook in Excel, or type the date"

#: Serials outside these bounds (1950-01-01 .. 2099-12-31) are not case dates, whatever Excel would say.
_SERIAL_MIN, _SERIAL_MAX = 18264, 73050
_EARLIEST = date(1900, 1, 2)
_ENUMERATION = re.compile(r"^[a-z]{1,2}\d{0,2}\)\s*", re.IGNORECASE)  # "a) ", "p1) "
_CODE_DESC = re.compile(r"^([A-Za-z0-9]{1,8})\s*(?::|\s-\s|\s\u2013\s)\s*(.+)$")  # "N1: Abuse", "RC1 - Adopted"
_INT = re.compile(r"^[+-]?\d+(?:\.0+)?$")

Value = str | int | float | bool | date | None
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
    """Parse a cell as ``kind``; an empty cell or placeholder gives ``EMPTY``, an Excel error a warning, and a
    formula Excel never calculated (and that is not simple date arithmetic) a problem saying how to fix it."""
    if cell is None:
        return EMPTY
    if isinstance(cell, Formula):
        return Parsed(None, UNCACHED.format(cell.text))
    if isinstance(cell, str):
        text = clean_text(cell)
        if (error := excel_error(text)) is not None:
            return Parsed(None, f"Excel error value {error} read as blank", "warning")
        if is_empty(text, typed=True):
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
    flag = yes_no(word)
    if flag is None:
        flag = yes_no(first)
    if flag is not None:
        return Parsed(flag)
    return Parsed(None, "not a yes/no value (free text)")


def _int(cell: Cell) -> Parsed:
    if isinstance(cell, bool | datetime | date):
        return Parsed(None, "not a whole number")
    if isinstance(cell, int):
        return Parsed(cell)
    if isinstance(cell, float):
        return Parsed(int(cell)) if cell.is_integer() else Parsed(None, "not a whole number")
    text = str(cell).strip()
    return Parsed(int(float(text))) if _INT.match(text) else Parsed(None, "not a whole number")


def _age(cell: Cell) -> Parsed:
    """An age in years as written: a whole number, or the decimal years a spreadsheet formula gives (7.83).

    The age is only checked against the date of birth, which is what the import keeps; a decimal is no error.
    """
    if isinstance(cell, bool | datetime | date | time):
        return Parsed(None, "not an age in years")
    if isinstance(cell, int):
        return Parsed(cell)
    if isinstance(cell, float):
        return Parsed(cell) if math.isfinite(cell) else Parsed(None, "not a finite number")
    try:
        number = float(str(cell).strip())
    except ValueError:
        return Parsed(None, "not an age in years")
    return Parsed(number) if math.isfinite(number) else Parsed(None, "not a finite number")


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
    reading = read_date(text)
    if reading is None:
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            return _serial(float(text))
        return Parsed(None, "not a date (expected dd/mm/yyyy, yyyy-mm-dd or an Excel date)")
    if reading.day is None:
        return Parsed(None, "not a real calendar date")
    if reading.shape is DateShape.TWO_DIGIT_YEAR:  # typed by hand, so the century is a guess: ask for it
        return Parsed(None, "a two-digit year is ambiguous; write dd/mm/yyyy")
    return _checked(reading.day)


def _serial(number: float) -> Parsed:
    if not _SERIAL_MIN <= number <= _SERIAL_MAX:
        return Parsed(None, "a number outside the range of plausible Excel dates (1950-2099)")
    return Parsed(from_excel(int(number)).date())


def _checked(day: date) -> Parsed:
    if day < _EARLIEST:
        return Parsed(None, "a placeholder date (1900 or earlier) read as blank", "warning")
    return Parsed(day)


_PARSERS = {"id": _id, "text": _text, "code": _code, "flag": _flag, "date": _date, "int": _int, "age": _age}
