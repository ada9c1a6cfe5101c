"""Meetings, complaints and escalations about children: the service around the statutory timeline.

None of these is a DfE statistic, so their rates are practice assumptions, chosen to be plausible for an
English council and stated here:

* a placement planning meeting for every period of care, due within 5 working days of the child becoming
  looked after (Care Planning Regulations 2010 guidance: before the placement or within five working days);
* a family group conference for a quarter of child protection plans, within 30 working days of the plan;
* complaints about 2 per 100 open cases a year; stage 1 acknowledged within 3 and answered within 10
  working days (the Children Act 1989 representations procedure's 10, extendable to 20), one in ten going to
  stage 2 (25 working days);
* escalations by the IRO (looked-after children) or the conference chair (child protection) at about 15 per
  100 plans a year, answered within 5 and resolved within 20 working days.

Each is late or never done at the run's timeliness, like every other piece of timed work.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth import ragged
from casewatch.synth.careers import CLA, CP
from casewatch.synth.chunk import Chunk
from casewatch.synth.days import Days, Ints, between, cap, earliest, latest, plus
from casewatch.synth.tables.common import draw, ids_or_null, sort_rows, team_ids, yes
from casewatch.synth.timing import complete_by, recording_lag
from casewatch.synth.writer import Frame

PLACEMENT_PLANNING_WITHIN_WD = 5
FGC_SHARE_OF_CP_PLANS = 0.25
FGC_WITHIN_WD = 30
COMPLAINTS_PER_CASE_YEAR = 0.02
COMPLAINT_ACK_WD = 3
COMPLAINT_STAGE1_WD = 10
COMPLAINT_STAGE2_WD = 25
STAGE2_SHARE = 0.10
ESCALATIONS_PER_PLAN_YEAR = 0.15
ESCALATION_RESPONSE_WD = 5
ESCALATION_RESOLVED_WD = 20
_COMPLAINT_OUTCOMES = {"upheld": 0.2, "partly upheld": 0.3, "not upheld": 0.45, "withdrawn": 0.05}
_ESCALATION_OUTCOMES = {"resolved": 0.85, "escalated to head of service": 0.15}


def _segment_end(chunk: Chunk, rows: Ints) -> Days:
    """The last day a segment could hold an event in the extract: its end, or the extract date while open."""
    end = chunk.extract.segment_end[rows]
    return np.where(np.isnat(end), chunk.ctx.as_at, end)


def _timed(chunk: Chunk, start: Days, within: int, typical: float) -> tuple[Days, np.ndarray]:
    """When work due ``within`` working days of ``start`` was done, and whether it was done at all."""
    wd = chunk.ctx.wd
    first = wd.ordinal(start)
    pos, done = complete_by(chunk.ctx.rng, first, first + within, chunk.ctx.punctuality, typical)
    return latest(wd.from_ordinal(pos), start), done


def _recorded(chunk: Chunk, when: Days) -> Days:
    """The date a record was written up (null if that was after the extract date)."""
    lag = recording_lag(chunk.ctx.rng, len(when), chunk.ctx.punctuality)
    return cap(chunk.ctx.wd.add(when, lag), chunk.ctx.as_at)


def meetings(chunk: Chunk) -> dict[str, Frame]:
    """Placement planning meetings for periods of care and family group conferences for CP plans."""
    ctx, seg, ext = chunk.ctx, chunk.careers.segments, chunk.extract
    parts: list[tuple[Ints, Days, str, str]] = []
    for segment_kind, meeting_type, id_kind, within, share in (
        (CLA, "placement_planning", "period_of_care", PLACEMENT_PLANNING_WITHIN_WD, 1.0),
        (CP, "family_group_conference", "cp_plan", FGC_WITHIN_WD, FGC_SHARE_OF_CP_PLANS),
    ):
        rows = np.flatnonzero((seg.kind == segment_kind) & ext.segment_kept & chunk.in_history(seg.start))
        rows = rows[yes(ctx.rng, len(rows), share)]
        when, done = _timed(chunk, seg.start[rows], within, 4.0)
        ok = done & (when <= _segment_end(chunk, rows))
        parts.append((rows[ok], when[ok], meeting_type, id_kind))
    rows = np.concatenate([p[0] for p in parts])
    when = np.concatenate([p[1] for p in parts])
    kind = np.concatenate([np.full(len(p[0]), p[2]) for p in parts]).astype(str)
    related = np.concatenate([ids_or_null(p[3], ext.segment_no[p[0]]).to_numpy(zero_copy_only=False) for p in parts])
    episode = seg.episode[rows]
    order = sort_rows(chunk.cohort.index[chunk.careers.episodes.person[episode]], when, kind)
    rows, when, kind, related, episode = rows[order], when[order], kind[order], related[order], episode[order]
    chair, _ = chunk.allocation.at(episode, when)
    n = len(rows)
    frame: Frame = {
        "meet_meeting_id": ids_or_null("meeting", chunk.numbering.take("meeting", n)),
        "meet_person_id": chunk.person_ids(chunk.careers.episodes.person[episode]),
        "meet_referral_id": ids_or_null("referral", ext.referral_no[episode]),
        "meet_meeting_type": kind,
        "meet_meeting_date": when,
        "meet_recorded_date": _recorded(chunk, when),
        "meet_related_id": related.astype(str) if n else np.zeros(0, dtype=str),
        "meet_chair_worker_id": chunk.worker_ids(chair),
    }
    return {"ext_meetings": frame}


def _poisson_dates(chunk: Chunk, lo: Days, hi: Days, per_year: float) -> tuple[Ints, Days]:
    """Events at ``per_year`` between each ``lo`` and ``hi`` (inclusive): (owner row, date)."""
    rng = chunk.ctx.rng
    days = np.maximum(between(lo, hi) + 1, 0)
    owner = ragged.expand(rng.poisson(days * per_year / 365.25))
    when = plus(lo[owner], np.floor(rng.random(len(owner)) * days[owner]).astype(np.int64))
    return owner, when


def complaints(chunk: Chunk) -> dict[str, Frame]:
    """Complaints received while a case was open, with acknowledgement, response, stage and outcome."""
    ctx, eps, ext = chunk.ctx, chunk.careers.episodes, chunk.extract
    rng = ctx.rng
    kept = np.flatnonzero(ext.episode_kept)
    lo = latest(eps.referral[kept], np.full(len(kept), ctx.history_start))
    hi = np.where(np.isnat(ext.close[kept]), ctx.as_at, ext.close[kept])
    owner, received = _poisson_dates(chunk, lo, hi, COMPLAINTS_PER_CASE_YEAR)
    received = earliest(latest(received, lo[owner]), hi[owner])
    episode = kept[owner]
    order = sort_rows(chunk.cohort.index[eps.person[episode]], received)
    episode, received = episode[order], received[order]
    n = len(episode)
    stage2 = yes(rng, n, STAGE2_SHARE)
    ack, _ = _timed(chunk, received, COMPLAINT_ACK_WD, 2.0)
    answer, answered = _timed(chunk, received, COMPLAINT_STAGE1_WD, 8.0)
    stage2_answer, _ = _timed(chunk, answer, COMPLAINT_STAGE2_WD, 15.0)
    response = np.where(stage2, stage2_answer, answer)
    response = np.where(answered, cap(response, ctx.as_at), np.datetime64("NaT"))
    outcome = np.where(np.isnat(response), "", draw(rng, _COMPLAINT_OUTCOMES, n))
    worker, team = chunk.allocation.latest_before(episode, received)
    frame: Frame = {
        "cmpl_complaint_id": ids_or_null("complaint", chunk.numbering.take("complaint", n)),
        "cmpl_person_id": chunk.person_ids(eps.person[episode]),
        "cmpl_worker_id": chunk.worker_ids(worker),
        "cmpl_team": team_ids(team),
        "cmpl_stage": np.where(stage2 & ~np.isnat(response), "2", "1"),
        "cmpl_received_date": received,
        "cmpl_acknowledged_date": cap(ack, ctx.as_at),
        "cmpl_response_date": response,
        "cmpl_outcome": outcome,
    }
    return {"ext_complaints": frame}


def escalations(chunk: Chunk) -> dict[str, Frame]:
    """Escalations raised by the IRO (periods of care) or the conference chair (CP plans)."""
    ctx, seg, ext = chunk.ctx, chunk.careers.segments, chunk.extract
    rng = ctx.rng
    plans = np.flatnonzero(((seg.kind == CLA) | (seg.kind == CP)) & ext.segment_kept)
    lo = latest(seg.start[plans], np.full(len(plans), ctx.history_start))
    hi = _segment_end(chunk, plans)
    owner, raised = _poisson_dates(chunk, lo, hi, ESCALATIONS_PER_PLAN_YEAR)
    raised = earliest(latest(raised, lo[owner]), hi[owner])
    rows = plans[owner]
    episode = seg.episode[rows]
    order = sort_rows(chunk.cohort.index[chunk.careers.episodes.person[episode]], raised)
    rows, raised, episode = rows[order], raised[order], episode[order]
    n = len(rows)
    response, answered = _timed(chunk, raised, ESCALATION_RESPONSE_WD, 4.0)
    resolved, _ = _timed(chunk, response, ESCALATION_RESOLVED_WD - ESCALATION_RESPONSE_WD, 10.0)
    response = np.where(answered, cap(response, ctx.as_at), np.datetime64("NaT"))
    resolved = np.where(np.isnat(response), np.datetime64("NaT"), cap(resolved, ctx.as_at))
    worker, _ = chunk.allocation.latest_before(episode, raised)
    manager = np.where(worker > 0, chunk.workforce.workers.line_manager[np.maximum(worker, 1) - 1], 0)
    frame: Frame = {
        "escl_escalation_id": ids_or_null("escalation", chunk.numbering.take("escalation", n)),
        "escl_person_id": chunk.person_ids(chunk.careers.episodes.person[episode]),
        "escl_raised_by": np.where(seg.kind[rows] == CLA, "IRO", "CP chair"),
        "escl_responsible_worker_id": chunk.worker_ids(manager),
        "escl_stage": np.full(n, "1"),
        "escl_raised_date": raised,
        "escl_response_date": response,
        "escl_resolved_date": resolved,
        "escl_outcome": np.where(np.isnat(resolved), "", draw(rng, _ESCALATION_OUTCOMES, n)),
    }
    return {"ext_escalations": frame}
