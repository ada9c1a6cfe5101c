"""The council's workforce: teams, posts, the people who fill them over time, and their supervision.

Staffing is modelled as *posts*. Each team has a number of social worker (or personal adviser) posts sized
so that caseloads land around the target, plus one team manager post; each service area has a service
manager. A post is filled by a succession of workers: each stays for a spell drawn from the turnover rate,
and the post may stand vacant for a few weeks before the next starts. Some leavers reappear in another team
a few weeks later (an internal move), which gives ``ext_worker_team_history`` its multi-team histories.
Everything is sized from the national figures, so it is fixed before any child is simulated and every chunk
of children can be allocated against the same workforce.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from casewatch.synth import ragged
from casewatch.synth.context import Context
from casewatch.synth.days import NAT, Bools, Days, Floats, Ints, nat, plus
from casewatch.synth.figures import figure
from casewatch.synth.timing import complete_by, recurring

Strs = npt.NDArray[np.str_]

# Team kinds, in the order teams are numbered.
MASH, ASSESSMENT, LOCALITY, DISABLED, IN_CARE, LEAVING_CARE = range(6)
KIND_NAMES = (
    "Front Door",
    "Assessment",
    "Safeguarding and Family Support",
    "Disabled Children",
    "Children in Care",
    "Leaving Care",
)
TEAM_STEMS = (
    "MASH",
    "Assessment Team",
    "Family Support Team",
    "Disabled Children's Team",
    "Children in Care Team",
    "Care Leavers Team",
)
LOCALITY_NAMES = ("North", "South", "East", "West", "Central", "Riverside", "Hillside", "Valley")

# Open cases per 10,000 children each kind of team holds, from the national stocks (figures.py):
# assessments open ~ referrals x 50 days; CIN and CP plans are the children in need who are neither
# being assessed nor looked after; looked-after children move to a children-in-care team after ~3 months.
_ASSESSING = figure("referrals") * 50 / 365
_PLANS = figure("children_in_need") - figure("looked_after") - _ASSESSING
OPEN_CASES_PER_10K = {
    ASSESSMENT: _ASSESSING,
    LOCALITY: 0.9 * _PLANS + 0.1 * figure("looked_after"),
    DISABLED: 0.1 * _PLANS,
    IN_CARE: 0.9 * figure("looked_after"),
    LEAVING_CARE: 0.65 * figure("looked_after"),
}
TARGET_CASELOAD = 17.0  # children per full-time social worker (Rutland's standard is 15-18; national mean ~16)
PA_CASELOAD = 22.0  # young people per personal adviser
MASH_POSTS_PER_10K = 2.5
POSTS_PER_TEAM = 8

ANNUAL_TURNOVER = 0.16  # DfE children's social work workforce 2024 reports turnover of about 16-17%
MAX_STAY_DAYS = 20 * 365  # the longest anyone stays in one post
MAX_YEARS_QUALIFIED_AT_BEGIN = 35  # nobody in post when the simulation begins qualified longer ago than this
AGENCY_SHARE = 0.16  # and about 16% of social workers in post were agency workers
NEWLY_QUALIFIED_SHARE_OF_HIRES = 0.22
INTERNAL_MOVE_SHARE = 0.15
SUPERVISION_INTERVAL_WD = 21  # "roughly monthly": due within 21 working days of the last session
ASYE_WEEKLY_DAYS = 42  # an ASYE starts with six weeks of weekly supervision...
ASYE_WEEKLY_WD = 5
ASYE_FORTNIGHTLY_WD = 10  # ...then fortnightly until it ends


@dataclass(frozen=True)
class Teams:
    id: Ints  # 1-based team numbers (T0000001 ...)
    name: Strs
    parent: Ints  # team number of the parent, 0 for the root
    kind: Ints  # -1 for the root and service areas


@dataclass(frozen=True)
class Spells:
    """Who filled which post when: one row per worker-in-post spell, sorted by (post, start)."""

    post: Ints
    team: Ints  # team number
    worker: Ints  # worker number (several spells may share one worker after an internal move)
    start: Days
    end: Days  # last day in post (far future for people still in post)
    manager: Bools  # team or service manager post


@dataclass(frozen=True)
class Workers:
    """One row per worker (the SSD grain), with the profile casewatch's extension tables need."""

    number: Ints
    role: Strs  # SW, TM, SM, PA
    job_title: Strs
    qualified: Days
    asye_start: Days
    asye_end: Days
    agency: Bools
    fte: Floats
    line_manager: Ints  # worker number, 0 for none


@dataclass(frozen=True)
class Supervision:
    """Supervision sessions, sorted by (worker, date)."""

    worker: Ints
    date: Days
    supervisor: Ints


