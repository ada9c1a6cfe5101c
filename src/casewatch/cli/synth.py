"""``casewatch synth``: generate a synthetic council from the command line.

A user's mistake (a bad date, a folder that holds other files) ends in one sentence and a non-zero exit,
never a traceback. Progress is shown per batch of children, and a summary table of rows per table at the end
tells the user what they got and how to reproduce it.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Literal, cast

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from casewatch.errors import CasewatchError
from casewatch.synth.council import CHUNK_SIZE, SynthSummary, generate_council


def _as_at(ctx: click.Context, param: click.Parameter, value: str) -> date:
    del ctx, param
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-10-30") from None


@click.command(name="synth")
@click.option(
    "--population",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Children aged 0-17 living in the council on the as-at date.",
)
@click.option(
    "--years", type=click.IntRange(min=1), default=3, show_default=True, help="Years of history before the as-at date."
)
@click.option(
    "--extract-years",
    "extract_years",
    type=int,
    default=None,
    help="Write the history as an SSD extract keeping this many years would (ssd_timeframe_years): rows dated in "
    "them or episodes still open, of the same simulated --years. At most --years; without it all --years are written.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed: the same seed gives the same files.")
@click.option(
    "--as-at",
    "as_at",
    default="2026-10-30",
    show_default=True,
    callback=_as_at,
    help="Extract date: nothing after it is written (YYYY-MM-DD).",
)
@click.option(
    "--timeliness",
    type=float,
    default=0.85,
    show_default=True,
    help="Share of timed work (visits, reviews, conferences...) done on time, 0-1.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="File format of the tables.",
)
@click.option(
    "--chunk-size",
    "chunk_size",
    type=click.IntRange(min=1),
    default=CHUNK_SIZE,
    show_default=True,
    help="Children held in memory before their rows are written; changes memory use, never the data.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write the tables into (new, empty, or an earlier synthetic council).",
)
def synth(
    population: int,
    years: int,
    extract_years: int | None,
    seed: int,
    as_at: date,
    timeliness: float,
    fmt: str,
    chunk_size: int,
    out: Path,
) -> None:
    """Generate a synthetic council: SSD-shaped case data for children who do not exist."""
    console = Console()
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("Workforce", total=None)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage.capitalize(), completed=done, total=total)

        try:
            summary = generate_council(
                out,
                population=population,
                years=years,
                seed=seed,
                as_at=as_at,
                timeliness=timeliness,
                fmt=cast(Literal["csv", "parquet"], fmt),
                progress=progress,
                chunk_size=chunk_size,
                extract_years=extract_years,
            )
        except CasewatchError as exc:
            raise click.ClickException(str(exc)) from exc
    _show(console, summary, time.perf_counter() - started)


def _show(console: Console, summary: SynthSummary, seconds: float) -> None:
    table = Table(title=f"Synthetic council in {summary.out_dir}", caption=_reproduce(summary))
    table.add_column("Table", no_wrap=True)
    table.add_column("Rows", justify="right")
    for name, rows in summary.rows.items():
        table.add_row(name, f"{rows:,}")
    table.add_row("[bold]total", f"[bold]{summary.total_rows:,}")
    console.print(table)
    cut = "" if summary.extract_years is None else f" (as an extract keeping the last {summary.extract_years})"
    console.print(
        f"{summary.population:,} children, {summary.years} years to {summary.as_at}{cut}, seed {summary.seed}: "
        f"{summary.total_rows:,} rows in {seconds:.1f}s. No real child is in this data.",
        soft_wrap=True,
    )


def _reproduce(summary: SynthSummary) -> str:
    cut = "" if summary.extract_years is None else f" --extract-years {summary.extract_years}"
    return (
        f"casewatch synth --population {summary.population} --years {summary.years}{cut} --seed {summary.seed} "
        f"--as-at {summary.as_at} --timeliness {summary.timeliness} --format {summary.fmt} --out {summary.out_dir}"
    )
