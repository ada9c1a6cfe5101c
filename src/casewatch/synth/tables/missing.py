"""Missing and away episodes, and the return home interviews that should follow them.

Missing episodes concentrate in a few adolescents: CLA22 found 11% of looked-after children missing in a
year with about six incidents each, nine in ten over within two days. Each child over 10 in care (and, far
less often, an adolescent on a CIN or CP plan) gets a personal propensity, so most never go missing and a
few go missing again and again. After a *missing* (not *away*) episode a return home interview should be
offered and held within 72 hours of the return; the interview's times go to ``ext_return_interviews``.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth import ragged
from casewatch.synth.careers import CLA
from casewatch.synth.chunk import Chunk
from casewatch.synth.days import add_months, between, latest, plus
from casewatch.synth.tables.common import at_time, ids_or_null, plus_hours, sort_rows, yes
from casewatch.synth.timing import lateness
from casewatch.synth.writer import Frame, flag

# Calibrated to figures.py's looked_after_missing_share and missing_incidents_per_missing_child.
_RATE_IN_CARE = 1.2  # incidents per year per looked-after child of 10+, before the personal propensity
_RATE_AT_HOME = 0.12  # for children of 11+ on a CIN or CP plan
_PROPENSITY_SHAPE = 0.06  # gamma shape (mean 1): most children never go missing, a few very often
_MAX_PROPENSITY = 15.0  # caps a child at about 18 incidents a year in care
_RHI_WITHIN_HOURS = 72


def missing(chunk: Chunk) -> dict[str, Frame]:
    ctx, seg, ext = chunk.ctx, chunk.careers.segments, chunk.extract
    rng = ctx.rng
    person_of_seg = chunk.careers.episodes.person[seg.episode]
    dob = chunk.cohort.dob[person_of_seg]
    rows = np.flatnonzero(ext.segment_kept & ~np.isnat(dob))
    care = seg.kind[rows] == CLA
    lower = np.where(care, add_months(dob[rows], 120), add_months(dob[rows], 132))
    lo = latest(seg.start[rows], lower, np.full(len(rows), ctx.history_start))
    hi = np.minimum(seg.end[rows], ctx.as_at)
    days = np.maximum(between(lo, hi), 0)
    propensity = np.minimum(rng.gamma(_PROPENSITY_SHAPE, 1 / _PROPENSITY_SHAPE, len(rows)), _MAX_PROPENSITY)
    rate = np.where(care, _RATE_IN_CARE, _RATE_AT_HOME) * propensity
    counts = rng.poisson(rate * days / 365.25)
    owner = ragged.expand(counts)
    start_day = plus(lo[owner], np.floor(rng.random(len(owner)) * (days[owner] + 1)).astype(np.int64))
    started = at_time(rng, start_day, 12.0, 23.9)
    hours = rng.lognormal(np.log(10.0), 1.2, len(owner))
    ended = plus_hours(started, hours)
    kind = np.where(yes(rng, len(owner), 0.85), "Missing", "Away")
    returned = ended <= ctx.as_at.astype("datetime64[s]") + np.timedelta64(86399, "s")
    person = person_of_seg[rows[owner]]
    order = sort_rows(chunk.cohort.index[person], started)
    owner, started, ended, kind, returned, person = (
        owner[order],
        started[order],
        ended[order],
        kind[order],
        returned[order],
        person[order],
    )
    n = len(owner)
    # Return interview: offered within 72 hours of the return when on time; some refuse it.
    is_missing = (kind == "Missing") & returned
    on_time, happened = ctx.punctuality.outcome(rng, n)
    offer_after = np.where(
        on_time, rng.uniform(1.0, _RHI_WITHIN_HOURS - 4, n), _RHI_WITHIN_HOURS + lateness(rng, n, 30.0)
    )
    offered = plus_hours(ended, offer_after)
    offered_ok = is_missing & happened & (offered <= ctx.as_at.astype("datetime64[s]"))
    accepted = offered_ok & yes(rng, n, 0.6)
    completed = plus_hours(offered, rng.uniform(0.5, 30.0, n))
    completed_ok = accepted & (completed <= ctx.as_at.astype("datetime64[s]"))
    ids_num = chunk.numbering.take("missing", n)
    missing_ids = ids_or_null("missing", ids_num)
    person_ids = chunk.person_ids(person)
    missing_frame: Frame = {
        "miss_table_id": missing_ids,
        "miss_person_id": person_ids,
        "miss_missing_episode_start_date": started,
        "miss_missing_episode_type": kind,
        "miss_missing_episode_end_date": np.where(returned, ended, np.datetime64("NaT", "s")),
        "miss_missing_rhi_offered": flag(offered_ok, is_missing),
        "miss_missing_rhi_accepted": flag(accepted, offered_ok),
    }
    r = np.flatnonzero(offered_ok)
    rhi: Frame = {
        "rhi_id": ids_or_null("return_interview", chunk.numbering.take("return_interview", len(r))),
        "rhi_missing_id": missing_ids.take(r),
        "rhi_person_id": person_ids.take(r),
        "rhi_offered_datetime": offered[r],
        "rhi_completed_datetime": np.where(completed_ok[r], completed[r], np.datetime64("NaT", "s")),
        "rhi_accepted": flag(accepted[r]),
    }
    return {"ssd_missing": missing_frame, "ext_return_interviews": rhi}
