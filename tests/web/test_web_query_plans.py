"""Every query a page or download runs is answered from an index, so pages stay fast as a council grows.

Time is not asserted (a shared test machine makes timings meaningless); instead each query the pages send to the
SQLite store is captured and run through EXPLAIN QUERY PLAN, and no plan may read a whole table row by row, except
the small lookup tables and the two deliberate walks of the audit log (newest first, and the chain check).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from test_web_accessibility import PAGES, _fill
from web_support import Site, sign_in

#: Tables that stay small whatever the council's size: a scan of them is as good as an index.
SMALL = {"cw_meta", "cw_workers", "cw_teams", "cw_standard_notes", "cw_quality_tables", "cw_quality_issues"}
MORE_PAGES = [
    ("admin", "/admin/audit?action=view_child"),
    ("admin", "/admin/audit?username=qa"),
    ("admin", "/admin/audit?download=csv&table=audit-log"),
    ("admin", "/admin/audit?since=2026-01-01&until=2026-12-31&page=2"),
    ("admin", "/admin/audit?username=qa&action=sign_in&since=2026-01-01"),
    ("manager", "/work-items?team={team}&status=overdue&download=csv&table=work-items"),
    ("worker", "/child/{own_child}?download=xlsx&table=required"),
    ("qa", "/compliance?download=csv&table=compliance"),
    ("qa", "/search?q=1"),
    ("worker", "/search?q=1"),
    ("manager", "/search?q=1&children_page=2"),
    ("qa", "/work-items?team={team}&status=overdue&sort=due_date&dir=desc&page=2"),
    ("manager", "/work-items?team={team}&sort=worker"),
]


def _whole_audit_log_on_purpose(statement: str) -> bool:
    flat = " ".join(statement.split())
    return "FROM cw_audit_log ORDER BY cw_audit_log.id" in flat and "WHERE" not in flat


def test_every_page_query_is_answered_from_an_index(site: Site) -> None:
    statements: dict[str, Any] = {}

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and not many:
            statements.setdefault(statement, parameters)

    event.listen(site.engine, "before_cursor_execute", capture)
    try:
        for username, path in [*PAGES, *MORE_PAGES]:
            response = sign_in(site.app, username, site.passwords[username]).get(_fill(site, path))
            assert response.status_code in (200, 403, 404), path
    finally:
        event.remove(site.engine, "before_cursor_execute", capture)
    assert len(statements) > 30
    raw = site.engine.raw_connection()
    try:
        cursor = raw.cursor()
        slow = []
        for statement, parameters in statements.items():
            cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            for *_ids, detail in cursor.fetchall():
                words = str(detail).split()
                scans_a_big_table = words[0] == "SCAN" and "INDEX" not in words and words[1] not in SMALL
                if scans_a_big_table and not _whole_audit_log_on_purpose(statement):
                    slow.append(f"{detail}: {' '.join(statement.split())[:200]}")
    finally:
        raw.close()
    assert slow == []
