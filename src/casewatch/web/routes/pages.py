"""The case pages: my caseload, team, the work behind a number, compliance, a standard, a child, data quality."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Engine

from casewatch.errors import CasewatchError
from casewatch.results import NOW, Basis, Period, parse_period
from casewatch.results.periods import choices
from casewatch.standards.show import standard_view
from casewatch.web import audit, catalogue, charts, queries, settings
from casewatch.web.auth import SEES_EVERYONE, User
from casewatch.web.links import link
from casewatch.web.pages import (
    ChildViewer,
    EveryoneViewer,
    Loaded,
    SignedIn,
    Store,
    TeamViewer,
    arranged,
    paged,
    respond,
    sort_links,
    sort_of,
    wants_download,
)
from casewatch.web.tables import PAGE_SIZE, Column, DataTable, Pager, Sort, page_number

router = APIRouter()
DOWNLOAD_LIMIT = 1_000_000  # a download has every row, in the order on screen
INSTANCE_SORTABLE = frozenset(queries.INSTANCE_SORTS)
InstanceFetch = Callable[[int, int, Sort], tuple[list[Any], int]]


def _titles(info: queries.LoadInfo) -> dict[str, str]:
    return {s.id: s.title for s in catalogue.pack(info.pack).standards.values()}


def _instance_rows(
    engine: Engine, info: queries.LoadInfo, rows: list[Any], with_child: bool = True
) -> list[dict[str, Any]]:
    """Instances as table rows, each child as a link by opaque token (never by id in the URL)."""
    tokens = queries.tokens_for(engine, {r.person_id for r in rows if r.person_id})
    workers, _teams = queries.names(engine)
    titles = _titles(info)
    out = []
    for r in rows:
        token = tokens.get(r.person_id) if r.person_id else None
        out.append(
            {
                "child": r.person_id or f"{r.subject_type} {r.subject_id}",
                "child_href": link("/child", token) if token and with_child else None,
                "standard": titles.get(r.standard_id, r.standard_id),
                "standard_href": link("/standard", r.standard_id),
                "due_date": r.due_date,
                "completed_date": r.completed_date,
                "status": r.status,
                "days_late": r.working_days_late,
                "worker": workers.get(r.worker_id, r.worker_id) if r.worker_id else "",
                "team": r.team_id or "",
                "explanation": r.explanation or "",
            }
        )
    return out


INSTANCE_COLUMNS = [
    Column("child", "Child", link="child_href"),
    Column("standard", "Standard", link="standard_href"),
    Column("due_date", "Due", nowrap=True),
    Column("completed_date", "Done", nowrap=True),
    Column("status", "Status", status=True),
    Column("days_late", "Working days late", numeric=True),
    Column("worker", "Worker at due date"),
    Column("explanation", "Explanation"),
]


def _instance_page(request: Request, fetch: InstanceFetch) -> tuple[list[Any], int, Pager | None, Sort]:
    """The instances of a paged, sortable table: the page and order the URL asks for (all rows for a download).

    ``fetch(limit, offset, sort)`` runs the page's query. A page past the end (a bookmark from when there were
    more) is asked again for the last page rather than shown empty.
    """
    sort = sort_of(request, INSTANCE_SORTABLE)
    if wants_download(request):
        rows, total = fetch(DOWNLOAD_LIMIT, 0, sort)
        return rows, total, None, sort
    asked = page_number(request.query_params.get("page"))
    rows, total = fetch(PAGE_SIZE, (asked - 1) * PAGE_SIZE, sort)
    pager = paged(request, total)
    if pager.page != asked:
        rows, total = fetch(PAGE_SIZE, pager.offset, sort)
    return rows, total, pager, sort


def _breadcrumbs(engine: Engine, user: User, team_id: str | None, worker_id: str | None) -> list[tuple[str, str]]:
    """The way up from a page, service → team → worker (GOV.UK breadcrumbs): each level only when the user may
    open it, so a breadcrumb never names a team or worker the user could not reach."""
    workers, teams = queries.names(engine)
    crumbs = [("Service", "/compliance")]
    if team_id and queries.may_see_team(user, team_id):
        crumbs.append((teams.get(team_id) or team_id, link("/team", team=team_id)))
    if worker_id and queries.may_see_worker(engine, user, worker_id):
        crumbs.append((workers.get(worker_id) or worker_id, link("/caseload", worker=worker_id)))
    return crumbs


def _period(info: queries.LoadInfo, spelling: str | None) -> Period:
    """The ``?period=`` a page was asked for, compliance now when none; a misspelt one is a 400 saying why."""
    try:
        return parse_period(spelling or NOW, info.as_at)
    except CasewatchError as exc:
        raise HTTPException(400, str(exc)) from None


def _period_choices(period: Period) -> list[Period]:
    """The periods a page's form offers, with the one shown even when it is not a usual choice."""
    offered = choices(period.as_at)
    return offered if period.spelling in {p.spelling for p in offered} else [*offered, period]


