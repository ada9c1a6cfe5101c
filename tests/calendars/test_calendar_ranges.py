"""Dates outside a calendar's range, unknown names and a holiday source that has gone quiet are all errors."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from casewatch.calendars import available_calendars, get_calendar
from casewatch.calendars.sources import CalendarSpec, fetch_holidays
from casewatch.errors import CalendarRangeError, CasewatchError

D = date.fromisoformat


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("england", "1990-01-01", "2045-12-31"),
        ("wales", "1990-01-01", "2045-12-31"),
        ("scotland", "1990-01-01", "2045-12-31"),
        ("northern-ireland", "1990-01-01", "2045-12-31"),
        ("st-helena", "2015-01-01", "2045-12-31"),
    ],
)
def test_ranges(name: str, first: str, last: str) -> None:
    cal = get_calendar(name)
    assert (cal.first_date, cal.last_date) == (D(first), D(last))


def test_a_date_before_the_range_is_an_error_not_a_working_day() -> None:
    cal = get_calendar("st-helena")
    message = "The st-helena calendar covers 2015-01-01 to 2045-12-31; 2013-04-02 is outside it."
    for query in (cal.is_working_day, cal.ordinal, lambda d: cal.add_working_days(d, 0)):
        with pytest.raises(CalendarRangeError) as caught:
            query(D("2013-04-02"))
        assert str(caught.value) == message


def test_a_date_after_the_range_is_an_error() -> None:
    with pytest.raises(CalendarRangeError, match="2046-01-01 is outside it"):
        get_calendar("england").working_days_between(D("2045-12-01"), D("2046-01-01"))


def test_counting_past_either_end_of_the_range_is_an_error() -> None:
    cal = get_calendar("england")
    with pytest.raises(CalendarRangeError, match="30 working days after 2045-12-20 is outside it"):
        cal.add_working_days(D("2045-12-20"), 30)
    with pytest.raises(CalendarRangeError, match="1 working day before 1990-01-01 is outside it"):
        cal.add_working_days(D("1990-01-01"), -1)
    assert cal.add_working_days(D("1990-01-01"), 1) == D("1990-01-02")


def test_the_last_working_day_in_range_can_be_reached_but_not_passed() -> None:
    cal = get_calendar("england")
    last_working = cal.add_working_days(cal.last_date, -1)
    assert cal.add_working_days(cal.add_working_days(last_working, -5), 5) == last_working
    with pytest.raises(CalendarRangeError):
        cal.add_working_days(last_working, 1)


def test_vectorised_range_errors_name_the_offending_date() -> None:
    cal = get_calendar("st-helena")
    dates = np.array(["2020-01-02", "2014-12-31"], dtype="datetime64[D]")
    with pytest.raises(CalendarRangeError, match="2014-12-31 is outside it"):
        cal.ordinals(dates)
    with pytest.raises(CalendarRangeError, match="missing date"):
        cal.ordinals(np.array(["2020-01-02", "NaT"], dtype="datetime64[D]"))
    with pytest.raises(CalendarRangeError, match="1 working day after 2045-12-31"):
        cal.add_working_days_many(np.array(["2020-01-02", "2045-12-31"], dtype="datetime64[D]"), 1)


def test_holidays_in_a_year_outside_the_range_is_an_error() -> None:
    with pytest.raises(CalendarRangeError, match="covers 2015-01-01 to 2045-12-31; 2014 is outside it"):
        get_calendar("st-helena").holidays_in(2014)


def test_unknown_calendar_lists_the_available_ones() -> None:
    with pytest.raises(CasewatchError) as caught:
        get_calendar("narnia")
    for name in available_calendars():
        assert name in str(caught.value)


def test_a_year_the_holidays_package_leaves_empty_stops_the_build() -> None:
    # The package silently returns nothing for years it does not cover (GB after 2100, St Helena before 2015).
    for spec in (
        CalendarSpec("gb-future", "test", "GB", "ENG", ("public",), 2100, 2101, 7),
        CalendarSpec("sh-past", "test", "SH", "HL", ("public", "government"), 2014, 2015, 7),
    ):
        with pytest.raises(CasewatchError, match=r"gives only 0 weekday holidays .* in (2101|2014)"):
            fetch_holidays(spec)


def test_st_helena_without_the_government_category_would_fail_the_guard() -> None:
    public_only = CalendarSpec("sh-public", "test", "SH", "HL", ("public",), 2025, 2025, 7)
    with pytest.raises(CasewatchError, match="gives only 6 weekday holidays"):
        fetch_holidays(public_only)
