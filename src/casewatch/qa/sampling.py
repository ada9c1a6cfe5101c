"""Drawing the children of an audit sample by a written rule, reproducibly from a stored seed.

A QA lead's rule reads like "two children per team, at least one on a CP plan, not audited in the last year";
a themed audit narrows the cohort first ("children with an overdue CP visit in the last 3 months", "plans that
ended this month", "closures"). The rule, the seed and the as-at date are stored with the sample, so the same
inputs always draw the same children: the order in which children are drawn is a hash of the seed and the
child's id, which depends on nothing else (not the order of rows in a file, not the database engine).

The cohort is found set-based in DuckDB: every child with a service stage on the as-at date (``qa.stages``), or
every child a theme names. Each child's worker and team are those of the one attribution rule
(``results.attribution``) on the as-at date; a child whose case is no longer open then (a closed case in a
closure audit) is taken, stage and holder, as at the date of the event that put them in the theme. Only the
final draw, one pass over the cohort's rows, is Python.

Nothing is dropped silently: a quota the cohort cannot fill is a shortfall with a sentence, a team whose
children were all left out still appears in the shortfalls, and every child left out has its reason.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
from dateutil.relativedelta import relativedelta

from casewatch.data.load import CaseData
from casewatch.errors import CasewatchError
from casewatch.results import Outcome, Results, Status
from casewatch.results.attribution import ALLOCATIONS, PROFESSIONALS, REFERRALS, holders, ordered_allocations
from casewatch.standards.sources import load_sources

from .stages import STAGES, stage_named, stage_sql

Per = Literal["team", "worker", "council"]
PER: tuple[Per, ...] = ("team", "worker", "council")
ThemeKind = Literal["overdue", "ended", "closure"]
#: The statuses that mean an occurrence was overdue for a while: still not done, or done after its due date.
#: An exception (late with a recorded reason) is left out: the reason is already on the file.
OVERDUE_STATUSES: tuple[str, ...] = tuple(s.value for s in Status if s.outcome in (Outcome.OVERDUE, Outcome.LATE))
#: How many months back a child counts as recently audited, unless the rule says otherwise.
DEFAULT_NOT_AUDITED_WITHIN = 12
_NO_TEAM = "no team recorded"
_UNALLOCATED = "unallocated"
_COUNCIL = "the council"


# ----------------------------------------------------------------------------------------- the rule


@dataclass(frozen=True)
class Theme:
    """A themed cohort drawn from what the data and the automated results show, over the last ``months``.

    ``overdue``: children with an occurrence of a standard (``subject``, its full id) that was overdue on some
    day of the window: due on or before the as-at date, with status overdue or met late, and not done until
    after the window began. ``ended``: children an episode of the source ``subject`` (``cp_plan``, ``cin_plan``,
    ``period_of_care``...) ended for within the window. ``closure``: children whose referral closed in it.
    The window is the ``months`` calendar months up to and including the as-at date.
    """

    kind: ThemeKind
    months: int
    subject: str | None = None

    @classmethod
    def parse(cls, text: str) -> Theme:
        """Read ``overdue:STANDARD:3m``, ``ended:cp_plan:1m`` or ``closure:1m``."""
        parts = text.strip().split(":")
        kind, rest = parts[0].lower(), parts[1:]
        shapes = {"overdue": 2, "ended": 2, "closure": 1}
        if kind not in shapes or len(rest) != shapes[kind]:
            raise CasewatchError(f"'{text}' is not a theme; write overdue:STANDARD:3m, ended:cp_plan:1m or closure:1m")
        months = _months(rest[-1], text)
        theme = cls(kind, months, rest[0] if shapes[kind] == 2 else None)  # type: ignore[arg-type]
        theme.check()
        return theme

    def check(self) -> None:
        if self.months < 1:
            raise CasewatchError(f"the theme '{self.text()}' needs a window of at least one month")
        if self.kind == "ended":
            source = load_sources().get(self.subject or "")
            if source is None or source.kind != "episode" or "child" not in source.subjects:
                episodes = sorted(n for n, s in load_sources().items() if s.kind == "episode" and "child" in s.subjects)
                raise CasewatchError(
                    f"'{self.subject}' is not an episode of a child's case; ended: takes one of {', '.join(episodes)}"
                )

    def text(self) -> str:
        """The theme as it is written on the command line and kept in the store."""
        middle = f":{self.subject}" if self.subject is not None else ""
        return f"{self.kind}{middle}:{self.months}m"

    def window(self) -> str:
        return f"in the last {_plural(self.months, 'month')}"

    def describe(self) -> str:
        window = self.window()
        if self.kind == "overdue":
            return f"children with an occurrence of {self.subject} overdue {window}"
        if self.kind == "ended":
            return f"children whose {load_sources()[self.subject or ''].title} ended {window}"
        return f"children whose referral closed {window}"

    def window_start(self, as_at: date) -> date:
        """The last day before the window: the window is the days after this, up to and including ``as_at``."""
        start: date = as_at - relativedelta(months=self.months)
        return start


@dataclass(frozen=True)
class SampleRule:
    """How a sample is drawn: how many per team or worker, quotas by stage, themes and exclusions.

    ``n`` children are drawn per group (``per``: each team, each worker, or the council as one group); each
    stage quota draws that many children of the stage per group first, and with ``n`` as well the group is
    topped up to ``n`` at random from its other children (quotas alone are never topped up from other stages: a
    CP quota the team cannot fill is a shortfall, not a CIN file in its place). With themes and neither
    ``n`` nor quotas, every child the themes name is taken (a closure audit of every closure). Children audited
    in the ``not_audited_within`` months before the as-at date are left out (0: none are).
    """

    per: Per = "team"
    n: int = 0
    quotas: tuple[tuple[str, int], ...] = ()
    themes: tuple[Theme, ...] = ()
    not_audited_within: int = DEFAULT_NOT_AUDITED_WITHIN

    def __post_init__(self) -> None:
        if self.per not in PER:
            raise CasewatchError(f"'{self.per}' is not a way to group a sample; use one of {', '.join(PER)}")
        if self.n < 0 or self.not_audited_within < 0:
            raise CasewatchError("a sample size and the months since the last audit cannot be negative")
        object.__setattr__(self, "quotas", tuple((stage_named(s).id, c) for s, c in self.quotas))
        for stage, count in self.quotas:
            if count < 1:
                raise CasewatchError(f"the quota for {stage} must be at least 1")
        if len({s for s, _ in self.quotas}) != len(self.quotas):
            raise CasewatchError("a stage is given two quotas")
        if self.n == 0 and not self.quotas and not self.themes:
            raise CasewatchError(
                "say how many children to draw (a number per group, or quotas by stage), or give a theme"
            )
        for theme in self.themes:
            theme.check()

    @property
    def takes_all(self) -> bool:
        """Every child of the cohort is taken (themes, and no number or quota)."""
        return self.n == 0 and not self.quotas

    def group_words(self) -> str:
        return {"team": "per team", "worker": "per worker", "council": "across the council"}[self.per]

    def describe(self) -> str:
        """The rule as one sentence, printed with the sample and kept with it."""
        if self.takes_all:
            drawn = "every child"
        else:
            quotas = " and ".join(stage_named(stage).count(count) for stage, count in self.quotas)
            if self.n and quotas:
                drawn = f"{self.n} at random {self.group_words()}, including at least {quotas}"
            elif self.n:
                drawn = f"{self.n} at random {self.group_words()}"
            else:
                drawn = f"{quotas} at random {self.group_words()}"
        cohort = " or ".join(t.describe() for t in self.themes) if self.themes else "children with an open case"
        left_out = (
            f", leaving out children audited in the last {_plural(self.not_audited_within, 'month')}"
            if self.not_audited_within
            else ""
        )
        return f"{drawn}{',' if self.n and self.quotas else ''} from {cohort}{left_out}"

    def to_json(self) -> str:
        return json.dumps(
            {
                "per": self.per,
                "n": self.n,
                "quotas": [[s, c] for s, c in self.quotas],
                "themes": [t.text() for t in self.themes],
                "not_audited_within": self.not_audited_within,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> SampleRule:
        raw: dict[str, Any] = json.loads(text)
        return cls(
            per=raw["per"],
            n=int(raw["n"]),
            quotas=tuple((str(s), int(c)) for s, c in raw["quotas"]),
            themes=tuple(Theme.parse(t) for t in raw["themes"]),
            not_audited_within=int(raw["not_audited_within"]),
        )


def parse_quota(text: str) -> tuple[str, int]:
    """``CP=3`` as (stage, count)."""
    stage, sep, count = text.partition("=")
    if not sep or not count.strip().isdigit():
        raise CasewatchError(f"'{text}' is not a stage quota; write STAGE=N, e.g. CP=3")
    return stage_named(stage).id, int(count)


# ----------------------------------------------------------------------------------------- the sample


@dataclass(frozen=True)
class PriorAudit:
    """A child audited before (today: drawn into an earlier sample), for leaving recent ones out."""

    person_id: str
    audited_on: date
    programme: str


@dataclass(frozen=True)
class Member:
    """A child drawn into a sample, with the worker, team and manager on ``held_on`` and why.

    ``held_on`` is the sample's date, or for a child whose case had closed by then, the day of the event that
    put them in the theme (their closure, the end of their plan): the stage and holder are those of that day.
    """

    person_id: str
    group: str
    stage: str | None
    worker_id: str | None
    team_id: str | None
    manager_id: str | None
    reason: str
    held_on: date


@dataclass(frozen=True)
class Shortfall:
    """A quota (``stage``) or a group's total (``stage`` None) the eligible children could not fill."""

    group: str
    stage: str | None
    wanted: int
    drawn: int

    def sentence(self) -> str:
        what = stage_named(self.stage).children if self.stage else "children"
        return f"{self.group}: {self.drawn} of the {self.wanted} {what} wanted (only {self.drawn} eligible)"


