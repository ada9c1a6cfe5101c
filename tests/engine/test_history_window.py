"""Hand-computed cases of the history window: what is left out, and how a series resumes inside the window."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from casewatch.data.history import HistoryWindow
from casewatch.engine import evaluate
from reference.evaluator import evaluate_reference
from support.engine_adapter import load_tables, run_engine
from support.facts import facts_to_tables
from support.instances import comparable
from support.standards import make_standard

WINDOW = date(2021, 1, 1)  # a Friday
AS_AT = date(2021, 3, 1)
CASE: dict[str, Any] = {
    "children": [{"id": "C1"}, {"id": "C2"}],
    "facts": {
        "cp_plan": [
            {"id": "P1", "subject": "C1", "start": date(2020, 1, 1)},  # open since before the window
            {"id": "P2", "subject": "C2", "start": date(2020, 6, 1)},  # never visited inside the window
        ],
        "cp_visit": [
            {"subject": "C1", "date": date(2020, 12, 20), "seen": True},  # before the window: not read
            {"subject": "C1", "date": date(2021, 1, 8), "seen": True},
        ],
    },
}


def _series(baseline: str) -> Any:
    return make_standard(
        {
            "kind": "series",
            "cohort": {"source": "cp_plan"},
            "event": {"source": "cp_visit", "where": {"seen": True}},
            "first": "5 calendar days",
            "interval": "2 weeks",
            "history_baseline": baseline,
        }
    )


def _rows(baseline: str) -> list[tuple[str, int, date | None, date | None, date | None, str]]:
    standard = _series(baseline)
    tables = facts_to_tables(CASE, "child", standard_id=standard.id)
    engine = run_engine(standard, tables, AS_AT, ["SW"], history_from=WINDOW)
    assert [comparable(i) for i in engine] == [
        comparable(i) for i in evaluate_reference(standard, tables, AS_AT, ["SW"], WINDOW)
    ]
    return [(i.subject_id, i.sequence, i.anchor_date, i.due_date, i.completed_date, i.status) for i in engine]


def test_from_the_window_start_the_first_judged_visit_is_one_interval_after_it() -> None:
    assert _rows("window_start") == [
        # the regular 2 weeks from the window start, not the 5 days of a new plan; the December visit not read
        ("C1", 1, WINDOW, date(2021, 1, 15), date(2021, 1, 8), "met"),
        ("C1", 2, date(2021, 1, 8), date(2021, 1, 22), None, "overdue"),
        ("C2", 1, WINDOW, date(2021, 1, 15), None, "overdue"),  # not seen since before the window: overdue
    ]


def test_from_the_first_event_the_series_resumes_at_it_and_an_unvisited_child_is_not_judged() -> None:
    # the plan's start and the December visit anchor occurrences before the window: left out; the third runs
    # from the first visit inside it
    assert _rows("first_event") == [("C1", 3, date(2021, 1, 8), date(2021, 1, 22), None, "overdue")]


def test_the_explanation_says_the_occurrence_is_measured_from_the_window() -> None:
    standard = _series("window_start")
    con = load_tables(facts_to_tables(CASE, "child", standard_id=standard.id))
    results = evaluate([standard], con, AS_AT, history=HistoryWindow(WINDOW, "history_from"))
    first = results.instances.to_pylist()[0]
    assert first["explanation"].startswith(
        "Due 2021-01-15: 2 weeks after the start of the history window on 2021-01-01 (the child protection plan "
        "began on 2020-01-01; the data holds no child protection visit before the window)"
    )


@pytest.mark.parametrize("baseline", ["window_start", "first_event"])
def test_what_falls_before_the_window_is_counted_with_the_reason(baseline: str) -> None:
    standard = _series(baseline)
    con = load_tables(facts_to_tables(CASE, "child", standard_id=standard.id))
    results = evaluate([standard], con, AS_AT, history=HistoryWindow(WINDOW, "history_from"))
    left_out = results.out_of_window.get(standard.id)
    if baseline == "window_start":
        assert left_out is None  # every occurrence is measured from the window start or later
    else:  # P1's from its start, and from the December visit; P2's from its start
        assert left_out == (
            "3 instances anchored or due before 2021-01-01 left out: the data's history window begins then, "
            "so whether they were met cannot be known"
        )


@pytest.mark.parametrize(("related", "judged"), [("allocation", True), ("case_document", False)])
def test_a_state_is_judged_on_live_records_unless_it_needs_an_event_the_window_may_have_cut(
    related: str, judged: bool
) -> None:
    """An open case's allocations come whole in an extract; a document written before the window may not."""
    standard = make_standard(
        {"kind": "state", "population": {"source": "referral"}, "related": {"source": related}, "min": 1}
    )
    case = {
        "children": [{"id": "C1"}],
        "facts": {"referral": [{"id": "R1", "subject": "C1", "start": date(2019, 5, 1)}]},
    }
    tables = facts_to_tables(case, "child", standard_id=standard.id)
    engine = run_engine(standard, tables, AS_AT, ["SW"], history_from=WINDOW)
    assert [comparable(i) for i in engine] == [
        comparable(i) for i in evaluate_reference(standard, tables, AS_AT, ["SW"], WINDOW)
    ]
    assert [(i.subject_id, i.status) for i in engine] == ([("C1", "overdue")] if judged else [])


