"""Inside a period of care: placements, legal statuses and the SSDA903-style episodes they make.

A period of care (``clae_cla_id``) is a run of placements. The first is often a short emergency placement;
children who stay move on to longer, sometimes long-term, placements (U1/U4 "long-term fostering", which
earn three-monthly visits after their first year), and children on the adoption route end in an adoption
placement (A5/A6) after a placement order. Legal status follows care proceedings: police protection or an
emergency protection order for a few days, an interim care order (C1) for the months of proceedings, then a
full care order (C2); older children and UASC are mostly accommodated under section 20 (V2). SSDA903 starts
a new episode at every change of placement or legal status, with the reason new episode (RNE) saying which.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from casewatch.synth import ragged
from casewatch.synth.careers import CLA, Careers
from casewatch.synth.context import Context
from casewatch.synth.days import Bools, Days, Floats, Ints, between, earliest, latest, plus, years_between
from casewatch.synth.population import Cohort

Strs = npt.NDArray[np.str_]

# SSDA903 placement types by age band at placement start (under 1, 1-4, 5-9, 10-15, 16-17).
_TYPES = np.array(["U6", "U3", "U5", "U4", "U1", "P1", "K2", "R1", "P2", "R3"])
_TYPE_BY_AGE = np.array(
    [
        [0.55, 0.15, 0.10, 0.04, 0.02, 0.09, 0.00, 0.00, 0.00, 0.05],
        [0.50, 0.15, 0.05, 0.13, 0.05, 0.12, 0.00, 0.00, 0.00, 0.00],
        [0.46, 0.10, 0.00, 0.22, 0.08, 0.09, 0.04, 0.01, 0.00, 0.00],
        [0.40, 0.07, 0.00, 0.20, 0.06, 0.05, 0.20, 0.02, 0.00, 0.00],
        [0.30, 0.05, 0.00, 0.15, 0.05, 0.03, 0.17, 0.00, 0.25, 0.00],
    ]
)
_UASC_TYPES = np.array([0.35, 0.0, 0.0, 0.0, 0.0, 0.0, 0.20, 0.0, 0.45, 0.0])
LONG_TERM = ("U1", "U4")
_CHANGE_REASONS = {
    "CARPL": 0.40,
    "CREQB": 0.15,
    "CREQO": 0.10,
    "CHILD": 0.10,
    "LAREQ": 0.08,
    "CLOSE": 0.05,
    "STAND": 0.04,
    "ALLEG": 0.03,
    "OTHER": 0.05,
}
_MAX_PLACEMENTS = 12


@dataclass(frozen=True)
class Placements:
    period: Ints  # segment index of the period of care
    start: Days
    end: Days  # the last placement ends with the period
    type: Strs
    provider: Strs
    urn: Strs
    postcode: Strs
    distance: Floats
    change_reason: Strs  # "" for the last placement of a period


@dataclass(frozen=True)
class LegalStatuses:
    period: Ints
    start: Days
    end: Days
    code: Strs


def _age_band(age: Floats) -> Ints:
    return np.searchsorted(np.asarray([1.0, 5.0, 10.0, 16.0]), age, side="right").astype(np.int64)


def adoption_placement_start(rng: np.random.Generator, start: Days, end: Days) -> Days:
    """When an adopted child moved to their adopters: some months before the adoption order."""
    return latest(plus(start, 30), plus(end, -rng.integers(100, 300, len(start))))


def placements(ctx: Context, cohort: Cohort, careers: Careers) -> tuple[Placements, Days]:
    """Every placement of every period of care; also returns each period's adoption placement date (or NaT)."""
    rng = ctx.rng
    seg = careers.segments
    periods = np.flatnonzero(seg.kind == CLA)
    person = careers.episodes.person[seg.episode[periods]]
    p_start, p_end = seg.start[periods], seg.end[periods]
    adopted = seg.route[periods] == "adopt"
    adopt_from = np.where(
        adopted & (between(p_start, p_end) > 300), adoption_placement_start(rng, p_start, p_end), np.datetime64("NaT")
    )
    regular_end = earliest(adopt_from, p_end)

    counts = np.full(len(periods), _MAX_PLACEMENTS, dtype=np.int64)
    owner = ragged.expand(counts)
    pos = ragged.position(counts)
    k = len(owner)
    emergency = (pos == 0) & (rng.random(k) < 0.4)
    stay = np.where(emergency, 3 + rng.exponential(60.0, k), 30 + rng.exponential(600.0, k)).astype(np.int64)
    before = ragged.cumsum_within(stay, counts) - stay
    start = plus(p_start[owner], before)
    keep = (start < regular_end[owner]) | (pos == 0)
    owner, pos, start = owner[keep], pos[keep], start[keep]
    nxt_same = ~ragged.last_of_run(owner)
    end = np.where(nxt_same, ragged.shift_up(start), regular_end[owner])
    end = np.where(nxt_same, end, earliest(end, p_end[owner]))
    # Adoption placements close the period for adopted children.
    a = np.flatnonzero(~np.isnat(adopt_from))
    owner = np.concatenate([owner, a])
    pos = np.concatenate([pos, np.full(len(a), _MAX_PLACEMENTS)])
    start = np.concatenate([start, adopt_from[a]])
    end = np.concatenate([end, p_end[a]])
    order = np.lexsort((pos, owner))
    owner, pos, start, end = owner[order], pos[order], start[order], end[order]
    n = len(owner)

    dob = cohort.dob[person[owner]]
    age = years_between(dob, start)
    probs = _TYPE_BY_AGE[_age_band(age)]
    probs = np.where(cohort.uasc[person[owner]][:, None], _UASC_TYPES[None, :], probs)
    pick = (rng.random(n)[:, None] > np.cumsum(probs, axis=1)).sum(axis=1)
    ptype = _TYPES[np.minimum(pick, len(_TYPES) - 1)]
    route = seg.route[periods][owner]
    settle = (pos >= 1) & np.isin(route, ["to18", "sgo"]) & (rng.random(n) < 0.5) & (age < 16)
    ptype = np.where(settle, np.where(rng.random(n) < 0.75, "U4", "U1"), ptype)
    ptype = np.where(pos == _MAX_PLACEMENTS, np.where(rng.random(n) < 0.7, "A6", "A5"), ptype)

    provider = np.select(
        [ptype == "P1", np.isin(ptype, ["K2", "R1", "R3"]), ptype == "P2", np.char.startswith(ptype, "A")],
        ["PR0", np.where(rng.random(n) < 0.75, "PR4", "PR1"), np.where(rng.random(n) < 0.6, "PR4", "PR1"), "PR1"],
        np.where(rng.random(n) < 0.6, "PR1", "PR4"),
    )
    registered = np.isin(ptype, ["K2", "R1"])
    urn_no = rng.integers(100_000, 999_999, n)
    urn = np.array([f"SC{u}" if r else "" for u, r in zip(urn_no, registered, strict=True)], dtype=str)
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
    sector = rng.integers(1, 10, n)
    unit = letters[rng.integers(0, len(letters), (n, 2))]
    # ZZ99 is the pseudo-postcode area: it can never be a real address.
    postcode = np.array([f"ZZ99 {d}{u[0]}{u[1]}" for d, u in zip(sector, unit, strict=True)], dtype=str)
    postcode = np.where(ptype == "P1", "", postcode)
    median = np.where(registered, 22.0, 6.0)
    distance = np.round(rng.lognormal(np.log(median), 0.8), 1)
    last = ragged.last_of_run(owner)
    keys = np.array(list(_CHANGE_REASONS))
    weights = np.array(list(_CHANGE_REASONS.values()))
    reason = np.where(last, "", keys[rng.choice(len(keys), n, p=weights / weights.sum())])
    next_is_adoption = np.isin(ragged.shift_up(ptype), ["A5", "A6"])
    reason = np.where(~last & next_is_adoption, "CARPL", reason)
    result = Placements(
        period=periods[owner],
        start=start,
        end=end,
        type=ptype.astype(str),
        provider=np.asarray(provider, dtype=str),
        urn=urn.astype(str),
        postcode=postcode.astype(str),
        distance=distance,
        change_reason=reason.astype(str),
    )
    adoption = np.full(len(seg), np.datetime64("NaT"), dtype="datetime64[D]")
    adoption[periods] = adopt_from
    return result, adoption


