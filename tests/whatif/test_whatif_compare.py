"""Hand-computed what-if cases: the delta of a changed interval is exact, and an unchanged rule changes nothing.

Two children in care, each in one placement, on a series of visits whose interval is 6 weeks:

* C1 (worker W1, team T1): placed 1 January 2024, seen every 5 weeks (5 February, 11 March, 15 April,
  20 May, 24 June). At 6 weeks every visit is on time; at 4 weeks each of the five is late, and the visit due
  4 weeks after 24 June (22 July) is overdue on the as-at date, 25 July.
* C2 (worker W2, team T2): placed 1 March 2024, seen every 3 weeks (22 March … 5 July): on time either way.
  At 6 weeks the sixth visit's occurrence (from 14 June) is due on 26 July, after the period; at 4 weeks it is
  due on 12 July, inside it.

The period is the last 12 months as at 25 July 2024 (1 August 2023 to 25 July 2024, 12 calendar months).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from casewatch.engine import evaluate
from casewatch.results import Results
from casewatch.standards.loader import change_standard
from casewatch.standards.pack import Standard
from casewatch.whatif import Change, WhatIf, compare
from support.engine_adapter import load_tables
from support.facts import facts_to_tables
from support.standards import make_standard

AS_AT = date(2024, 7, 25)
SERIES = make_standard(
    {
        "kind": "series",
        "cohort": {"source": "placement"},
        "event": {"source": "cla_visit", "where": {"seen": True}},
        "interval": "6 weeks",
    }
)


def _visits(child: str, first: date, every: int, n: int) -> list[dict[str, Any]]:
    return [{"subject": child, "date": first + timedelta(weeks=every * k), "seen": True} for k in range(n)]


CASE: dict[str, Any] = {
    "children": [{"id": "C1"}, {"id": "C2"}],
    "facts": {
        "placement": [
            {"id": "P1", "subject": "C1", "start": date(2024, 1, 1)},
            {"id": "P2", "subject": "C2", "start": date(2024, 3, 1)},
        ],
        "cla_visit": _visits("C1", date(2024, 2, 5), 5, 5) + _visits("C2", date(2024, 3, 22), 3, 6),
        "allocation": [
            {"subject": "C1", "start": date(2023, 12, 1), "worker_id": "W1", "team": "T1"},
            {"subject": "C2", "start": date(2024, 2, 1), "worker_id": "W2", "team": "T2"},
        ],
    },
}


def _results(standard: Standard) -> Results:
    con = load_tables(facts_to_tables(CASE, "child", standard_id=standard.id))
    return evaluate([standard], con, AS_AT, allocated_roles=("SW",))


def _whatif(interval: str, by: str | None = None) -> WhatIf:
    change = Change(SERIES.id, "interval", interval)
    after = change_standard(SERIES, {change.field: change.value})
    return compare(_results(SERIES), _results(after), [change], by=by)


def test_visits_every_5_weeks_judged_at_4_weeks_turn_late_and_one_overdue() -> None:
    answer = _whatif("4 weeks")
    (row,) = answer.rows
    assert answer.period.first == date(2023, 8, 1) and answer.period.last == AS_AT
    assert (row.compliance_before, row.compliance_after, row.points) == (100.0, 50.0, -50.0)  # 10/10, then 6/12
    assert row.moved == {("met", "met_late"): 5, ("not_due", "overdue"): 1}
    assert row.changed == 6
    assert row.moves() == "met → met late: 5; not yet due → overdue: 1"
    assert (row.before.due, row.after.due) == (10, 12)
    assert (row.before.workers, row.after.workers) == (2, 2)
    assert (row.before.per_month, row.after.per_month) == (0.8, 1.0)  # 10 and 12 over 12 months
    # the visits keeping to the interval needs: each occurrence's days to its visit (or to 25 July) over its
    # interval; C1's five 35-day gaps and the 31 days since 24 June, C2's 21-day gaps (five, then six)
    assert row.before.needed == pytest.approx(5 * 35 / 42 + 5 * 21 / 42)
    assert row.after.needed == pytest.approx(5 * 35 / 28 + 31 / 28 + 6 * 21 / 28)
    assert (row.before.needed_per_month, row.after.needed_per_month) == (0.6, 1.0)  # 6.67 and 11.86 over 12
    assert (row.before.needed_per_worker_per_month, row.after.needed_per_worker_per_month) == (0.28, 0.49)


def test_by_worker_the_late_visits_are_the_worker_of_the_child_seen_5_weekly() -> None:
    rows = {row.group: row for row in _whatif("4 weeks", by="worker").rows}
    assert sorted(rows) == ["W1", "W2"]
    assert (rows["W1"].compliance_before, rows["W1"].compliance_after) == (100.0, 0.0)
    assert rows["W1"].moved == {("met", "met_late"): 5, ("not_due", "overdue"): 1}
    assert (rows["W1"].before.due, rows["W1"].after.due) == (5, 6)
    assert (rows["W2"].compliance_before, rows["W2"].compliance_after, rows["W2"].changed) == (100.0, 100.0, 0)
    assert (rows["W2"].before.due, rows["W2"].after.due) == (5, 6)
    assert rows["W1"].after.needed == pytest.approx(5 * 35 / 28 + 31 / 28)
    assert rows["W2"].after.needed == pytest.approx(6 * 21 / 28)
    assert (rows["W1"].after.needed_per_worker_per_month, rows["W2"].after.needed_per_worker_per_month) == (0.61, 0.38)


def test_at_7_weeks_nothing_changes_status_but_the_occurrences_due_in_the_period() -> None:
    (row,) = _whatif("7 weeks").rows
    assert (row.compliance_before, row.compliance_after, row.changed) == (100.0, 100.0, 0)
    # C2's occurrence from 14 June is due on 2 August instead of 26 July: outside the period either way; C1's
    # from 20 May is due on 8 July instead of 1 July: inside either way
    assert (row.before.due, row.after.due) == (10, 10)


def test_the_unchanged_rule_gives_zero_changes_and_the_same_figures() -> None:
    (row,) = _whatif("6 weeks").rows
    assert row.moved == {} and row.changed == 0 and row.points == 0.0
    assert row.before == row.after


def test_the_table_holds_one_row_per_standard_with_the_change_asked() -> None:
    table = _whatif("4 weeks", by="team").table()
    assert table.column("team_id").to_pylist() == ["T1", "T2"]
    assert table.column("changes").to_pylist() == [f"{SERIES.id}:interval=4 weeks"] * 2
    assert table.column("changed_status").to_pylist() == [6, 0]


def test_two_evaluations_of_different_dates_are_not_compared() -> None:
    other = evaluate([SERIES], load_tables(facts_to_tables(CASE, "child")), AS_AT - timedelta(days=1))
    with pytest.raises(ValueError, match="same date"):
        compare(_results(SERIES), other)


def test_for_a_rule_other_than_a_series_each_occurrence_due_is_the_work_needed() -> None:
    # Two case notes of Monday 1 July 2024: one recorded that day, one on Wednesday 3 July. Within 3 working
    # days (due 4 July) both are on time; within 1 working day (due 2 July) the second is late.
    lag = make_standard(
        {
            "kind": "recording_lag",
            "event": {"source": "casenote"},
            "recorded": "recorded_date",
            "within": "3 working days",
        }
    )
    notes = [{"date": date(2024, 7, 1), "recorded_date": day} for day in (date(2024, 7, 1), date(2024, 7, 3))]
    con = load_tables(facts_to_tables({"facts": {"casenote": notes}}, "child", standard_id=lag.id))
    change = Change(lag.id, "within", "1 working day")
    results = [evaluate([s], con, AS_AT) for s in (lag, change_standard(lag, {"within": "1 working day"}))]
    (row,) = compare(*results, [change]).rows
    assert (row.compliance_before, row.compliance_after) == (100.0, 50.0)
    assert row.moved == {("met", "met_late"): 1}
    assert (row.before.due, row.after.due, row.before.needed, row.after.needed) == (2, 2, 2.0, 2.0)
