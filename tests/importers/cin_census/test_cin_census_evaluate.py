"""End to end: a CIN census import is evaluated by the England pack, and the census standards produce instances."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cin_census_builders import assessment, census, child, cp_plan, episode, section47, write

from casewatch.api import evaluate
from casewatch.exporters import write_cin_census
from casewatch.importers.cin_census import import_cin_census

EXAMPLE = Path(__file__).parents[3] / "src" / "casewatch" / "examples" / "example_council"


def _statuses(results: object, standard: str) -> list[tuple[str, str, str | None]]:
    table = results.instances  # type: ignore[attr-defined]
    chosen = [r for r in table.to_pylist() if r["standard_id"] == standard]
    return sorted((r["subject_id"], r["status"], str(r["due_date"]) if r["due_date"] else None) for r in chosen)


def test_assessment_and_icpc_standards_run_on_an_imported_census(tmp_path: Path) -> None:
    message = census(
        child(
            "C001",
            episode(
                "2024-06-03",
                extra=(
                    assessment("2024-06-04", "2024-07-30"),
                    section47("2024-06-10", icpc="2024-06-28", target="2024-07-01"),
                    cp_plan("2024-06-28", reviews=("2024-09-20",)),
                ),
            ),
        ),
        child("C002", episode("2024-09-02", extra=(assessment("2024-09-03"), section47("2024-09-02")))),
        child("C003", episode("2024-10-01", nfa="1")),
        child("C004", episode("2024-10-07", extra=(section47("2024-10-07", not_required="1"),))),
    )
    source = write(tmp_path / "census.xml", message)
    import_cin_census(str(source), tmp_path / "out")
    results = evaluate("england", tmp_path / "out", as_at="2025-03-31")
    assessments = _statuses(results, "england.assessment-timescale")
    assert [(p, s) for p, s, _ in assessments] == [("C001", "met"), ("C002", "overdue"), ("C004", "overdue")]
    conferences = _statuses(results, "england.icpc-timescale")
    assert [(p, s) for p, s, _ in conferences] == [("C001", "met"), ("C002", "overdue")]
    assert _statuses(results, "england.cp-review-conferences")
    for unsupported in ("england.cla-visits", "england.cla-reviews"):
        assert results.not_evaluated[unsupported].startswith("not evaluated: missing data")


def test_a_round_trip_of_the_example_council_evaluates_like_a_council(tmp_path: Path) -> None:
    write_cin_census(EXAMPLE, tmp_path / "census.xml", date(2027, 3, 31))
    report = import_cin_census(str(tmp_path / "census.xml"), tmp_path / "out")
    results = evaluate("england", tmp_path / "out", as_at="2026-10-30")
    for standard in ("england.assessment-timescale", "england.icpc-timescale", "england.cp-review-conferences"):
        statuses = {s for _, s, _ in _statuses(results, standard)}
        assert {"met", "overdue"} <= statuses, standard
    assert report.errors == 0
