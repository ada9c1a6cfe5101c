"""Each child's social care career: referrals, what the front door decides, and the plans that follow.

A career is a sequence of episodes (one per referral, the SSD's ``ssd_cin_episodes`` grain). Within an
episode the child passes through the front door (contact, referral, assessment, maybe a strategy discussion,
S47 enquiry and initial conference) and then through a chain of plan *segments* - child in need plan, child
protection plan, period of care - until the case closes. Children are processed in rounds: round k is every
child's k-th referral, all at once, so the only Python loops are over rounds and segment steps.

Nothing here is truncated at the extract date: end dates may lie in the future. The table writers decide
what an extract taken on ``as_at`` can show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import numpy.typing as npt

from casewatch.synth import params, referrals
from casewatch.synth.chains import Chain, chain_of_length
from casewatch.synth.context import Context
from casewatch.synth.days import (
    NAT,
    Bools,
    Days,
    Ints,
    add_months,
    between,
    earliest,
    latest,
    nat,
    plus,
    years_between,
)
from casewatch.synth.population import Cohort
from casewatch.synth.timing import complete_by

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

CLOSED, CIN, CP, CLA = 0, 1, 2, 3
_MAX_ROUNDS = 40
_MAX_STEPS = 10

Strs = npt.NDArray[np.str_]


@dataclass
class Episodes:
    """One row per referral (CIN episode); front-door dates are NaT where that step did not happen."""

    person: Ints  # row in the chunk's cohort
    contact: Days
    referral: Days
    source: Strs
    need: Strs
    referral_nfa: Bools
    asm_start: Days
    asm_due: Days
    asm_auth: Days  # NaT when never authorised
    asm_seen: Bools
    asm_nfa: Bools
    strategy: Days
    s47: Bools
    s47_end: Days
    icpc_target: Days
    icpc: Days  # NaT when no conference was held
    icpc_plan: Bools
    close: Days
    close_reason: Strs

    def __len__(self) -> int:
        return len(self.person)


@dataclass
class Segments:
    """Plan segments in order within each episode: CIN plan, CP plan or period of care (CLA)."""

    episode: Ints
    kind: Ints
    start: Days
    end: Days
    route: Strs  # period of care: home / adopt / sgo / to18 / other; "" otherwise
    end_code: Strs  # period of care: SSDA903 reason ceased; "" otherwise

    def __len__(self) -> int:
        return len(self.episode)


@dataclass
class PlanReviews:
    """CIN plan reviews and CP review conferences; ``final`` marks the review at which the plan ended."""

    segment: Ints
    link: Ints
    due: Days
    held: Days
    happened: Bools
    final: Bools

    def __len__(self) -> int:
        return len(self.segment)


@dataclass
class Careers:
    episodes: Episodes
    segments: Segments
    reviews: PlanReviews


_D = TypeVar("_D", bound="DataclassInstance")
_EMPTY_DTYPES = {"Days": "datetime64[D]", "Bools": "bool", "Strs": "<U4", "Ints": "int64"}


def _concat(items: Sequence[_D], kind: type[_D]) -> _D:
    """Concatenate struct-of-array dataclasses field by field (an empty one when there are none)."""
    if not items:
        return kind(**{f.name: np.zeros(0, dtype=_EMPTY_DTYPES[str(f.type)]) for f in fields(kind)})
    return kind(**{f.name: np.concatenate([getattr(it, f.name) for it in items]) for f in fields(kind)})


def _codes(rng: np.random.Generator, table: Mapping[str, float], n: int) -> Strs:
    keys = np.array(list(table.keys()))
    weights = np.array(list(table.values()), dtype=np.float64)
    return np.asarray(rng.choice(keys, size=n, p=weights / weights.sum()))


def _wd_span(ctx: Context, start: Days, lo: int, hi: int) -> Days:
    """A working day ``lo``..``hi`` (inclusive) working days after each start."""
    return ctx.wd.add(start, ctx.rng.integers(lo, hi + 1, len(start)))


# ----------------------------------------------------------------------------------------- front door


def _front_door(ctx: Context, cohort: Cohort, person: Ints, referral: Days) -> tuple[Episodes, Ints, Days]:
    """Front-door decisions for a batch of referrals: the episode rows, first state and its start date."""
    rng, wd, punct = ctx.rng, ctx.wd, ctx.punctuality
    n = len(person)
    unborn = cohort.unborn[person]
    uasc = cohort.uasc[person]
    dob = cohort.dob[person]

    lead = np.where(rng.random(n) < 0.75, 0, rng.integers(1, 4, n))
    contact = plus(referral, -lead)
    contact = np.where(~unborn & (contact < dob), dob, contact)
    source = _codes(rng, params.REFERRAL_SOURCE, n)
    need = np.where(uasc, "N8", _codes(rng, params.PRIMARY_NEED, n))
    need = np.where(cohort.disabled[person] & (rng.random(n) < 0.5), "N2", need)

    referral_nfa = ~uasc & (rng.random(n) < params.REFERRAL_NFA_SHARE)
    assessed = ~referral_nfa
    asm_start = np.where(assessed, wd.add(referral, rng.choice([0, 1, 2, 3, 5], n, p=[0.4, 0.3, 0.15, 0.1, 0.05])), NAT)
    ref_ord = wd.ordinal(referral)
    auth_ord, authorised = complete_by(rng, ref_ord + 8, ref_ord + 45, punct, 12.0)
    would_auth = latest(wd.from_ordinal(auth_ord), asm_start)
    asm_auth = np.where(assessed & authorised, would_auth, NAT)
    asm_due = np.where(assessed, wd.add(referral, 45), NAT)
    asm_seen = assessed & ~unborn & (rng.random(n) < 0.95)

    strategy_p = np.where(unborn | uasc, 0.0, params.STRATEGY_SHARE_OF_ASSESSED)
    has_strategy = assessed & (rng.random(n) < strategy_p)
    strategy = np.where(
        has_strategy, wd.add(referral, rng.choice([0, 1, 2, 3, 5, 8], n, p=[0.35, 0.3, 0.15, 0.1, 0.06, 0.04])), NAT
    )
    s47 = has_strategy & (rng.random(n) < params.STRATEGY_TO_S47)
    icpc_wanted = s47 & (rng.random(n) < params.ICPC_SHARE_OF_S47)
    strat_ord = wd.ordinal(strategy)
    icpc_ord, icpc_held = complete_by(rng, strat_ord + 5, strat_ord + 15, punct, 4.0)
    icpc_target = np.where(icpc_wanted, wd.add(strategy, 15), NAT)
    icpc = np.where(icpc_wanted & icpc_held, wd.from_ordinal(icpc_ord), NAT)
    icpc_plan = ~np.isnat(icpc) & (rng.random(n) < params.ICPC_TO_CP_PLAN)
    s47_done = wd.add(strategy, rng.integers(4, 16, n))
    s47_end = np.where(s47, earliest(s47_done, np.where(icpc_wanted, plus(wd.from_ordinal(icpc_ord), -1), NAT)), NAT)
    s47_end = np.where(s47, latest(s47_end, strategy), NAT)

    # First state after the front door, and when it starts.
    state = np.full(n, CLOSED, dtype=np.int64)
    start = nat(n)
    settle = latest(would_auth, s47_end)  # when the assessment (and any enquiry) concluded
    u = rng.random(n)
    to_cp = icpc_plan
    to_cin_after_icpc = ~np.isnat(icpc) & ~icpc_plan
    no_conf = s47 & np.isnat(icpc)
    to_cin_after_s47 = no_conf & (icpc_wanted | (u < params.S47_NO_ICPC_TO_CIN_PLAN))
    plain = assessed & ~s47
    to_care = (plain & (u < params.DIRECT_TO_CARE_SHARE)) | uasc
    plain_nfa = plain & ~to_care & (u < params.DIRECT_TO_CARE_SHARE + params.ASSESSED_NFA_SHARE)
    to_cin_plain = plain & ~to_care & ~plain_nfa
    state[to_cp] = CP
    start[to_cp] = icpc[to_cp]
    for mask, anchor in ((to_cin_after_icpc, icpc), (to_cin_after_s47, settle), (to_cin_plain, would_auth)):
        state[mask] = CIN
        start[mask] = _wd_span(ctx, anchor[mask], 0, 5)
    state[to_care] = CLA
    start[to_care] = plus(
        referral[to_care],
        np.where(uasc[to_care], rng.integers(0, 3, to_care.sum()), rng.integers(0, 16, to_care.sum())),
    )
    asm_nfa = assessed & (state == CLOSED)

    close = nat(n)
    close[referral_nfa] = _wd_span(ctx, referral[referral_nfa], 0, 2)
    closed_after = asm_nfa
    close[closed_after] = _wd_span(ctx, np.where(authorised, settle, plus(settle, 120))[closed_after], 0, 5)
    close_reason = np.full(n, "", dtype="<U4")
    close_reason[referral_nfa] = "RC8"
    close_reason[closed_after] = np.where(rng.random(int(closed_after.sum())) < 0.3, "RC9", "RC8")

    episodes = Episodes(
        person=person,
        contact=contact,
        referral=referral,
        source=source,
        need=need,
        referral_nfa=referral_nfa,
        asm_start=asm_start,
        asm_due=asm_due,
        asm_auth=asm_auth,
        asm_seen=asm_seen,
        asm_nfa=asm_nfa,
        strategy=strategy,
        s47=s47,
        s47_end=s47_end,
        icpc_target=icpc_target,
        icpc=icpc,
        icpc_plan=icpc_plan,
        close=close,
        close_reason=close_reason,
    )
    return episodes, state, start


# ----------------------------------------------------------------------------------------- plan segments


@dataclass
class _Step:
    """What one plan segment decided: when it ends, what comes next, and its details."""

    end: Days
    next_state: Ints
    route: Strs
    end_code: Strs
    close_reason: Strs
    reviews: Chain | None
    review_final: Bools | None


def _trim_reviews(chain: Chain, end: Days, final_link: Ints) -> tuple[Chain, Bools]:
    keep = chain.held <= end[chain.owner]
    final = keep & (chain.link == final_link[chain.owner]) & (chain.held == end[chain.owner])
    trimmed = Chain(chain.owner[keep], chain.link[keep], chain.due[keep], chain.held[keep], chain.happened[keep])
    return trimmed, final[keep]


def _cin_plans(ctx: Context, start: Days, adult: Days) -> _Step:
    rng = ctx.rng
    n = len(start)
    length = rng.geometric(1 - params.CIN_PLAN_EXTRA_REVIEWS_P, n).astype(np.int64)
    chain = chain_of_length(
        ctx,
        add_months(start, params.CIN_PLAN_REVIEW_MONTHS),
        params.CIN_PLAN_REVIEW_MONTHS,
        length,
        window_days=21,
        typical_late_days=14.0,
    )
    last = np.zeros(n, dtype="datetime64[D]")
    is_last = chain.link == length[chain.owner] - 1
    last[chain.owner[is_last]] = chain.held[is_last]
    end = latest(last, plus(start, 1))
    to_care = rng.random(n) < params.CIN_PLAN_TO_CARE
    cut = plus(start, np.floor(rng.random(n) * between(start, end)).astype(np.int64) + 1)
    end = np.where(to_care, earliest(cut, end), end)
    next_state = np.where(to_care, CLA, CLOSED)
    reason = np.full(n, "RC7", dtype="<U4")
    grown = end >= adult
    end = np.where(grown, adult, end)
    next_state = np.where(grown, CLOSED, next_state)
    final_link = np.where(to_care | grown, -1, length - 1)
    chain, final = _trim_reviews(chain, end, final_link)
    blank = np.full(n, "", dtype="<U4")
    return _Step(end, next_state.astype(np.int64), blank, blank, reason, chain, final)


def _cp_plans(ctx: Context, start: Days, adult: Days) -> _Step:
    rng = ctx.rng
    n = len(start)
    probs = np.asarray(params.CP_ENDING_REVIEW)
    length = 1 + rng.choice(len(probs), n, p=probs / probs.sum())
    chain = chain_of_length(
        ctx,
        add_months(start, params.CP_FIRST_REVIEW_MONTHS),
        params.CP_REVIEW_MONTHS,
        length,
        window_days=28,
        typical_late_days=10.0,
    )
    last = np.zeros(n, dtype="datetime64[D]")
    is_last = chain.link == length[chain.owner] - 1
    last[chain.owner[is_last]] = chain.held[is_last]
    end = latest(last, plus(start, 1))
    early = rng.random(n) < params.CP_ENDS_EARLY_SHARE
    cut = plus(start, np.floor(rng.random(n) * between(start, end)).astype(np.int64) + 1)
    end = np.where(early, earliest(cut, end), end)
    u = rng.random(n)
    next_state = np.where(
        early,
        np.where(u < params.CP_EARLY_END_TO_CARE, CLA, CLOSED),
        np.where(u < params.CP_STEP_DOWN_TO_CIN, CIN, CLOSED),
    )
    reason = np.where(early, "RC5", "RC7").astype("<U4")
    grown = end >= adult
    end = np.where(grown, adult, end)
    next_state = np.where(grown, CLOSED, next_state)
    reason = np.where(grown, "RC7", reason)
    final_link = np.where(early | grown, -1, length - 1)
    chain, final = _trim_reviews(chain, end, final_link)
    blank = np.full(n, "", dtype="<U4")
    return _Step(end, next_state.astype(np.int64), blank, blank, reason, chain, final)


def _age_band(age: npt.NDArray[np.float64]) -> Ints:
    return np.searchsorted(np.asarray([1.0, 5.0, 10.0, 16.0]), age, side="right").astype(np.int64)


def _end_codes(rng: np.random.Generator, route: Strs) -> Strs:
    out = np.full(len(route), "E8", dtype="<U4")
    for name, options in params.CARE_END_REASONS.items():
        mask = route == name
        if mask.any():
            codes = np.array([c for c, _ in options])
            weights = np.array([w for _, w in options])
            out[mask] = rng.choice(codes, int(mask.sum()), p=weights / weights.sum())
    return out


def _periods_of_care(ctx: Context, start: Days, adult: Days, dob: Days, uasc: Bools) -> _Step:
    rng = ctx.rng
    n = len(start)
    band = np.where(uasc, 4, _age_band(years_between(dob, start)))
    table = np.asarray(params.CARE_ROUTE_BY_AGE)
    cum = np.cumsum(table[band], axis=1)
    pick = (rng.random(n)[:, None] > cum).sum(axis=1)
    routes = np.asarray(params.CARE_ROUTES)
    route = routes[np.minimum(pick, len(routes) - 1)].astype("<U5")
    route = np.where(uasc & (rng.random(n) < 0.95), "to18", route)
    days = np.full(n, 10**6, dtype=np.int64)
    for name, (median, sigma) in params.CARE_DURATION.items():
        mask = route == name
        days[mask] = np.maximum(3, np.floor(rng.lognormal(np.log(median), sigma, int(mask.sum())))).astype(np.int64)
    end = earliest(plus(start, days), adult)
    route = np.where(end >= adult, "to18", route)
    end_code = _end_codes(rng, route)
    next_state = np.where((route == "home") & (rng.random(n) < params.CARE_STEP_DOWN_TO_CIN), CIN, CLOSED)
    reason = np.select(
        [
            np.isin(end_code, ["E11", "E12"]),
            np.isin(end_code, ["E45", "E46"]),
            np.isin(end_code, ["E41", "E48"]),
            end_code == "E3",
            route == "to18",
        ],
        ["RC1", "RC4", "RC3", "RC5", "RC7"],
        "RC7",
    ).astype("<U4")
    return _Step(end, next_state.astype(np.int64), route, end_code, reason, None, None)


# ----------------------------------------------------------------------------------------- careers


def _plan_chain(
    ctx: Context, cohort: Cohort, episodes: Episodes, state: Ints, start: Days, seg_offset: int, ep_offset: int
) -> tuple[list[Segments], list[PlanReviews]]:
    """Run each episode through its plan segments until it closes; fill in close date and reason."""
    n = len(episodes)
    adult = cohort.adulthood()[episodes.person]
    dob = np.where(cohort.unborn, cohort.expected_dob, cohort.dob)[episodes.person]
    uasc = cohort.uasc[episodes.person]
    segs: list[Segments] = []
    revs: list[PlanReviews] = []
    last_end = nat(n)
    last_reason = np.full(n, "RC7", dtype="<U4")
    state = state.copy()
    state[start >= adult] = CLOSED
    for _ in range(_MAX_STEPS):
        if not (state != CLOSED).any():
            break
        next_state = np.full(n, CLOSED, dtype=np.int64)
        next_start = nat(n)
        for kind, run in ((CIN, _cin_plans), (CP, _cp_plans), (CLA, None)):
            idx = np.flatnonzero(state == kind)
            if not len(idx):
                continue
            if run is None:
                step = _periods_of_care(ctx, start[idx], adult[idx], dob[idx], uasc[idx])
            else:
                step = run(ctx, start[idx], adult[idx])
            seg_ids = seg_offset + np.arange(len(idx), dtype=np.int64)
            seg_offset += len(idx)
            segs.append(
                Segments(
                    idx + ep_offset,
                    np.full(len(idx), kind, dtype=np.int64),
                    start[idx],
                    step.end,
                    step.route,
                    step.end_code,
                )
            )
            if step.reviews is not None and step.review_final is not None:
                ch = step.reviews
                revs.append(PlanReviews(seg_ids[ch.owner], ch.link, ch.due, ch.held, ch.happened, step.review_final))
            last_end[idx] = step.end
            last_reason[idx] = step.close_reason
            next_state[idx] = step.next_state
            next_start[idx] = step.end
        next_state[next_start >= adult] = CLOSED
        state, start = next_state, next_start
    had_plan = ~np.isnat(last_end)
    lag = ctx.rng.integers(0, params.CLOSE_LAG_DAYS + 1, n)
    close = earliest(plus(last_end, lag), plus(adult, -1))
    close = latest(close, last_end)
    episodes.close = np.where(had_plan, close, episodes.close)
    episodes.close_reason = np.where(had_plan, last_reason, episodes.close_reason)
    return segs, revs


def simulate_careers(ctx: Context, cohort: Cohort) -> Careers:
    """Every referral, decision and plan for the children of one cohort chunk."""
    rng = ctx.rng
    n = len(cohort)
    adult = cohort.adulthood()
    limit = np.minimum(plus(adult, -30), ctx.as_at)
    rate = referrals.base_rate(cohort.vulnerability, cohort.disabled)
    born_rate = np.where(cohort.uasc | cohort.unborn, 0.0, rate)
    first = referrals.next_referral(rng, cohort.dob, cohort.dob, born_rate, limit)
    first = np.where(cohort.uasc, np.where(cohort.arrival <= ctx.as_at, cohort.arrival, NAT), first)
    unborn_ref = plus(ctx.as_at, -rng.integers(0, 100, n))
    first = np.where(cohort.unborn, unborn_ref, first)

    all_eps: list[Episodes] = []
    all_segs: list[Segments] = []
    all_revs: list[PlanReviews] = []
    ep_offset = seg_offset = 0
    due = first
    for _ in range(_MAX_ROUNDS):
        person = np.flatnonzero(~np.isnat(due) & (due <= ctx.as_at))
        if not len(person):
            break
        referral = due[person]
        episodes, state, start = _front_door(ctx, cohort, person, referral)
        segs, revs = _plan_chain(ctx, cohort, episodes, state, start, seg_offset, ep_offset)
        seg_offset += sum(len(s) for s in segs)
        ep_offset += len(episodes)
        all_eps.append(episodes)
        all_segs.extend(segs)
        all_revs.extend(revs)
        # The next referral can only come once this episode is closed.
        closed = episodes.close
        quick = referrals.quick_rereferral(rng, closed, limit[person])
        background = referrals.next_referral(rng, closed, cohort.dob[person], born_rate[person], limit[person])
        due = nat(n)
        due[person] = np.fmin(quick, background)
        due[cohort.unborn] = NAT
    return Careers(
        episodes=_concat(all_eps, Episodes),
        segments=_concat(all_segs, Segments),
        reviews=_concat(all_revs, PlanReviews),
    )