def _period_query(period: Period) -> str | None:
    """The ``period`` of a link: left out for compliance now, so the usual links stay short."""
    return None if period.spelling == NOW else period.spelling


@router.get("/")
def home(user: SignedIn) -> Response:
    target = {
        "social_worker": "/caseload",
        "team_manager": "/team",
        "administrator": "/admin/users",
    }.get(user.role, "/compliance")
    return RedirectResponse(target, status_code=303)


@router.get("/caseload")
def caseload(request: Request, user: ChildViewer, engine: Store, info: Loaded, worker: str | None = None) -> Response:
    worker_id = worker or user.worker_id
    if not worker_id:
        raise HTTPException(403, "Your account is not linked to a worker in the case data. Ask an administrator.")
    if not queries.may_see_worker(engine, user, worker_id):
        raise HTTPException(404)
    as_at = info.as_at
    window = settings.get_int(engine, "due_soon_days")
    data = queries.caseload(engine, user, worker_id, as_at, window)
    tokens = queries.tokens_for(engine, {row.person_id for row in data["held"]})
    children = arranged(
        request,
        DataTable(
            "caseload",
            "Allocated children",
            [
                Column("child", "Child", link="child_href"),
                Column("since", "Allocated since", nowrap=True),
                Column("overdue", "Overdue", numeric=True),
                Column("due_soon", "Due soon", numeric=True),
            ],
            sorted(
                (
                    {
                        "child": row.person_id,
                        "child_href": link("/child", tokens[row.person_id]),
                        "since": row.since,
                        **data["counts"].get(row.person_id, {"overdue": 0, "due_soon": 0}),
                    }
                    for row in data["held"]
                ),
                key=lambda r: (-r["overdue"], -r["due_soon"], r["child"]),
            ),
            row_header="child",
            empty="No children are allocated to this worker.",
        ),
    )
    next_due = DataTable(
        "next-due",
        "Next due item per child and standard, overdue first",
        INSTANCE_COLUMNS[:6],
        _instance_rows(engine, info, data["next_due"]),
        empty="Nothing outstanding.",
    )
    soon = DataTable(
        "due-next",
        f"Falling due in the next {window} days (to {data['horizon']})",
        INSTANCE_COLUMNS[:5],
        _instance_rows(engine, info, data["soon"]),
        empty=f"Nothing falls due in the next {window} days.",
    )
    workers, _ = queries.names(engine)
    return respond(
        request,
        user,
        "caseload.html",
        [children, next_due, soon],
        f"caseload {worker_id}",
        breadcrumbs=_breadcrumbs(engine, user, queries.team_of_worker(engine, worker_id), None),
        worker_name=workers.get(worker_id, worker_id),
        own=worker_id == user.worker_id,
    )


