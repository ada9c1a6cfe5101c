"""What each page shows, read from the store and limited to what the signed-in person may see.

Who may see a child is decided in one place, :func:`open_case_scope`: a social worker sees the children whose
open case is allocated to them, a team manager the children whose open case sits with their team (allocated or
not), QA and heads of service everyone. :func:`child_scope` applies it to instances. Every query that returns
child-level rows goes through one of the two, even when the route has already checked the worker or team asked
for: a worker in a manager's team may also hold a case in another team, and that child is not the manager's.

Two attributions are used, on purpose. Caseload and team pages ask "who holds this child now", so they group by
the current allocation (``cw_open_cases``). The standard page asks "how did a team perform", so its filters use
the worker and team the engine found responsible at each due date.

Every compliance figure is over a reporting period (``casewatch.results.periods``, compliance now unless the page
is asked for another): :func:`due_in` is the store's form of its rule, so a page's figure is the API's.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, and_, case, false, func, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from casewatch.results import Compliance, Period, Status, attention_of, compliance
from casewatch.web import store
from casewatch.web.auth import SEES_EVERYONE, User
from casewatch.web.tables import USUAL_ORDER, Sort

OUTSTANDING = tuple(s.value for s in Status.outstanding())
STATUS_ORDER = {s.value: s.attention for s in Status}
STATUS_LABELS = {s.value: s.label for s in Status}
i, oc, ch = store.instances, store.open_cases, store.children


@dataclass(frozen=True)
class LoadInfo:
    pack: str
    pack_title: str
    as_at: date
    source: str
    loaded_at: str
    #: What every page says about the data beside its figures (``Results.data_notes``: the history window).
    data_notes: tuple[str, ...] = ()


def load_info(engine: Engine) -> LoadInfo | None:
    with engine.connect() as conn:
        facts = dict(conn.execute(select(store.meta.c.key, store.meta.c.value)).all())
    if "as_at" not in facts:
        return None
    return LoadInfo(
        facts["pack"],
        facts["pack_title"],
        date.fromisoformat(facts["as_at"]),
        facts["source"],
        facts["loaded_at"],
        tuple(json.loads(facts.get("data_notes", "[]"))),
    )


def open_case_scope(user: User) -> ColumnElement[bool]:
    """A condition on ``cw_open_cases`` rows: true for the open cases, and so the children, this user may see."""
    if user.role in SEES_EVERYONE:
        return true()
    if user.role == "social_worker" and user.worker_id:
        return oc.c.worker_id == user.worker_id
    if user.role == "team_manager" and user.team_id:
        return oc.c.team_id == user.team_id
    return false()


def child_scope(user: User) -> ColumnElement[bool]:
    """A condition on ``cw_instances`` rows: true for the instances this user may see."""
    if user.role in SEES_EVERYONE:
        return true()
    held = select(oc.c.person_id).where(open_case_scope(user))
    if user.role == "social_worker" and user.worker_id:
        return or_(i.c.person_id.in_(held), and_(i.c.subject_type == "worker", i.c.subject_id == user.worker_id))
    if user.role == "team_manager" and user.team_id:
        return or_(i.c.person_id.in_(held), and_(i.c.subject_type == "worker", i.c.team_id == user.team_id))
    return false()


def may_see_person(engine: Engine, user: User, person_id: str) -> bool:
    if user.role in SEES_EVERYONE:
        return True
    with engine.connect() as conn:
        found = conn.execute(select(oc.c.id).where(oc.c.person_id == person_id, open_case_scope(user)).limit(1))
        return found.first() is not None


def may_see_team(user: User, team_id: str) -> bool:
    return user.role in SEES_EVERYONE or (user.role == "team_manager" and user.team_id == team_id)


def may_see_worker(engine: Engine, user: User, worker_id: str) -> bool:
    if user.role in SEES_EVERYONE:
        return True
    if user.role == "social_worker":
        return user.worker_id == worker_id
    if user.role == "team_manager" and user.team_id:
        return worker_id in team_worker_ids(engine, user.team_id)
    return False


def team_worker_ids(engine: Engine, team_id: str) -> set[str]:
    """Workers in the team now, and any worker holding one of the team's open cases."""
    w = store.workers
    with engine.connect() as conn:
        members = set(conn.execute(select(w.c.worker_id).where(w.c.team_id == team_id)).scalars())
        holders = conn.execute(select(oc.c.worker_id).where(oc.c.team_id == team_id, oc.c.worker_id.is_not(None)))
        return members | set(holders.scalars())


