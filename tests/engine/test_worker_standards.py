"""Standards about workers, not children: supervision frequency while in a team, caseload limits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from casewatch.engine import evaluate
from casewatch.standards.durations import Duration
from casewatch.standards.model import StandardFile
from casewatch.standards.pack import Standard
from support.engine_adapter import load_tables
from support.facts import facts_to_tables

CITATION = {
    "document": "local",
    "section": "Supervision",
    "quote": "Supervision every 4 weeks",
    "checked": "unverified",
}


def worker_standard(rule: dict[str, object]) -> Standard:
    spec = StandardFile.model_validate(
        {
            "id": "supervision",
            "title": "Supervision",
            "type": "local",
            "subject": "worker",
            "role": "Team Manager",
            "citation": CITATION,
            "effective_from": date(2020, 1, 1),
            "rule": rule,
        }
    )
    return Standard("council", spec, Path("supervision.yaml"), "england", Duration.parse("5 working days"), {})


def run(standard: Standard, case: dict[str, object]) -> list[dict[str, object]]:
    con = load_tables(facts_to_tables(case, "worker"))
    return evaluate([standard], con, case["as_at"]).instances.to_pylist()  # type: ignore[arg-type]


def test_supervision_every_four_weeks_while_in_a_team_names_the_worker() -> None:
    standard = worker_standard(
        {
            "kind": "series",
            "cohort": {"source": "team_membership"},
            "event": {"source": "supervision"},
            "phases": [
                {"when": {"until": "6 weeks"}, "interval": "1 week"},
                {"interval": "4 weeks"},
            ],
        }
    )
    case = {
        "as_at": date(2026, 3, 31),
        "workers": [{"id": "W1"}],
        "facts": {
            "team_membership": [{"subject": "W1", "start": date(2026, 1, 5), "team": "CP East"}],
            "supervision": [{"subject": "W1", "date": date(2026, 1, 9)}, {"subject": "W1", "date": date(2026, 1, 20)}],
        },
    }
    rows = run(standard, case)
    assert [(r["sequence"], r["due_date"], r["status"]) for r in rows] == [
        (1, date(2026, 1, 12), "met"),
        (2, date(2026, 1, 16), "met_late"),
        (3, date(2026, 1, 27), "overdue"),
    ]
    assert {(r["subject_type"], r["subject_id"], r["worker_id"]) for r in rows} == {("worker", "W1", "W1")}


def test_caseload_limit_counts_open_allocations_per_worker() -> None:
    standard = worker_standard(
        {"kind": "state", "population": {"source": "worker"}, "related": {"source": "allocation"}, "max": 2}
    )
    allocations = [{"subject": "W1", "person_id": f"C{i}", "start": date(2026, 1, 1)} for i in range(3)]
    allocations.append({"subject": "W2", "person_id": "C9", "start": date(2026, 1, 1)})
    case = {"as_at": date(2026, 3, 31), "workers": [{"id": "W1"}, {"id": "W2"}], "facts": {"allocation": allocations}}
    rows = {r["subject_id"]: r["status"] for r in run(standard, case)}
    assert rows == {"W1": "overdue", "W2": "met"}
