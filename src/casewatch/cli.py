"""The `casewatch` command: wiring the packages together, and turning user mistakes into one clear sentence."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from casewatch import __version__
from casewatch.errors import CasewatchError

console = Console(width=None if sys.stdout.isatty() else 120)
errors = Console(stderr=True)

EXAMPLE_COUNCIL = Path(__file__).parent / "examples" / "example_council"
EXAMPLE_AS_AT = date(2026, 10, 30)


class IsoDate(click.ParamType):  # type: ignore[type-arg]
    name = "date"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-10-30", param, ctx)


@click.group()
@click.version_option(__version__, prog_name="casewatch")
def cli() -> None:
    """casewatch: practice standards for children's social care, as cited, executable rules."""


@cli.command()
@click.option("--standards", "pack", required=True, help="A shipped pack (e.g. england) or a pack folder.")
@click.option("--data", "data_path", required=True, type=click.Path(path_type=Path), help="SSD folder or .duckdb file.")
@click.option(
    "--as-at", "as_at", type=IsoDate(), default=None, help="Evaluate as at the end of this date (default today)."
)
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
def evaluate(
    pack: str,
    data_path: Path,
    as_at: date | None,
    out: Path | None,
    only: tuple[str, ...],
    reading_options: tuple[str, ...],
    readings_file: Path | None,
) -> None:
    """Evaluate a pack of standards over case data and print compliance per standard."""
    from casewatch.standards.readings import parse_readings

    readings = parse_readings(reading_options, readings_file)
    run_evaluation(pack, data_path, as_at or date.today(), out, only, readings=readings)


def run_evaluation(
    pack: str,
    data_path: Path,
    as_at: date,
    out: Path | None,
    only: tuple[str, ...] = (),
    *,
    readings: Mapping[str, str] | None = None,
) -> None:
    from casewatch import api
    from casewatch.reports import print_summary, write_results

    standards = api.load_standards(pack, readings=readings)
    with console.status(f"Loading case data from {data_path} …"):
        data = api.load_data(data_path, as_at=as_at)
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
        )
    print_summary(results, console, title=f"{standards.title}: compliance as at {as_at}")
    if out is not None:
        write_results(results, out)
        console.print(f"Results written to {out}")


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("casewatch-demo-results.xlsx"), show_default=True)
def demo(out: Path) -> None:
    """Evaluate the shipped synthetic example council against England's statutory pack."""
    if not (EXAMPLE_COUNCIL / "ssd_person.csv").is_file():
        raise CasewatchError(f"the example council is missing from {EXAMPLE_COUNCIL}; reinstall casewatch")
    console.print(
        f"[bold]casewatch demo[/bold]: a synthetic council (no real children), evaluated as at {EXAMPLE_AS_AT} "
        "against England's statutory baseline."
    )
    run_evaluation("england", EXAMPLE_COUNCIL, EXAMPLE_AS_AT, out)


def _register() -> None:
    from casewatch.calendars.commands import calendar
    from casewatch.data.commands import check
    from casewatch.standards.commands import standards

    cli.add_command(standards)
    cli.add_command(calendar)

    @cli.group("data")
    def data() -> None:
        """Check case data against the data contract."""

    data.add_command(check)
    from casewatch.importers.commands import import_command

    cli.add_command(import_command)
    try:
        from casewatch.synth.commands import synth
    except ImportError:  # the generator is optional while it is being built
        return
    cli.add_command(synth)


_register()


def main() -> None:
    """Run the CLI; a mistake in the user's own input is one sentence on stderr and exit code 1."""
    try:
        outcome = cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        errors.print("Aborted.")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except CasewatchError as exc:
        errors.print(f"[red]Error:[/red] {exc}", highlight=False)
        sys.exit(1)
    if isinstance(outcome, int):
        sys.exit(outcome)
