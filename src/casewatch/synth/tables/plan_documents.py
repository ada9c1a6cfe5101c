"""Plan documents for CIN and CP plans: written and authorised within 10 working days of the plan starting.

Working Together expects the child protection plan to be developed in detail by the first core group (10
working days after the conference), and councils' standards set the same 10 days for a child in need plan.
The plan document is a separate record from the plan episode, so a plan can exist without its document -
which is what a "plan on file" standard checks.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth.chunk import Chunk
from casewatch.synth.days import Ints, latest
from casewatch.synth.tables.common import ids_or_null, sort_rows
from casewatch.synth.timing import complete_by
from casewatch.synth.writer import Frame

PLAN_DOCUMENT_WITHIN_WD = 10


def plan_documents(chunk: Chunk, rows: Ints, plan_type: str, id_kind: str) -> Frame:
    """One document per plan in ``rows`` (segments), where it was written before the plan ended."""
    ctx, seg, ext = chunk.ctx, chunk.careers.segments, chunk.extract
    rng = ctx.rng
    start_ord = ctx.wd.ordinal(seg.start[rows])
    pos, done = complete_by(rng, start_ord, start_ord + PLAN_DOCUMENT_WITHIN_WD, ctx.punctuality, 8.0)
    created = latest(ctx.wd.from_ordinal(pos), seg.start[rows])
    exists = done & (created <= ctx.as_at) & (created <= seg.end[rows])
    keep = np.flatnonzero(exists)
    person = chunk.careers.episodes.person[seg.episode[rows[keep]]]
    keep = keep[sort_rows(chunk.cohort.index[person], created[keep])]
    r = rows[keep]
    authorised = ctx.wd.add(created[keep], rng.integers(0, 6, len(keep)))
    return {
        "pldc_id": ids_or_null("plan_document", chunk.numbering.take("plan_document", len(keep))),
        "pldc_person_id": chunk.person_ids(chunk.careers.episodes.person[seg.episode[r]]),
        "pldc_plan_type": np.full(len(keep), plan_type),
        "pldc_related_id": ids_or_null(id_kind, ext.segment_no[r]),
        "pldc_created_date": created[keep],
        "pldc_authorised_date": chunk.upto_as_at(authorised),
        "pldc_start_date": seg.start[r],
        "pldc_end_date": ext.segment_end[r],
    }
