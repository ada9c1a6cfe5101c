"""Reporting periods: their first and last days (worked out by hand below), which instances they hold, and their
figures by standard, team and worker."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pyarrow as pa
import pytest

from casewatch.cli.options import join_period_words
from casewatch.errors import CasewatchError
from casewatch.results import RESULT_SCHEMA, Results, compliance_summary, due_in, parse_period, with_in_period
from casewatch.results.periods import EVERY_DUE_DATE, DueRange, choices
from casewatch.standards.loader import load_pack

D = date


@pytest.mark.parametrize(
    ("spelling", "as_at", "first", "last"),
    [
        # last month: the calendar month before the as-at date's month, however late in the month the date is
        ("last-month", D(2026, 10, 30), D(2026, 9, 1), D(2026, 9, 30)),
        ("last-month", D(2026, 10, 31), D(2026, 9, 1), D(2026, 9, 30)),
        ("last-month", D(2026, 11, 1), D(2026, 10, 1), D(2026, 10, 31)),
        ("last-month", D(2026, 3, 1), D(2026, 2, 1), D(2026, 2, 28)),
        ("last-month", D(2024, 3, 31), D(2024, 2, 1), D(2024, 2, 29)),  # leap year
        ("last-month", D(2026, 1, 15), D(2025, 12, 1), D(2025, 12, 31)),  # across a year end
        # the last 12 months: the as-at month so far and the 11 calendar months before it
        ("last-12-months", D(2026, 10, 30), D(2025, 11, 1), D(2026, 10, 30)),
        ("last-12-months", D(2026, 10, 31), D(2025, 11, 1), D(2026, 10, 31)),
        ("last-12-months", D(2026, 11, 1), D(2025, 12, 1), D(2026, 11, 1)),
        ("last-12-months", D(2024, 2, 29), D(2023, 3, 1), D(2024, 2, 29)),
        ("last-12-months", D(2026, 12, 31), D(2026, 1, 1), D(2026, 12, 31)),
        ("month 2026-09", D(2026, 10, 30), D(2026, 9, 1), D(2026, 9, 30)),
        ("month 2024-02", D(2026, 10, 30), D(2024, 2, 1), D(2024, 2, 29)),
        ("month 2026-02", D(2026, 10, 30), D(2026, 2, 1), D(2026, 2, 28)),
        ("month 2026-10", D(2026, 10, 1), D(2026, 10, 1), D(2026, 10, 31)),  # starts on the as-at date
        ("quarter 2026-Q1", D(2026, 10, 30), D(2026, 1, 1), D(2026, 3, 31)),
        ("quarter 2026-Q3", D(2026, 10, 30), D(2026, 7, 1), D(2026, 9, 30)),
        ("quarter 2025-q4", D(2026, 10, 30), D(2025, 10, 1), D(2025, 12, 31)),
        ("quarter 2026-27-Q1", D(2026, 10, 30), D(2026, 4, 1), D(2026, 6, 30)),
        ("quarter 2023-24-Q3", D(2026, 10, 30), D(2023, 10, 1), D(2023, 12, 31)),
        ("quarter 2025-26-Q4", D(2026, 10, 30), D(2026, 1, 1), D(2026, 3, 31)),
        ("financial-year 2025-26", D(2026, 10, 30), D(2025, 4, 1), D(2026, 3, 31)),
        ("financial-year 2023-24", D(2026, 10, 30), D(2023, 4, 1), D(2024, 3, 31)),
        ("financial-year 2026-27", D(2026, 4, 1), D(2026, 4, 1), D(2027, 3, 31)),
        ("  quarter   2026-Q3 ", D(2026, 10, 30), D(2026, 7, 1), D(2026, 9, 30)),
    ],
)
def test_a_period_runs_from_its_first_to_its_last_day(spelling: str, as_at: date, first: date, last: date) -> None:
    period = parse_period(spelling, as_at)
    assert (period.first, period.last) == (first, last)


def test_a_financial_year_across_a_century_reads_its_second_year_from_two_digits() -> None:
    period = parse_period("financial-year 2099-00", D(2100, 1, 1))
    assert (period.first, period.last) == (D(2099, 4, 1), D(2100, 3, 31))


@pytest.mark.parametrize(
    "spelling",
    ["", "yesterday", "month", "month 2026-13", "month 2026-9", "quarter 2026-Q5", "quarter 2026-Q0",
     "quarter 2026-27-Q5", "quarter 2026-28-Q1", "financial-year 2025-27", "financial-year 2025", "last-month 2026-09",
     "month 0000-01"],
)  # fmt: skip
def test_a_misspelt_period_is_one_sentence_naming_it_and_the_accepted_forms(spelling: str) -> None:
    with pytest.raises(CasewatchError) as raised:
        parse_period(spelling, D(2026, 10, 30))
    message = str(raised.value)
    assert message.startswith(f"'{spelling}' is not a reporting period; write one of last-month, last-12-months")
    assert "financial-year YYYY-YY" in message and message.count(";") == 1


def test_a_period_starting_after_the_as_at_date_is_refused() -> None:
    with pytest.raises(
        CasewatchError, match=r"'quarter 2026-Q4' starts on 2026-10-01, after the as-at date 2026-09-30"
    ):
        parse_period("quarter 2026-Q4", D(2026, 9, 30))


def test_every_output_names_a_period_by_its_dates_and_says_when_it_runs_past_the_as_at_date() -> None:
    assert parse_period("quarter 2026-Q3", D(2026, 10, 30)).label == (
        "calendar quarter 2026-Q3, 1 July 2026 to 30 September 2026"
    )
    assert parse_period("quarter 2026-27-Q2", D(2026, 10, 30)).label == (
        "financial quarter 2026-27-Q2, 1 July 2026 to 30 September 2026"
    )
    assert (
        parse_period("last-month", D(2026, 10, 30)).label
        == "last month (September 2026), 1 September 2026 to 30 September 2026"
    )
    assert parse_period("financial-year 2026-27", D(2026, 10, 30)).label == (
        "financial year 2026-27, 1 April 2026 to 31 March 2027 "
        "(so far: as at 30 October 2026, later due dates are not yet due)"
    )


def test_the_months_of_a_period_are_its_chart_bars_and_cover_it_without_gap_or_overlap() -> None:
    months = parse_period("last-12-months", D(2026, 10, 30)).months()
    assert [m.spelling for m in months][:2] == ["month 2025-11", "month 2025-12"]
    assert len(months) == 12
    assert (months[0].first, months[0].last) == (D(2025, 11, 1), D(2025, 11, 30))
    assert (months[3].first, months[3].last) == (D(2026, 2, 1), D(2026, 2, 28))
    assert (months[-1].first, months[-1].last) == (D(2026, 10, 1), D(2026, 10, 30))  # to the as-at date
    assert all((b.first - a.last).days == 1 for a, b in pairwise(months))
    assert [(m.first, m.last) for m in parse_period("quarter 2024-Q1", D(2026, 10, 30)).months()] == [
        (D(2024, 1, 1), D(2024, 1, 31)),
        (D(2024, 2, 1), D(2024, 2, 29)),
        (D(2024, 3, 1), D(2024, 3, 31)),
    ]


def test_a_limited_standard_has_its_one_figure_in_periods_holding_the_as_at_date_and_none_before() -> None:
    as_at = D(2026, 10, 30)
    assert parse_period("last-12-months", as_at).due_range(limited=True) == EVERY_DUE_DATE
    assert parse_period("month 2026-10", as_at).due_range(limited=True) == EVERY_DUE_DATE
    assert parse_period("last-month", as_at).due_range(limited=True) is None
    assert parse_period("last-month", as_at).due_range() == DueRange(D(2026, 9, 1), D(2026, 9, 30))


def test_a_page_offers_compliance_now_first_then_recent_months_quarters_and_years() -> None:
    assert [p.spelling for p in choices(D(2026, 10, 30))] == [
        "last-12-months",
        "last-month",
        "month 2026-10",
        "quarter 2026-Q4",
        "quarter 2026-Q3",
        "quarter 2026-27-Q3",
        "financial-year 2026-27",
        "financial-year 2025-26",
    ]
    assert [p.spelling for p in choices(D(2026, 1, 15))][3:] == [
        "quarter 2026-Q1",
        "quarter 2025-Q4",
        "quarter 2025-26-Q4",
        "financial-year 2025-26",
        "financial-year 2024-25",
    ]


@pytest.mark.parametrize(
    ("args", "joined"),
    [
        (["--period", "quarter", "2026-Q3", "--out", "x"], ["--period", "quarter 2026-Q3", "--out", "x"]),
        (["--period=month", "2026-09"], ["--period", "month 2026-09"]),
        (["--period", "quarter 2026-Q3"], ["--period", "quarter 2026-Q3"]),
        (["--period", "last-month", "--as-at", "2026-10-30"], ["--period", "last-month", "--as-at", "2026-10-30"]),
        (["--period", "month", "--out", "x"], ["--period", "month", "--out", "x"]),  # then refused as misspelt
    ],
)
def test_the_command_line_takes_a_two_word_period_unquoted(args: list[str], joined: list[str]) -> None:
    assert join_period_words(args) == joined


# --- which instances a period holds, and its figures ------------------------------------------------------------

ENGLAND = load_pack("england")
REVIEWS, VISITS = ENGLAND.get("cla-reviews"), ENGLAND.get("cla-visits")
AS_AT = D(2026, 10, 30)


def _row(standard: str, due: date | None, status: str, team: str = "T1", worker: str = "W1") -> dict[str, object]:
    return {
        "subject_type": "child",
        "subject_id": f"C{due}{status}",
        "standard_id": standard,
        "due_date": due,
        "status": status,
        "team_id": team,
        "worker_id": worker,
    }


def _results(rows: list[dict[str, object]], limited: bool = False) -> Results:
    full = [{name: row.get(name) for name in RESULT_SCHEMA.names} for row in rows]
    return Results(
        instances=pa.Table.from_pylist(full, schema=RESULT_SCHEMA),
        limited={VISITS.id: "judged as at 2026-10-30 only: ssd_cla_visits holds only each child's latest record"}
        if limited
        else {},
        as_at=AS_AT,
        standards=[REVIEWS, VISITS],
    )


REVIEW_ROWS = [
    _row(REVIEWS.id, D(2026, 8, 31), "met"),  # the day before September
    _row(REVIEWS.id, D(2026, 9, 1), "met"),  # September's first day
    _row(REVIEWS.id, D(2026, 9, 15), "met_late", team="T2", worker="W2"),
    _row(REVIEWS.id, D(2026, 9, 30), "overdue", team="T2", worker="W2"),  # its last day
    _row(REVIEWS.id, D(2026, 10, 1), "overdue"),  # the day after
    _row(REVIEWS.id, D(2025, 10, 31), "overdue"),  # the day before the last 12 months
    _row(REVIEWS.id, D(2026, 11, 2), "not_due"),  # after the as-at date
    _row(REVIEWS.id, None, "data_issue"),  # no due date: in no period
]


def test_a_period_holds_the_instances_due_on_its_first_and_last_day_and_between() -> None:
    results = _results(REVIEW_ROWS)
    september = due_in(results, "month 2026-09").column("due_date").to_pylist()
    assert september == [D(2026, 9, 1), D(2026, 9, 15), D(2026, 9, 30)]
    now = due_in(results).column("due_date").to_pylist()
    assert now == [D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 15), D(2026, 9, 30), D(2026, 10, 1)]
    marked = with_in_period(results, "month 2026-09").column("in_period").to_pylist()
    assert marked == [False, True, True, True, False, False, False, False]


def test_the_figure_of_a_period_is_the_formula_over_its_instances_by_standard_team_and_worker() -> None:
    results = _results(REVIEW_ROWS)
    (september, visits) = compliance_summary(results, "month 2026-09").to_pylist()
    assert (september["met"], september["met_late"], september["overdue"], september["compliance"]) == (1, 1, 1, 33.3)
    assert september["period"] == "September 2026, 1 September 2026 to 30 September 2026"
    assert (september["period_first"], september["period_last"]) == (D(2026, 9, 1), D(2026, 9, 30))
    assert visits["instances"] == 0 and visits["note"] == "nothing due in the period"
    (now, _visits) = compliance_summary(results).to_pylist()
    assert (now["instances"], now["compliance"]) == (5, 40.0)  # 2 met of 5 due in the last 12 months
    by_team = {r["team_id"]: r["compliance"] for r in compliance_summary(results, "month 2026-09", "team").to_pylist()}
    assert by_team == {"T1": 100.0, "T2": 0.0}
    by_worker = compliance_summary(results, "last-12-months", by="worker").to_pylist()
    assert [(r["worker_id"], r["instances"], r["compliance"]) for r in by_worker] == [("W1", 3, 66.7), ("W2", 2, 0.0)]
    with pytest.raises(CasewatchError, match="cannot break compliance down by 'child'; choose one of team, worker"):
        compliance_summary(results, by="child")


def test_a_limited_standard_counts_its_open_occurrences_in_any_period_holding_the_as_at_date() -> None:
    rows = [
        _row(VISITS.id, D(2019, 3, 4), "overdue"),  # overdue for years: still overdue on the date
        _row(VISITS.id, D(2026, 11, 10), "not_due"),
        _row(VISITS.id, D(2026, 10, 30), "due_soon"),
        _row(VISITS.id, D(2026, 12, 1), "not_due"),
    ]
    results = _results(rows, limited=True)
    now = compliance_summary(results).to_pylist()[1]
    assert (now["basis"], now["instances"], now["compliance"]) == ("not_overdue", 4, 75.0)
    quarter = compliance_summary(results, "quarter 2026-Q4").to_pylist()[1]
    assert quarter["compliance"] == 75.0
    before = compliance_summary(results, "last-month").to_pylist()[1]
    assert (before["instances"], before["compliance"]) == (0, None)
    assert before["note"].endswith("so there is no figure for a period that ends before 2026-10-30")