def team_of_worker(engine: Engine, worker_id: str) -> str | None:
    """The team a worker belongs to now (``cw_workers``), for the way up from their caseload."""
    w = store.workers
    with engine.connect() as conn:
        found = conn.execute(select(w.c.team_id).where(w.c.worker_id == worker_id)).scalar()
    return str(found) if found is not None else None


def child_by_token(engine: Engine, token: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(ch).where(ch.c.token == token)).first()


def tokens_for(engine: Engine, person_ids: set[str]) -> dict[str, str]:
    if not person_ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(select(ch.c.person_id, ch.c.token).where(ch.c.person_id.in_(sorted(person_ids))))
        return dict(rows.all())


def names(engine: Engine) -> tuple[dict[str, str], dict[str, str]]:
    """Worker and team names by id (workers' names are staff data, shown to colleagues)."""
    with engine.connect() as conn:
        workers = dict(conn.execute(select(store.workers.c.worker_id, store.workers.c.name)).all())
        teams = dict(conn.execute(select(store.teams.c.team_id, store.teams.c.name)).all())
    return workers, teams


def caseload(engine: Engine, user: User, worker_id: str, as_at: date, window_days: int) -> dict[str, Any]:
    """A worker's allocated children that ``user`` may see, the next due item per child and standard, and what
    falls due soon."""
    with engine.connect() as conn:
        held = conn.execute(
            select(oc.c.person_id, oc.c.since).where(oc.c.worker_id == worker_id, open_case_scope(user))
        ).all()
        person_ids = {row.person_id for row in held}
        outstanding = conn.execute(
            select(i)
            .where(i.c.person_id.in_(sorted(person_ids)), i.c.status.in_(OUTSTANDING))
            .order_by(i.c.due_date, i.c.standard_id)
        ).all()
    next_due: dict[tuple[str, str], Any] = {}
    for row in sorted(outstanding, key=lambda r: (attention_of(r.status), r.due_date or date.max)):
        next_due.setdefault((row.person_id, row.standard_id), row)
    ordered = sorted(next_due.values(), key=lambda r: (attention_of(r.status), r.due_date or date.max))
    horizon = as_at + timedelta(days=window_days)
    soon = [r for r in outstanding if r.due_date is not None and as_at < r.due_date <= horizon]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"overdue": 0, "due_soon": 0})
    for row in outstanding:
        if row.status in ("overdue", "due_soon"):
            counts[row.person_id][row.status] += 1
    return {"held": held, "next_due": ordered, "soon": soon, "counts": counts, "horizon": horizon}


def team_summary(engine: Engine, team_id: str) -> dict[str, Any]:
    """Overdue and due-soon counts by current worker and by standard, caseloads, and unallocated open cases."""
    with engine.connect() as conn:
        team_cases = conn.execute(select(oc.c.person_id, oc.c.worker_id, oc.c.since).where(oc.c.team_id == team_id))
        cases = team_cases.all()
        holder = {row.person_id: row.worker_id for row in cases}
        rows = conn.execute(
            select(i.c.person_id, i.c.standard_id, i.c.status, func.count())
            .where(i.c.person_id.in_(sorted(holder)), i.c.status.in_(("overdue", "due_soon")))
            .group_by(i.c.person_id, i.c.standard_id, i.c.status)
        ).all()
    by_worker: dict[str, dict[str, int]] = defaultdict(lambda: {"overdue": 0, "due_soon": 0, "caseload": 0})
    by_standard: dict[str, dict[str, int]] = defaultdict(lambda: {"overdue": 0, "due_soon": 0})
    for person_id, standard_id, status, n in rows:
        by_worker[holder[person_id] or ""][status] += n
        by_standard[standard_id][status] += n
    for row in cases:
        by_worker[row.worker_id or ""]["caseload"] += 1
    unallocated = [row for row in cases if row.worker_id is None]
    return {"by_worker": dict(by_worker), "by_standard": dict(by_standard), "unallocated": unallocated}