@router.get("/team")
def team(
    request: Request, user: TeamViewer, engine: Store, info: Loaded, team: str | None = None, period: str | None = None
) -> Response:
    team_list = queries.team_rows(engine)
    team_id = team or user.team_id or queries.busiest_team(engine)
    if not team_id or not queries.may_see_team(user, team_id):
        raise HTTPException(404)
    chosen = _period(info, period)
    summary = queries.team_summary(engine, team_id)
    workers, team_names = queries.names(engine)
    limit = settings.get_int(engine, "caseload_limit")
    members = {w.worker_id for w in queries.worker_rows(engine, team_id)} | {w for w in summary["by_worker"] if w}
    by_worker_rows = []
    for worker_id in sorted(members):
        counts = summary["by_worker"].get(worker_id, {"overdue": 0, "due_soon": 0, "caseload": 0})
        by_worker_rows.append(
            {
                "worker": workers.get(worker_id, worker_id),
                "worker_href": link("/caseload", worker=worker_id),
                "caseload": counts["caseload"],
                "overdue": counts["overdue"],
                "overdue_href": link("/work-items", team=team_id, worker=worker_id, status="overdue"),
                "due_soon": counts["due_soon"],
                "due_soon_href": link("/work-items", team=team_id, worker=worker_id, status="due_soon"),
            }
        )
    by_worker = arranged(
        request,
        DataTable(
            "by-worker",
            "Overdue and due soon, by worker (children they hold now)",
            [
                Column("worker", "Worker", link="worker_href"),
                Column("caseload", "Open cases", numeric=True),
                Column("overdue", "Overdue", numeric=True, link="overdue_href"),
                Column("due_soon", "Due soon", numeric=True, link="due_soon_href"),
            ],
            list(by_worker_rows),
            row_header="worker",
        ),
    )
    titles = _titles(info)
    by_standard = DataTable(
        "by-standard",
        "Overdue and due soon, by standard",
        [
            Column("standard", "Standard", link="standard_href"),
            Column("overdue", "Overdue", numeric=True, link="overdue_href"),
            Column("due_soon", "Due soon", numeric=True, link="due_soon_href"),
        ],
        [
            {
                "standard": titles.get(standard_id, standard_id),
                "standard_href": link("/standard", standard_id, team=team_id),
                "overdue": counts["overdue"],
                "overdue_href": link("/work-items", team=team_id, standard=standard_id, status="overdue"),
                "due_soon": counts["due_soon"],
                "due_soon_href": link("/work-items", team=team_id, standard=standard_id, status="due_soon"),
            }
            for standard_id, counts in sorted(summary["by_standard"].items(), key=lambda kv: -kv[1]["overdue"])
        ],
        row_header="standard",
        empty="Nothing overdue or due soon.",
    )
    tokens = queries.tokens_for(engine, {row.person_id for row in summary["unallocated"]})
    unallocated = DataTable(
        "unallocated",
        "Open cases with no allocated worker",
        [Column("child", "Child", link="child_href"), Column("since", "Open since", nowrap=True)],
        [
            {"child": row.person_id, "child_href": link("/child", tokens[row.person_id]), "since": row.since}
            for row in summary["unallocated"]
        ],
        row_header="child",
        empty="Every open case is allocated.",
    )
    over = DataTable(
        "over-limit",
        f"Workers over the caseload limit of {limit}",
        [Column("worker", "Worker", link="worker_href"), Column("caseload", "Open cases", numeric=True)],
        [r for r in by_worker_rows if r["caseload"] > limit],
        row_header="worker",
        empty="No worker is over the limit.",
    )
    return respond(
        request,
        user,
        "team.html",
        [by_worker, by_standard, unallocated, over, _compliance_table(engine, user, info, chosen, team_id)],
        f"team {team_id}",
        breadcrumbs=_breadcrumbs(engine, user, None, None),
        period=chosen,
        period_choices=_period_choices(chosen),
        team_id=team_id,
        team_name=team_names.get(team_id, team_id),
        team_list=team_list if user.role in SEES_EVERYONE else [],
    )


