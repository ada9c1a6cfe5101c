"""Parsing of CIN census leaf values (dates, 0/1 flags, codes) into the strings the SSD-shaped CSVs hold.

Each parser returns a ``Parsed``: the value to write (or None when the text is unusable) and, when something is
wrong, the reason, and whether the value was still written (a warning) or dropped (an error). The caller turns
that into an ``ImportProblem`` with the element's path and line, so nothing is dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?")
_ISO_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_TRUE = frozenset({"1", "true", "y", "yes"})
_FALSE = frozenset({"0", "false", "n", "no"})
#: Dates outside this range are typing errors, not history: the CIN census began in 2008-09 and births in it
#: are at most a few decades earlier.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


@dataclass(frozen=True)
class Parsed:
    """The value to write (None: nothing usable) and, if the text was not clean, why."""

    value: str | None
    reason: str | None = None
    kept: bool = False  # True: the value was written despite the reason (a warning)


def parse_date(text: str) -> Parsed:
    """An ``xs:date`` as ISO text; a dd/mm/yyyy or date-time value is read but warned about."""
    match = _ISO_DATE.fullmatch(text)
    note = None
    if match:
        year, month, day = match.groups()
    elif (match := _ISO_DATETIME.fullmatch(text)) is not None:
        year, month, day = match.groups()
        note = "a date and time where the schema has a date; the time was dropped"
    elif (match := _UK_DATE.fullmatch(text)) is not None:
        day, month, year = match.groups()
        note = "a dd/mm/yyyy date where the schema has YYYY-MM-DD; read as day/month/year"
    else:
        return Parsed(None, "not a date (expected YYYY-MM-DD)")
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return Parsed(None, "not a real calendar date")
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return Parsed(None, f"implausible year {value.year}")
    return Parsed(value.isoformat(), note, kept=note is not None)


def parse_flag(text: str) -> Parsed:
    """A census yes/no (``0``/``1``; files also hold ``true``/``false``) as the SSD's ``Y``/``N``."""
    folded = text.lower()
    if folded in _TRUE:
        return Parsed("Y")
    if folded in _FALSE:
        return Parsed("N")
    return Parsed(None, "not a yes/no value (expected 0 or 1)")


def parse_code(text: str, allowed: frozenset[str]) -> Parsed:
    """A code, kept as given; a warning when it is not in the census list."""
    if text in allowed:
        return Parsed(text)
    if text.upper() in allowed:
        return Parsed(text.upper(), "code in lower case; upper-cased", kept=True)
    return Parsed(text, "not a CIN census code for this item; imported as given", kept=True)


def parse_count(text: str) -> Parsed:
    """A non-negative whole number."""
    if text.isdigit():
        return Parsed(str(int(text)))
    return Parsed(None, "not a whole number")
