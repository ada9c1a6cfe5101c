"""Who held a child on a date, by the rule written in docs/data-contract.md (the SQL form is held against this
one by tests/test_differential.py::test_attribution)."""

from __future__ import annotations

from datetime import date

from casewatch.results.attribution import (
    NOBODY,
    Allocation,
    Holder,
    case_holding,
    holder_on,
    reference_date,
    worker_departments,
)

OLD = Allocation("C1", "W1", "T1", date(2026, 3, 1), date(2026, 6, 10), "A1")
NEW = Allocation("C1", "W2", "T2", date(2026, 6, 10), None, "A2")


def test_the_end_date_is_the_last_day_held_and_the_new_worker_holds_the_handover_day() -> None:
    assert holder_on([OLD, NEW], date(2026, 6, 9)) == Holder("W1", "T1")
    assert holder_on([OLD, NEW], date(2026, 6, 10)) == Holder("W2", "T2")
    assert holder_on([OLD], date(2026, 6, 10)) == Holder("W1", "T1")
    assert holder_on([OLD], date(2026, 6, 11)) is NOBODY
    assert holder_on([OLD], date(2026, 2, 28)) is NOBODY


def test_allocations_recorded_on_one_day_go_to_the_larger_id() -> None:
    first = Allocation("C1", "W1", "T1", date(2026, 1, 5), None, "A7")
    second = Allocation("C1", "W2", "T1", date(2026, 1, 5), None, "A8")
    assert holder_on([second, first], date(2026, 1, 5)).worker_id == "W2"


def test_the_team_is_the_allocations_own_else_the_workers_department() -> None:
    untimed = Allocation("C1", "W3", None, date(2026, 1, 1))
    departments = worker_departments(
        [
            {"prof_professional_id": "W3", "prof_professional_department": "North"},
            {"prof_professional_id": "W3", "prof_professional_department": "Central"},
        ]
    )
    assert holder_on([untimed], date(2026, 2, 1), departments) == Holder("W3", "Central")
    assert holder_on([untimed], date(2026, 2, 1)) == Holder("W3", None)


def test_only_case_holding_roles_count() -> None:
    rows = [
        {
            "invo_person_id": "C1",
            "invo_professional_id": "W1",
            "invo_professional_role_id": "IRO",
            "invo_involvement_start_date": date(2026, 1, 1),
        },
        {
            "invo_person_id": "C1",
            "invo_professional_id": "W2",
            "invo_professional_role_id": "SW",
            "invo_involvement_start_date": date(2025, 1, 1),
            "invo_professional_team": "T9",
        },
    ]
    held = case_holding(rows, ["SW"])
    assert holder_on(held["C1"], date(2026, 2, 1)) == Holder("W2", "T9")


def test_a_result_is_attributed_on_its_due_date_unless_that_is_still_to_come() -> None:
    as_at = date(2026, 10, 30)
    assert reference_date(date(2026, 9, 1), as_at) == date(2026, 9, 1)
    assert reference_date(date(2026, 12, 1), as_at) == as_at
    assert reference_date(None, as_at) == as_at
