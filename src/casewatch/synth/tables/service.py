"""Meetings, complaints and escalations about children: the service around the statutory timeline.

None of these is a DfE statistic, so their rates are practice assumptions, chosen to be plausible for an
English council and stated here:

* a placement planning meeting for every placement, due within 5 working days of its start (Care Planning
  Regulations 2010 guidance: before the placement or within five working days), written with the
  placements (``looked_after.py``);
* child in need meetings: the first within 10 working days of the plan, then one at every CIN plan review
  (``child_in_need.py``);
* a family group conference for a quarter of child protection plans, within 30 working days of the plan;
* permanence planning meetings for every period of care, the first within 20 working days (before the first
  looked-after review) and then about every six weeks while the child is looked after;
* a legal gateway (legal planning) panel for about one child protection plan in eight once it has run for
  three months, its paperwork (``ext_case_documents`` type ``legal_gateway_paperwork``) due 3 working days
  before the panel;
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
from casewatch.synth.tables.common import Strs, draw, ids_or_null, sort_rows, team_ids, yes
from casewatch.synth.timing import complete_by, recording_lag, recurring
from casewatch.synth.writer import Frame

PLACEMENT_PLANNING_WITHIN_WD = 5
FGC_SHARE_OF_CP_PLANS = 0.25
FGC_WITHIN_WD = 30
PERMANENCE_FIRST_WD = 20
PERMANENCE_INTERVAL_WD = 28  # "every 6 weeks" on the working-day clock, leaving room for bank holidays
LEGAL_GATEWAY_SHARE_OF_CP_PLANS = 0.125
LEGAL_GATEWAY_AFTER_DAYS = 91
LEGAL_PAPERWORK_BEFORE_WD = 3
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


def meeting_frame(chunk: Chunk, episode: Ints, when: Days, kind: Strs, related: np.ndarray) -> Frame:
    """``ext_meetings`` rows for meetings held on ``when`` about each episode's child, chaired by the case
    holder of the day and written up after the usual recording lag."""
    ext = chunk.extract
    order = sort_rows(chunk.cohort.index[chunk.careers.episodes.person[episode]], when, kind)
    episode, when, kind, related = episode[order], when[order], kind[order], related[order]
    chair, _ = chunk.allocation.at(episode, when)
    n = len(episode)
    return {
        "meet_meeting_id": ids_or_null("meeting", chunk.numbering.take("meeting", n)),
        "meet_person_id": chunk.person_ids(chunk.careers.episodes.person[episode]),
        "meet_referral_id": ids_or_null("referral", ext.referral_no[episode]),
        "meet_meeting_type": kind.astype(str),
        "meet_meeting_date": when,
        "meet_recorded_date": _recorded(chunk, when),
        "meet_related_id": related.astype(str) if n else np.zeros(0, dtype=str),
        "meet_chair_worker_id": chunk.worker_ids(chair),
    }


def _segment_ids(chunk: Chunk, rows: Ints, id_kind: str) -> np.ndarray:
    return np.asarray(ids_or_null(id_kind, chunk.extract.segment_no[rows]).to_numpy(zero_copy_only=False))


def meetings(chunk: Chunk) -> dict[str, Frame]:
    """Family group conferences and legal gateway panels for CP plans, permanence meetings for care."""
    ctx, seg, ext = chunk.ctx, chunk.careers.segments, chunk.extract
    rng = ctx.rng
    parts: list[tuple[Ints, Days, str, np.ndarray]] = []
    cp = np.flatnonzero((seg.kind == CP) & ext.segment_kept & chunk.in_history(seg.start))
    cp = cp[yes(rng, len(cp), FGC_SHARE_OF_CP_PLANS)]
    when, done = _timed(chunk, seg.start[cp], FGC_WITHIN_WD, 4.0)
    ok = done & (when <= _segment_end(chunk, cp))
    parts.append((cp[ok], when[ok], "family_group_conference", _segment_ids(chunk, cp[ok], "cp_plan")))

    # Permanence planning: the first before the first review, then about six-weekly while looked after.
    cla = np.flatnonzero((seg.kind == CLA) & ext.segment_kept)
    start_ord = ctx.wd.ordinal(seg.start[cla])
    stop_ord = ctx.wd.ordinal(_segment_end(chunk, cla))
    first, first_done = complete_by(rng, start_ord + 5, start_ord + PERMANENCE_FIRST_WD, ctx.punctuality, 6.0)
    series = recurring(rng, first, stop_ord, PERMANENCE_INTERVAL_WD, ctx.punctuality, 6.0)
    is_first = ragged.first_of_run(series.owner)
    held = series.happened & ~(is_first & ~first_done[series.owner])
    when = ctx.wd.from_ordinal(series.position[held])
    rows = cla[series.owner[held]]
    ok = chunk.in_history(when)
    parts.append((rows[ok], when[ok], "permanence planning", _segment_ids(chunk, rows[ok], "period_of_care")))

    panel_rows, panel_day, paperwork = _legal_gateway(chunk)
    parts.append((panel_rows, panel_day, "legal_gateway_panel", _segment_ids(chunk, panel_rows, "cp_plan")))

    rows = np.concatenate([p[0] for p in parts])
    frame = meeting_frame(
        chunk,
        seg.episode[rows],
        np.concatenate([p[1] for p in parts]),
        np.concatenate([np.full(len(p[0]), p[2]) for p in parts]).astype(str),
        np.concatenate([p[3] for p in parts]),
    )
    return {"ext_meetings": frame, "ext_case_documents/LEGAL": paperwork}


def _legal_gateway(chunk: Chunk) -> tuple[Ints, Days, Frame]:
    """Legal gateway panels for some long-running CP plans, and the paperwork prepared before each."""
    ctx, seg, ext = chunk.ctx, chunk.careers.segments, chunk.extract
    rng = ctx.rng
    cp = np.flatnonzero((seg.kind == CP) & ext.segment_kept)
    end = _segment_end(chunk, cp)
    earliest_day = plus(seg.start[cp], LEGAL_GATEWAY_AFTER_DAYS)
    room = between(earliest_day, end)
    chosen = (room >= 0) & yes(rng, len(cp), LEGAL_GATEWAY_SHARE_OF_CP_PLANS)
    rows, room, earliest_day = cp[chosen], room[chosen], earliest_day[chosen]
    panel = ctx.wd.on_or_after(plus(earliest_day, np.floor(rng.random(len(rows)) * (room + 1)).astype(np.int64)))
    keep = chunk.in_history(panel) & (panel <= _segment_end(chunk, rows))
    rows, panel = rows[keep], panel[keep]
    # Paperwork due 3 working days before the panel: on time a little earlier, late closer to (or on) the day.
    due = ctx.wd.ordinal(panel) - LEGAL_PAPERWORK_BEFORE_WD
    pos, done = complete_by(rng, due - 7, due, ctx.punctuality, 1.5)
    made = ctx.wd.from_ordinal(np.minimum(pos, due + LEGAL_PAPERWORK_BEFORE_WD))
    d = np.flatnonzero(done & chunk.in_history(made))
    d = d[sort_rows(chunk.cohort.index[chunk.careers.episodes.person[seg.episode[rows[d]]]], made[d])]
    paperwork: Frame = {
        "cdoc_id": ids_or_null("case_document", chunk.numbering.take("case_document", len(d))),
        "cdoc_person_id": chunk.person_ids(chunk.careers.episodes.person[seg.episode[rows[d]]]),
        "cdoc_type": np.full(len(d), "legal_gateway_paperwork"),
        "cdoc_created_date": made[d],
        "cdoc_last_updated_date": made[d],
    }
    return rows, panel, paperwork


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
