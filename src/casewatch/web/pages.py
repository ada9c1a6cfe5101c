"""What every route shares: the signed-in user, role checks, CSRF on forms, and rendering or downloading a page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from casewatch.results import Status
from casewatch.web import audit, exports, queries, settings
from casewatch.web.auth import SEES_CHILDREN, SEES_EVERYONE, User, session_user
from casewatch.web.charts import STATUS_COLOURS
from casewatch.web.links import link
from casewatch.web.security import tokens_match
from casewatch.web.tables import PAGE_SIZE, DataTable, Pager, Sort, clamp_page, page_number

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.globals["status_labels"] = queries.STATUS_LABELS
templates.env.globals["statuses"] = tuple(Status)
templates.env.globals["status_colours"] = STATUS_COLOURS


class NotSignedIn(Exception):
    """Raised by :func:`current_user`; the app turns it into a redirect to the sign-in page."""


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def cookie_name(request: Request) -> str:
    # The __Host- prefix makes the browser refuse the cookie unless it is Secure, host-only and for path /.
    return "__Host-casewatch" if request.app.state.config.secure_cookies else "casewatch_session"


def current_user(request: Request) -> User:
    token = request.cookies.get(cookie_name(request))
    if not token:
        raise NotSignedIn
    engine = engine_of(request)
    idle = timedelta(minutes=settings.get_int(engine, "idle_timeout_minutes"))
    lifetime = timedelta(hours=settings.get_int(engine, "session_hours"))
    user = session_user(engine, token, idle, lifetime)
    if user is None:
        raise NotSignedIn
    request.state.idle_minutes = int(idle.total_seconds() // 60)  # for the page's sign-out warning
    request.state.user = user  # for the error page, which records a refusal against the person refused
    return user


def require(user: User, *roles: str) -> None:
    if user.role not in roles:
        raise HTTPException(403, "Your role does not give access to this page.")


def require_children(user: User) -> None:
    require(user, *SEES_CHILDREN)


# --- what a route asks for, as FastAPI dependencies ------------------------------------------------------------
# A route names what it needs (the store, the signed-in user in a role, the loaded data) in its signature, so the
# sign-in and role checks cannot be forgotten in one route's body and run before anything else of it.

Store = Annotated[Engine, Depends(engine_of)]
SignedIn = Annotated[User, Depends(current_user)]


def _child_viewer(user: SignedIn) -> User:
    require_children(user)
    return user


def _administrator(user: SignedIn) -> User:
    require(user, "administrator")
    return user


def _everyone_viewer(user: SignedIn) -> User:
    require(user, *SEES_EVERYONE)
    return user


def _team_viewer(user: SignedIn) -> User:
    require(user, "team_manager", *SEES_EVERYONE)
    return user


def _loaded(engine: Store) -> queries.LoadInfo:
    info = queries.load_info(engine)
    if info is None:
        raise HTTPException(503, "No case data has been loaded yet.")
    return info


#: A user whose role may see children (workers, managers, QA, heads of service).
ChildViewer = Annotated[User, Depends(_child_viewer)]
#: A user whose role sees every child (QA, heads of service).
EveryoneViewer = Annotated[User, Depends(_everyone_viewer)]
#: A team manager, or a role that sees every team.
TeamViewer = Annotated[User, Depends(_team_viewer)]
Administrator = Annotated[User, Depends(_administrator)]
#: What the store holds: the pack, the as-at date and the source; a 503 until something has been loaded.
Loaded = Annotated[queries.LoadInfo, Depends(_loaded)]


async def checked_form(request: Request, user: User) -> FormData:
    """The posted form, after checking its CSRF token against the session's."""
    form = await request.form()
    if not tokens_match(user.csrf_token, str(form.get("csrf_token", ""))):
        # Recorded: a forged cross-site post is an attack on this user, and the log is where it can be seen.
        await run_in_threadpool(audit.record, engine_of(request), user, "csrf_refused", audit.route_of(request.scope))
        raise HTTPException(400, "The form had expired or did not come from this service. Go back and try again.")
    return form


