"""Durations as written in practice standards: "15 working days", "6 weeks", "3 months", "72 hours".

A duration keeps its unit rather than being converted to days, because the unit decides the arithmetic:
working days follow a calendar, months clip to the month's end, hours need timestamps. The text is parsed
strictly so that an ambiguous "45 days" in a source document has to be resolved, in writing, by whoever
encodes it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    """The units a standard may count in."""

    HOURS = "hours"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


_UNIT_WORDS: dict[str, Unit] = {
    "hour": Unit.HOURS,
    "hours": Unit.HOURS,
    "working day": Unit.WORKING_DAYS,
    "working days": Unit.WORKING_DAYS,
    "calendar day": Unit.CALENDAR_DAYS,
    "calendar days": Unit.CALENDAR_DAYS,
    "week": Unit.WEEKS,
    "weeks": Unit.WEEKS,
    "month": Unit.MONTHS,
    "months": Unit.MONTHS,
    "year": Unit.YEARS,
    "years": Unit.YEARS,
}

_PART = re.compile(r"(\d+)\s+([a-z]+(?:\s+days?)?)")


class DurationError(ValueError):
    """The text is not a duration casewatch can count."""


@dataclass(frozen=True, order=True)
class Duration:
    """An amount of one unit. Compound ages ("15 years 3 months") are held as months."""

    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Read "<n> <unit>" (or "<n> years <m> months"); reject bare "days" as ambiguous."""
        if not isinstance(text, str):
            raise DurationError(f"a duration is written as text such as '15 working days', not {text!r}")
        cleaned = " ".join(text.strip().lower().split())
        parts = list(_PART.finditer(cleaned))
        if not parts or "".join(m.group(0) for m in parts).replace(" ", "") != cleaned.replace(" ", ""):
            raise DurationError(
                f"'{text}' is not a duration; write it as '<number> <unit>' with a unit of hours, working days, "
                "calendar days, weeks, months or years"
            )
        units: list[tuple[int, Unit]] = []
        for match in parts:
            word = match.group(2)
            if word in ("day", "days"):
                raise DurationError(f"'{text}' does not say which days: write 'working days' or 'calendar days'")
            unit = _UNIT_WORDS.get(word)
            if unit is None:
                raise DurationError(
                    f"'{text}' has an unknown unit '{word}'; use hours, working days, calendar days, weeks, "
                    "months or years"
                )
            units.append((int(match.group(1)), unit))
        if len(units) == 1:
            return cls(units[0][0], units[0][1])
        if len(units) == 2 and units[0][1] is Unit.YEARS and units[1][1] is Unit.MONTHS:
            return cls(units[0][0] * 12 + units[1][0], Unit.MONTHS)
        raise DurationError(f"'{text}' combines units; only '<n> years <m> months' may be combined")

    @property
    def is_calendar_month_based(self) -> bool:
        return self.unit in (Unit.MONTHS, Unit.YEARS)

    @property
    def months(self) -> int:
        """The duration in calendar months (months and years only)."""
        if self.unit is Unit.YEARS:
            return self.amount * 12
        if self.unit is Unit.MONTHS:
            return self.amount
        raise DurationError(f"{self} is not counted in months")

    @property
    def calendar_days(self) -> int:
        """The duration in calendar days (calendar days and weeks only)."""
        if self.unit is Unit.CALENDAR_DAYS:
            return self.amount
        if self.unit is Unit.WEEKS:
            return self.amount * 7
        raise DurationError(f"{self} is not counted in calendar days")

    @property
    def date_precision_days(self) -> int:
        """Hours on date-only data: the number of calendar days the rule falls back to."""
        return math.ceil(self.amount / 24)

    def day_bounds(self) -> tuple[float, float]:
        """The shortest and longest this duration can be in calendar days, whatever the start date.

        Used to check that an override really is stricter when the two standards count in different units.
        Working days allow for weekends and up to four consecutive bank holidays (Christmas and Easter).
        """
        n = self.amount
        match self.unit:
            case Unit.HOURS:
                return (n / 24, n / 24)
            case Unit.CALENDAR_DAYS:
                return (n, n)
            case Unit.WEEKS:
                return (7 * n, 7 * n)
            case Unit.WORKING_DAYS:
                return (n, n + 2 * math.ceil(n / 5) + 4)
            case Unit.MONTHS:
                return (28 * n, 31 * n)
            case Unit.YEARS:
                return (365 * n, 366 * n)

    def is_at_most(self, other: Duration) -> bool:
        """Whether this duration can never be longer than ``other`` (same unit, or provably by bounds)."""
        if self.unit is other.unit:
            return self.amount <= other.amount
        if self.is_calendar_month_based and other.is_calendar_month_based:
            return self.months <= other.months
        return self.day_bounds()[1] <= other.day_bounds()[0]

    def __str__(self) -> str:
        if self.unit is Unit.MONTHS and self.amount > 12 and self.amount % 12:
            years, months = divmod(self.amount, 12)
            return f"{years} years {months} month{'s' if months > 1 else ''}"
        unit = self.unit.value.replace("_", " ")
        if self.amount == 1:
            unit = unit[:-1]
        return f"{self.amount} {unit}"
