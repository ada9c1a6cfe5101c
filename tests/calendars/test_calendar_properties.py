"""Property tests: the ordinal arithmetic agrees with numpy's business-day functions and a day-by-day loop.

The reference holidays come straight from the ``holidays`` package, not from the calendar under test, so these
check the table building as well as the arithmetic.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from casewatch.calendars import Calendar, available_calendars, get_calendar
from casewatch.calendars.registry import calendar_spec

# Far enough inside the range that 400 working days (under 600 calendar days) cannot leave it.
MARGIN = timedelta(days=600)


@cache
def package_holidays(name: str) -> frozenset[date]:
    spec = calendar_spec(name)
    found = holidays.country_holidays(
        spec.country,
        subdiv=spec.subdiv,
        years=range(spec.first_year, spec.last_year + 1),
        categories=spec.categories,
    )
    return frozenset(found)


@cache
def busday_calendar(name: str) -> np.busdaycalendar:
    weekday_holidays = sorted(d for d in package_holidays(name) if d.weekday() < 5)
    return np.busdaycalendar(holidays=np.array(weekday_holidays, dtype="datetime64[D]"))


def is_working(name: str, d: date) -> bool:
    return d.weekday() < 5 and d not in package_holidays(name)


def naive_add(name: str, d: date, n: int) -> date:
    """Step a day at a time, counting working days, as a person with a wall calendar would."""
    step = timedelta(days=1 if n > 0 else -1)
    counted, current = 0, d
    while counted < abs(n):
        current += step
        if is_working(name, current):
            counted += 1
    return current


names = st.sampled_from(available_calendars())


@st.composite
def calendar_and_date(draw: st.DrawFn, margin: timedelta = MARGIN) -> tuple[Calendar, date]:
    cal = get_calendar(draw(names))
    return cal, draw(st.dates(min_value=cal.first_date + margin, max_value=cal.last_date - margin))


@given(calendar_and_date(), st.integers(min_value=1, max_value=400))
def test_forward_matches_numpy_roll_backward_and_a_naive_loop(case: tuple[Calendar, date], n: int) -> None:
    cal, d = case
    expected = np.busday_offset(np.datetime64(d, "D"), n, roll="backward", busdaycal=busday_calendar(cal.id))
    result = cal.add_working_days(d, n)
    assert np.datetime64(result, "D") == expected
    assert result == naive_add(cal.id, d, n)
    assert cal.working_days_between(d, result) == n


@given(calendar_and_date(), st.integers(min_value=-400, max_value=-1))
def test_backward_matches_numpy_roll_forward_and_a_naive_loop(case: tuple[Calendar, date], n: int) -> None:
    cal, d = case
    expected = np.busday_offset(np.datetime64(d, "D"), n, roll="forward", busdaycal=busday_calendar(cal.id))
    result = cal.add_working_days(d, n)
    assert np.datetime64(result, "D") == expected
    assert result == naive_add(cal.id, d, n)


@given(calendar_and_date(margin=timedelta(0)))
def test_zero_is_the_identity(case: tuple[Calendar, date]) -> None:
    # numpy would roll a non-working anchor; the anchor itself is the answer for n = 0.
    cal, d = case
    assert cal.add_working_days(d, 0) == d


@given(calendar_and_date(margin=timedelta(0)))
def test_ordinal_counts_working_days_up_to_and_including_the_date(case: tuple[Calendar, date]) -> None:
    cal, d = case
    expected = np.busday_count(
        np.datetime64(cal.first_date, "D"), np.datetime64(d, "D") + 1, busdaycal=busday_calendar(cal.id)
    )
    assert cal.ordinal(d) == expected
    assert cal.is_working_day(d) == is_working(cal.id, d)


@settings(max_examples=50)
@given(
    st.sampled_from(available_calendars()).flatmap(
        lambda name: st.tuples(
            st.just(name),
            st.lists(
                st.tuples(
                    st.dates(
                        min_value=get_calendar(name).first_date + MARGIN,
                        max_value=get_calendar(name).last_date - MARGIN,
                    ),
                    st.integers(min_value=-400, max_value=400),
                ),
                min_size=1,
                max_size=30,
            ),
        )
    )
)
def test_vectorised_versions_equal_the_scalar_ones(case: tuple[str, list[tuple[date, int]]]) -> None:
    name, pairs = case
    cal = get_calendar(name)
    dates = np.array([d for d, _ in pairs], dtype="datetime64[D]")
    steps = np.array([n for _, n in pairs], dtype=np.int64)
    assert cal.ordinals(dates).tolist() == [cal.ordinal(d) for d, _ in pairs]
    assert cal.add_working_days_many(dates, steps).tolist() == [cal.add_working_days(d, n) for d, n in pairs]
    single = int(steps[0])
    assert cal.add_working_days_many(dates, single).tolist() == [cal.add_working_days(d, single) for d, _ in pairs]


def test_vectorised_versions_keep_the_array_shape() -> None:
    cal = get_calendar("england")
    dates = np.array([["2024-03-21", "2024-03-23"], ["2024-03-24", "2024-03-29"]], dtype="datetime64[D]")
    assert cal.ordinals(dates).shape == (2, 2)
    assert cal.add_working_days_many(dates, np.array([1, -1])).shape == (2, 2)
