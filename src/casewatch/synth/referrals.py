"""When each child is referred: the renewal process that drives the whole council.

A child's first referral comes at a rate set by age, disability and the family's vulnerability (a gamma
variable with mean 1, so most families are never referred and a few are referred again and again). After a
case closes, a share of children come straight back ("re-referral within months"); the rest return to the
background rate. Rates vary with age, so times are drawn by thinning: candidate times at the peak rate,
each kept with probability rate(age) / peak.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth import params
from casewatch.synth.days import Bools, Days, Floats, between, nat, plus
from casewatch.synth.population import DAYS_PER_YEAR

_PEAK_AGE_FACTOR = max(params.AGE_REFERRAL_FACTOR)
_MAX_THINNING_ROUNDS = 200
_MAX_WAIT_DAYS = 39_999.0  # with the day itself, 40,000 days: over a century, so never referred


def age_factor(age_years: Floats) -> Floats:
    """Relative referral rate at each age."""
    band = np.searchsorted(np.asarray(params.AGE_BANDS), age_years, side="right")
    factors = np.asarray((*params.AGE_REFERRAL_FACTOR, params.AGE_REFERRAL_FACTOR[-1]))
    return np.asarray(factors[np.minimum(band, len(params.AGE_REFERRAL_FACTOR) - 1)], dtype=np.float64)


def next_referral(
    rng: np.random.Generator,
    after: Days,
    dob: Days,
    rate: Floats,
    limit: Days,
) -> Days:
    """First referral strictly after ``after`` for a child with base yearly ``rate``; NaT if none by ``limit``."""
    n = len(after)
    result = nat(n)
    t = after.copy()
    todo = np.flatnonzero(~np.isnat(after) & (rate > 0) & (after < limit))
    # A vanishing (or zero) rate waits forever: an infinite mean wait is the right answer, capped below.
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        mean_wait = 1.0 / (rate * _PEAK_AGE_FACTOR / DAYS_PER_YEAR)
    for _ in range(_MAX_THINNING_ROUNDS):
        if not len(todo):
            break
        # Capped before the cast: a vanishingly small rate draws an infinite wait, which as an integer is garbage.
        wait = 1 + np.floor(np.minimum(rng.exponential(mean_wait[todo]), _MAX_WAIT_DAYS)).astype(np.int64)
        t[todo] = plus(t[todo], wait)
        alive = t[todo] < limit[todo]
        todo = todo[alive]
        age = between(dob[todo], t[todo]) / DAYS_PER_YEAR
        accept = rng.random(len(todo)) < age_factor(age) / _PEAK_AGE_FACTOR
        result[todo[accept]] = t[todo[accept]]
        todo = todo[~accept]
    return result


def quick_rereferral(rng: np.random.Generator, closed: Days, limit: Days) -> Days:
    """Re-referral soon after closure for a share of closed cases; NaT for the rest."""
    n = len(closed)
    chosen = rng.random(n) < params.QUICK_REREFERRAL_SHARE
    wait = 7 + np.floor(rng.exponential(params.QUICK_REREFERRAL_MEAN_DAYS, n)).astype(np.int64)
    when = plus(closed, wait)
    return np.where(chosen & (when < limit), when, nat(n))


def base_rate(vulnerability: Floats, disabled: Bools) -> Floats:
    """Each child's background referral rate per year at age factor 1."""
    factor = np.where(disabled, params.DISABLED_REFERRAL_FACTOR, 1.0)
    return np.asarray(params.FIRST_REFERRAL_RATE * vulnerability * factor, dtype=np.float64)
