"""Who is named responsible for an instance: the allocated worker on its date, and their team.

The reference evaluator does not name workers, so these cases pin the rules down: the allocation covering the
due date (or the as-at date, if earlier) that started last, the larger allocation id on a tie, the allocation's
team or else the worker's department.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from casewatch.engine import evaluate
from casewatch.standards.loader import load_pack
from support.engine_adapter import load_tables
from support.facts import facts_to_tables

ICPC = load_pack("england").get("icpc-timescale")
AS_AT = date(2024, 6, 28)  # the ICPC of 2024-03-21's enquiry was due on 2024-04-15


def responsible(
    allocations: list[dict[str, Any]], professionals: Sequence[Mapping[str, Any]] = ()
) -> list[tuple[Any, Any]]:
    """The (worker, team) of each instance of the ICPC standard, given these allocations and worker profiles."""
    case = {
        "as_at": AS_AT,
        "facts": {
            "s47_enquiry": [{"start": date(2024, 3, 21), "s47_enquiry_id": "S1", "conference_needed": True}],
            "icpc": [{"date": date(2024, 4, 19), "s47_enquiry_id": "S1"}],
            "allocation": allocations,
        },
    }
    tables = dict(facts_to_tables(case, "child"))
    tables["ssd_professionals"] = list(professionals)
    rows = evaluate([ICPC], load_tables(tables), AS_AT, allocated_roles=("SW",)).instances.to_pylist()
    return [(row["worker_id"], row["team_id"]) for row in rows]


def test_of_two_allocations_covering_the_due_date_the_later_started_is_responsible() -> None:
    allocations = [
        {"start": date(2024, 4, 2), "worker_id": "W-LATER", "team": "Child Protection"},
        {"start": date(2024, 1, 1), "worker_id": "W-EARLIER", "team": "Assessment"},
    ]
    assert responsible(allocations) == [("W-LATER", "Child Protection")]


def test_allocations_starting_the_same_day_go_to_the_larger_allocation_id() -> None:
    allocations = [
        {"id": "A2", "start": date(2024, 4, 2), "worker_id": "W-TWO", "team": "East"},
        {"id": "A1", "start": date(2024, 4, 2), "worker_id": "W-ONE", "team": "West"},
    ]
    assert responsible(allocations) == [("W-TWO", "East")]


def test_an_allocation_that_ended_before_the_due_date_names_nobody() -> None:
    allocations = [{"start": date(2024, 1, 1), "end": date(2024, 4, 12), "worker_id": "W-GONE", "team": "East"}]
    assert responsible(allocations) == [(None, None)]


def test_an_allocation_ending_on_the_due_date_still_covers_it() -> None:
    allocations = [{"start": date(2024, 1, 1), "end": date(2024, 4, 15), "worker_id": "W-LAST-DAY", "team": "East"}]
    assert responsible(allocations) == [("W-LAST-DAY", "East")]


def test_without_a_team_on_the_allocation_the_workers_department_is_given() -> None:
    allocations = [{"start": date(2024, 1, 1), "worker_id": "W1"}]
    professionals = [{"prof_professional_id": "W1", "prof_professional_department": "Safeguarding North"}]
    assert responsible(allocations, professionals) == [("W1", "Safeguarding North")]


def test_a_worker_listed_twice_in_the_professionals_table_does_not_double_the_instance() -> None:
    allocations = [{"start": date(2024, 1, 1), "worker_id": "W1"}]
    professionals = [
        {"prof_professional_id": "W1", "prof_professional_department": "Safeguarding North"},
        {"prof_professional_id": "W1", "prof_professional_department": "Safeguarding South"},
    ]
    assert len(responsible(allocations, professionals)) == 1
