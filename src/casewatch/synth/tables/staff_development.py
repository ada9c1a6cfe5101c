"""Appraisals and practice observations of the workforce (``ext_staff_development``).

Councils' workforce standards ask for a yearly appraisal and regular observation of each social worker's
practice; no national statistic says how often either happens, so the cadence is the standards' own (an
appraisal every 12 months from starting in post, a practice observation every 6 months), late or missed at
the run's timeliness like every other piece of timed work, and recorded after a lag. The reviewer is the
worker's line manager.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth.context import Context
from casewatch.synth.days import Ints, cap
from casewatch.synth.ids import Numbering, format_ids
from casewatch.synth.tables.common import ids_or_null, sort_rows
from casewatch.synth.timing import recording_lag, recurring
from casewatch.synth.workforce import Workforce
from casewatch.synth.writer import Frame

WORKING_DAYS_A_YEAR = 253
APPRAISAL_EVERY_WD = WORKING_DAYS_A_YEAR
OBSERVATION_EVERY_WD = WORKING_DAYS_A_YEAR // 2
FIRST_OBSERVATION_WD = 60  # in the first three months in post


def staff_development(ctx: Context, wf: Workforce, shown: Ints, numbering: Numbering) -> Frame:
    """Rows for the workers ``shown`` in the extract (their line managers are shown too)."""
    sp = wf.spells
    first = np.full(len(wf.workers.number) + 1, np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(len(wf.workers.number) + 1, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(first, sp.worker, sp.start.astype(np.int64))
    np.maximum.at(last, sp.worker, sp.end.astype(np.int64))
    has_spell = first[shown] <= last[shown]
    workers = shown[has_spell]
    start = first[workers].astype("datetime64[D]")
    stop = np.minimum(last[workers], ctx.as_at.astype(np.int64)).astype("datetime64[D]")
    start_ord, stop_ord = ctx.wd.ordinal(start), ctx.wd.ordinal(stop)
    parts = []
    for event_type, offset, interval in (
        ("appraisal", APPRAISAL_EVERY_WD, APPRAISAL_EVERY_WD),
        ("practice_observation", FIRST_OBSERVATION_WD, OBSERVATION_EVERY_WD),
    ):
        events = recurring(ctx.rng, start_ord + offset, stop_ord, interval, ctx.punctuality, 15.0)
        events = events.select(events.happened)
        parts.append((workers[events.owner], ctx.wd.from_ordinal(events.position), event_type))
    worker = np.concatenate([p[0] for p in parts])
    when = np.concatenate([p[1] for p in parts])
    kind = np.concatenate([np.full(len(p[0]), p[2]) for p in parts]).astype(str)
    keep = np.flatnonzero((when >= ctx.history_start) & (when <= ctx.as_at))
    keep = keep[sort_rows(worker[keep], when[keep], kind[keep])]
    worker, when, kind = worker[keep], when[keep], kind[keep]
    recorded = cap(ctx.wd.add(when, recording_lag(ctx.rng, len(when), ctx.punctuality)), ctx.as_at)
    n = len(worker)
    return {
        "stdv_record_id": ids_or_null("staff_development", numbering.take("staff_development", n)),
        "stdv_professional_id": format_ids("worker", worker),
        "stdv_event_type": kind,
        "stdv_event_date": when,
        "stdv_recorded_date": recorded,
        "stdv_reviewer_worker_id": ids_or_null("worker", wf.workers.line_manager[worker - 1]),
    }
