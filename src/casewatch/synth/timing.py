"""When a timed piece of work actually happens: on time, late, or never.

Every timed activity in a synthetic council (an assessment, a conference, a visit, a recording) has a due
date. With probability ``on_time`` (the ``timeliness`` option) it happens inside its window; otherwise it is
late by a right-skewed amount (most a few days, a few by weeks), and a small share of the misses never
happens at all. Omissions are tied to lateness (a council that is always on time omits nothing), so
``timeliness=1.0`` gives a council with no late or missing work: handy for checking a standard's "met" path.

Everything here works on integer *positions*: working-day ordinals for working-day rules, day numbers for
calendar rules. The caller converts, so the same model serves both kinds of clock.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casewatch.synth import ragged
from casewatch.synth.days import Bools, Ints

# Of the activities that miss their due date, this share never happens at all.
_OMITTED_SHARE_OF_MISSES = 0.15
# On-time work lands in its window skewed towards the due date: Beta(a, b) of the way from earliest to due.
_ON_TIME_SHAPE = (2.0, 1.3)
# Recording lag in working days for work recorded "on time" (0-3 working days): mostly the same day.
_PROMPT_LAG_DAYS = np.array([0, 1, 2, 3], dtype=np.int64)
_PROMPT_LAG_WEIGHTS = np.array([0.45, 0.30, 0.15, 0.10])


@dataclass(frozen=True)
class Punctuality:
    """Shares of timed work done on time, done late, and never done."""

    on_time: float

    @property
    def omitted(self) -> float:
        return _OMITTED_SHARE_OF_MISSES * (1.0 - self.on_time)

    @property
    def late(self) -> float:
        return 1.0 - self.on_time - self.omitted

    def outcome(self, rng: np.random.Generator, n: int) -> tuple[Bools, Bools]:
        """Per activity: (on time?, happened at all?)."""
        u = rng.random(n)
        on_time = u < self.on_time
        happened = u < self.on_time + self.late
        return on_time, happened


def lateness(rng: np.random.Generator, n: int, typical: float) -> Ints:
    """How far past due late work lands: at least 1, median about ``typical``, long right tail."""
    return np.asarray(1 + np.floor(rng.lognormal(np.log(max(typical, 1.0)), 0.8, n)), dtype=np.int64)


def complete_by(
    rng: np.random.Generator,
    earliest: npt.ArrayLike,
    due: npt.ArrayLike,
    punctuality: Punctuality,
    typical_lateness: float,
) -> tuple[Ints, Bools]:
    """Position each activity happens at, and whether it happens at all (``False`` = omitted).

    On time means inside ``[earliest, due]``; an omitted activity still gets a position (where it would have
    been), so callers can keep timelines continuous and simply not write the row.
    """
    earliest_a = np.asarray(earliest, dtype=np.int64)
    due_a = np.asarray(due, dtype=np.int64)
    n = len(due_a)
    on_time, happened = punctuality.outcome(rng, n)
    span = np.maximum(due_a - earliest_a, 0)
    in_window = earliest_a + np.floor(span * rng.beta(*_ON_TIME_SHAPE, n)).astype(np.int64)
    late = due_a + lateness(rng, n, typical_lateness)
    return np.where(on_time, in_window, late), happened


def recording_lag(rng: np.random.Generator, n: int, punctuality: Punctuality) -> Ints:
    """Working days between an event and its recording: 0-3 when prompt, skewed longer otherwise."""
    prompt = rng.random(n) < punctuality.on_time
    quick = rng.choice(_PROMPT_LAG_DAYS, size=n, p=_PROMPT_LAG_WEIGHTS)
    slow = 3 + lateness(rng, n, 4.0)
    return np.where(prompt, quick, slow)


@dataclass(frozen=True)
class Series:
    """A flat set of recurring events: whose (``owner``), where on the clock, and whether each happened."""

    owner: Ints
    position: Ints
    happened: Bools

    def __len__(self) -> int:
        return len(self.owner)

    def select(self, mask: Bools) -> Series:
        return Series(self.owner[mask], self.position[mask], self.happened[mask])


# On-time gaps are the interval minus up to this share of it, so no gap is shorter than 65% of the interval.
_MAX_EARLY_SHARE = 0.35


def recurring(
    rng: np.random.Generator,
    first: Ints,
    stop: Ints,
    interval: npt.ArrayLike,
    punctuality: Punctuality,
    typical_lateness: float,
) -> Series:
    """Events from ``first`` onward, each next one due ``interval`` after the previous, until ``stop``.

    ``first`` is the position of the first event (already decided by the caller, usually with
    ``complete_by``) and is included when it is not after ``stop``. A late event moves every later due date,
    exactly as "no more than N days between visits" works in practice; an omitted event keeps its place in
    the timeline but is marked not happened, so the real gap around it doubles.
    """
    first = np.asarray(first, dtype=np.int64)
    stop = np.asarray(stop, dtype=np.int64)
    gap_due = np.broadcast_to(np.asarray(interval, dtype=np.int64), first.shape)
    min_gap = np.maximum(1, np.floor(gap_due * (1 - _MAX_EARLY_SHARE))).astype(np.int64)
    room = np.maximum(stop - first, -1)
    counts = np.where(room >= 0, 1 + room // min_gap + 1, 0)
    owner = ragged.expand(counts)
    k = len(owner)
    step_due = gap_due[owner]
    on_time, happened = punctuality.outcome(rng, k)
    early = np.floor(step_due * _MAX_EARLY_SHARE * rng.beta(1.0, 3.0, k)).astype(np.int64)
    steps = np.where(on_time, step_due - early, step_due + lateness(rng, k, typical_lateness))
    pos_in_run = ragged.position(counts)
    steps[pos_in_run == 0] = 0
    positions = first[owner] + ragged.cumsum_within(steps, counts)
    keep = positions <= stop[owner]
    # The first event was decided by the caller: it always "happened" here (the caller owns omission).
    happened = happened | (pos_in_run == 0)
    return Series(owner[keep], positions[keep], happened[keep])
