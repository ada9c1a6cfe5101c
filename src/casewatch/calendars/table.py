"""The day table behind a calendar: one slot per date, and the running working-day ordinal.

The ordinal turns every working-day question into integer arithmetic (``ordinal(b) - ordinal(a)``, "the
working day whose ordinal is k"), which is the same arithmetic the SQL engine does with a join on the exported
table. Building it is a handful of numpy passes over ~20k days, so there is no need to ship it pre-built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import numpy as np
import numpy.typing as npt

# 1970-01-01, day 0 of datetime64[D], was a Thursday (weekday 3 with Monday = 0).
_EPOCH_WEEKDAY = 3

_Scalar = TypeVar("_Scalar", bound=np.generic)


@dataclass(frozen=True, eq=False)
class DayTable:
    """Read-only arrays indexed by day offset from ``first``."""

    first: date
    days: npt.NDArray[np.datetime64]  # datetime64[D], first..last
    is_weekday: npt.NDArray[np.bool_]
    is_working: npt.NDArray[np.bool_]
    ordinal: npt.NDArray[np.int32]  # working days from first up to and including each day
    # working_offsets[k - 1] is the day offset of the working day whose ordinal is k.
    working_offsets: npt.NDArray[np.int64]
    names: tuple[str | None, ...]  # holiday or closure name per day, None on ordinary days

    @property
    def size(self) -> int:
        return len(self.days)

    @property
    def working_day_count(self) -> int:
        return len(self.working_offsets)


def _frozen(array: npt.NDArray[_Scalar]) -> npt.NDArray[_Scalar]:
    array.flags.writeable = False
    return array


def build_table(first: date, last: date, named_days: Mapping[date, str], closed: frozenset[date]) -> DayTable:
    """Build the table; weekends and ``closed`` dates are non-working, ``named_days`` only supplies names.

    Names and closures are separate arguments so a name on a weekend (Christmas Day on a Sunday) can be kept
    for display without the question of whether that Sunday is "closed" ever arising.
    """
    size = (last - first).days + 1
    days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1, dtype="datetime64[D]")
    is_weekday = (days.astype(np.int64) + _EPOCH_WEEKDAY) % 7 < 5
    is_working = is_weekday.copy()
    closed_offsets = np.array([(day - first).days for day in closed if first <= day <= last], dtype=np.int64)
    is_working[closed_offsets] = False
    ordinal = np.cumsum(is_working, dtype=np.int32)
    working_offsets = np.flatnonzero(is_working).astype(np.int64)
    names: list[str | None] = [None] * size
    for day, name in named_days.items():
        if first <= day <= last:
            names[(day - first).days] = name
    return DayTable(
        first=first,
        days=_frozen(days),
        is_weekday=_frozen(is_weekday),
        is_working=_frozen(is_working),
        ordinal=_frozen(ordinal),
        working_offsets=_frozen(working_offsets),
        names=tuple(names),
    )
