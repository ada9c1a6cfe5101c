"""Administration: accounts, settings, and the audit log (read-only: no route edits or deletes an entry)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from casewatch.web import audit, settings, store
from casewatch.web.auth import ROLES, User, create_user, generate_password, set_active, set_password
from casewatch.web.links import link
from casewatch.web.pages import Administrator, Store, checked_form, respond, wants_download
from casewatch.web.tables import Column, DataTable

router = APIRouter(prefix="/admin")
#: Audit entries per page.
AUDIT_PAGE = 100


def _users_page(
    request: Request, user: User, engine: Engine, message: str = "", error: str = "", status: int = 200
) -> Response:
    with engine.connect() as conn:
        accounts = conn.execute(select(store.users).order_by(store.users.c.username)).all()
    response = respond(
        request, user, "admin_users.html", [], "users", accounts=accounts, roles=ROLES, message=message, error=error
    )
    response.status_code = status
    return response


@router.get("/users")
def users(request: Request, user: Administrator, engine: Store) -> Response:
    return _users_page(request, user, engine)


@router.post("/users")
async def add_user(request: Request, user: Administrator, engine: Store) -> Response:
    form = await checked_form(request, user)
    username = str(form.get("username", "")).strip()
    role = str(form.get("role", ""))
    worker_id = str(form.get("worker_id", "")).strip()
    team_id = str(form.get("team_id", "")).strip()
    if not username or role not in ROLES:
        return _users_page(request, user, engine, error="Enter a username and choose a role.", status=400)
    if role == "social_worker" and not worker_id:
        return _users_page(request, user, engine, error="A social worker's account needs their worker id.", status=400)
    if role == "team_manager" and not team_id:
        return _users_page(request, user, engine, error="A team manager's account needs their team id.", status=400)
    password = generate_password()
    try:
        create_user(
            engine,
            username,
            str(form.get("display_name", "")) or username,
            role,
            password,
            worker_id=worker_id,
            team_id=team_id,
        )
    except IntegrityError:
        return _users_page(request, user, engine, error=f"There is already an account called {username}.", status=400)
    audit.record(engine, user, "user_created", username, role)
    return _users_page(
        request, user, engine, message=f"Account {username} created. Its password (shown once) is: {password}"
    )


@router.post("/users/{user_id}/password")
async def reset_password(request: Request, user: Administrator, engine: Store, user_id: int) -> Response:
    await checked_form(request, user)
    if user_id == user.id:  # it would sign them out before they had read the new password
        return _users_page(
            request, user, engine, error="Ask another administrator to reset your own password.", status=400
        )
    password = generate_password()
    if not set_password(engine, user_id, password):
        raise HTTPException(404)
    audit.record(engine, user, "password_reset", str(user_id))
    return _users_page(request, user, engine, message=f"New password for account {user_id} (shown once): {password}")


@router.post("/users/{user_id}/active")
async def toggle_active(request: Request, user: Administrator, engine: Store, user_id: int) -> Response:
    form = await checked_form(request, user)
    active = form.get("active") == "1"
    if user_id == user.id and not active:
        return _users_page(request, user, engine, error="You cannot disable your own account.", status=400)
    set_active(engine, user_id, active)
    audit.record(engine, user, "user_enabled" if active else "user_disabled", str(user_id))
    return _users_page(request, user, engine, message="Account updated.")


def _settings_page(
    request: Request, user: User, engine: Engine, message: str = "", error: str = "", status: int = 200
) -> Response:
    values = settings.all_values(engine)
    response = respond(
        request,
        user,
        "admin_settings.html",
        [],
        "settings",
        values=values,
        editable=settings.EDITABLE,
        message=message,
        error=error,
    )
    response.status_code = status
    return response


@router.get("/settings")
def settings_page(request: Request, user: Administrator, engine: Store) -> Response:
    return _settings_page(request, user, engine)


@router.post("/settings")
async def save_settings(request: Request, user: Administrator, engine: Store) -> Response:
    form = await checked_form(request, user)
    for key in settings.EDITABLE:
        raw = str(form.get(key, "")).strip()
        try:
            settings.set_int(engine, key, int(raw))
        except ValueError as exc:
            label = settings.EDITABLE[key][0]
            message = str(exc) if raw.lstrip("-").isdigit() else f"{label} must be a whole number"
            return _settings_page(request, user, engine, error=message, status=400)
    audit.record(
        engine, user, "settings_changed", "settings", ", ".join(f"{k}={form.get(k)}" for k in settings.EDITABLE)
    )
    return _settings_page(request, user, engine, message="Settings saved.")


def _day(raw: str | None, which: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"Enter the {which} date as YYYY-MM-DD, for example 2026-10-30.") from None


@router.get("/audit")
def audit_log(
    request: Request,
    user: Administrator,
    engine: Store,
    action: str | None = None,
    username: str | None = None,
    since: str | None = None,
    until: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    """The whole log, searched and paged on the server (newest first); a download holds every entry found."""
    error = ""
    try:
        search = audit.Search(username or "", action or "", _day(since, "from"), _day(until, "to"))
        if search.since and search.until and search.since > search.until:
            raise ValueError("The 'from' date must be on or before the 'to' date.")
    except ValueError as exc:
        error, search = str(exc), audit.Search(username or "", action or "")
    total = audit.count(engine, search)
    pages = max(1, -(-total // AUDIT_PAGE))
    page = min(page, pages)
    rows = (
        audit.entries(engine, search)
        if wants_download(request)
        else audit.entries(engine, search, offset=(page - 1) * AUDIT_PAGE, limit=AUDIT_PAGE)
    )
    table = DataTable(
        "audit-log",
        "Audit log, newest first",
        [
            Column("at", "When (UTC)", nowrap=True),
            Column("username", "Who"),
            Column("role", "Role"),
            Column("action", "Action"),
            Column("target", "What"),
            Column("detail", "Detail"),
            Column("client_address", "From address"),
            Column("user_agent", "Browser"),
        ],
        [dict(r._mapping) for r in rows],
        empty="No entries match.",
    )
    query = {"action": search.action, "username": search.username, "since": since or "", "until": until or ""}
    response = respond(
        request,
        user,
        "admin_audit.html",
        [table],
        "audit log",
        actions=audit.ACTIONS,
        query=query,
        error=error,
        total=total,
        page=page,
        pages=pages,
        first=(page - 1) * AUDIT_PAGE + 1 if total else 0,
        last=min(page * AUDIT_PAGE, total),
        previous_href=link("/admin/audit", **query, page=str(page - 1)) if page > 1 else None,
        next_href=link("/admin/audit", **query, page=str(page + 1)) if page < pages else None,
    )
    if error:
        response.status_code = 400
    return response


@router.get("/audit/check")
def audit_check(request: Request, user: Administrator, engine: Store) -> Response:
    """Recompute the audit log's hash chain: shows whether any entry was changed, removed or added outside the app."""
    check = audit.check_chain(engine)
    outcome = "intact" if check.intact else f"{len(check.problems) + check.more_problems} problems"
    audit.record(engine, user, "audit_checked", "audit log", f"{check.entries} entries; {outcome}")
    return respond(request, user, "admin_audit_check.html", [], "audit log check", check=check)
