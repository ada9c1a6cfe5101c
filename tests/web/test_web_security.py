"""Permissions, sessions, CSRF, throttling, timeout and the audit log, through FastAPI's TestClient."""

from __future__ import annotations

import io
import logging
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from openpyxl import load_workbook
from sqlalchemy import func, select, update
from web_support import Site, child_token, csrf_of, sign_in

from casewatch.errors import CasewatchError
from casewatch.web import audit, store
from casewatch.web.app import create_app
from casewatch.web.auth import create_demo_accounts
from casewatch.web.exports import to_csv, to_xlsx
from casewatch.web.security import (
    ACCOUNT_LIMIT,
    ADDRESS_LIMIT,
    ADDRESS_WINDOW,
    LOCK_FIRST,
    LOCK_LONGEST,
    account_locked_until,
    address_slowed_until,
    client_address,
    lock_for,
    record_failure,
    refusal,
    trusted_networks,
)
from casewatch.web.serve import marking_settings, proxy_settings
from casewatch.web.settings import AppConfig
from casewatch.web.tables import Column as TableColumn
from casewatch.web.tables import DataTable


def audit_rows(site: Site, action: str) -> list[tuple[str, str, str | None]]:
    a = store.audit_log
    with site.engine.connect() as conn:
        rows = conn.execute(select(a.c.username, a.c.target, a.c.detail).where(a.c.action == action)).all()
    return [tuple(r) for r in rows]


def test_pages_need_a_signed_in_user(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)
    response = client.get("/caseload")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fcaseload"


