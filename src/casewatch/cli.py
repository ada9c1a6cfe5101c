"""The `casewatch` command: wiring the packages together, and turning user mistakes into one clear sentence."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from casewatch import __version__
from casewatch.data.options import large_data_options
from casewatch.errors import CasewatchError

if TYPE_CHECKING:
    from casewatch.data.load import CaseData
    from casewatch.results import Results
    from casewatch.standards.loader import Pack

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
@large_data_options
def evaluate(
    pack: str,
    data_path: Path,
    as_at: date | None,
    out: Path | None,
    only: tuple[str, ...],
    reading_options: tuple[str, ...],
    readings_file: Path | None,
    work_dir: Path | None,
    memory_limit: str | None,
) -> None:
    """Evaluate a pack of standards over case data and print compliance per standard."""
    from casewatch.standards.readings import parse_readings

    readings = parse_readings(reading_options, readings_file)
    run_evaluation(
        pack,
        data_path,
        as_at or date.today(),
        out,
        only,
        readings=readings,
        work_dir=work_dir,
        memory_limit=memory_limit,
    )


def run_evaluation(
    pack: str,
    data_path: Path,
    as_at: date,
    out: Path | None,
    only: tuple[str, ...] = (),
    *,
    readings: Mapping[str, str] | None = None,
    work_dir: Path | None = None,
    memory_limit: str | None = None,
) -> None:
    from casewatch import api
    from casewatch.data.load import load_case_data

    standards = api.load_standards(pack, readings=readings)
    with console.status(f"Loading case data from {data_path} …"):
        data = load_case_data(data_path, as_at=as_at, work_dir=work_dir, memory_limit=memory_limit)
    try:
        _evaluate_loaded(standards, data, data_path, as_at, out, only)
    finally:
        data.close()


def _evaluate_loaded(
    standards: Pack, data: CaseData, data_path: Path, as_at: date, out: Path | None, only: tuple[str, ...]
) -> None:
    from casewatch import api
    from casewatch.reports import print_summary, write_results

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


DEMO_POPULATION = 80_000
"""Children in the demo council: about an average English council (England has ~12m children, 153 councils)."""
DEMO_YEARS = 2
DEMO_SEED = 2026


def demo_cache_dir() -> Path:
    """Where the demo keeps its generated council between runs: the user's cache folder, never the repo."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "casewatch" / "demo"


@dataclass(frozen=True)
class DemoRun:
    """A demo council evaluated: what the demo prints, and what a web app would serve next."""

    data_folder: Path
    as_at: date
    pack: str
    data: CaseData
    results: Results
    reused: bool  # the council came from the cache rather than being generated now


