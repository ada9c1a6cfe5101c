"""Typed columns (Parquet DATE, TIMESTAMP, BOOLEAN, BIGINT, DOUBLE) skip the text parse but load exactly as if parsed.

Each test loads the same Parquet files twice: as the loader does, and with every column forced down the text path
(the one definition of a value). Tables and the data-quality report must be identical, corner cases included:
placeholder and ancient dates, years the text path cannot read, infinities, NaN, duplicates and out-of-order dates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from data_helpers import AS_AT

from casewatch.data import CaseData, load_case_data, rowcheck
from casewatch.data.contract import TABLES
from casewatch.data.rowcheck import native_columns

PARQUET: dict[str, str] = {
    "ssd_person": """
        SELECT * FROM (VALUES
            ('P1', DATE '2015-01-02', NULL::DATE, TRUE),
            ('P2', DATE '1900-01-01', DATE '2030-05-05', FALSE),
            ('P3', DATE '0500-03-04', DATE '0400-01-01', NULL),
            ('P4', NULL, DATE '10000-01-01', TRUE),
            ('P5', DATE '0044-03-15 (BC)', DATE 'infinity', FALSE),
            ('P1', DATE '2016-01-01', NULL, TRUE),
            ('  ', DATE '2016-01-01', NULL, TRUE)
        ) t(pers_person_id, pers_dob, pers_death_date, pers_is_mother)
    """,
    "ssd_professionals": """
        SELECT * FROM (VALUES
            ('W1', 1.0::DOUBLE, TRUE, 5::BIGINT),
            ('W2', 'nan'::DOUBLE, FALSE, -3),
            ('W3', 'inf'::DOUBLE, NULL, NULL),
            ('W4', -0.0::DOUBLE, TRUE, 9223372036854775807),
            ('W5', 1e20::DOUBLE, FALSE, 0),
            ('W6', NULL, NULL, 12)
        ) t(prof_professional_id, prof_full_time_equivalency, prof_agency_worker_flag, prof_professional_caseload)
    """,
    "ssd_contacts": """
        SELECT * FROM (VALUES
            ('C1', 'P1', TIMESTAMP '2024-05-01 10:00:00.123456'),
            ('C2', 'P2', TIMESTAMP '1900-01-01 00:00:00'),
            ('C3', 'P9', TIMESTAMP '0999-12-31 23:59:59'),
            ('C4', 'P1', TIMESTAMP 'infinity'),
            ('C5', 'P1', NULL),
            ('C6', 'P1', TIMESTAMP '2027-01-01 09:30:00')
        ) t(cont_contact_id, cont_person_id, cont_contact_date)
    """,
    "ssd_cin_episodes": """
        SELECT * FROM (VALUES
            ('R1', 'P1', TIMESTAMP '2020-01-01 13:45:00', DATE '2019-12-31', TRUE),
            ('R2', 'P1', TIMESTAMP '1900-01-01 00:00:00', NULL, NULL),
            ('R3', 'P2', TIMESTAMP '2021-06-01 00:00:00', DATE '2021-06-02', FALSE)
        ) t(cine_referral_id, cine_person_id, cine_referral_date, cine_close_date, cine_referral_nfa)
    """,
    "ssd_missing": """
        SELECT * FROM (VALUES
            ('M1', 'P1', TIMESTAMP '2014-01-01 08:00:00', DATE '2013-12-31'),
            ('M2', 'P1', TIMESTAMP '2024-02-03 22:15:00', DATE '2024-02-04')
        ) t(miss_table_id, miss_person_id, miss_missing_episode_start_date, miss_missing_episode_end_date)
    """,
}


@pytest.fixture
def typed_folder(folder: Path) -> Path:
    con = duckdb.connect()
    try:
        for table, sql in PARQUET.items():
            con.execute(f"COPY ({sql}) TO '{folder / (table + '.parquet')}' (FORMAT parquet)")
    finally:
        con.close()
    return folder


def _everything(data: CaseData) -> dict[str, Any]:
    tables = {name: data.con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall() for name in data.tables}
    return {
        "tables": tables,
        "summaries": data.report.summaries,
        "issues": data.report.issues.to_pylist(),
    }


def _load_both(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    fast = load_case_data(folder, as_at=AS_AT)
    try:
        fast_result = _everything(fast)
    finally:
        fast.con.close()
    with monkeypatch.context() as patch:
        patch.setattr(rowcheck, "is_native", lambda *_: False)
        slow = load_case_data(folder, as_at=AS_AT)
    try:
        slow_result = _everything(slow)
    finally:
        slow.con.close()
    return fast_result, slow_result


def test_typed_columns_take_the_native_path() -> None:
    types = {"pers_person_id": "VARCHAR", "pers_dob": "DATE", "pers_is_mother": "BOOLEAN"}
    assert native_columns(TABLES["ssd_person"], types, []) == {"pers_dob": "DATE", "pers_is_mother": "BOOLEAN"}
    # A double in an int column, a time zone or text in a date column are read as text, as before.
    types = {"pers_dob": "VARCHAR", "pers_is_mother": "INTEGER"}
    assert native_columns(TABLES["ssd_person"], types, []) == {}


def test_native_and_text_paths_load_the_same(typed_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _load_both(typed_folder, monkeypatch)
    assert fast == slow
    codes = {issue["code"] for issue in fast["issues"]}
    # The corner cases really are in the data, so the comparison means something.
    assert {"bad_date", "bad_number", "duplicate_key", "missing_required", "impossible_order"} <= codes
    assert {"early_date", "future_date", "orphan"} <= codes
