"""How councils' files spell "no value", "yes", "no" and a date: one list or rule of each.

The SQL normalisation of a whole table (``data/normalise.py``), the importers' cell-by-cell readers, the
exporters and the validation of ``casewatch.yaml`` all read these, so a spelling accepted in one place is
accepted in every other, and the data-contract document quotes the same lists. Which date shape is a format's
own and which is drift worth a warning is the format's business; what a shape means is decided here once
(``01/02/2024`` is the 1st of February; ``01/02/24`` is 2024, by Python's ``%y`` rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

#: Values meaning "no value" in any column (compared after trimming, case-insensitively).
NULL_TOKENS: tuple[str, ...] = ("", "SSD_PH", "NULL", "#N/A")
#: What spreadsheet and dataframe exports write for an empty cell, read as empty by the importers too.
EXPORT_EMPTY_TOKENS: tuple[str, ...] = ("N/A", "NONE", "NAN")
#: Flag spellings read as true / false (case-insensitive).
TRUE_TOKENS: tuple[str, ...] = ("Y", "YES", "1", "TRUE", "T")
FALSE_TOKENS: tuple[str, ...] = ("N", "NO", "0", "FALSE", "F")
#: Flag spellings meaning "not applicable": loaded as null, with a note so the distinction is not lost.
NA_TOKENS: tuple[str, ...] = ("NA", "N/A")
#: What people type into a spreadsheet cell for "nothing": read as empty in hand-kept lists (Annex A).
TYPED_EMPTY_TOKENS: tuple[str, ...] = ("-", "--", "NA")
#: Excel's error values: a formula that failed (a lookup with no match, a deleted reference) saved into a cell or
#: a CSV exported from one. Every importer reads them as empty and says so, since they mean "no value here".
EXCEL_ERRORS: tuple[str, ...] = (
    "#N/A",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
)

#: A run of what ``fold`` reads as one space: spaces, tabs, line breaks and the no-break space. The pattern is
#: written so that Python's ``re`` and DuckDB's RE2 read it alike, because the SQL form of ``fold``
#: (``data/normalise.py``) uses this very text.
SPACE_RUN = r"[ \t\n\r\f\v\xa0]+"
_SPACES = re.compile(SPACE_RUN)
#: Letters DuckDB's ``upper`` maps to another single letter where Python's makes two (``ß``): kept as DuckDB does.
_SINGLE_UPPER = {"\u00df": "\u1e9e"}


def fold(text: str) -> str:
    """``text`` as spellings and codes are compared: trimmed, inner runs of spaces as one, upper case.

    This is the one comparison of a council's spelling with casewatch's (codes in ``where`` conditions, the
    allocated-worker roles, the ``codes:`` mapping, the tokens above); ``normalise.fold_sql`` is the same in SQL,
    letter for letter, so a value matches in a query exactly when it matches here.
    """
    return _upper(_SPACES.sub(" ", text).strip(" "))


def _upper(text: str) -> str:
    """Upper case letter by letter (Unicode's simple mapping, as DuckDB's ``upper``): ``ß`` stays one letter."""
    upper = text.upper()
    if len(upper) == len(text):
        return upper
    return "".join(_single_upper(ch) for ch in text)


def _single_upper(ch: str) -> str:
    upper = ch.upper()
    if len(upper) == 1:
        return upper
    title = ch.title()
    return _SINGLE_UPPER.get(ch, title if len(title) == 1 else ch)


_TIDY_SPACES = re.compile(r"[^\S\x1c-\x1f]+")  # white space, but not the ASCII separator controls
#: Characters that look like a space (or like nothing) in a spreadsheet, and what they become.
_SPACE_LIKE = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": "", "\u2060": "", "\ufeff": ""})


def tidy(text: str, *, keep_lines: bool = False) -> str:
    """``text`` as written but as meant: non-breaking and zero-width spaces, a stray BOM, and runs of spaces
    (tabs, line breaks) made one ordinary space, and no padding. Names and codes typed into spreadsheets carry
    these invisibly, and two spellings of one team must not become two teams. ``keep_lines`` keeps the line
    breaks of free text (a case note), collapsing only the spaces on each line."""
    text = text.translate(_SPACE_LIKE)
    if keep_lines and "\n" in text:
        return "\n".join(_TIDY_SPACES.sub(" ", line).strip() for line in text.strip().split("\n"))
    return _TIDY_SPACES.sub(" ", text).strip()


def excel_error(text: str | None) -> str | None:
    """The Excel error value ``text`` holds (``#N/A``, ``#REF!`` ...), or None when it holds none."""
    if text is None:
        return None
    folded = fold(text)
    return folded if folded in EXCEL_ERRORS else None


def is_empty(text: str | None, *, exports: bool = False, typed: bool = False) -> bool:
    """Whether ``text`` means no value; with ``exports``, also the markers spreadsheet exports write, and with
    ``typed`` what people type into a hand-kept sheet."""
    if text is None:
        return True
    folded = fold(text)
    return (
        folded in NULL_TOKENS
        or ((exports or typed) and folded in EXPORT_EMPTY_TOKENS)
        or (typed and folded in TYPED_EMPTY_TOKENS)
    )


def yes_no(text: str | None) -> bool | None:
    """``text`` read as a flag: True, False, or None when it is neither (or empty)."""
    if text is None:
        return None
    folded = fold(text)
    return True if folded in TRUE_TOKENS else False if folded in FALSE_TOKENS else None


class DateShape(StrEnum):
    """The ways a date is written in the files councils hold; the value is how a message names the shape."""

    ISO = "YYYY-MM-DD"
    ISO_WITH_TIME = "YYYY-MM-DD with a time"
    DAY_FIRST = "dd/mm/yyyy"
    DAY_FIRST_WITH_TIME = "dd/mm/yyyy with a time"
    TWO_DIGIT_YEAR = "dd/mm/yy"
    YEAR_FIRST_SLASHED = "yyyy/mm/dd"


@dataclass(frozen=True)
class DateText:
    """A date as written: its ``shape``, and the ``day`` it means (None when it is no real day, 31/04/2024)."""

    shape: DateShape
    day: date | None


_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)"
_ZONE = r"(?:Z|[+-]\d{2}:\d{2})?"  # xs:date and xs:dateTime may carry one; the day is the day written
_ISO_TEXT = re.compile(rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})({_TIME}?){_ZONE}")
_DAY_FIRST_TEXT = re.compile(rf"(\d{{1,2}})([/.\-])(\d{{1,2}})\2(\d{{4}}|\d{{2}})({_TIME}?)")
_YEAR_FIRST_TEXT = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")