def test_a_wrong_password_is_refused_and_audited(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": "qa", "password": "not-it", "csrf_token": token})
    assert response.status_code == 401
    assert "Enter a correct username and password" in response.text
    assert ("qa", "account", None) in audit_rows(site, "sign_in_failed")


def test_five_failures_lock_the_account_even_with_the_right_password(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)
    for _ in range(5):
        token = csrf_of(client.get("/login").text)
        client.post("/login", data={"username": "head", "password": "wrong", "csrf_token": token})
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": "head", "password": site.passwords["head"], "csrf_token": token})
    assert response.status_code == 429
    assert "This account is locked after too many failed sign-ins" in response.text


def test_sign_in_form_needs_its_csrf_token(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)
    client.get("/login")
    response = client.post("/login", data={"username": "qa", "password": site.passwords["qa"], "csrf_token": "x"})
    assert response.status_code == 400
    assert "casewatch_session" not in response.cookies


def test_session_cookie_is_httponly_and_samesite_lax(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": "qa", "password": site.passwords["qa"], "csrf_token": token})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie


def test_secure_mode_uses_a_host_prefixed_secure_cookie(site: Site) -> None:
    app = create_app(site.engine, AppConfig(secure_cookies=True))
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": "qa", "password": site.passwords["qa"], "csrf_token": token})
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-casewatch=") and "secure" in cookie.lower()
    assert client.get("/compliance").status_code == 200


def test_a_post_without_the_csrf_token_is_refused(site: Site) -> None:
    admin = sign_in(site.app, "admin", site.passwords["admin"])
    response = admin.post("/admin/settings", data={"caseload_limit": "3", "idle_timeout_minutes": "30"})
    assert response.status_code == 400
    assert 'value="20"' in admin.get("/admin/settings").text
    assert admin.post("/logout", data={}).status_code == 400


def test_an_idle_session_ends(site: Site) -> None:
    client = sign_in(site.app, "qa", site.passwords["qa"])
    assert client.get("/compliance").status_code == 200
    with site.engine.begin() as conn:
        conn.execute(update(store.sessions).values(last_seen=datetime.now() - timedelta(minutes=31)))
    response = client.get("/compliance")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_signing_out_ends_the_session_in_the_store_not_only_in_the_browser(site: Site) -> None:
    client = sign_in(site.app, "qa", site.passwords["qa"])
    cookie = client.cookies["casewatch_session"]
    token = csrf_of(client.get("/compliance").text)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/compliance").status_code == 303
    replay = TestClient(site.app, follow_redirects=False, cookies={"casewatch_session": cookie})
    assert replay.get("/compliance").status_code == 303
    assert ("qa", "account", None) in audit_rows(site, "sign_out")


def test_a_session_ends_after_its_lifetime_however_busy(site: Site) -> None:
    client = sign_in(site.app, "qa", site.passwords["qa"])
    with site.engine.begin() as conn:
        conn.execute(update(store.sessions).values(created_at=datetime.now() - timedelta(hours=10, minutes=1)))
    response = client.get("/compliance")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_signing_in_always_starts_a_new_session_and_ends_the_one_before(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)
    client.cookies.set("casewatch_session", "planted-by-someone-else")
    token = csrf_of(client.get("/login").text)
    signed_in = client.post("/login", data={"username": "qa", "password": site.passwords["qa"], "csrf_token": token})
    first = signed_in.cookies["casewatch_session"]
    assert first != "planted-by-someone-else"
    client.cookies.clear()
    client.cookies.set("casewatch_session", first)
    token = csrf_of(client.get("/login").text)
    again = client.post("/login", data={"username": "head", "password": site.passwords["head"], "csrf_token": token})
    assert again.cookies["casewatch_session"] != first
    old = TestClient(site.app, follow_redirects=False, cookies={"casewatch_session": first})
    assert old.get("/compliance").status_code == 303


@pytest.mark.parametrize(
    "target", ["//evil.example/", "/\\evil.example/", "/\t/evil.example/", "https://evil.example/", "/\n/evil.example"]
)
def test_sign_in_never_redirects_off_the_site(site: Site, target: str) -> None:
    client = TestClient(site.app, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "qa", "password": site.passwords["qa"], "csrf_token": token, "next": target}
    )
    assert response.status_code == 303 and response.headers["location"] == "/"


def _try(client: TestClient, username: str, password: str) -> Response:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def test_one_address_failing_against_many_accounts_is_slowed_but_locks_nobody_out(site: Site) -> None:
    sprayer = TestClient(site.app, follow_redirects=False, client=("203.0.113.1", 5000))
    for n in range(ADDRESS_LIMIT - 1):
        assert _try(sprayer, f"guess{n}", "wrong").status_code == 401
    assert _try(sprayer, "qa", "wrong").status_code == 401  # the limit's last failure, against a real account
    slowed = _try(sprayer, "head", site.passwords["head"])
    assert slowed.status_code == 429 and "too many failed sign-ins from your network" in slowed.text
    assert "casewatch_session" not in slowed.cookies
    colleague = TestClient(site.app, follow_redirects=False, client=("198.51.100.2", 5000))
    assert _try(colleague, "qa", site.passwords["qa"]).status_code == 303


def test_an_account_failing_from_many_addresses_is_locked_everywhere(site: Site) -> None:
    for n in range(ACCOUNT_LIMIT):
        stuffer = TestClient(site.app, follow_redirects=False, client=(f"192.0.2.{n + 1}", 5000))
        assert _try(stuffer, "head", "wrong").status_code == 401
    owner = TestClient(site.app, follow_redirects=False, client=("198.51.100.3", 5000))
    locked = _try(owner, "HEAD", site.passwords["head"])  # the lock is on the account, however it is typed
    assert locked.status_code == 429 and "This account is locked" in locked.text
    assert "casewatch_session" not in locked.cookies
    assert ("HEAD", "account") in [(u, t) for u, t, _ in audit_rows(site, "sign_in_blocked")]


def test_the_lock_doubles_with_each_further_failure_up_to_a_ceiling() -> None:
    assert lock_for(ACCOUNT_LIMIT - 1) == timedelta(0)
    assert [lock_for(ACCOUNT_LIMIT + k) for k in range(4)] == [LOCK_FIRST * 2**k for k in range(4)]
    assert lock_for(ACCOUNT_LIMIT + 40) == LOCK_LONGEST


def test_the_account_lock_backs_off_on_an_injected_clock(site: Site) -> None:
    t0 = datetime(2026, 10, 30, 9, 0)
    for n in range(ACCOUNT_LIMIT):
        record_failure(site.engine, "manager", f"192.0.2.{n + 1}", now=t0)
    assert account_locked_until(site.engine, "manager", now=t0) == t0 + LOCK_FIRST
    assert "Try again in 5 minutes" in str(refusal(site.engine, "manager", "198.51.100.9", now=t0))
    t1 = t0 + LOCK_FIRST  # the lock has run out: one more failure locks for twice as long
    assert account_locked_until(site.engine, "manager", now=t1) is None
    record_failure(site.engine, "manager", "192.0.2.9", now=t1)
    assert account_locked_until(site.engine, "manager", now=t1) == t1 + 2 * LOCK_FIRST
    assert refusal(site.engine, "qa", "198.51.100.9", now=t1) is None  # nobody else is touched


def test_a_successful_sign_in_clears_the_accounts_count(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)
    for _ in range(ACCOUNT_LIMIT - 1):
        assert _try(client, "qa", "wrong").status_code == 401
    assert _try(client, "qa", site.passwords["qa"]).status_code == 303
    for _ in range(ACCOUNT_LIMIT - 1):
        assert _try(client, "qa", "wrong").status_code == 401
    assert _try(client, "qa", site.passwords["qa"]).status_code == 303  # 8 failures in all, but never 5 in a row


def test_the_address_limit_lapses_on_an_injected_clock(site: Site) -> None:
    t0 = datetime(2026, 10, 30, 9, 0)
    for n in range(ADDRESS_LIMIT):
        record_failure(site.engine, f"guess{n}", "203.0.113.7", now=t0 + timedelta(seconds=n))
    assert address_slowed_until(site.engine, "203.0.113.7", now=t0 + timedelta(minutes=1)) == t0 + ADDRESS_WINDOW
    assert address_slowed_until(site.engine, "203.0.113.7", now=t0 + ADDRESS_WINDOW) is None
    assert address_slowed_until(site.engine, "203.0.113.8", now=t0 + timedelta(minutes=1)) is None


def test_a_worker_sees_their_own_child_and_gets_404_for_another_workers(site: Site) -> None:
    worker = sign_in(site.app, "worker", site.passwords["worker"])
    own = child_token(site, worker_id=site.worker_id)
    other = child_token(site, worker_id=site.other_worker_id)
    assert worker.get(f"/child/{own}").status_code == 200
    assert worker.get(f"/child/{other}").status_code == 404
    assert worker.get("/child/no-such-token").status_code == 404
    assert worker.get(f"/caseload?worker={site.other_worker_id}").status_code == 404
    second = sign_in(site.app, "worker2", site.passwords["worker2"])
    assert second.get(f"/child/{other}").status_code == 200
    assert second.get(f"/child/{own}").status_code == 404


def test_a_worker_caseload_lists_only_their_children(site: Site) -> None:
    worker = sign_in(site.app, "worker", site.passwords["worker"])
    page = worker.get("/caseload").text
    assert f"/child/{child_token(site, worker_id=site.worker_id)}" in page
    assert f"/child/{child_token(site, worker_id=site.other_worker_id)}" not in page
    rows = worker.get("/work-items?status=overdue,due_soon,not_due,met,met_late&download=csv&table=work-items").text
    oc = store.open_cases
    with site.engine.connect() as conn:
        others = set(conn.execute(select(oc.c.person_id).where(oc.c.worker_id == site.other_worker_id)).scalars())
    assert not any(pid in rows for pid in others)


def test_a_manager_sees_their_team_only(site: Site) -> None:
    manager = sign_in(site.app, "manager", site.passwords["manager"])
    assert manager.get(f"/child/{child_token(site, team_id=site.team_id)}").status_code == 200
    assert manager.get(f"/child/{child_token(site, team_id=site.other_team_id)}").status_code == 404
    assert manager.get(f"/team?team={site.other_team_id}").status_code == 404
    assert manager.get(f"/caseload?worker={site.worker_id}").status_code == 200
    assert manager.get(f"/caseload?worker={site.other_worker_id}").status_code == 404
    team = manager.get("/team").text
    assert "Open cases with no allocated worker" in team and "Overdue and due soon, by worker" in team


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("worker", "/team", 403),
        ("worker", "/data-quality", 403),
        ("worker", "/admin/audit", 403),
        ("manager", "/admin/users", 403),
        ("qa", "/admin/settings", 403),
        ("qa", "/data-quality", 200),
        ("head", "/team", 200),
        ("admin", "/compliance", 403),
        ("admin", "/data-quality", 403),
        ("head", "/data-quality", 200),
        ("admin", "/admin/audit", 200),
        ("qa", "/caseload", 403),
    ],
)
def test_roles_reach_only_their_pages(site: Site, username: str, path: str, status: int) -> None:
    assert sign_in(site.app, username, site.passwords[username]).get(path).status_code == status


