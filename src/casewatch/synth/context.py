"""What every stage of the generator shares: the random stream, the calendar, the dates that bound it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from casewatch.synth.timing import Punctuality
from casewatch.synth.workdays import WorkingDays

LOOKBACK_DAYS = 92


@dataclass(frozen=True)
class Context:
    """One chunk's (or the workforce's) generation context.

    ``as_at`` is the extract date: nothing after it may be written. ``window_start`` is where the extract's
    history begins (``as_at`` minus ``years``); ``horizon`` is how far past ``as_at`` the simulation looks
    so that "still open" is decided by a real future end date rather than by a cut-off artefact.
    """

    rng: np.random.Generator
    wd: WorkingDays
    as_at: np.datetime64
    window_start: np.datetime64
    horizon: np.datetime64
    punctuality: Punctuality

    @property
    def history_start(self) -> np.datetime64:
        """Earliest event date written: three months before the window, the longest visit interval, so the
        first interval of every visit series in the window can be measured from an earlier visit. (Reviews
        carry their own due dates, so they need no look-back.)"""
        return self.window_start - np.timedelta64(LOOKBACK_DAYS, "D")
