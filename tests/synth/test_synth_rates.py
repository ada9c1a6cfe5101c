"""A moderate council's headline rates sit near the national figures it declares it is calibrated to."""

from __future__ import annotations

import pytest
from synth_checks import AS_AT, connect, rates

from casewatch.synth import NATIONAL_FIGURES, SynthSummary

# Relative tolerance: a 60,000-child council has ~250 children on a plan, so sampling noise alone is ~6%.
TOLERANCE = 0.2


@pytest.mark.parametrize(
    "key",
    ["referrals", "s47_enquiries", "icpcs", "children_in_need", "cp_plans", "looked_after", "started_looked_after"],
)
def test_rate_near_national_figure(moderate_council: SynthSummary, key: str) -> None:
    measured = rates(moderate_council.out_dir, AS_AT, moderate_council.population)[key]
    declared = NATIONAL_FIGURES[key].value
    assert declared * (1 - TOLERANCE) <= measured <= declared * (1 + TOLERANCE), (key, measured, declared)


def test_re_referral_share(moderate_council: SynthSummary) -> None:
    """Share of the last year's referrals that came within 12 months of the child's previous referral."""
    con = connect(moderate_council.out_dir)
    share = con.execute(
        f"""
        WITH r AS (SELECT cine_person_id p, cine_referral_date d,
                          lag(cine_referral_date) OVER (PARTITION BY cine_person_id ORDER BY cine_referral_date) prev
                   FROM ssd_cin_episodes)
        SELECT avg(CASE WHEN prev IS NOT NULL AND d - prev <= 365 THEN 1.0 ELSE 0.0 END)
        FROM r WHERE d > DATE '{AS_AT}' - INTERVAL 365 DAY"""
    ).fetchone()
    assert share is not None
    assert abs(share[0] - NATIONAL_FIGURES["re_referral_share"].value) < 0.06


def test_caseloads_are_those_of_a_real_team(moderate_council: SynthSummary) -> None:
    """Open cases per allocated social worker on the extract date: mostly in the high teens."""
    con = connect(moderate_council.out_dir)
    mean, median = con.execute(
        """SELECT avg(n), median(n) FROM (
               SELECT invo_professional_id, count(*) n FROM ssd_involvements
               WHERE invo_professional_role_id = 'SW' AND invo_involvement_end_date IS NULL GROUP BY 1)"""
    ).fetchone() or (0, 0)
    assert 12 <= mean <= 22
    assert 13 <= median <= 21


def test_most_open_cases_are_allocated(moderate_council: SynthSummary) -> None:
    con = connect(moderate_council.out_dir)
    unallocated = con.execute(
        """SELECT avg(CASE WHEN i.invo_referral_id IS NULL THEN 1.0 ELSE 0.0 END)
           FROM ssd_cin_episodes c LEFT JOIN (SELECT DISTINCT invo_referral_id FROM ssd_involvements
                                              WHERE invo_involvement_end_date IS NULL
                                                AND invo_professional_role_id = 'SW') i
             ON c.cine_referral_id = i.invo_referral_id
           WHERE c.cine_close_date IS NULL AND c.cine_referral_nfa = 'N'"""
    ).fetchone()
    assert unallocated is not None
    assert 0 < unallocated[0] < 0.05  # a few cases wait for a worker, as in any council
