"""Who held a child on a date: the one attribution rule, for every page, export and result.

The rule (docs/data-contract.md, "Who held the child on a date"):

* A **case-holding allocation** is an ``ssd_involvements`` row whose role is one of the data config's
  ``allocated_worker_roles`` (compared ignoring case and spaces, ``vocabulary.fold``) and which has a start date.
* It **covers** a date D when it started on or before D and has not ended before D: the end date is the last
  day the worker held the case, so on the day one allocation ends and the next begins both cover it.
* When several cover D, the **latest started** holds the child (so on a handover day the new worker does);
  equal start dates go to the larger involvement id, then the larger worker, team and end date, so every engine
  picks the same one.
* The **team** is the allocation's own team, or when it records none, the worker's department in
  ``ssd_professionals`` (the smallest, if a worker has several rows).
* A child **nobody holds** on D but whose referral (``ssd_cin_episodes``) is open on D is unallocated work of
  the referral's team: no worker, the team of the latest-started open referral (ties as above). An open
  referral covers D the way an allocation does: its close date is its last day.
* A result is attributed on its **reference date**: its due date, or the as-at date when that is earlier or the
  instance has no due date. An occurrence not yet due is the current holder's to do; a late one stays with
  whoever held the child when it fell due.

It is written twice on purpose, in two forms that the tests hold against each other: as SQLGlot expressions
for set-based engines (the engine's results, the web app's caseloads) and as plain Python for one child at a
time (the reference evaluator, the returns' exporters). The property tests in tests/test_differential.py check
that the two agree, including on the days allocations change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import sqlglot
from sqlglot import exp

from casewatch.data.normalise import fold_expression, fold_sql
from casewatch.data.vocabulary import fold

ALLOCATIONS = "ssd_involvements"
PROFESSIONALS = "ssd_professionals"
REFERRALS = "ssd_cin_episodes"
TEAM_HISTORY = "ext_worker_team_history"
DEPARTMENTS = "ssd_department"


# ----------------------------------------------------------------------------------------- one child at a time


@dataclass(frozen=True)
class Allocation:
    """One case-holding allocation of a child to a worker."""

    person_id: str
    worker_id: str | None
    team_id: str | None
    start: date
    end: date | None = None
    allocation_id: str | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def precedence(self) -> tuple[object, ...]:
        """The order in which covering allocations lose to each other (the last one holds the child).

        Nulls sort first, as ``NULLS FIRST`` does in the SQL form.
        """
        return (
            self.start,
            *((value is not None, value or "") for value in (self.allocation_id, self.worker_id, self.team_id)),
            (self.end is not None, self.end or date.min),
        )


@dataclass(frozen=True)
class Holder:
    """The worker and team responsible for a child on a date (both None when nobody held the child)."""

    worker_id: str | None
    team_id: str | None


NOBODY = Holder(None, None)


def holder_on(
    allocations: Iterable[Allocation],
    day: date,
    departments: Mapping[str, str] | None = None,
    referrals: Iterable[Allocation] = (),
) -> Holder:
    """Who held the child on ``day``, given that child's case-holding allocations and referrals (see
    :func:`open_referrals`): a covering allocation first, else the team of an open referral."""
    covering = [a for a in allocations if a.covers(day)]
    if not covering:
        waiting = [r for r in referrals if r.covers(day)]
        return Holder(None, max(waiting, key=Allocation.precedence).team_id) if waiting else NOBODY
    chosen = max(covering, key=Allocation.precedence)
    team = chosen.team_id
    if team is None and chosen.worker_id is not None and departments:
        team = departments.get(chosen.worker_id)
    return Holder(chosen.worker_id, team)


def reference_date(due: date | None, as_at: date) -> date:
    """The date a result is attributed on: its due date, or the as-at date if that is earlier or there is none."""
    return as_at if due is None or due > as_at else due


def worker_departments(professionals: Iterable[Mapping[str, object]]) -> dict[str, str]:
    """Each worker's department from ``ssd_professionals`` rows (the smallest when there are several)."""
    out: dict[str, str] = {}
    for row in professionals:
        worker, department = row.get("prof_professional_id"), row.get("prof_professional_department")
        if worker is None or department is None:
            continue
        key, value = str(worker), str(department)
        if key not in out or value < out[key]:
            out[key] = value
    return out


