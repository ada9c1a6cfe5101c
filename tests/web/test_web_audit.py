"""The audit log's hash chain: an entry changed, removed or added directly in the store is found by the check.

Each test writes its own small log in a fresh store, then edits the table behind the app's back, as someone with
database access could.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, delete, insert, inspect, select, text, update
from web_support import QA, Site, append_from_threads, csrf_of, sign_in

from casewatch.web import audit, store
from casewatch.web.app import create_app
from casewatch.web.auth import User, create_user, generate_password
from casewatch.web.settings import AppConfig
from casewatch.web.store import open_store


@pytest.fixture
def log(tmp_path: Path) -> Engine:
    engine = open_store(f"sqlite:///{tmp_path / 'audit.sqlite'}")
    for n in range(6):
        audit.record(engine, QA, "view_child", f"P{n:07d}")
    return engine


def _ids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(select(store.audit_log.c.id).order_by(store.audit_log.c.id)).scalars())


def test_an_untouched_log_is_intact(log: Engine) -> None:
    check = audit.check_chain(log)
    assert check.intact and check.entries == 6 and check.before_chain == 0 and not check.starts_after_removal
    assert check.latest_id == _ids(log)[-1] and check.latest_hash is not None


def test_a_changed_entry_is_found(log: Engine) -> None:
    third = _ids(log)[2]
    with log.begin() as conn:
        conn.execute(update(store.audit_log).where(store.audit_log.c.id == third).values(username="someone-else"))
    assert audit.check_chain(log).problems == [f"Entry {third} has been changed since it was written."]


def test_a_changed_entry_resealed_by_hand_is_still_found(log: Engine) -> None:
    a = store.audit_log
    third = _ids(log)[2]
    with log.begin() as conn:
        row = conn.execute(select(a).where(a.c.id == third)).one()
        forged = audit.entry_hash(row.id, row.at, row.username, row.role, row.action, "P9999999", None, row.prev_hash)
        conn.execute(update(a).where(a.c.id == third).values(target="P9999999", entry_hash=forged))
    problems = audit.check_chain(log).problems
    assert problems == [
        f"Entry {_ids(log)[3]} does not follow the entry before it: an entry was removed or added here."
    ]


def test_a_removed_entry_is_found(log: Engine) -> None:
    ids = _ids(log)
    with log.begin() as conn:
        conn.execute(delete(store.audit_log).where(store.audit_log.c.id == ids[2]))
    assert audit.check_chain(log).problems == [
        f"Entry {ids[3]} does not follow the entry before it: an entry was removed or added here."
    ]


def test_an_entry_added_outside_the_app_is_found(log: Engine) -> None:
    with log.begin() as conn:
        conn.execute(
            insert(store.audit_log).values(at=datetime.now(), username="x", role="qa", action="view_child", target="P1")
        )
    check = audit.check_chain(log)
    assert check.problems == [f"Entry {_ids(log)[-1]} is not sealed: it was added outside the app."]


def test_removing_the_oldest_entries_for_retention_leaves_an_intact_chain(log: Engine) -> None:
    ids = _ids(log)
    with log.begin() as conn:
        conn.execute(delete(store.audit_log).where(store.audit_log.c.id <= ids[1]))
    check = audit.check_chain(log)
    assert check.intact and check.starts_after_removal and check.entries == 4


def test_a_store_from_before_the_chain_gains_it(tmp_path: Path) -> None:
    """An older store's audit table has no hash columns: opening it adds them, and its old entries are counted."""
    path = tmp_path / "old.sqlite"
    old = create_engine(f"sqlite:///{path}")
    with old.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE cw_audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at DATETIME NOT NULL, "
                "username VARCHAR(100) NOT NULL, role VARCHAR(32) NOT NULL, action VARCHAR(32) NOT NULL, "
                "target TEXT NOT NULL, detail TEXT)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO cw_audit_log (at, username, role, action, target) "
                "VALUES ('2026-10-01 09:00:00', 'qa', 'qa', 'view_child', 'P0000001')"
            )
        )
    old.dispose()
    engine = open_store(f"sqlite:///{path}")
    audit.record(engine, QA, "export", "compliance / compliance")
    check = audit.check_chain(engine)
    assert check.intact and check.before_chain == 1 and check.entries == 2