@router.get("/work-items")
def work_items(
    request: Request,
    user: ChildViewer,
    engine: Store,
    info: Loaded,
    team: str | None = None,
    worker: str | None = None,
    standard: str | None = None,
    status: str | None = None,
) -> Response:
    if team and not queries.may_see_team(user, team):
        raise HTTPException(404)
    if worker and not queries.may_see_worker(engine, user, worker):
        raise HTTPException(404)
    statuses = tuple(s for s in (status or "").split(",") if s in queries.STATUS_LABELS)
    rows, total, pager, sort = _instance_page(
        request,
        lambda limit, offset, order: queries.work_items(
            engine,
            user,
            team=team,
            worker=worker,
            standard=standard,
            statuses=statuses,
            limit=limit,
            sort=order,
            offset=offset,
        ),
    )
    workers, teams = queries.names(engine)
    described = [
        f"team {teams.get(team, team)}" if team else "",
        f"held by {workers.get(worker, worker)}" if worker else "",
        f"standard {standard}" if standard else "",
        " or ".join(queries.STATUS_LABELS[s].lower() for s in statuses),
    ]
    table = DataTable(
        "work-items",
        "Required occurrences",
        INSTANCE_COLUMNS,
        _instance_rows(engine, info, rows),
        total=total,
        empty="No matching work.",
        pager=pager,
        sort=sort,
        sortable=INSTANCE_SORTABLE,
        sort_href=sort_links(request),
    )
    return respond(
        request,
        user,
        "work_items.html",
        [table],
        "work items",
        breadcrumbs=_breadcrumbs(engine, user, team, worker),
        description=", ".join(d for d in described if d) or "all in your view",
    )


def _compliance_table(
    engine: Engine, user: User, info: queries.LoadInfo, period: Period, team: str | None = None
) -> DataTable:
    """Compliance by standard over ``period`` (for the team responsible at each due date, when ``team`` is given)."""
    notes = queries.standard_notes(engine)
    counts = queries.status_counts(engine, user, period, notes, team=team)
    rows = []
    for standard in catalogue.pack(info.pack).standards.values():
        c = counts.get(standard.id, {})
        noted = notes.get(standard.id, queries.NO_NOTES)
        figure = noted.figure(c, period)
        rows.append(
            {
                "standard": standard.title,
                "standard_href": link("/standard", standard.id, team=team, period=_period_query(period)),
                "target": standard.spec.target,
                "compliance": figure.percent,
                "met": c.get("met", 0),
                "met_late": c.get("met_late", 0),
                "overdue": c.get("overdue", 0),
                "not_yet_due": c.get("due_soon", 0) + c.get("not_due", 0),
                "note": "; ".join(n for n in (noted.not_evaluated, *figure.caveats) if n),
            }
        )
    return DataTable(
        "compliance",
        f"Compliance by standard{' for the team' if team else ''} over {period.label}, as at {info.as_at}",
        [
            Column("standard", "Standard", link="standard_href"),
            Column("target", "Target %", numeric=True),
            Column("compliance", "Compliance %", numeric=True),
            Column("met", "Met", numeric=True),
            Column("met_late", "Met late", numeric=True),
            Column("overdue", "Overdue", numeric=True),
            Column("not_yet_due", "Not yet due", numeric=True),
            Column("note", "Note"),
        ],
        rows,
        row_header="standard",
    )


@router.get("/compliance")
def compliance(request: Request, user: ChildViewer, engine: Store, info: Loaded, period: str | None = None) -> Response:
    chosen = _period(info, period)
    table = _compliance_table(engine, user, info, chosen)
    return respond(
        request,
        user,
        "compliance.html",
        [table],
        "compliance",
        period=chosen,
        period_choices=_period_choices(chosen),
    )


