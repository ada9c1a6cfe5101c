"""Snapshot data (Annex A keeps only each child's latest visit) is judged as at the date only, never as history."""

from __future__ import annotations

from datetime import date

from casewatch.engine import evaluate
from casewatch.results import compliance_summary
from casewatch.standards.loader import load_pack
from support.engine_adapter import load_tables
from support.facts import facts_to_tables

CLA_VISITS = load_pack("england").get("cla-visits")

CASE = {
    "as_at": date(2026, 10, 30),
    "children": [{"id": "C1", "dob": date(2015, 1, 1)}, {"id": "C2", "dob": date(2016, 1, 1)}],
    "facts": {
        "placement": [
            {"subject": "C1", "start": date(2025, 1, 6), "placement_type": "U3"},
            {"subject": "C2", "start": date(2025, 1, 6), "placement_type": "U3"},
        ],
        # Only the latest visit is known: a history would show every earlier interval as missed.
        "cla_visit": [
            {"subject": "C1", "date": date(2026, 10, 1), "seen": True},
            {"subject": "C2", "date": date(2026, 8, 3), "seen": True},
        ],
    },
}


def test_history_reading_of_a_snapshot_would_count_every_earlier_interval_as_missed() -> None:
    rows = evaluate([CLA_VISITS], load_tables(facts_to_tables(CASE, "child")), CASE["as_at"]).instances.to_pylist()
    assert len(rows) == 4 and sum(r["status"] == "met_late" for r in rows) == 2


def test_snapshot_tables_keep_only_whether_the_next_visit_is_overdue() -> None:
    con = load_tables(facts_to_tables(CASE, "child"))
    results = evaluate([CLA_VISITS], con, CASE["as_at"], snapshot_tables=["ssd_cla_visits"])
    rows = {r["subject_id"]: (r["sequence"], r["due_date"], r["status"]) for r in results.instances.to_pylist()}
    assert rows == {"C1": (2, date(2026, 11, 12), "not_due"), "C2": (2, date(2026, 9, 14), "overdue")}
    assert "judged as at 2026-10-30 only" in results.limited[CLA_VISITS.id]
    (summary,) = compliance_summary(results).to_pylist()
    assert summary["compliance"] == 50.0 and "latest record" in summary["note"]