def test_child_views_and_exports_are_audited(site: Site) -> None:
    qa = sign_in(site.app, "qa", site.passwords["qa"])
    token = child_token(site, worker_id=site.worker_id)
    with site.engine.connect() as conn:
        person = conn.execute(select(store.children.c.person_id).where(store.children.c.token == token)).scalar_one()
    qa.get(f"/child/{token}")
    assert ("qa", person) in [(u, t) for u, t, _ in audit_rows(site, "view_child")]
    response = qa.get("/compliance?download=csv&table=compliance")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="casewatch-compliance-2026-10-30')
    assert any(u == "qa" and t == "compliance / compliance" for u, t, _ in audit_rows(site, "export"))
    admin = sign_in(site.app, "admin", site.passwords["admin"])
    log = admin.get("/admin/audit?action=view_child").text
    assert person in log
    assert admin.delete("/admin/audit").status_code == 405
    assert admin.post("/admin/audit", data={"csrf_token": csrf_of(log)}).status_code == 405


def test_exports_match_the_table_in_csv_and_excel(site: Site) -> None:
    manager = sign_in(site.app, "manager", site.passwords["manager"])
    csv_text = manager.get("/team?download=csv&table=by-worker").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "Worker,Open cases,Overdue,Due soon"
    xlsx = manager.get("/team?download=xlsx&table=by-worker")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == ["Worker", "Open cases", "Overdue", "Due soon"]
    assert sheet.max_row == len(csv_text.splitlines())
    assert manager.get("/team?download=pdf&table=by-worker").status_code == 404


