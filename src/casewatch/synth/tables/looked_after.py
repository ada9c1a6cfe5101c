"""Children looked after: periods of care, SSDA903 episodes, placements, legal status, visits, reviews,
health assessments, care plans, plan documents and personal education plans.

Timescales are the statutory ones: reviews within 20 working days of becoming looked after, then within
3 months, then every 6 months (CPPCR 2010 reg 33); visits within a week of every placement, at most
6-weekly in its first year and then 3-monthly when the placement is long-term (reg 28(2)); an initial
health assessment within 20 working days and review health assessments 6-monthly under 5, yearly after.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth import care, ragged
from casewatch.synth.careers import CLA, Careers
from casewatch.synth.chains import hold, review_chain
from casewatch.synth.chunk import Chunk
from casewatch.synth.days import NAT, Days, Ints, add_months, between, latest, plus, years_between
from casewatch.synth.tables.common import ids_or_null, sort_rows, yes
from casewatch.synth.tables.service import meeting_frame
from casewatch.synth.tables.visits import emit_visits
from casewatch.synth.timing import complete_by, lateness, recurring
from casewatch.synth.writer import Frame, flag, text

_PERMANENCE_KEYS = (
    "REMAINSUP",
    "RETURN1M",
    "RETURN6M",
    "RETURNEV",
    "LTRELFR",
    "LTFOST18",
    "RESPLMT",
    "SUPPLIV",
    "ADOPTION",
    "OTHERPLN",
)
_PARTICIPATION = {"PN1": 0.45, "PN2": 0.08, "PN3": 0.05, "PN4": 0.05, "PN5": 0.10, "PN6": 0.20, "PN7": 0.07}


def _permanence_json(route: np.ndarray, age: np.ndarray, uasc: np.ndarray) -> np.ndarray:
    plan = np.select(
        [route == "home", route == "adopt", route == "sgo", uasc | (age >= 16), route == "to18"],
        ["RETURN6M", "ADOPTION", "LTRELFR", "SUPPLIV", "LTFOST18"],
        "OTHERPLN",
    )
    texts = {
        k: "{" + ",".join(f'"{key}":"{"Y" if key == k else "N"}"' for key in _PERMANENCE_KEYS) + "}"
        for k in _PERMANENCE_KEYS
    }
    return np.array([texts[p] for p in plan], dtype=str) if len(plan) else np.zeros(0, dtype=str)


def _period_rows(chunk: Chunk) -> Ints:
    seg, ext = chunk.careers.segments, chunk.extract
    rows = np.flatnonzero((seg.kind == CLA) & ext.segment_kept)
    return rows[np.argsort(ext.segment_no[rows])]


def looked_after(chunk: Chunk) -> dict[str, Frame]:
    """All the looked-after tables for the chunk's periods of care."""
    ctx = chunk.ctx
    careers: Careers = chunk.careers
    eps, seg, ext = careers.episodes, careers.segments, chunk.extract
    rng = ctx.rng
    placements, adoption = care.placements(ctx, chunk.cohort, careers)
    legal = care.legal_statuses(ctx, chunk.cohort, careers, adoption)
    rows = _period_rows(chunk)
    kept = np.zeros(len(seg), dtype=bool)
    kept[rows] = True
    person_of_seg = eps.person[seg.episode]
    dob = chunk.cohort.dob[person_of_seg]
    period_ids = ids_or_null("period_of_care", ext.segment_no)

    # --- placements ---
    pl = np.flatnonzero(kept[placements.period] & (placements.start <= ctx.as_at))
    pl = pl[sort_rows(ext.segment_no[placements.period[pl]], placements.start[pl])]
    placement_no = np.zeros(len(placements.period), dtype=np.int64)
    placement_no[pl] = chunk.numbering.take("placement", len(pl))
    pl_end = chunk.upto_as_at(placements.end[pl])
    pl_frame: Frame = {
        "clap_cla_placement_id": ids_or_null("placement", placement_no[pl]),
        "clap_cla_id": period_ids.take(placements.period[pl]),
        "clap_person_id": chunk.person_ids(person_of_seg[placements.period[pl]]),
        "clap_cla_placement_start_date": placements.start[pl],
        "clap_cla_placement_end_date": pl_end,
        "clap_cla_placement_type": placements.type[pl],
        "clap_cla_placement_provider": placements.provider[pl],
        "clap_cla_placement_change_reason": text(placements.change_reason[pl], ~np.isnat(pl_end)),
        "clap_cla_placement_urn": text(placements.urn[pl]),
        "clap_cla_placement_postcode": text(placements.postcode[pl]),
        "clap_cla_placement_distance": placements.distance[pl],
    }

    # --- legal status ---
    lg = np.flatnonzero(kept[legal.period] & (legal.start <= ctx.as_at))
    lg = lg[sort_rows(ext.segment_no[legal.period[lg]], legal.start[lg])]
    legal_frame: Frame = {
        "lega_legal_status_id": ids_or_null("legal_status", chunk.numbering.take("legal_status", len(lg))),
        "lega_person_id": chunk.person_ids(person_of_seg[legal.period[lg]]),
        "lega_legal_status": legal.code[lg],
        "lega_legal_status_start_date": legal.start[lg],
        "lega_legal_status_end_date": chunk.upto_as_at(legal.end[lg]),
    }

    # --- reviews (needed for the IRO contact date on episodes) ---
    chain = review_chain(
        ctx,
        ctx.wd.add(seg.start[rows], 20),
        [3, 6],
        np.minimum(seg.end[rows], ctx.horizon),
        window_days=15,
        typical_late_days=12.0,
    )
    rv_seg = rows[chain.owner]
    cancelled_extra = chain.happened & yes(rng, len(chain.owner), 0.03)
    owner = np.concatenate([rv_seg, rv_seg[cancelled_extra]])
    due = np.concatenate([chain.due, chain.due[cancelled_extra]])
    held = np.concatenate(
        [chain.held, plus(chain.held[cancelled_extra], -rng.integers(2, 10, int(cancelled_extra.sum())))]
    )
    cancelled = np.concatenate([~chain.happened, np.ones(int(cancelled_extra.sum()), dtype=bool)])
    keep = chunk.in_history(held) & (held >= seg.start[owner])
    owner, due, held, cancelled = owner[keep], due[keep], held[keep], cancelled[keep]
    order = sort_rows(ext.segment_no[owner], held, cancelled.astype(np.int64) * -1)
    owner, due, held, cancelled = owner[order], due[order], held[order], cancelled[order]
    age_at = years_between(dob[owner], held)
    participation = np.where(age_at < 4, "PN0", _draw(rng, _PARTICIPATION, len(owner)))
    reviews_frame: Frame = {
        "clar_cla_review_id": ids_or_null("cla_review", chunk.numbering.take("cla_review", len(owner))),
        "clar_cla_person_id": chunk.person_ids(person_of_seg[owner]),
        "clar_cla_id": period_ids.take(owner),
        "clar_cla_review_due_date": due,
        "clar_cla_review_date": held,
        "clar_cla_review_cancelled": flag(cancelled),
        "clar_cla_review_participation": text(participation, ~cancelled),
    }
    # The IRO chairs each review: the latest one held is the child's last IRO contact. SystemC holds this per
    # person, not per period, and so do we.
    done = ~cancelled & (held <= ctx.as_at)
    latest_by_person = ragged.group_max(
        held[done].astype(np.int64), person_of_seg[owner[done]], len(chunk.cohort), np.iinfo(np.int64).min
    )
    found = latest_by_person[person_of_seg] > np.iinfo(np.int64).min
    iro = np.where(found, latest_by_person[person_of_seg].astype("datetime64[D]"), NAT)

    # --- SSDA903 episodes ---
    episodes_frame = _episodes(chunk, rows, placements, placement_no, legal, iro)

    # --- visits (per placement, two phases) ---
    visits = _visits(chunk, placements, pl, dob)

    # --- care plan and plan documents ---
    start_ord = ctx.wd.ordinal(seg.start[rows])
    made_ord, made = complete_by(rng, start_ord, start_ord + 10, ctx.punctuality, 6.0)
    made_on = latest(ctx.wd.from_ordinal(made_ord), seg.start[rows])
    # A child home again before the plan was written never gets one.
    cp_rows = made & (made_on <= ctx.as_at) & (made_on <= seg.end[rows])
    p_rows = rows[cp_rows]
    age_start = years_between(dob[p_rows], seg.start[p_rows])
    care_plan: Frame = {
        "lacp_table_id": ids_or_null("care_plan", chunk.numbering.take("care_plan", len(p_rows))),
        "lacp_person_id": chunk.person_ids(person_of_seg[p_rows]),
        "lacp_cla_care_plan_start_date": made_on[cp_rows],
        "lacp_cla_care_plan_end_date": ext.segment_end[p_rows],
        "lacp_cla_care_plan_json": _permanence_json(
            seg.route[p_rows], age_start, chunk.cohort.uasc[person_of_seg[p_rows]]
        ),
    }
    docs = _documents(chunk, rows, made_on, made, placements, pl, placement_no, dob)
    meetings = _placement_meetings(chunk, placements, pl, placement_no)
    reports = _review_reports(chunk, owner[~cancelled], held[~cancelled])
    health = _health(chunk, rows, dob)
    pep = _pep_reviews(chunk, rows, dob)
    return {
        "ssd_cla_episodes": episodes_frame,
        "ssd_cla_placement": pl_frame,
        "ssd_legal_status": legal_frame,
        "ssd_cla_reviews": reviews_frame,
        "ssd_cla_care_plan": care_plan,
        "ssd_cla_health": health,
        "ext_plan_documents/CLA": docs,
        "ext_plan_reviews/PEP": pep,
        "ext_meetings/PLACEMENT": meetings,
        "ext_case_documents/REVIEW": reports,
        **visits,
    }


