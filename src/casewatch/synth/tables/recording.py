"""Recording on children's files: case notes, case supervision and management oversight.

Visit notes are written with the visits (``visits.py``); this module adds the rest of a case file: other
case notes (calls, meetings, case recording) about every three weeks while a case is allocated, case
supervision whenever the allocated worker has a supervision session (recorded on each child's file), and a
manager's oversight at the decision points (contact decision, allocation, assessment sign-off, closure), a
direction on the assessment's progress by its eighth working day (Dudley's day-8 decision; St Helena's
reviews at days 5 and 15 are met by whichever record comes first), and about every three months between
them. Every record carries an event date and a recorded date, the lag
mostly 0-3 working days.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from casewatch.synth import ragged
from casewatch.synth.chunk import Chunk
from casewatch.synth.days import Days, Ints, between, plus
from casewatch.synth.tables.common import draw, ids_or_null, sort_rows, yes
from casewatch.synth.timing import complete_by, recording_lag, recurring
from casewatch.synth.workforce import MASH
from casewatch.synth.writer import Frame, flag

OTHER_NOTE_MEAN_DAYS = 50.0
OVERSIGHT_INTERVAL_WD = 63  # about three months
ASSESSMENT_DIRECTION_WD = (3, 8)  # a manager's direction on the assessment between days 3 and 8
_NOTE_TYPES = {"CNCASE": 0.45, "CNPHONE": 0.30, "CNMEET": 0.15, "CNEMAIL": 0.10}
_NOTE_DESC = {
    "CNCASE": "Case note",
    "CNPHONE": "Phone call",
    "CNMEET": "Meeting",
    "CNEMAIL": "Email",
}
_SUPERVISION_TYPES = {"Individual": 0.85, "Group": 0.10, "Reflective": 0.05}


def _sw_rows(chunk: Chunk) -> Ints:
    inv = chunk.involvements
    return np.flatnonzero((inv.role == "SW") & chunk.extract.episode_kept[inv.episode])


def casenotes(chunk: Chunk) -> dict[str, Frame]:
    """Case notes other than visits: a Poisson stream of recording while a case is allocated."""
    ctx, inv, ext = chunk.ctx, chunk.involvements, chunk.extract
    rng = ctx.rng
    rows = _sw_rows(chunk)
    lo = np.maximum(inv.start[rows], ctx.history_start)
    hi = np.minimum(inv.end[rows], ctx.as_at)
    days = np.maximum(between(lo, hi) + 1, 0)
    counts = rng.poisson(days / OTHER_NOTE_MEAN_DAYS)
    owner = ragged.expand(counts)
    when = ctx.wd.on_or_before(plus(lo[owner], np.floor(rng.random(len(owner)) * days[owner]).astype(np.int64)))
    when = np.maximum(when, lo[owner])
    recorded = ctx.wd.add(when, recording_lag(rng, len(owner), ctx.punctuality))
    keep = recorded <= ctx.as_at
    owner, when, recorded = owner[keep], when[keep], recorded[keep]
    r = rows[owner]
    order = sort_rows(chunk.cohort.index[inv.person[r]], when)
    r, when, recorded = r[order], when[order], recorded[order]
    n = len(r)
    kind = draw(rng, _NOTE_TYPES, n)
    note: Frame = {
        "csnt_casenote_id": ids_or_null("casenote", chunk.numbering.take("casenote", n)),
        "csnt_person_id": chunk.person_ids(inv.person[r]),
        "csnt_referral_id": ids_or_null("referral", ext.referral_no[inv.episode[r]]),
        "csnt_type_code": kind,
        "csnt_type_desc": np.array([_NOTE_DESC[k] for k in kind], dtype=str) if n else np.zeros(0, str),
        "csnt_event_date": when,
        "csnt_recorded_date": recorded,
        "csnt_author_worker_id": chunk.worker_ids(inv.worker[r]),
        "csnt_is_statutory_visit": flag(np.zeros(n, dtype=bool)),
    }
    return {"ext_casenotes/OTHER": note}


def supervision(chunk: Chunk) -> dict[str, Frame]:
    """Case supervision on each child's file at every session their allocated worker had."""
    ctx, inv, ext, sup = chunk.ctx, chunk.involvements, chunk.extract, chunk.workforce.supervision
    rng = ctx.rng
    rows = _sw_rows(chunk)
    key = sup.worker * 1_000_000 + sup.date.astype(np.int64)
    lo_day = np.maximum(inv.start[rows], ctx.history_start)
    hi_day = np.minimum(inv.end[rows], ctx.as_at)
    lo = np.searchsorted(key, inv.worker[rows] * 1_000_000 + lo_day.astype(np.int64), side="left")
    hi = np.searchsorted(key, inv.worker[rows] * 1_000_000 + hi_day.astype(np.int64), side="right")
    counts = np.maximum(hi - lo, 0)
    owner = ragged.expand(counts)
    session = lo[owner] + ragged.position(counts)
    r = rows[owner]
    date = sup.date[session]
    recorded = ctx.wd.add(date, recording_lag(rng, len(r), ctx.punctuality))
    keep = recorded <= ctx.as_at
    r, session, date, recorded = r[keep], session[keep], date[keep], recorded[keep]
    order = sort_rows(chunk.cohort.index[inv.person[r]], date)
    r, session, date, recorded = r[order], session[order], date[order], recorded[order]
    n = len(r)
    frame: Frame = {
        "supv_supervision_id": ids_or_null("supervision", chunk.numbering.take("supervision", n)),
        "supv_person_id": chunk.person_ids(inv.person[r]),
        "supv_referral_id": ids_or_null("referral", ext.referral_no[inv.episode[r]]),
        "supv_worker_id": chunk.worker_ids(inv.worker[r]),
        "supv_supervisor_worker_id": chunk.worker_ids(sup.supervisor[session]),
        "supv_supervision_date": date,
        "supv_recorded_date": recorded,
        "supv_type": draw(rng, _SUPERVISION_TYPES, n),
        "supv_on_child_file": flag(yes(rng, n, 0.92)),
    }
    return {"ext_supervision/CASE": frame}


