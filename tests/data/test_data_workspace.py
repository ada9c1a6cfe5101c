"""Loading into a working database on disk, under a memory limit: same data, same report, files cleaned up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from data_helpers import AS_AT

from casewatch.cli import EXAMPLE_AS_AT, EXAMPLE_COUNCIL, cli
from casewatch.data import CaseData, load_case_data
from casewatch.data.workspace import WORK_DATABASE
from casewatch.errors import DataError

PERSON = "pers_person_id,pers_dob\nP1,2015-01-02\nP2,not a date\nP1,2016-03-04\n"
VISITS = "cppv_cp_visit_id,cppv_person_id,cppv_cp_visit_date\nV1,P1,2024-05-06\nV2,P9,\n"


def _contents(data: CaseData) -> tuple[object, ...]:
    tables = {t: data.con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in data.tables}
    return tables, data.report.summaries, data.report.issues.to_pylist()


def test_work_folder_loads_the_same_as_memory(folder: Path, write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("ssd_person.csv", PERSON)
    write("ssd_cp_visits.csv", VISITS)
    in_memory = load_case_data(folder, as_at=AS_AT)
    expected = _contents(in_memory)
    in_memory.close()
    work = tmp_path / "work"
    on_disk = load_case_data(folder, as_at=AS_AT, work_dir=work, memory_limit="200MB")
    assert (work / WORK_DATABASE).exists()
    assert on_disk.con.execute("SELECT current_setting('memory_limit')").fetchone() is not None
    assert _contents(on_disk) == expected
    on_disk.close()
    assert not (work / WORK_DATABASE).exists()


def test_a_stale_work_database_is_replaced(folder: Path, write: Callable[[str, str], Path], tmp_path: Path) -> None:
    write("ssd_person.csv", PERSON)
    stale = duckdb.connect(str(tmp_path / WORK_DATABASE))
    stale.execute("CREATE TABLE ssd_person AS SELECT 'old' AS pers_person_id")
    stale.close()
    data = load_case_data(folder, as_at=AS_AT, work_dir=tmp_path)
    assert data.con.execute("SELECT pers_person_id FROM ssd_person ORDER BY 1").fetchall() == [("P1",), ("P2",)]
    data.close()


def test_memory_limit_alone_keeps_data_in_memory(folder: Path, write: Callable[[str, str], Path]) -> None:
    write("ssd_person.csv", PERSON)
    data = load_case_data(folder, as_at=AS_AT, memory_limit="1GB")
    assert data.tables == {"ssd_person": 2}
    spill = data.workspace.files if data.workspace else []
    data.close()
    assert spill and not any(p.exists() for p in spill)


def test_a_memory_limit_duckdb_cannot_read_is_one_sentence(folder: Path, write: Callable[[str, str], Path]) -> None:
    write("ssd_person.csv", PERSON)
    with pytest.raises(DataError, match="memory limit 'lots' is not a size"):
        load_case_data(folder, as_at=AS_AT, memory_limit="lots")


def test_work_folder_cannot_be_combined_with_a_connection(folder: Path, write: Callable[[str, str], Path]) -> None:
    write("ssd_person.csv", PERSON)
    con = duckdb.connect()
    with pytest.raises(ValueError, match="cannot be used with con"):
        load_case_data(folder, con=con, work_dir=folder)
    con.close()


def test_evaluate_with_a_work_folder_prints_the_same_and_cleans_up(tmp_path: Path) -> None:
    args = ["evaluate", "--standards", "england", "--data", str(EXAMPLE_COUNCIL), "--as-at", str(EXAMPLE_AS_AT)]
    plain = CliRunner().invoke(cli, args)
    work = tmp_path / "work"
    bounded = CliRunner().invoke(cli, [*args, "--work-dir", str(work), "--memory-limit", "1GB"])
    assert plain.exit_code == bounded.exit_code == 0, bounded.output
    assert bounded.output == plain.output
    assert not (work / WORK_DATABASE).exists()


def test_data_check_with_a_work_folder_reports_the_same_and_cleans_up(tmp_path: Path) -> None:
    # A region or England is checked the memory-bounded way before it is evaluated: same report, same exit code.
    args = ["data", "check", str(EXAMPLE_COUNCIL), "--as-at", str(EXAMPLE_AS_AT), "--standards", "england"]
    plain = CliRunner().invoke(cli, args)
    work = tmp_path / "work"
    bounded = CliRunner().invoke(cli, [*args, "--work-dir", str(work), "--memory-limit", "1GB"])
    assert plain.exit_code == bounded.exit_code, bounded.output
    assert bounded.output == plain.output
    assert "standards can be evaluated" in bounded.output
    assert not (work / WORK_DATABASE).exists()
