"""Child in need plans, their visits, meetings and reviews.

The SSD has CIN plan start and end only; casewatch's ``ext_plan_reviews`` carries the reviews (every three
months, the common local standard) and CIN visits follow the common local rhythm of at least every 20
working days (four weeks). The plan is made at a first child in need meeting, due within 10 working days
of the plan (the common local standard), and every review is itself a meeting, so ``ext_meetings`` has a
``cin_meeting`` for the first and a ``cin_review`` for each review held.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth.careers import CIN
from casewatch.synth.chunk import Chunk
from casewatch.synth.days import latest, years_between
from casewatch.synth.tables.common import ids_or_null, sort_rows, team_ids
from casewatch.synth.tables.plan_documents import plan_documents
from casewatch.synth.tables.protection import eps_dob
from casewatch.synth.tables.service import meeting_frame
from casewatch.synth.tables.visits import working_day_visits
from casewatch.synth.timing import complete_by
from casewatch.synth.writer import Frame, flag

CIN_VISIT_INTERVAL_WD = 20
FIRST_CIN_MEETING_WD = 10


def plans(chunk: Chunk) -> dict[str, Frame]:
    """``ssd_cin_plans``, ``ssd_cin_visits`` (and case notes) and the CIN rows of ``ext_plan_reviews``."""
    ctx, eps, seg, ext = chunk.ctx, chunk.careers.episodes, chunk.careers.segments, chunk.extract
    rows = np.flatnonzero((seg.kind == CIN) & ext.segment_kept)
    rows = rows[np.argsort(ext.segment_no[rows])]
    ep = seg.episode[rows]
    person = eps.person[ep]
    worker, team = chunk.allocation.latest_before(ep, np.minimum(seg.start[rows], ctx.as_at))
    plans_frame: Frame = {
        "cinp_cin_plan_id": ids_or_null("cin_plan", ext.segment_no[rows]),
        "cinp_person_id": chunk.person_ids(person),
        "cinp_referral_id": ids_or_null("referral", ext.referral_no[ep]),
        "cinp_cin_plan_start_date": seg.start[rows],
        "cinp_cin_plan_end_date": ext.segment_end[rows],
        "cinp_cin_plan_team": team_ids(team),
        "cinp_cin_plan_worker_id": chunk.worker_ids(worker),
    }
    start_ord = ctx.wd.ordinal(seg.start[rows])
    stop_ord = ctx.wd.ordinal(np.minimum(seg.end[rows], ctx.horizon))
    age = years_between(eps_dob(chunk, person), seg.start[rows])
    visits = working_day_visits(chunk, rows, start_ord, stop_ord, CIN_VISIT_INTERVAL_WD, age, "CIN")

    rv = chunk.careers.reviews
    is_cin = np.zeros(len(seg), dtype=bool)
    is_cin[rows] = True
    # Held reviews, reviews that should have been held but were not (cancelled, never rescheduled), and the
    # next review already scheduled for an open plan.
    r = np.flatnonzero(
        is_cin[rv.segment] & (rv.due >= ctx.history_start) & (rv.due <= ctx.as_at)
        | is_cin[rv.segment] & rv.happened & chunk.in_history(rv.held)
    )
    r = r[sort_rows(ext.segment_no[rv.segment[r]], rv.due[r])]
    held = np.where(rv.happened[r] & (rv.held[r] <= ctx.as_at), rv.held[r], np.datetime64("NaT"))
    cancelled = ~rv.happened[r] & (rv.due[r] < ctx.as_at)
    r_seg = rv.segment[r]
    reviews: Frame = {
        "plrv_id": ids_or_null("plan_review", chunk.numbering.take("plan_review", len(r))),
        "plrv_person_id": chunk.person_ids(eps.person[seg.episode[r_seg]]),
        "plrv_plan_type": np.full(len(r), "CIN"),
        "plrv_plan_id": ids_or_null("cin_plan", ext.segment_no[r_seg]),
        "plrv_due_date": rv.due[r],
        "plrv_review_date": held,
        "plrv_cancelled": flag(cancelled),
    }
    documents = plan_documents(chunk, rows, "CIN", "cin_plan")

    # Meetings: the first within 10 working days of the plan, then one at each review held.
    pos, done = complete_by(ctx.rng, start_ord, start_ord + FIRST_CIN_MEETING_WD, ctx.punctuality, 5.0)
    first = latest(ctx.wd.from_ordinal(pos), seg.start[rows])
    m = np.flatnonzero(done & (first <= seg.end[rows]) & (first <= ctx.as_at))
    h = np.flatnonzero(~np.isnat(held) & chunk.in_history(held))
    meet_seg = np.r_[rows[m], r_seg[h]]
    meetings = meeting_frame(
        chunk,
        seg.episode[meet_seg],
        np.r_[first[m], held[h]],
        np.r_[np.full(len(m), "cin_meeting"), np.full(len(h), "cin_review")],
        np.asarray(ids_or_null("cin_plan", ext.segment_no[meet_seg]).to_numpy(zero_copy_only=False)),
    )
    return {
        "ssd_cin_plans": plans_frame,
        "ext_plan_reviews/CIN": reviews,
        "ext_plan_documents/CIN": documents,
        "ext_meetings/CIN": meetings,
        **visits,
    }