def work_items(
    engine: Engine,
    user: User,
    *,
    team: str | None = None,
    worker: str | None = None,
    standard: str | None = None,
    statuses: tuple[str, ...] = (),
    limit: int = 1000,
    sort: Sort = USUAL_ORDER,
    offset: int = 0,
) -> tuple[list[Any], int]:
    """The instances behind a team-page number: in scope, filtered by the child's current team and worker."""
    conditions: list[ColumnElement[bool]] = [child_scope(user), i.c.person_id.is_not(None)]
    if team or worker:
        held = select(oc.c.person_id)
        if team:
            held = held.where(oc.c.team_id == team)
        if worker:
            held = held.where(oc.c.worker_id == worker)
        conditions.append(i.c.person_id.in_(held))
    if standard:
        conditions.append(i.c.standard_id == standard)
    if statuses:
        conditions.append(i.c.status.in_(statuses))
    return _limited(engine, conditions, limit, sort, offset)


def standard_instances(
    engine: Engine,
    user: User,
    standard_id: str,
    team: str | None,
    worker: str | None,
    period: Period,
    notes: StandardNotes,
    limit: int = 500,
    sort: Sort = USUAL_ORDER,
    offset: int = 0,
) -> tuple[list[Any], int]:
    """A standard's instances in scope that its figure over ``period`` counts, filtered by the team and worker
    responsible at the due date."""
    conditions = [child_scope(user), i.c.standard_id == standard_id, *_responsible(team, worker)]
    conditions.append(due_in(period, {standard_id: notes}))
    return _limited(engine, conditions, limit, sort, offset)


def due_in(period: Period, notes: dict[str, StandardNotes]) -> ColumnElement[bool]:
    """A condition on ``cw_instances`` rows: true for those a figure over ``period`` counts (the rule of
    ``results.periods``, with the standards the data limits to latest records read from ``notes``)."""
    limited = sorted(standard_id for standard_id, n in notes.items() if n.limited)
    usual = period.dates
    counted: ColumnElement[bool] = i.c.due_date.between(usual.first, usual.last)
    if not limited:
        return counted
    counted = and_(i.c.standard_id.not_in(limited), counted)
    judged = period.due_range(limited=True)
    if judged is None:
        return counted
    return or_(counted, and_(i.c.standard_id.in_(limited), i.c.due_date.between(judged.first, judged.last)))


def _responsible(team: str | None, worker: str | None) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if team:
        out.append(i.c.team_id == team)
    if worker:
        out.append(i.c.worker_id == worker)
    return out


_STATUS_RANK = case(STATUS_ORDER, value=i.c.status, else_=len(Status))

#: The columns an instance table may be sorted by, keyed by the table's column keys: the only way a URL's
#: ``?sort=`` reaches SQL, so user input is looked up here and never written into a query.
INSTANCE_SORTS: dict[str, ColumnElement[Any]] = {
    "child": i.c.person_id,
    "standard": i.c.standard_id,
    "due_date": i.c.due_date,
    "completed_date": i.c.completed_date,
    "status": _STATUS_RANK,
    "days_late": i.c.working_days_late,
    "worker": i.c.worker_id,
}


def _limited(
    engine: Engine,
    conditions: list[ColumnElement[bool]],
    limit: int,
    sort: Sort = USUAL_ORDER,
    offset: int = 0,
) -> tuple[list[Any], int]:
    """One page of the instances meeting ``conditions`` and how many there are; most urgent first unless
    ``sort`` names a column of :data:`INSTANCE_SORTS` (then by it, with the id breaking ties so pages never
    overlap)."""
    if sort.key in INSTANCE_SORTS:
        column = INSTANCE_SORTS[sort.key]
        order = [column.desc() if sort.descending else column.asc(), i.c.id]
    else:
        order = [_STATUS_RANK, i.c.due_date.desc(), i.c.id]
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(i).where(*conditions)).scalar() or 0
        rows = conn.execute(select(i).where(*conditions).order_by(*order).limit(limit).offset(offset)).all()
    return list(rows), int(total)


