"""The history window: set in casewatch.yaml, counted back from the extract date, or inferred from the data."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from casewatch.data.config import DataConfig
from casewatch.data.history import MIN_ROWS, HistoryWindow, history_window, infer_window
from casewatch.data.load import load_case_data
from casewatch.synth import generate_council

AS_AT = date(2026, 10, 30)


def _events(con: duckdb.DuckDBPyConnection, table: str, column: str, first: date, rows: int = MIN_ROWS + 10) -> None:
    con.execute(f"CREATE TABLE {table} ({column} DATE)")
    con.executemany(f"INSERT INTO {table} VALUES (?)", [[first + timedelta(days=3 * n)] for n in range(rows)])


def test_history_from_wins_then_the_timeframe_counted_back_from_the_extract_date() -> None:
    con = duckdb.connect()
    both = DataConfig(history_from=date(2021, 1, 1), ssd_timeframe_years=6)
    assert history_window(con, both, AS_AT) == HistoryWindow(date(2021, 1, 1), "history_from")
    years = history_window(con, DataConfig(ssd_timeframe_years=6), AS_AT)
    assert (years.start, years.how) == (date(2020, 10, 30), "ssd_timeframe_years")
    leap = history_window(con, DataConfig(ssd_timeframe_years=6, extract_date=date(2028, 2, 29)), AS_AT)
    assert leap.start == date(2022, 2, 28)  # six years before a 29 February is the 28th
    assert "6 years before the extract date 2028-02-29" in leap.statement()


def test_a_tables_own_window_counts_when_it_is_later() -> None:
    window = HistoryWindow(date(2021, 1, 1), "history_from", tables={"ssd_cin_assessments": date(2026, 5, 1)})
    assert window.for_table("ssd_cin_assessments") == date(2026, 5, 1)
    assert window.for_table("ssd_cp_visits") == date(2021, 1, 1)
    assert window.for_tables(["ssd_cp_visits", "ssd_cin_assessments"]) == date(2026, 5, 1)
    assert HistoryWindow(None, "none").for_tables(["ssd_cp_visits"]) is None
    early = HistoryWindow(date(2021, 1, 1), "history_from", tables={"ssd_cp_visits": date(2019, 1, 1)})
    assert early.for_table("ssd_cp_visits") == date(2021, 1, 1)


def test_event_tables_that_begin_together_give_the_window_and_open_older_episodes_are_named() -> None:
    con = duckdb.connect()
    _events(con, "ssd_cp_visits", "cppv_cp_visit_date", date(2020, 11, 2))
    _events(con, "ssd_cla_visits", "clav_cla_visit_date", date(2020, 11, 20))
    _events(con, "ssd_cin_visits", "cinv_cin_visit_date", date(2020, 12, 1))
    _events(con, "ssd_contacts", "cont_contact_date", date(2015, 1, 1))  # full history: not in the group
    con.execute("CREATE TABLE ssd_cp_plans (cppl_cp_plan_start_date DATE, cppl_cp_plan_end_date DATE)")
    con.execute("INSERT INTO ssd_cp_plans VALUES ('2019-05-01', NULL), ('2018-01-01', '2019-01-01')")
    start, why, begins = infer_window(con)
    assert start == date(2020, 11, 2)  # the earliest first date of the group: no table cut then holds one before
    assert why == "3 of 4 event tables begin between 2020-11-02 and 2020-12-01, and 1 open episode started earlier"
    # each table of the group that begins later is whole from its own first date
    assert begins == {"ssd_cla_visits": date(2020, 11, 20), "ssd_cin_visits": date(2020, 12, 1)}
    window = history_window(con, DataConfig(), AS_AT)
    assert window.how == "inferred" and "set history_from or ssd_timeframe_years" in window.statement()
    assert "2 event tables that begin later are each judged from their own first date, up to 2020-12-01" in (
        window.statement()
    )
    assert window.for_tables(["ssd_cp_visits", "ssd_cp_plans"]) == date(2020, 11, 2)
    assert window.for_tables(["ssd_cp_visits", "ssd_cin_visits"]) == date(2020, 12, 1)
    assert window.for_table("ssd_contacts") == date(2020, 11, 2)  # outside the group: the window's start


def test_no_window_is_inferred_when_the_tables_do_not_begin_together() -> None:
    con = duckdb.connect()
    _events(con, "ssd_cp_visits", "cppv_cp_visit_date", date(2018, 1, 1))
    _events(con, "ssd_cla_visits", "clav_cla_visit_date", date(2019, 6, 1))
    _events(con, "ssd_cin_visits", "cinv_cin_visit_date", date(2021, 3, 1))
    _events(con, "ssd_contacts", "cont_contact_date", date(2015, 1, 1), rows=MIN_ROWS - 1)  # too few to count
    assert infer_window(con).start is None
    window = history_window(con, DataConfig(), AS_AT)
    assert window.how == "none" and window.start is None
    assert "none found" in window.statement() and "ssd_timeframe_years or history_from" in window.statement()


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("history")
    generate_council(folder, population=1500, years=3, seed=5, as_at=AS_AT)
    return folder


def test_a_synthetic_councils_window_is_found_where_it_was_cut(council: Path) -> None:
    """The generator writes events from three months before its three years: that is where the data begins."""
    data = load_case_data(council, as_at=AS_AT)
    try:
        window = history_window(data.con, data.config, AS_AT)
    finally:
        data.con.close()
    assert window.how == "inferred" and window.start is not None
    written_from = date(2023, 10, 30) - timedelta(days=92)
    assert abs((window.start - written_from).days) <= 45
