"""The audit log: who viewed which child's page, who exported what, who signed in, and when.

Entries are only ever inserted; the app has no route that edits or deletes them. A child is recorded by their
id in the case data (not the URL token), so an auditor can match the entry to the case record.

The app cannot stop someone with write access to the database from editing the table directly, so it makes such an
edit detectable instead: each entry carries a SHA-256 hash of its own contents and of the entry before it (a hash
chain). Changing, deleting or inserting an entry in the middle breaks the chain at that point, which
:func:`check_chain` (the administrator's "Check the audit log" page) reports. Removing the oldest entries, as a
retention schedule does, leaves an intact chain that starts later. Removing the newest entries cannot be seen from
inside the store: the check page shows the latest entry's hash so an administrator can note it somewhere else.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, func, insert, select, text, update

from casewatch.web import store
from casewatch.web.auth import User
from casewatch.web.security import current_client

#: What the first entry of a chain points back to.
GENESIS = "0" * 64
#: Any fixed number: the PostgreSQL advisory lock that puts appends from every app process in one order.
_PG_LOCK = 7_265_010_311
#: Appends from this process one at a time (SQLite's write lock does the same across processes).
_append_lock = threading.Lock()
PROBLEMS_SHOWN = 50
#: Every action the app records, for the audit page's filter.
ACTIONS = (
    "view_child",
    "export",
    "sign_in",
    "sign_in_failed",
    "sign_in_blocked",
    "sign_out",
    "refused",
    "csrf_refused",
    "user_created",
    "password_reset",
    "user_disabled",
    "user_enabled",
    "settings_changed",
    "audit_checked",
)
#: A username typed at a failed sign-in is recorded as typed, up to the column's length.
USERNAME_KEPT = 100


def utc_now() -> datetime:
    """The time of an entry: UTC, to the second, stored without a zone (every database keeps it the same way).

    A local time without a zone is ambiguous twice a year and between machines; an auditor matching an entry to
    another system's log needs to know which clock it was.
    """
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def entry_hash(
    entry_id: int,
    at: datetime,
    username: str,
    role: str,
    action: str,
    target: str,
    detail: str | None,
    previous: str,
    client_address: str | None = None,
    user_agent: str | None = None,
) -> str:
    """The hash that seals one entry and, through ``previous``, every entry before it.

    The client's address and user agent are sealed too, but only when the entry has them: an entry written before
    they were recorded (or outside a request) keeps the hash it was sealed with, so older chains still check.
    """
    fields: list[Any] = [entry_id, at.isoformat(sep=" "), username, role, action, target, detail, previous]
    if client_address is not None or user_agent is not None:
        fields += [client_address, user_agent]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def route_of(scope: Mapping[str, Any]) -> str:
    """The route's template (``/child/{token}``), never the concrete path: a refusal is recorded without the token or
    filter value asked for, so the entry neither holds child data nor says whether the thing asked for exists."""
    return str(getattr(scope.get("route"), "path", scope.get("path", "")))


def record(engine: Engine, user: User | None, action: str, target: str, detail: str = "", username: str = "") -> None:
    """Append one entry; ``username`` names the account when nobody is signed in (a failed sign-in).

    The entry carries the address and user agent of the request being served (:func:`security.current_client`).
    """
    a = store.audit_log
    client = current_client()
    values: dict[str, Any] = {
        "at": utc_now(),
        "username": user.username if user else username[:USERNAME_KEPT] or "(unknown)",
        "role": user.role if user else "-",
        "action": action,
        "target": target,
        "detail": detail or None,
        "client_address": client.address if client else None,
        "user_agent": client.user_agent if client else None,
    }
    with _append_lock, engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        # Inserting first takes the database's write lock, so the entry read next really is the latest one.
        entry_id = int(conn.execute(insert(a).values(**values)).inserted_primary_key[0])  # type: ignore[index]
        previous = conn.execute(select(a.c.entry_hash).where(a.c.id < entry_id).order_by(a.c.id.desc()).limit(1))
        before = previous.scalar() or GENESIS
        sealed = entry_hash(entry_id, previous=before, **values)
        conn.execute(update(a).where(a.c.id == entry_id).values(prev_hash=before, entry_hash=sealed))


@dataclass(frozen=True)
class Search:
    """What the audit page asks for: entries by one account, of one action, between two days (UTC, both included).

    Empty fields do not filter. The same search pages the screen and fills the download, so an export holds exactly
    the entries the administrator was looking at, however many pages they run to.
    """

    username: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None

    def where(self) -> list[ColumnElement[bool]]:
        a = store.audit_log
        conditions = []
        if self.username:
            conditions.append(a.c.username == self.username)
        if self.action:
            conditions.append(a.c.action == self.action)
        if self.since:
            conditions.append(a.c.at >= datetime.combine(self.since, time()))
        if self.until:
            conditions.append(a.c.at < datetime.combine(self.until + timedelta(days=1), time()))
        return conditions


def entries(engine: Engine, search: Search | None = None, offset: int = 0, limit: int | None = None) -> list[Any]:
    """The entries ``search`` finds, newest first, from ``offset``; all of them when ``limit`` is None."""
    a = store.audit_log
    columns = (a.c.at, a.c.username, a.c.role, a.c.action, a.c.target, a.c.detail, a.c.client_address, a.c.user_agent)
    query = select(*columns).where(*(search or Search()).where()).order_by(a.c.id.desc()).offset(offset)
    with engine.connect() as conn:
        return list(conn.execute(query if limit is None else query.limit(limit)).all())


def count(engine: Engine, search: Search | None = None) -> int:
    a = store.audit_log
    with engine.connect() as conn:
        return int(conn.execute(select(func.count(a.c.id)).where(*(search or Search()).where())).scalar() or 0)


@dataclass
class ChainCheck:
    """What :func:`check_chain` found."""

    entries: int = 0
    before_chain: int = 0  # entries written before the app sealed entries (stores older than the hash chain)
    starts_after_removal: bool = False  # the oldest entries were removed (a retention schedule): not a problem
    problems: list[str] = field(default_factory=list)
    more_problems: int = 0
    latest_id: int | None = None
    latest_hash: str | None = None

    @property
    def intact(self) -> bool:
        return not self.problems


def check_chain(engine: Engine) -> ChainCheck:
    """Walk the whole log in order, recomputing each entry's hash and its link to the entry before."""
    a = store.audit_log
    result = ChainCheck()
    previous: str | None = None  # the hash the next entry must point back to; None until the chain starts

    def problem(message: str) -> None:
        if len(result.problems) < PROBLEMS_SHOWN:
            result.problems.append(message)
        else:
            result.more_problems += 1

    query = select(a).order_by(a.c.id)
    with engine.connect() as conn:
        for row in conn.execution_options(stream_results=True, yield_per=5000).execute(query):
            result.entries += 1
            if row.entry_hash is None:
                if previous is None:
                    result.before_chain += 1
                else:
                    problem(f"Entry {row.id} is not sealed: it was added outside the app.")
                continue
            if previous is None:
                result.starts_after_removal = row.prev_hash != GENESIS
            elif row.prev_hash != previous:
                problem(f"Entry {row.id} does not follow the entry before it: an entry was removed or added here.")
            fields = (row.at, row.username, row.role, row.action, row.target, row.detail)
            client = (row.client_address, row.user_agent)
            if entry_hash(row.id, *fields, row.prev_hash or "", *client) != row.entry_hash:
                problem(f"Entry {row.id} has been changed since it was written.")
            previous = row.entry_hash
            result.latest_id, result.latest_hash = row.id, row.entry_hash
    return result
