"""Working-day arithmetic for the generator, on top of casewatch's statutory calendar.

Due dates the generator writes (the ICPC target date, review due dates) must be the ones the engine will
compute, so they come from the same ``casewatch.calendars`` England calendar rather than a private copy.
This wrapper adds what a generator needs and the calendar rightly refuses: missing dates pass through as
NaT, and dates beyond the simulation horizon are clipped to it (those events are discarded later anyway, as
they fall after the extract date).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from casewatch.calendars import Calendar, get_calendar
from casewatch.synth.days import NAT, Days, Ints, plus


class WorkingDays:
    """England's working days between ``floor`` and ``horizon``, vectorised and NaT-tolerant."""

    def __init__(self, floor: np.datetime64, horizon: np.datetime64, calendar: str = "england") -> None:
        self.calendar: Calendar = get_calendar(calendar)
        first = np.datetime64(self.calendar.first_date, "D")
        last = np.datetime64(self.calendar.last_date, "D")
        # Keep a margin inside the calendar so adding a few hundred working days never leaves it.
        self.floor: np.datetime64 = max(floor.astype("datetime64[D]"), first)
        self.horizon: np.datetime64 = min(horizon.astype("datetime64[D]"), last - np.timedelta64(800, "D"))

    def _clip(self, d: Days) -> Days:
        return np.asarray(np.minimum(np.maximum(d, self.floor), self.horizon), dtype="datetime64[D]")

    def add(self, d: Days, n: npt.ArrayLike) -> Days:
        """The n-th working day after each date (day 0 is the date itself); NaT stays NaT."""
        d = np.asarray(d, dtype="datetime64[D]")
        steps = np.broadcast_to(np.asarray(n, dtype=np.int64), d.shape)
        out = np.full(d.shape, NAT, dtype="datetime64[D]")
        ok = ~np.isnat(d)
        if ok.any():
            out[ok] = self.calendar.add_working_days_many(self._clip(d[ok]), steps[ok])
        return out

    def ordinal(self, d: Days) -> Ints:
        """Running working-day number of each date (a non-working day shares the previous day's number)."""
        d = np.asarray(d, dtype="datetime64[D]")
        out = np.zeros(d.shape, dtype=np.int64)
        ok = ~np.isnat(d)
        if ok.any():
            out[ok] = self.calendar.ordinals(self._clip(d[ok]))
        return out

    def from_ordinal(self, k: Ints) -> Days:
        """The working day whose running number is ``k``."""
        base = np.full(np.shape(k), self.floor, dtype="datetime64[D]")
        return self.add(base, np.asarray(k, dtype=np.int64) - self.ordinal(base))

    def on_or_after(self, d: Days) -> Days:
        """The first working day on or after each date: when a weekend event is rolled to the Monday."""
        return self.add(plus(d, -1), 1)

    def on_or_before(self, d: Days) -> Days:
        """The last working day on or before each date."""
        return self.add(plus(d, 1), -1)