def as_text(value: object) -> str:
    """A typed value in the contract's text form, the spelling its CSV files hold: ISO dates (a space before a
    time), ``Y``/``N`` flags, empty for no value, bytes as hex. Copying a warehouse table to CSV and reading loaded
    tables back as text both write it, so one spelling round-trips through the loader."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def read_date(text: str) -> DateText | None:
    """What date ``text`` (already trimmed of spaces) means, or None when it is written in no date shape."""
    text = text.strip()
    if m := _ISO_TEXT.fullmatch(text):
        shape = DateShape.ISO_WITH_TIME if m.group(4) else DateShape.ISO
        return DateText(shape, _day(m.group(1), m.group(2), m.group(3)))
    if m := _DAY_FIRST_TEXT.fullmatch(text):
        day, month, year = m.group(1), m.group(3), m.group(4)
        if len(year) == 2:
            return DateText(DateShape.TWO_DIGIT_YEAR, _day(str(datetime.strptime(year, "%y").year), month, day))
        shape = DateShape.DAY_FIRST_WITH_TIME if m.group(5) else DateShape.DAY_FIRST
        return DateText(shape, _day(year, month, day))
    if m := _YEAR_FIRST_TEXT.fullmatch(text):
        return DateText(DateShape.YEAR_FIRST_SLASHED, _day(m.group(1), m.group(2), m.group(3)))
    return None


def _day(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


__all__ = [
    "EXCEL_ERRORS",
    "EXPORT_EMPTY_TOKENS",
    "FALSE_TOKENS",
    "NA_TOKENS",
    "NULL_TOKENS",
    "SPACE_RUN",
    "TRUE_TOKENS",
    "TYPED_EMPTY_TOKENS",
    "DateShape",
    "DateText",
    "excel_error",
    "fold",
    "is_empty",
    "read_date",
    "tidy",
    "yes_no",
]
