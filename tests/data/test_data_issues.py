"""Every issue reason, with the exact file, row and column a user would look up, and what happens to the row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from data_helpers import issues, rows

from casewatch.data import CaseData

Write = Callable[[str, str], Path]
Load = Callable[..., CaseData]

VISITS_HEADER = "cppv_cp_visit_id,cppv_person_id,cppv_cp_visit_date,cppv_cp_visit_seen\n"


def _where(data: CaseData, code: str) -> list[tuple[str, str, int | None, str | None, str | None, str]]:
    return [(i.table, i.file, i.row, i.column, i.value, i.severity) for i in issues(data, code=code)]


def _ids(data: CaseData, table: str, pk: str) -> list[str]:
    return [r[0] for r in rows(data, f"SELECT {pk} FROM {table} ORDER BY {pk}")]


def test_missing_required_values_reject_the_row(write: Write, load: Load) -> None:
    write(
        "ssd_cp_visits.csv", VISITS_HEADER + "V1,P1,2024-01-02,Y\nV2,,2024-01-02,Y\nV3,SSD_PH,2024-01-02,Y\nV4,P1,,N\n"
    )
    data = load()
    assert _where(data, "missing_required") == [
        ("ssd_cp_visits", "ssd_cp_visits.csv", 3, "cppv_person_id", None, "error"),
        ("ssd_cp_visits", "ssd_cp_visits.csv", 4, "cppv_person_id", "SSD_PH", "error"),
        ("ssd_cp_visits", "ssd_cp_visits.csv", 5, "cppv_cp_visit_date", None, "error"),
    ]
    assert _ids(data, "ssd_cp_visits", "cppv_cp_visit_id") == ["V1"]
    summary = data.report.summaries["ssd_cp_visits"]
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (4, 1, 3)
    assert not data.report.all_loaded


def test_sentinel_in_a_required_date_rejects_the_row(write: Write, load: Load) -> None:
    write("ssd_cp_visits.csv", VISITS_HEADER + "V1,P1,1900-01-01,Y\n")
    data = load()
    [issue] = issues(data)
    assert (issue.row, issue.column, issue.value, issue.code, issue.severity) == (
        2,
        "cppv_cp_visit_date",
        "1900-01-01",
        "missing_required",
        "error",
    )
    assert "placeholder" in issue.reason


def test_underivable_person_is_reported_as_such(write: Write, load: Load) -> None:
    write("ssd_cp_plans.csv", "cppl_cp_plan_id,cppl_person_id,cppl_cp_plan_start_date\nC1,P1,2024-01-01\n")
    write(
        "ssd_cp_visits.csv", "cppv_cp_visit_id,cppv_cp_plan_id,cppv_cp_visit_date\nV1,C1,2024-02-01\nV2,C9,2024-02-01\n"
    )
    data = load()
    [issue] = issues(data, table="ssd_cp_visits")
    assert (issue.row, issue.column, issue.code) == (3, "cppv_person_id", "missing_required")
    assert "derived" in issue.reason


def test_bad_date_rejects_in_a_required_column_and_warns_in_an_optional_one(write: Write, load: Load) -> None:
    write(
        "ssd_cp_plans.csv",
        "cppl_cp_plan_id,cppl_person_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date\n"
        "C1,P1,31/02/2024,\nC2,P1,2024-01-01,soon\nC3,P1,2024-13-01,\n",
    )
    data = load()
    assert _where(data, "bad_date") == [
        ("ssd_cp_plans", "ssd_cp_plans.csv", 2, "cppl_cp_plan_start_date", "31/02/2024", "error"),
        ("ssd_cp_plans", "ssd_cp_plans.csv", 3, "cppl_cp_plan_end_date", "soon", "warning"),
        ("ssd_cp_plans", "ssd_cp_plans.csv", 4, "cppl_cp_plan_start_date", "2024-13-01", "error"),
    ]
    assert rows(data, "SELECT cppl_cp_plan_id, cppl_cp_plan_end_date FROM ssd_cp_plans") == [("C2", None)]


def test_bad_flag_warns_when_optional_and_rejects_when_required(write: Write, load: Load) -> None:
    write("ssd_cp_visits.csv", VISITS_HEADER + "V1,P1,2024-01-02,maybe\n")
    write("ext_allocation_flags.csv", "invo_involvements_id,invo_is_allocated_case_holder\nI1,maybe\nI2,Y\nI3,NA\n")
    data = load()
    assert _where(data, "bad_flag") == [
        ("ssd_cp_visits", "ssd_cp_visits.csv", 2, "cppv_cp_visit_seen", "maybe", "warning"),
        ("ext_allocation_flags", "ext_allocation_flags.csv", 2, "invo_is_allocated_case_holder", "maybe", "error"),
    ]
    assert _where(data, "flag_na") == [
        ("ext_allocation_flags", "ext_allocation_flags.csv", 4, "invo_is_allocated_case_holder", "NA", "error")
    ]
    assert rows(data, "SELECT cppv_cp_visit_seen FROM ssd_cp_visits") == [(None,)]
    assert _ids(data, "ext_allocation_flags", "invo_involvements_id") == ["I2"]


def test_duplicate_primary_key_keeps_the_first_occurrence(write: Write, load: Load) -> None:
    write("ssd_cp_visits.csv", VISITS_HEADER + "V1,P1,2024-01-02,Y\nV2,P1,2024-01-03,Y\nV1,P2,2024-01-04,N\nV1,P3,,N\n")
    data = load()
    assert _where(data, "duplicate_key") == [
        ("ssd_cp_visits", "ssd_cp_visits.csv", 4, "cppv_cp_visit_id", "V1 (first at row 2)", "error")
    ]
    assert rows(data, "SELECT cppv_cp_visit_id, cppv_person_id FROM ssd_cp_visits ORDER BY 1") == [
        ("V1", "P1"),
        ("V2", "P1"),
    ]
    # Row 5 is rejected for its missing date, not counted twice.
    assert data.report.summaries["ssd_cp_visits"].rows_rejected == 2


def test_duplicate_of_a_rejected_row_is_loaded(write: Write, load: Load) -> None:
    write("ssd_cp_visits.csv", VISITS_HEADER + "V1,P1,,Y\nV1,P1,2024-01-03,Y\n")
    data = load()
    assert not issues(data, code="duplicate_key")
    assert _ids(data, "ssd_cp_visits", "cppv_cp_visit_id") == ["V1"]


def test_unreadable_csv_line_is_reported_and_later_rows_keep_their_line_numbers(write: Write, load: Load) -> None:
    write(
        "ssd_cp_visits.csv",
        VISITS_HEADER + "V1,P1,2024-01-02,Y\nV2,P1,2024-01-02,Y,surplus\nV3,P1\nV4,P1,bad,Y\nV5,P1,2024-01-02,Y\n",
    )
    data = load()
    assert _where(data, "malformed_line") == [
        ("ssd_cp_visits", "ssd_cp_visits.csv", 3, None, "V2,P1,2024-01-02,Y,surplus", "error"),
        ("ssd_cp_visits", "ssd_cp_visits.csv", 4, None, "V3,P1", "error"),
    ]
    assert _where(data, "bad_date") == [("ssd_cp_visits", "ssd_cp_visits.csv", 5, "cppv_cp_visit_date", "bad", "error")]
    summary = data.report.summaries["ssd_cp_visits"]
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (5, 2, 3)


def test_orphan_references_warn_but_load(write: Write, load: Load) -> None:
    write("ssd_person.csv", "pers_person_id,pers_dob\nP1,2015-01-01\n")
    write("ssd_cp_plans.csv", "cppl_cp_plan_id,cppl_person_id,cppl_cp_plan_start_date\nC1,P1,2024-01-01\n")
    write(
        "ssd_cp_visits.csv",
        "cppv_cp_visit_id,cppv_person_id,cppv_cp_plan_id,cppv_cp_visit_date\nV1,P1,C1,2024-02-01\nV2,P9,C7,2024-02-01\n",
    )
    data = load()
    assert _where(data, "orphan") == [
        ("ssd_cp_visits", "ssd_cp_visits.csv", 3, "cppv_cp_plan_id", "C7", "warning"),
        ("ssd_cp_visits", "ssd_cp_visits.csv", 3, "cppv_person_id", "P9", "warning"),
    ]
    assert issues(data, code="orphan")[1].reason == "no matching ssd_person.pers_person_id"
    assert data.tables["ssd_cp_visits"] == 2


def test_references_to_a_table_not_given_are_not_orphans(write: Write, load: Load) -> None:
    write("ssd_cp_visits.csv", VISITS_HEADER + "V1,P1,2024-01-02,Y\n")
    data = load()
    assert not issues(data, code="orphan")
    assert "ssd_person" in data.missing_tables


def test_end_before_start_warns(write: Write, load: Load) -> None:
    write(
        "ssd_cp_plans.csv",
        "cppl_cp_plan_id,cppl_person_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date\n"
        "C1,P1,2024-01-10,2024-01-09\nC2,P1,2024-01-10,2024-01-10\n",
    )
    data = load()
    assert _where(data, "impossible_order") == [
        (
            "ssd_cp_plans",
            "ssd_cp_plans.csv",
            2,
            "cppl_cp_plan_end_date",
            "2024-01-09 (cppl_cp_plan_start_date 2024-01-10)",
            "warning",
        )
    ]
    assert data.tables["ssd_cp_plans"] == 2


def test_event_before_birth_warns(write: Write, load: Load) -> None:
    write("ssd_person.csv", "pers_person_id,pers_dob\nP1,2015-06-01\n")
    write(
        "ssd_cla_visits.csv",
        "clav_cla_visit_id,clav_person_id,clav_cla_visit_date\nX1,P1,2015-05-31\nX2,P1,2015-06-01\n",
    )
    data = load()
    [issue] = issues(data, code="impossible_order")
    assert (issue.table, issue.row, issue.column) == ("ssd_cla_visits", 2, "clav_cla_visit_date")
    assert issue.reason == "clav_cla_visit_date is before ssd_person.pers_dob"
    assert issue.value == "2015-05-31 (ssd_person.pers_dob 2015-06-01)"


def test_recorded_before_event_warns(write: Write, load: Load) -> None:
    write(
        "ext_casenotes.csv",
        "csnt_casenote_id,csnt_person_id,csnt_event_date,csnt_recorded_date\nN1,P1,2024-03-05,2024-03-04\nN2,P1,2024-03-05,2024-03-07\n",
    )
    data = load()
    assert _where(data, "impossible_order") == [
        (
            "ext_casenotes",
            "ext_casenotes.csv",
            2,
            "csnt_recorded_date",
            "2024-03-04 (csnt_event_date 2024-03-05)",
            "warning",
        )
    ]


def test_decision_before_contact_warns_to_the_minute(write: Write, load: Load) -> None:
    write("ssd_contacts.csv", "cont_contact_id,cont_person_id,cont_contact_date\nK1,P1,2024-03-05 10:00\n")
    write(
        "ext_contact_decisions.csv",
        "cdec_contact_decision_id,cdec_contact_id,cdec_decision_datetime\n"
        "D1,K1,2024-03-05 09:59\nD2,K1,2024-03-05 10:01\n",
    )
    data = load()
    assert [(i.table, i.row, i.column) for i in issues(data, code="impossible_order")] == [
        ("ext_contact_decisions", 2, "cdec_decision_datetime")
    ]


def test_dates_before_1950_warn_except_dates_of_birth(write: Write, load: Load) -> None:
    write("ssd_person.csv", "pers_person_id,pers_dob\nP1,1940-01-01\n")
    write("ssd_cp_visits.csv", VISITS_HEADER + "V1,P1,1949-12-31,Y\nV2,P1,1950-01-01,Y\n")
    data = load()
    assert _where(data, "early_date") == [
        ("ssd_cp_visits", "ssd_cp_visits.csv", 2, "cppv_cp_visit_date", "1949-12-31", "warning")
    ]
    assert data.tables["ssd_cp_visits"] == 2


def test_future_dates_warn_relative_to_as_at_except_due_dates(write: Write, load: Load) -> None:
    write("ssd_cp_visits.csv", VISITS_HEADER + "V1,P1,2024-06-01,Y\nV2,P1,2024-06-02,Y\n")
    write(
        "ssd_cp_reviews.csv",
        "cppr_cp_review_id,cppr_person_id,cppr_cp_review_due,cppr_cp_review_date\nR1,P1,2024-09-01,2024-05-01\n",
    )
    data = load(as_at=date(2024, 6, 1))
    assert _where(data, "future_date") == [
        ("ssd_cp_visits", "ssd_cp_visits.csv", 3, "cppv_cp_visit_date", "2024-06-02", "warning")
    ]
    assert data.report.as_at == date(2024, 6, 1)


def test_every_issue_code_is_documented(write: Write, load: Load) -> None:
    from casewatch.data.quality import ISSUE_CODES

    write("ssd_cp_visits.csv", VISITS_HEADER + "V1,,bad,maybe\nV1,P1,2024-01-01,NA\nV1,P1,2024-01-01,Y\n")
    data = load()
    assert {i.code for i in data.report.iter_issues()} <= set(ISSUE_CODES)