def legal_statuses(ctx: Context, cohort: Cohort, careers: Careers, adoption: Days) -> LegalStatuses:
    """Legal status spells within each period of care."""
    rng = ctx.rng
    seg = careers.segments
    periods = np.flatnonzero(seg.kind == CLA)
    n = len(periods)
    person = careers.episodes.person[seg.episode[periods]]
    start, end = seg.start[periods], seg.end[periods]
    age = years_between(cohort.dob[person], start)
    uasc = cohort.uasc[person]
    u = rng.random(n)
    first = np.where(
        uasc | (age >= 16) & (u < 0.8),
        "V2",
        np.where(u < 0.30, "V2", np.where(u < 0.85, "C1", np.where(u < 0.95, "L2", "L1"))),
    )
    to_c1 = np.isin(first, ["L1", "L2"])
    v2_to_c1 = (first == "V2") & ~uasc & (rng.random(n) < 0.15)
    c1_at = np.where(
        to_c1,
        plus(start, rng.integers(1, 9, n)),
        np.where(v2_to_c1, plus(start, rng.integers(60, 300, n)), np.datetime64("NaT")),
    )
    c1_from = np.where(first == "C1", start, c1_at)
    c2_at = plus(c1_from, np.floor(rng.lognormal(np.log(220), 0.3, n)).astype(np.int64))
    adopt = adoption[periods]
    e1_at = np.where(
        ~np.isnat(adopt), latest(plus(c2_at, 1), plus(adopt, -rng.integers(20, 120, n))), np.datetime64("NaT")
    )
    e1_at = np.where(e1_at < adopt, e1_at, np.datetime64("NaT"))
    c2_at = np.where(~np.isnat(adopt), earliest(c2_at, plus(e1_at, -1)), c2_at)

    owner = np.concatenate([np.arange(n), np.arange(n), np.arange(n), np.arange(n)])
    when = np.concatenate([start, c1_at, c2_at, e1_at])
    code = np.concatenate([first, np.full(n, "C1"), np.full(n, "C2"), np.full(n, "E1")])
    valid = ~np.isnat(when) & (when < end[owner]) & (when >= start[owner])
    valid[:n] = True
    owner, when, code = owner[valid], when[valid], code[valid]
    order = np.lexsort((when, owner))
    owner, when, code = owner[order], when[order], code[order]
    # Drop a change to the same status (e.g. C1 after starting on C1).
    same = ~ragged.first_of_run(owner, code)
    owner, when, code = owner[~same], when[~same], code[~same]
    nxt_same = ~ragged.last_of_run(owner)
    stop = np.where(nxt_same, ragged.shift_up(when), end[owner])
    return LegalStatuses(periods[owner], when, stop, code.astype(str))


def is_long_term(ptype: Strs) -> Bools:
    return np.isin(ptype, LONG_TERM)
