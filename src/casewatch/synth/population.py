"""The children of a synthetic council: who exists, when they were born, and what sets them apart.

Every child who could appear in the extract is simulated from birth, not only the ones the extract shows:
the council's history (re-referrals, second periods of care, care leavers) only comes out right when
children are followed through their whole childhood. Births are spread evenly, so ``population`` children
are aged 0-17 on the extract date, and older cohorts reach back far enough for every child of the extract
window and for care leavers up to 21. Only children with social care involvement get an ``ssd_person`` row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casewatch.synth import params
from casewatch.synth.days import Bools, Days, Floats, Ints, add_months, nat, plus

CHILDHOOD_YEARS = 18
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class CohortPlan:
    """How many children are simulated, and how they are split into batches, each with its own random stream.

    The batch is the unit of randomness: batch ``k`` always holds the same children, drawn from the same
    stream, however many batches are later held in memory together before writing.
    """

    population: int
    span_years: int
    born: int
    unborn: int
    batch_size: int

    @property
    def total(self) -> int:
        return self.born + self.unborn

    @property
    def batches(self) -> int:
        return max(1, -(-self.total // self.batch_size))

    def bounds(self, batch: int) -> tuple[int, int]:
        lo = batch * self.batch_size
        return lo, min(self.total, lo + self.batch_size)


def plan_cohort(population: int, years: int, batch_size: int) -> CohortPlan:
    """Size the simulated cohort: ``population`` children per 18 birth years, over every year needed."""
    span = CHILDHOOD_YEARS + max(years, params.CARE_LEAVER_MAX_AGE - CHILDHOOD_YEARS + 1)
    born = round(population * span / CHILDHOOD_YEARS)
    unborn = round(population * params.UNBORN_PER_10K / 10_000)
    return CohortPlan(population, span, born, unborn, batch_size)


@dataclass(frozen=True)
class Cohort:
    """One batch of children. ``index`` is the global child number, stable however batches are grouped."""

    index: Ints
    dob: Days  # NaT for an unborn child
    expected_dob: Days  # set only for unborn children
    sex: npt.NDArray[np.str_]
    ethnicity: npt.NDArray[np.str_]
    disabled: Bools
    uasc: Bools
    arrival: Days  # UASC: date they arrived (first known to the council); NaT otherwise
    vulnerability: Floats
    locality: Floats  # where the family lives, as a 0-1 position: picks the locality team

    def __len__(self) -> int:
        return len(self.index)

    @property
    def unborn(self) -> Bools:
        return np.isnat(self.dob)

    def adulthood(self) -> Days:
        """The 18th birthday (for unborn children, the expected one)."""
        base = np.where(self.unborn, self.expected_dob, self.dob)
        return add_months(base, 12 * CHILDHOOD_YEARS)


def _categorical(rng: np.random.Generator, table: Mapping[str, float], n: int) -> npt.NDArray[np.str_]:
    keys = np.array(list(table.keys()))
    weights = np.array(list(table.values()), dtype=np.float64)
    return np.asarray(rng.choice(keys, size=n, p=weights / weights.sum()))


def make_cohort(rng: np.random.Generator, plan: CohortPlan, batch: int, as_at: np.datetime64) -> Cohort:
    """The children of one batch; the batch's random stream alone decides everything about them."""
    lo, hi = plan.bounds(batch)
    index = np.arange(lo, hi, dtype=np.int64)
    n = len(index)
    born = index < plan.born
    span_days = plan.span_years * DAYS_PER_YEAR
    # Stratified births: child i is born in the i-th slice of the span, so ages are evenly spread.
    age_days = np.floor((index + rng.random(n)) * span_days / max(plan.born, 1)).astype(np.int64)
    dob = np.where(born, plus(as_at, -age_days), nat(n))
    expected = np.where(born, nat(n), plus(as_at, rng.integers(1, 150, n)))
    uasc_p = params.UASC_ARRIVALS_PER_10K / (10_000 / CHILDHOOD_YEARS)
    uasc = born & (rng.random(n) < uasc_p)
    arrival_age = rng.uniform(14.5, 17.8, n)
    arrival = np.where(uasc, plus(dob, np.floor(arrival_age * DAYS_PER_YEAR).astype(np.int64)), nat(n))
    male_share = np.where(uasc, params.UASC_MALE_SHARE, params.SEX_MALE_SHARE)
    sex = np.where(rng.random(n) < male_share, "M", "F")
    ethnicity = np.where(uasc, _categorical(rng, params.UASC_ETHNICITY, n), _categorical(rng, params.ETHNICITY, n))
    disabled = rng.random(n) < params.DISABLED_SHARE
    vulnerability = rng.gamma(params.VULNERABILITY_SHAPE, 1.0 / params.VULNERABILITY_SHAPE, n)
    return Cohort(
        index=index,
        dob=dob,
        expected_dob=expected,
        sex=sex,
        ethnicity=ethnicity,
        disabled=disabled,
        uasc=uasc,
        arrival=arrival,
        vulnerability=vulnerability,
        locality=rng.random(n),
    )
