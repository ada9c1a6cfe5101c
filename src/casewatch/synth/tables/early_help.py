"""Early help: the episodes that follow a front-door decision to step a family down, and their paperwork.

No national statistic counts early help, so the shape is a set of practice assumptions, stated here: most
contacts stepped down to early help (``EARLY_HELP_TAKE_UP``) are taken up by the early help service within
a couple of weeks and last some months (median about five); each has an early help assessment (due within
28 working days, Dudley's timescale), an early help plan (within 10 working days, Rutland's), and reviews of
the plan with the family about every six weeks while it lasts. Each is on time, late or never done at the
run's timeliness, like all timed work.

Early help practitioners are not in the simulated workforce, so an episode names the service that holds it
but no worker, and no ``ssd_involvements`` row is written for it (an early help allocation would otherwise
count as a social work allocation in every standard that reads allocations).

Councils name the plan's reviews differently, and the packs look for their own codes: ``early_help``
(Rutland) and ``EHSP``, the early help support plan (Dudley). About half the episodes use each.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth import ragged
from casewatch.synth.chunk import Chunk
from casewatch.synth.days import NAT, Days, Ints, cap, earliest, latest, plus
from casewatch.synth.tables.common import draw, ids_or_null, sort_rows, yes
from casewatch.synth.timing import complete_by, recurring
from casewatch.synth.writer import Frame, flag

EARLY_HELP_TAKE_UP = 0.8
EHA_WITHIN_WD = 28
PLAN_WITHIN_WD = 10
REVIEW_INTERVAL_WD = 28  # "every 6 weeks" on the working-day clock, leaving room for bank holidays
REVIEW_CODES = ("early_help", "EHSP")
_REASONS = {
    "Parenting support": 0.30,
    "Emotional wellbeing": 0.18,
    "School attendance": 0.15,
    "Domestic abuse": 0.12,
    "Behaviour": 0.12,
    "Housing and finance": 0.08,
    "Young carer": 0.05,
}
_END_REASONS = {"Needs met": 0.62, "Family withdrew consent": 0.15, "Stepped up to social care": 0.10, "Moved": 0.13}
_SERVICES = {"Early Help Service": 0.5, "Family Hub North": 0.25, "Family Hub South": 0.25}


def early_help(chunk: Chunk, person: Ints, decided: Days) -> dict[str, Frame]:
    """Early help episodes for children stepped down at the front door on ``decided``, with their documents."""
    ctx = chunk.ctx
    rng = ctx.rng
    taken = yes(rng, len(person), EARLY_HELP_TAKE_UP)
    person, decided = person[taken], decided[taken]
    start = ctx.wd.on_or_after(plus(decided, rng.integers(0, 11, len(person))))
    last_day = plus(chunk.cohort.adulthood()[person], -1)
    end = earliest(plus(start, 40 + np.floor(rng.gamma(3.0, 40.0, len(person))).astype(np.int64)), last_day)
    keep = np.flatnonzero((start <= ctx.as_at) & (start <= end))
    keep = keep[sort_rows(chunk.cohort.index[person[keep]], start[keep])]
    person, start, end = person[keep], start[keep], end[keep]
    n = len(person)
    shown_end = cap(end, ctx.as_at)
    episode_no = chunk.numbering.take("early_help", n)
    episodes: Frame = {
        "earl_episode_id": ids_or_null("early_help", episode_no),
        "earl_person_id": chunk.person_ids(person),
        "earl_episode_start_date": start,
        "earl_episode_end_date": shown_end,
        "earl_episode_reason": draw(rng, _REASONS, n),
        "earl_episode_end_reason": np.where(np.isnat(shown_end), "", draw(rng, _END_REASONS, n)),
        "earl_episode_organisation": draw(rng, _SERVICES, n),
    }
    last: Days = np.where(np.isnat(shown_end), ctx.as_at, shown_end)
    start_ord = ctx.wd.ordinal(start)

    eha, eha_done = _timed(chunk, start, start_ord, EHA_WITHIN_WD, 10.0)
    e = np.flatnonzero(eha_done & (eha <= last))
    assessments: Frame = {
        "cdoc_id": ids_or_null("case_document", chunk.numbering.take("case_document", len(e))),
        "cdoc_person_id": chunk.person_ids(person[e]),
        "cdoc_type": np.full(len(e), "early help assessment"),
        "cdoc_created_date": eha[e],
        "cdoc_last_updated_date": eha[e],
    }

    made, made_done = _timed(chunk, start, start_ord, PLAN_WITHIN_WD, 6.0)
    p = np.flatnonzero(made_done & (made <= last))
    plan_no = np.zeros(n, dtype=np.int64)
    plan_no[p] = chunk.numbering.take("plan_document", len(p))
    plans: Frame = {
        "pldc_id": ids_or_null("plan_document", plan_no[p]),
        "pldc_person_id": chunk.person_ids(person[p]),
        "pldc_plan_type": np.full(len(p), "early_help"),
        "pldc_related_id": ids_or_null("early_help", episode_no[p]),
        "pldc_created_date": made[p],
        "pldc_authorised_date": chunk.upto_as_at(ctx.wd.add(made[p], rng.integers(0, 4, len(p)))),
        "pldc_start_date": made[p],
        "pldc_end_date": shown_end[p],
    }

    # Reviews with the family about every six weeks from the plan until the episode ends.
    plan_ord = ctx.wd.ordinal(made[p])
    first, first_done = complete_by(
        rng, plan_ord + REVIEW_INTERVAL_WD // 2, start_ord[p] + REVIEW_INTERVAL_WD, ctx.punctuality, 6.0
    )
    series = recurring(
        rng, np.maximum(first, plan_ord), ctx.wd.ordinal(last[p]), REVIEW_INTERVAL_WD, ctx.punctuality, 6.0
    )
    is_first = ragged.first_of_run(series.owner)
    held = series.happened & ~(is_first & ~first_done[series.owner])
    day = ctx.wd.from_ordinal(series.position)
    previous = np.r_[np.int64(0), series.position[:-1]]
    due = ctx.wd.from_ordinal(np.where(is_first, start_ord[p][series.owner], previous) + REVIEW_INTERVAL_WD)
    r = np.flatnonzero(held & chunk.in_history(day))
    owner = p[series.owner[r]]
    code = np.array(REVIEW_CODES)[(rng.random(n) < 0.5).astype(np.int64)]
    reviews: Frame = {
        "plrv_id": ids_or_null("plan_review", chunk.numbering.take("plan_review", len(r))),
        "plrv_person_id": chunk.person_ids(person[owner]),
        "plrv_plan_type": code[owner],
        "plrv_plan_id": ids_or_null("plan_document", plan_no[owner]),
        "plrv_due_date": due[r],
        "plrv_review_date": day[r],
        "plrv_cancelled": flag(np.zeros(len(r), dtype=bool)),
    }
    return {
        "ssd_early_help_episodes": episodes,
        "ext_case_documents/EHA": assessments,
        "ext_plan_documents/EH": plans,
        "ext_plan_reviews/EH": reviews,
    }


def _timed(chunk: Chunk, start: Days, start_ord: Ints, within: int, typical: float) -> tuple[Days, np.ndarray]:
    pos, done = complete_by(chunk.ctx.rng, start_ord, start_ord + within, chunk.ctx.punctuality, typical)
    when = latest(chunk.ctx.wd.from_ordinal(pos), start)
    return np.where(done & (when <= chunk.ctx.as_at), when, NAT), done & (when <= chunk.ctx.as_at)
