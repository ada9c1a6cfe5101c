"""Chronologies, genograms, ecomaps and case summaries: the case-file documents of an assessed case.

Councils' standards ask for a chronology on every open case (Derby: started at assessment and kept up to
date), a genogram and an ecomap for children on a plan, and a case summary kept current (St Helena: updated
at least every three months; Dudley: current within three months). None is a statutory return, so no
national figure says how often they exist; the generator starts a chronology within ten working days of the
assessment starting and a genogram and an ecomap within twenty, each on time at the run's timeliness and
sometimes never done, and updates them now and then while the case is open. The case summary is written
within twenty working days of the referral and rewritten about every three months until the case closes,
each version its own row (its created date is when that version was written). Councils name it
differently: about half the episodes record it as ``case_summary`` and half as ``case summary``, the codes
St Helena's and Dudley's standards look for. A document is never dated before the referral or after the
case closed or the extract was taken.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth import ragged
from casewatch.synth.chunk import Chunk
from casewatch.synth.days import Days, Ints, between, plus
from casewatch.synth.tables.common import ids_or_null, sort_rows
from casewatch.synth.timing import complete_by, recurring
from casewatch.synth.writer import Frame

CHRONOLOGY_WITHIN_WD = 10
GENOGRAM_WITHIN_WD = 20
GENOGRAM_SHARE = 0.6  # of assessed episodes: practice choice, not a statistic
ECOMAP_WITHIN_WD = 20
ECOMAP_SHARE = 0.6  # likewise
SUMMARY_FIRST_WD = 20
SUMMARY_INTERVAL_WD = 60  # "at least every three months", on the working-day clock (about 12 weeks)
SUMMARY_CODES = ("case_summary", "case summary")


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


def _summaries(chunk: Chunk, rows: Ints) -> tuple[Ints, Days, Days, list[str]]:
    """Case summary versions for assessed episodes: the first soon after referral, then about quarterly."""
    ctx, eps, ext = chunk.ctx, chunk.careers.episodes, chunk.extract
    rng = ctx.rng
    ref_ord = ctx.wd.ordinal(eps.referral[rows])
    ends: Days = np.where(np.isnat(ext.close[rows]), ctx.as_at, ext.close[rows])
    first, first_done = complete_by(rng, ref_ord + 3, ref_ord + SUMMARY_FIRST_WD, ctx.punctuality, 8.0)
    series = recurring(
        rng, first, ctx.wd.ordinal(ctx.wd.on_or_before(ends)), SUMMARY_INTERVAL_WD, ctx.punctuality, 15.0
    )
    is_first = ragged.first_of_run(series.owner)
    written = series.happened & ~(is_first & ~first_done[series.owner])
    made = ctx.wd.from_ordinal(series.position)
    keep = np.flatnonzero(written & chunk.in_history(made) & (made <= ends[series.owner]))
    code = np.array(SUMMARY_CODES)[(rng.random(len(rows)) < 0.5).astype(np.int64)]
    owner = series.owner[keep]
    return rows[owner], made[keep], made[keep], code[owner].tolist()


def case_documents(chunk: Chunk) -> dict[str, Frame]:
    """Chronologies, genograms, ecomaps and case summaries of assessed episodes (``ext_case_documents``)."""
    eps, ext, rng = chunk.careers.episodes, chunk.extract, chunk.ctx.rng
    assessed = np.flatnonzero(ext.episode_kept & ~np.isnat(eps.asm_start) & (eps.asm_start <= chunk.ctx.as_at))
    chron = _documents(chunk, assessed, CHRONOLOGY_WITHIN_WD, "chronology")
    with_genogram = assessed[rng.random(len(assessed)) < GENOGRAM_SHARE]
    geno = _documents(chunk, with_genogram, GENOGRAM_WITHIN_WD, "genogram")
    with_ecomap = assessed[rng.random(len(assessed)) < ECOMAP_SHARE]
    eco = _documents(chunk, with_ecomap, ECOMAP_WITHIN_WD, "ecomap")
    summary = _summaries(chunk, assessed)
    parts = (chron, geno, eco, summary)
    rows = np.concatenate([p[0] for p in parts])
    created = np.concatenate([p[1] for p in parts])
    updated = np.concatenate([p[2] for p in parts])
    kind = np.array([k for p in parts for k in p[3]], dtype=str)
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
