"""Chains of reviews whose next due date counts from the previous actual one.

Statutory reviews (child protection review conferences, looked-after reviews, CIN plan reviews) are due a
fixed time after the *previous review actually held*, so a late review pushes every later one. Each link is
generated for all owners at once; the loop runs over link number, never over children.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from casewatch.synth.context import Context
from casewatch.synth.days import Bools, Days, Ints, add_months, between, plus
from casewatch.synth.timing import complete_by


@dataclass(frozen=True)
class Chain:
    """Links of a review chain, flat: owner, link number (0 = first), due date, held date, held at all."""

    owner: Ints
    link: Ints
    due: Days
    held: Days
    happened: Bools


def hold(ctx: Context, due: Days, window_days: int, typical_late_days: float) -> tuple[Days, Bools]:
    """Held date for reviews due on ``due``: on time within the window before it, or late, or not at all."""
    earliest = plus(due, -window_days)
    pos, happened = complete_by(
        ctx.rng,
        between(np.datetime64(0, "D"), earliest),
        between(np.datetime64(0, "D"), due),
        ctx.punctuality,
        typical_late_days,
    )
    held = ctx.wd.on_or_before(plus(np.datetime64(0, "D"), pos))
    # Rolling a weekend date back must not take an on-time review before its window.
    held = np.where(held < earliest, ctx.wd.on_or_after(earliest), held)
    return held, happened


def review_chain(
    ctx: Context,
    first_due: Days,
    then_months: list[int] | int,
    until: Days,
    *,
    window_days: int,
    typical_late_days: float,
    max_links: int = 60,
) -> Chain:
    """Reviews from ``first_due`` onward (later ones ``then_months`` after the previous held review), up to
    and including the first review held on or after ``until`` is *not* generated: only reviews held before
    ``until`` are kept. ``then_months`` may list per-link intervals, the last repeating.
    """
    n = len(first_due)
    steps = [then_months] if isinstance(then_months, int) else then_months
    owners: list[Ints] = []
    links: list[Ints] = []
    dues: list[Days] = []
    helds: list[Days] = []
    happened_all: list[Bools] = []
    due = np.asarray(first_due, dtype="datetime64[D]")
    alive = np.arange(n, dtype=np.int64)
    for link in range(max_links):
        held, happened = hold(ctx, due, window_days, typical_late_days)
        keep = held < until[alive]
        if not keep.any():
            break
        alive, due, held, happened = alive[keep], due[keep], held[keep], happened[keep]
        owners.append(alive)
        links.append(np.full(len(alive), link, dtype=np.int64))
        dues.append(due)
        helds.append(held)
        happened_all.append(happened)
        months = steps[min(link, len(steps) - 1)]
        # An omitted review leaves the next one due from when it should have been held.
        due = add_months(np.where(happened, held, due), months)
    if not owners:
        empty_i = np.zeros(0, dtype=np.int64)
        empty_d = np.zeros(0, dtype="datetime64[D]")
        return Chain(empty_i, empty_i, empty_d, empty_d, np.zeros(0, dtype=bool))
    return Chain(
        np.concatenate(owners),
        np.concatenate(links),
        np.concatenate(dues),
        np.concatenate(helds),
        np.concatenate(happened_all),
    )


def chain_of_length(
    ctx: Context,
    first_due: Days,
    then_months: int,
    length: Ints,
    *,
    window_days: int,
    typical_late_days: float,
) -> Chain:
    """Exactly ``length[i]`` reviews for owner ``i``; the last one always happens (a plan ends at it)."""
    n = len(first_due)
    owners: list[Ints] = []
    links: list[Ints] = []
    dues: list[Days] = []
    helds: list[Days] = []
    happened_all: list[Bools] = []
    due = np.asarray(first_due, dtype="datetime64[D]")
    alive = np.arange(n, dtype=np.int64)
    link = 0
    while len(alive):
        held, happened = hold(ctx, due, window_days, typical_late_days)
        last = length[alive] == link + 1
        happened = happened | last
        owners.append(alive)
        links.append(np.full(len(alive), link, dtype=np.int64))
        dues.append(due)
        helds.append(held)
        happened_all.append(happened)
        due = add_months(np.where(happened, held, due), then_months)
        more = length[alive] > link + 1
        alive, due = alive[more], due[more]
        link += 1
    if not owners:
        empty_i = np.zeros(0, dtype=np.int64)
        empty_d = np.zeros(0, dtype="datetime64[D]")
        return Chain(empty_i, empty_i, empty_d, empty_d, np.zeros(0, dtype=bool))
    return Chain(
        np.concatenate(owners),
        np.concatenate(links),
        np.concatenate(dues),
        np.concatenate(helds),
        np.concatenate(happened_all),
    )