def status_counts(
    engine: Engine,
    user: User,
    period: Period,
    notes: dict[str, StandardNotes],
    standard_id: str | None = None,
    team: str | None = None,
    worker: str | None = None,
) -> dict[str, dict[str, int]]:
    """Instances due in ``period`` by standard and status, in scope (``team`` and ``worker``: responsible at the
    due date)."""
    conditions = [child_scope(user), *_responsible(team, worker), due_in(period, notes)]
    if standard_id:
        conditions.append(i.c.standard_id == standard_id)
    return _counts_by(engine, i.c.standard_id, conditions)


def _counts_by(engine: Engine, key: Any, conditions: list[Any]) -> dict[str, dict[str, int]]:
    """Instances meeting ``conditions``, counted by ``key`` (a column) and status, in one grouped query."""
    with engine.connect() as conn:
        rows = conn.execute(select(key, i.c.status, func.count()).where(*conditions).group_by(key, i.c.status)).all()
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for value, status, n in rows:
        out[value][status] = int(n)
    return dict(out)


def monthly(
    engine: Engine, user: User, standard_id: str, period: Period, team: str | None, worker: str | None
) -> list[dict[str, Any]]:
    """For each month of ``period``, the figure over the instances that fell due in it: the chart's bars, each the
    figure a page or the API gives for that month, and adding up to the period's."""
    notes = standard_notes(engine)
    noted = notes.get(standard_id, NO_NOTES)
    out = []
    for month in period.months():
        counts = status_counts(engine, user, month, notes, standard_id, team, worker).get(standard_id, {})
        figure = noted.figure(counts, month)
        out.append(
            {
                "month": month.first.strftime("%Y-%m"),
                "due": figure.due,
                "met": counts.get("met", 0),
                "met_late": counts.get("met_late", 0),
                "overdue": counts.get("overdue", 0),
                "compliance": figure.percent,
            }
        )
    return out


def child_record(engine: Engine, person_id: str) -> tuple[list[Any], list[Any]]:
    with engine.connect() as conn:
        episodes = conn.execute(
            select(store.episodes).where(store.episodes.c.person_id == person_id).order_by(store.episodes.c.start_date)
        ).all()
        items = conn.execute(
            select(i).where(i.c.person_id == person_id).order_by(i.c.due_date, i.c.standard_id, i.c.sequence)
        ).all()
    return list(episodes), list(items)


def current_allocation(engine: Engine, person_id: str) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(oc).where(oc.c.person_id == person_id)).all())


def worker_rows(engine: Engine, team_id: str | None = None) -> list[Any]:
    w = store.workers
    query = select(w).order_by(w.c.worker_id)
    if team_id:
        query = query.where(w.c.team_id == team_id)
    with engine.connect() as conn:
        return list(conn.execute(query).all())


def busiest_team(engine: Engine) -> str | None:
    """The team holding the most open cases: where QA and heads of service land on the team page."""
    with engine.connect() as conn:
        found = conn.execute(
            select(oc.c.team_id)
            .where(oc.c.team_id.is_not(None))
            .group_by(oc.c.team_id)
            .order_by(func.count().desc(), oc.c.team_id)
            .limit(1)
        ).scalar()
    return str(found) if found is not None else None


def team_rows(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(store.teams).order_by(store.teams.c.team_id)).all())


@dataclass(frozen=True)
class StandardNotes:
    """What the data could not support for one standard, as stored at load (``Results``' four caveats)."""

    not_evaluated: str | None = None
    limited: str | None = None
    out_of_window: str | None = None
    code_limits: str | None = None

    def figure(self, counts: dict[str, int], period: Period | None = None) -> Compliance:
        """The standard's compliance over ``counts`` (taken over ``period``), by the one formula every output uses."""
        return compliance(
            counts, limited=self.limited, left_out=self.out_of_window, codes=self.code_limits, period=period
        )

    @property
    def text(self) -> str:
        return "; ".join(n for n in (self.not_evaluated, self.limited, self.out_of_window, self.code_limits) if n)


NO_NOTES = StandardNotes()


