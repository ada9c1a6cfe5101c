"""Everything the table builders need about one chunk of children, and what an extract can show of it.

The simulation runs past the extract date; an extract taken on ``as_at`` cannot. ``Extract`` applies the
two cuts every table shares: episodes are kept when they were open at some time in the history window
(as the SSD keeps rows whose end falls within its timeframe, or that are still open), and anything that had
not happened by ``as_at`` is either dropped (an event) or shown as still open (an end date).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from casewatch.synth.allocation import AllocationIndex, Involvements
from casewatch.synth.careers import Careers
from casewatch.synth.context import Context
from casewatch.synth.days import Bools, Days, Ints, cap
from casewatch.synth.ids import Numbering, format_ids
from casewatch.synth.leaving_care import CareLeavers
from casewatch.synth.population import Cohort
from casewatch.synth.workforce import Workforce


@dataclass(frozen=True)
class Extract:
    """Per-episode and per-segment visibility in the extract, plus their id numbers (0 = not written)."""

    episode_kept: Bools
    close: Days  # NaT while open at the extract date
    referral_no: Ints
    segment_kept: Bools
    segment_end: Days  # NaT while open
    segment_no: Ints  # numbered within each segment kind's id space


@dataclass
class Chunk:
    """One chunk's simulation and the shared services the builders use."""

    ctx: Context
    cohort: Cohort
    careers: Careers
    leavers: CareLeavers
    involvements: Involvements
    allocation: AllocationIndex
    workforce: Workforce
    numbering: Numbering
    extract: Extract
    persons_seen: set[int]
    workers_seen: set[int]
    # Per-episode id numbers one builder hands to a later one (e.g. "icpc": the episode's conference).
    refs: dict[str, Ints]

    def person_ids(self, rows: Ints) -> pa.Array:
        """``ssd_person`` ids for cohort rows, noting that each child must get a person row."""
        self.persons_seen.update(np.unique(rows).tolist())
        return format_ids("person", self.cohort.index[rows] + 1)

    def worker_ids(self, numbers: Ints) -> pa.Array:
        """Professional ids (null for 0), noting that each worker must get a professionals row."""
        self.workers_seen.update(np.unique(numbers[numbers > 0]).tolist())
        return format_ids("worker", np.maximum(numbers, 1), numbers > 0)

    def staff_ids(self, numbers: Ints) -> pa.Array:
        """HR staff ids (SystemC fills the S47 and ICPC worker columns with these), null for 0."""
        self.workers_seen.update(np.unique(numbers[numbers > 0]).tolist())
        return format_ids("staff", np.maximum(numbers, 1), numbers > 0)

    def in_history(self, when: Days) -> Bools:
        """Event dates the extract shows: from the history start up to and including ``as_at``."""
        return (when >= self.ctx.history_start) & (when <= self.ctx.as_at)

    def upto_as_at(self, when: Days) -> Days:
        return cap(when, self.ctx.as_at)


def make_extract(ctx: Context, careers: Careers, numbering: Numbering) -> Extract:
    from casewatch.synth.careers import CIN, CLA, CP

    eps = careers.episodes
    seg = careers.segments
    kept = (eps.referral <= ctx.as_at) & ~(eps.close < ctx.window_start)
    order = np.lexsort((eps.referral, eps.person))
    ordered_kept = order[kept[order]]
    referral_no = np.zeros(len(eps), dtype=np.int64)
    referral_no[ordered_kept] = numbering.take("referral", len(ordered_kept))
    seg_kept = kept[seg.episode] & (seg.start <= ctx.as_at)
    segment_no = np.zeros(len(seg), dtype=np.int64)
    seg_order = np.lexsort((seg.start, eps.person[seg.episode]))
    for kind, space in ((CIN, "cin_plan"), (CP, "cp_plan"), (CLA, "period_of_care")):
        chosen = seg_order[seg_kept[seg_order] & (seg.kind[seg_order] == kind)]
        segment_no[chosen] = numbering.take(space, len(chosen))
    return Extract(
        episode_kept=kept,
        close=cap(eps.close, ctx.as_at),
        referral_no=referral_no,
        segment_kept=seg_kept,
        segment_end=cap(seg.end, ctx.as_at),
        segment_no=segment_no,
    )
