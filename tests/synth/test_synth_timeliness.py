"""``timeliness`` controls how much timed work is done on time: all of it at 1.0, most at 0.85, little at 0."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from synth_checks import AS_AT, connect

from casewatch.calendars import get_calendar
from casewatch.synth import SynthSummary, generate_council

england = get_calendar("england")


def _working_days(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return england.ordinals(b.astype("datetime64[D]")) - england.ordinals(a.astype("datetime64[D]"))


def _icpc_on_time(folder: Path) -> float:
    con = connect(folder)
    row = con.execute(
        """SELECT avg(CASE WHEN i.icpc_icpc_date <= i.icpc_icpc_target_date THEN 1.0 ELSE 0.0 END)
           FROM ssd_initial_cp_conference i"""
    ).fetchone()
    assert row is not None
    return float(row[0])


def test_icpc_target_is_15_working_days_after_the_strategy_discussion(small_council: SynthSummary) -> None:
    con = connect(small_council.out_dir)
    start, target = (
        np.array(col, dtype="datetime64[D]")
        for col in zip(
            *con.execute(
                """SELECT s.s47e_s47_start_date, i.icpc_icpc_target_date FROM ssd_initial_cp_conference i
                   JOIN ssd_s47_enquiry s ON i.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id"""
            ).fetchall(),
            strict=True,
        )
    )
    assert len(start) > 10
    assert (_working_days(start, target) == 15).all()


def test_punctual_council_meets_every_timescale(punctual_council: SynthSummary) -> None:
    folder = punctual_council.out_dir
    con = connect(folder)
    assert _icpc_on_time(folder) == 1.0
    rows = con.execute(
        """SELECT c.cine_referral_date, a.cina_assessment_auth_date FROM ssd_cin_assessments a
           JOIN ssd_cin_episodes c ON a.cina_referral_id = c.cine_referral_id
           WHERE a.cina_assessment_auth_date IS NOT NULL"""
    ).fetchall()
    ref, auth = (np.array(c, dtype="datetime64[D]") for c in zip(*rows, strict=True))
    assert (_working_days(ref, auth) <= 45).all()
    late_reviews = con.execute(
        "SELECT count(*) FROM ssd_cla_reviews WHERE clar_cla_review_date > clar_cla_review_due_date"
    ).fetchone()
    assert late_reviews == (0,)
    visits = con.execute("SELECT cppv_cp_plan_id, cppv_cp_visit_date FROM ssd_cp_visits ORDER BY 1, 2").fetchall()
    plan = np.array([v[0] for v in visits])
    day = np.array([v[1] for v in visits], dtype="datetime64[D]")
    same = plan[1:] == plan[:-1]
    assert same.any()
    assert (_working_days(day[:-1], day[1:])[same] <= 10).all()
    lag = con.execute("SELECT csnt_event_date, csnt_recorded_date FROM ext_casenotes").fetchall()
    event, recorded = (np.array(c, dtype="datetime64[D]") for c in zip(*lag, strict=True))
    assert (_working_days(event, recorded) <= 3).all()


def test_default_council_is_mostly_but_not_always_on_time(small_council: SynthSummary) -> None:
    assert 0.7 <= _icpc_on_time(small_council.out_dir) < 1.0


def test_unpunctual_council_is_mostly_late(tmp_path: Path) -> None:
    generate_council(tmp_path, population=3_000, seed=5, timeliness=0.0, as_at=AS_AT)
    assert _icpc_on_time(tmp_path) < 0.1
