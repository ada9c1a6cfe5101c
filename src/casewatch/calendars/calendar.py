"""A working-day calendar: the counting rules every timescale in casewatch relies on.

Counting conventions (see the reference notes, "Counting conventions — the one-day traps"):

* ``ordinal(d)`` is the number of working days from ``first_date`` up to and including ``d``. On a
  non-working day it therefore equals the ordinal of the working day before it.
* "Within n working days of X": X is day 0 and the due date is the n-th working day strictly after X. If X is
  a Saturday, the Monday is day 1. This is ``numpy.busday_offset(X, n, roll="backward")`` for n >= 1.
* "n working days before X" (a negative n) mirrors that: the |n|-th working day strictly before X. If X is a
  Saturday, the Friday is day -1. This is ``numpy.busday_offset(X, n, roll="forward")`` for n <= -1.
* n = 0 returns X itself, even when X is not a working day (numpy would move it).

A date outside the generated range raises ``CalendarRangeError``; it is never guessed to be a working day.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from casewatch.calendars.table import DayTable
from casewatch.errors import CalendarRangeError

DateArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Calendar:
    """One calendar's working days over ``first_date..last_date``, with scalar and vectorised queries."""

    id: str
    description: str
    first_date: date
    last_date: date
    _days: DayTable = field(repr=False)

    # ----------------------------------------------------------------- scalar queries

    def is_working_day(self, d: date) -> bool:
        return bool(self._days.is_working[self._offset(d)])

    def ordinal(self, d: date) -> int:
        """Working days from ``first_date`` up to and including ``d``."""
        return int(self._days.ordinal[self._offset(d)])

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day strictly after ``d`` (n > 0) or strictly before it (n < 0); ``d`` if n is 0.

        ``d`` is day 0 whether or not it is a working day, so a Saturday's day 1 is the Monday and its
        day -1 is the Friday. The forward rule is the statutory "within n working days" due date.
        """
        n = operator.index(n)
        offset = self._offset(d)
        if n == 0:
            return d
        target = self._target_ordinal(int(self._days.ordinal[offset]), bool(self._days.is_working[offset]), n)
        if not 1 <= target <= self._days.working_day_count:
            raise self._result_range_error(d, n)
        return self.first_date + timedelta(days=int(self._days.working_offsets[target - 1]))

    def working_days_between(self, a: date, b: date) -> int:
        """``ordinal(b) - ordinal(a)``: working days in (a, b], negative when b is before a.

        ``working_days_between(a, add_working_days(a, n)) == n`` for n >= 0, working anchor or not. To decide
        "met within n working days", compare dates (``done <= add_working_days(a, n)``), not this count: a
        Saturday after a Friday due date has the Friday's ordinal, so the count alone would call it on time.
        """
        return self.ordinal(b) - self.ordinal(a)

    def holidays_in(self, year: int) -> list[tuple[date, str]]:
        """The non-working weekdays of ``year`` and their names, in date order.

        Weekend holidays are left out: they change no due date, and listing them would double count a
        Christmas Day that falls on a Sunday alongside its substitute day.
        """
        start, end = date(year, 1, 1), date(year, 12, 31)
        if start < self.first_date or end > self.last_date:
            raise CalendarRangeError(
                f"The {self.id} calendar covers {self.first_date} to {self.last_date}; {year} is outside it."
            )
        lo, hi = (start - self.first_date).days, (end - self.first_date).days + 1
        closed = np.flatnonzero(self._days.is_weekday[lo:hi] & ~self._days.is_working[lo:hi]) + lo
        return [(self.first_date + timedelta(days=int(i)), self._days.names[i] or "Non-working day") for i in closed]

    # ----------------------------------------------------------------- export

    def to_arrow(self) -> pa.Table:
        """One row per date, for joining in SQL; the schema metadata records which calendar it is."""
        schema = pa.schema(
            [
                pa.field("cal_date", pa.date32(), nullable=False),
                pa.field("is_working_day", pa.bool_(), nullable=False),
                pa.field("wd_ordinal", pa.int32(), nullable=False),
                pa.field("holiday_name", pa.string()),
            ],
            metadata={
                "calendar_id": self.id,
                "description": self.description,
                "first_date": self.first_date.isoformat(),
                "last_date": self.last_date.isoformat(),
            },
        )
        return pa.table(
            [
                pa.array(self._days.days, type=pa.date32()),
                pa.array(self._days.is_working, type=pa.bool_()),
                pa.array(self._days.ordinal, type=pa.int32()),
                pa.array(self._days.names, type=pa.string()),
            ],
            schema=schema,
        )

    # ----------------------------------------------------------------- vectorised queries

    def ordinals(self, dates: npt.ArrayLike) -> IntArray:
        """``ordinal`` for each date of a datetime64[D] array (any shape)."""
        offsets = self._offsets(dates)
        return self._days.ordinal[offsets].astype(np.int64)

    def add_working_days_many(self, dates: npt.ArrayLike, n: npt.ArrayLike) -> DateArray:
        """``add_working_days`` element-wise; ``n`` is an int or an int array broadcast against ``dates``."""
        offsets = self._offsets(dates)
        steps = np.asarray(n)
        if steps.dtype.kind not in "iu":
            raise TypeError(f"n must be an integer or an array of integers, not {steps.dtype}")
        steps = steps.astype(np.int64)
        offsets, steps = np.broadcast_arrays(offsets, steps)
        ordinal = self._days.ordinal[offsets].astype(np.int64)
        working = self._days.is_working[offsets]
        # Same rule as the scalar _target_ordinal: a non-working anchor's ordinal already counts the working
        # day before it, so only backward steps need the +1.
        target = np.where(steps < 0, ordinal + steps + (~working).astype(np.int64), ordinal + steps)
        moving = steps != 0
        outside = moving & ((target < 1) | (target > self._days.working_day_count))
        if outside.any():
            first_bad = tuple(int(i) for i in np.argwhere(outside)[0])
            anchor = self.first_date + timedelta(days=int(offsets[first_bad]))
            raise self._result_range_error(anchor, int(steps[first_bad]))
        result_offsets = np.where(moving, self._days.working_offsets[np.clip(target - 1, 0, None)], offsets)
        return np.datetime64(self.first_date, "D") + result_offsets.astype("timedelta64[D]")

    # ----------------------------------------------------------------- internals

    @staticmethod
    def _target_ordinal(ordinal: int, working: bool, n: int) -> int:
        if n < 0 and not working:
            return ordinal + n + 1
        return ordinal + n

    def _offset(self, d: date) -> int:
        if isinstance(d, datetime) or not isinstance(d, date):
            raise TypeError(f"expected a date, not {type(d).__name__}; convert timestamps to local dates first")
        offset = (d - self.first_date).days
        if not 0 <= offset < self._days.size:
            raise self._range_error(str(d))
        return offset

    def _offsets(self, dates: npt.ArrayLike) -> IntArray:
        day_array = _as_days(dates)
        offsets = (day_array - np.datetime64(self.first_date, "D")).astype(np.int64)
        bad = np.isnat(day_array) | (offsets < 0) | (offsets >= self._days.size)
        if bad.any():
            first_bad = day_array[tuple(np.argwhere(bad)[0])]
            raise self._range_error("NaT (a missing date)" if np.isnat(first_bad) else str(first_bad))
        return offsets

    def _range_error(self, what: str) -> CalendarRangeError:
        return CalendarRangeError(
            f"The {self.id} calendar covers {self.first_date} to {self.last_date}; {what} is outside it."
        )

    def _result_range_error(self, d: date, n: int) -> CalendarRangeError:
        direction = "after" if n > 0 else "before"
        days = "working day" if abs(n) == 1 else "working days"
        return CalendarRangeError(
            f"The {self.id} calendar covers {self.first_date} to {self.last_date}; "
            f"{abs(n)} {days} {direction} {d} is outside it."
        )


def _as_days(dates: npt.ArrayLike) -> DateArray:
    """Coerce to datetime64[D], refusing values with a time of day rather than silently dropping it."""
    array = np.asarray(dates)
    if array.dtype.kind != "M":
        return np.asarray(array, dtype="datetime64[D]")
    days = array.astype("datetime64[D]")
    if array.dtype != days.dtype and bool(np.any((days != array) & ~np.isnat(array))):
        raise ValueError("dates carry a time of day; convert them to datetime64[D] local dates first")
    return days
