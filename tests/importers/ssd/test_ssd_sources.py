"""The SSD importer over SQLite, DuckDB and folders of extracts, and the one-sentence errors a user can act on."""

from __future__ import annotations

import csv
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ssd_sources import EXAMPLE, example_rows, example_tables, messy_tables

from casewatch.errors import DataError
from casewatch.importers.csv_tables import clear_earlier_import
from casewatch.importers.report import ImportReport
from casewatch.importers.ssd import import_ssd, open_reader


def _rows(out: Path, table: str) -> list[dict[str, str]]:
    with (out / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _sqlite(path: Path) -> Path:
    """A small SystemC-style SSD in SQLite: no schemas, upper-case names, text dates of every shape."""
    con = sqlite3.connect(path)
    con.executescript(
        """
        CREATE TABLE SSD_PERSON (pers_person_id TEXT, pers_dob TEXT, pers_sex TEXT, local_notes TEXT);
        INSERT INTO SSD_PERSON VALUES ('P1', '2015-03-01', 'M', 'x'), ('P2', '01/02/2016', 'F', NULL);
        CREATE TABLE ssd_cp_plans (cppl_cp_plan_id TEXT, cppl_person_id TEXT, cppl_cp_plan_start_date TEXT,
                                   cppl_cp_plan_end_date TEXT);
        INSERT INTO ssd_cp_plans VALUES ('CP1', 'P1', '2026-01-05 00:00:00', '1900-01-01');
        CREATE TABLE cp_visits (cppv_cp_visit_id TEXT, cppv_cp_plan_id TEXT, cppv_cp_visit_date TEXT,
                                cppv_cp_visit_seen TEXT);
        INSERT INTO cp_visits VALUES ('V1', 'CP1', '12/01/2026', 'Y'), ('V2', 'CP1', '31/02/2026', 'N'),
                                     ('V3', 'CP1', '2026-01-20', 'Yes');
        CREATE TABLE audit_log (a INTEGER);
        """
    )
    con.commit()
    con.close()
    return path


def test_sqlite_file_is_read_read_only_with_located_problems(tmp_path: Path) -> None:
    db = _sqlite(tmp_path / "ssd.db")
    before = db.read_bytes()
    report = import_ssd(f"sqlite:///{db}", tmp_path / "out")
    assert db.read_bytes() == before
    assert report.rows_read == {"main.SSD_PERSON": 2, "main.ssd_cp_plans": 1, "main.cp_visits": 3}
    assert report.rows_written == {"ssd_person": 2, "ssd_cp_plans": 1, "ssd_cp_visits": 2}
    assert report.rows_skipped == {"main.cp_visits": 1}
    [error] = [p for p in report.problems if p.severity == "error"]
    assert (error.file, error.row, error.column, error.value) == (
        "main.cp_visits",
        2,
        "cppv_cp_visit_date",
        "31/02/2026",
    )
    notes = {p.reason for p in report.problems if p.severity == "note"}
    assert "not SSD tables, not read: audit_log" in notes
    assert "columns not in the contract, not read: local_notes" in notes
    assert [r["pers_dob"] for r in _rows(tmp_path / "out", "ssd_person")] == ["2015-03-01", "2016-02-01"]
    plan = _rows(tmp_path / "out", "ssd_cp_plans")[0]
    assert (plan["cppl_cp_plan_start_date"], plan["cppl_cp_plan_end_date"]) == ("2026-01-05", "")
    visits = _rows(tmp_path / "out", "ssd_cp_visits")
    assert [(v["cppv_person_id"], v["cppv_cp_visit_date"], v["cppv_cp_visit_seen"]) for v in visits] == [
        ("P1", "2026-01-12", "Y"),
        ("P1", "2026-01-20", "Y"),
    ]


def test_sqlite_connection_refuses_writes(tmp_path: Path) -> None:
    db = _sqlite(tmp_path / "ssd.db")
    reader = open_reader(f"sqlite:///{db}")
    try:
        with pytest.raises(Exception, match="readonly"):
            reader.connection.exec_driver_sql("CREATE TABLE casewatch_was_here (a INTEGER)")  # type: ignore[attr-defined]
    finally:
        reader.close()


@pytest.fixture(scope="module")
def duckdb_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The messy example council in a DuckDB file, schema ssd_development."""
    path = tmp_path_factory.mktemp("duck") / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA ssd_development")
    for table in messy_tables():
        names = [name for name, _ in table.columns]
        types = {"TEXT": pa.string(), "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us")}
        arrow = pa.table({n: pa.array([r[i] for r in table.rows], types[k]) for i, (n, k) in enumerate(table.columns)})
        con.register("upload", arrow)
        con.execute(f'CREATE TABLE ssd_development."{table.name}" AS SELECT * FROM upload')
        con.unregister("upload")
        assert names
    con.close()
    return path


def test_duckdb_file_imports_every_table(duckdb_warehouse: Path, tmp_path: Path) -> None:
    report = import_ssd(f"duckdb:///{duckdb_warehouse}", tmp_path)
    for table in example_tables():
        assert report.rows_written[table] == len(example_rows(table)), table
    assert sum(report.rows_skipped.values()) == 2
    assert _rows(tmp_path, "ssd_cp_reviews") == example_rows("ssd_cp_reviews")


def test_duckdb_file_is_opened_read_only(duckdb_warehouse: Path) -> None:
    reader = open_reader(f"duckdb:///{duckdb_warehouse}")
    try:
        with pytest.raises(duckdb.Error, match="read-only"):
            reader.con.execute("CREATE TABLE casewatch_was_here (a INTEGER)")  # type: ignore[attr-defined]
    finally:
        reader.close()


def test_folder_of_extracts(tmp_path: Path) -> None:
    """Upper-case file names, a byte-order mark, a Parquet table, a malformed line and a Mosaic column."""
    folder = tmp_path / "extract"
    folder.mkdir()
    (folder / "SSD_PERSON.CSV").write_text(
        "\ufeffpers_person_id,pers_dob,pers_sex\nP1,01/03/2015,M\n\nP2,2016-02-01,F,extra\nP3,2017-04-05,F\n",
        encoding="utf-8",
    )
    (folder / "ssd_cin_plans.csv").write_text(
        "cin_plan_id,cinp_person_id,cinp_cin_plan_start_date\nCIN1,P1,2026-02-01\n", encoding="utf-8"
    )
    pq.write_table(
        pa.table(
            {
                "cinv_cin_visit_id": ["CV1", "CV2"],
                "cinv_cin_plan_id": ["CIN1", "CIN1"],
                "cinv_cin_visit_date": ["2026-02-03", "1900-01-01"],
            }
        ),
        folder / "cin_visits.parquet",
    )
    (folder / "casewatch.yaml").write_text("seen_values: [Seen]\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a table", encoding="utf-8")
    report = import_ssd(str(folder), tmp_path / "out")
    assert report.rows_read == {"SSD_PERSON.CSV": 3, "ssd_cin_plans.csv": 1, "cin_visits.parquet": 2}
    [malformed] = [p for p in report.problems if p.row == 4]
    assert malformed.file == "SSD_PERSON.CSV" and "has 4 values but the header names 3 columns" in malformed.reason
    assert [r["pers_person_id"] for r in _rows(tmp_path / "out", "ssd_person")] == ["P1", "P3"]
    assert _rows(tmp_path / "out", "ssd_person")[0]["pers_dob"] == "2015-03-01"
    assert [r["cinp_cin_plan_id"] for r in _rows(tmp_path / "out", "ssd_cin_plans")] == ["CIN1"]
    visits = _rows(tmp_path / "out", "ssd_cin_visits")
    assert [(v["cinv_person_id"], v["cinv_cin_visit_date"]) for v in visits] == [("P1", "2026-02-03")]
    [sentinel] = [p for p in report.problems if p.file == "cin_visits.parquet" and p.row == 2]
    assert sentinel.column == "cinv_cin_visit_date" and sentinel.severity == "error"
    assert (tmp_path / "out" / "casewatch.yaml").read_text(encoding="utf-8") == "seen_values: [Seen]\n"
    assert report.rows_written["ssd_person"] + report.rows_skipped["SSD_PERSON.CSV"] == 3


def test_a_table_missing_a_required_column_is_reported_not_fatal(tmp_path: Path) -> None:
    folder = tmp_path / "extract"
    folder.mkdir()
    (folder / "ssd_person.csv").write_text("pers_person_id\nP1\n", encoding="utf-8")
    (folder / "ssd_cp_plans.csv").write_text("cppl_person_id\nP1\nP2\n", encoding="utf-8")
    report = import_ssd(str(folder), tmp_path / "out")
    assert report.rows_written == {"ssd_person": 1}
    assert report.rows_skipped == {"ssd_cp_plans.csv": 2}
    [error] = [p for p in report.problems if p.severity == "error"]
    assert "required column cppl_cp_plan_id is missing" in error.reason and "none of its 2 rows read" in error.reason
    assert not (tmp_path / "out" / "ssd_cp_plans.csv").exists()


@pytest.mark.parametrize(
    ("source", "sentence"),
    [
        ("mssql+pyodbc://reader:secret@warehouse/ssd?driver=ODBC+Driver+18", "needs the pyodbc database driver"),
        ("sqlite:///{tmp}/absent.db", "no SQLite file at"),
        ("duckdb:///{tmp}/absent.duckdb", "no DuckDB file at"),
        ("postgresql://postgres@127.0.0.1:1/test", "Cannot connect to postgresql+psycopg://postgres@127.0.0.1:1/test"),
        ("{tmp}/ssd_person.csv", "is a single file"),
        ("{tmp}/nowhere", "does not exist"),
        ("oracle+nosuch://x/y", "casewatch cannot read 'oracle+nosuch' databases"),
    ],
)
def test_unusable_sources_are_one_sentence(tmp_path: Path, source: str, sentence: str) -> None:
    (tmp_path / "ssd_person.csv").write_text("pers_person_id\nP1\n", encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(sentence)) as caught:
        import_ssd(source.format(tmp=tmp_path), tmp_path / "out")
    assert "secret" not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_command_line_missing_driver_is_one_sentence_and_non_zero(tmp_path: Path) -> None:
    casewatch = Path(sys.executable).parent / "casewatch"
    done = subprocess.run(
        [str(casewatch), "import", "ssd", "mssql+pyodbc://reader:secret@warehouse/ssd", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "secret" not in done.stderr + done.stdout
    assert "needs the pyodbc database driver" in " ".join(done.stderr.split())


def test_command_line_imports_a_folder_with_a_report(tmp_path: Path) -> None:
    casewatch = Path(sys.executable).parent / "casewatch"
    done = subprocess.run(
        [
            str(casewatch),
            "import",
            "ssd",
            str(EXAMPLE),
            "--out",
            str(tmp_path / "out"),
            "--report",
            str(tmp_path / "problems.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "ssd_person.csv").exists() and (tmp_path / "problems.csv").exists()
    schema_on_folder = subprocess.run(
        [str(casewatch), "import", "ssd", str(EXAMPLE), "--out", str(tmp_path / "o2"), "--schema", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert schema_on_folder.returncode == 1 and "--schema applies only to a database URL" in schema_on_folder.stderr


def test_report_type(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ssd_person.csv").write_text("pers_person_id\nP1\n", encoding="utf-8")
    assert isinstance(import_ssd(str(tmp_path / "in"), tmp_path / "out"), ImportReport)


def test_an_earlier_import_in_the_output_folder_is_replaced_not_mixed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "ssd_cla_episodes.csv").write_text("clae_cla_episode_id\nE1\n", encoding="utf-8")
    (out / "casewatch.yaml").write_text(
        "# Written by 'casewatch import annex-a': these tables hold only each child's latest record.\n"
        "snapshot_tables:\n  - ssd_cp_visits\n",
        encoding="utf-8",
    )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ssd_person.csv").write_text("pers_person_id\nP1\n", encoding="utf-8")
    import_ssd(str(tmp_path / "in"), out)
    assert sorted(p.name for p in out.iterdir()) == ["casewatch.yaml", "ssd_person.csv"]
    assert "snapshot_tables" not in (out / "casewatch.yaml").read_text(encoding="utf-8")


def test_a_casewatch_yaml_the_user_wrote_is_kept_by_clearing(tmp_path: Path) -> None:
    (tmp_path / "casewatch.yaml").write_text("allocated_worker_roles: [KW]\n", encoding="utf-8")
    (tmp_path / "ssd_person.csv").write_text("pers_person_id\nP1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    clear_earlier_import(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["casewatch.yaml", "notes.txt"]
