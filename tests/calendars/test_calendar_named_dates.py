"""Each calendar's non-working days, checked against dates a caseworker or a GOV.UK page would quote."""

from __future__ import annotations

from datetime import date
from importlib.metadata import version

import pytest

from casewatch.calendars import available_calendars, get_calendar

D = date.fromisoformat


def weekday_holiday_dates(name: str, year: int) -> list[str]:
    return [day.isoformat() for day, _ in get_calendar(name).holidays_in(year)]


# Typed in from the published bank-holiday lists, not generated from the holidays package.
@pytest.mark.parametrize(
    ("name", "year", "expected"),
    [
        ("england", 2020, "01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28"),
        ("england", 2023, "01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26"),
        ("england", 2024, "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26"),
        ("england", 2026, "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28"),
        ("scotland", 2024, "01-01 01-02 03-29 05-06 05-27 08-05 12-02 12-25 12-26"),
        ("northern-ireland", 2025, "01-01 03-17 04-18 04-21 05-05 05-26 07-14 08-25 12-25 12-26"),
        ("st-helena", 2025, "01-01 04-18 04-21 05-21 06-09 08-25 11-14 12-25 12-26"),
    ],
)
def test_a_years_non_working_weekdays_match_the_published_list(name: str, year: int, expected: str) -> None:
    assert weekday_holiday_dates(name, year) == [f"{year}-{month_day}" for month_day in expected.split()]


@pytest.mark.parametrize("name", ["england", "wales", "scotland", "northern-ireland"])
@pytest.mark.parametrize(
    ("day", "expected_name"),
    [
        ("2022-09-19", "State Funeral of Queen Elizabeth II"),
        ("2023-05-08", "Coronation of Charles III"),
        ("2022-06-03", "Platinum Jubilee of Elizabeth II"),
    ],
)
def test_one_off_bank_holidays_are_non_working_across_the_uk(name: str, day: str, expected_name: str) -> None:
    cal = get_calendar(name)
    assert not cal.is_working_day(D(day))
    assert (D(day), expected_name) in cal.holidays_in(D(day).year)


def test_2020_early_may_bank_holiday_moved_to_ve_day() -> None:
    cal = get_calendar("england")
    assert not cal.is_working_day(D("2020-05-08"))
    assert cal.is_working_day(D("2020-05-04"))


def test_christmas_2021_substitute_days_are_the_monday_and_tuesday() -> None:
    cal = get_calendar("england")
    assert not cal.is_working_day(D("2021-12-27"))
    assert not cal.is_working_day(D("2021-12-28"))
    assert cal.is_working_day(D("2021-12-29"))
    names = dict(cal.holidays_in(2021))
    assert names[D("2021-12-27")] == "Christmas Day (observed)"
    assert names[D("2021-12-28")] == "Boxing Day (observed)"


def test_easter_2024_in_england_but_no_easter_monday_in_scotland() -> None:
    england, scotland = get_calendar("england"), get_calendar("scotland")
    assert not england.is_working_day(D("2024-03-29"))  # Good Friday
    assert not england.is_working_day(D("2024-04-01"))  # Easter Monday
    assert not scotland.is_working_day(D("2024-03-29"))
    assert scotland.is_working_day(D("2024-04-01"))


def test_scotland_has_2_january_and_a_substitute_for_st_andrews_day() -> None:
    scotland, england = get_calendar("scotland"), get_calendar("england")
    assert not scotland.is_working_day(D("2025-01-02"))
    assert england.is_working_day(D("2025-01-02"))
    # 30 November 2025 is a Sunday; the Monday is the substitute day.
    assert dict(scotland.holidays_in(2025))[D("2025-12-01")] == "Saint Andrew's Day (observed)"
    assert england.is_working_day(D("2025-12-01"))
    assert not scotland.is_working_day(D("2023-11-30"))  # a Thursday


def test_northern_ireland_has_st_patricks_day_and_the_twelfth() -> None:
    ni, england = get_calendar("northern-ireland"), get_calendar("england")
    assert not ni.is_working_day(D("2025-03-17"))
    assert not ni.is_working_day(D("2024-07-12"))
    assert not ni.is_working_day(D("2025-07-14"))  # 12 July 2025 is a Saturday
    assert not ni.is_working_day(D("2024-03-18"))  # 17 March 2024 is a Sunday
    assert england.is_working_day(D("2025-03-17"))
    assert england.is_working_day(D("2024-07-12"))


def test_st_helena_has_saint_helena_day_and_the_government_holidays() -> None:
    cal = get_calendar("st-helena")
    names = dict(cal.holidays_in(2025))
    assert names[D("2025-05-21")] == "Saint Helena Day"
    # New Year's Day, Whit Monday and the August Bank Holiday are in the package's government category only.
    assert names[D("2025-01-01")] == "New Year's Day"
    assert D("2025-06-09") in names
    assert D("2025-08-25") in names
    assert get_calendar("england").is_working_day(D("2025-05-21"))


def test_st_helena_day_on_a_saturday_moves_to_the_friday() -> None:
    cal = get_calendar("st-helena")
    assert not cal.is_working_day(D("2022-05-20"))


def test_weekends_are_never_working_days_and_ordinary_weekdays_are() -> None:
    cal = get_calendar("england")
    assert not cal.is_working_day(D("2024-03-23"))  # Saturday
    assert not cal.is_working_day(D("2024-03-24"))  # Sunday
    assert cal.is_working_day(D("2024-03-25"))


def test_holidays_in_lists_weekdays_only() -> None:
    # Christmas Day 2022 was a Sunday: the Sunday is not listed, its Tuesday substitute is.
    days = dict(get_calendar("england").holidays_in(2022))
    assert D("2022-12-25") not in days
    assert days[D("2022-12-27")] == "Christmas Day (observed)"


@pytest.mark.parametrize("name", available_calendars())
def test_every_calendar_says_which_package_version_it_came_from(name: str) -> None:
    assert f"holidays {version('holidays')}" in get_calendar(name).description


def test_aliases_give_the_same_calendar() -> None:
    england = get_calendar("england")
    assert get_calendar("england-and-wales") is england
    assert get_calendar("England and Wales") is england
    assert get_calendar("ENG") is england
    assert get_calendar("St Helena") is get_calendar("st-helena")
    assert get_calendar("wales").id == "wales"
    assert "WLS" in get_calendar("wales").description
    assert "ENG" in england.description


def test_available_calendars() -> None:
    assert available_calendars() == ["england", "wales", "scotland", "northern-ireland", "st-helena"]
