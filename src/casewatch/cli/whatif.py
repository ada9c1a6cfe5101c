"""`casewatch whatif`: the pack as it is and as changed, over the same data, compared in the terminal."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from .common import console
from .options import PeriodCommand, evaluation_options, large_data_options

if TYPE_CHECKING:
    from casewatch.whatif import WhatIf


@click.command(cls=PeriodCommand)
@evaluation_options
@click.option(
    "--set",
    "sets",
    multiple=True,
    required=True,
    metavar="STANDARD:FIELD=VALUE",
    help='A changed field of a standard\'s rule, e.g. cla-visits:phases.1.interval="4 weeks" (repeatable; '
    "list positions count from 1).",
)
@click.option(
    "--period",
    "period_text",
    default=None,
    metavar="PERIOD",
    help="The reporting period, as for casewatch evaluate (default last-12-months, compliance now).",
)
@click.option(
    "--reading",
    "reading_options",
    multiple=True,
    metavar="STANDARD:INTERPRETATION=READING",
    help="The council's reading of an unclear statement, as for casewatch evaluate (repeatable); the changes "
    "apply to the rule of that reading.",
)
@click.option(
    "--readings", "readings_file", type=click.Path(path_type=Path), default=None, help="A YAML file of readings."
)
@click.option("--by", "by", type=click.Choice(["team", "worker"]), default=None, help="Break down by team or worker.")
@click.option(
    "--out", "out", type=click.Path(path_type=Path), default=None, help="Write the comparison: .xlsx or .csv."
)
@large_data_options
def whatif(
    pack: str,
    data_path: Path,
    as_at: date | None,
    sets: tuple[str, ...],
    period_text: str | None,
    reading_options: tuple[str, ...],
    readings_file: Path | None,
    by: str | None,
    out: Path | None,
    work_dir: Path | None,
    memory_limit: str | None,
) -> None:
    """What a changed timescale would do: compliance, changes of status and work due, before and after."""
    from casewatch import api
    from casewatch.data.load import load_case_data
    from casewatch.results import NOW, parse_period
    from casewatch.standards.readings import parse_readings
    from casewatch.whatif import changed_standards, parse_change, resolve

    day = as_at or date.today()
    period = parse_period(period_text or NOW, day)
    standards = api.load_standards(pack, readings=parse_readings(reading_options, readings_file))
    changes = [parse_change(s) for s in sets]
    changed_standards(standards, resolve(standards, changes))  # a wrong field fails before the data is loaded
    with console.status(f"Loading case data from {data_path} …"):
        data = load_case_data(data_path, as_at=day, work_dir=work_dir, memory_limit=memory_limit)
    try:
        with console.status("Evaluating the standards as they are and as changed …"):
            answer = api.whatif(standards, data, day, changes, period=period, by=by)
    finally:
        data.close()
    _print(answer, standards.title)
    if out is not None:
        from casewatch.reports import write_tables

        write_tables(out, [("What if", answer.table())])
        console.print(f"Comparison written to {out}")


def _print(answer: WhatIf, pack_title: str) -> None:
    title = f"{pack_title}: what if {'; '.join(str(c) for c in answer.changes)}"
    table = Table(title=f"{title}\nover {answer.period.label}, as at {answer.period.as_at}", title_justify="left")
    table.add_column("Standard", no_wrap=True, overflow="ellipsis", max_width=40)
    if answer.by:
        table.add_column(answer.by.capitalize(), no_wrap=True)
    for heading in (
        "Compliance",
        "Changed status",
        "Due",
        "Due per month",
        "Needed per month",
        "Needed per worker per month",
    ):
        table.add_column(heading, justify="right")
    footnotes: list[str] = []
    for row in answer.rows:
        if row.note_before == row.note_after:
            notes = [row.note_before] if row.note_before else []
        else:  # a caveat of one side only (the change moved due dates before the history window)
            notes = [f"{side}: {n}" for side, n in (("before", row.note_before), ("after", row.note_after)) if n]
        mark = ""
        for note in notes:
            footnotes.append(f"{row.standard_id}: {note}")
            mark += f" [dim]({len(footnotes)})[/dim]"
        cells = [
            row.standard_id,
            *([row.group or "(none recorded)"] if answer.by else []),
            f"{_percent(row.compliance_before)} → {_percent(row.compliance_after)}{mark}",
            str(row.changed),
            f"{row.before.due} → {row.after.due}",
            f"{row.before.per_month:g} → {row.after.per_month:g}",
            f"{row.before.needed_per_month:g} → {row.after.needed_per_month:g}",
            f"{_rate(row.before.needed_per_worker_per_month)} → {_rate(row.after.needed_per_worker_per_month)}",
        ]
        table.add_row(*cells)
    console.print(table)
    for number, text in enumerate(footnotes, start=1):
        console.print(f"[dim]({number}) {text}[/dim]", highlight=False)
    for row in answer.rows:
        if row.moved:
            who = f" ({row.group})" if answer.by else ""
            console.print(f"{row.standard_id}{who}: {row.moves()}", highlight=False)
    console.print(
        "Needed: the visits (or other work) keeping to the timescale needs over the same time; for a series "
        "each occurrence needs its days to the visit over its interval, since the occurrences follow the visits "
        "made (docs/whatif.md). Per worker: needed per month per worker holding the children at the due dates.",
        highlight=False,
    )
    for note in answer.before.data_notes():
        console.print(note, highlight=False)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"