def test_the_administrator_runs_the_check_and_it_is_audited(site: Site) -> None:
    admin = sign_in(site.app, "admin", site.passwords["admin"])
    assert 'href="/admin/audit/check"' in admin.get("/admin/audit").text
    page = admin.get("/admin/audit/check")
    assert page.status_code == 200 and "No tampering found" in page.text
    a = store.audit_log
    with site.engine.connect() as conn:
        latest = conn.execute(select(a.c.action, a.c.detail).order_by(a.c.id.desc()).limit(1)).one()
    assert latest.action == "audit_checked" and latest.detail.endswith("intact")


def test_appends_racing_from_several_connections_keep_one_chain(log: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    append_from_threads(log, monkeypatch)
    check = audit.check_chain(log)
    assert check.intact and check.entries == 6 + 4 * 15


def test_entries_are_stamped_in_utc(log: Engine) -> None:
    """Stored without a zone, so the clock is fixed: UTC, whatever the server's local time."""
    before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    audit.record(log, QA, "view_child", "P9")
    (latest,) = audit.entries(log, limit=1)
    assert before <= latest.at <= before + timedelta(seconds=5)
    assert audit.check_chain(log).intact


def test_a_store_from_before_client_addresses_gains_them_and_its_sealed_entries_still_check(tmp_path: Path) -> None:
    """An entry sealed before addresses were recorded keeps its seal; entries made in a request carry the address."""
    path = tmp_path / "old.sqlite"
    old = create_engine(f"sqlite:///{path}")
    at = datetime(2026, 10, 1, 9, 0, 0)
    sealed = audit.entry_hash(1, at, "qa", "qa", "view_child", "P0000001", None, audit.GENESIS)
    with old.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE cw_audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at DATETIME NOT NULL, "
                "username VARCHAR(100) NOT NULL, role VARCHAR(32) NOT NULL, action VARCHAR(32) NOT NULL, "
                "target TEXT NOT NULL, detail TEXT, prev_hash VARCHAR(64), entry_hash VARCHAR(64))"
            )
        )
        conn.execute(
            text(
                "INSERT INTO cw_audit_log (id, at, username, role, action, target, prev_hash, entry_hash) "
                "VALUES (1, '2026-10-01 09:00:00', 'qa', 'qa', 'view_child', 'P0000001', :genesis, :sealed)"
            ),
            {"genesis": audit.GENESIS, "sealed": sealed},
        )
    old.dispose()
    engine = open_store(f"sqlite:///{path}")
    columns = {c["name"] for c in inspect(engine).get_columns("cw_audit_log")}
    assert {"client_address", "user_agent"} <= columns
    audit.record(engine, QA, "export", "compliance / compliance")
    check = audit.check_chain(engine)
    assert check.intact and check.before_chain == 0 and check.entries == 2


def test_a_changed_client_address_is_found(site: Site) -> None:
    """The address is sealed with the entry: rewriting where a request came from breaks the seal."""
    client = TestClient(site.app, client=("203.0.113.9", 5000))
    token = csrf_of(client.get("/login").text)
    client.post("/login", data={"username": "nobody-here", "password": "x", "csrf_token": token})
    a = store.audit_log
    with site.engine.begin() as conn:
        latest = conn.execute(select(a.c.id, a.c.client_address).order_by(a.c.id.desc()).limit(1)).one()
        assert latest.client_address == "203.0.113.9"
        conn.execute(update(a).where(a.c.id == latest.id).values(client_address="192.0.2.1"))
    try:
        assert audit.check_chain(site.engine).problems == [f"Entry {latest.id} has been changed since it was written."]
    finally:
        with site.engine.begin() as conn:
            conn.execute(update(a).where(a.c.id == latest.id).values(client_address=latest.client_address))


