"""Durations are read strictly: an ambiguous '45 days' must be resolved by whoever encodes the standard."""

from __future__ import annotations

import pytest

from casewatch.standards.durations import Duration, DurationError, Unit


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("15 working days", 15, Unit.WORKING_DAYS),
        ("1 working day", 1, Unit.WORKING_DAYS),
        ("10 calendar days", 10, Unit.CALENDAR_DAYS),
        ("6 weeks", 6, Unit.WEEKS),
        ("1 week", 1, Unit.WEEKS),
        ("3 months", 3, Unit.MONTHS),
        ("1 year", 1, Unit.YEARS),
        ("72 hours", 72, Unit.HOURS),
        ("  15   Working   Days ", 15, Unit.WORKING_DAYS),
        ("15 years 3 months", 183, Unit.MONTHS),
    ],
)
def test_reads_the_units_standards_are_written_in(text: str, amount: int, unit: Unit) -> None:
    assert Duration.parse(text) == Duration(amount, unit)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("45 days", "working days' or 'calendar days"),
        ("fortnightly", "not a duration"),
        ("3 fortnights", "unknown unit"),
        ("2 weeks 3 days", "does not say which days"),
        ("1 month 2 weeks", "combines units"),
        ("", "not a duration"),
    ],
)
def test_rejects_what_it_cannot_count_with_a_reason(text: str, complaint: str) -> None:
    with pytest.raises(DurationError, match=complaint):
        Duration.parse(text)


def test_compares_across_units_only_when_provable() -> None:
    assert Duration.parse("10 working days").is_at_most(Duration.parse("15 working days"))
    assert Duration.parse("4 weeks").is_at_most(Duration.parse("6 weeks"))
    assert Duration.parse("20 working days").is_at_most(Duration.parse("6 weeks"))
    assert Duration.parse("1 month").is_at_most(Duration.parse("6 weeks"))
    assert not Duration.parse("30 working days").is_at_most(Duration.parse("6 weeks"))
    assert Duration.parse("6 months").is_at_most(Duration.parse("1 year"))


def test_reads_back_as_written() -> None:
    assert str(Duration.parse("1 working day")) == "1 working day"
    assert str(Duration.parse("3 months")) == "3 months"
