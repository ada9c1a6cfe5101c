"""Parsing of CIN census leaf values (dates, 0/1 flags, codes) into the strings the SSD-shaped CSVs hold.

Each parser returns a ``Parsed``: the value to write (or None when the text is unusable) and, when something is
wrong, the reason, and whether the value was still written (a warning) or dropped (an error). The caller turns
that into an ``ImportProblem`` with the element's path and line, so nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from casewatch.data.vocabulary import DateShape, fold, read_date, yes_no

from ..report import not_a_code

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
    """An ``xs:date`` as ISO text; a date written another way (dd/mm/yyyy, with a time) is read but warned about."""
    reading = read_date(text)
    if reading is None:
        return Parsed(None, "not a date (expected YYYY-MM-DD)")
    if reading.day is None:
        return Parsed(None, "not a real calendar date")
    value = reading.day
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return Parsed(None, f"implausible year {value.year}")
    note = _DRIFT.get(
        reading.shape, f"a {reading.shape} date where the schema has YYYY-MM-DD; read as {value:%d %B %Y}"
    )
    return Parsed(value.isoformat(), note, kept=note is not None)


#: What a date's shape costs in the census, whose schema has ``xs:date``: nothing for its own shape.
_DRIFT: dict[DateShape, str | None] = {
    DateShape.ISO: None,
    DateShape.ISO_WITH_TIME: "a date and time where the schema has a date; the time was dropped",
}


def parse_flag(text: str) -> Parsed:
    """A census yes/no (``0``/``1``; files also hold ``true``/``false``) as the SSD's ``Y``/``N``."""
    flag = yes_no(text)
    if flag is not None:
        return Parsed("Y" if flag else "N")
    return Parsed(None, "not a yes/no value (expected 0 or 1)")


def parse_code(text: str, allowed: frozenset[str]) -> Parsed:
    """A code, kept as given; a warning when it is not in the census list (free text is kept as written, so a
    ``codes:`` mapping can turn it into a code)."""
    if text in allowed:
        return Parsed(text)
    if fold(text) in allowed:
        return Parsed(fold(text), "code in lower case; upper-cased", kept=True)
    return Parsed(text, not_a_code("the CIN census list for this element"), kept=True)


def parse_count(text: str) -> Parsed:
    """A non-negative whole number."""
    if text.isdigit():
        return Parsed(str(int(text)))
    return Parsed(None, "not a whole number")
