"""Child protection: strategy discussions, S47 enquiries, initial conferences, plans, visits, core groups,
review conferences.

Timescales follow Working Together 2023: the initial conference within 15 working days of the strategy
discussion (the target date written is exactly that, from the England calendar), the first core group within
10 working days of it, review conferences at 3 months then 6-monthly. Child protection visits follow the
common local standard of at least every 10 working days, and core groups the common local rhythm of about
monthly (every 20 working days).
"""

from __future__ import annotations

import numpy as np

from casewatch.synth import ragged
from casewatch.synth.careers import CP
from casewatch.synth.chunk import Chunk
from casewatch.synth.days import Days, Ints, latest, years_between
from casewatch.synth.tables.common import (
    Seconds,
    at_time,
    ids_or_null,
    json_flags,
    sort_rows,
    team_ids,
    yes,
)
from casewatch.synth.tables.plan_documents import plan_documents
from casewatch.synth.tables.visits import enquiry_visits, working_day_visits
from casewatch.synth.timing import complete_by, recurring
from casewatch.synth.writer import Frame, flag, text

CATEGORIES = {"Neglect": 0.50, "Emotional abuse": 0.36, "Physical abuse": 0.07, "Sexual abuse": 0.04, "Multiple": 0.03}
CP_VISIT_INTERVAL_WD = 10
CORE_GROUP_FIRST_WD = 10
CORE_GROUP_INTERVAL_WD = 20  # four weeks: St Helena's monthly, inside Dudley's six-weekly


def _strategy_time(chunk: Chunk, rows: Ints) -> Seconds:
    """The strategy discussion's time on its day: office hours, and after the front-door decision that
    called for it when that decision was made the same day (a discussion cannot precede its decision)."""
    when = at_time(chunk.ctx.rng, chunk.careers.episodes.strategy[rows], 9.0, 17.0)
    decided = chunk.refs["decision_second"][rows].astype("datetime64[s]")
    after = decided + np.timedelta64(1800, "s") + (chunk.ctx.rng.random(len(rows)) * 3 * 3600).astype("timedelta64[s]")
    same_day = after.astype("datetime64[D]") == when.astype("datetime64[D]")
    return np.asarray(np.where(same_day & (after > when), after, when), dtype="datetime64[s]")


