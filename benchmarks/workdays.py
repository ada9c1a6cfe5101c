"""Working-day arithmetic on 10 million dates: casewatch's calendar against ``numpy.busday_offset``.

Both add a number of working days (-60 to 60) to each date under England and Wales's calendar (weekends and
bank holidays). casewatch counts the anchor as day 0; from an anchor that is not a working day, the next working
day is day 1 and the previous one day -1, and adding 0 leaves the date alone. In numpy that is
``roll="backward"`` for positive steps, ``roll="forward"`` for negative ones and the date itself for 0, so the
numpy side is three calls on masks. The results must be identical, element by element.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import numpy as np

from casewatch.calendars import get_calendar


def run(n: int = 10_000_000, seed: int = 7) -> dict[str, Any]:
    calendar = get_calendar("england")
    rng = np.random.default_rng(seed)
    first = np.datetime64("2012-01-01")
    dates = first + rng.integers(0, 365 * 14, n).astype("timedelta64[D]")
    steps = rng.integers(-60, 61, n)
    holidays = [d for year in range(1990, 2046) for d, _ in calendar.holidays_in(year)]
    busdays = np.busdaycalendar(holidays=np.array(holidays, dtype="datetime64[D]"))
    started = time.perf_counter()
    ours = calendar.add_working_days_many(dates, steps)
    casewatch_s = time.perf_counter() - started
    started = time.perf_counter()
    theirs = dates.copy()
    ahead, back = steps > 0, steps < 0
    theirs[ahead] = np.busday_offset(dates[ahead], steps[ahead], roll="backward", busdaycal=busdays)
    theirs[back] = np.busday_offset(dates[back], steps[back], roll="forward", busdaycal=busdays)
    numpy_s = time.perf_counter() - started
    mismatched = int(np.count_nonzero(ours != theirs))
    example: tuple[str, int, str, str] | None = None
    if mismatched:
        i = int(np.flatnonzero(ours != theirs)[0])
        example = (str(dates[i]), int(steps[i]), str(ours[i]), str(theirs[i]))
    return {
        "dates": n,
        "casewatch_s": casewatch_s,
        "numpy_s": numpy_s,
        "mismatched": mismatched,
        "first_mismatch": example,
        "range": f"{date(2012, 1, 1)} to {dates.max()!s}, steps -60..60 working days",
    }