@dataclass(frozen=True)
class Workforce:
    teams: Teams
    spells: Spells
    workers: Workers
    supervision: Supervision
    posts_by_kind: dict[int, Ints]  # case-holding posts of each team kind
    post_team: Ints  # team number of each post
    manager_post: Ints  # by team number: the team's (or area's) manager post, -1 for none
    spell_key: Ints  # post * 10^6 + start day, for searchsorted lookups

    @cached_property
    def case_posts_by_team(self) -> dict[int, Ints]:
        """Each team's case-holding posts (every post but the managers'), in post order.

        Worked out once per workforce: every batch of children allocates against it, and finding a team's posts
        afresh for every team in every batch cost time in proportion to the workforce, so England's generation
        grew with the square of the population.
        """
        managers = np.isin(np.arange(len(self.post_team)), self.manager_post[self.manager_post >= 0])
        posts = np.flatnonzero(~managers).astype(np.int64)
        teams = self.post_team[posts]
        order = np.argsort(teams, kind="stable")
        posts, teams = posts[order], teams[order]
        bounds = np.flatnonzero(np.diff(teams)) + 1
        return {
            int(group_teams[0]): group
            for group_teams, group in zip(np.split(teams, bounds), np.split(posts, bounds), strict=True)
            if len(group)
        }

    def spell_at(self, post: Ints, when: Days) -> Ints:
        """Index of the spell filling each post on each date, -1 when the post is vacant."""
        post = np.asarray(post, dtype=np.int64)
        key = post * 1_000_000 + _day_number(when)
        idx = np.searchsorted(self.spell_key, key, side="right") - 1
        idx = np.clip(idx, 0, max(len(self.spell_key) - 1, 0))
        ok = (self.spells.post[idx] == post) & (self.spells.end[idx] >= when) & (self.spells.start[idx] <= when)
        return np.where(ok, idx, -1)

    def worker_at(self, post: Ints, when: Days) -> Ints:
        """Worker number in each post on each date, 0 when vacant."""
        spell = self.spell_at(post, when)
        return np.where(spell >= 0, self.spells.worker[np.maximum(spell, 0)], 0)

    def manager_at(self, team: Ints, when: Days) -> Ints:
        """The team manager on each date, or the service manager while the team manager post is vacant."""
        team = np.asarray(team, dtype=np.int64)
        own = self.manager_post[team]
        found = np.where(own >= 0, self.worker_at(np.maximum(own, 0), when), 0)
        area_post = self.manager_post[self.teams.parent[np.maximum(team - 1, 0)]]
        area = np.where(area_post >= 0, self.worker_at(np.maximum(area_post, 0), when), 0)
        return np.where(found > 0, found, area)


def _day_number(d: Days) -> Ints:
    return np.asarray(np.asarray(d, dtype="datetime64[D]").astype(np.int64), dtype=np.int64)


def _team_plan(population: int) -> list[tuple[int, int]]:
    """(kind, posts) for every case-holding team, sized from the expected caseload."""
    scale = population / 10_000
    plan: list[tuple[int, int]] = []
    mash_posts = max(2, round(MASH_POSTS_PER_10K * scale))
    plan.extend(_split(MASH, mash_posts))
    for kind, per_10k in OPEN_CASES_PER_10K.items():
        target = PA_CASELOAD if kind == LEAVING_CARE else TARGET_CASELOAD
        posts = max(2, int(np.ceil(per_10k * scale / target)))
        plan.extend(_split(kind, posts))
    return plan


