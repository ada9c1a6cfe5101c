"""``ssd_involvements`` (the allocation history) and ``ext_allocation_flags``.

Role ``SW`` is the allocated social worker, ``PA`` a care leaver's personal adviser. The flags table says
outright which involvements are the case-holding allocation, so standards need no role-code mapping.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth.chunk import Chunk
from casewatch.synth.tables.common import ids_or_null, sort_rows, team_ids
from casewatch.synth.writer import Frame, flag, text


def involvements(chunk: Chunk) -> dict[str, Frame]:
    ctx, inv, ext = chunk.ctx, chunk.involvements, chunk.extract
    visible = (inv.start <= ctx.as_at) & ~(inv.end < ctx.history_start)
    # A care leaver's adviser is shown even when the care episode itself closed before the window.
    visible &= (ext.referral_no[inv.episode] > 0) | (inv.role == "PA")
    rows = np.flatnonzero(visible)
    rows = rows[sort_rows(chunk.cohort.index[inv.person[rows]], inv.start[rows], inv.role[rows])]
    numbers = np.zeros(len(inv.episode), dtype=np.int64)
    numbers[rows] = chunk.numbering.take("involvement", len(rows))
    chunk.refs["involvement"] = numbers
    end = chunk.upto_as_at(inv.end[rows])
    ids = ids_or_null("involvement", numbers[rows])
    frame: Frame = {
        "invo_involvements_id": ids,
        "invo_person_id": chunk.person_ids(inv.person[rows]),
        "invo_referral_id": ids_or_null("referral", ext.referral_no[inv.episode[rows]]),
        "invo_professional_id": chunk.worker_ids(inv.worker[rows]),
        "invo_professional_role_id": inv.role[rows],
        "invo_professional_team": team_ids(inv.team[rows]),
        "invo_involvement_start_date": inv.start[rows],
        "invo_involvement_end_date": end,
        "invo_worker_change_reason": text(inv.reason[rows], ~np.isnat(end)),
    }
    flags: Frame = {
        "invo_involvements_id": ids,
        "invo_is_allocated_case_holder": flag(inv.role[rows] == "SW"),
    }
    return {"ssd_involvements": frame, "ext_allocation_flags": flags}