def oversight(chunk: Chunk) -> dict[str, Frame]:
    """Management oversight at decision points and periodically while a case is open."""
    ctx, eps, inv, ext, wf = chunk.ctx, chunk.careers.episodes, chunk.involvements, chunk.extract, chunk.workforce
    rng = ctx.rng
    kept = np.flatnonzero(ext.episode_kept)
    mash_team = wf.teams.id[wf.teams.kind == MASH]
    mash = mash_team[np.floor(rng.random(len(kept)) * len(mash_team)).astype(np.int64)]
    parts: list[tuple[Ints, Days, Ints, str, str, pa.Array]] = []
    # Contact decision (the referral), by the MASH manager.
    parts.append(
        (
            kept,
            eps.referral[kept],
            wf.manager_at(mash, eps.referral[kept]),
            "Contact decision",
            "referral",
            ids_or_null("referral", ext.referral_no[kept]),
        )
    )
    # Allocation decisions, by the manager of the receiving team.
    rows = _sw_rows(chunk)
    parts.append(
        (
            inv.episode[rows],
            inv.start[rows],
            wf.manager_at(inv.team[rows], inv.start[rows]),
            "Allocation",
            "involvement",
            ids_or_null("involvement", chunk.refs["involvement"][rows]),
        )
    )
    # Assessment sign-off.
    a = kept[~np.isnat(eps.asm_auth[kept]) & (eps.asm_auth[kept] <= ctx.as_at)]
    worker_team = chunk.allocation.latest_before(a, eps.asm_auth[a])[1]
    parts.append(
        (
            a,
            eps.asm_auth[a],
            wf.manager_at(np.maximum(worker_team, 1), eps.asm_auth[a]),
            "Assessment authorisation",
            "assessment",
            ids_or_null("assessment", chunk.refs["assessment"][a]),
        )
    )
    # Direction on the assessment's progress, due by its eighth working day.
    s = kept[~np.isnat(eps.asm_start[kept]) & (eps.asm_start[kept] <= ctx.as_at)]
    s_ord = ctx.wd.ordinal(eps.asm_start[s])
    lo, due = ASSESSMENT_DIRECTION_WD
    pos, given = complete_by(rng, s_ord + lo, s_ord + due, ctx.punctuality, 4.0)
    s, direction = s[given], ctx.wd.from_ordinal(pos[given])
    s_end = np.where(np.isnat(eps.asm_auth[s]), ctx.as_at, eps.asm_auth[s])
    s, direction = s[direction <= s_end], direction[direction <= s_end]
    assessing_team = chunk.allocation.latest_before(s, direction)[1]
    parts.append(
        (
            s,
            direction,
            wf.manager_at(np.maximum(assessing_team, 1), direction),
            "Assessment direction",
            "assessment",
            ids_or_null("assessment", chunk.refs["assessment"][s]),
        )
    )
    # Case closure.
    c = kept[~np.isnat(ext.close[kept]) & ~eps.referral_nfa[kept]]
    closing_team = chunk.allocation.latest_before(c, ext.close[c])[1]
    parts.append(
        (
            c,
            ext.close[c],
            wf.manager_at(np.maximum(closing_team, 1), ext.close[c]),
            "Case closure",
            "referral",
            ids_or_null("referral", ext.referral_no[c]),
        )
    )
    # Periodic case direction while allocated.
    start_ord = ctx.wd.ordinal(inv.start[rows])
    stop_ord = ctx.wd.ordinal(np.minimum(inv.end[rows], ctx.horizon))
    series = recurring(rng, start_ord + OVERSIGHT_INTERVAL_WD, stop_ord, OVERSIGHT_INTERVAL_WD, ctx.punctuality, 15.0)
    series = series.select(series.happened)
    when = ctx.wd.from_ordinal(series.position)
    pr = rows[series.owner]
    parts.append(
        (
            inv.episode[pr],
            when,
            wf.manager_at(inv.team[pr], when),
            "Case direction",
            "referral",
            ids_or_null("referral", ext.referral_no[inv.episode[pr]]),
        )
    )

    episode = np.concatenate([p[0] for p in parts])
    date = np.concatenate([p[1] for p in parts])
    manager = np.concatenate([p[2] for p in parts])
    kind = np.concatenate([np.full(len(p[0]), p[3]) for p in parts])
    related_type = np.concatenate([np.full(len(p[0]), p[4]) for p in parts])
    related = pa.concat_arrays([p[5] for p in parts])
    recorded = ctx.wd.add(date, recording_lag(rng, len(date), ctx.punctuality))
    keep = np.flatnonzero(chunk.in_history(date) & (recorded <= ctx.as_at))
    keep = keep[sort_rows(chunk.cohort.index[eps.person[episode[keep]]], date[keep])]
    episode, date, manager = episode[keep], date[keep], manager[keep]
    kind, related_type, recorded = kind[keep], related_type[keep], recorded[keep]
    related = related.take(pa.array(keep))
    n = len(keep)
    return {
        "ext_management_oversight": {
            "mgmt_oversight_id": ids_or_null("oversight", chunk.numbering.take("oversight", n)),
            "mgmt_person_id": chunk.person_ids(eps.person[episode]),
            "mgmt_referral_id": ids_or_null("referral", ext.referral_no[episode]),
            "mgmt_event_date": date,
            "mgmt_recorded_date": recorded,
            "mgmt_manager_worker_id": chunk.worker_ids(manager),
            "mgmt_oversight_type": kind,
            "mgmt_related_record_type": related_type,
            "mgmt_related_record_id": related,
        }
    }