def _split(kind: int, posts: int) -> list[tuple[int, int]]:
    teams = max(1, -(-posts // POSTS_PER_TEAM))
    base, extra = divmod(posts, teams)
    return [(kind, base + (1 if i < extra else 0)) for i in range(teams)]


def build_teams(population: int) -> tuple[Teams, list[int]]:
    """The department tree: the root, one service area per kind, and the teams; plus posts per team."""
    names = ["Children's Services"]
    parents = [0]
    kinds = [-1]
    posts_per_team = [0]
    for kind, area in enumerate(KIND_NAMES):
        names.append(area)
        parents.append(1)
        kinds.append(-1)
        posts_per_team.append(0)
        del kind
    area_of_kind = {k: 2 + k for k in range(len(KIND_NAMES))}
    count_by_kind: dict[int, int] = {}
    for kind, posts in _team_plan(population):
        i = count_by_kind.get(kind, 0)
        count_by_kind[kind] = i + 1
        stem = TEAM_STEMS[kind]
        if kind == LOCALITY:
            suffix = LOCALITY_NAMES[i % len(LOCALITY_NAMES)] + ("" if i < len(LOCALITY_NAMES) else f" {i + 1}")
            names.append(f"{stem} {suffix}")
        else:
            names.append(f"{stem} {i + 1}" if i or kind not in (MASH, DISABLED) else stem)
        parents.append(area_of_kind[kind])
        kinds.append(kind)
        posts_per_team.append(posts)
    teams = Teams(
        id=np.arange(1, len(names) + 1, dtype=np.int64),
        name=np.array(names),
        parent=np.array(parents, dtype=np.int64),
        kind=np.array(kinds, dtype=np.int64),
    )
    return teams, posts_per_team


def _fill_posts(ctx: Context, post_team: Ints, manager: Bools, begin: np.datetime64) -> Spells:
    """Successive spells in every post from before ``begin`` to past the horizon, sorted by (post, start)."""
    rng = ctx.rng
    n_posts = len(post_team)
    years = float((ctx.horizon - begin).astype(np.int64)) / 365.25
    # Enough spells per post to reach the horizon even with short agency spells; unused ones are cut.
    per_post = 4 + int(np.ceil(years * ANNUAL_TURNOVER * 4))
    counts = np.full(n_posts, per_post, dtype=np.int64)
    owner = ragged.expand(counts)
    k = len(owner)
    mean_stay = np.where(manager, 1.5, 1.0) * 365.25 / ANNUAL_TURNOVER
    # Capped before the cast: turnover's long tail, drawn for England's 100,000 posts, otherwise seats somebody in
    # one post for most of a century (a spell from 1938 was seen) and dates their qualification before 1950.
    stay = np.floor(np.clip(rng.exponential(mean_stay[owner]), 90, MAX_STAY_DAYS)).astype(np.int64)
    agency = ~manager[owner] & (rng.random(k) < AGENCY_SHARE)
    stay = np.where(agency, np.maximum(60, stay // 4), stay)
    vacancy = np.where(rng.random(k) < 0.5, 0, rng.integers(5, 75, k))
    first = ragged.position(counts) == 0
    # The first spell in each post is already under way at ``begin``; each later one follows the previous
    # spell and a vacancy.
    lead = -np.floor(rng.random(k) * stay).astype(np.int64)
    prev_stay = np.concatenate([[0], stay[:-1]])
    gaps = np.where(first, lead, prev_stay + vacancy)
    start = plus(begin, ragged.cumsum_within(gaps, counts))
    end = plus(start, stay - 1)
    keep = start <= ctx.horizon
    return Spells(
        post=owner[keep],
        team=post_team[owner[keep]],
        worker=np.zeros(int(keep.sum()), dtype=np.int64),
        start=start[keep],
        end=end[keep],
        manager=manager[owner[keep]],
    )


def _link_internal_moves(rng: np.random.Generator, spells: Spells, teams: Teams, horizon: np.datetime64) -> Ints:
    """Worker number per spell: mostly a new person, but some leavers reappear in another team."""
    n = len(spells.post)
    worker = np.zeros(n, dtype=np.int64)
    order = np.argsort(spells.start, kind="stable")
    joiners_taken = np.zeros(n, dtype=bool)
    by_start = spells.start[order]
    next_number = 1
    for i in np.argsort(spells.start, kind="stable"):
        if worker[i] == 0:
            worker[i] = next_number
            next_number += 1
        if spells.manager[i] or spells.end[i] >= horizon or rng.random() >= INTERNAL_MOVE_SHARE:
            continue
        lo = np.searchsorted(by_start, spells.end[i] + np.timedelta64(1, "D"))
        hi = np.searchsorted(by_start, spells.end[i] + np.timedelta64(45, "D"))
        for j in order[lo:hi]:
            if (
                not joiners_taken[j]
                and not spells.manager[j]
                and worker[j] == 0
                and teams.kind[spells.team[j] - 1] == teams.kind[spells.team[i] - 1]
                and spells.team[j] != spells.team[i]
            ):
                worker[j] = worker[i]
                joiners_taken[j] = True
                break
    return worker


def _profiles(ctx: Context, spells: Spells, teams: Teams, kinds: Ints, begin: np.datetime64) -> Workers:
    """Qualification, ASYE, agency status and job title for each worker, from their first spell."""
    rng = ctx.rng
    n_workers = int(spells.worker.max()) if len(spells.worker) else 0
    first_spell = np.full(n_workers + 1, -1, dtype=np.int64)
    for i in np.argsort(spells.start, kind="stable")[::-1]:
        first_spell[spells.worker[i]] = i
    fs = first_spell[1:]
    start = spells.start[fs]
    kind = kinds[spells.team[fs] - 1]
    is_manager = spells.manager[fs]
    service_manager = is_manager & (teams.kind[spells.team[fs] - 1] == -1)
    pa_role = (kind == LEAVING_CARE) & ~is_manager
    role = np.where(service_manager, "SM", np.where(is_manager, "TM", np.where(pa_role, "PA", "SW")))
    newly = (role == "SW") & (kind != MASH) & (rng.random(n_workers) < NEWLY_QUALIFIED_SHARE_OF_HIRES)
    years_qualified = np.where(is_manager, rng.uniform(6, 25, n_workers), rng.uniform(1.5, 22, n_workers))
    qualified = np.where(
        newly,
        plus(start, -rng.integers(20, 120, n_workers)),
        plus(start, -np.floor(years_qualified * 365.25).astype(np.int64)),
    )
    # A career is finite: a worker already in post when the simulation begins qualified at most 35 years before.
    earliest_qualified = plus(begin, -int(MAX_YEARS_QUALIFIED_AT_BEGIN * 365.25))
    qualified = np.where(qualified < earliest_qualified, earliest_qualified, qualified)
    qualified = np.where(role == "PA", NAT, qualified)
    asye_since = np.datetime64("2012-09-01")
    did_asye = (role != "PA") & (qualified >= asye_since)
    asye_start = np.where(newly, start, plus(qualified, rng.integers(14, 120, n_workers)))
    asye_start = np.where(did_asye, asye_start, NAT)
    asye_end = np.where(did_asye, plus(asye_start, 364), NAT)
    agency = (role == "SW") & ~newly & (rng.random(n_workers) < AGENCY_SHARE)
    fte = np.where(rng.random(n_workers) < 0.8, 1.0, rng.choice([0.6, 0.8], n_workers))
    in_asye_now = (asye_start <= ctx.as_at) & (asye_end >= ctx.as_at)
    senior = rng.random(n_workers) < 0.3
    title = np.select(
        [role == "SM", role == "TM", role == "PA", in_asye_now, (role == "SW") & (kind == MASH), senior],
        [
            "Service Manager",
            "Team Manager",
            "Personal Adviser",
            "Newly Qualified Social Worker",
            "Social Worker (MASH)",
            "Senior Social Worker",
        ],
        "Social Worker",
    )
    return Workers(
        number=np.arange(1, n_workers + 1, dtype=np.int64),
        role=role.astype(str),
        job_title=title.astype(str),
        qualified=qualified,
        asye_start=asye_start,
        asye_end=asye_end,
        agency=agency,
        fte=fte.astype(np.float64),
        line_manager=np.zeros(n_workers, dtype=np.int64),
    )


def _supervision(ctx: Context, wf: Workforce) -> Supervision:
    """Supervision for every case-holding spell, with the team manager of the day.

    Roughly monthly, except during a newly qualified worker's ASYE: weekly for its first six weeks and
    fortnightly after that (the rhythm Skills for Care's ASYE framework recommends and St Helena's standard
    sets). A spell is cut into pieces at the ASYE's phase boundaries, each piece its own series; the first
    session of a piece that follows another is due within the shorter of the two intervals, so the change of
    rhythm never leaves a gap longer than either.
    """
    spells, workers = wf.spells, wf.workers
    holder = np.flatnonzero(~spells.manager)
    start = ctx.wd.ordinal(spells.start[holder])
    stop = ctx.wd.ordinal(np.minimum(spells.end[holder], ctx.horizon))
    w = spells.worker[holder] - 1
    asye_start = workers.asye_start[w]
    has_asye = ~np.isnat(asye_start)
    safe_start = np.where(has_asye, asye_start, spells.start[holder])
    a0 = np.where(has_asye, ctx.wd.ordinal(ctx.wd.on_or_after(safe_start)), stop + 1)
    a6 = np.where(has_asye, ctx.wd.ordinal(ctx.wd.on_or_after(plus(safe_start, ASYE_WEEKLY_DAYS))), stop + 1)
    a1 = np.where(has_asye, ctx.wd.ordinal(ctx.wd.on_or_after(plus(workers.asye_end[w], 1))), stop + 1)
    # Phase pieces: [lo, hi) on the working-day clock with their interval; before, weekly, fortnightly, after.
    bounds = [(start, np.minimum(a0, stop + 1)), (a0, a6), (a6, a1), (a1, stop + 1)]
    intervals = (SUPERVISION_INTERVAL_WD, ASYE_WEEKLY_WD, ASYE_FORTNIGHTLY_WD, SUPERVISION_INTERVAL_WD)
    owners, los, his, gaps, prev_gaps = [], [], [], [], []
    for k, ((piece_lo, piece_hi), interval) in enumerate(zip(bounds, intervals, strict=True)):
        lo, hi = np.maximum(piece_lo, start), np.minimum(piece_hi, stop + 1)
        live = np.flatnonzero(lo < hi)
        owners.append(live)
        los.append(lo[live])
        his.append(hi[live] - 1)
        gaps.append(np.full(len(live), interval, dtype=np.int64))
        # The piece before: the spell's start (no previous rhythm) or the previous phase of the ASYE.
        prev = np.where(lo[live] == start[live], 0, intervals[k - 1] if k else 0)
        prev_gaps.append(prev.astype(np.int64))
    owner = np.concatenate(owners)
    lo, hi, gap, prev_gap = np.concatenate(los), np.concatenate(his), np.concatenate(gaps), np.concatenate(prev_gaps)
    at_spell_start = prev_gap == 0
    first_lo = np.where(at_spell_start, lo + np.minimum(5, gap // 2), lo)
    first_due = np.where(at_spell_start, lo + gap, lo + np.minimum(gap, np.maximum(prev_gap, 1)) - 1)
    first, _ = complete_by(ctx.rng, first_lo, np.maximum(first_due, first_lo), ctx.punctuality, 5.0)
    series = recurring(ctx.rng, first, hi, gap, ctx.punctuality, 6.0)
    series = series.select(series.happened)
    spell = holder[owner[series.owner]]
    date = ctx.wd.from_ordinal(series.position)
    supervisor = wf.manager_at(spells.team[spell], date)
    worker = spells.worker[spell]
    order = np.lexsort((date, worker))
    return Supervision(worker[order], date[order], supervisor[order])


def _line_managers(ctx: Context, wf: Workforce) -> Ints:
    """Each worker's line manager on their last day (or the extract date if still in post)."""
    spells = wf.spells
    n = len(wf.workers.number)
    last = np.full(n + 1, -1, dtype=np.int64)
    for i in np.argsort(spells.start, kind="stable"):
        last[spells.worker[i]] = i
    ls = last[1:]
    when = np.minimum(spells.end[ls], ctx.as_at)
    team = spells.team[ls]
    managers = wf.manager_at(team, when)
    # A manager's own line manager is the service manager above them.
    parent = wf.teams.parent[team - 1]
    above = wf.manager_at(np.maximum(parent, 1), when)
    is_manager = spells.manager[ls]
    result = np.where(is_manager, np.where(parent > 0, above, 0), managers)
    return np.where(result == wf.workers.number, 0, result)


def build_workforce(ctx: Context, population: int, begin: np.datetime64) -> Workforce:
    """Teams, posts, spells and supervision for a council of ``population`` children.

    Posts are filled from ``begin`` (early enough for the oldest case the simulation opens) to the horizon.
    """
    teams, posts_per_team = build_teams(population)
    post_team_list: list[int] = []
    manager_list: list[bool] = []
    manager_post = np.full(len(teams.id) + 1, -1, dtype=np.int64)
    for t in range(len(teams.id)):
        team_no = int(teams.id[t])
        if teams.parent[t] == 0:
            continue
        manager_post[team_no] = len(post_team_list)
        post_team_list.append(team_no)
        manager_list.append(True)
        for _ in range(posts_per_team[t]):
            post_team_list.append(team_no)
            manager_list.append(False)
    post_team = np.array(post_team_list, dtype=np.int64)
    manager = np.array(manager_list, dtype=bool)
    spells = _fill_posts(ctx, post_team, manager, begin)
    worker = _link_internal_moves(ctx.rng, spells, teams, ctx.horizon)
    spells = Spells(spells.post, spells.team, worker, spells.start, spells.end, spells.manager)
    workers = _profiles(ctx, spells, teams, teams.kind, begin)
    posts_by_kind = {
        kind: np.flatnonzero((teams.kind[post_team - 1] == kind) & ~manager).astype(np.int64)
        for kind in range(len(KIND_NAMES))
    }
    spell_key = spells.post * 1_000_000 + _day_number(spells.start)
    empty = Supervision(np.zeros(0, np.int64), nat(0), np.zeros(0, np.int64))
    wf = Workforce(teams, spells, workers, empty, posts_by_kind, post_team, manager_post, spell_key)
    line_manager = _line_managers(ctx, wf)
    workers = Workers(**{**workers.__dict__, "line_manager": line_manager})
    return Workforce(teams, spells, workers, _supervision(ctx, wf), posts_by_kind, post_team, manager_post, spell_key)
