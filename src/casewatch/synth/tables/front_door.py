"""Contacts, front-door decisions, referrals (CIN episodes) and single assessments.

Every referral has the contact that led to it; most contacts do not become referrals (advice, early help,
no further action). Those other contacts are scattered over the window's children, half of them on
children who are referred at some other time - a family the front door hears about again and again.

When the concern is immediate - the strategy discussion follows within a working day of the referral - the
front door's decision says so. Councils word that decision differently, and the packs look for their own
words: "Strategy discussion" or "S47" (Dudley), "Level 4" (St Helena's Level 4 Section 57 intervention).
The generator writes them in fixed proportions (``_IMMEDIATE_DECISIONS``), so every pack sees some.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth import params
from casewatch.synth.chunk import Chunk
from casewatch.synth.days import Bools, Days, Ints, between, earliest, latest, plus
from casewatch.synth.tables.common import (
    at_time,
    draw,
    ids_or_null,
    json_flags,
    plus_hours,
    sort_rows,
    team_ids,
)
from casewatch.synth.tables.early_help import early_help
from casewatch.synth.tables.visits import allocation_visits
from casewatch.synth.timing import lateness
from casewatch.synth.workforce import MASH
from casewatch.synth.writer import Frame, flag, text

_OTHER_OUTCOMES = {"NFA_FLAG": 0.35, "ADVICE_FLAG": 0.30, "EARLY_HELP_FLAG": 0.25, "OTHER_OUTCOMES_EXIST_FLAG": 0.10}
_IMMEDIATE_DECISIONS = {"Strategy discussion": 0.45, "S47": 0.2, "Level 4": 0.35}
IMMEDIATE_WITHIN_WD = 1
_DECISION_TEXT = {
    "NEW_REFERRAL_FLAG": "Referral to children's social care",
    "NFA_FLAG": "No further action",
    "ADVICE_FLAG": "Advice and information",
    "EARLY_HELP_FLAG": "Step down to early help",
    "OTHER_OUTCOMES_EXIST_FLAG": "Other outcome",
}


def mash_workers(chunk: Chunk, when: Days) -> tuple[Ints, Ints]:
    """A MASH worker on duty on each date (the team manager when the chosen post is vacant), and the team."""
    wf = chunk.workforce
    posts = wf.posts_by_kind[MASH]
    post = posts[np.floor(chunk.ctx.rng.random(len(when)) * len(posts)).astype(np.int64)]
    worker = wf.worker_at(post, when)
    team = wf.post_team[post]
    return np.where(worker > 0, worker, wf.manager_at(team, when)), team


def _other_contacts(chunk: Chunk) -> tuple[Ints, Days]:
    """Contacts that did not become referrals: (cohort row, date) inside the window."""
    ctx, cohort = chunk.ctx, chunk.cohort
    rng = ctx.rng
    adult = cohort.adulthood()
    # Unaccompanied children are only known to the council from their arrival.
    lo = latest(np.full(len(cohort), ctx.window_start), cohort.dob, cohort.arrival)
    hi = earliest(np.full(len(cohort), ctx.as_at), plus(adult, -1))
    exposure = np.maximum(between(lo, hi), 0)
    exposure = np.where(np.isnat(cohort.dob), 0, exposure)
    child_years = exposure.sum() / 365.25
    per_child_year = params.REFERRALS_PER_CHILD_YEAR * (params.CONTACTS_PER_REFERRAL - 1)
    n = int(rng.poisson(per_child_year * child_years))
    if n == 0 or exposure.sum() == 0:
        return np.zeros(0, np.int64), np.zeros(0, "datetime64[D]")
    known = np.unique(chunk.careers.episodes.person)
    known = known[exposure[known] > 0]
    weights = exposure / exposure.sum()
    from_known = (rng.random(n) < params.OTHER_CONTACTS_ON_KNOWN_CHILDREN) & (len(known) > 0)
    who = rng.choice(len(cohort), n, p=weights)
    if len(known):
        kw = exposure[known] / exposure[known].sum()
        who = np.where(from_known, known[rng.choice(len(known), n, p=kw)], who)
    when = plus(lo[who], np.floor(rng.random(n) * (exposure[who] + 1)).astype(np.int64))
    return who, when


def contacts(chunk: Chunk) -> dict[str, Frame]:
    """``ssd_contacts`` and ``ext_contact_decisions`` for the chunk."""
    ctx, eps, ext = chunk.ctx, chunk.careers.episodes, chunk.extract
    rng = ctx.rng
    ref_rows = np.flatnonzero(ext.episode_kept & chunk.in_history(eps.contact) & (eps.contact >= ctx.window_start))
    other_who, other_when = _other_contacts(chunk)
    person = np.concatenate([eps.person[ref_rows], other_who])
    day = np.concatenate([eps.contact[ref_rows], other_when])
    is_ref = np.r_[np.ones(len(ref_rows), bool), np.zeros(len(other_who), bool)]
    source = np.concatenate([eps.source[ref_rows], draw(rng, params.REFERRAL_SOURCE, len(other_who))])
    outcome = np.concatenate([np.full(len(ref_rows), "NEW_REFERRAL_FLAG"), draw(rng, _OTHER_OUTCOMES, len(other_who))])
    episode = np.r_[ref_rows, np.full(len(other_who), -1, dtype=np.int64)]
    order = sort_rows(chunk.cohort.index[person], day)
    person, day, is_ref, source, outcome = person[order], day[order], is_ref[order], source[order], outcome[order]
    episode = episode[order]
    n = len(person)
    received = at_time(rng, day, 8.0, 19.0)
    numbers = chunk.numbering.take("contact", n)
    contact_ids = ids_or_null("contact", numbers)
    flags = [(name, outcome == name) for name in _DECISION_TEXT]
    person_ids = chunk.person_ids(person)
    contacts_frame: Frame = {
        "cont_contact_id": contact_ids,
        "cont_person_id": person_ids,
        "cont_contact_date": received,
        "cont_contact_source_code": source,
        "cont_contact_source_desc": np.array([params.REFERRAL_SOURCE_DESC[s] for s in source], dtype=str)
        if n
        else np.zeros(0, str),
        "cont_contact_outcome_json": json_flags(flags),
    }
    # Front-door decision: within one working day (24 hours) when on time.
    on_time, _ = ctx.punctuality.outcome(rng, n)
    hours = np.where(on_time, rng.uniform(0.5, 24.0, n), 24 + lateness(rng, n, 20.0))
    decided = plus_hours(received, hours)
    decided = np.minimum(decided, ctx.as_at.astype("datetime64[s]") + np.timedelta64(17 * 3600, "s"))
    decided = np.maximum(decided, received)
    # An immediate concern is decided before the strategy discussion it calls for: by 8am on the day of the
    # discussion, or within two hours when the contact arrived that day.
    immediate = _immediate(chunk, episode)
    strategy_day = chunk.careers.episodes.strategy[np.maximum(episode, 0)]
    by_morning = np.where(immediate, strategy_day, day).astype("datetime64[s]") + np.timedelta64(8 * 3600, "s")
    quick = plus_hours(received, rng.uniform(0.25, 2.0, n))
    decided = np.where(immediate, np.maximum(np.minimum(decided, by_morning), np.minimum(decided, quick)), decided)
    worker, _ = mash_workers(chunk, decided.astype("datetime64[D]"))
    # The strategy discussion that follows an immediate-concern decision is timed from it (protection.py).
    decision_second = np.zeros(len(eps), dtype=np.int64)
    is_referral = episode >= 0
    decision_second[episode[is_referral]] = decided[is_referral].astype("datetime64[s]").astype(np.int64)
    chunk.refs["decision_second"] = decision_second
    decisions: Frame = {
        "cdec_contact_decision_id": ids_or_null("contact_decision", chunk.numbering.take("contact_decision", n)),
        "cdec_contact_id": contact_ids,
        "cdec_person_id": person_ids,
        "cdec_decision_datetime": decided,
        "cdec_decision_worker_id": chunk.worker_ids(worker),
        "cdec_outcome": _decision_text(chunk, outcome, immediate),
    }
    stepped_down = np.flatnonzero(outcome == "EARLY_HELP_FLAG")
    return {
        "ssd_contacts": contacts_frame,
        "ext_contact_decisions": decisions,
        **early_help(chunk, person[stepped_down], decided[stepped_down].astype("datetime64[D]")),
    }


def _immediate(chunk: Chunk, episode: Ints) -> Bools:
    """Referral contacts whose strategy discussion follows within a working day: an immediate concern."""
    eps = chunk.careers.episodes
    ep = np.maximum(episode, 0)
    strategy = eps.strategy[ep]
    immediate = (episode >= 0) & ~np.isnat(strategy)
    limit = chunk.ctx.wd.add(eps.referral[ep], IMMEDIATE_WITHIN_WD)
    return np.asarray(immediate & (np.where(immediate, strategy, limit) <= limit))


def _decision_text(chunk: Chunk, outcome: np.ndarray, immediate: Bools) -> np.ndarray:
    """The decision as the front door words it; immediate concerns say what happens next."""
    text_of = np.array([_DECISION_TEXT[o] for o in outcome], dtype=object)
    text_of[immediate] = draw(chunk.ctx.rng, _IMMEDIATE_DECISIONS, int(immediate.sum()))
    return np.asarray(text_of.astype(str)) if len(outcome) else np.zeros(0, str)


def referrals(chunk: Chunk) -> dict[str, Frame]:
    """``ssd_cin_episodes`` and ``ssd_cin_assessments``."""
    ctx, eps, ext, alloc = chunk.ctx, chunk.careers.episodes, chunk.extract, chunk.allocation
    rows = np.flatnonzero(ext.episode_kept)
    rows = rows[np.argsort(ext.referral_no[rows])]
    person = eps.person[rows]
    mash_worker, mash_team = mash_workers(chunk, eps.referral[rows])
    close = ext.close[rows]
    assessed = ~eps.referral_nfa[rows]
    strategy = ~np.isnat(eps.strategy[rows])
    seg = chunk.careers.segments
    to_care = np.zeros(len(eps), dtype=bool)
    to_care[seg.episode[seg.kind == 3]] = True
    episodes: Frame = {
        "cine_referral_id": ids_or_null("referral", ext.referral_no[rows]),
        "cine_person_id": chunk.person_ids(person),
        "cine_referral_date": eps.referral[rows],
        "cine_close_date": close,
        "cine_close_reason": text(eps.close_reason[rows], ~np.isnat(close)),
        "cine_referral_nfa": flag(eps.referral_nfa[rows]),
        "cine_cin_primary_need_code": eps.need[rows],
        "cine_referral_source_code": eps.source[rows],
        "cine_referral_source_desc": np.array([params.REFERRAL_SOURCE_DESC[s] for s in eps.source[rows]], dtype=str)
        if len(rows)
        else np.zeros(0, str),
        "cine_referral_outcome_json": json_flags(
            [
                ("SINGLE_ASSESSMENT_FLAG", assessed),
                ("STRATEGY_DISCUSSION_FLAG", strategy),
                ("CLA_REQUEST_FLAG", to_care[rows] & ~strategy),
            ],
            {"NUMBER_OF_OUTCOMES": assessed.astype(int) + strategy.astype(int)},
        ),
        "cine_referral_team": team_ids(mash_team),
        "cine_referral_worker_id": chunk.worker_ids(mash_worker),
    }

    a_rows = rows[assessed & (eps.asm_start[rows] <= ctx.as_at)]
    auth = chunk.upto_as_at(eps.asm_auth[a_rows])
    done = ~np.isnat(auth)
    when = np.where(done, auth, ctx.as_at)
    worker, team = alloc.latest_before(a_rows, when)
    asm_nfa = eps.asm_nfa[a_rows]
    a_strategy = ~np.isnat(eps.strategy[a_rows])
    a_care = to_care[a_rows]
    numbers = chunk.numbering.take("assessment", len(a_rows))
    assessment_no = np.zeros(len(eps), dtype=np.int64)
    assessment_no[a_rows] = numbers
    chunk.refs["assessment"] = assessment_no
    assessments: Frame = {
        "cina_assessment_id": ids_or_null("assessment", numbers),
        "cina_person_id": chunk.person_ids(eps.person[a_rows]),
        "cina_referral_id": ids_or_null("referral", ext.referral_no[a_rows]),
        "cina_assessment_start_date": eps.asm_start[a_rows],
        "cina_assessment_auth_date": auth,
        "cina_assessment_child_seen": flag(eps.asm_seen[a_rows]),
        "cina_assessment_outcome_nfa": flag(asm_nfa, done),
        "cina_assessment_outcome_json": np.where(
            done,
            json_flags(
                [
                    ("NFA_FLAG", asm_nfa),
                    ("STRATEGY_DISCUSSION_FLAG", a_strategy),
                    ("CLA_REQUEST_FLAG", a_care),
                    ("PROV_OF_SERVICES_FLAG", ~asm_nfa & ~a_care),
                ]
            ),
            "",
        ),
        "cina_assessment_team": team_ids(team),
        "cina_assessment_worker_id": chunk.worker_ids(worker),
    }
    return {"ssd_cin_episodes": episodes, "ssd_cin_assessments": assessments, **allocation_visits(chunk)}
