"""The records the council packs read exist, in the codes the packs look for, and follow the children's
histories: care leavers' episodes after their care, newly qualified workers' supervision rhythm, meetings,
documents and front-door decisions at the standards' timescales when the council is punctual."""

from __future__ import annotations

import numpy as np
from synth_checks import AS_AT, connect

from casewatch.calendars import get_calendar
from casewatch.synth import SynthSummary
from casewatch.synth.context import Context
from casewatch.synth.timing import Punctuality
from casewatch.synth.workdays import WorkingDays
from casewatch.synth.workforce import build_workforce

england = get_calendar("england")


def _values(summary: SynthSummary, table: str, column: str) -> set[str]:
    con = connect(summary.out_dir)
    return {row[0] for row in con.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()}


def test_every_code_the_packs_look_for_is_written(small_council: SynthSummary) -> None:
    """One code per pack where the packs name the same record differently (see docs/synthetic-council.md)."""
    assert {
        "placement_planning",
        "cin_meeting",
        "cin_review",
        "permanence planning",
        "legal_gateway_panel",
        "family_group_conference",
    } <= _values(small_council, "ext_meetings", "meet_meeting_type")
    assert {
        "chronology",
        "genogram",
        "ecomap",
        "case_summary",
        "case summary",
        "cla_review_report",
        "legal_gateway_paperwork",
        "early help assessment",
    } <= _values(small_council, "ext_case_documents", "cdoc_type")
    assert {"CIN", "PEP", "PATHWAY", "early_help", "EHSP"} <= _values(
        small_council, "ext_plan_reviews", "plrv_plan_type"
    )
    assert "early_help" in _values(small_council, "ext_plan_documents", "pldc_plan_type")
    assert {"Strategy discussion", "S47", "Level 4"} <= _values(small_council, "ext_contact_decisions", "cdec_outcome")
    assert "Assessment direction" in _values(small_council, "ext_management_oversight", "mgmt_oversight_type")
    assert "CL" in _values(small_council, "ext_casenotes", "csnt_visit_context")


def test_care_leaver_episodes_begin_when_care_ends(small_council: SynthSummary) -> None:
    """Each episode starts on the day a period of care ended, between 16 and 18, and ends by 25. (A period of
    care that ended before the extract's three-year window is not in it, as in a real SSD extract.)"""
    con = connect(small_council.out_dir)
    rows = con.execute(
        """SELECT e.clep_start_date, e.clep_end_date, p.pers_dob, e.clep_eligibility, w.wprf_role_category,
                  (SELECT count(*) FROM ssd_cla_episodes c WHERE c.clae_person_id = e.clep_person_id
                      AND c.clae_cla_episode_ceased_date = e.clep_start_date) AS care_ended_that_day
           FROM ext_care_leaver_episodes e
           JOIN ssd_person p ON p.pers_person_id = e.clep_person_id
           LEFT JOIN ext_worker_profile w ON w.wprf_professional_id = e.clep_personal_adviser_id"""
    ).fetchall()
    assert rows
    for start, end, dob, eligibility, adviser_role, care_ended in rows:
        age = (start - dob).days / 365.25
        assert 15.99 <= age <= 18.01
        assert care_ended >= 1 or start < AS_AT.replace(year=AS_AT.year - 3)
        assert end is None or (end - dob).days / 365.25 < 25.01
        assert eligibility in ("Relevant", "Former Relevant")
        assert adviser_role in (None, "PA")
    assert any(end is None for _, end, *_ in rows)


def test_newly_qualified_workers_are_supervised_weekly_then_fortnightly() -> None:
    """With every session on time: at most 5 working days apart in an ASYE's first six weeks, 10 after."""
    as_at = np.datetime64(AS_AT, "D")
    floor = as_at - 3 * 365
    wd = WorkingDays(floor - 3650, as_at + 800)
    ctx = Context(np.random.default_rng(4), wd, as_at, floor, as_at + 400, Punctuality(1.0))
    wf = build_workforce(ctx, 40_000, floor)
    sup, workers = wf.supervision, wf.workers
    checked = 0
    for w in np.flatnonzero(~np.isnat(workers.asye_start) & (workers.asye_start > floor)):
        number = workers.number[w]
        days = np.unique(sup.date[sup.worker == number])
        start, end = workers.asye_start[w], workers.asye_end[w]
        spell = wf.spells.worker == number
        in_post = (wf.spells.start[spell] <= start).any() and (wf.spells.end[spell] >= end).all()
        if not in_post or end > as_at:
            continue
        weekly = days[(days >= start) & (days <= start + 42)]
        fortnightly = days[(days > start + 42) & (days <= end)]
        assert len(weekly) >= 5
        assert (np.diff(wd.ordinal(weekly)) <= 5).all()
        assert (np.diff(wd.ordinal(fortnightly)) <= 10).all()
        after = days[days > end]
        assert (np.diff(wd.ordinal(after)) <= 21).all()
        checked += 1
    assert checked > 0


def test_punctual_council_holds_its_meetings_and_writes_its_reports_on_time(punctual_council: SynthSummary) -> None:
    con = connect(punctual_council.out_dir)
    placements = con.execute(
        """SELECT p.clap_cla_placement_start_date, m.meet_meeting_date FROM ssd_cla_placement p
           LEFT JOIN ext_meetings m ON m.meet_related_id = p.clap_cla_placement_id
                AND m.meet_meeting_type = 'placement_planning'
           WHERE p.clap_cla_placement_end_date IS NULL
             AND p.clap_cla_placement_start_date <= DATE '2026-10-16'"""
    ).fetchall()
    assert placements
    start = np.array([r[0] for r in placements], dtype="datetime64[D]")
    held = np.array([r[1] for r in placements], dtype="datetime64[D]")
    assert not np.isnat(held).any()
    assert (england.ordinals(held) - england.ordinals(start) <= 5).all()

    reviews = con.execute(
        """SELECT r.clar_cla_review_date,
                  (SELECT max(d.cdoc_created_date) FROM ext_case_documents d
                   WHERE d.cdoc_person_id = r.clar_cla_person_id AND d.cdoc_type = 'cla_review_report'
                     AND d.cdoc_created_date <= r.clar_cla_review_date) AS report
           FROM ssd_cla_reviews r
           WHERE r.clar_cla_review_cancelled = 'N' AND r.clar_cla_review_date >= DATE '2025-01-01'"""
    ).fetchall()
    assert reviews
    review = np.array([r[0] for r in reviews], dtype="datetime64[D]")
    report = np.array([r[1] for r in reviews], dtype="datetime64[D]")
    assert not np.isnat(report).any()
    assert (england.ordinals(review) - england.ordinals(report) >= 5).all()

    first_meetings = con.execute(
        """SELECT p.cinp_cin_plan_start_date, min(m.meet_meeting_date) FROM ssd_cin_plans p
           JOIN ext_meetings m ON m.meet_related_id = p.cinp_cin_plan_id AND m.meet_meeting_type = 'cin_meeting'
           GROUP BY 1, p.cinp_cin_plan_id"""
    ).fetchall()
    assert first_meetings
    plan = np.array([r[0] for r in first_meetings], dtype="datetime64[D]")
    meeting = np.array([r[1] for r in first_meetings], dtype="datetime64[D]")
    assert (england.ordinals(meeting) - england.ordinals(plan) <= 10).all()
