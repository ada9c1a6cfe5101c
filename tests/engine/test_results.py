"""What a manager reads in a result row: who was responsible, whether a recorded reason applies, and why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casewatch.engine import evaluate
from casewatch.errors import CalendarRangeError, CasewatchError
from casewatch.reports import write_results
from casewatch.results import compliance_summary
from casewatch.standards.loader import load_pack
from support.engine_adapter import load_tables
from support.facts import facts_to_tables

ENGLAND = load_pack("england")
ICPC = ENGLAND.get("icpc-timescale")


def icpc_case(**extra: object) -> dict[str, object]:
    case: dict[str, object] = {
        "as_at": date(2024, 6, 28),
        "facts": {
            "s47_enquiry": [{"start": date(2024, 3, 21), "s47_enquiry_id": "S1", "conference_needed": True}],
            "icpc": [{"date": date(2024, 4, 19), "s47_enquiry_id": "S1"}],
        },
    }
    case["facts"].update(extra)  # type: ignore[union-attr]
    return case


def run(case: dict[str, object], standards: list = [ICPC]) -> list[dict[str, object]]:  # noqa: B006
    con = load_tables(facts_to_tables(case, "child"))
    return evaluate(standards, con, case["as_at"], allocated_roles=("SW",)).instances.to_pylist()  # type: ignore[arg-type]


def test_late_conference_counts_working_days_late_across_easter() -> None:
    (row,) = run(icpc_case())
    assert (row["due_date"], row["status"]) == (date(2024, 4, 15), "met_late")
    assert (row["working_days_late"], row["calendar_days_late"]) == (4, 4)
    assert "15 working days after the section 47 enquiry of 2024-03-21" in row["explanation"]
    assert "england calendar, version 1" in row["explanation"]


def test_worker_and_team_are_those_allocated_on_the_due_date() -> None:
    case = icpc_case(
        allocation=[
            {"start": date(2024, 1, 1), "end": date(2024, 4, 1), "worker_id": "W-OLD", "team": "Assessment"},
            {"start": date(2024, 4, 2), "worker_id": "W-NEW", "team": "Child Protection East"},
            {"start": date(2024, 4, 2), "worker_id": "W-IRO", "team": "IRO", "role": "IRO"},
        ]
    )
    (row,) = run(case)
    assert (row["worker_id"], row["team_id"]) == ("W-NEW", "Child Protection East")


def test_a_recorded_exception_covering_the_due_date_turns_late_into_exception() -> None:
    case = icpc_case()
    case["exceptions"] = [
        {
            "standard": "icpc-timescale",
            "from": date(2024, 4, 10),
            "to": date(2024, 4, 30),
            "reason": "Family requested a later date; agreed by the chair",
        }
    ]
    (row,) = run(case)
    assert row["status"] == "exception"
    assert row["exception_reason"] == "Family requested a later date; agreed by the chair"
    assert "Exception recorded" in row["explanation"]


def test_missing_tables_mean_not_evaluated_never_compliant() -> None:
    con = load_tables({})
    con.execute("DROP TABLE ssd_initial_cp_conference")
    results = evaluate([ICPC], con, date(2024, 6, 28))
    assert results.instances.num_rows == 0
    assert "missing data" in results.not_evaluated[ICPC.id]
    (summary,) = compliance_summary(results).to_pylist()
    assert summary["compliance"] is None and "missing data" in summary["note"]


def test_a_date_beyond_the_calendar_is_an_error_not_a_guess() -> None:
    case = icpc_case()
    case["as_at"] = date(2046, 1, 31)
    case["facts"]["s47_enquiry"] = [{"start": date(2045, 12, 20), "s47_enquiry_id": "S1"}]  # type: ignore[index]
    with pytest.raises(CalendarRangeError, match="england calendar covers"):
        run(case)


def test_workbook_has_summary_instances_and_gaps(tmp_path: Path) -> None:
    con = load_tables(facts_to_tables(icpc_case(), "child"))
    con.execute("DROP TABLE ssd_cla_reviews")
    results = evaluate(ENGLAND.standards.values(), con, date(2024, 6, 28))
    path = write_results(results, tmp_path / "results.xlsx")
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["Summary", "By team", "By worker", "Instances", "Not evaluated", "About"]
    assert list(book["About"].values)[1] == ("as_at", "2024-06-28")
    summary = list(book["Summary"].values)
    icpc = next(r for r in summary if r[0] == ICPC.id)
    assert icpc[summary[0].index("met_late")] == 1
    gaps = [r[0] for r in book["Not evaluated"].values]
    assert "england.cla-reviews" in gaps
    with pytest.raises(CasewatchError, match=r"use \.csv, \.parquet or \.xlsx"):
        write_results(results, tmp_path / "results.json")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_free_text_that_a_spreadsheet_would_run_is_written_as_text(tmp_path: Path, suffix: str) -> None:
    """An exception reason typed as '=HYPERLINK(...)' must not become a live formula in the results file."""
    case = icpc_case()
    case["exceptions"] = [
        {"standard": "icpc-timescale", "from": date(2024, 4, 10), "reason": '=HYPERLINK("http://x","agreed")'}
    ]
    results = evaluate([ICPC], load_tables(facts_to_tables(case, "child")), date(2024, 6, 28))
    path = write_results(results, tmp_path / f"results{suffix}")
    if suffix == ".xlsx":
        cells = [c for row in load_workbook(path)["Instances"].values for c in row]
    else:
        cells = path.read_text(encoding="utf-8").replace('""', '"').split(",")
    assert not any(isinstance(c, str) and c.lstrip('"').startswith("=HYPERLINK") for c in cells)
    assert any(isinstance(c, str) and c.lstrip('"').startswith("'=HYPERLINK") for c in cells)
