"""Which young people are care leavers, and from when: the eligibility rule the snapshot and PAs need.

Care Planning, Placement and Case Review (England) Regulations 2010 reg 40: a child is *eligible* once they
have been looked after for at least 13 weeks in total after the age of 14, ending after they turn 16. The
model uses the period of care that ends (or is open) after the 16th birthday and counts its days after the
14th. Eligible young people get a personal adviser from around 16 until 21; since the Children and Social
Work Act 2017 a former relevant young person may keep one until 25, and about a quarter are modelled as doing
so (no national figure counts them; a modelling choice). The dated time as a care leaver, which
``ext_care_leaver_episodes`` holds, runs from the day the young person leaves care until support ends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from casewatch.synth import ragged
from casewatch.synth.careers import CLA, Careers
from casewatch.synth.days import Days, Ints, add_months, between, latest, plus
from casewatch.synth.population import Cohort

THIRTEEN_WEEKS = 91
PA_UNTIL_AGE = 21
EXTENDED_PA_UNTIL_AGE = 25
EXTENDED_SUPPORT_SHARE = 0.25


@dataclass(frozen=True)
class CareLeavers:
    """One row per eligible young person: their last qualifying period of care and support dates."""

    person: Ints
    segment: Ints  # the qualifying period of care (index into careers.segments)
    episode: Ints
    care_start: Days
    care_end: Days  # may be in the future (still looked after)
    sixteen: Days
    eighteen: Days
    support_start: Days  # personal adviser from
    support_end: Days  # the day before the 21st birthday, or the 25th for those who keep support


def care_leavers(rng: np.random.Generator, cohort: Cohort, careers: Careers) -> CareLeavers:
    seg = careers.segments
    is_care = seg.kind == CLA
    idx = np.flatnonzero(is_care)
    person = careers.episodes.person[seg.episode[idx]]
    dob = cohort.dob[person]
    fourteen = add_months(dob, 14 * 12)
    sixteen = add_months(dob, 16 * 12)
    after_14 = between(latest(seg.start[idx], fourteen), seg.end[idx])
    eligible = (seg.end[idx] > sixteen) & (after_14 >= THIRTEEN_WEEKS) & ~np.isnat(dob)
    idx, person, sixteen = idx[eligible], person[eligible], sixteen[eligible]
    # A young person can qualify through more than one period: keep the last.
    order = np.lexsort((seg.start[idx], person))
    idx, person, sixteen = idx[order], person[order], sixteen[order]
    last = ragged.last_of_run(person)
    idx, person, sixteen = idx[last], person[last], sixteen[last]
    dob = cohort.dob[person]
    start = latest(plus(sixteen, rng.integers(0, 180, len(idx))), plus(seg.start[idx], THIRTEEN_WEEKS))
    until = np.where(rng.random(len(idx)) < EXTENDED_SUPPORT_SHARE, EXTENDED_PA_UNTIL_AGE, PA_UNTIL_AGE)
    return CareLeavers(
        person=person,
        segment=idx,
        episode=seg.episode[idx],
        care_start=seg.start[idx],
        care_end=seg.end[idx],
        sixteen=sixteen,
        eighteen=add_months(dob, 18 * 12),
        support_start=start,
        support_end=plus(add_months(dob, until * 12), -1),
    )