def test_logs_and_urls_carry_no_child_data(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    qa = sign_in(site.app, "qa", site.passwords["qa"])
    token = child_token(site, worker_id=site.worker_id)
    with site.engine.connect() as conn:
        child = conn.execute(select(store.children).where(store.children.c.token == token)).one()
        people = conn.execute(select(store.children.c.person_id, store.children.c.dob)).all()
    with caplog.at_level(logging.INFO, logger="casewatch.web"):
        pages = [
            qa.get(path).text for path in (f"/child/{token}", "/team", "/work-items?status=overdue", "/compliance")
        ]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "GET /child/{token} 200" in logged and "GET /work-items 200" in logged
    assert token not in logged and child.person_id not in logged and "overdue" not in logged
    links = {href for page in pages for href in re.findall(r'href="([^"]*)"', page)}
    assert any(link.startswith("/child/") for link in links)
    identifying = {p.person_id for p in people} | {p.dob.isoformat() for p in people if p.dob}
    assert not [link for link in links if any(value in link for value in identifying)]


def test_every_response_has_security_headers(site: Site) -> None:
    qa = sign_in(site.app, "qa", site.passwords["qa"])
    for response in (TestClient(site.app).get("/login"), qa.get("/compliance"), qa.get("/no-such-page")):
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "data:" not in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in response.headers  # plain http here: HSTS would be ignored
    secure = TestClient(create_app(site.engine, AppConfig(secure_cookies=True)), base_url="https://testserver")
    assert secure.get("/login").headers["strict-transport-security"].startswith("max-age=")


def test_admin_creates_an_account_with_a_generated_password(site: Site) -> None:
    admin = sign_in(site.app, "admin", site.passwords["admin"])
    token = csrf_of(admin.get("/admin/users").text)
    page = admin.post(
        "/admin/users",
        data={"csrf_token": token, "username": "newqa", "display_name": "New QA", "role": "qa"},
    ).text
    password = page.split("Its password (shown once) is: ")[1].split("<")[0].strip()
    assert len(password) >= 16
    assert sign_in(site.app, "newqa", password).get("/compliance").status_code == 200
    assert ("admin", "newqa", "qa") in audit_rows(site, "user_created")


def test_demo_accounts_are_made_once_with_random_passwords(site: Site) -> None:
    assert create_demo_accounts(site.engine) == []
    assert len(set(site.passwords.values())) == len(site.passwords)


def test_a_password_reset_ends_the_accounts_sessions_and_never_the_administrators_own(site: Site) -> None:
    admin = sign_in(site.app, "admin", site.passwords["admin"])
    token = csrf_of(admin.get("/admin/users").text)
    with site.engine.connect() as conn:
        ids = dict(conn.execute(select(store.users.c.username, store.users.c.id)).all())
    own = admin.post(f"/admin/users/{ids['admin']}/password", data={"csrf_token": token})
    assert own.status_code == 400 and "Ask another administrator" in own.text
    assert admin.post("/admin/users/999999/password", data={"csrf_token": token}).status_code == 404
    page = admin.post(
        "/admin/users", data={"csrf_token": token, "username": "resetme", "display_name": "R", "role": "qa"}
    ).text
    first = page.split("Its password (shown once) is: ")[1].split("<")[0].strip()
    newqa = sign_in(site.app, "resetme", first)
    with site.engine.connect() as conn:
        resetme = conn.execute(select(store.users.c.id).where(store.users.c.username == "resetme")).scalar_one()
    reset = admin.post(f"/admin/users/{resetme}/password", data={"csrf_token": token})
    assert reset.status_code == 200 and "shown once" in reset.text
    assert newqa.get("/compliance").status_code == 303


def _latest_entry(site: Site) -> Any:
    a = store.audit_log
    with site.engine.connect() as conn:
        return conn.execute(select(a).order_by(a.c.id.desc()).limit(1)).one()


def test_every_audit_entry_carries_the_client_address_and_user_agent(site: Site) -> None:
    a = store.audit_log
    with site.engine.connect() as conn:
        before = conn.execute(select(func.max(a.c.id))).scalar() or 0
    qa = TestClient(site.app, follow_redirects=False, headers={"user-agent": "ExampleBrowser/1.0"})
    token = csrf_of(qa.get("/login").text)
    qa.post("/login", data={"username": "qa", "password": site.passwords["qa"], "csrf_token": token})
    qa.get(f"/child/{child_token(site, worker_id=site.worker_id)}")
    qa.get("/compliance?download=csv&table=compliance")
    with site.engine.connect() as conn:
        made = conn.execute(select(a.c.action, a.c.client_address, a.c.user_agent).where(a.c.id > before)).all()
    assert {m.action for m in made} >= {"sign_in", "view_child", "export"}
    assert {(m.client_address, m.user_agent) for m in made} == {("testclient", "ExampleBrowser/1.0")}


def _failed_sign_in(client: TestClient, headers: dict[str, str] | None = None) -> None:
    token = csrf_of(client.get("/login").text)
    data = {"username": "nobody-here", "password": "wrong", "csrf_token": token}
    assert client.post("/login", data=data, headers=headers).status_code == 401


def test_a_forwarded_for_header_from_an_untrusted_peer_is_ignored(site: Site) -> None:
    trusting = create_app(
        site.engine, AppConfig(secure_cookies=False, trusted_proxies=trusted_networks(["10.0.0.0/8"]))
    )
    for app in (site.app, trusting):  # no proxy trusted at all, or the peer is not one of them
        _failed_sign_in(TestClient(app, client=("203.0.113.9", 5000)), {"x-forwarded-for": "198.51.100.7"})
        assert _latest_entry(site).client_address == "203.0.113.9"


def test_a_forwarded_for_header_from_a_trusted_proxy_gives_the_rightmost_untrusted_address(site: Site) -> None:
    app = create_app(site.engine, AppConfig(secure_cookies=False, trusted_proxies=trusted_networks(["10.0.0.0/8"])))
    proxy = TestClient(app, client=("10.0.0.2", 5000))
    # The client wrote 198.51.100.66 itself; the outer proxy 10.0.0.7 saw 203.0.113.5 and passed it on.
    _failed_sign_in(proxy, {"x-forwarded-for": "198.51.100.66, 203.0.113.5, 10.0.0.7"})
    assert _latest_entry(site).client_address == "203.0.113.5"


@pytest.mark.parametrize(
    ("peer", "forwarded", "address"),
    [
        ("10.0.0.2", [], "10.0.0.2"),  # a trusted proxy that did not say: the proxy itself
        ("10.0.0.2", ["192.0.2.1", "203.0.113.5"], "203.0.113.5"),  # several headers read as one list
        ("10.0.0.2", ["not-an-address, 10.0.0.9"], "10.0.0.2"),  # a malformed hop: only the peer is known
        ("10.0.0.2", ["10.0.0.8, 10.0.0.9"], "10.0.0.8"),  # all trusted: the left-most
        ("2001:db8::1", ["192.0.2.1"], "2001:db8::1"),  # an untrusted peer
        ("testclient", ["192.0.2.1"], "testclient"),  # not an address at all: never trusted
    ],
)
def test_client_address(peer: str, forwarded: list[str], address: str) -> None:
    assert client_address(peer, forwarded, trusted_networks(["10.0.0.0/8"])) == address


def test_an_overlong_address_and_user_agent_are_cut_to_fit_the_audit_log(site: Site) -> None:
    long_peer = "fe80::1%" + "z" * 100  # a link-local address with a (long) zone
    _failed_sign_in(TestClient(site.app, client=(long_peer, 5000), headers={"user-agent": "A" * 1000}))
    entry = _latest_entry(site)
    assert entry.client_address == long_peer[:64] and entry.user_agent == "A" * 300


def test_a_malformed_trusted_proxy_is_one_clear_sentence() -> None:
    with pytest.raises(CasewatchError, match="neither an IP address nor a network"):
        proxy_settings(("10.0.0.0/33",))


def _entries_after(site: Site, before: int) -> list[Any]:
    a = store.audit_log
    with site.engine.connect() as conn:
        return list(conn.execute(select(a).where(a.c.id > before).order_by(a.c.id)).all())


def _last_id(site: Site) -> int:
    with site.engine.connect() as conn:
        return int(conn.execute(select(func.max(store.audit_log.c.id))).scalar() or 0)


def test_a_failed_sign_in_records_the_username_as_typed_and_never_the_password(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)
    before = _last_id(site)
    token = csrf_of(client.get("/login").text)
    client.post("/login", data={"username": " Head.Typo ", "password": "Secret-Guess-42", "csrf_token": token})
    (entry,) = _entries_after(site, before)
    assert (entry.action, entry.username, entry.role) == ("sign_in_failed", " Head.Typo ", "-")
    assert "Secret-Guess-42" not in repr(tuple(entry))


def test_a_refused_csrf_token_is_audited_at_sign_in_and_on_forms(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)
    client.get("/login")
    before = _last_id(site)
    client.post("/login", data={"username": "qa", "password": site.passwords["qa"], "csrf_token": "forged"})
    admin = sign_in(site.app, "admin", site.passwords["admin"])
    assert admin.post("/admin/settings", data={"csrf_token": "forged", "caseload_limit": "3"}).status_code == 400
    refused = [(e.username, e.target) for e in _entries_after(site, before) if e.action == "csrf_refused"]
    assert refused == [("qa", "/login"), ("admin", "/admin/settings")]


def test_permission_refusals_are_audited_without_saying_whether_the_thing_exists(site: Site) -> None:
    worker = sign_in(site.app, "worker", site.passwords["worker"])
    other = child_token(site, worker_id=site.other_worker_id)
    before = _last_id(site)
    assert worker.get(f"/child/{other}").status_code == 404
    assert worker.get("/child/no-such-token").status_code == 404
    assert worker.get("/admin/audit").status_code == 403
    entries = _entries_after(site, before)
    seen = [(e.username, e.action, e.target, e.detail) for e in entries]
    assert seen == [
        ("worker", "refused", "/child/{token}", "404"),
        ("worker", "refused", "/child/{token}", "404"),  # the same entry for a child that does not exist
        ("worker", "refused", "/admin/audit", "403"),
    ]
    assert not any(other in repr(tuple(e)) for e in entries)
    assert audit.check_chain(site.engine).intact


def test_a_protective_marking_is_on_every_page_and_atop_every_download(site: Site) -> None:
    marked = create_app(site.engine, AppConfig(secure_cookies=False, protective_marking="OFFICIAL-SENSITIVE"))
    banner = '<p class="cw-marking" id="protective-marking">OFFICIAL-SENSITIVE</p>'
    anonymous = TestClient(marked, follow_redirects=False)
    assert banner in anonymous.get("/login").text
    manager = sign_in(marked, "manager", site.passwords["manager"])
    for path in ("/team", "/compliance", f"/child/{child_token(site, team_id=site.other_team_id)}"):  # and a 404
        assert manager.get(path).text.count("OFFICIAL-SENSITIVE") == 2  # at the top and at the foot
    csv_lines = manager.get("/team?download=csv&table=by-worker").content.decode("utf-8-sig").splitlines()
    assert csv_lines[:2] == ["OFFICIAL-SENSITIVE", "Worker,Open cases,Overdue,Due soon"]
    sheet = load_workbook(io.BytesIO(manager.get("/team?download=xlsx&table=by-worker").content)).active
    assert sheet is not None
    assert sheet["A1"].value == "OFFICIAL-SENSITIVE" and sheet["A2"].value == "Worker"
    admin = sign_in(marked, "admin", site.passwords["admin"])
    audit_csv = admin.get("/admin/audit?download=csv&table=audit-log").content.decode("utf-8-sig")
    assert audit_csv.splitlines()[0] == "OFFICIAL-SENSITIVE"


def test_without_a_marking_nothing_is_marked(site: Site) -> None:
    qa = sign_in(site.app, "qa", site.passwords["qa"])
    assert "cw-marking" not in qa.get("/compliance").text
    assert qa.get("/compliance?download=csv&table=compliance").content.decode("utf-8-sig").startswith("Standard")


@pytest.mark.parametrize("marking", ["x" * 61, "OFFICIAL\nSENSITIVE", " OFFICIAL"])
def test_a_bad_protective_marking_is_one_clear_sentence(marking: str) -> None:
    with pytest.raises(CasewatchError, match="protective marking must be at most 60 printable characters"):
        marking_settings(marking)


def test_an_export_cell_that_looks_like_a_formula_is_defused() -> None:
    """A value from the case data such as '=HYPERLINK(...)' must not run when the download is opened."""
    table = DataTable("t", "T", [TableColumn("name", "Name")], [{"name": '=HYPERLINK("https://evil.example")'}])
    assert to_csv(table).decode("utf-8-sig").splitlines()[1] == '"\'=HYPERLINK(""https://evil.example"")"'
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet is not None and str(sheet["A2"].value).startswith("'=")