def standard_notes(engine: Engine) -> dict[str, StandardNotes]:
    n = store.standard_notes
    with engine.connect() as conn:
        rows = conn.execute(
            select(n.c.standard_id, n.c.not_evaluated, n.c.limited, n.c.out_of_window, n.c.code_limits)
        ).all()
    return {row[0]: StandardNotes(row[1], row[2], row[3], row[4]) for row in rows}


def quality(engine: Engine) -> tuple[list[Any], list[Any]]:
    with engine.connect() as conn:
        tables = conn.execute(select(store.quality_tables).order_by(store.quality_tables.c.table_name)).all()
        issues = conn.execute(select(store.quality_issues).order_by(store.quality_issues.c.id)).all()
    return list(tables), list(issues)


# --- search -------------------------------------------------------------------------------------------------------
# Each kind is searched inside the user's scope, in SQL: a child, worker or team the user may not see is simply
# not among the rows, so a search for it gives the very page a search for nothing gives.


def worker_scope(user: User) -> ColumnElement[bool]:
    """A condition on ``cw_workers`` rows: the workers whose caseloads this user may open (as
    :func:`may_see_worker`: a manager's are the team's members and whoever holds one of its open cases)."""
    w = store.workers
    if user.role in SEES_EVERYONE:
        return true()
    if user.role == "social_worker" and user.worker_id:
        return w.c.worker_id == user.worker_id
    if user.role == "team_manager" and user.team_id:
        holders = select(oc.c.worker_id).where(oc.c.team_id == user.team_id, oc.c.worker_id.is_not(None))
        return or_(w.c.team_id == user.team_id, w.c.worker_id.in_(holders))
    return false()


def team_scope(user: User) -> ColumnElement[bool]:
    """A condition on ``cw_teams`` rows: the teams whose pages this user may open (as :func:`may_see_team`)."""
    t = store.teams
    if user.role in SEES_EVERYONE:
        return true()
    if user.role == "team_manager" and user.team_id:
        return t.c.team_id == user.team_id
    return false()


def search_children(engine: Engine, user: User, text: str, limit: int, offset: int = 0) -> tuple[list[Any], int]:
    """Children in scope whose person id contains ``text`` (the store holds no names): one page and the count.

    The match is by ``LIKE`` with the user's ``%`` and ``_`` escaped, so they match only themselves.
    """
    matched = ch.c.person_id.contains(text, autoescape=True)
    conditions: list[ColumnElement[bool]] = [matched]
    if user.role not in SEES_EVERYONE:
        conditions.append(ch.c.person_id.in_(select(oc.c.person_id).where(open_case_scope(user))))
    return _page_of(engine, select(ch.c.person_id, ch.c.token), conditions, ch.c.person_id, limit, offset)


def search_workers(engine: Engine, user: User, text: str, limit: int, offset: int = 0) -> tuple[list[Any], int]:
    """Workers in scope whose id or name contains ``text``."""
    w = store.workers
    matched = or_(w.c.worker_id.contains(text, autoescape=True), w.c.name.contains(text, autoescape=True))
    query = select(w.c.worker_id, w.c.name, w.c.team_id)
    return _page_of(engine, query, [matched, worker_scope(user)], w.c.worker_id, limit, offset)


def search_teams(engine: Engine, user: User, text: str, limit: int, offset: int = 0) -> tuple[list[Any], int]:
    """Teams in scope whose id or name contains ``text``."""
    t = store.teams
    matched = or_(t.c.team_id.contains(text, autoescape=True), t.c.name.contains(text, autoescape=True))
    return _page_of(engine, select(t.c.team_id, t.c.name), [matched, team_scope(user)], t.c.team_id, limit, offset)


def _page_of(
    engine: Engine, query: Any, conditions: list[ColumnElement[bool]], key: Any, limit: int, offset: int
) -> tuple[list[Any], int]:
    """Rows of ``query`` meeting ``conditions``, ordered by ``key``, one page of them, and how many there are."""
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.where(*conditions).subquery())).scalar() or 0
        rows = conn.execute(query.where(*conditions).order_by(key).limit(limit).offset(offset)).all()
    return list(rows), int(total)