@router.get("/standard/{standard_id}")
def standard_page(
    request: Request,
    user: ChildViewer,
    engine: Store,
    info: Loaded,
    standard_id: str,
    team: str | None = None,
    worker: str | None = None,
    period: str | None = None,
) -> Response:
    standard = catalogue.find_standard(info.pack, standard_id)
    if standard is None:
        raise HTTPException(404)
    team = team or None
    worker = worker or None
    if (team and not queries.may_see_team(user, team)) or (worker and not queries.may_see_worker(engine, user, worker)):
        raise HTTPException(404)
    chosen = _period(info, period)
    all_notes = queries.standard_notes(engine)
    counts = queries.status_counts(engine, user, chosen, all_notes, standard_id, team, worker).get(standard_id, {})
    notes = all_notes.get(standard_id, queries.NO_NOTES)
    figure = notes.figure(counts, chosen)
    months = queries.monthly(engine, user, standard_id, chosen, team, worker)
    rows, total, pager, sort = _instance_page(
        request,
        lambda limit, offset, order: queries.standard_instances(
            engine, user, standard_id, team, worker, chosen, notes, limit, order, offset
        ),
    )
    month_table = DataTable(
        "monthly",
        f"{figure.basis.phrase.capitalize()}, by the month the occurrence fell due, over {chosen.label}",
        [
            Column("month", "Month", nowrap=True),
            Column("due", "Fell due" if figure.basis is Basis.ON_TIME else "Open", numeric=True),
            Column("met", "Met on time", numeric=True),
            Column("met_late", "Met late", numeric=True),
            Column("overdue", "Still overdue", numeric=True),
            Column("compliance", f"{figure.basis.phrase.capitalize()} %", numeric=True),
        ],
        months,
        row_header="month",
    )
    instance_table = DataTable(
        "instances",
        "Instances the figure counts",
        INSTANCE_COLUMNS,
        _instance_rows(engine, info, rows),
        total=total,
        empty="No instances.",
        pager=pager,
        sort=sort,
        sortable=INSTANCE_SORTABLE,
        sort_href=sort_links(request),
    )
    team_choices = queries.team_rows(engine) if user.role in SEES_EVERYONE else []
    if user.role == "team_manager" and user.team_id:
        team_choices = [t for t in queries.team_rows(engine) if t.team_id == user.team_id]
    worker_choices = queries.worker_rows(engine, team or (user.team_id if user.role == "team_manager" else None))
    if user.role == "social_worker":
        worker_choices = [w for w in worker_choices if w.worker_id == user.worker_id]
    return respond(
        request,
        user,
        "standard.html",
        [month_table, instance_table],
        f"standard {standard_id}",
        standard=standard,
        version=standard.versions[-1] if standard.versions else None,
        view=standard_view(standard),
        summary=catalogue.rule_summary(standard),
        counts=counts,
        figure=figure,
        chart=charts.compliance_chart(
            months, standard.spec.target, f"{standard.title}: {figure.basis.phrase} by month, {chosen.label}"
        ),
        period=chosen,
        period_choices=_period_choices(chosen),
        now=chosen.spelling == NOW,
        team=team,
        worker=worker,
        team_choices=team_choices,
        worker_choices=worker_choices,
        note=notes.not_evaluated or "",
    )


@router.get("/child/{token}")
def child_page(request: Request, user: ChildViewer, engine: Store, info: Loaded, token: str) -> Response:
    child = queries.child_by_token(engine, token)
    # Unknown and not-yours look the same: a 404 says nothing about whether the child exists.
    if child is None or not queries.may_see_person(engine, user, child.person_id):
        raise HTTPException(404)
    as_at = info.as_at
    episodes, items = queries.child_record(engine, child.person_id)
    workers, teams = queries.names(engine)
    if not wants_download(request):
        audit.record(engine, user, "view_child", child.person_id)
    episode_table = DataTable(
        "episodes",
        "Episodes",
        [
            Column("kind", "Episode"),
            Column("start", "Start", nowrap=True),
            Column("end", "End", nowrap=True),
            Column("detail", "Detail"),
        ],
        [
            {"kind": e.kind, "start": e.start_date, "end": e.end_date or "open", "detail": e.detail or ""}
            for e in episodes
        ],
        empty="No episodes recorded.",
    )
    item_table = DataTable(
        "required", "Required occurrences", INSTANCE_COLUMNS[1:], _instance_rows(engine, info, items, with_child=False)
    )
    held = queries.current_allocation(engine, child.person_id)
    allocation = [
        (workers.get(a.worker_id, a.worker_id) if a.worker_id else "Unallocated", teams.get(a.team_id, a.team_id))
        for a in held
    ]
    return respond(
        request,
        user,
        "child.html",
        [episode_table, item_table],
        f"child {child.person_id}",
        breadcrumbs=_breadcrumbs(engine, user, held[0].team_id, held[0].worker_id) if held else [],
        child=child,
        age=_age(child.dob, as_at),
        allocation=allocation,
        timeline=charts.timeline_chart(episodes, items, as_at),
        shapes=charts.STATUS_SHAPES,
    )