def prepare_demo(
    pack: str = "england", population: int = DEMO_POPULATION, cache_dir: Path | None = None, years: int = DEMO_YEARS
) -> DemoRun:
    """Generate (or reuse) the demo's synthetic council, load it and evaluate ``pack``, with progress bars."""
    from casewatch import api
    from casewatch.data.load import load_case_data
    from casewatch.synth.cache import CouncilSpec, cached_council

    standards = api.load_standards(pack)
    spec = CouncilSpec(population=population, years=years, seed=DEMO_SEED, as_at=EXAMPLE_AS_AT)
    with Progress(
        TextColumn("[bold]{task.fields[stage]:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        making = bar.add_task("", total=None, stage="Council")

        def generated(stage: str, done: int, total: int) -> None:
            bar.update(making, description=stage, completed=done, total=total)

        folder, reused = cached_council(cache_dir or demo_cache_dir(), spec, progress=generated)
        bar.update(making, description="reused from the cache" if reused else "generated", completed=1, total=1)
        loading = bar.add_task("", total=len(list(folder.glob("*.parquet"))), stage="Loading")
        data = load_case_data(
            folder, as_at=EXAMPLE_AS_AT, progress=lambda table: bar.update(loading, advance=1, description=table)
        )
        bar.update(loading, description="done")
        evaluating = bar.add_task("", total=len(standards.standards), stage="Evaluating")
        results = api.evaluate(
            standards,
            data,
            EXAMPLE_AS_AT,
            progress=lambda s: bar.update(evaluating, advance=1, description=s.id),
        )
        bar.update(evaluating, description="done")
    return DemoRun(folder, EXAMPLE_AS_AT, pack, data, results, reused)


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("casewatch-demo-results.xlsx"), show_default=True)
@click.option("--standards", "pack", default="england", show_default=True, help="The pack to evaluate.")
@click.option(
    "--population",
    type=click.IntRange(min=1_000, max=1_000_000),
    default=DEMO_POPULATION,
    show_default=True,
    help="Children in the synthetic council.",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where to keep the generated council between runs (default ~/.cache/casewatch/demo).",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port for the web app.")
@click.option("--no-serve", is_flag=True, help="Stop after printing the results instead of serving the web app.")
def demo(out: Path, pack: str, population: int, cache_dir: Path | None, port: int, no_serve: bool) -> None:
    """Build a synthetic council (no real children), evaluate it against a pack, write a workbook, serve the app."""
    from casewatch.reports import print_summary, write_results

    console.print(
        f"[bold]casewatch demo[/bold]: a synthetic council of {population:,} children (none of them real), "
        f"{DEMO_YEARS} years of case records, evaluated as at {EXAMPLE_AS_AT} against the {pack} pack."
    )
    started = time.perf_counter()
    run = prepare_demo(pack, population, cache_dir)
    seconds = time.perf_counter() - started
    print_summary(run.results, console, title=f"{pack}: compliance as at {run.as_at}")
    write_results(run.results, out)
    console.print(
        f"{run.results.instances.num_rows:,} instances in {seconds:.1f}s "
        f"({'council reused from' if run.reused else 'council generated into'} {run.data_folder}). "
        f"Results written to {out}"
    )
    if not no_serve:
        _serve_demo(run, port, cache_dir or demo_cache_dir())


def _serve_demo(run: DemoRun, port: int, cache_dir: Path) -> None:
    """Serve the council just evaluated, from a fresh store so that the demo accounts are printed every time."""
    from casewatch import api
    from casewatch.web.ingest import store_results
    from casewatch.web.serve import serve as run_server

    store = cache_dir / "demo-store.sqlite"
    store.unlink(missing_ok=True)
    standards = api.load_standards(run.pack)
    run_server(
        port=port,
        host="127.0.0.1",
        store=str(store),
        data=None,
        pack=run.pack,
        as_at=run.as_at,
        secure_cookies=True,
        example=(EXAMPLE_COUNCIL, EXAMPLE_AS_AT),
        say=console.print,
        preload=lambda engine: store_results(engine, standards, run.data, run.results, run.as_at, console.print),
    )


@cli.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--store", default=None, help="Store: a file path or postgresql:// URL (default casewatch-store.sqlite here)."
)
@click.option("--data", "data_path", type=click.Path(path_type=Path), default=None, help="Load this SSD folder first.")
@click.option("--standards", "pack", default="england", show_default=True, help="The pack to evaluate.")
@click.option("--as-at", "as_at", type=IsoDate(), default=None, help="Evaluate as at this date (default today).")
@click.option("--insecure-cookies", is_flag=True, help="Send the session cookie over plain http (local testing only).")
@click.option("--oidc-issuer", default=None, help="Also sign in through this OpenID Connect provider (issuer URL).")
@click.option("--oidc-client-id", default=None, help="casewatch's client id at the identity provider.")
@click.option("--oidc-claim", default="preferred_username", show_default=True, help="The claim naming the account.")
def serve(
    port: int,
    host: str,
    store: str | None,
    data_path: Path | None,
    pack: str,
    as_at: date | None,
    insecure_cookies: bool,
    oidc_issuer: str | None,
    oidc_client_id: str | None,
    oidc_claim: str,
) -> None:
    """Run the web app over the store in this folder (created, loaded and evaluated on first run).

    The identity provider's client secret is read from the CASEWATCH_OIDC_CLIENT_SECRET environment variable,
    never from the command line, where other users of the machine could see it.
    """
    from casewatch.web.serve import oidc_settings
    from casewatch.web.serve import serve as run_server

    run_server(
        port=port,
        host=host,
        store=store,
        data=data_path,
        pack=pack,
        as_at=as_at,
        secure_cookies=not insecure_cookies,
        example=(EXAMPLE_COUNCIL, EXAMPLE_AS_AT),
        say=console.print,
        oidc=oidc_settings(oidc_issuer, oidc_client_id, oidc_claim),
    )


@cli.group("audit")
def audit() -> None:
    """The web app's audit log of child-record views and exports."""


@audit.command("check")
@click.option("--store", default=None, help="Store: a file path or postgresql:// URL (default the one in this folder).")
def audit_check(store: str | None) -> None:
    """Check that no audit entry was changed, removed or inserted in the store; exit 1 if any was."""
    from casewatch.web.audit import check_chain
    from casewatch.web.store import open_store, store_url

    url = store_url(store, Path.cwd())
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        raise CasewatchError(f"there is no casewatch store at {url.removeprefix('sqlite:///')}; give --store")
    result = check_chain(open_store(url))
    console.print(f"{result.entries:,} audit entries checked.")
    for problem in result.problems:
        errors.print(f"[red]{problem}[/red]", highlight=False, soft_wrap=True)
    if result.more_problems:
        errors.print(f"[red]... and {result.more_problems} more problems[/red]")
    if not result.intact:
        sys.exit(1)
    if result.latest_hash:
        console.print(f"The chain is intact. Latest entry {result.latest_id}, seal {result.latest_hash}")


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
        errors.print(f"[red]Error:[/red] {exc}", highlight=False, soft_wrap=True)  # paths unbroken, for logs
        sys.exit(1)
    if isinstance(outcome, int):
        sys.exit(outcome)
