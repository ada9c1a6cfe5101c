"""The store: file and URL options, reloads keeping child tokens, and a multi-user PostgreSQL deployment."""

from __future__ import annotations

import secrets
import socket
import sys
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pyarrow as pa
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from web_support import AS_AT, Evaluated, Site, append_from_threads, csrf_of

from casewatch import cli
from casewatch.data.quality import ISSUE_SCHEMA
from casewatch.errors import CasewatchError
from casewatch.web import audit, store
from casewatch.web.app import create_app
from casewatch.web.auth import create_demo_accounts
from casewatch.web.ingest import _quality_issues, load_into_store, store_results
from casewatch.web.settings import AppConfig
from casewatch.web.store import open_store, store_url

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def test_store_option_forms(tmp_path: Path) -> None:
    assert store_url(None, tmp_path) == f"sqlite:///{tmp_path.resolve() / 'casewatch-store.sqlite'}"
    assert store_url("x.sqlite", tmp_path).startswith("sqlite:///") and store_url("x.sqlite", tmp_path).endswith(
        "x.sqlite"
    )
    assert store_url("postgresql://u@h/db", tmp_path) == "postgresql+psycopg://u@h/db"
    with pytest.raises(CasewatchError, match="neither a postgresql:// URL nor a file path"):
        store_url("mysql://u@h/db", tmp_path)


def test_a_reload_keeps_each_childs_token(council: Path, site: Site) -> None:
    with site.engine.connect() as conn:
        before = dict(conn.execute(select(store.children.c.person_id, store.children.c.token)).all())
    load_into_store(site.engine, "england", council, AS_AT)
    with site.engine.connect() as conn:
        after = dict(conn.execute(select(store.children.c.person_id, store.children.c.token)).all())
    assert before == after and len(set(after.values())) == len(after)
    assert all(pid not in token for pid, token in after.items())


def _postgres_available() -> bool:
    try:
        with create_engine(POSTGRES).connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def test_postgresql_store_serves_the_same_app(evaluated: Evaluated, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _postgres_available(), "no PostgreSQL server answers at 127.0.0.1:5432 (the machine's service is needed)"
    schema = f"cw_test_{secrets.token_hex(6)}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        engine = open_store(f"{POSTGRES}?options=-csearch_path%3D{schema}")
        summary = store_results(engine, evaluated.pack, evaluated.data, evaluated.results, AS_AT)
        passwords = {a.username: a.password for a in create_demo_accounts(engine)}
        with admin.connect() as conn:
            stored = conn.execute(text(f'SELECT count(*) FROM "{schema}".cw_instances')).scalar()
        assert stored == summary.instances > 0
        client = TestClient(create_app(engine, AppConfig(secure_cookies=False)), follow_redirects=False)
        token = csrf_of(client.get("/login").text)
        client.post("/login", data={"username": "manager", "password": passwords["manager"], "csrf_token": token})
        team = client.get("/team")
        assert team.status_code == 200 and "Overdue and due soon, by worker" in team.text
        standard = client.get("/standard/england.cla-visits")
        assert standard.status_code == 200 and "The last 12 months" in standard.text
        append_from_threads(engine, monkeypatch)
        assert audit.check_chain(engine).intact
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _run_cli(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["casewatch", *args])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    return int(stopped.value.code or 0), " ".join(capsys.readouterr().err.split())


def test_serve_names_a_bad_store_or_a_busy_port_in_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        port = str(busy.getsockname()[1])
        taken = _run_cli(["serve", "--port", port], monkeypatch, capsys)
    bad = _run_cli(["serve", "--store", "mysql://u@h/db", "--port", port], monkeypatch, capsys)
    monkeypatch.delenv("CASEWATCH_OIDC_CLIENT_SECRET", raising=False)
    half_oidc = _run_cli(["serve", "--port", port, "--oidc-issuer", "https://idp.example"], monkeypatch, capsys)
    assert taken[0] == bad[0] == half_oidc[0] == 1
    assert f"cannot listen on 127.0.0.1:{port}" in taken[1] and "choose another port with --port" in taken[1]
    assert "--store 'mysql://u@h/db' is neither a postgresql:// URL nor a file path" in bad[1]
    assert "needs --oidc-issuer, --oidc-client-id and the CASEWATCH_OIDC_CLIENT_SECRET" in half_oidc[1]
    assert "Traceback" not in taken[1] + bad[1] + half_oidc[1]
    assert list(tmp_path.iterdir()) == []


def test_the_quality_report_is_stored_grouped_with_row_numbers_but_no_values() -> None:
    issues = pa.table(
        {
            "table": ["ssd_person"] * 4,
            "file": ["ssd_person.csv"] * 4,
            "row": [7, 3, 5, 9],
            "column": ["pers_dob"] * 3 + [None],
            "value": ["31/02/2019", "2019-13-01", "yesterday", None],
            "severity": ["error"] * 3 + ["warning"],
            "code": ["bad_date"] * 3 + ["malformed_line"],
            "reason": ["a date that is not in an accepted shape"] * 3 + ["a line that cannot be split"],
        },
        schema=ISSUE_SCHEMA,
    )
    data = SimpleNamespace(report=SimpleNamespace(issues=issues))
    grouped = _quality_issues(duckdb.connect(), data)  # type: ignore[arg-type]
    assert grouped[0] == {
        "severity": "error",
        "table_name": "ssd_person",
        "column_name": "pers_dob",
        "reason": "a date that is not in an accepted shape",
        "rows": 3,
        "examples": "3, 5, 7",
    }
    assert grouped[1]["severity"] == "warning" and grouped[1]["rows"] == 1
    assert "31/02/2019" not in str(grouped)
