"""Importing messy Annex A workbooks: mapping, located problems, row accounting and file errors."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from annex_a_workbooks import NBSP, csv_folder, messy_workbook

from casewatch.data.contract import TABLES
from casewatch.errors import DataError
from casewatch.importers.annex_a import import_annex_a
from casewatch.importers.report import ImportProblem, ImportReport


def _rows(out: Path, table: str) -> list[dict[str, str]]:
    with (out / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _problem(report: ImportReport, sheet: str, row: int | None, column: str | None) -> ImportProblem:
    found = [p for p in report.problems if (p.sheet, p.row, p.column) == (sheet, row, column)]
    assert len(found) == 1, (sheet, row, column, report.problems)
    return found[0]


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportReport, Path]:
    folder = tmp_path_factory.mktemp("messy")
    out = folder / "out"
    return import_annex_a(str(messy_workbook(folder / "annex_a.xlsx")), out), out


def test_every_data_row_is_read_and_written_or_skipped(messy: tuple[ImportReport, Path]) -> None:
    report, _ = messy
    assert dict(report.rows_read) == {"List 1": 4, "List 3": 2, "List 4": 1, "List 7": 1, "List 9": 1}
    assert dict(report.rows_skipped) == {"List 1": 1, "List 3": 1}
    assert report.rows_written["ssd_contacts"] == 3
    assert report.rows_written["ssd_cin_episodes"] == 1


def test_files_have_exactly_the_contract_columns(messy: tuple[ImportReport, Path]) -> None:
    report, out = messy
    for table in report.rows_written:
        with (out / f"{table}.csv").open(encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == list(TABLES[table].column_names)


def test_contacts_dates_and_codes(messy: tuple[ImportReport, Path]) -> None:
    _, out = messy
    contacts = {r["cont_contact_id"]: r for r in _rows(out, "ssd_contacts")}
    assert contacts["AA-L1-C001-2026-05-01"]["cont_contact_date"] == "2026-05-01"  # serial 46143
    assert contacts["AA-L1-C001-2026-05-01"]["cont_contact_source_code"] == "5D"
    assert contacts["AA-L1-C001-2026-05-01"]["cont_contact_source_desc"] == "LA services"
    assert contacts["AA-L1-C002-2026-09-15"]["cont_contact_source_code"] == ""  # "#N/A"
    assert contacts["AA-L1-C001-2026-09-01"]["cont_contact_date"] == "2026-09-01"  # a datetime cell


def test_person_is_deduplicated_with_codes_mapped(messy: tuple[ImportReport, Path]) -> None:
    _, out = messy
    people = {r["pers_person_id"]: r for r in _rows(out, "ssd_person")}
    assert set(people) == {"C001", "C002", "C004", "C005"}  # C003's only row was unusable
    assert people["C001"] | {} == people["C001"]
    assert (people["C001"]["pers_sex"], people["C001"]["pers_ethnicity"], people["C001"]["pers_dob"]) == (
        "M",
        "WBRI",
        "2015-02-01",
    )
    assert people["C002"]["pers_dob"] == "2016-03-04"


def test_problems_are_located_by_sheet_row_and_column(messy: tuple[ImportReport, Path]) -> None:
    report, _ = messy
    na = _problem(report, "List 1 - Contacts", 5, "G")
    assert (na.value, na.severity) == ("#N/A", "warning")
    bad_day = _problem(report, "List 1 - Contacts", 7, "F")
    assert bad_day.severity == "error" and "row not imported" in bad_day.reason and bad_day.value == "31/02/2026"
    blank = _problem(report, "List 1 - Contacts", 6, None)
    assert "blank rows skipped: 6" in blank.reason
    bad_referral = _problem(report, "L3", 4, "F")
    assert bad_referral.severity == "error" and bad_referral.value == "not a date"
    unknown = _problem(report, "L3", 2, "L")
    assert unknown.value == "Council's own notes" and unknown.severity == "warning"
    notes = _problem(report, "Notes", None, None)
    assert "not recognised" in notes.reason
    assert not [p for p in report.problems if p.sheet == "Front_Sheet"]


def test_referral_team_and_worker_are_cleaned(messy: tuple[ImportReport, Path]) -> None:
    _, out = messy
    (referral,) = _rows(out, "ssd_cin_episodes")
    assert referral["cine_referral_id"] == "AA-REF-C001-2026-09-02"
    assert (referral["cine_referral_team"], referral["cine_referral_worker_id"]) == ("Assessment Team", "Worker One")
    assert referral["cine_referral_nfa"] == "N"
    assert NBSP not in "".join(r["prof_professional_id"] for r in _rows(out, "ssd_professionals"))


def test_assessment_with_curly_heading_and_serial_authorisation(messy: tuple[ImportReport, Path]) -> None:
    _, out = messy
    (assessment,) = _rows(out, "ssd_cin_assessments")
    assert assessment["cina_assessment_start_date"] == "2026-09-03"
    assert assessment["cina_assessment_auth_date"] == "2026-09-25"
    assert (assessment["cina_assessment_child_seen"], assessment["cina_assessment_outcome_nfa"]) == ("Y", "N")
    assert [r["disa_person_id"] for r in _rows(out, "ssd_disability")] == ["C001"]


def test_cp_snapshot_rows(messy: tuple[ImportReport, Path]) -> None:
    report, out = messy
    (plan,) = _rows(out, "ssd_cp_plans")
    assert plan["cppl_cp_plan_id"] == "AA-L7-C004-2026-07-10"
    assert plan["cppl_cp_plan_initial_category"] == "Neglect"
    (visit,) = _rows(out, "ssd_cp_visits")
    assert (visit["cppv_cp_visit_date"], visit["cppv_cp_visit_seen_alone"], visit["cppv_cp_plan_id"]) == (
        "2026-10-20",
        "Y",
        plan["cppl_cp_plan_id"],
    )
    (review,) = _rows(out, "ssd_cp_reviews")
    assert review["cppr_cp_review_date"] == "2026-10-02"
    (involvement,) = _rows(out, "ssd_involvements")
    assert (involvement["invo_professional_id"], involvement["invo_involvement_start_date"]) == (
        "Worker Three",
        "2026-07-10",
    )
    assert any("CP visit interval history" in line for line in report.cannot_support)
    assert any("CP visit" in line and "overdue as at the extract date" in line for line in report.supports)


def test_care_leaver_2024_columns(messy: tuple[ImportReport, Path]) -> None:
    _, out = messy
    (leaver,) = _rows(out, "ssd_care_leavers")
    assert leaver["clea_pathway_plan_review_date"] == "2026-09-01"
    assert leaver["clea_care_leaver_latest_contact"] == "2026-10-12"
    assert leaver["clea_care_leaver_personal_advisor"] == "Adviser One"
    assert leaver["clea_care_leaver_activity"] == "F1"
    assert leaver["clea_care_leaver_accommodation"] == "B"


def test_reimport_is_identical(tmp_path: Path, messy: tuple[ImportReport, Path]) -> None:
    _, first = messy
    again = tmp_path / "again"
    import_annex_a(str(messy_workbook(tmp_path / "annex_a.xlsx")), again)
    for path in first.glob("*.csv"):
        assert (again / path.name).read_bytes() == path.read_bytes()


def test_csv_folder(tmp_path: Path) -> None:
    report = import_annex_a(str(csv_folder(tmp_path / "lists")), tmp_path / "out")
    assert report.rows_read["List 1"] == 2 and report.rows_skipped["List 1"] == 1
    assert [r["cont_contact_date"] for r in _rows(tmp_path / "out", "ssd_contacts")] == ["2026-10-01"]
    bad = _problem(report, "Contacts", 5, "F")
    assert bad.value == "45000000" and "not a date" in bad.reason
    assert _problem(report, "Contacts", 4, None).reason.startswith("blank rows skipped")


def test_reimport_removes_stale_tables(tmp_path: Path) -> None:
    out = tmp_path / "out"
    import_annex_a(str(messy_workbook(tmp_path / "a.xlsx")), out)
    assert (out / "ssd_cp_plans.csv").exists()
    import_annex_a(str(csv_folder(tmp_path / "lists")), out)
    assert not (out / "ssd_cp_plans.csv").exists()


def test_renamed_csv_is_not_a_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "annex_a.xlsx"
    fake.write_text("Child Unique ID,Date of Contact\nC1,01/01/2026\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"annex_a\.xlsx is not an Excel workbook"):
        import_annex_a(str(fake), tmp_path / "out")


def test_other_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        import_annex_a(str(tmp_path / "missing.xlsx"), tmp_path / "out")
    pdf = tmp_path / "annex_a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(DataError, match=r"annex_a\.pdf is not an Annex A workbook"):
        import_annex_a(str(pdf), tmp_path / "out")


def test_workbook_without_a_list(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Amount"])
    sheet.append(["x", 1])
    book.save(tmp_path / "budget.xlsx")
    with pytest.raises(DataError, match=r"budget\.xlsx holds no recognisable Annex A list"):
        import_annex_a(str(tmp_path / "budget.xlsx"), tmp_path / "out")


def test_sheet_recognised_by_headings_alone(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(["Child Unique ID", "Child Protection Plan Start Date", "Initial Category of Abuse"])
    sheet.append(["C9", date(2026, 1, 5), "a) Neglect"])
    book.save(tmp_path / "cp.xlsx")
    report = import_annex_a(str(tmp_path / "cp.xlsx"), tmp_path / "out")
    assert report.rows_written["ssd_cp_plans"] == 1
