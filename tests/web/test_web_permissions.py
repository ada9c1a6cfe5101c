"""Every role restriction, checked on the server for every route, page and download.

A child, worker or team outside someone's scope is a 404 (the same as one that does not exist), on the page and on
each of its downloads, and a refused download leaves no export in the audit log. A page outside the role is a 403.
Every route is enumerated, so a new route that forgets to ask who is signed in, or a new form without the CSRF
check, fails here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, insert, select
from web_support import Site, child_token, sign_in

from casewatch.web import store
from casewatch.web.routes import admin, login, pages, standards

PUBLIC = {"/login", "/login/oidc", "/login/oidc/callback"}


def _standard_with_instances(site: Site, team_id: str) -> str:
    i = store.instances
    with site.engine.connect() as conn:
        return str(
            conn.execute(
                select(i.c.standard_id).where(i.c.team_id == team_id).group_by(i.c.standard_id).limit(1)
            ).scalar_one()
        )


def _exports(site: Site) -> int:
    a = store.audit_log
    with site.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(a).where(a.c.action == "export")).scalar_one())


def _out_of_scope(site: Site, username: str) -> list[str]:
    """Pages naming a child, worker or team the user may not see: each must be a 404, downloads included."""
    other_child = child_token(site, worker_id=site.other_worker_id)
    standard = _standard_with_instances(site, site.other_team_id)
    if username == "worker":
        own_team_drill = f"/work-items?team={site.team_id}&status=overdue"
        return [
            f"/child/{other_child}",
            f"/caseload?worker={site.other_worker_id}",
            f"/work-items?worker={site.other_worker_id}",
            own_team_drill,
            f"/work-items?team={site.other_team_id}&status=overdue",
            f"/standard/{standard}?team={site.other_team_id}",
            f"/standard/{standard}?worker={site.other_worker_id}",
        ]
    other_team_child = child_token(site, team_id=site.other_team_id)
    return [
        f"/child/{other_team_child}",
        f"/team?team={site.other_team_id}",
        f"/work-items?team={site.other_team_id}&status=overdue",
        f"/work-items?team={site.other_team_id}&standard={standard}&status=overdue",
        f"/work-items?worker={site.other_worker_id}",
        f"/caseload?worker={site.other_worker_id}",
        f"/standard/{standard}?team={site.other_team_id}",
        f"/standard/{standard}?worker={site.other_worker_id}",
    ]


TABLE_OF = {
    "/child/": "episodes",
    "/team": "by-worker",
    "/work-items": "work-items",
    "/caseload": "caseload",
    "/standard/": "instances",
}


@pytest.mark.parametrize("username", ["worker", "manager"])
def test_children_workers_and_teams_outside_scope_are_not_found_on_pages_and_downloads(
    site: Site, username: str
) -> None:
    client = sign_in(site.app, username, site.passwords[username])
    exports_before = _exports(site)
    for path in _out_of_scope(site, username):
        assert client.get(path).status_code == 404, path
        table = next(name for prefix, name in TABLE_OF.items() if path.startswith(prefix))
        joiner = "&" if "?" in path else "?"
        for fmt in ("csv", "xlsx"):
            download = f"{path}{joiner}download={fmt}&table={table}"
            assert client.get(download).status_code == 404, download
    assert _exports(site) == exports_before


@pytest.mark.parametrize(
    "path",
    ["/caseload", "/team", "/work-items", "/compliance", "/standard/{standard}", "/child/{child}"],
)
def test_an_administrator_sees_no_child_level_page_or_download(site: Site, path: str) -> None:
    client = sign_in(site.app, "admin", site.passwords["admin"])
    filled = path.format(
        standard=_standard_with_instances(site, site.team_id), child=child_token(site, worker_id=site.worker_id)
    )
    assert client.get(filled).status_code == 403
    assert client.get(f"{filled}?worker={site.worker_id}&download=csv&table=caseload").status_code == 403


@pytest.mark.parametrize("username", ["worker", "manager", "qa", "head"])
@pytest.mark.parametrize("path", ["/admin/users", "/admin/settings", "/admin/audit", "/admin/audit/check"])
def test_only_administrators_reach_users_settings_and_the_audit_log(site: Site, username: str, path: str) -> None:
    client = sign_in(site.app, username, site.passwords[username])
    assert client.get(path).status_code == 403
    assert client.get(f"{path}?download=csv&table=audit-log").status_code == 403


def test_a_managers_team_download_holds_only_their_teams_children(site: Site) -> None:
    manager = sign_in(site.app, "manager", site.passwords["manager"])
    response = manager.get(f"/work-items?team={site.team_id}&status=overdue,due_soon&download=csv&table=work-items")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    oc = store.open_cases
    with site.engine.connect() as conn:
        team_children = set(conn.execute(select(oc.c.person_id).where(oc.c.team_id == site.team_id)).scalars())
    assert rows and {row["Child"] for row in rows} <= team_children


@pytest.fixture
def worker_with_a_case_in_another_team(site: Site) -> Iterator[str]:
    """The manager's worker also holds one child whose case sits with another team (it happens across teams)."""
    oc = store.open_cases
    with site.engine.begin() as conn:
        person_id = conn.execute(
            select(oc.c.person_id).where(oc.c.team_id == site.other_team_id, oc.c.worker_id == site.other_worker_id)
        ).scalar()
        assert person_id is not None
        added = conn.execute(
            insert(oc).values(person_id=person_id, worker_id=site.worker_id, team_id=site.other_team_id)
        )
        inserted = added.inserted_primary_key[0]  # type: ignore[index]
    try:
        yield str(person_id)
    finally:
        with site.engine.begin() as conn:
            conn.execute(delete(oc).where(oc.c.id == inserted))


