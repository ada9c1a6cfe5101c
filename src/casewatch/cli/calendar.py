"""``casewatch calendar``: let a user see exactly which days a calendar treats as non-working.

A due date is only trusted if the days behind it can be checked against the council's own list, so ``show``
prints a year's non-working weekdays with their names and ``list`` says where each calendar comes from.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from casewatch.calendars.registry import available_calendars, calendar_spec, get_calendar
from casewatch.errors import CasewatchError

# Not strftime("%A"): that follows the machine's locale, and the table should read the same everywhere.
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@click.group(name="calendar")
def calendar() -> None:
    """Working-day calendars: list them, or show the non-working weekdays of a year."""


@calendar.command(name="list")
def list_calendars() -> None:
    """List the calendars casewatch can use, with their aliases, range and source."""
    table = Table(title="Working-day calendars")
    table.add_column("Calendar", no_wrap=True)
    table.add_column("Also accepted as")
    table.add_column("Covers", no_wrap=True)
    table.add_column("Source")
    for calendar_id in available_calendars():
        spec = calendar_spec(calendar_id)
        table.add_row(
            spec.id,
            ", ".join(spec.aliases),
            f"{spec.first_year}–{spec.last_year}",
            spec.description,
        )
    console = Console()
    console.print(table)
    console.print("Add a council's closure days with --closures FILE (CSV or YAML with date and name).")


@calendar.command(name="show")
@click.argument("name")
@click.argument("year", type=int)
@click.option(
    "--closures",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="CSV or YAML file of council closure days (columns date,name) to add to the calendar.",
)
def show(name: str, year: int, closures: Path | None) -> None:
    """Show the non-working weekdays of YEAR in calendar NAME."""
    try:
        cal = get_calendar(name, closures)
        days = cal.holidays_in(year)
    except CasewatchError as exc:
        raise click.ClickException(str(exc)) from exc
    table = Table(title=f"Non-working weekdays in {year}: {cal.id}", caption=cal.description)
    table.add_column("Date", no_wrap=True)
    table.add_column("Weekday", no_wrap=True)
    table.add_column("Name")
    for day, day_name in days:
        table.add_row(day.isoformat(), _WEEKDAYS[day.weekday()], day_name)
    console = Console()
    console.print(table)
    console.print(f"{len(days)} non-working weekdays in {year} ({cal.id}).")