def _age(dob: date | None, as_at: date) -> str:
    if dob is None:
        return "unknown"
    years = as_at.year - dob.year - ((as_at.month, as_at.day) < (dob.month, dob.day))
    return f"{years}"


@router.get("/data-quality")
def data_quality(request: Request, user: EveryoneViewer, engine: Store) -> Response:
    # EveryoneViewer: the report is about the case data, not an administrator's business.
    summaries, issues = queries.quality(engine)
    tables = DataTable(
        "rows-per-table",
        "Rows per table",
        [
            Column("table", "Table"),
            Column("read", "Read", numeric=True),
            Column("loaded", "Loaded", numeric=True),
            Column("rejected", "Rejected", numeric=True),
            Column("warnings", "Warnings", numeric=True),
            Column("notes", "Notes", numeric=True),
        ],
        [
            {
                "table": s.table_name,
                "read": s.rows_read,
                "loaded": s.rows_loaded,
                "rejected": s.rows_rejected,
                "warnings": s.warnings,
                "notes": s.notes,
            }
            for s in summaries
        ],
        row_header="table",
    )
    issue_table = DataTable(
        "issues",
        "Issues by reason",
        [
            Column("severity", "Severity"),
            Column("where", "Table and column"),
            Column("reason", "Reason"),
            Column("rows", "Rows", numeric=True),
            Column("examples", "Example rows"),
        ],
        [
            {
                "severity": x.severity,
                "where": f"{x.table_name}.{x.column_name}" if x.column_name else x.table_name,
                "reason": x.reason,
                "rows": x.rows,
                "examples": x.examples,
            }
            for x in issues
        ],
        empty="No issues found: every row loaded cleanly.",
    )
    return respond(request, user, "data_quality.html", [tables, issue_table], "data quality")


SEARCH_LONGEST = 100  # characters of a search kept; a longer one is cut, never an error


@router.get("/search")
def search(request: Request, user: ChildViewer, engine: Store, q: str | None = None) -> Response:
    """Children (by person id), workers and teams matching ``q``, each searched inside the user's scope.

    Out of scope is not found: the queries never return what the user may not see, so a search for someone
    else's child gives the same page as a search for an id that does not exist.
    """
    text = (q or "").strip()[:SEARCH_LONGEST]
    tables: list[DataTable] = []
    if text:
        _workers, teams = queries.names(engine)
        kinds: list[tuple[str, str, Any, list[Column], Callable[[Any], dict[str, Any]]]] = [
            (
                "children",
                "Children",
                queries.search_children,
                [Column("child", "Person id", link="child_href")],
                lambda r: {"child": r.person_id, "child_href": link("/child", r.token)},
            ),
            (
                "workers",
                "Workers",
                queries.search_workers,
                [Column("worker", "Worker", link="worker_href"), Column("id", "Worker id"), Column("team", "Team")],
                lambda r: {
                    "worker": r.name or r.worker_id,
                    "worker_href": link("/caseload", worker=r.worker_id),
                    "id": r.worker_id,
                    "team": teams.get(r.team_id, r.team_id or ""),
                },
            ),
            (
                "teams",
                "Teams",
                queries.search_teams,
                [Column("team", "Team", link="team_href"), Column("id", "Team id")],
                lambda r: {"team": r.name or r.team_id, "team_href": link("/team", team=r.team_id), "id": r.team_id},
            ),
        ]
        for name, caption, find, columns, as_row in kinds:
            param = f"{name}_page"
            asked = page_number(request.query_params.get(param))
            rows, total = find(engine, user, text, PAGE_SIZE, (asked - 1) * PAGE_SIZE)
            pager = paged(request, total, param)
            if pager.page != asked:
                rows, total = find(engine, user, text, PAGE_SIZE, pager.offset)
            tables.append(
                DataTable(
                    name,
                    caption,
                    columns,
                    [as_row(r) for r in rows],
                    row_header=columns[0].key,
                    total=total,
                    empty=f"No {caption.lower()} match.",
                    pager=pager,
                )
            )
    return respond(request, user, "search.html", tables, f"search {text}" if text else "search", q=text)
