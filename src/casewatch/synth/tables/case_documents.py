"""Chronologies and genograms: the case-file documents a council expects once a child is being assessed.

Councils' standards ask for a chronology on every open case (Derby: started at assessment and kept up to
date) and a genogram for children on a plan. Neither is a statutory return, so no national figure says how
often they exist; the generator starts a chronology within ten working days of the assessment starting and
a genogram within twenty, each on time at the run's timeliness and sometimes never done, and updates them
now and then while the case is open. A document is never dated before the referral or after the case closed
or the extract was taken.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth.chunk import Chunk
from casewatch.synth.days import Days, Ints, between, plus
from casewatch.synth.tables.common import ids_or_null, sort_rows
from casewatch.synth.timing import complete_by
from casewatch.synth.writer import Frame

CHRONOLOGY_WITHIN_WD = 10
GENOGRAM_WITHIN_WD = 20
GENOGRAM_SHARE = 0.6  # of assessed episodes: practice choice, not a statistic


def _documents(chunk: Chunk, rows: Ints, within: int, kind: str) -> tuple[Ints, Days, Days, list[str]]:
    """Episodes ``rows`` that have the document, when it was created and last updated."""
    ctx, eps, ext = chunk.ctx, chunk.careers.episodes, chunk.extract
    rng = ctx.rng
    start_ord = ctx.wd.ordinal(eps.asm_start[rows])
    pos, done = complete_by(rng, start_ord, start_ord + within, ctx.punctuality, 10.0)
    created = ctx.wd.from_ordinal(pos)
    ends: Days = np.where(np.isnat(ext.close[rows]), ctx.as_at, ext.close[rows])  # close is NaT while open
    exists = done & (created <= ends) & (created >= eps.referral[rows])
    keep = np.flatnonzero(exists)
    r, made = rows[keep], created[keep]
    # Updated at a uniformly random time between creation and the end of the case (or the extract date).
    span = np.maximum(between(made, ends[keep]), 0)
    updated = plus(made, np.floor(rng.random(len(keep)) * (span + 1)).astype(np.int64))
    return r, made, updated, [kind] * len(keep)


def case_documents(chunk: Chunk) -> dict[str, Frame]:
    """One chronology per assessed episode, and a genogram for most, as ``ext_case_documents`` rows."""
    eps, ext, rng = chunk.careers.episodes, chunk.extract, chunk.ctx.rng
    assessed = np.flatnonzero(ext.episode_kept & ~np.isnat(eps.asm_start) & (eps.asm_start <= chunk.ctx.as_at))
    chron = _documents(chunk, assessed, CHRONOLOGY_WITHIN_WD, "chronology")
    with_genogram = assessed[rng.random(len(assessed)) < GENOGRAM_SHARE]
    geno = _documents(chunk, with_genogram, GENOGRAM_WITHIN_WD, "genogram")
    rows = np.concatenate([chron[0], geno[0]])
    created = np.concatenate([chron[1], geno[1]])
    updated = np.concatenate([chron[2], geno[2]])
    kind = np.array(chron[3] + geno[3], dtype=str)
    order = sort_rows(chunk.cohort.index[eps.person[rows]], created, kind)
    rows, created, updated, kind = rows[order], created[order], updated[order], kind[order]
    n = len(rows)
    return {
        "ext_case_documents": {
            "cdoc_id": ids_or_null("case_document", chunk.numbering.take("case_document", n)),
            "cdoc_person_id": chunk.person_ids(eps.person[rows]),
            "cdoc_type": kind,
            "cdoc_created_date": created,
            "cdoc_last_updated_date": updated,
        }
    }
