"""Shared by the web tests: the test site's shape and small helpers (fixtures live in conftest.py)."""

from __future__ import annotations

import contextlib
import re
import threading
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from casewatch.data.load import CaseData
from casewatch.results import Results
from casewatch.standards.pack import Pack
from casewatch.web import audit, store
from casewatch.web.auth import User

AS_AT = date(2026, 10, 30)
QA = User(1, "qa", "QA lead", "qa", None, None, "csrf")


@dataclass
class Site:
    engine: Engine
    app: FastAPI
    passwords: dict[str, str]
    worker_id: str
    team_id: str
    other_worker_id: str
    other_team_id: str


@dataclass
class Evaluated:
    pack: Pack
    data: CaseData
    results: Results


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def sign_in(app: FastAPI, username: str, password: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    page = client.get("/login")
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": csrf_of(page.text), "next": "/"}
    )
    assert response.status_code == 303, response.text
    return client


def child_token(site: Site, *, worker_id: str | None = None, team_id: str | None = None) -> str:
    """The URL token of a child whose open case is held by the worker (or sits with the team)."""
    oc, ch = store.open_cases, store.children
    query = select(ch.c.token).join(oc, oc.c.person_id == ch.c.person_id)
    if worker_id:
        query = query.where(oc.c.worker_id == worker_id)
    if team_id:
        query = query.where(oc.c.team_id == team_id)
    with site.engine.connect() as conn:
        return str(conn.execute(query.order_by(ch.c.person_id).limit(1)).scalar_one())


def append_from_threads(engine: Engine, monkeypatch: pytest.MonkeyPatch, threads: int = 4, each: int = 15) -> None:
    """Appends racing on separate connections, with the in-process lock taken away: as from several app processes.

    Only the database's own locking (SQLite's write lock, PostgreSQL's advisory lock) then keeps one chain.
    """
    monkeypatch.setattr(audit, "_append_lock", contextlib.nullcontext())

    def append(n: int) -> None:
        for k in range(each):
            audit.record(engine, QA, "export", f"table {n}.{k}")

    workers = [threading.Thread(target=append, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