PLACEMENT_PLANNING_WITHIN_WD = 5
REVIEW_REPORT_BEFORE_WD = 5


def _placement_meetings(chunk: Chunk, placements: care.Placements, pl: Ints, placement_no: Ints) -> Frame:
    """A placement planning meeting for every placement, due within 5 working days of its start."""
    ctx, seg = chunk.ctx, chunk.careers.segments
    start_ord = ctx.wd.ordinal(placements.start[pl])
    pos, done = complete_by(ctx.rng, start_ord, start_ord + PLACEMENT_PLANNING_WITHIN_WD, ctx.punctuality, 4.0)
    when = latest(ctx.wd.from_ordinal(pos), placements.start[pl])
    # Like the placement plan, written for every placement in the extract, however long ago it began.
    ok = np.flatnonzero(done & (when <= placements.end[pl]) & (when <= ctx.as_at))
    related = np.asarray(ids_or_null("placement", placement_no[pl[ok]]).to_numpy(zero_copy_only=False))
    period = placements.period[pl[ok]]
    return meeting_frame(chunk, seg.episode[period], when[ok], np.full(len(ok), "placement_planning"), related)


def _review_reports(chunk: Chunk, period: Ints, review: Days) -> Frame:
    """The social worker's report for each looked-after review held, due 5 working days before it.

    On time it is written one to two weeks ahead; late it lands in the last days before the review (a
    report never written is left out), never after it.
    """
    ctx, seg = chunk.ctx, chunk.careers.segments
    due = ctx.wd.ordinal(review) - REVIEW_REPORT_BEFORE_WD
    pos, done = complete_by(ctx.rng, due - 5, due, ctx.punctuality, 2.0)
    made = ctx.wd.from_ordinal(np.minimum(pos, due + REVIEW_REPORT_BEFORE_WD))
    made = latest(made, seg.start[period])
    ok = np.flatnonzero(done & chunk.in_history(made))
    person = chunk.careers.episodes.person[seg.episode[period[ok]]]
    ok = ok[sort_rows(chunk.cohort.index[person], made[ok])]
    person = chunk.careers.episodes.person[seg.episode[period[ok]]]
    return {
        "cdoc_id": ids_or_null("case_document", chunk.numbering.take("case_document", len(ok))),
        "cdoc_person_id": chunk.person_ids(person),
        "cdoc_type": np.full(len(ok), "cla_review_report"),
        "cdoc_created_date": made[ok],
        "cdoc_last_updated_date": made[ok],
    }


