"""Due dates and counts a caseworker would check by hand on a wall calendar."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import numpy as np
import pytest

from casewatch.calendars import Calendar, get_calendar

D = date.fromisoformat


@pytest.fixture(scope="module")
def england() -> Calendar:
    return get_calendar("england")


def test_15_working_days_across_easter_2024(england: Calendar) -> None:
    # Strategy discussion Thu 21 Mar; Good Friday 29 Mar and Easter Monday 1 Apr do not count.
    assert england.add_working_days(D("2024-03-21"), 15) == D("2024-04-15")
    assert england.working_days_between(D("2024-03-21"), D("2024-04-15")) == 15


def test_15_working_days_across_christmas_2026(england: Calendar) -> None:
    # 25 Dec is a Friday, Boxing Day is substituted on Mon 28 Dec, New Year's Day is a Friday.
    assert england.add_working_days(D("2026-12-18"), 15) == D("2027-01-13")


def test_saturday_anchor_makes_the_monday_day_one(england: Calendar) -> None:
    assert england.add_working_days(D("2024-03-23"), 1) == D("2024-03-25")
    assert england.add_working_days(D("2024-03-24"), 1) == D("2024-03-25")
    assert england.add_working_days(D("2024-03-22"), 1) == D("2024-03-25")


def test_zero_working_days_is_the_anchor_itself(england: Calendar) -> None:
    assert england.add_working_days(D("2024-03-23"), 0) == D("2024-03-23")
    assert england.add_working_days(D("2024-03-29"), 0) == D("2024-03-29")
    assert england.add_working_days(D("2024-03-25"), 0) == D("2024-03-25")


def test_holiday_anchor_counts_from_the_next_working_day(england: Calendar) -> None:
    assert england.add_working_days(D("2024-03-29"), 1) == D("2024-04-02")  # from Good Friday
    assert england.add_working_days(D("2024-04-01"), 1) == D("2024-04-02")  # from Easter Monday


def test_negative_n_counts_back_strictly_before_the_anchor(england: Calendar) -> None:
    # "3 working days before a conference on Thu 4 Apr 2024": Wed 3, Tue 2, then over Easter to Thu 28 Mar.
    assert england.add_working_days(D("2024-04-04"), -3) == D("2024-03-28")
    assert england.add_working_days(D("2024-03-25"), -1) == D("2024-03-22")
    assert england.add_working_days(D("2024-04-02"), -1) == D("2024-03-28")


def test_negative_n_from_a_non_working_day_mirrors_the_forward_rule(england: Calendar) -> None:
    # A Saturday's day +1 is the Monday, so its day -1 is the Friday (not the Thursday).
    assert england.add_working_days(D("2024-03-23"), -1) == D("2024-03-22")
    assert england.add_working_days(D("2024-03-23"), -3) == D("2024-03-20")
    assert england.add_working_days(D("2024-03-31"), -1) == D("2024-03-28")  # Easter Sunday
    # This is numpy's roll="forward"; roll="backward" would give the Thursday.
    holidays = np.array(["2024-03-29", "2024-04-01"], dtype="datetime64[D]")
    assert np.busday_offset("2024-03-23", -1, roll="forward", holidays=holidays) == np.datetime64("2024-03-22")
    assert np.busday_offset("2024-03-23", -1, roll="backward", holidays=holidays) == np.datetime64("2024-03-21")


def test_forward_then_back_returns_to_a_working_anchor(england: Calendar) -> None:
    start = D("2024-03-21")
    assert england.add_working_days(england.add_working_days(start, 15), -15) == start


def test_month_ends(england: Calendar) -> None:
    assert england.add_working_days(D("2024-08-30"), 1) == D("2024-09-02")  # 31 Aug 2024 is a Saturday
    assert england.add_working_days(D("2024-02-28"), 1) == D("2024-02-29")
    assert england.add_working_days(D("2024-02-28"), 2) == D("2024-03-01")
    assert england.add_working_days(D("2021-12-31"), 1) == D("2022-01-04")  # Mon 3 Jan 2022 substitute
    assert get_calendar("scotland").add_working_days(D("2021-12-31"), 1) == D("2022-01-05")
    assert england.add_working_days(D("2024-11-29"), 1) == D("2024-12-02")
    assert get_calendar("scotland").add_working_days(D("2024-11-29"), 1) == D("2024-12-03")


def test_ordinal_of_a_weekend_equals_the_friday(england: Calendar) -> None:
    friday = england.ordinal(D("2024-03-22"))
    assert england.ordinal(D("2024-03-23")) == friday
    assert england.ordinal(D("2024-03-24")) == friday
    assert england.ordinal(D("2024-03-25")) == friday + 1


def test_ordinal_counts_from_the_first_date_inclusive(england: Calendar) -> None:
    assert england.first_date == D("1990-01-01")
    assert england.ordinal(D("1990-01-01")) == 0  # New Year's Day
    assert england.ordinal(D("1990-01-02")) == 1


def test_working_days_between(england: Calendar) -> None:
    assert england.working_days_between(D("2024-03-23"), D("2024-03-25")) == 1
    assert england.working_days_between(D("2024-03-22"), D("2024-03-24")) == 0
    assert england.working_days_between(D("2024-04-15"), D("2024-03-21")) == -15
    assert england.working_days_between(D("2024-03-28"), D("2024-04-02")) == 1


def test_vectorised_versions_match_worked_examples(england: Calendar) -> None:
    dates = np.array(["2024-03-21", "2026-12-18", "2024-03-23", "2024-03-23"], dtype="datetime64[D]")
    result = england.add_working_days_many(dates, np.array([15, 15, 0, -1]))
    expected = np.array(["2024-04-15", "2027-01-13", "2024-03-23", "2024-03-22"], dtype="datetime64[D]")
    np.testing.assert_array_equal(result, expected)
    np.testing.assert_array_equal(
        england.add_working_days_many(dates[:2], 15),
        np.array(["2024-04-15", "2027-01-13"], dtype="datetime64[D]"),
    )
    ordinals = england.ordinals(np.array(["2024-03-22", "2024-03-23", "2024-03-25"], dtype="datetime64[D]"))
    assert ordinals.tolist() == [england.ordinal(D("2024-03-22"))] * 2 + [england.ordinal(D("2024-03-25"))]


def test_vectorised_input_with_a_time_of_day_is_refused(england: Calendar) -> None:
    with pytest.raises(ValueError, match="time of day"):
        england.ordinals(np.array(["2024-03-22T10:00"], dtype="datetime64[m]"))
    midnight = np.array(["2024-03-22T00:00"], dtype="datetime64[s]")
    assert england.ordinals(midnight).tolist() == [england.ordinal(D("2024-03-22"))]


def test_timestamps_are_refused_rather_than_truncated(england: Calendar) -> None:
    with pytest.raises(TypeError):
        england.ordinal(datetime(2024, 3, 22, 23, 30))


def test_calendars_are_immutable(england: Calendar) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        england.id = "france"  # type: ignore[misc]
