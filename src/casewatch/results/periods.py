"""Reporting periods: which instances a figure counts, so every page, chart, workbook and terminal counts the same.

A performance report asks for a period (last month, a quarter, the financial year, the last 12 months). A period
is a first and a last day, worked out from the as-at date, and it holds the instances whose **due date** falls on
or between them. The figure over a period is then the one compliance formula (``results.compliance``) over those
instances, so the figure of a period and the figures of its months always add up.

"Compliance now", the figure every output shows when no period is asked for, is ``last-12-months``: the as-at
date's month up to the as-at date and the 11 calendar months before it, which are exactly the months of the web
app's chart. An occurrence overdue since before that is not in the figure (it is still listed as overdue work).

Two rules follow from the as-at date:

* A period may run past the as-at date (the current quarter): the instances due after it are in the period as
  "not yet due", which the formula does not count, so the figure is the period so far. A period that starts after
  the as-at date is an error, since nothing in it can have fallen due.
* A standard judged on each child's latest record only (``Results.limited``) has one figure, as at the as-at
  date, over its open occurrences whatever their due dates: it belongs to every period containing the as-at date,
  and a period that ends before the as-at date has no figure for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow as pa
import pyarrow.compute as pc
from dateutil.relativedelta import relativedelta

from casewatch.errors import CasewatchError

#: The period of "compliance now": what every output shows when no period is asked for.
NOW = "last-12-months"
#: The accepted spellings, as an error message lists them.
FORMS = "last-month, last-12-months, month YYYY-MM, quarter YYYY-Qn (calendar), quarter YYYY-YY-Qn (financial), "
FORMS += "financial-year YYYY-YY"

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-[qQ]([1-4])")
_FINANCIAL_QUARTER = re.compile(r"(\d{4})-(\d{2})-[qQ]([1-4])")
_FINANCIAL_YEAR = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class DueRange:
    """The due dates an instance of one standard must have to be counted in a period (both days included)."""

    first: date
    last: date


#: Every instance with a due date: a limited standard's one figure, in a period containing the as-at date.
EVERY_DUE_DATE = DueRange(date.min, date.max)


@dataclass(frozen=True)
class Period:
    """A reporting period relative to an as-at date: its spelling, its name, and its first and last day."""

    spelling: str  # as the user writes it, normalised: "quarter 2026-Q3"
    name: str  # as a page heads it: "calendar quarter 2026-Q3"
    first: date
    last: date
    as_at: date

    @property
    def contains_as_at(self) -> bool:
        return self.first <= self.as_at <= self.last

    @property
    def label(self) -> str:
        """The period as every output names it, with its dates, so no reader has to guess which quarter."""
        shown = f"{self.name}, {_day(self.first)} to {_day(self.last)}"
        if self.last > self.as_at:
            shown += f" (so far: as at {_day(self.as_at)}, later due dates are not yet due)"
        return shown

    @property
    def dates(self) -> DueRange:
        """The due dates counted in this period for a standard judged on its history (most standards)."""
        return DueRange(self.first, self.last)

    def due_range(self, *, limited: bool = False) -> DueRange | None:
        """The due dates counted for a standard in this period; None when the standard has no figure for it."""
        if not limited:
            return self.dates
        return EVERY_DUE_DATE if self.contains_as_at else None

    def months(self) -> list[Period]:
        """The calendar months of the period, each cut to the period's days: a chart's bars, adding up to it."""
        out: list[Period] = []
        start = self.first.replace(day=1)
        while start <= self.last:
            end = start + relativedelta(months=1) - timedelta(days=1)
            out.append(
                Period(
                    f"month {start:%Y-%m}",
                    f"{start:%B %Y}",
                    max(start, self.first),
                    min(end, self.last),
                    self.as_at,
                )
            )
            start += relativedelta(months=1)
        return out


def parse_period(text: str, as_at: date) -> Period:
    """A period from its spelling (``FORMS``), relative to ``as_at``; a bad spelling is a one-sentence error."""
    words = text.split()
    kind = words[0].lower() if words else ""
    value = words[1] if len(words) == 2 else None
    try:
        period = _relative(kind, as_at) if len(words) == 1 else _named(kind, value, as_at) if value else None
    except ValueError:  # a year 0000
        period = None
    if period is None:
        raise CasewatchError(f"'{text}' is not a reporting period; write one of {FORMS}")
    if period.first > as_at:
        raise CasewatchError(
            f"the period '{period.spelling}' starts on {period.first}, after the as-at date {as_at}, "
            "so nothing in it can have fallen due; choose a period that starts on or before the as-at date"
        )
    return period


def choices(as_at: date) -> list[Period]:
    """The periods a page offers to choose from: compliance now first, then recent months, quarters and years."""
    month = as_at.replace(day=1)
    fy_start = _financial_year_start(as_at)
    spelled = [
        NOW,
        "last-month",
        f"month {month:%Y-%m}",
        f"quarter {_calendar_quarter(month)}",
        f"quarter {_calendar_quarter(month - relativedelta(months=3))}",
        f"quarter {_financial_quarter(as_at)}",
        f"financial-year {_financial_year(fy_start.year)}",
        f"financial-year {_financial_year(fy_start.year - 1)}",
    ]
    return [parse_period(s, as_at) for s in dict.fromkeys(spelled)]


def in_period(instances: pa.Table, period: Period, limited: Iterable[str] = ()) -> pa.Table:
    """The instances a figure over ``period`` counts; ``limited`` names the standards judged on latest records."""
    return instances.filter(period_mask(instances, period, limited))


def period_mask(instances: pa.Table, period: Period, limited: Iterable[str] = ()) -> pa.ChunkedArray:
    """True for each instance a figure over ``period`` counts (a results file's ``in_period`` column)."""
    limited_ids = pa.array(sorted(set(limited)), pa.string())
    is_limited = pc.is_in(instances.column("standard_id"), value_set=limited_ids)
    due = instances.column("due_date")
    keep = pc.and_(pc.invert(is_limited), _between(due, period.dates))
    limited_range = period.due_range(limited=True)
    if limited_range is not None:
        keep = pc.or_(keep, pc.and_(is_limited, _between(due, limited_range)))
    return pc.fill_null(keep, False)


def _between(due: pa.ChunkedArray, bounds: DueRange) -> pa.ChunkedArray:
    first = pa.scalar(bounds.first, pa.date32())
    last = pa.scalar(bounds.last, pa.date32())
    return pc.and_(pc.greater_equal(due, first), pc.less_equal(due, last))


def _relative(kind: str, as_at: date) -> Period | None:
    month = as_at.replace(day=1)
    if kind == "last-month":
        first = month - relativedelta(months=1)
        return Period(kind, f"last month ({first:%B %Y})", first, month - timedelta(days=1), as_at)
    if kind == "last-12-months":
        return Period(kind, "the last 12 months", month - relativedelta(months=11), as_at, as_at)
    return None


def _named(kind: str, value: str, as_at: date) -> Period | None:
    if kind == "month" and (found := _MONTH.fullmatch(value)) and 1 <= int(found[2]) <= 12:
        first = date(int(found[1]), int(found[2]), 1)
        return Period(f"month {value}", f"{first:%B %Y}", first, _end(first, 1), as_at)
    if kind == "quarter" and (found := _QUARTER.fullmatch(value)):
        first = date(int(found[1]), 3 * int(found[2]) - 2, 1)
        spelled = f"{found[1]}-Q{found[2]}"
        return Period(f"quarter {spelled}", f"calendar quarter {spelled}", first, _end(first, 3), as_at)
    if kind == "quarter" and (found := _FINANCIAL_QUARTER.fullmatch(value)) and _next_year(found[1], found[2]):
        first = date(int(found[1]), 4, 1) + relativedelta(months=3 * (int(found[3]) - 1))
        spelled = f"{found[1]}-{found[2]}-Q{found[3]}"
        return Period(f"quarter {spelled}", f"financial quarter {spelled}", first, _end(first, 3), as_at)
    if kind == "financial-year" and (found := _FINANCIAL_YEAR.fullmatch(value)) and _next_year(found[1], found[2]):
        first = date(int(found[1]), 4, 1)
        return Period(f"financial-year {value}", f"financial year {value}", first, _end(first, 12), as_at)
    return None


def _end(first: date, months: int) -> date:
    return first + relativedelta(months=months) - timedelta(days=1)


def _next_year(year: str, short: str) -> bool:
    """Whether ``short`` is the last two digits of the year after ``year`` (2025-26 yes, 2025-27 no)."""
    return (int(year) + 1) % 100 == int(short)


def _financial_year_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _financial_year(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def _calendar_quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _financial_quarter(day: date) -> str:
    start = _financial_year_start(day)
    months = (day.year - start.year) * 12 + day.month - 4
    return f"{_financial_year(start.year)}-Q{months // 3 + 1}"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


__all__ = [
    "EVERY_DUE_DATE",
    "FORMS",
    "NOW",
    "DueRange",
    "Period",
    "choices",
    "in_period",
    "parse_period",
    "period_mask",
]
