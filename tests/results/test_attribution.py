"""Who held a child on a date, by the rule written in docs/data-contract.md (the SQL form is held against this
one by tests/test_differential.py::test_attribution)."""

from __future__ import annotations

from datetime import date

import duckdb
import sqlglot
from sqlglot import exp

from casewatch.results.attribution import (
    NOBODY,
    Allocation,
    Holder,
    case_holding,
    holder_on,
    holders,
    ordered_allocations,
    reference_date,
    worker_departments,
    worker_teams,
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


def _sql_holders(
    allocations: list[Allocation], days: list[date], departments: dict[str, str], referrals: tuple[Allocation, ...] = ()
) -> list[Holder]:
    """The set-based form, run on DuckDB over the same allocations and referrals."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE ssd_cin_episodes (cine_referral_id VARCHAR, cine_person_id VARCHAR, cine_referral_team VARCHAR, "
        "cine_referral_date DATE, cine_close_date DATE)"
    )
    if referrals:
        con.executemany(
            "INSERT INTO ssd_cin_episodes VALUES (?, ?, ?, ?, ?)",
            [[r.allocation_id, r.person_id, r.team_id, r.start, r.end] for r in referrals],
        )
    con.execute(
        "CREATE TABLE ssd_involvements (invo_involvements_id VARCHAR, invo_person_id VARCHAR, "
        "invo_professional_id VARCHAR, invo_professional_role_id VARCHAR, invo_professional_team VARCHAR, "
        "invo_involvement_start_date DATE, invo_involvement_end_date DATE)"
    )
    if allocations:
        con.executemany(
            "INSERT INTO ssd_involvements VALUES (?, ?, ?, 'SW', ?, ?, ?)",
            [[a.allocation_id, a.person_id, a.worker_id, a.team_id, a.start, a.end] for a in allocations],
        )
    con.execute("CREATE TABLE ssd_professionals (prof_professional_id VARCHAR, prof_professional_department VARCHAR)")
    if departments:
        con.executemany("INSERT INTO ssd_professionals VALUES (?, ?)", list(departments.items()))
    con.execute(f"CREATE TABLE ordered AS {ordered_allocations(['SW'], referrals=True).sql('duckdb')}")
    pairs = sqlglot.parse_one(
        "SELECT 'C1' AS person_id, CAST(d AS DATE) AS ref_date FROM (VALUES "
        + ", ".join(f"('{d}')" for d in days)
        + ") AS v(d)"
    )
    assert isinstance(pairs, exp.Query)
    query = holders(pairs, "ordered", has_departments=True).sql("duckdb")
    found = {
        row[0]: Holder(row[1], row[2])
        for row in con.execute(f"SELECT ref_date, worker_id, team_id FROM ({query})").fetchall()
    }
    return [found.get(d, NOBODY) for d in days]


def test_the_set_based_form_picks_the_same_holder_on_every_boundary_day() -> None:
    """The handover day, a same-day tie, the day after an end, a day before any start, the department fallback."""
    tie_a = Allocation("C1", "W3", None, date(2026, 8, 1), None, "A3")
    tie_b = Allocation("C1", "W4", "T4", date(2026, 8, 1), date(2026, 8, 20), "A4")
    allocations = [OLD, NEW, tie_a, tie_b]
    departments = {"W3": "D3", "W4": "D4"}
    days = [date(2026, 2, 28), date(2026, 3, 1), date(2026, 6, 9), date(2026, 6, 10), date(2026, 6, 11),
            date(2026, 8, 1), date(2026, 8, 20), date(2026, 8, 21)]  # fmt: skip
    expected = [holder_on(allocations, d, departments) for d in days]
    assert expected[5] == Holder("W4", "T4") and expected[7] == Holder("W3", "D3")  # the tie, then the fallback
    assert _sql_holders(allocations, days, departments) == expected


def test_a_child_nobody_holds_is_unallocated_work_of_the_open_referrals_team() -> None:
    early = Allocation("C1", None, "T5", date(2026, 1, 1), date(2026, 9, 1), "R1")
    later = Allocation("C1", None, "T6", date(2026, 5, 1), None, "R2")
    referrals = [early, later]
    days = [date(2025, 12, 31), date(2026, 2, 1), date(2026, 3, 1), date(2026, 5, 1), date(2026, 6, 10),
            date(2026, 9, 1), date(2026, 9, 2)]  # fmt: skip
    expected = [holder_on([OLD, NEW], d, {}, referrals) for d in days]
    assert expected == [
        NOBODY,
        Holder(None, "T5"),  # referred, not yet allocated: the referral's team's unallocated work
        Holder("W1", "T1"),  # an allocation always comes before a referral
        Holder("W1", "T1"),
        Holder("W2", "T2"),
        Holder("W2", "T2"),
        Holder("W2", "T2"),
    ]
    assert holder_on([], date(2026, 6, 1), {}, referrals) == Holder(None, "T6")  # the latest-started referral
    assert holder_on([], date(2026, 9, 1), {}, referrals) == Holder(None, "T6")  # the close date is its last day
    assert _sql_holders([OLD, NEW], days, {}, tuple(referrals)) == expected
    only_referred = [date(2026, 2, 1), date(2026, 6, 1), date(2026, 9, 1), date(2026, 9, 2)]
    assert _sql_holders([], only_referred, {}, (early,)) == [holder_on([], d, {}, [early]) for d in only_referred]


def test_roles_are_matched_ignoring_case_and_spaces_in_both_forms() -> None:
    """``sw`` or ``Allocated  SW`` in a council's data is the configured role, not an unallocated child; ``S W``
    is another role. The plain form and the SQL form pick the same allocations."""
    spellings = {"A1": " sw", "A2": "Allocated\u00a0 SW", "A3": "S W", "A4": "key worker", "A5": None}
    rows = [
        {
            "invo_involvements_id": key,
            "invo_person_id": "C1",
            "invo_professional_id": f"W{n}",
            "invo_professional_role_id": role,
            "invo_involvement_start_date": date(2026, 1, n),
        }
        for n, (key, role) in enumerate(spellings.items(), start=1)
    ]
    roles = ["SW", "allocated sw", "Key Worker"]
    plain = sorted(a.allocation_id or "" for a in case_holding(rows, roles)["C1"])
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE ssd_involvements (invo_involvements_id VARCHAR, invo_person_id VARCHAR, "
        "invo_professional_id VARCHAR, invo_professional_role_id VARCHAR, invo_professional_team VARCHAR, "
        "invo_involvement_start_date DATE, invo_involvement_end_date DATE)"
    )
    con.executemany(
        "INSERT INTO ssd_involvements VALUES (?, ?, ?, ?, NULL, ?, NULL)",
        [[r["invo_involvements_id"], "C1", r["invo_professional_id"], r["invo_professional_role_id"],
          r["invo_involvement_start_date"]] for r in rows],
    )  # fmt: skip
    found = con.execute(f"SELECT alloc_id FROM ({ordered_allocations(roles).sql('duckdb')}) ORDER BY 1").fetchall()
    assert plain == [row[0] for row in found] == ["A1", "A2", "A4"]


def test_a_workers_own_team_is_the_latest_started_history_row_covering_the_day() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE ext_worker_team_history AS SELECT * FROM (VALUES "
        "('W1', 'T1', DATE '2026-01-01', DATE '2026-06-10'), ('W1', 'T2', DATE '2026-06-10', NULL), "
        "('W2', 'T3', DATE '2026-01-01', DATE '2026-03-31')) "
        "AS t(wtmh_professional_id, wtmh_team_id, wtmh_start_date, wtmh_end_date)"
    )

    def teams(day: date) -> dict[str, str]:
        return dict(con.execute(worker_teams(day).sql(dialect="duckdb")).fetchall())

    assert teams(date(2026, 6, 9)) == {"W1": "T1"}
    assert teams(date(2026, 6, 10)) == {"W1": "T2"}  # the handover day goes to the new team
    assert teams(date(2026, 3, 31)) == {"W1": "T1", "W2": "T3"}  # an end date is the last day in the team


def test_a_worker_the_history_does_not_place_is_in_their_department_read_as_a_team_id_or_name() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE ext_worker_team_history AS SELECT * FROM (VALUES ('W1', 'T1', DATE '2026-01-01', NULL)) "
        "AS t(wtmh_professional_id, wtmh_team_id, wtmh_start_date, wtmh_end_date)"
    )
    con.execute(
        "CREATE TABLE ssd_professionals AS SELECT * FROM (VALUES ('W1', 'Team Two'), ('W2', '  team  two '), "
        "('W3', 'T3'), ('W4', 'Nowhere')) AS t(prof_professional_id, prof_professional_department)"
    )
    con.execute(
        "CREATE TABLE ssd_department AS SELECT * FROM (VALUES ('T1', 'Team One'), ('T2', 'Team Two'), "
        "('T3', 'Team Three')) AS t(dept_team_id, dept_team_name)"
    )
    query = worker_teams(date(2026, 6, 1), departments=True).sql(dialect="duckdb")
    assert dict(con.execute(query).fetchall()) == {"W1": "T1", "W2": "T2", "W3": "T3"}