def enquiries(chunk: Chunk) -> dict[str, Frame]:
    """``ext_strategy_discussions``, ``ssd_s47_enquiry`` and ``ssd_initial_cp_conference``."""
    ctx, eps, ext, alloc = chunk.ctx, chunk.careers.episodes, chunk.extract, chunk.allocation
    rows = np.flatnonzero(ext.episode_kept & ~np.isnat(eps.strategy) & (eps.strategy <= ctx.as_at))
    rows = rows[sort_rows(chunk.cohort.index[eps.person[rows]], eps.strategy[rows])]
    s47 = eps.s47[rows]
    s47_no = np.zeros(len(eps), dtype=np.int64)
    s47_rows = rows[s47]
    s47_no[s47_rows] = chunk.numbering.take("s47", len(s47_rows))
    strategies: Frame = {
        "stdi_id": ids_or_null("strategy", chunk.numbering.take("strategy", len(rows))),
        "stdi_person_id": chunk.person_ids(eps.person[rows]),
        "stdi_referral_id": ids_or_null("referral", ext.referral_no[rows]),
        "stdi_date": _strategy_time(chunk, rows),
        "stdi_outcome": np.where(s47, "S47", "No S47"),
        "stdi_s47_enquiry_id": ids_or_null("s47", s47_no[rows]),
    }

    end = chunk.upto_as_at(eps.s47_end[s47_rows])
    done = ~np.isnat(end)
    conference = ~np.isnat(eps.icpc_target[s47_rows])
    worker, team = alloc.latest_before(s47_rows, np.where(done, end, ctx.as_at))
    plan_or_services = conference | (eps.close_reason[s47_rows] != "RC8")
    s47_frame: Frame = {
        "s47e_s47_enquiry_id": ids_or_null("s47", s47_no[s47_rows]),
        "s47e_person_id": chunk.person_ids(eps.person[s47_rows]),
        "s47e_referral_id": ids_or_null("referral", ext.referral_no[s47_rows]),
        "s47e_s47_start_date": eps.strategy[s47_rows],
        "s47e_s47_end_date": end,
        "s47e_s47_nfa": flag(~plan_or_services, done),
        "s47e_s47_outcome_json": np.where(
            done,
            json_flags(
                [
                    ("NFA_FLAG", ~plan_or_services),
                    ("CP_CONFERENCE_FLAG", conference),
                    ("PROV_OF_SERVICES_FLAG", plan_or_services & ~conference),
                ]
            ),
            "",
        ),
        "s47e_s47_completed_by_team": team_ids(team),
        "s47e_s47_completed_by_worker_id": chunk.staff_ids(worker),
    }

    i_rows = s47_rows[~np.isnat(eps.icpc[s47_rows]) & (eps.icpc[s47_rows] <= ctx.as_at)]
    seg = chunk.careers.segments
    cp_no_of_episode = np.zeros(len(eps), dtype=np.int64)
    first_cp = np.flatnonzero((seg.kind == CP) & ext.segment_kept)
    # The plan an ICPC started is the episode's first CP segment, which starts on the conference date.
    starts_at_icpc = first_cp[seg.start[first_cp] == eps.icpc[seg.episode[first_cp]]]
    cp_no_of_episode[seg.episode[starts_at_icpc]] = ext.segment_no[starts_at_icpc]
    icpc_no = np.zeros(len(eps), dtype=np.int64)
    icpc_no[i_rows] = chunk.numbering.take("icpc", len(i_rows))
    chunk.refs["icpc"] = icpc_no
    worker, team = alloc.latest_before(i_rows, eps.icpc[i_rows])
    plan = eps.icpc_plan[i_rows]
    icpc_frame: Frame = {
        "icpc_icpc_id": ids_or_null("icpc", icpc_no[i_rows]),
        "icpc_person_id": chunk.person_ids(eps.person[i_rows]),
        "icpc_s47_enquiry_id": ids_or_null("s47", s47_no[i_rows]),
        "icpc_referral_id": ids_or_null("referral", ext.referral_no[i_rows]),
        "icpc_cp_plan_id": ids_or_null("cp_plan", cp_no_of_episode[i_rows]),
        "icpc_icpc_meeting_id": ids_or_null("icpc_meeting", icpc_no[i_rows]),
        "icpc_icpc_transfer_in": flag(np.zeros(len(i_rows), dtype=bool)),
        "icpc_icpc_target_date": eps.icpc_target[i_rows],
        "icpc_icpc_date": eps.icpc[i_rows],
        "icpc_icpc_outcome_cp_flag": flag(plan),
        "icpc_icpc_outcome_json": json_flags([("CP_FLAG", plan), ("PROV_OF_SERVICES_FLAG", ~plan)]),
        "icpc_icpc_team": team_ids(team),
        "icpc_icpc_worker_id": chunk.staff_ids(worker),
    }
    return {
        "ext_strategy_discussions": strategies,
        "ssd_s47_enquiry": s47_frame,
        "ssd_initial_cp_conference": icpc_frame,
        **enquiry_visits(chunk, s47_rows),
    }


