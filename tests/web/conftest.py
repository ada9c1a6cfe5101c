"""A small synthetic council, loaded once into a SQLite store, with one account per role and a second worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from web_support import AS_AT, Evaluated, Site

from casewatch import api
from casewatch.synth import generate_council
from casewatch.web import store
from casewatch.web.app import create_app
from casewatch.web.auth import create_demo_accounts, create_user, generate_password
from casewatch.web.ingest import store_results
from casewatch.web.settings import AppConfig
from casewatch.web.store import open_store


@pytest.fixture(scope="session")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("council")
    generate_council(folder, population=1000, years=1, seed=11, as_at=AS_AT)
    return folder


@pytest.fixture(scope="session")
def evaluated(council: Path) -> Evaluated:
    """The council loaded and evaluated once; stores are filled from it with ``store_results``."""
    pack = api.load_standards("england")
    data = api.load_data(council, as_at=AS_AT)
    return Evaluated(pack, data, api.evaluate(pack, data, AS_AT))


@pytest.fixture(scope="session")
def site(evaluated: Evaluated, tmp_path_factory: pytest.TempPathFactory) -> Site:
    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.sqlite'}")
    store_results(engine, evaluated.pack, evaluated.data, evaluated.results, AS_AT)
    passwords = {a.username: a.password for a in create_demo_accounts(engine)}
    oc = store.open_cases
    with engine.connect() as conn:
        worker_id, team_id = conn.execute(
            select(store.users.c.worker_id, store.users.c.team_id).where(store.users.c.username == "worker")
        ).one()
        team_id = conn.execute(select(store.users.c.team_id).where(store.users.c.username == "manager")).scalar_one()
        other_worker, other_team = conn.execute(
            select(oc.c.worker_id, oc.c.team_id)
            .where(oc.c.worker_id.is_not(None), oc.c.worker_id != worker_id, oc.c.team_id != team_id)
            .group_by(oc.c.worker_id, oc.c.team_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
    passwords["worker2"] = generate_password()
    create_user(engine, "worker2", "Second worker", "social_worker", passwords["worker2"], worker_id=other_worker)
    app = create_app(engine, AppConfig(secure_cookies=False))
    return Site(engine, app, passwords, worker_id, team_id, other_worker, other_team)


@pytest.fixture(autouse=True)
def no_login_failures(site: Site) -> Iterator[None]:
    """Every test starts unthrottled (all TestClient requests share one client address)."""
    yield
    with site.engine.begin() as conn:
        conn.execute(delete(store.login_failures))