def _draw(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    keys = np.array(list(table))
    w = np.array(list(table.values()))
    return keys[rng.choice(len(keys), n, p=w / w.sum())]


def _episodes(
    chunk: Chunk, rows: Ints, placements: care.Placements, placement_no: Ints, legal: care.LegalStatuses, iro: Days
) -> Frame:
    """SSDA903 episodes: a new one at each change of placement or legal status."""
    ctx, eps, seg, ext = chunk.ctx, chunk.careers.episodes, chunk.careers.segments, chunk.extract
    kept = np.zeros(len(seg), dtype=bool)
    kept[rows] = True
    p = np.flatnonzero(kept[placements.period])
    lg = np.flatnonzero(kept[legal.period])
    period = np.concatenate([placements.period[p], legal.period[lg]])
    when = np.concatenate([placements.start[p], legal.start[lg]])
    is_p = np.r_[np.ones(len(p), bool), np.zeros(len(lg), bool)]
    order = np.lexsort((~is_p, when, period))
    period, when, is_p = period[order], when[order], is_p[order]
    # Collapse same-day changes into one episode, noting what changed.
    first_of_day = ragged.first_of_run(period, when)
    group = np.cumsum(first_of_day) - 1
    has_p = np.zeros(int(first_of_day.sum()), dtype=bool)
    has_l = np.zeros_like(has_p)
    np.logical_or.at(has_p, group, is_p)
    np.logical_or.at(has_l, group, ~is_p)
    period, when = period[first_of_day], when[first_of_day]
    first_in_period = ragged.first_of_run(period)
    reason = np.where(first_in_period, "S", np.where(has_p & has_l, "T", np.where(has_p, "P", "L")))
    nxt_same = ~ragged.last_of_run(period)
    ceased = np.where(nxt_same, ragged.shift_up(when), seg.end[period])
    ceased_reason = np.where(nxt_same, "X1", seg.end_code[period])
    visible = when <= ctx.as_at
    period, when, reason, ceased, ceased_reason = (
        period[visible],
        when[visible],
        reason[visible],
        ceased[visible],
        ceased_reason[visible],
    )
    ceased_shown = chunk.upto_as_at(ceased)
    # Placement in force at each episode start.
    pkey = ext.segment_no[placements.period] * 100_000 + placements.start.astype(np.int64)
    porder = np.argsort(pkey, kind="stable")
    ekey = ext.segment_no[period] * 100_000 + when.astype(np.int64)
    idx = np.clip(np.searchsorted(pkey[porder], ekey, side="right") - 1, 0, max(len(porder) - 1, 0))
    pl_idx = porder[idx] if len(porder) else np.zeros(len(period), dtype=np.int64)
    placement = np.where(len(porder) > 0, placement_no[pl_idx], 0) if len(period) else np.zeros(0, np.int64)
    ep = seg.episode[period]
    person = eps.person[ep]
    return {
        "clae_cla_episode_id": ids_or_null("cla_episode", chunk.numbering.take("cla_episode", len(period))),
        "clae_person_id": chunk.person_ids(person),
        "clae_cla_id": ids_or_null("period_of_care", ext.segment_no[period]),
        "clae_cla_episode_start_date": when,
        "clae_cla_episode_ceased_date": ceased_shown,
        "clae_cla_episode_start_reason": reason,
        "clae_cla_episode_ceased_reason": text(ceased_reason, ~np.isnat(ceased_shown)),
        "clae_entered_care_date": seg.start[period],
        "clae_cla_placement_id": ids_or_null("placement", placement),
        "clae_referral_id": ids_or_null("referral", ext.referral_no[ep]),
        "clae_cla_primary_need_code": eps.need[ep],
        "clae_cla_last_iro_contact_date": iro[period],
    }


_VISIT_DUE_FIRST = 7  # within one week of the start of any placement (statute)...
_NEXT_DAY_SHARE = 0.3  # ...but practice visits on the day placed, or the next day for about a third
_VISIT_YEAR_ONE = 42  # at intervals of not more than six weeks in the placement's first year
_VISIT_LONG_TERM = 91  # thereafter three-monthly if the placement is long-term


def _visits(chunk: Chunk, placements: care.Placements, pl: Ints, dob: Days) -> dict[str, Frame]:
    ctx = chunk.ctx
    rng = ctx.rng
    epoch = np.datetime64(0, "D")
    start = between(epoch, placements.start[pl])
    end = between(epoch, np.minimum(placements.end[pl], ctx.horizon))
    # The first visit: on time, on the day the child is placed (or the day after, within 24 hours); late,
    # still within the statutory week more often than not.
    on_time, first_done = ctx.punctuality.outcome(rng, len(pl))
    first = np.where(
        on_time,
        start + (rng.random(len(pl)) < _NEXT_DAY_SHARE),
        start + np.minimum(lateness(rng, len(pl), 3.0), _VISIT_DUE_FIRST + 14),
    )
    year_one_end = np.minimum(end, start + 365)
    phase1 = recurring(rng, first, year_one_end, _VISIT_YEAR_ONE, ctx.punctuality, 7.0)
    is_first = ragged.first_of_run(phase1.owner)
    happened1 = phase1.happened & ~(is_first & ~first_done[phase1.owner])
    last = ragged.group_max(phase1.position, phase1.owner, len(pl), -1)
    interval2 = np.where(care.is_long_term(placements.type[pl]), _VISIT_LONG_TERM, _VISIT_YEAR_ONE)
    more = (last >= 0) & (end > start + 365)
    idx = np.flatnonzero(more)
    due2 = last[idx] + interval2[idx]
    first2, done2 = complete_by(rng, due2 - interval2[idx] // 3, due2, ctx.punctuality, 7.0)
    phase2 = recurring(rng, first2, end[idx], interval2[idx], ctx.punctuality, 7.0)
    is_first2 = ragged.first_of_run(phase2.owner)
    happened2 = phase2.happened & ~(is_first2 & ~done2[phase2.owner])
    owner = np.concatenate([phase1.owner[happened1], idx[phase2.owner[happened2]]])
    position = np.concatenate([phase1.position[happened1], phase2.position[happened2]])
    day = ctx.wd.on_or_before(epoch + position.astype("timedelta64[D]"))
    day = latest(day, placements.start[pl][owner])
    day = np.where(day <= placements.end[pl][owner], day, NAT)
    ok = ~np.isnat(day)
    owner, day = owner[ok], day[ok]
    period_rows = placements.period[pl]
    age = years_between(dob[period_rows], chunk.careers.segments.start[period_rows])
    return emit_visits(chunk, period_rows, owner, day, age, "CLA")


PEP_FROM_AGE = 3.0
PEP_WITHIN_WD = 10


def _documents(
    chunk: Chunk,
    rows: Ints,
    made_on: Days,
    made: np.ndarray,
    placements: care.Placements,
    pl: Ints,
    placement_no: Ints,
    dob: Days,
) -> Frame:
    """Care plans (updated at every change of placement), placement plans and personal education plans as
    versioned documents.

    The PEP is part of the care plan (Care Planning Regulations 2010, reg. 5), so it is started on the same
    timescale, within 10 working days of the child becoming looked after; it is written for children of three
    and over (early years, school and post-16), so a baby's period of care has none.
    """
    ctx, seg, ext = chunk.ctx, chunk.careers.segments, chunk.extract
    rng = ctx.rng
    person_of_seg = chunk.careers.episodes.person[seg.episode]
    # Placement plans: within 5 working days of each placement start.
    start_ord = ctx.wd.ordinal(placements.start[pl])
    pos, done = complete_by(rng, start_ord, start_ord + 5, ctx.punctuality, 5.0)
    pl_created = latest(ctx.wd.from_ordinal(pos), placements.start[pl])
    pep = rows[years_between(dob[rows], seg.start[rows]) >= PEP_FROM_AGE]
    pep_ord = ctx.wd.ordinal(seg.start[pep])
    pep_pos, pep_done = complete_by(rng, pep_ord, pep_ord + PEP_WITHIN_WD, ctx.punctuality, 6.0)
    pep_created = latest(ctx.wd.from_ordinal(pep_pos), seg.start[pep])
    pep_done &= pep_created <= seg.end[pep]
    # The care plan is updated for every later placement of a period, within 10 working days of the move.
    moves = pl[placements.start[pl] > seg.start[placements.period[pl]]]
    move_ord = ctx.wd.ordinal(placements.start[moves])
    move_pos, move_done = complete_by(rng, move_ord, move_ord + 10, ctx.punctuality, 6.0)
    move_created = latest(ctx.wd.from_ordinal(move_pos), placements.start[moves])
    move_done &= move_created <= placements.end[moves]
    move_period = placements.period[moves]
    types = np.r_[
        np.full(len(rows), "CARE"), np.full(len(pl), "PLACEMENT"), np.full(len(pep), "PEP"), np.full(len(moves), "CARE")
    ]
    person = np.r_[
        person_of_seg[rows], person_of_seg[placements.period[pl]], person_of_seg[pep], person_of_seg[move_period]
    ]
    related = np.r_[
        ids_or_null("period_of_care", ext.segment_no[rows]).to_numpy(zero_copy_only=False),
        ids_or_null("placement", placement_no[pl]).to_numpy(zero_copy_only=False),
        ids_or_null("period_of_care", ext.segment_no[pep]).to_numpy(zero_copy_only=False),
        ids_or_null("period_of_care", ext.segment_no[move_period]).to_numpy(zero_copy_only=False),
    ]
    created = np.r_[made_on, pl_created, pep_created, move_created]
    start = np.r_[seg.start[rows], placements.start[pl], seg.start[pep], move_created]
    end = np.r_[seg.end[rows], placements.end[pl], seg.end[pep], seg.end[move_period]]
    exists = np.r_[made, done, pep_done, move_done] & (created <= ctx.as_at)
    authorised = ctx.wd.add(created, rng.integers(0, 6, len(created)))
    order = np.flatnonzero(exists)
    order = order[sort_rows(chunk.cohort.index[person[order]], created[order])]
    return {
        "pldc_id": ids_or_null("plan_document", chunk.numbering.take("plan_document", len(order))),
        "pldc_person_id": chunk.person_ids(person[order]),
        "pldc_plan_type": types[order],
        "pldc_related_id": related[order].astype(str),
        "pldc_created_date": created[order],
        "pldc_authorised_date": chunk.upto_as_at(authorised[order]),
        "pldc_start_date": start[order],
        "pldc_end_date": chunk.upto_as_at(end[order]),
    }


def _health(chunk: Chunk, rows: Ints, dob: Days) -> Frame:
    """Initial health assessment, then review health assessments and yearly dental checks."""
    ctx, seg = chunk.ctx, chunk.careers.segments
    rng = ctx.rng
    person_of_seg = chunk.careers.episodes.person[seg.episode]
    start, end = seg.start[rows], np.minimum(seg.end[rows], ctx.horizon)
    long_enough = ctx.wd.ordinal(end) - ctx.wd.ordinal(start) > 20
    r = rows[long_enough]
    start, end = start[long_enough], end[long_enough]
    start_ord = ctx.wd.ordinal(start)
    iha_ord, iha_done = complete_by(rng, start_ord + 5, start_ord + 20, ctx.punctuality, 15.0)
    iha = ctx.wd.from_ordinal(iha_ord)
    owners = [np.arange(len(r))]
    dates = [iha]
    kinds = [np.full(len(r), "Initial Health Assessment")]
    done_all = [iha_done]
    # Review health assessments: 6-monthly under 5, yearly from 5; each due from the previous one.
    prev = iha
    alive = np.arange(len(r))
    for _ in range(40):
        age = years_between(dob[r[alive]], prev)
        due = add_months(prev, np.where(age < 5, 6, 12))
        held, happened = hold(ctx, due, 30, 25.0)
        ok = held < end[alive]
        alive, held, happened = alive[ok], held[ok], happened[ok]
        if not len(alive):
            break
        owners.append(alive)
        dates.append(held)
        kinds.append(np.full(len(alive), "Review Health Assessment"))
        done_all.append(happened)
        prev = np.where(happened, held, due[ok])
    # Dental checks: yearly from a few months into care.
    first_dental = plus(start, rng.integers(30, 200, len(r)))
    epoch = np.datetime64(0, "D")
    dental = recurring(rng, between(epoch, first_dental), between(epoch, end), 365, ctx.punctuality, 40.0)
    owners.append(dental.owner)
    dates.append(ctx.wd.on_or_before(epoch + dental.position.astype("timedelta64[D]")))
    kinds.append(np.full(len(dental), "Dental Check"))
    done_all.append(dental.happened)
    owner = np.concatenate(owners)
    date = np.concatenate(dates)
    kind = np.concatenate(kinds)
    done = np.concatenate(done_all)
    teen = years_between(dob[r[owner]], date) >= 12
    refused = ~done & teen & yes(rng, len(owner), 0.6)
    status = np.where(done, "Completed", np.where(refused, "Refused", ""))
    keep = (status != "") & chunk.in_history(date) & (date <= seg.end[r[owner]])
    owner, date, kind, status = owner[keep], date[keep], kind[keep], status[keep]
    person = person_of_seg[r[owner]]
    order = sort_rows(chunk.cohort.index[person], date)
    return {
        "clah_health_check_id": ids_or_null("health", chunk.numbering.take("health", len(order))),
        "clah_person_id": chunk.person_ids(person[order]),
        "clah_health_check_type": kind[order],
        "clah_health_check_date": date[order],
        "clah_health_check_status": status[order],
    }


def _terms(first: np.datetime64, last: np.datetime64) -> tuple[Days, Days]:
    """School terms (autumn, spring, summer) overlapping ``first``..``last``: (start, end) dates."""
    y0 = int(str(first)[:4]) - 1
    y1 = int(str(last)[:4]) + 1
    starts, ends = [], []
    for y in range(y0, y1 + 1):
        for a, b in (
            (f"{y}-09-03", f"{y}-12-19"),
            (f"{y + 1}-01-06", f"{y + 1}-03-31"),
            (f"{y + 1}-04-14", f"{y + 1}-07-21"),
        ):
            starts.append(np.datetime64(a))
            ends.append(np.datetime64(b))
    s = np.array(starts, dtype="datetime64[D]")
    e = np.array(ends, dtype="datetime64[D]")
    keep = (e >= first) & (s <= last)
    return s[keep], e[keep]


def _pep_reviews(chunk: Chunk, rows: Ints, dob: Days) -> Frame:
    """An initial PEP meeting and one review each school term for looked-after children of school age."""
    ctx, seg, ext = chunk.ctx, chunk.careers.segments, chunk.extract
    rng = ctx.rng
    t_start, t_end = _terms(ctx.history_start, ctx.as_at)
    n_t = len(t_start)
    owner = np.repeat(np.arange(len(rows)), n_t)
    term = np.tile(np.arange(n_t), len(rows))
    s, e = seg.start[rows][owner], seg.end[rows][owner]
    age = years_between(dob[rows][owner], t_start[term])
    in_care = (s <= t_start[term] + np.timedelta64(14, "D")) & (e >= t_end[term])
    eligible = in_care & (age >= 4.5) & (age < 16)
    owner, term = owner[eligible], term[eligible]
    due = t_end[term]
    span = between(t_start[term], due)
    on_time, happened = ctx.punctuality.outcome(rng, len(owner))
    held = np.where(
        on_time,
        plus(t_start[term], np.floor(rng.random(len(owner)) * span).astype(np.int64)),
        plus(due, 1 + np.floor(rng.exponential(12.0, len(owner))).astype(np.int64)),
    )
    held = ctx.wd.on_or_before(held)
    # The initial PEP meeting, within 10 working days of a school-age child becoming looked after.
    start = seg.start[rows]
    first = np.flatnonzero((years_between(dob[rows], start) >= 4.5) & (years_between(dob[rows], start) < 16))
    first_ord = ctx.wd.ordinal(start[first])
    pos, first_happened = complete_by(rng, first_ord, first_ord + PEP_WITHIN_WD, ctx.punctuality, 6.0)
    first_held = latest(ctx.wd.from_ordinal(pos), start[first])
    first_happened &= first_held <= seg.end[rows[first]]
    owner = np.r_[owner, first]
    due = np.r_[due, ctx.wd.from_ordinal(first_ord + PEP_WITHIN_WD)]
    held = np.r_[held, first_held]
    happened = np.r_[happened, first_happened]
    shown = np.where(happened & (held <= ctx.as_at), held, NAT)
    keep = (due <= ctx.as_at) | ~np.isnat(shown)
    is_initial = np.arange(len(owner)) >= len(owner) - len(first)
    keep &= (due >= ctx.history_start) | is_initial
    owner, due, shown, happened = owner[keep], due[keep], shown[keep], happened[keep]
    person = chunk.careers.episodes.person[seg.episode[rows[owner]]]
    order = sort_rows(chunk.cohort.index[person], due)
    return {
        "plrv_id": ids_or_null("plan_review", chunk.numbering.take("plan_review", len(order))),
        "plrv_person_id": chunk.person_ids(person[order]),
        "plrv_plan_type": np.full(len(order), "PEP"),
        "plrv_plan_id": ids_or_null("period_of_care", ext.segment_no[rows[owner]][order]),
        "plrv_due_date": due[order],
        "plrv_review_date": shown[order],
        "plrv_cancelled": flag(~happened[order] & (due[order] < ctx.as_at)),
    }
