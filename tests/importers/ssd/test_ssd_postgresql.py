"""The SSD importer against a real PostgreSQL server: a messy warehouse schema in, an evaluated council out.

The test creates its own uniquely named schema holding the example council as a council's warehouse would hold
it (see ``ssd_sources``), imports it read-only, evaluates the England pack over the import and over the
original files, and drops the schema. PostgreSQL must be reachable: an unreachable server fails the test.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql
from ssd_sources import BAD_CONTACT_ID, BAD_VISIT_ID, EXAMPLE, SourceTable, example_rows, messy_tables

from casewatch.api import evaluate
from casewatch.errors import DataError
from casewatch.importers.report import ImportReport
from casewatch.importers.ssd import import_ssd, open_reader
from support.postgres import connect as _connect

URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
AS_AT = "2026-10-30"


def _create(con: psycopg.Connection, schema: str, table: SourceTable) -> None:
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(kind)) for name, kind in table.columns
    )
    con.execute(sql.SQL("CREATE TABLE {}.{} ({})").format(sql.Identifier(schema), sql.Identifier(table.name), columns))
    copy = sql.SQL("COPY {}.{} FROM STDIN").format(sql.Identifier(schema), sql.Identifier(table.name))
    with con.cursor().copy(copy) as writer:
        for row in table.rows:
            writer.write_row(row)


def _objects(con: psycopg.Connection, schema: str) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY 1", [schema]
    ).fetchall()
    return [str(r[0]) for r in rows]


@pytest.fixture(scope="module")
def warehouse() -> Iterator[str]:
    """A fresh schema holding the messy example council; dropped afterwards."""
    schema = f"cw_ssd_test_{uuid.uuid4().hex[:10]}"
    con = _connect()
    try:
        con.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        for table in messy_tables():
            _create(con, schema, table)
        yield schema
    finally:
        con.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        con.close()


@pytest.fixture(scope="module")
def imported(warehouse: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportReport, Path]:
    out = tmp_path_factory.mktemp("ssd_pg")
    with _connect() as con:
        before = _objects(con, warehouse)
        report = import_ssd(URL, out, schema=warehouse.upper())  # schema names match case-insensitively
        assert _objects(con, warehouse) == before  # nothing created in the source
    return report, out


def test_every_row_is_loaded_or_reported(imported: tuple[ImportReport, Path], warehouse: str) -> None:
    report, out = imported
    for table in messy_tables():
        where = f"{warehouse}.{table.name}"
        assert report.rows_read[where] == len(table.rows), where
        skipped = report.rows_skipped.get(where, 0)
        assert report.rows_written[table.table] + skipped == len(table.rows), where
    assert sum(report.rows_skipped.values()) == 2
    errors = sorted((p.file, p.row, p.column, p.value) for p in report.problems if p.severity == "error")
    visits, contacts = len(example_rows("ssd_cp_visits")), len(example_rows("ssd_contacts"))
    assert errors == sorted(
        [
            (f"{warehouse}.ssd_contacts", contacts + 1, "cont_person_id", None),
            (f"{warehouse}.ssd_cp_visits", visits + 1, "cppv_cp_visit_date", "not recorded"),
        ]
    )
    assert "ssd_cp_visits" in {p.name.removesuffix(".csv") for p in out.iterdir()}
    assert BAD_VISIT_ID not in (out / "ssd_cp_visits.csv").read_text(encoding="utf-8")
    assert BAD_CONTACT_ID not in (out / "ssd_contacts.csv").read_text(encoding="utf-8")


def test_cms_variants_and_messy_values_are_normalised(imported: tuple[ImportReport, Path], warehouse: str) -> None:
    report, out = imported
    notes = {p.reason for p in report.problems if p.file == f"{warehouse}.ssd_cp_reviews"}
    assert "column due_date read as cppr_cp_review_due" in notes
    # the whole tables come out exactly as the original files (ids, ISO dates, Y/N, person ids derived)
    for table in ("ssd_cp_reviews", "ssd_cin_plans", "ssd_cp_plans", "ssd_cla_episodes", "ssd_cin_assessments"):
        assert _table(out, table) == _table(EXAMPLE, table), table
    visits = _table(out, "ssd_cp_visits")
    assert len(visits) == len(example_rows("ssd_cp_visits"))
    assert visits == _table(EXAMPLE, "ssd_cp_visits")
    assert "ssd_cla_placement" in report.rows_written and "ssd_person" in report.rows_written
    assert "ssd_pre_proceedings" in report.missing_tables


def test_imported_warehouse_evaluates_like_the_original(imported: tuple[ImportReport, Path]) -> None:
    _, out = imported
    original = evaluate("england", EXAMPLE, AS_AT)
    from_warehouse = evaluate("england", out, AS_AT)
    assert from_warehouse.not_evaluated == original.not_evaluated
    assert _instances(from_warehouse.instances) == _instances(original.instances)
    assert from_warehouse.instances.num_rows > 1000


def test_the_import_connection_refuses_writes(warehouse: str) -> None:
    reader = open_reader(URL, warehouse)
    try:
        assert isinstance(reader.connection, sa.Connection)  # type: ignore[attr-defined]
        with pytest.raises(sa.exc.DBAPIError, match="read-only transaction"):
            reader.connection.exec_driver_sql(f'CREATE TABLE "{warehouse}".casewatch_was_here (a int)')  # type: ignore[attr-defined]
    finally:
        reader.close()
    with _connect() as con:
        assert "casewatch_was_here" not in _objects(con, warehouse)


def test_an_absent_schema_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"has no schema 'ssd_development' \(schemas: .*\); name the SSD's schema"):
        import_ssd(URL, tmp_path / "out")


def test_postgresql_url_without_a_driver_uses_psycopg(warehouse: str, tmp_path: Path) -> None:
    report = import_ssd("postgresql://postgres@127.0.0.1:5432/test", tmp_path, schema=warehouse)
    assert report.rows_written["ssd_person"] == len(example_rows("ssd_person"))
    assert report.source == "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _table(folder: Path, table: str) -> list[tuple[str, ...]]:
    import csv

    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return sorted(tuple(_day(v) for v in row.values()) for row in rows)


def _day(value: str) -> str:
    """Dates compare as days: a warehouse's midnight timestamp is the file's date."""
    return value.removesuffix(" 00:00:00")


def _instances(table: object) -> list[tuple[object, ...]]:
    columns = ("standard_id", "subject_id", "episode_id", "sequence", "status", "due_date", "completed_date")
    data = table.select(list(columns)).to_pylist()  # type: ignore[attr-defined]
    return sorted(tuple(str(row[c]) for c in columns) for row in data)