def case_holding(involvements: Iterable[Mapping[str, object]], roles: Sequence[str]) -> dict[str, list[Allocation]]:
    """Each child's case-holding allocations from ``ssd_involvements`` rows (dates already parsed)."""
    wanted = {fold(r) for r in roles}
    out: dict[str, list[Allocation]] = {}
    for row in involvements:
        start, person, role = (
            _day(row.get("invo_involvement_start_date")),
            row.get("invo_person_id"),
            row.get("invo_professional_role_id"),
        )
        if role is None or fold(str(role)) not in wanted or start is None or person is None:
            continue
        end = _day(row.get("invo_involvement_end_date"))
        out.setdefault(str(person), []).append(
            Allocation(
                person_id=str(person),
                worker_id=_text(row.get("invo_professional_id")),
                team_id=_text(row.get("invo_professional_team")),
                start=start,
                end=end,
                allocation_id=_text(row.get("invo_involvements_id")),
            )
        )
    return out


def open_referrals(cin_episodes: Iterable[Mapping[str, object]]) -> dict[str, list[Allocation]]:
    """Each child's referrals from ``ssd_cin_episodes`` rows (dates already parsed), as team-only holdings."""
    out: dict[str, list[Allocation]] = {}
    for row in cin_episodes:
        start, person = _day(row.get("cine_referral_date")), row.get("cine_person_id")
        if start is None or person is None:
            continue
        end = _day(row.get("cine_close_date"))
        out.setdefault(str(person), []).append(
            Allocation(
                person_id=str(person),
                worker_id=None,
                team_id=_text(row.get("cine_referral_team")),
                start=start,
                end=end,
                allocation_id=_text(row.get("cine_referral_id")),
            )
        )
    return out


