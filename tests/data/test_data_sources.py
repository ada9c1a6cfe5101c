"""Finding tables and columns: file naming, CSV dialects, aliases, Parquet and DuckDB sources, unusable paths."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from data_helpers import issues, rows

from casewatch.data import CaseData, load_case_data
from casewatch.errors import DataError

Write = Callable[[str, str], Path]
Load = Callable[..., CaseData]


def test_file_names_and_headers_match_case_insensitively_with_a_bom(folder: Path, load: Load) -> None:
    (folder / "SSD_CP_Visits.CSV").write_text(
        "\ufeffCPPV_CP_VISIT_ID,Cppv_Person_Id,CPPV_CP_VISIT_DATE\nV1,P1,2024-01-02\n", encoding="utf-8"
    )
    data = load()
    assert data.tables == {"ssd_cp_visits": 1}
    assert rows(data, "SELECT cppv_cp_visit_id, cppv_person_id FROM ssd_cp_visits") == [("V1", "P1")]
    assert data.report.summaries["ssd_cp_visits"].file == "SSD_CP_Visits.CSV"


def test_delimiter_and_quotes_are_sniffed(write: Write, load: Load) -> None:
    write(
        "ssd_cp_plans.csv",
        "cppl_cp_plan_id;cppl_person_id;cppl_cp_plan_start_date;cppl_cp_plan_latest_category\n"
        'C1;P1;2024-01-01;"Neglect; emotional"\nC2;P2;2024-02-01;Physical\n',
    )
    data = load()
    got = rows(data, "SELECT cppl_cp_plan_latest_category FROM ssd_cp_plans ORDER BY 1")
    assert got == [("Neglect; emotional",), ("Physical",)]


def test_unknown_columns_and_files_are_listed_and_ignored(write: Write, load: Load, folder: Path) -> None:
    write("ssd_cp_visits.csv", "cppv_cp_visit_id,cppv_person_id,cppv_cp_visit_date,visit_notes\nV1,P1,2024-01-02,x\n")
    write("readme.txt", "hello")
    write("ssd_cohort.csv", "dim_person_id\n1\n")
    (folder / "archive").mkdir()
    data = load()
    assert data.report.unknown_columns == {"ssd_cp_visits.csv": ["visit_notes"]}
    assert data.report.ignored_files == ["archive/", "readme.txt", "ssd_cohort.csv"]
    assert "visit_notes" not in [r[0] for r in rows(data, "DESCRIBE ssd_cp_visits")]


def test_mosaic_cp_review_columns_are_read_under_contract_names(write: Write, load: Load) -> None:
    write(
        "ssd_cp_reviews.csv",
        "cppr_cp_review_id,person_id,cppr_cp_plan_id,due_date,actual_date,quorate,review_participation,workflow_step_id\n"
        "R1,P1,C1,2024-04-01,2024-03-28,Yes,PN1,99\n",
    )
    data = load()
    got = rows(
        data,
        "SELECT cppr_person_id, cppr_cp_review_due, cppr_cp_review_date, cppr_cp_review_quorate, "
        "cppr_cp_review_participation FROM ssd_cp_reviews",
    )
    assert got == [("P1", date(2024, 4, 1), date(2024, 3, 28), "Yes", "PN1")]
    assert data.report.renamed_columns["ssd_cp_reviews.csv"] == {
        "person_id": "cppr_person_id",
        "due_date": "cppr_cp_review_due",
        "actual_date": "cppr_cp_review_date",
        "quorate": "cppr_cp_review_quorate",
        "review_participation": "cppr_cp_review_participation",
    }
    assert data.report.unknown_columns == {"ssd_cp_reviews.csv": ["workflow_step_id"]}


def test_contract_name_wins_over_an_alias_given_alongside(write: Write, load: Load) -> None:
    write(
        "ssd_cla_care_plan.csv",
        "lacp_table_id,lacp_cla_care_plan_id,lacp_person_id,lacp_cla_care_plan_start_date\nT1,M1,P1,2024-01-01\n",
    )
    data = load()
    assert rows(data, "SELECT lacp_table_id FROM ssd_cla_care_plan") == [("T1",)]
    assert data.report.unknown_columns == {"ssd_cla_care_plan.csv": ["lacp_cla_care_plan_id"]}


def test_missing_required_column_is_refused_naming_file_and_column(write: Write, load: Load) -> None:
    write("ssd_cp_visits.csv", "cppv_cp_visit_id,cppv_person_id,visit_date\nV1,P1,2024-01-02\n")
    with pytest.raises(DataError) as caught:
        load()
    assert str(caught.value) == (
        "ssd_cp_visits.csv: required column cppv_cp_visit_date is missing "
        "(columns found: cppv_cp_visit_id, cppv_person_id, visit_date)."
    )


def test_underivable_required_column_says_what_it_needs(write: Write, load: Load) -> None:
    write("ssd_cp_visits.csv", "cppv_cp_visit_id,cppv_cp_plan_id,cppv_cp_visit_date\nV1,C1,2024-01-02\n")
    with pytest.raises(DataError, match=r"cppv_person_id is missing and cannot be derived .*ssd_cp_plans"):
        load()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda root: root / "nowhere", r"does not exist; expected a folder of CSV or Parquet files"),
        (lambda root: root, r"no casewatch tables found"),
        (lambda root: (root / "x.csv").write_text("a\n1\n") and root / "x.csv", r"is a single file"),
    ],
)
def test_unusable_paths_are_refused(folder: Path, setup: Callable[[Path], Path], message: str) -> None:
    with pytest.raises(DataError, match=message):
        load_case_data(setup(folder))


def test_a_table_given_twice_is_refused(write: Write, load: Load) -> None:
    write("ssd_person.csv", "pers_person_id\nP1\n")
    write("SSD_PERSON.parquet", "")
    with pytest.raises(DataError, match=r"table ssd_person is given twice"):
        load()


def test_an_empty_file_is_refused(write: Write, load: Load) -> None:
    write("ssd_person.csv", "")
    with pytest.raises(DataError, match=r"ssd_person.csv: the file is empty"):
        load()


def test_a_header_only_file_loads_no_rows(write: Write, load: Load) -> None:
    write("ssd_person.csv", "pers_person_id,pers_dob\n")
    data = load()
    assert data.tables == {"ssd_person": 0}
    assert data.report.all_loaded


def test_latin1_csv_via_config(write: Write, load: Load, folder: Path) -> None:
    (folder / "ssd_person.csv").write_bytes("pers_person_id,pers_forename\nP1,Zo\xeb\n".encode("latin-1"))
    write("casewatch.yaml", "csv_encoding: latin-1\n")
    data = load()
    assert rows(data, "SELECT pers_forename FROM ssd_person") == [("Zoë",)]


def test_undecodable_line_is_reported_not_dropped(load: Load, folder: Path) -> None:
    (folder / "ssd_person.csv").write_bytes(b"pers_person_id,pers_forename\nP1,Zo\xeb\nP2,Ann\n")
    data = load()
    [issue] = issues(data)
    assert (issue.row, issue.code, issue.severity) == (2, "malformed_line", "error")
    assert data.tables == {"ssd_person": 1}


def test_parquet_source_rows_are_positions_and_types_are_normalised(folder: Path, load: Load) -> None:
    con = duckdb.connect()
    con.execute(
        f"""
        COPY (SELECT * FROM (VALUES
            (101.0::DOUBLE, 'P1', DATE '2024-01-02', TRUE),
            (102.0::DOUBLE, 'P1', DATE '1900-01-01', FALSE)
        ) v(cppv_cp_visit_id, cppv_person_id, cppv_cp_visit_date, cppv_cp_visit_seen))
        TO '{folder / "ssd_cp_visits.parquet"}' (FORMAT parquet)
        """
    )
    con.execute(
        f"""
        COPY (SELECT 'K1' AS cont_contact_id, 7 AS cont_person_id,
                     TIMESTAMPTZ '2024-06-01 12:00:00+00' AS cont_contact_date)
        TO '{folder / "ssd_contacts.parquet"}' (FORMAT parquet)
        """
    )
    con.close()
    data = load()
    assert rows(data, "SELECT cppv_cp_visit_id, cppv_cp_visit_date, cppv_cp_visit_seen FROM ssd_cp_visits") == [
        ("101", date(2024, 1, 2), True)
    ]
    # A time-zone-aware timestamp is read as UK local time (British Summer Time in June).
    assert rows(data, "SELECT cont_person_id, cont_contact_date FROM ssd_contacts") == [("7", datetime(2024, 6, 1, 13))]
    [issue] = issues(data)
    assert (issue.file, issue.row, issue.column, issue.code) == (
        "ssd_cp_visits.parquet",
        2,
        "cppv_cp_visit_date",
        "missing_required",
    )


def test_duckdb_source_with_schema(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(db_path))
    con.execute("CREATE SCHEMA ssd_development")
    con.execute(
        "CREATE TABLE ssd_development.ssd_contacts AS SELECT * FROM (VALUES "
        "('K1', 'P1', TIMESTAMP '2024-03-05 10:30:00'), ('K2', 'P2', NULL), "
        "('K1', 'P3', TIMESTAMP '2024-03-06 00:00:00')"
        ") v(cont_contact_id, cont_person_id, cont_contact_date)"
    )
    con.execute("CREATE TABLE ssd_development.etl_log (x INTEGER)")
    con.close()
    with pytest.raises(DataError, match=r"warehouse.duckdb: has no schema 'main'|no casewatch tables found"):
        load_case_data(db_path)
    data = load_case_data(db_path, schema="ssd_development", as_at=date(2025, 1, 1))
    try:
        assert rows(data, "SELECT * FROM ssd_contacts") == [
            ("K1", "P1", datetime(2024, 3, 5, 10, 30), None, None, None)
        ]
        assert [(i.file, i.row, i.code) for i in issues(data)] == [
            ("warehouse.duckdb:ssd_development.ssd_contacts", 2, "missing_required"),
            ("warehouse.duckdb:ssd_development.ssd_contacts", 3, "duplicate_key"),
        ]
        assert data.report.ignored_files == ["ssd_development.etl_log"]
        assert data.source.endswith("warehouse.duckdb:ssd_development")
        assert not rows(data, "SELECT * FROM duckdb_databases() WHERE database_name LIKE '__cw%'")
    finally:
        data.con.close()


def test_a_duckdb_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "cases.duckdb"
    bogus.write_text("not a database")
    with pytest.raises(DataError, match=r"cases.duckdb: cannot be opened as a DuckDB database"):
        load_case_data(bogus)


def test_tables_go_into_a_given_connection_and_staging_is_cleaned_up(write: Write) -> None:
    write("ssd_person.csv", "pers_person_id,pers_dob\nP1,2015-01-02\n")
    con = duckdb.connect()
    data = load_case_data(write("ssd_person.csv", "pers_person_id,pers_dob\nP1,2015-01-02\n").parent, con=con)
    assert data.con is con
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {"ssd_person"}
    con.close()


def test_config_file_is_read_and_unknown_keys_are_refused(write: Write, load: Load) -> None:
    write("ssd_person.csv", "pers_person_id\nP1\n")
    write("casewatch.yaml", "la_code: '831'\nsource_cms: Mosaic\nallocated_worker_roles: [CW, KW]\n")
    data = load()
    assert (data.config.la_code, data.config.source_cms, data.config.allocated_worker_roles) == (
        "831",
        "Mosaic",
        ["CW", "KW"],
    )
    write("casewatch.yaml", "la_code: '831'\nallocated_roles: [CW]\n")
    with pytest.raises(DataError, match=r"^casewatch.yaml: unknown key 'allocated_roles' \(known keys: "):
        load()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("la_code: [unclosed\n", r"casewatch.yaml, line \d+: not valid YAML"),
        ("- just\n- a list\n", r"casewatch.yaml: expected a mapping"),
        ("ssd_timeframe_years: many\n", r"casewatch.yaml: key 'ssd_timeframe_years': "),
        ("seen_values: [N]\n", r"casewatch.yaml: key '\(top level\)'|would mean both yes and no"),
        ("csv_encoding: ebcdic\n", r"casewatch.yaml: key 'csv_encoding': "),
    ],
)
def test_bad_config_values_are_refused(write: Write, load: Load, text: str, message: str) -> None:
    write("ssd_person.csv", "pers_person_id\nP1\n")
    write("casewatch.yaml", text)
    with pytest.raises(DataError, match=message):
        load()


def test_default_allocated_worker_roles() -> None:
    from casewatch.data import DataConfig

    assert {"CW", "SW", "Allocated Social Worker", "ALLOCATED_SW", "Key Worker"} <= set(
        DataConfig().allocated_worker_roles
    )
