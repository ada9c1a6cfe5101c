"""`casewatch evaluate`: a pack over case data, compliance for a reporting period printed, results written."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .common import console, errors
from .options import PeriodCommand, evaluation_options, large_data_options
from .summary import print_summary

if TYPE_CHECKING:
    from casewatch.data.load import CaseData
    from casewatch.engine.evaluate import Runner
    from casewatch.results import Period
    from casewatch.standards.pack import Pack


@click.command(cls=PeriodCommand)
@evaluation_options
@click.option(
    "--out", "out", type=click.Path(path_type=Path), default=None, help="Write results: .csv, .parquet or .xlsx."
)
@click.option("--standard", "only", multiple=True, help="Evaluate only this standard (repeatable).")
@click.option(
    "--reading",
    "reading_options",
    multiple=True,
    metavar="STANDARD:INTERPRETATION=READING",
    help="Read an unclear statement another way, e.g. cin-visits:visit-frequency=monthly (repeatable).",
)
@click.option(
    "--readings",
    "readings_file",
    type=click.Path(path_type=Path),
    default=None,
    help="A YAML file mapping STANDARD:INTERPRETATION to READING (a council's standing choices).",
)
@click.option(
    "--period",
    "period_text",
    default=None,
    metavar="PERIOD",
    help="The reporting period of the figures: last-month, last-12-months (the default, compliance now), "
    "month 2026-09, quarter 2026-Q3 (calendar), quarter 2026-27-Q2 (financial), financial-year 2025-26.",
)
@click.option(
    "--engine",
    "engine",
    default="duckdb",
    show_default=True,
    metavar="ENGINE",
    help="Where the standards run: duckdb (embedded) or postgresql://USER@HOST:PORT/DB, into a scratch schema "
    "the data is copied to and which is dropped afterwards (docs/engines.md).",
)
@large_data_options
def evaluate(
    pack: str,
    data_path: Path,
    as_at: date | None,
    out: Path | None,
    only: tuple[str, ...],
    reading_options: tuple[str, ...],
    readings_file: Path | None,
    period_text: str | None,
    engine: str,
    work_dir: Path | None,
    memory_limit: str | None,
) -> None:
    """Evaluate a pack of standards over case data and print compliance per standard for a reporting period."""
    from casewatch.results import NOW, parse_period
    from casewatch.standards.readings import parse_readings

    day = as_at or date.today()
    period = parse_period(period_text or NOW, day)  # a misspelt period fails before minutes of evaluation
    readings = parse_readings(reading_options, readings_file)
    run_evaluation(
        pack,
        data_path,
        day,
        out,
        only,
        readings=readings,
        period=period,
        work_dir=work_dir,
        memory_limit=memory_limit,
        engine=engine,
    )


def run_evaluation(
    pack: str,
    data_path: Path,
    as_at: date,
    out: Path | None,
    only: tuple[str, ...] = (),
    *,
    readings: Mapping[str, str] | None = None,
    period: Period | None = None,
    work_dir: Path | None = None,
    memory_limit: str | None = None,
    engine: str = "duckdb",
) -> None:
    from casewatch import api
    from casewatch.data.load import load_case_data

    standards = api.load_standards(pack, readings=readings)
    api.engine_kind(engine)  # a misspelt engine fails before the data is loaded
    with console.status(f"Loading case data from {data_path} …"):
        data = load_case_data(data_path, as_at=as_at, work_dir=work_dir, memory_limit=memory_limit)
    try:
        with console.status("Copying the data to PostgreSQL …") if engine != "duckdb" else nullcontext():
            runner = api.open_engine(engine, data)
        try:
            if engine != "duckdb":
                console.print(f"Evaluating on {runner.where}")
            _evaluate_loaded(standards, data, data_path, as_at, out, only, period, runner)
        finally:
            runner.close()
    finally:
        data.close()


def _evaluate_loaded(
    standards: Pack,
    data: CaseData,
    data_path: Path,
    as_at: date,
    out: Path | None,
    only: tuple[str, ...],
    period: Period | None,
    runner: Runner,
) -> None:
    from casewatch import api
    from casewatch.reports import write_results

    rejected = sum(data.report.rows_rejected.values())
    if rejected:
        errors.print(
            f"[yellow]{rejected:,} input rows could not be loaded; "
            f"run 'casewatch data check {data_path}' for the list.[/yellow]"
        )
    chosen = list(only) or None
    total = len(chosen) if chosen else len(standards.standards)
    with Progress(
        TextColumn("Evaluating"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total)
        results = api.evaluate(
            standards,
            data,
            as_at,
            standards=chosen,
            progress=lambda s: progress.update(task, advance=1, description=s.id),
            engine=runner,
        )
    print_summary(results, console, standards.title, period)
    if out is not None:
        write_results(results, out, period)
        console.print(f"Results written to {out}")
