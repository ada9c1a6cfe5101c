"""``ssd_person`` and the per-child tables that hang off it (disability, immigration status).

Only children who appear somewhere in the chunk's other tables get a person row: the SSD holds children
with social care involvement, not the whole population. Names are left empty (they are for display only and
a synthetic council has no one to display); ages, sex and ethnicity are what analysis needs.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth.chunk import Chunk
from casewatch.synth.days import add_months
from casewatch.synth.ids import format_ids
from casewatch.synth.tables.common import draw, ids_or_null
from casewatch.synth.writer import Frame, flag

_DISABILITY = {
    "AUT": 0.30,
    "LD": 0.25,
    "COMM": 0.15,
    "BEH": 0.10,
    "MOB": 0.08,
    "HAND": 0.04,
    "PC": 0.03,
    "HEAR": 0.03,
    "VIS": 0.02,
}
_UASC_NATIONALITY = {
    "Afghanistan": 0.25,
    "Sudan": 0.18,
    "Eritrea": 0.15,
    "Iran": 0.12,
    "Iraq": 0.08,
    "Vietnam": 0.07,
    "Albania": 0.07,
    "Syria": 0.05,
    "Ethiopia": 0.03,
}


def people(chunk: Chunk) -> dict[str, Frame]:
    """Person rows for every child the chunk's tables mention (call after all other builders)."""
    cohort = chunk.cohort
    rng = chunk.ctx.rng
    rows = np.array(sorted(chunk.persons_seen), dtype=np.int64)
    n = len(rows)
    ids = format_ids("person", cohort.index[rows] + 1)
    # A child who will arrive as an unaccompanied asylum seeker after the extract date is not one yet.
    uasc = cohort.uasc[rows] & (cohort.arrival[rows] <= chunk.ctx.as_at)
    nationality = np.where(uasc, draw(rng, _UASC_NATIONALITY, n), "")
    person: Frame = {
        "pers_person_id": ids,
        "pers_dob": cohort.dob[rows],
        "pers_expected_dob": cohort.expected_dob[rows],
        "pers_sex": cohort.sex[rows],
        "pers_gender": cohort.sex[rows],
        "pers_ethnicity": cohort.ethnicity[rows],
        "pers_is_mother": flag(np.zeros(n, dtype=bool)),
        "pers_nationality": nationality,
    }
    d = np.flatnonzero(cohort.disabled[rows])
    disability: Frame = {
        "disa_table_id": ids_or_null("disability", chunk.numbering.take("disability", len(d))),
        "disa_person_id": ids.take(d),
        "disa_disability_code": draw(rng, _DISABILITY, len(d)),
    }
    u = np.flatnonzero(uasc)
    immigration: Frame = {
        "immi_immigration_status_id": ids_or_null("immigration", chunk.numbering.take("immigration", len(u))),
        "immi_person_id": ids.take(u),
        "immi_immigration_status_start_date": cohort.arrival[rows[u]],
        "immi_immigration_status_end_date": add_months(cohort.dob[rows[u]], 18 * 12),
        "immi_immigration_status": np.full(len(u), "UASC"),
    }
    return {"ssd_person": person, "ssd_disability": disability, "ssd_immigration_status": immigration}
