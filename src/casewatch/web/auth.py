"""Accounts, roles and server-side sessions.

A session is a random token in a cookie; the store keeps only its SHA-256, so a copy of the store cannot be used
to sign in. Passwords are hashed with Argon2id. Every account has one role, and a social worker's or team
manager's account is linked to a worker or team id from the case data, which is what limits what they see.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, insert, select, update

from casewatch.web import store

ROLES: dict[str, str] = {
    "social_worker": "Social worker",
    "team_manager": "Team manager",
    "qa": "Quality assurance",
    "head_of_service": "Head of service",
    "administrator": "Administrator",
}
#: Roles that may see every child (the others are limited to their caseload or team).
SEES_EVERYONE = frozenset({"qa", "head_of_service"})
#: Roles that may open child-level pages at all (an administrator manages accounts, not cases).
SEES_CHILDREN = frozenset({"social_worker", "team_manager", "qa", "head_of_service"})

STALE_SESSION = timedelta(days=1)  # longer than any session may last (the longest lifetime setting is 24 hours)
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class User:
    """The signed-in person, as every page sees them."""

    id: int
    username: str
    display_name: str
    role: str
    worker_id: str | None
    team_id: str | None
    csrf_token: str

    @property
    def role_label(self) -> str:
        return ROLES[self.role]


def generate_password() -> str:
    """A random password for a new or reset account (shown once, never stored in clear)."""
    return secrets.token_urlsafe(12)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    engine: Engine,
    username: str,
    display_name: str,
    role: str,
    password: str | None,
    worker_id: str | None = None,
    team_id: str | None = None,
) -> int:
    """Add an account; ``password`` None makes an account that can only sign in through the identity provider."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    with engine.begin() as conn:
        result = conn.execute(
            insert(store.users).values(
                username=username,
                display_name=display_name,
                password_hash=_hasher.hash(password) if password else None,
                role=role,
                worker_id=worker_id or None,
                team_id=team_id or None,
                active=True,
                created_at=datetime.now(),
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]


def set_password(engine: Engine, user_id: int, password: str) -> bool:
    """Replace the password and end the account's sessions; False when there is no such account."""
    with engine.begin() as conn:
        changed = conn.execute(
            update(store.users).where(store.users.c.id == user_id).values(password_hash=_hasher.hash(password))
        )
        conn.execute(delete(store.sessions).where(store.sessions.c.user_id == user_id))
    return bool(changed.rowcount)


def set_active(engine: Engine, user_id: int, active: bool) -> None:
    with engine.begin() as conn:
        conn.execute(update(store.users).where(store.users.c.id == user_id).values(active=active))
        if not active:
            conn.execute(delete(store.sessions).where(store.sessions.c.user_id == user_id))


def check_password(engine: Engine, username: str, password: str) -> int | None:
    """The account id when ``username`` is active and ``password`` matches; hashing runs either way."""
    with engine.connect() as conn:
        row = conn.execute(
            select(store.users.c.id, store.users.c.password_hash).where(
                store.users.c.username == username, store.users.c.active.is_(True)
            )
        ).first()
    stored = row.password_hash if row is not None and row.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return int(row.id) if row is not None and row.password_hash else None


def user_by_username(engine: Engine, username: str) -> int | None:
    with engine.connect() as conn:
        found = conn.execute(
            select(store.users.c.id).where(store.users.c.username == username, store.users.c.active.is_(True))
        ).scalar()
    return int(found) if found is not None else None


def start_session(engine: Engine, user_id: int) -> str:
    """A new session for ``user_id``; returns the cookie value."""
    token = secrets.token_urlsafe(32)
    now = datetime.now()
    with engine.begin() as conn:
        # Sessions nobody came back to are dead after the idle timeout; clear out any a day old.
        conn.execute(delete(store.sessions).where(store.sessions.c.last_seen < now - STALE_SESSION))
        conn.execute(
            insert(store.sessions).values(
                token_hash=hash_token(token),
                user_id=user_id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                last_seen=now,
            )
        )
    return token


def session_user(engine: Engine, token: str, idle: timedelta, lifetime: timedelta) -> User | None:
    """The user behind a session cookie, or None when it is unknown, idle too long, older than ``lifetime`` (a
    stolen cookie kept busy still dies), or the account is disabled; a dead session is removed from the store."""
    now = datetime.now()
    key = hash_token(token)
    s, u = store.sessions, store.users
    with engine.begin() as conn:
        row = conn.execute(
            select(u.c.id, u.c.username, u.c.display_name, u.c.role, u.c.worker_id, u.c.team_id, u.c.active)
            .add_columns(s.c.csrf_token, s.c.last_seen, s.c.created_at)
            .join(u, u.c.id == s.c.user_id)
            .where(s.c.token_hash == key)
        ).first()
        if row is None:
            return None
        if not row.active or now - row.last_seen > idle or now - row.created_at > lifetime:
            conn.execute(delete(s).where(s.c.token_hash == key))
            return None
        conn.execute(update(s).where(s.c.token_hash == key).values(last_seen=now))
    return User(row.id, row.username, row.display_name, row.role, row.worker_id, row.team_id, row.csrf_token)


def end_session(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(store.sessions).where(store.sessions.c.token_hash == hash_token(token)))


def has_users(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(select(func.count()).select_from(store.users)).scalar())


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str
    linked_to: str


def create_demo_accounts(engine: Engine) -> list[DemoAccount]:
    """One account per role, with generated passwords, on a store that has no accounts yet.

    The social worker is linked to the worker holding the most open cases, and the team manager to that worker's
    team, so both see a realistic caseload on the synthetic council.
    """
    if has_users(engine):
        return []
    oc = store.open_cases
    with engine.connect() as conn:
        busiest = conn.execute(
            select(oc.c.worker_id, oc.c.team_id)
            .where(oc.c.worker_id.is_not(None))
            .group_by(oc.c.worker_id, oc.c.team_id)
            .order_by(func.count().desc(), oc.c.worker_id)
            .limit(1)
        ).first()
    worker_id, team_id = (busiest.worker_id, busiest.team_id) if busiest is not None else (None, None)
    plan = [
        ("worker", "social_worker", "Demo social worker", worker_id, None, f"worker {worker_id}"),
        ("manager", "team_manager", "Demo team manager", None, team_id, f"team {team_id}"),
        ("qa", "qa", "Demo QA lead", None, None, "everyone"),
        ("head", "head_of_service", "Demo head of service", None, None, "everyone"),
        ("admin", "administrator", "Demo administrator", None, None, "users and settings"),
    ]
    made = []
    for username, role, name, worker, team, linked in plan:
        password = generate_password()
        create_user(engine, username, name, role, password, worker_id=worker, team_id=team)
        made.append(DemoAccount(username, role, password, linked))
    return made