def plans(chunk: Chunk) -> dict[str, Frame]:
    """``ssd_cp_plans``, ``ssd_cp_reviews``, ``ssd_cp_visits`` (with their case notes) and ``ext_core_groups``."""
    ctx, eps, seg, ext = chunk.ctx, chunk.careers.episodes, chunk.careers.segments, chunk.extract
    rng = ctx.rng
    icpc_no = chunk.refs["icpc"]
    rows = np.flatnonzero((seg.kind == CP) & ext.segment_kept)
    rows = rows[np.argsort(ext.segment_no[rows])]
    ep = seg.episode[rows]
    person = eps.person[ep]
    category = np.array(list(CATEGORIES))[rng.choice(len(CATEGORIES), len(rows), p=list(CATEGORIES.values()))]
    changed = yes(rng, len(rows), 0.08)
    latest_cat = np.where(changed, np.array(list(CATEGORIES))[rng.integers(0, 3, len(rows))], category)
    from_icpc = icpc_no[ep] * (seg.start[rows] == eps.icpc[ep])
    plans_frame: Frame = {
        "cppl_cp_plan_id": ids_or_null("cp_plan", ext.segment_no[rows]),
        "cppl_person_id": chunk.person_ids(person),
        "cppl_referral_id": ids_or_null("referral", ext.referral_no[ep]),
        "cppl_icpc_id": ids_or_null("icpc", from_icpc),
        "cppl_cp_plan_start_date": seg.start[rows],
        "cppl_cp_plan_end_date": ext.segment_end[rows],
        "cppl_cp_plan_ola": flag(np.zeros(len(rows), dtype=bool)),
        "cppl_cp_plan_initial_category": category,
        "cppl_cp_plan_latest_category": latest_cat,
    }

    rv = chunk.careers.reviews
    seg_index = np.full(len(seg), -1, dtype=np.int64)
    seg_index[rows] = np.arange(len(rows))
    r = np.flatnonzero((seg_index[rv.segment] >= 0) & rv.happened & chunk.in_history(rv.held))
    r = r[sort_rows(ext.segment_no[rv.segment[r]], rv.held[r])]
    r_seg = rv.segment[r]
    numbers = chunk.numbering.take("cp_review", len(r))
    reviews: Frame = {
        "cppr_cp_review_id": ids_or_null("cp_review", numbers),
        "cppr_person_id": chunk.person_ids(eps.person[seg.episode[r_seg]]),
        "cppr_cp_plan_id": ids_or_null("cp_plan", ext.segment_no[r_seg]),
        "cppr_cp_review_due": rv.due[r],
        "cppr_cp_review_date": rv.held[r],
        "cppr_cp_review_meeting_id": ids_or_null("cp_review", numbers),
        "cppr_cp_review_outcome_continue_cp": flag(~rv.final[r]),
        "cppr_cp_review_quorate": np.where(yes(rng, len(r), 0.95), "Y", "N"),
        "cppr_cp_review_participation": text(np.full(len(r), "")),
    }

    start_ord = ctx.wd.ordinal(seg.start[rows])
    stop_ord = ctx.wd.ordinal(np.minimum(seg.end[rows], ctx.horizon))
    age = years_between(eps_dob(chunk, person), seg.start[rows])
    visits = working_day_visits(chunk, rows, start_ord, stop_ord, CP_VISIT_INTERVAL_WD, age, "CP")

    first, held = complete_by(rng, start_ord + 2, start_ord + CORE_GROUP_FIRST_WD, ctx.punctuality, 4.0)
    series = recurring(rng, first, stop_ord, CORE_GROUP_INTERVAL_WD, ctx.punctuality, 8.0)
    first_omitted = np.zeros(len(series), dtype=bool)
    is_first = ragged.first_of_run(series.owner)
    first_omitted[is_first] = ~held[series.owner[is_first]]
    happened = series.happened & ~first_omitted
    date = ctx.wd.from_ordinal(series.position)
    keep = chunk.in_history(date) & (date <= latest(seg.end[rows][series.owner], seg.start[rows][series.owner]))
    owner, date, happened = series.owner[keep], date[keep], happened[keep]
    core: Frame = {
        "cgrp_id": ids_or_null("core_group", chunk.numbering.take("core_group", len(owner))),
        "cgrp_person_id": chunk.person_ids(person[owner]),
        "cgrp_cp_plan_id": ids_or_null("cp_plan", ext.segment_no[rows][owner]),
        "cgrp_meeting_date": date,
        "cgrp_cancelled": flag(~happened),
    }
    return {
        "ssd_cp_plans": plans_frame,
        "ssd_cp_reviews": reviews,
        "ext_core_groups": core,
        "ext_plan_documents/CP": plan_documents(chunk, rows, "CP", "cp_plan"),
        **visits,
    }


def eps_dob(chunk: Chunk, person: Ints) -> Days:
    """Date of birth, or the expected date for an unborn child (for ages)."""
    c = chunk.cohort
    return np.where(c.unborn[person], c.expected_dob[person], c.dob[person])
