"""Statutory visits and the case notes that record them.

In the SSD a visit row *is* a case note (SystemC builds ``ssd_cp_visits`` from case notes of type STVC), so
each visit written here also gets its ``ext_casenotes`` row with the same id, an author (the allocated
worker that day) and a recorded date. A visit recorded after the extract date is not in the extract at all:
the system would not know about it yet.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from casewatch.synth import ragged
from casewatch.synth.chunk import Chunk
from casewatch.synth.days import Days, Floats, Ints, years_between
from casewatch.synth.tables.common import ids_or_null, sort_rows, yes
from casewatch.synth.timing import complete_by, recording_lag, recurring
from casewatch.synth.workforce import ASSESSMENT
from casewatch.synth.writer import Frame, flag

# Per context: visit table, its column prefix, case note type code and description, chance the child is
# seen, seen alone (children of 4 and over) and their bedroom seen.
_CONTEXTS = {
    "CP": ("ssd_cp_visits", "cppv_cp", "STVC", "CP statutory visit", 0.96, 0.80, 0.70),
    "CIN": ("ssd_cin_visits", "cinv_cin", "STVN", "CIN statutory visit", 0.93, 0.65, 0.40),
    "CLA": ("ssd_cla_visits", "clav_cla", "STVL", "CLA statutory visit", 0.97, 0.75, 0.50),
}


def working_day_visits(
    chunk: Chunk, rows: Ints, start_ord: Ints, stop_ord: Ints, interval_wd: int, age: Floats, context: str
) -> dict[str, Frame]:
    """Visits every ``interval_wd`` working days (the first within that many of the plan start)."""
    ctx = chunk.ctx
    first, happened_first = complete_by(ctx.rng, start_ord + 1, start_ord + interval_wd, ctx.punctuality, 3.0)
    series = recurring(ctx.rng, first, stop_ord, interval_wd, ctx.punctuality, 3.0)
    is_first = ragged.first_of_run(series.owner)
    happened = series.happened & ~(is_first & ~happened_first[series.owner])
    date = ctx.wd.from_ordinal(series.position)
    return emit_visits(chunk, rows, series.owner[happened], date[happened], age, context)


def emit_visits(chunk: Chunk, rows: Ints, owner: Ints, date: Days, age: Floats, context: str) -> dict[str, Frame]:
    """Visit rows and their case notes for visits (``owner`` indexes ``rows``, segments of the careers)."""
    ctx, seg, eps, ext = chunk.ctx, chunk.careers.segments, chunk.careers.episodes, chunk.extract
    rng = ctx.rng
    table, prefix, code, desc, p_seen, p_alone, p_bedroom = _CONTEXTS[context]
    seg_row = rows[owner]
    inside = (date >= seg.start[seg_row]) & (date <= seg.end[seg_row])
    lag = recording_lag(rng, len(owner), ctx.punctuality)
    recorded = ctx.wd.add(date, lag)
    keep = inside & chunk.in_history(date) & (recorded <= ctx.as_at)
    owner, date, recorded, seg_row = owner[keep], date[keep], recorded[keep], seg_row[keep]
    order = sort_rows(ext.segment_no[seg_row], date)
    owner, date, recorded, seg_row = owner[order], date[order], recorded[order], seg_row[order]
    n = len(owner)
    ep = seg.episode[seg_row]
    person = eps.person[ep]
    child_age = age[owner] + (date - seg.start[seg_row]).astype(np.int64) / 365.25
    unborn = chunk.cohort.unborn[person]
    seen = ~unborn & yes(rng, n, p_seen)
    alone = seen & (child_age >= 4) & yes(rng, n, p_alone)
    bedroom = seen & yes(rng, n, p_bedroom)
    numbers = chunk.numbering.take("visit", n)
    visit_ids = ids_or_null("visit", numbers)
    person_ids = chunk.person_ids(person)
    plan_kind = {"CP": "cp_plan", "CIN": "cin_plan", "CLA": "period_of_care"}[context]
    plan_ids = ids_or_null(plan_kind, ext.segment_no[seg_row])
    frame: Frame = {
        f"{prefix}_visit_id": visit_ids,
        f"{prefix.split('_')[0]}_person_id": person_ids,
        f"{prefix}_visit_date": date,
        f"{prefix}_visit_seen": flag(seen),
        f"{prefix}_visit_seen_alone": flag(alone),
    }
    if context == "CP":
        frame["cppv_cp_plan_id"] = plan_ids
        frame["cppv_cp_visit_bedroom"] = flag(bedroom)
    elif context == "CIN":
        frame["cinv_cin_plan_id"] = plan_ids
        frame["cinv_cin_visit_bedroom"] = flag(bedroom)
    else:
        frame["clav_cla_id"] = plan_ids
    author, _ = chunk.allocation.latest_before(ep, date)
    note = _visit_note(
        chunk,
        visit_ids,
        person_ids,
        ext.referral_no[ep],
        (code, desc, context),
        date,
        recorded,
        author,
        (seen, alone, bedroom),
        plan_ids,
    )
    return {table: frame, f"ext_casenotes/{context}": note}


S47_VISIT_WITHIN_WD = 2
ALLOCATION_VISIT_WITHIN_WD = 3


def enquiry_visits(chunk: Chunk, episodes: Ints) -> dict[str, Frame]:
    """The visit that starts each section 47 enquiry: the child seen within 2 working days of the strategy
    discussion (Dudley's standard; common practice)."""
    strategy = chunk.careers.episodes.strategy[episodes]
    return first_visits(chunk, episodes, strategy, S47_VISIT_WITHIN_WD, "S47")


def allocation_visits(chunk: Chunk) -> dict[str, Frame]:
    """The assessing worker's first visit: the child seen within 3 working days of the case being allocated
    to them in the assessment team (St Helena's standard; common practice)."""
    inv, wf = chunk.involvements, chunk.workforce
    rows = np.flatnonzero((inv.role == "SW") & (wf.teams.kind[np.maximum(inv.team, 1) - 1] == ASSESSMENT))
    rows = rows[chunk.extract.episode_kept[inv.episode[rows]]]
    return first_visits(chunk, inv.episode[rows], inv.start[rows], ALLOCATION_VISIT_WITHIN_WD, "ALLOCATION")


def first_visits(chunk: Chunk, episodes: Ints, start: Days, within_wd: int, key: str) -> dict[str, Frame]:
    """One visit per episode due within ``within_wd`` working days of ``start``, on time, late or never at the
    run's timeliness. Written as a child in need visit with no plan (the SSD has no table for visits made
    before a plan) and as its case note."""
    ctx, eps, ext = chunk.ctx, chunk.careers.episodes, chunk.extract
    rng = ctx.rng
    start_ord = ctx.wd.ordinal(start)
    pos, done = complete_by(rng, start_ord, start_ord + within_wd, ctx.punctuality, 3.0)
    date = np.maximum(ctx.wd.from_ordinal(pos), start)
    recorded = ctx.wd.add(date, recording_lag(rng, len(episodes), ctx.punctuality))
    ends = np.where(np.isnat(ext.close[episodes]), ctx.as_at, ext.close[episodes])
    keep = np.flatnonzero(done & chunk.in_history(date) & (date <= ends) & (recorded <= ctx.as_at))
    keep = keep[sort_rows(chunk.cohort.index[eps.person[episodes[keep]]], date[keep])]
    ep, date, recorded = episodes[keep], date[keep], recorded[keep]
    n = len(ep)
    _, _, code, desc, p_seen, p_alone, p_bedroom = _CONTEXTS["CIN"]
    person = eps.person[ep]
    seen = ~chunk.cohort.unborn[person] & yes(rng, n, p_seen)
    alone = seen & (years_between(chunk.cohort.dob[person], date) >= 4) & yes(rng, n, p_alone)
    bedroom = seen & yes(rng, n, p_bedroom)
    visit_ids = ids_or_null("visit", chunk.numbering.take("visit", n))
    person_ids = chunk.person_ids(person)
    author, _ = chunk.allocation.latest_before(ep, date)
    visits: Frame = {
        "cinv_cin_visit_id": visit_ids,
        "cinv_person_id": person_ids,
        "cinv_cin_visit_date": date,
        "cinv_cin_visit_seen": flag(seen),
        "cinv_cin_visit_seen_alone": flag(alone),
        "cinv_cin_visit_bedroom": flag(bedroom),
    }
    note = _visit_note(
        chunk,
        visit_ids,
        person_ids,
        ext.referral_no[ep],
        (code, desc, "CIN"),
        date,
        recorded,
        author,
        (seen, alone, bedroom),
    )
    return {f"ssd_cin_visits/{key}": visits, f"ext_casenotes/{key}": note}


def _visit_note(
    chunk: Chunk,
    visit_ids: Any,
    person_ids: Any,
    referral_no: Ints,
    kind: tuple[str, str, str],
    date: Any,
    recorded: Any,
    author: Ints,
    seen_flags: tuple[Any, Any, Any],
    plan_ids: Any = None,
) -> Frame:
    """The case note every statutory visit also is (same id), in the visit's context (CIN, CP, CLA)."""
    n = len(referral_no)
    code, desc, context = kind
    seen, alone, bedroom = seen_flags
    note: Frame = {
        "csnt_casenote_id": visit_ids,
        "csnt_person_id": person_ids,
        "csnt_referral_id": ids_or_null("referral", referral_no),
        "csnt_type_code": np.full(n, code),
        "csnt_type_desc": np.full(n, desc),
        "csnt_event_date": date,
        "csnt_recorded_date": recorded,
        "csnt_author_worker_id": chunk.worker_ids(author),
        "csnt_is_statutory_visit": flag(np.ones(n, dtype=bool)),
        "csnt_visit_context": np.full(n, context),
        "csnt_seen": flag(seen),
        "csnt_seen_alone": flag(alone),
        "csnt_bedroom_seen": flag(bedroom),
    }
    if plan_ids is not None:
        note["csnt_plan_id"] = plan_ids
    return note
