"""The audit log: who viewed which child's page and who exported what, and when.

Entries are only ever inserted; the app has no route that edits or deletes them. A child is recorded by their
id in the case data (not the URL token), so an auditor can match the entry to the case record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select

from casewatch.web import store
from casewatch.web.auth import User


def record(engine: Engine, user: User | None, action: str, target: str, detail: str = "", username: str = "") -> None:
    """Append one entry; ``username`` names the account when nobody is signed in (a failed sign-in)."""
    with engine.begin() as conn:
        conn.execute(
            insert(store.audit_log).values(
                at=datetime.now().replace(microsecond=0),
                username=user.username if user else username or "(unknown)",
                role=user.role if user else "-",
                action=action,
                target=target,
                detail=detail or None,
            )
        )


def entries(engine: Engine, action: str | None = None, username: str | None = None, limit: int = 500) -> list[Any]:
    a = store.audit_log
    query = select(a.c.at, a.c.username, a.c.role, a.c.action, a.c.target, a.c.detail).order_by(a.c.id.desc())
    if action:
        query = query.where(a.c.action == action)
    if username:
        query = query.where(a.c.username == username)
    with engine.connect() as conn:
        return list(conn.execute(query.limit(limit)).all())
