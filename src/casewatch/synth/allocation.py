"""Who holds each child's case, day by day: the SSD's ``ssd_involvements`` allocation history.

An episode's case moves between teams as it moves through the service: the assessment team during the
referral and assessment, a family support (or disabled children's) team while on a CIN or CP plan, the
children in care team a few months into a period of care. Within each team spell the case is allocated to a
worker in one of the team's posts; it changes hands when that worker leaves the post, now and then for
other reasons (a management decision, a restructure), and a change can leave a short unallocated gap.
Personal advisers for care leavers are a separate track with role ``PA``.

Posts are picked at random, so a worker's caseload is whatever the cases that landed in their post add up
to - the workforce was sized for about 17 children per full-time worker. Newly qualified workers in their
ASYE are passed over for some allocations, giving them the protected caseloads councils aim for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casewatch.synth import ragged
from casewatch.synth.careers import CLA, Careers
from casewatch.synth.context import Context
from casewatch.synth.days import Bools, Days, Ints, earliest, latest, plus
from casewatch.synth.leaving_care import CareLeavers
from casewatch.synth.population import Cohort
from casewatch.synth.timing import complete_by
from casewatch.synth.workforce import ASSESSMENT, DISABLED, IN_CARE, LEAVING_CARE, LOCALITY, Workforce

Strs = npt.NDArray[np.str_]

_CHANGE_MEAN_DAYS = 480.0  # a worker change other than a leaver about every 16 months
_CHANGE_REASONS = np.array(["MANAGE", "ORGRST", "CHCHAN", "ABSENC", "FCONTA"])
_CHANGE_WEIGHTS = np.array([0.45, 0.15, 0.2, 0.15, 0.05])
_IN_CARE_TRANSFER_DAYS = (42, 120)  # period of care moves to the children in care team after this long
_MAX_ATTEMPTS = 400


@dataclass(frozen=True)
class Involvements:
    """Allocation rows, sorted by (episode, start) within a role."""

    episode: Ints  # chunk-level episode index
    person: Ints  # cohort row
    worker: Ints
    team: Ints
    start: Days
    end: Days  # may be beyond the extract date (still allocated)
    reason: Strs  # why this allocation ended with a change of worker ("" if it ended with the case)
    role: Strs  # SW or PA


@dataclass(frozen=True)
class _Spans:
    episode: Ints
    kind: Ints  # team kind
    start: Days
    end: Days
    last: Bools  # last span of its episode


def _team_spans(ctx: Context, cohort: Cohort, careers: Careers) -> _Spans:
    """The sequence of team kinds holding each assessed episode, with their dates."""
    rng = ctx.rng
    eps = careers.episodes
    seg = careers.segments
    person = eps.person
    assessed = ~eps.referral_nfa
    open_end = np.where(np.isnat(eps.close) | (eps.close > ctx.horizon), ctx.horizon, eps.close)
    ref_ord = ctx.wd.ordinal(eps.referral)
    alloc_ord, _ = complete_by(rng, ref_ord, ref_ord + 1, ctx.punctuality, 2.0)
    alloc = latest(ctx.wd.from_ordinal(alloc_ord), eps.referral)

    disabled_team = cohort.disabled[person] & (eps.need == "N2")
    uasc = cohort.uasc[person]
    plan_kind = np.where(disabled_team, DISABLED, LOCALITY)

    # Boundaries: (episode, start, kind) in time order. Assessment first, then one or two per segment.
    ep_list = [np.flatnonzero(assessed)]
    start_list = [alloc[assessed]]
    kind_list = [np.where(uasc[assessed], IN_CARE, ASSESSMENT)]
    handover = rng.integers(0, 11, len(seg))
    seg_start = plus(seg.start, handover)
    seg_start = earliest(seg_start, seg.end)
    seg_plan_kind = plan_kind[seg.episode]
    in_care = seg.kind == CLA
    ep_list.append(seg.episode)
    start_list.append(seg_start)
    kind_list.append(np.where(in_care & uasc[seg.episode], IN_CARE, seg_plan_kind))
    transfer = plus(seg.start, rng.integers(*_IN_CARE_TRANSFER_DAYS, len(seg)))
    moves = in_care & (transfer < seg.end)
    ep_list.append(seg.episode[moves])
    start_list.append(transfer[moves])
    kind_list.append(np.full(int(moves.sum()), IN_CARE))
    ep = np.concatenate(ep_list)
    start = np.concatenate(start_list)
    kind = np.concatenate(kind_list).astype(np.int64)
    keep = assessed[ep]
    ep, start, kind = ep[keep], start[keep], kind[keep]
    order = np.lexsort((np.arange(len(ep)), start, ep))
    ep, start, kind = ep[order], start[order], kind[order]
    # Merge consecutive spans of the same kind (a CP plan stepping down to CIN keeps its worker).
    new = ragged.first_of_run(ep, kind)
    ep, start, kind = ep[new], start[new], kind[new]
    nxt_same = ~ragged.last_of_run(ep)
    nxt_start = ragged.shift_up(start)
    end = np.where(nxt_same, plus(nxt_start, -1), open_end[ep])
    ok = end >= start
    return _Spans(ep[ok], kind[ok], start[ok], end[ok], ~nxt_same[ok])


def _assign(
    ctx: Context,
    wf: Workforce,
    span_team: Ints,
    start: Days,
    end: Days,
    last: Bools,
) -> tuple[Ints, Ints, Days, Days, Strs]:
    """Workers for every span, with changes and gaps. Returns (span, worker, start, end, reason)."""
    rng = ctx.rng
    by_team = wf.case_posts_by_team
    empty = np.zeros(0, dtype=np.int64)
    posts_of_team = {int(t): by_team.get(int(t), empty) for t in np.unique(span_team)}
    team_index = {t: i for i, t in enumerate(posts_of_team)}
    flat = np.concatenate(list(posts_of_team.values())) if posts_of_team else np.zeros(0, np.int64)
    offsets = np.cumsum([0] + [len(v) for v in posts_of_team.values()])
    t_idx = np.array([team_index[int(t)] for t in span_team], dtype=np.int64)
    t_off, t_cnt = offsets[t_idx], offsets[t_idx + 1] - offsets[t_idx]

    cur = start.copy()
    todo = np.flatnonzero(cur <= end)
    misses = np.zeros(len(start), dtype=np.int64)
    out_span: list[Ints] = []
    out_worker: list[Ints] = []
    out_start: list[Days] = []
    out_end: list[Days] = []
    out_reason: list[Strs] = []
    for _ in range(_MAX_ATTEMPTS):
        if not len(todo):
            break
        post = flat[t_off[todo] + np.floor(rng.random(len(todo)) * t_cnt[todo]).astype(np.int64)]
        spell = wf.spell_at(post, cur[todo])
        found = spell >= 0
        worker = np.where(found, wf.spells.worker[np.maximum(spell, 0)], 0)
        in_asye = (
            found
            & (wf.workers.asye_start[np.maximum(worker - 1, 0)] <= cur[todo])
            & (wf.workers.asye_end[np.maximum(worker - 1, 0)] >= cur[todo])
        )
        found &= ~(in_asye & (rng.random(len(todo)) < 0.35))
        # Vacant post: try again; after a few tries the case waits unallocated for a few days.
        misses[todo[~found]] += 1
        waiting = todo[~found & (misses[todo] >= 4)]
        cur[waiting] = plus(cur[waiting], rng.integers(2, 11, len(waiting)))
        misses[waiting] = 0
        hit = todo[found]
        spell = spell[found]
        worker = worker[found]
        change = plus(cur[hit], 30 + np.floor(rng.exponential(_CHANGE_MEAN_DAYS, len(hit))).astype(np.int64))
        leaves = wf.spells.end[spell]
        stop = earliest(end[hit], leaves, change)
        reason = np.where(
            stop == end[hit],
            np.where(last[hit], "", "TSPROC"),
            np.where(stop == leaves, "LEFTRL", rng.choice(_CHANGE_REASONS, len(hit), p=_CHANGE_WEIGHTS)),
        )
        out_span.append(hit)
        out_worker.append(worker)
        out_start.append(cur[hit])
        out_end.append(stop)
        out_reason.append(reason.astype("<U6"))
        gap = np.where(rng.random(len(hit)) < 0.7, 0, rng.integers(1, 15, len(hit)))
        gap = np.where(stop == end[hit], 0, gap)
        cur[hit] = plus(stop, 1 + gap)
        misses[hit] = 0
        todo = todo[cur[todo] <= end[todo]]
    return (
        np.concatenate(out_span) if out_span else np.zeros(0, np.int64),
        np.concatenate(out_worker) if out_worker else np.zeros(0, np.int64),
        np.concatenate(out_start) if out_start else np.zeros(0, "datetime64[D]"),
        np.concatenate(out_end) if out_end else np.zeros(0, "datetime64[D]"),
        np.concatenate(out_reason) if out_reason else np.zeros(0, "<U6"),
    )


def _teams_for(ctx: Context, wf: Workforce, kind: Ints, locality: npt.NDArray[np.float64]) -> Ints:
    """A team of the right kind for each span: locality teams by where the family lives, others at random."""
    team = np.zeros(len(kind), dtype=np.int64)
    for k in np.unique(kind):
        teams_k = wf.teams.id[wf.teams.kind == k]
        mask = kind == k
        pos = locality[mask] if k in (LOCALITY, DISABLED) else ctx.rng.random(int(mask.sum()))
        team[mask] = teams_k[np.minimum((pos * len(teams_k)).astype(np.int64), len(teams_k) - 1)]
    return team


def allocate(ctx: Context, cohort: Cohort, careers: Careers, leavers: CareLeavers, wf: Workforce) -> Involvements:
    """Social worker allocations for every assessed episode, and personal advisers for care leavers."""
    spans = _team_spans(ctx, cohort, careers)
    person = careers.episodes.person[spans.episode]
    team = _teams_for(ctx, wf, spans.kind, cohort.locality[person])
    s_idx, worker, start, end, reason = _assign(ctx, wf, team, spans.start, spans.end, spans.last)
    sw = Involvements(
        spans.episode[s_idx], person[s_idx], worker, team[s_idx], start, end, reason, np.full(len(s_idx), "SW")
    )

    pa_start = leavers.support_start
    pa_end = np.minimum(leavers.support_end, ctx.horizon)
    ok = pa_start <= pa_end
    pa_team = _teams_for(ctx, wf, np.full(int(ok.sum()), LEAVING_CARE), cohort.locality[leavers.person[ok]])
    p_idx, p_worker, p_start, p_end, p_reason = _assign(
        ctx, wf, pa_team, pa_start[ok], pa_end[ok], np.ones(int(ok.sum()), dtype=bool)
    )
    pa = Involvements(
        leavers.episode[ok][p_idx],
        leavers.person[ok][p_idx],
        p_worker,
        pa_team[p_idx],
        p_start,
        p_end,
        p_reason,
        np.full(len(p_idx), "PA"),
    )
    merged = {f: np.concatenate([getattr(sw, f), getattr(pa, f)]) for f in Involvements.__dataclass_fields__}
    order = np.lexsort((merged["start"], merged["episode"], merged["role"]))
    return Involvements(**{k: v[order] for k, v in merged.items()})


class AllocationIndex:
    """Who held an episode's case (role SW) on a given date: the author of a note, the worker of a plan."""

    def __init__(self, inv: Involvements) -> None:
        sw = np.flatnonzero(inv.role == "SW")
        order = sw[np.lexsort((inv.start[sw], inv.episode[sw]))]
        self.worker = inv.worker[order]
        self.team = inv.team[order]
        self.episode = inv.episode[order]
        self.start = inv.start[order]
        self.end = inv.end[order]
        self.key = self.episode * 1_000_000 + self.start.astype(np.int64)

    def at(self, episode: Ints, when: Days) -> tuple[Ints, Ints]:
        """(worker, team) allocated to each episode on each date; 0 where the case was unallocated."""
        if not len(self.key):
            z = np.zeros(len(episode), dtype=np.int64)
            return z, z.copy()
        key = np.asarray(episode, dtype=np.int64) * 1_000_000 + np.asarray(when, "datetime64[D]").astype(np.int64)
        idx = np.clip(np.searchsorted(self.key, key, side="right") - 1, 0, len(self.key) - 1)
        ok = (self.episode[idx] == episode) & (self.start[idx] <= when) & (self.end[idx] >= when)
        return np.where(ok, self.worker[idx], 0), np.where(ok, self.team[idx], 0)

    def latest_before(self, episode: Ints, when: Days) -> tuple[Ints, Ints]:
        """(worker, team) of the last allocation that started on or before each date (for closed cases)."""
        if not len(self.key):
            z = np.zeros(len(episode), dtype=np.int64)
            return z, z.copy()
        key = np.asarray(episode, dtype=np.int64) * 1_000_000 + np.asarray(when, "datetime64[D]").astype(np.int64)
        idx = np.clip(np.searchsorted(self.key, key, side="right") - 1, 0, len(self.key) - 1)
        ok = self.episode[idx] == episode
        return np.where(ok, self.worker[idx], 0), np.where(ok, self.team[idx], 0)