def test_a_manager_sees_a_workers_caseload_only_within_their_own_team(
    site: Site, worker_with_a_case_in_another_team: str
) -> None:
    person_id = worker_with_a_case_in_another_team
    ch = store.children
    with site.engine.connect() as conn:
        token = conn.execute(select(ch.c.token).where(ch.c.person_id == person_id)).scalar_one()
    manager = sign_in(site.app, "manager", site.passwords["manager"])
    page = manager.get(f"/caseload?worker={site.worker_id}")
    assert page.status_code == 200 and f"/child/{token}" not in page.text
    csv_text = manager.get(f"/caseload?worker={site.worker_id}&download=csv&table=caseload").text
    assert person_id not in csv_text
    assert manager.get(f"/child/{token}").status_code == 404
    # The worker who holds the case does see the child.
    worker = sign_in(site.app, "worker", site.passwords["worker"])
    assert f"/child/{token}" in worker.get("/caseload").text


def _routes() -> list[APIRoute]:
    return [r for module in (login, pages, standards, admin) for r in module.router.routes if isinstance(r, APIRoute)]


def _concrete(path: str) -> str:
    return path.replace("{token}", "x").replace("{standard_id}", "x").replace("{user_id}", "1")


def test_every_page_needs_a_signed_in_user(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)
    checked = 0
    for route in _routes():
        if route.path in PUBLIC:
            continue
        for method in route.methods or set():
            response = client.request(method, _concrete(route.path))
            assert response.status_code == 303, (method, route.path)
            assert response.headers["location"].startswith("/login"), (method, route.path)
            checked += 1
    assert checked >= 14


def test_every_form_needs_its_csrf_token(site: Site) -> None:
    admin_client = sign_in(site.app, "admin", site.passwords["admin"])
    posts = [r for r in _routes() if "POST" in (r.methods or set())]
    assert {r.path for r in posts} >= {"/login", "/logout", "/admin/users", "/admin/settings"}
    for route in posts:
        response = admin_client.post(_concrete(route.path), data={"csrf_token": "forged", "active": "0"})
        assert response.status_code == 400, route.path
    assert admin_client.get("/admin/users").status_code == 200  # still signed in: the forged sign-out did nothing


def test_a_malformed_address_is_an_ordinary_not_found_page(site: Site) -> None:
    admin = sign_in(site.app, "admin", site.passwords["admin"])
    response = admin.post("/admin/users/not-a-number/active", data={"csrf_token": "x", "active": "1"})
    assert response.status_code == 404 and "Page not found" in response.text and "not-a-number" not in response.text
