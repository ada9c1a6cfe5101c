"""``casewatch data check``: what the user sees and the exit codes scripts rely on."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from casewatch.cli.data import check

Write = Callable[[str, str], Path]

GOOD = (
    "cppv_cp_visit_id,cppv_person_id,cppv_cp_visit_date,cppv_cp_visit_seen\n"
    "V1,P1,2024-01-02,Y\nV2,P1,2024-01-09,maybe\n"
)


def test_all_rows_loaded_exits_0_even_with_warnings(write: Write, folder: Path) -> None:
    write("ssd_cp_visits.csv", GOOD)
    result = CliRunner().invoke(check, [str(folder), "--as-at", "2025-01-01"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "ssd_cp_visits.cppv_cp_visit_seen: not a recognised yes/no flag" in text
    assert "e.g. row 3 'maybe'" in text
    assert "All 2 row(s) loaded" in text


def test_rejected_rows_exit_1_and_the_report_lists_every_issue(write: Write, folder: Path, tmp_path: Path) -> None:
    write("ssd_cp_visits.csv", GOOD + "V3,,2024-01-09,Y\nV4,P1,31/02/2024,Y\n")
    report = tmp_path / "issues.csv"
    result = CliRunner().invoke(check, [str(folder), "--report", str(report), "--as-at", "2025-01-01"])
    assert result.exit_code == 1, result.output
    assert "2 row(s) rejected" in " ".join(result.output.split())
    with report.open(newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert [(r["file"], r["row"], r["column"], r["severity"], r["code"]) for r in written] == [
        ("ssd_cp_visits.csv", "3", "cppv_cp_visit_seen", "warning", "bad_flag"),
        ("ssd_cp_visits.csv", "4", "cppv_person_id", "error", "missing_required"),
        ("ssd_cp_visits.csv", "5", "cppv_cp_visit_date", "error", "bad_date"),
    ]
    assert list(written[0]) == ["table", "file", "row", "column", "value", "severity", "code", "reason"]


def test_unusable_path_exits_2_with_one_sentence_and_no_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(check, [str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_missing_required_column_exits_2(write: Write, folder: Path) -> None:
    write("ssd_cp_visits.csv", "cppv_cp_visit_id,cppv_person_id\nV1,P1\n")
    result = CliRunner().invoke(check, [str(folder)])
    assert result.exit_code == 2
    assert "ssd_cp_visits.csv: required column cppv_cp_visit_date is missing" in " ".join(result.output.split())


def test_bad_as_at_is_a_usage_error(write: Write, folder: Path) -> None:
    write("ssd_cp_visits.csv", GOOD)
    result = CliRunner().invoke(check, [str(folder), "--as-at", "01/02/2025"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
