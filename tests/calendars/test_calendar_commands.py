"""``casewatch calendar show`` and ``calendar list`` as a user would run them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from casewatch.calendars import available_calendars
from casewatch.cli.calendar import calendar


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(calendar, list(args))
    return result.exit_code, result.output


def test_show_lists_the_years_non_working_weekdays() -> None:
    code, output = run("show", "england", "2022")
    assert code == 0
    assert "2022-09-19" in output
    assert "State Funeral of Queen Elizabeth II" in output
    assert "Monday" in output
    assert "2022-12-25" not in output  # a Sunday
    assert "10 non-working weekdays in 2022 (england)." in output


def test_show_accepts_an_alias_and_says_which_calendar_it_used() -> None:
    code, output = run("show", "England and Wales", "2024")
    assert code == 0
    assert "8 non-working weekdays in 2024 (england)." in output


def test_show_st_helena() -> None:
    code, output = run("show", "st-helena", "2025")
    assert code == 0
    assert "2025-05-21" in output
    assert "Saint Helena Day" in output
    assert "9 non-working weekdays in 2025 (st-helena)." in output


def test_show_with_closures(write_file: Callable[[str, str], Path]) -> None:
    path = write_file("closures.csv", "date,name\n2026-12-29,Office closed\n2026-12-30,Office closed\n")
    code, output = run("show", "england", "2026", "--closures", str(path))
    assert code == 0
    assert "2026-12-29" in output
    assert "Office closed" in output
    assert "10 non-working weekdays in 2026 (england+closures)." in output


def test_an_out_of_range_year_is_a_one_line_error() -> None:
    code, output = run("show", "st-helena", "2014")
    assert code == 1
    assert output == "Error: The st-helena calendar covers 2015-01-01 to 2045-12-31; 2014 is outside it.\n"


def test_an_unknown_calendar_is_a_one_line_error() -> None:
    code, output = run("show", "narnia", "2024")
    assert code == 1
    assert output.startswith("Error: There is no calendar called 'narnia'; available calendars are england")
    assert output.count("\n") == 1


def test_a_bad_closures_file_is_a_one_line_error(write_file: Callable[[str, str], Path]) -> None:
    path = write_file("closures.csv", "date,name\n31/12/2026,Closed\n")
    code, output = run("show", "england", "2026", "--closures", str(path))
    assert code == 1
    assert "closures.csv, line 2, column date: '31/12/2026' is not a date in YYYY-MM-DD form." in output
    assert output.count("\n") == 1


def test_list_shows_every_calendar() -> None:
    code, output = run("list")
    assert code == 0
    for name in available_calendars():
        assert name in output
    assert "england-and-wales" in output
