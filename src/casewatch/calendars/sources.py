"""Where each named calendar's holidays come from, and the guard against a source that has gone quiet.

The ``holidays`` package is the single source of holiday dates. It returns an empty result, without any
warning, for years it does not cover (St Helena before 2015, any country after its ``end_year``), and a
package upgrade could narrow that coverage. An empty year would turn every bank holiday into a working day and
move every due date, so each generated year must have a plausible number of weekday holidays or the build
fails loudly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

import holidays

from casewatch.errors import CasewatchError

HOLIDAYS_VERSION: str = version("holidays")


@dataclass(frozen=True)
class CalendarSpec:
    """A named calendar: which ``holidays`` country, subdivision and categories, over which years."""

    id: str
    label: str
    country: str
    subdiv: str
    categories: tuple[str, ...]
    first_year: int
    last_year: int
    # One below the fewest weekday holidays seen in any year of the range with holidays 0.109: low enough to
    # survive a year whose holidays fall at weekends, high enough to catch a year the package left empty.
    min_weekday_holidays: int
    aliases: tuple[str, ...] = ()

    @property
    def first_date(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def last_date(self) -> date:
        return date(self.last_year, 12, 31)

    @property
    def description(self) -> str:
        """Names the source and its version, because a due date is only reproducible with both."""
        source = f"{self.country}/{self.subdiv}"
        if self.categories != ("public",):
            source += " " + "+".join(self.categories)
        return f"{self.label} (holidays {HOLIDAYS_VERSION}, {source})"


_UK_FIRST_YEAR = 1990
_UK_LAST_YEAR = 2045

SPECS: tuple[CalendarSpec, ...] = (
    CalendarSpec(
        id="england",
        label="England and Wales statutory working days",
        country="GB",
        subdiv="ENG",
        categories=("public",),
        min_weekday_holidays=7,
        aliases=("england-and-wales", "eng", "gb-eng"),
        first_year=_UK_FIRST_YEAR,
        last_year=_UK_LAST_YEAR,
    ),
    CalendarSpec(
        id="wales",
        label="Wales statutory working days",
        country="GB",
        subdiv="WLS",
        categories=("public",),
        min_weekday_holidays=7,
        aliases=("wls", "gb-wls"),
        first_year=_UK_FIRST_YEAR,
        last_year=_UK_LAST_YEAR,
    ),
    CalendarSpec(
        id="scotland",
        label="Scotland bank-holiday working days",
        country="GB",
        subdiv="SCT",
        categories=("public",),
        min_weekday_holidays=7,
        aliases=("sct", "gb-sct"),
        first_year=_UK_FIRST_YEAR,
        last_year=_UK_LAST_YEAR,
    ),
    CalendarSpec(
        id="northern-ireland",
        label="Northern Ireland bank-holiday working days",
        country="GB",
        subdiv="NIR",
        categories=("public",),
        min_weekday_holidays=9,
        aliases=("nir", "ni", "gb-nir"),
        first_year=_UK_FIRST_YEAR,
        last_year=_UK_LAST_YEAR,
    ),
    CalendarSpec(
        # The government category carries New Year's Day, Whit Monday and the August Bank Holiday; without it
        # a government office's calendar would be missing three closed days a year.
        id="st-helena",
        label="St Helena government working days",
        country="SH",
        subdiv="HL",
        categories=("public", "government"),
        first_year=2015,  # the package has nothing for St Helena before 2015
        last_year=2045,
        min_weekday_holidays=7,
        aliases=("saint-helena", "sh", "shn"),
    ),
)


def fetch_holidays(spec: CalendarSpec) -> dict[date, str]:
    """Every named holiday (weekends included) in the spec's years, once each year is seen to be populated."""
    found = holidays.country_holidays(
        spec.country,
        subdiv=spec.subdiv,
        years=range(spec.first_year, spec.last_year + 1),
        categories=spec.categories,
    )
    named = {day: str(name) for day, name in found.items()}
    weekday_counts = dict.fromkeys(range(spec.first_year, spec.last_year + 1), 0)
    for day in named:
        if day.weekday() < 5 and day.year in weekday_counts:
            weekday_counts[day.year] += 1
    for year, count in weekday_counts.items():
        if count < spec.min_weekday_holidays:
            raise CasewatchError(
                f"The holidays package {HOLIDAYS_VERSION} gives only {count} weekday holidays for the "
                f"{spec.id} calendar in {year} (at least {spec.min_weekday_holidays} expected), so casewatch "
                "refuses to build a calendar that would count bank holidays as working days."
            )
    return {day: name for day, name in named.items() if spec.first_date <= day <= spec.last_date}