def _day(value: object) -> date | None:
    """A parsed date or date-time as the day it falls on (the SQL form casts to DATE); None for anything else."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


# ----------------------------------------------------------------------------------------- set-based


@lru_cache(maxsize=256)
def _template(text: str) -> exp.Expr:
    return sqlglot.parse_one(text, read="duckdb")


def _filled(text: str, **subs: exp.Expr) -> exp.Query:
    tree = exp.replace_placeholders(_template(text), **subs)
    assert isinstance(tree, exp.Query), text
    return tree


def ordered_allocations(roles: Sequence[str], *, allocations: bool = True, referrals: bool = False) -> exp.Query:
    """Every case-holding allocation (and, with ``referrals``, every referral as a team-only holding) with its
    precedence among the child's holdings (``alloc_order``): any allocation above any referral, then by start.

    Columns: person_id, worker, team, start_d, end_d, alloc_id, tier, alloc_order. Numbering once per evaluation
    lets each standard pick a child's holder with a plain MAX instead of ranking candidates per instance.
    ``allocations`` / ``referrals``: whether ``ssd_involvements`` / ``ssd_cin_episodes`` are there to read.
    """
    parts = []
    if allocations:
        parts.append(
            "SELECT invo_person_id AS person_id, invo_professional_id AS worker, invo_professional_team AS team, "
            "CAST(invo_involvement_start_date AS DATE) AS start_d, CAST(invo_involvement_end_date AS DATE) AS end_d, "
            f"invo_involvements_id AS alloc_id, 1 AS tier FROM {ALLOCATIONS} WHERE :role IN :roles"
        )
    if referrals:
        parts.append(
            "SELECT cine_person_id AS person_id, CAST(NULL AS VARCHAR) AS worker, cine_referral_team AS team, "
            "CAST(cine_referral_date AS DATE) AS start_d, CAST(cine_close_date AS DATE) AS end_d, "
            f"cine_referral_id AS alloc_id, 0 AS tier FROM {REFERRALS}"
        )
    if not parts:
        raise ValueError("attribution needs ssd_involvements or ssd_cin_episodes")
    role_list = exp.Tuple(expressions=[exp.Literal.string(r) for r in sorted({fold(r) for r in roles})] or [exp.Null()])
    return _filled(
        "SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.person_id ORDER BY a.tier ASC, a.start_d ASC, "
        "a.alloc_id ASC NULLS FIRST, a.worker ASC NULLS FIRST, a.team ASC NULLS FIRST, "
        f"a.end_d ASC NULLS FIRST) AS alloc_order FROM ({' UNION ALL '.join(parts)}) AS a WHERE a.start_d IS NOT NULL",
        roles=role_list,
        role=fold_expression(exp.column("invo_professional_role_id")),
    )


def holders(pairs: exp.Query, allocations: str, *, has_departments: bool) -> exp.Query:
    """The holder of each (person_id, ref_date) pair of ``pairs``.

    Columns: person_id, ref_date, worker_id, team_id, held_since (the start of the holding allocation).

    ``allocations`` names a table made from ``ordered_allocations``. Pairs nobody held are left out (join them
    with a LEFT JOIN). ``has_departments``: whether ``ssd_professionals`` is there for the team fallback.
    """
    team = "COALESCE(o.team, pr.department)" if has_departments else "o.team"
    departments = (
        "LEFT JOIN (SELECT p.prof_professional_id AS worker, MIN(p.prof_professional_department) AS department "
        f"FROM {PROFESSIONALS} AS p GROUP BY p.prof_professional_id) AS pr ON pr.worker = o.worker"
        if has_departments
        else ""
    )
    return _filled(
        f"SELECT b.person_id, b.ref_date, o.worker AS worker_id, {team} AS team_id, o.start_d AS held_since FROM "
        "(SELECT t.person_id, t.ref_date, MAX(o.alloc_order) AS alloc_order FROM :pairs AS t "
        f"JOIN {allocations} AS o ON o.person_id = t.person_id AND o.start_d <= t.ref_date "
        "AND (o.end_d IS NULL OR o.end_d >= t.ref_date) GROUP BY t.person_id, t.ref_date) AS b "
        f"JOIN {allocations} AS o ON o.person_id = b.person_id AND o.alloc_order = b.alloc_order {departments}",
        pairs=exp.Subquery(this=pairs),
    )


def worker_teams(day: date, *, history: bool = True, departments: bool = False) -> exp.Query:
    """Each worker's own team on ``day``: the latest-started ``ext_worker_team_history`` row covering it.

    Columns: worker_id, team_id. This is the team a worker belongs to, which can differ from the team of a child
    they hold (the allocation's team): the web app lists workers under it, and the case-file audit uses it to
    keep an auditor out of the child's own team. A history row's end date is its last day, as an allocation's is.

    ``history``: whether ``ext_worker_team_history`` is there to read. With ``departments`` (``ssd_professionals``
    and ``ssd_department`` are both there), a worker the history does not place is in their
    ``prof_professional_department``, read as a team id or, failing that, a team name (compared ignoring case
    and spaces), the smallest team id when several match; SSD extracts usually hold the name there.
    """
    day_sql = exp.Cast(this=exp.Literal.string(day.isoformat()), to=exp.DataType.build("DATE"))
    placed = (
        "SELECT wtmh_professional_id AS worker_id, arg_max(wtmh_team_id, wtmh_start_date) AS team_id "
        f"FROM {TEAM_HISTORY} WHERE CAST(wtmh_start_date AS DATE) <= :day "
        "AND (wtmh_end_date IS NULL OR CAST(wtmh_end_date AS DATE) >= :day) GROUP BY wtmh_professional_id"
        if history
        else "SELECT CAST(NULL AS VARCHAR) AS worker_id, CAST(NULL AS VARCHAR) AS team_id WHERE FALSE"
    )
    if not departments:
        return _filled(placed, day=day_sql)
    by_name = f"{fold_sql('d.dept_team_name')} = {fold_sql('p.prof_professional_department')}"
    return _filled(
        f"WITH placed AS ({placed}) SELECT worker_id, team_id FROM placed UNION ALL "
        "SELECT p.prof_professional_id AS worker_id, "
        "COALESCE(MIN(CASE WHEN d.dept_team_id = p.prof_professional_department THEN d.dept_team_id END), "
        "MIN(d.dept_team_id)) AS team_id "
        f"FROM {PROFESSIONALS} AS p JOIN {DEPARTMENTS} AS d ON d.dept_team_id = p.prof_professional_department "
        f"OR {by_name} WHERE p.prof_professional_id NOT IN (SELECT worker_id FROM placed) "
        "GROUP BY p.prof_professional_id",
        day=day_sql,
    )


def reference_date_sql(due: exp.Expr, as_at: exp.Expr) -> exp.Expr:
    """``reference_date`` as an expression."""
    return exp.Least(this=exp.Coalesce(this=due, expressions=[as_at]), expressions=[as_at])


__all__ = [
    "ALLOCATIONS",
    "DEPARTMENTS",
    "NOBODY",
    "PROFESSIONALS",
    "REFERRALS",
    "TEAM_HISTORY",
    "Allocation",
    "Holder",
    "case_holding",
    "holder_on",
    "holders",
    "open_referrals",
    "ordered_allocations",
    "reference_date",
    "reference_date_sql",
    "worker_departments",
    "worker_teams",
]