def _left_out(standard: Any, case: dict[str, Any]) -> tuple[list[tuple[str, str]], str | None]:
    """The engine's judged (subject, status) pairs and its left-out sentence, checked against the reference."""
    tables = facts_to_tables(case, "child", standard_id=standard.id)
    engine = run_engine(standard, tables, AS_AT, ["SW"], history_from=WINDOW)
    assert [comparable(i) for i in engine] == [
        comparable(i) for i in evaluate_reference(standard, tables, AS_AT, ["SW"], WINDOW)
    ]
    results = evaluate([standard], load_tables(tables), AS_AT, history=HistoryWindow(WINDOW, "history_from"))
    return [(i.subject_id, i.status) for i in engine], results.out_of_window.get(standard.id)


def test_an_age_deadline_looks_back_to_the_start_of_the_care_episode() -> None:
    """A pathway plan counts from the start of the period of care, however long before 16 years 3 months: when
    that start is before the window, a plan written in between may have been cut, so the child is not judged."""
    standard = make_standard(
        {
            "kind": "age_deadline",
            "cohort": {"source": "period_of_care"},
            "age": "16 years 3 months",
            "target": {"source": "plan_document", "where": {"plan_type": "pathway"}},
        }
    )
    case = {
        "children": [{"id": "C1", "dob": date(2004, 11, 1)}, {"id": "C2", "dob": date(2004, 11, 20)}],
        "facts": {
            "period_of_care": [
                # 16 years 3 months on 2021-02-01, in care since 2015: a plan before 2021 would not be in the data
                {"id": "P1", "subject": "C1", "start": date(2015, 6, 1)},
                # in care from inside the window: every plan since is there, and there is none before the due date
                {"id": "P2", "subject": "C2", "start": date(2021, 1, 10)},
            ],
            "plan_document": [{"subject": "C2", "date": date(2021, 2, 25), "plan_type": "pathway"}],
        },
    }
    judged, left_out = _left_out(standard, case)
    assert judged == [("C2", "met_late")]  # due 2021-02-20; C1, due inside the window too, is left out
    assert left_out == (
        "1 instance left out (1 that a record dated before 2021-01-01 could have met): the data's history window "
        "begins then, so whether they were met cannot be known"
    )


def test_a_deadline_that_accepts_an_earlier_target_looks_back_that_far() -> None:
    """``accept_from``: an assessment up to 10 calendar days before the referral meets it, so a referral on
    2021-01-05 could be met by one on 2020-12-26, which the window has cut."""
    standard = make_standard(
        {
            "kind": "deadline",
            "anchor": {"source": "referral"},
            "target": {"source": "assessment_authorised"},
            "within": "20 working days",
            "accept_from": "10 calendar days",
        }
    )
    case = {
        "children": [{"id": "C1"}, {"id": "C2"}, {"id": "C3"}],
        "facts": {
            "referral": [
                {"id": "R1", "subject": "C1", "start": date(2021, 1, 5)},  # looks back to 2020-12-26
                {"id": "R2", "subject": "C2", "start": date(2021, 1, 11)},  # looks back to 2021-01-01: whole
                {"id": "R3", "subject": "C3", "start": date(2020, 12, 1)},  # anchored before the window
            ],
            "assessment_authorised": [{"subject": "C2", "date": date(2021, 1, 4)}],
        },
    }
    judged, left_out = _left_out(standard, case)
    assert judged == [("C2", "met")]
    assert left_out == (
        "2 instances left out (1 anchored or due before 2021-01-01; 1 that a record dated before 2021-01-01 could "
        "have met): the data's history window begins then, so whether they were met cannot be known"
    )