@dataclass(frozen=True)
class Exclusion:
    """A child of the cohort left out of the draw, and why."""

    person_id: str
    reason: str


@dataclass(frozen=True)
class Sample:
    """The children a rule drew, with the rule, the seed and everything it could not do."""

    rule: SampleRule
    seed: int
    as_at: date
    cohort: int  # children in the cohort before exclusions
    members: tuple[Member, ...]
    shortfalls: tuple[Shortfall, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()

    def table(self) -> pa.Table:
        """One row per child drawn, in draw order within each group."""
        rows = self.members
        return pa.table(
            {
                "person_id": [m.person_id for m in rows],
                "group": [m.group for m in rows],
                "stage": [m.stage for m in rows],
                "worker_id": [m.worker_id for m in rows],
                "team_id": [m.team_id for m in rows],
                "manager_id": [m.manager_id for m in rows],
                "held_on": pa.array([m.held_on for m in rows], pa.date32()),
                "reason": [m.reason for m in rows],
            }
        )

    def rule_table(self) -> pa.Table:
        """The rule, seed and what the draw could not do, for the sheet beside the sample."""
        items = [
            ("rule", self.rule.describe()),
            ("rule (stored)", self.rule.to_json()),
            ("as_at", self.as_at.isoformat()),
            ("seed", str(self.seed)),
            ("cohort", f"{self.cohort} children before exclusions"),
            ("drawn", f"{len(self.members)} children"),
            *(("shortfall", s.sentence()) for s in self.shortfalls),
            *(("left out", f"{count} children: {reason}") for reason, count in self.exclusion_counts().items()),
        ]
        return pa.table({"item": [a for a, _ in items], "text": [b for _, b in items]})

    def exclusion_counts(self) -> dict[str, int]:
        """How many children each kind of exclusion left out (the reason without the child's own details)."""
        counts: dict[str, int] = {}
        for exclusion in self.exclusions:
            kind = exclusion.reason.split(" (", 1)[0]
            counts[kind] = counts.get(kind, 0) + 1
        return counts


@dataclass(frozen=True)
class _Candidate:
    person_id: str
    ref_date: date
    stage: str | None
    worker_id: str | None
    team_id: str | None
    themes: tuple[str, ...]


def draw_sample(
    data: CaseData,
    as_at: date,
    rule: SampleRule,
    seed: int,
    *,
    results: Results | None = None,
    prior: Iterable[PriorAudit] = (),
    excluded: Mapping[str, str] | None = None,
) -> Sample:
    """Draw the sample ``rule`` describes from ``data`` as at ``as_at``.

    ``results`` are the automated results an ``overdue`` theme reads (evaluated as at the same date); ``prior``
    the children audited before; ``excluded`` children the QA lead leaves out, each with the reason (restricted
    records: the data contract has no flag for them, so the council lists them).
    """
    candidates = _candidates(data, as_at, rule, results)
    managers = _line_managers(data)
    leave_out = _exclusions(candidates, as_at, rule, prior, excluded or {})
    by_group: dict[str, list[_Candidate]] = {}
    for child in candidates:
        by_group.setdefault(_group(rule.per, child), []).append(child)
    members: list[Member] = []
    shortfalls: list[Shortfall] = []
    for group in sorted(by_group):
        eligible = sorted(
            (c for c in by_group[group] if c.person_id not in leave_out), key=lambda c: draw_order(seed, c.person_id)
        )
        drawn, short = _draw_group(group, eligible, rule)
        shortfalls += short
        members += [
            Member(
                person_id=c.person_id,
                group=group,
                stage=c.stage,
                worker_id=c.worker_id,
                team_id=c.team_id,
                manager_id=managers.get(c.worker_id) if c.worker_id else None,
                reason="; ".join([*c.themes, why]),
                held_on=c.ref_date,
            )
            for c, why in drawn
        ]
    return Sample(
        rule=rule,
        seed=seed,
        as_at=as_at,
        cohort=len(candidates),
        members=tuple(members),
        shortfalls=tuple(shortfalls),
        exclusions=tuple(Exclusion(p, r) for p, r in sorted(leave_out.items())),
    )


def draw_order(seed: int, person_id: str) -> bytes:
    """Where a child falls in the random order of a draw: fixed by the seed and the child's id alone."""
    return hashlib.sha256(f"{seed}:{person_id}".encode()).digest()


def _group(per: Per, child: _Candidate) -> str:
    if per == "team":
        return f"team {child.team_id}" if child.team_id else _NO_TEAM
    if per == "worker":
        return f"worker {child.worker_id}" if child.worker_id else _UNALLOCATED
    return _COUNCIL


def _draw_group(
    group: str, eligible: list[_Candidate], rule: SampleRule
) -> tuple[list[tuple[_Candidate, str]], list[Shortfall]]:
    """The group's children in draw order, each with why, and the quotas it could not fill."""
    if rule.takes_all:
        return [(c, "every child the theme names is audited") for c in eligible], []
    taken: list[tuple[_Candidate, str]] = []
    chosen: set[str] = set()
    short: list[Shortfall] = []
    for stage_id, count in rule.quotas:
        stage = stage_named(stage_id)
        pool = [c for c in eligible if c.stage == stage.id and c.person_id not in chosen]
        picked = pool[:count]
        why = f"{group}: drawn at random for the {stage.label} quota of {count}, from {len(pool)} eligible"
        taken += [(c, why) for c in picked]
        chosen |= {c.person_id for c in picked}
        if len(picked) < count:
            short.append(Shortfall(group, stage.id, count, len(picked)))
    rest = [c for c in eligible if c.person_id not in chosen]
    extra = rest[: max(0, rule.n - len(taken))]
    why = f"{group}: drawn at random from {len(rest)} {'other ' if rule.quotas else ''}eligible children"
    taken += [(c, why) for c in extra]
    if len(taken) < rule.n:
        short.append(Shortfall(group, None, rule.n, len(taken)))
    return taken, short


def _exclusions(
    candidates: list[_Candidate],
    as_at: date,
    rule: SampleRule,
    prior: Iterable[PriorAudit],
    excluded: Mapping[str, str],
) -> dict[str, str]:
    """The cohort's children left out of the draw, each with the reason."""
    cohort = {c.person_id for c in candidates}
    out: dict[str, str] = {}
    for person, reason in excluded.items():
        if person in cohort:
            out[person] = f"listed as excluded ({reason})"
    if rule.not_audited_within:
        since: date = as_at - relativedelta(months=rule.not_audited_within)
        latest: dict[str, PriorAudit] = {}
        for audit in prior:
            recent = audit.person_id in cohort and since < audit.audited_on <= as_at
            if recent and (audit.person_id not in latest or audit.audited_on > latest[audit.person_id].audited_on):
                latest[audit.person_id] = audit
        for person, audit in latest.items():
            out.setdefault(
                person,
                f"audited in the last {_plural(rule.not_audited_within, 'month')} "
                f"({audit.programme}, {audit.audited_on.isoformat()})",
            )
    return out


# ----------------------------------------------------------------------------------------- the cohort, in SQL


def _candidates(data: CaseData, as_at: date, rule: SampleRule, results: Results | None) -> list[_Candidate]:
    """Every child of the cohort with the date they are attributed on, their stage then, and their holder."""
    if rule.themes:
        hits = _theme_hits(data, as_at, rule.themes, results)
    else:
        hits = {str(r[0]): (as_at, []) for r in data.con.execute(_people_sql(data)).fetchall()}
    on_day = _stages(data, {p: as_at for p in hits})
    if not rule.themes:
        hits = {p: hit for p, hit in hits.items() if on_day.get(p)}
    # A child whose case is no longer open on the as-at date is taken as at the event that put them in the theme.
    ref = {p: as_at if on_day.get(p) else hits[p][0] for p in hits}
    stage = {**{p: on_day.get(p) for p in ref}, **_stages(data, {p: d for p, d in ref.items() if d != as_at})}
    held = _holders(data, ref)
    return [_Candidate(p, ref[p], stage.get(p), *held.get(p, (None, None)), tuple(hits[p][1])) for p in sorted(ref)]


def _people_sql(data: CaseData) -> str:
    """Every child any stage's episodes name (the cohort is those with a stage on the date)."""
    sources = load_sources()
    parts = [
        f"SELECT {sources[name].subjects['child']} AS person_id FROM {sources[name].table}"
        for stage in STAGES
        for name in stage.sources
        if data.has(sources[name].table)
    ]
    if not parts:
        raise CasewatchError(
            "the data has none of the tables that show a child's service stage "
            "(referrals, CIN plans, CP plans, care episodes, care-leaver episodes)"
        )
    return f"SELECT DISTINCT person_id FROM ({' UNION '.join(parts)}) WHERE person_id IS NOT NULL"


def _register(data: CaseData, name: str, dates: Mapping[str, date]) -> None:
    table = pa.table(
        {"person_id": pa.array(list(dates), pa.string()), "ref_date": pa.array(list(dates.values()), pa.date32())}
    )
    data.con.register(name, table)


def _stages(data: CaseData, dates: Mapping[str, date]) -> dict[str, str | None]:
    if not dates:
        return {}
    name = "__cw_qa_pairs"
    _register(data, name, dates)
    try:
        rows = data.con.execute(stage_sql(name, data.has)).fetchall()
    finally:
        data.con.unregister(name)
    return {str(p): s for p, _, s in rows}


def _holders(data: CaseData, dates: Mapping[str, date]) -> dict[str, tuple[str | None, str | None]]:
    """Who held each child on its date, by the one attribution rule."""
    has_allocations, has_referrals = data.has(ALLOCATIONS), data.has(REFERRALS)
    if not dates or not (has_allocations or has_referrals):
        return {}
    import sqlglot

    con = data.con
    ordered = ordered_allocations(
        data.config.allocated_worker_roles, allocations=has_allocations, referrals=has_referrals
    ).sql(dialect="duckdb")
    con.execute(f"CREATE OR REPLACE TEMP TABLE __cw_qa_allocations AS {ordered}")
    _register(data, "__cw_qa_pairs", dates)
    try:
        pairs = sqlglot.parse_one("SELECT person_id, ref_date FROM __cw_qa_pairs", read="duckdb")
        assert isinstance(pairs, sqlglot.exp.Query)
        held = holders(pairs, "__cw_qa_allocations", has_departments=data.has(PROFESSIONALS)).sql(dialect="duckdb")
        rows = con.execute(f"SELECT person_id, worker_id, team_id FROM ({held})").fetchall()
    finally:
        con.unregister("__cw_qa_pairs")
        con.execute("DROP TABLE IF EXISTS __cw_qa_allocations")
    return {str(p): (w, t) for p, w, t in rows}


def _line_managers(data: CaseData) -> dict[str, str]:
    """Each worker's line manager (``ext_worker_profile``; the contract keeps the current one, no history)."""
    if not data.has("ext_worker_profile"):
        return {}
    rows = data.con.execute(
        "SELECT wprf_professional_id, wprf_line_manager_id FROM ext_worker_profile "
        "WHERE wprf_line_manager_id IS NOT NULL"
    ).fetchall()
    return {str(w): str(m) for w, m in rows}


def _theme_hits(
    data: CaseData, as_at: date, themes: Iterable[Theme], results: Results | None
) -> dict[str, tuple[date, list[str]]]:
    """Each child some theme names: the latest date of the events that put them there, and one reason per theme."""
    out: dict[str, tuple[date, list[str]]] = {}
    for theme in themes:
        for person, day, reason in _theme_rows(data, as_at, theme, results):
            latest, reasons = out.get(person, (day, []))
            out[person] = (max(latest, day), [*reasons, reason])
    return out


def _theme_rows(data: CaseData, as_at: date, theme: Theme, results: Results | None) -> list[tuple[str, date, str]]:
    start, end = theme.window_start(as_at).isoformat(), as_at.isoformat()
    if theme.kind == "overdue":
        rows = _overdue_rows(data, as_at, theme, results)
        return [
            (str(p), d, f"{_plural(n, 'occurrence')} of {theme.subject} overdue {theme.window()} (latest due {d})")
            for p, d, n in rows
        ]
    source = load_sources()["referral" if theme.kind == "closure" else theme.subject or ""]
    if not data.has(source.table):
        raise CasewatchError(f"the theme '{theme.text()}' reads {source.table}, which the data does not have")
    subject = source.subjects["child"]
    episodes = (
        f"SELECT {subject} AS person_id, CASE WHEN COUNT(*) = COUNT({source.end}) THEN MAX(CAST({source.end} AS DATE)) "
        f"END AS end_d FROM {source.table} GROUP BY {subject}, {source.group_by}"
        if source.group_by
        else f"SELECT {subject} AS person_id, CAST({source.end} AS DATE) AS end_d FROM {source.table}"
    )
    ended = data.con.execute(
        f"SELECT person_id, MAX(end_d) FROM ({episodes}) WHERE person_id IS NOT NULL "
        f"AND end_d > DATE '{start}' AND end_d <= DATE '{end}' GROUP BY person_id"
    ).fetchall()
    verb = "closed" if theme.kind == "closure" else "ended"
    return [(str(p), d, f"{source.title} {verb} on {d}") for p, d in ended]


def _overdue_rows(data: CaseData, as_at: date, theme: Theme, results: Results | None) -> list[tuple[str, date, int]]:
    standard = theme.subject or ""
    if results is None or standard not in {s.id for s in results.standards}:
        raise CasewatchError(f"the theme '{theme.text()}' needs the results of {standard}; evaluate it first")
    if standard in results.not_evaluated:
        raise CasewatchError(
            f"the theme '{theme.text()}' cannot be drawn: {standard} was not evaluated "
            f"({results.not_evaluated[standard]})"
        )
    if results.as_at is not None and results.as_at != as_at:
        raise CasewatchError(
            f"the results were evaluated as at {results.as_at}, not the sample's date {as_at}; evaluate again"
        )
    wanted = pc.and_(
        pc.equal(results.instances["standard_id"], standard), pc.equal(results.instances["subject_type"], "child")
    )
    chosen = results.instances.filter(wanted).select(["subject_id", "due_date", "completed_date", "status"])
    data.con.register("__cw_qa_instances", chosen)
    statuses = ", ".join(f"'{s}'" for s in OVERDUE_STATUSES)
    start = theme.window_start(as_at).isoformat()
    try:
        rows = data.con.execute(
            "SELECT subject_id, MAX(due_date), COUNT(*) FROM __cw_qa_instances "
            f"WHERE status IN ({statuses}) AND due_date <= DATE '{as_at.isoformat()}' "
            f"AND (completed_date IS NULL OR completed_date > GREATEST(due_date, DATE '{start}')) "
            "GROUP BY subject_id"
        ).fetchall()
    finally:
        data.con.unregister("__cw_qa_instances")
    return [(str(p), d, int(n)) for p, d, n in rows]


# ----------------------------------------------------------------------------------------- words


def _months(text: str, whole: str) -> int:
    match = re.fullmatch(r"\s*(\d+)\s*(?:m|months?)\s*", text.lower())
    if match is None:
        raise CasewatchError(f"'{whole}' needs its window in months, e.g. 3m")
    return int(match.group(1))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


__all__ = [
    "DEFAULT_NOT_AUDITED_WITHIN",
    "OVERDUE_STATUSES",
    "PER",
    "Exclusion",
    "Member",
    "PriorAudit",
    "Sample",
    "SampleRule",
    "Shortfall",
    "Theme",
    "draw_order",
    "draw_sample",
    "parse_quota",
]
