"""A lead time whose event has happened without the thing due before it is overdue, whatever the as-at date."""

from __future__ import annotations

from datetime import date

from casewatch.engine import evaluate
from support.engine_adapter import load_tables
from support.facts import facts_to_tables
from support.standards import make_standard

# "1 working day before the review, counting the review's day as day 1": due on the review's own day.
SAME_DAY = make_standard(
    {
        "kind": "lead_time",
        "event": {"source": "cp_review"},
        "before": {"source": "core_group"},
        "by": "1 working day",
        "match": {"cp_plan_id": "cp_plan_id"},
        "counting": {"anchor_day": 1},
    }
)
REVIEW = date(2023, 12, 27)


def test_a_review_held_today_without_its_core_group_is_overdue_not_due_soon() -> None:
    case = {"facts": {"cp_review": [{"date": REVIEW, "cp_plan_id": "P1"}]}}
    con = load_tables(facts_to_tables(case, "child", standard_id=SAME_DAY.id))
    (row,) = evaluate([SAME_DAY], con, REVIEW, allocated_roles=("SW",)).instances.to_pylist()
    assert (row["due_date"], row["status"]) == (REVIEW, "overdue")
    assert (row["working_days_late"], row["calendar_days_late"]) == (0, 0)


def test_a_core_group_held_on_the_day_still_meets_it() -> None:
    case = {
        "facts": {
            "cp_review": [{"date": REVIEW, "cp_plan_id": "P1"}],
            "core_group": [{"date": REVIEW, "cp_plan_id": "P1"}],
        }
    }
    con = load_tables(facts_to_tables(case, "child", standard_id=SAME_DAY.id))
    (row,) = evaluate([SAME_DAY], con, REVIEW, allocated_roles=("SW",)).instances.to_pylist()
    assert (row["completed_date"], row["status"]) == (REVIEW, "met")
