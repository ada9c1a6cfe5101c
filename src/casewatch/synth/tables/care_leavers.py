"""Care leavers: the ``ssd_care_leavers`` snapshot, their dated episodes, adviser contacts and pathway plans.

The SSD table is a snapshot at the extract date (eligibility, latest contact, latest pathway plan review,
current adviser); ``ext_care_leaver_contacts`` and ``ext_care_leaver_episodes`` keep the history the snapshot
lacks. An episode runs from the day the young person leaves care (at 16-18, after the 13 weeks that make
them eligible) until their support ends at 21, or 25 for those who keep it; it is "Relevant" while they are
under 18 and "Former Relevant" from then on, the status shown being the latest in the extract. Advisers keep
in touch at least every two months (the Care Leavers Regulations' eight-weekly rhythm), and each visit is
written up as a case note in the care-leaver context ("CL"); pathway plans are started by the council's
target age (15y3m, 15y9m or CPPCR reg 42's 16y3m, in equal shares, since the packs differ) and reviewed at
least every six months.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth import ragged
from casewatch.synth.allocation import Involvements
from casewatch.synth.chains import review_chain
from casewatch.synth.chunk import Chunk
from casewatch.synth.days import NAT, Days, Ints, add_months, between, cap, latest
from casewatch.synth.tables.common import draw, ids_or_null, sort_rows, team_ids
from casewatch.synth.timing import complete_by, recording_lag, recurring
from casewatch.synth.writer import Frame, flag, text

PA_CONTACT_INTERVAL_DAYS = 56
_PATHWAY_TARGET_MONTHS = (-9, -3, 3)  # months after the 16th birthday: 15y3m, 15y9m, 16y3m
_CONTACT_TYPES = {"Visit": 0.6, "Phone call": 0.25, "Video call": 0.1, "Text message": 0.05}
_IN_TOUCH = {"YES": 0.88, "NO": 0.05, "REFU": 0.03, "NREQ": 0.04}
_ACCOMMODATION = {
    "U": 0.30,
    "Z": 0.15,
    "B": 0.15,
    "D": 0.12,
    "E": 0.08,
    "K": 0.05,
    "T": 0.04,
    "V": 0.03,
    "W": 0.02,
    "X": 0.02,
    "S": 0.02,
    "Y": 0.02,
}
_ACTIVITY = {"F1": 0.08, "P1": 0.02, "F2": 0.22, "P2": 0.05, "F4": 0.15, "P4": 0.08, "G4": 0.12, "G5": 0.20, "G6": 0.08}


def care_leavers(chunk: Chunk) -> dict[str, Frame]:
    ctx, cl, inv = chunk.ctx, chunk.leavers, chunk.involvements
    rng = ctx.rng
    epoch = np.datetime64(0, "D")

    # Adviser contacts from the start of support, every two months at most.
    start = between(epoch, cl.support_start)
    stop = between(epoch, np.minimum(cl.support_end, ctx.horizon))
    first, first_done = complete_by(rng, start, start + 14, ctx.punctuality, 10.0)
    series = recurring(rng, first, stop, PA_CONTACT_INTERVAL_DAYS, ctx.punctuality, 14.0)
    is_first = ragged.first_of_run(series.owner)
    happened = series.happened & ~(is_first & ~first_done[series.owner])
    day = epoch + series.position.astype("timedelta64[D]")
    keep = happened & chunk.in_history(day)
    owner, day = series.owner[keep], day[keep]
    adviser = _adviser_at(inv, cl.person[owner], day)
    order = sort_rows(chunk.cohort.index[cl.person[owner]], day)
    owner, day, adviser = owner[order], day[order], adviser[order]
    contact_type = draw(rng, _CONTACT_TYPES, len(owner))
    contacts: Frame = {
        "clct_id": ids_or_null("care_leaver_contact", chunk.numbering.take("care_leaver_contact", len(owner))),
        "clct_person_id": chunk.person_ids(cl.person[owner]),
        "clct_contact_date": day,
        "clct_worker_id": chunk.worker_ids(adviser),
        "clct_contact_type": contact_type,
    }
    notes = _visit_notes(chunk, cl.person[owner], day, adviser, contact_type == "Visit")
    last_contact = np.full(len(cl.person), NAT)
    np.maximum.at(last_contact.view(np.int64), owner, day.view(np.int64))

    # Pathway plans: started within six months before the council's target age, reviewed six-monthly until
    # support ends. Councils set different ages (Dudley 15y3m, St Helena 15y9m, the regulations' needs
    # assessment by 16y3m), so each young person's target is one of them in equal shares.
    target_months = rng.choice(np.array(_PATHWAY_TARGET_MONTHS), len(cl.person))
    sixteen_q = add_months(cl.sixteen, target_months)
    lo = latest(add_months(sixteen_q, -6), cl.care_start)
    made_pos, made = complete_by(rng, between(epoch, lo), between(epoch, latest(sixteen_q, lo)), ctx.punctuality, 25.0)
    made_on = ctx.wd.on_or_before(epoch + made_pos.astype("timedelta64[D]"))
    made_on = latest(made_on, lo)
    plan_no = np.zeros(len(cl.person), dtype=np.int64)
    has_plan = made & (made_on <= ctx.as_at)
    p = np.flatnonzero(has_plan)
    plan_no[p] = chunk.numbering.take("plan_document", len(p))
    documents: Frame = {
        "pldc_id": ids_or_null("plan_document", plan_no[p]),
        "pldc_person_id": chunk.person_ids(cl.person[p]),
        "pldc_plan_type": np.full(len(p), "PATHWAY"),
        "pldc_related_id": ids_or_null("period_of_care", chunk.extract.segment_no[cl.segment[p]]),
        "pldc_created_date": made_on[p],
        "pldc_authorised_date": chunk.upto_as_at(ctx.wd.add(made_on[p], rng.integers(0, 8, len(p)))),
        "pldc_start_date": made_on[p],
        "pldc_end_date": chunk.upto_as_at(cl.support_end[p]),
    }
    chain = review_chain(
        ctx,
        add_months(made_on[p], 6),
        6,
        np.minimum(cl.support_end[p], ctx.horizon),
        window_days=30,
        typical_late_days=20.0,
    )
    r_owner = p[chain.owner]
    shown = np.where(chain.happened & (chain.held <= ctx.as_at), chain.held, NAT)
    keep = ((chain.due <= ctx.as_at) | ~np.isnat(shown)) & (chain.due >= ctx.history_start)
    order = np.flatnonzero(keep)
    order = order[sort_rows(chunk.cohort.index[cl.person[r_owner[order]]], chain.due[order])]
    reviews: Frame = {
        "plrv_id": ids_or_null("plan_review", chunk.numbering.take("plan_review", len(order))),
        "plrv_person_id": chunk.person_ids(cl.person[r_owner[order]]),
        "plrv_plan_type": np.full(len(order), "PATHWAY"),
        "plrv_plan_id": ids_or_null("plan_document", plan_no[r_owner[order]]),
        "plrv_due_date": chain.due[order],
        "plrv_review_date": shown[order],
        "plrv_cancelled": flag(~chain.happened[order] & (chain.due[order] < ctx.as_at)),
    }
    last_review = np.full(len(cl.person), NAT)
    held_ok = ~np.isnat(shown)
    np.maximum.at(last_review.view(np.int64), r_owner[held_ok], shown[held_ok].view(np.int64))

    # The snapshot: young people eligible at the extract date and under 21.
    now = (cl.support_start <= ctx.as_at) & (cl.support_end >= ctx.as_at) & (cl.sixteen <= ctx.as_at)
    s = np.flatnonzero(now)
    s = s[np.argsort(chunk.cohort.index[cl.person[s]])]
    adult = cl.eighteen[s] <= ctx.as_at
    in_care = cl.care_end[s] > ctx.as_at
    eligibility = np.where(adult, "Former Relevant", np.where(in_care, "Eligible", "Relevant"))
    in_touch = np.where(adult, draw(rng, _IN_TOUCH, len(s)), "YES")
    adviser = _adviser_at(chunk.involvements, cl.person[s], np.full(len(s), ctx.as_at))
    sw_worker, sw_team = chunk.allocation.latest_before(cl.episode[s], np.full(len(s), ctx.as_at))
    pa_team = _adviser_team_at(chunk.involvements, cl.person[s], np.full(len(s), ctx.as_at))
    snapshot: Frame = {
        "clea_table_id": ids_or_null("care_leaver", chunk.numbering.take("care_leaver", len(s))),
        "clea_person_id": chunk.person_ids(cl.person[s]),
        "clea_care_leaver_eligibility": eligibility,
        "clea_care_leaver_in_touch": in_touch,
        "clea_care_leaver_latest_contact": last_contact[s],
        "clea_care_leaver_accommodation": text(draw(rng, _ACCOMMODATION, len(s)), adult),
        "clea_care_leaver_accom_suitable": text(np.where(rng.random(len(s)) < 0.9, "1", "2"), adult),
        "clea_care_leaver_activity": text(draw(rng, _ACTIVITY, len(s)), adult),
        "clea_pathway_plan_review_date": last_review[s],
        "clea_care_leaver_personal_advisor": chunk.worker_ids(adviser),
        "clea_care_leaver_allocated_team": team_ids(np.where(in_care & (sw_team > 0), sw_team, pa_team)),
        "clea_care_leaver_worker_id": chunk.worker_ids(np.where(in_care & (sw_worker > 0), sw_worker, adviser)),
    }
    return {
        "ssd_care_leavers": snapshot,
        "ext_care_leaver_episodes": _episodes(chunk),
        "ext_care_leaver_contacts": contacts,
        "ext_casenotes/CL": notes,
        "ext_plan_documents/PATHWAY": documents,
        "ext_plan_reviews/PATHWAY": reviews,
    }


def _episodes(chunk: Chunk) -> Frame:
    """Time as a care leaver: from leaving care until support ends, for episodes the extract can show."""
    ctx, cl = chunk.ctx, chunk.leavers
    start = cl.care_end
    kept = (start <= ctx.as_at) & (start <= cl.support_end) & (cl.support_end >= ctx.window_start)
    e = np.flatnonzero(kept)
    e = e[sort_rows(chunk.cohort.index[cl.person[e]], start[e])]
    end = cap(cl.support_end[e], ctx.as_at)
    last_day = np.where(np.isnat(end), ctx.as_at, end)
    adult = cl.eighteen[e] <= last_day
    return {
        "clep_episode_id": ids_or_null("care_leaver_episode", chunk.numbering.take("care_leaver_episode", len(e))),
        "clep_person_id": chunk.person_ids(cl.person[e]),
        "clep_eligibility": np.where(adult, "Former Relevant", "Relevant"),
        "clep_start_date": start[e],
        "clep_end_date": end,
        "clep_personal_adviser_id": chunk.worker_ids(_adviser_at(chunk.involvements, cl.person[e], last_day)),
    }


def _visit_notes(chunk: Chunk, person: Ints, day: Days, adviser: Ints, visit: np.ndarray) -> Frame:
    """The adviser's case note of each visit, in the care-leaver context, recorded after the usual lag."""
    ctx = chunk.ctx
    v = np.flatnonzero(visit)
    # A weekend visit counts its recording lag from the Friday before, and is never recorded before Monday.
    lag = recording_lag(ctx.rng, len(v), ctx.punctuality)
    recorded = latest(ctx.wd.add(ctx.wd.on_or_before(day[v]), lag), ctx.wd.on_or_after(day[v]))
    v, recorded = v[recorded <= ctx.as_at], recorded[recorded <= ctx.as_at]
    n = len(v)
    return {
        "csnt_casenote_id": ids_or_null("casenote", chunk.numbering.take("casenote", n)),
        "csnt_person_id": chunk.person_ids(person[v]),
        "csnt_type_code": np.full(n, "CLVISIT"),
        "csnt_type_desc": np.full(n, "Personal adviser visit"),
        "csnt_event_date": day[v],
        "csnt_recorded_date": recorded,
        "csnt_author_worker_id": chunk.worker_ids(adviser[v]),
        "csnt_is_statutory_visit": flag(np.ones(n, dtype=bool)),
        "csnt_visit_context": np.full(n, "CL"),
        "csnt_seen": flag(np.ones(n, dtype=bool)),
    }


def _pa_rows(inv: Involvements, person: Ints, when: Days) -> Ints:
    """Index of the personal adviser involvement open for each person on each date, -1 for none."""
    pa = np.flatnonzero(inv.role == "PA")
    key = inv.person[pa] * 1_000_000 + inv.start[pa].astype(np.int64)
    order = np.argsort(key, kind="stable")
    pa, key = pa[order], key[order]
    if not len(pa):
        return np.full(len(person), -1, dtype=np.int64)
    q = person * 1_000_000 + when.astype("datetime64[D]").astype(np.int64)
    idx = np.clip(np.searchsorted(key, q, side="right") - 1, 0, len(pa) - 1)
    row = pa[idx]
    ok = (inv.person[row] == person) & (inv.start[row] <= when) & (inv.end[row] >= when)
    return np.where(ok, row, -1)


def _adviser_at(inv: Involvements, person: Ints, when: Days) -> Ints:
    row = _pa_rows(inv, person, when)
    return np.where(row >= 0, inv.worker[np.maximum(row, 0)], 0)


def _adviser_team_at(inv: Involvements, person: Ints, when: Days) -> Ints:
    row = _pa_rows(inv, person, when)
    return np.where(row >= 0, inv.team[np.maximum(row, 0)], 0)
