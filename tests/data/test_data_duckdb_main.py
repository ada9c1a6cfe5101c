"""A .duckdb file whose tables sit in its default schema loads: the common case of `CREATE TABLE` with no schema."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from casewatch.data.load import load_case_data


def test_tables_in_the_default_main_schema_of_a_duckdb_file_load(tmp_path: Path) -> None:
    db_path = tmp_path / "extract.duckdb"
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE ssd_person AS SELECT 'P1' AS pers_person_id, DATE '2015-02-01' AS pers_dob")
    con.close()
    data = load_case_data(db_path, as_at=date(2026, 10, 30))
    try:
        assert data.tables == {"ssd_person": 1}
        assert data.con.execute("SELECT pers_person_id, pers_dob FROM ssd_person").fetchall() == [
            ("P1", date(2015, 2, 1))
        ]
    finally:
        data.close()