def download_href(request: Request, table: str, fmt: str) -> str:
    params = {k: v for k, v in request.query_params.multi_items() if k not in ("download", "table")}
    return f"{request.url.path}?{urlencode([*params.items(), ('download', fmt), ('table', table)])}"


templates.env.globals["download_href"] = download_href


def here(request: Request, **changes: str | None) -> str:
    """This page's address with some query values changed (``None`` drops one): the page and sort links, which
    must keep the page's filters. Built by :func:`links.link`, so every value is encoded."""
    params: dict[str, str | None] = {k: v for k, v in request.query_params.items() if k not in ("download", "table")}
    params.update(changes)
    return link(quote(request.url.path, safe="/"), **params)


def paged(request: Request, total: int, param: str = "page", size: int = PAGE_SIZE) -> Pager:
    """The page of a table the URL asks for (``?page=N``, or ``param``): page 0, a word or a page past the end
    give the first or the last page, never an error. ``total`` is how many rows matched."""
    number = clamp_page(page_number(request.query_params.get(param)), total, size)
    return Pager(number, total, lambda n: here(request, **{param: str(n) if n > 1 else None}), size)


def sort_of(request: Request, allowed: frozenset[str]) -> Sort:
    """The ``?sort=&dir=`` the URL asks for, when the column is one of ``allowed``; else the table's usual order."""
    return Sort.of(request.query_params.get("sort"), request.query_params.get("dir"), allowed)


def sort_links(request: Request) -> Callable[[str, bool], str]:
    """Header links: sort by a column (back to the first page, which is where a new order starts)."""
    return lambda key, descending: here(request, sort=key, dir="desc" if descending else "asc", page=None)


def arranged(request: Request, table: DataTable) -> DataTable:
    """A table whose rows are all built in Python (a caseload, a team's workers: counts, not one query's rows),
    sorted by any of its columns and paged by the URL as the tables sorted in SQL are; a download keeps every
    row, in the order on screen. Blanks sort last whichever the direction."""
    sort = sort_of(request, frozenset(c.key for c in table.columns))
    rows = table.rows
    if sort.key is not None:
        key = sort.key
        filled = sorted(
            (r for r in rows if r.get(key) not in (None, "")), key=lambda r: r[key], reverse=sort.descending
        )
        rows = filled + [r for r in rows if r.get(key) in (None, "")]
    table.sort, table.sortable, table.sort_href = sort, frozenset(c.key for c in table.columns), sort_links(request)
    if wants_download(request):
        table.rows = rows
        return table
    table.pager = paged(request, len(rows))
    table.rows = rows[table.pager.offset : table.pager.offset + table.pager.size]
    table.total = len(rows)
    return table


def wants_download(request: Request) -> bool:
    return request.query_params.get("download") in exports.FORMATS


def respond(
    request: Request,
    user: User,
    template: str,
    tables: list[DataTable],
    audit_target: str,
    **context: Any,
) -> Response:
    """Render the page, or, with ``?download=csv|xlsx&table=NAME``, send that table and record the export."""
    engine = engine_of(request)
    info = queries.load_info(engine)
    fmt = request.query_params.get("download")
    if fmt is not None:
        if fmt not in exports.FORMATS:
            raise HTTPException(404)
        wanted = request.query_params.get("table")
        table = next((t for t in tables if t.name == wanted), None)
        if table is None:
            raise HTTPException(404)
        filters = ", ".join(f"{k}={v}" for k, v in request.query_params.items() if k not in ("download", "table"))
        audit.record(
            engine, user, "export", f"{audit_target} / {table.name}", f"{fmt}; {len(table.rows)} rows; {filters}"
        )
        marking = request.app.state.config.protective_marking
        return exports.download(table, fmt, info.as_at if info else None, marking)
    return templates.TemplateResponse(
        request, template, {"user": user, "info": info, "tables": {t.name: t for t in tables}, **context}
    )