@pytest.fixture
def audited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[TestClient, Engine]:
    """A store of its own with 250 views by alice over three days and a few by bob, and an administrator."""
    engine = open_store(f"sqlite:///{tmp_path / 'audit-page.sqlite'}")
    password = generate_password()
    create_user(engine, "admin", "Administrator", "administrator", password)
    alice = User(2, "alice", "Alice", "qa", None, None, "csrf")
    bob = User(3, "bob", "Bob", "head_of_service", None, None, "csrf")
    for n in range(250):
        day = datetime(2026, 10, 1 + n // 100, 9, 0, 0)  # 100 on the 1st, 100 on the 2nd, 50 on the 3rd
        monkeypatch.setattr(audit, "utc_now", lambda day=day: day)
        audit.record(engine, alice, "view_child", f"P{n:07d}")
        if n % 50 == 0:
            audit.record(engine, bob, "export", f"compliance / {n}")
    monkeypatch.undo()
    app = create_app(engine, AppConfig(secure_cookies=False))
    return sign_in(app, "admin", password), engine


def test_the_audit_page_pages_over_the_whole_log_and_says_so(audited: tuple[TestClient, Engine]) -> None:
    admin, _engine = audited
    first = admin.get("/admin/audit?username=alice")
    assert "Entries 1 to 100 of 250 found, newest first (page 1 of 3)" in first.text
    assert "P0000249" in first.text and "P0000000" not in first.text
    assert 'href="/admin/audit?username=alice&amp;page=2"' in first.text
    last = admin.get("/admin/audit?username=alice&page=3")
    assert "Entries 201 to 250 of 250" in last.text and "P0000000" in last.text and "P0000249" not in last.text
    assert "page=4" not in last.text
    assert "Entries 201 to 250" in admin.get("/admin/audit?username=alice&page=99").text  # past the end: the last


def test_the_audit_page_searches_by_action_and_date_range(audited: tuple[TestClient, Engine]) -> None:
    admin, _engine = audited
    day = admin.get("/admin/audit?since=2026-10-02&until=2026-10-02")
    assert "of 102 found" in day.text  # alice's 100 views and bob's 2 exports of the 2nd
    assert "P0000199" in day.text and "P0000200" not in day.text
    assert "P0000100" in admin.get("/admin/audit?since=2026-10-02&until=2026-10-02&page=2").text
    assert "P0000099" not in admin.get("/admin/audit?since=2026-10-02&until=2026-10-02&page=2").text
    assert "of 5 found" in admin.get("/admin/audit?action=export").text
    assert "of 3 found" in admin.get("/admin/audit?action=export&username=bob&since=2026-10-02").text
    assert "No entries found" in admin.get("/admin/audit?username=carol").text


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ("since=30/10/2026", "Enter the from date as YYYY-MM-DD, for example 2026-10-30."),
        ("until=yesterday", "Enter the to date as YYYY-MM-DD, for example 2026-10-30."),
        ("since=2026-10-03&until=2026-10-01", "The &#39;from&#39; date must be on or before the &#39;to&#39; date."),
    ],
)
def test_a_mistyped_audit_search_is_one_clear_sentence(
    audited: tuple[TestClient, Engine], query: str, sentence: str
) -> None:
    admin, _engine = audited
    page = admin.get(f"/admin/audit?{query}")
    assert page.status_code == 400 and sentence in page.text and "Traceback" not in page.text


def test_the_audit_export_holds_the_whole_filtered_log_and_is_itself_audited(
    audited: tuple[TestClient, Engine],
) -> None:
    admin, engine = audited
    download = admin.get("/admin/audit?username=alice&since=2026-10-02&page=2&download=csv&table=audit-log")
    lines = download.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "When (UTC),Who,Role,Action,What,Detail,From address,Browser"
    assert len(lines) == 1 + 150 and all(",alice," in line for line in lines[1:])
    (latest,) = audit.entries(engine, limit=1)
    assert (latest.username, latest.action, latest.target) == ("admin", "export", "audit log / audit-log")
    assert latest.detail.startswith("csv; 150 rows;") and "username=alice" in latest.detail
    assert audit.check_chain(engine).intact
