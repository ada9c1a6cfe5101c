"""Duration arithmetic for the reference evaluator, counted the slow way (docs/standards-language.md, "Durations").

Working days are counted one day at a time with ``Calendar.is_working_day`` and nothing else, so the
reference does not share the calendar's ordinal tables (or their off-by-one risks) with the engine. A value
here is a ``date`` or, for hour rules on date-and-time data only, a ``datetime``.
"""

from __future__ import annotations

import calendar as _calendar
import math
from datetime import date, datetime, timedelta
from typing import Protocol

from casewatch.standards.durations import Duration, Unit

Moment = date  # a date, or a datetime (a subclass of date) on date-and-time data

ONE_DAY = timedelta(days=1)


class WorkingDays(Protocol):
    """All the reference needs of a working-day calendar."""

    def is_working_day(self, d: date) -> bool: ...


def day_of(value: Moment) -> date:
    """The calendar date of a date or timestamp."""
    return value.date() if isinstance(value, datetime) else value


def is_timestamp(value: object) -> bool:
    return isinstance(value, datetime)


def before(a: Moment, b: Moment) -> bool:
    """``a < b``: at full precision when both are timestamps, else on calendar dates (date precision)."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a < b
    return day_of(a) < day_of(b)


def on_or_before(a: Moment, b: Moment) -> bool:
    return not before(b, a)


def step_working_days(cal: WorkingDays, d: date, n: int) -> date:
    """The |n|th working day strictly after ``d`` (n > 0) or strictly before it (n < 0); ``d`` when n is 0."""
    step = ONE_DAY if n > 0 else -ONE_DAY
    remaining = abs(n)
    current = d
    while remaining:
        current += step
        if cal.is_working_day(current):
            remaining -= 1
    return current


def working_days_between(cal: WorkingDays, a: date, b: date) -> int:
    """Working days in (a, b] (negative when b < a): the difference of working-day ordinals, b minus a."""
    if b < a:
        return -working_days_between(cal, b, a)
    return sum(1 for i in range(1, (b - a).days + 1) if cal.is_working_day(a + timedelta(days=i)))


def add_months(d: date, months: int) -> date:
    """The same day of the month ``months`` later (or earlier), clipped to that month's last day."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def shift(
    value: Moment, duration: Duration, cal: WorkingDays, *, anchor_day: int = 0, backwards: bool = False
) -> Moment:
    """``value`` plus (or, for lead times, minus) ``duration``, by the table in "Durations".

    ``anchor_day`` 1 counts the anchor as day 1: one day earlier for calendar days, weeks, months and years,
    and for working days when the anchor is itself a working day; hours are unaffected. Hours keep the time
    of day only on a timestamp; on a date they fall back to ceil(n/24) calendar days (date precision).
    """
    n = duration.amount
    sign = -1 if backwards else 1
    if duration.unit is Unit.HOURS:
        if isinstance(value, datetime):
            return value + sign * timedelta(hours=n)
        return value + timedelta(days=sign * math.ceil(n / 24))
    d = day_of(value)
    match duration.unit:
        case Unit.WORKING_DAYS:
            if anchor_day == 1 and cal.is_working_day(d):
                n = max(n - 1, 0)
            return step_working_days(cal, d, sign * n)
        case Unit.CALENDAR_DAYS:
            return d + timedelta(days=sign * (n - anchor_day))
        case Unit.WEEKS:
            return d + timedelta(days=sign * (7 * n - anchor_day))
        case Unit.MONTHS | Unit.YEARS:
            return add_months(d, sign * duration.months) - timedelta(days=sign * anchor_day)
    raise AssertionError(duration)
