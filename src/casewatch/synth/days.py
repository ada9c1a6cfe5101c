"""Date arithmetic on whole arrays of days.

The generator keeps every date as ``datetime64[D]`` with ``NaT`` for "did not happen (yet)": NaT survives
arithmetic and compares false with everything, so a missing date can never sneak into an ordering check as
if it were a real one. These helpers exist because numpy spells "add n days" and "add n months" awkwardly.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

NAT = np.datetime64("NaT", "D")


def day(d: date) -> np.datetime64:
    """One calendar date as a numpy day."""
    return np.datetime64(d, "D")


def nat(n: int) -> Days:
    """``n`` missing dates."""
    return np.full(n, NAT, dtype="datetime64[D]")


def plus(d: Days | np.datetime64, n: npt.ArrayLike) -> Days:
    """``d`` + ``n`` calendar days, element-wise; NaT stays NaT."""
    return np.asarray(d + np.asarray(n, dtype=np.int64).astype("timedelta64[D]"), dtype="datetime64[D]")


def between(a: Days | np.datetime64, b: Days | np.datetime64) -> Ints:
    """Calendar days from ``a`` to ``b`` (``b - a``); only meaningful where both are present."""
    delta = np.asarray(b, dtype="datetime64[D]") - np.asarray(a, dtype="datetime64[D]")
    return np.asarray(delta.astype(np.int64), dtype=np.int64)


def add_months(d: Days, months: npt.ArrayLike) -> Days:
    """Calendar months with month-end clipping (31 Jan + 1 month = 28/29 Feb), as statute counts them."""
    d = np.asarray(d, dtype="datetime64[D]")
    missing = np.isnat(d)
    safe = np.where(missing, np.datetime64("2000-01-01", "D"), d)
    month_start = safe.astype("datetime64[M]")
    day_of_month = between(month_start.astype("datetime64[D]"), safe)
    target = month_start + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    target_len = between(target.astype("datetime64[D]"), (target + 1).astype("datetime64[D]"))
    result = plus(target.astype("datetime64[D]"), np.minimum(day_of_month, target_len - 1))
    return np.where(missing, NAT, result)


def years_between(a: Days, b: Days) -> Floats:
    """Approximate age in years from ``a`` to ``b``: good for choosing behaviour, not for birthdays."""
    return np.asarray(between(a, b) / 365.25, dtype=np.float64)


def earliest(*arrays: Days) -> Days:
    """Element-wise earliest present date (NaT only where every input is NaT)."""
    result = np.asarray(arrays[0], dtype="datetime64[D]")
    for other in arrays[1:]:
        result = np.fmin(result, np.asarray(other, dtype="datetime64[D]"))
    return result


def latest(*arrays: Days) -> Days:
    """Element-wise latest present date (NaT only where every input is NaT)."""
    result = np.asarray(arrays[0], dtype="datetime64[D]")
    for other in arrays[1:]:
        result = np.fmax(result, np.asarray(other, dtype="datetime64[D]"))
    return result


def cap(d: Days, limit: np.datetime64) -> Days:
    """Dates after ``limit`` become NaT: what has not happened by the extract date is not in the extract."""
    d = np.asarray(d, dtype="datetime64[D]")
    return np.where(d > limit, NAT, d)
