"""`casewatch demo`: a synthetic council built, evaluated, shown and served, for a first look."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from casewatch.api import EXAMPLE_AS_AT, EXAMPLE_COUNCIL
from casewatch.data.load import CaseData
from casewatch.results import Results

from .common import console
from .summary import print_summary

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


@click.command()
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
    from casewatch.reports import write_results

    console.print(
        f"[bold]casewatch demo[/bold]: a synthetic council of {population:,} children (none of them real), "
        f"{DEMO_YEARS} years of case records, evaluated as at {EXAMPLE_AS_AT} against the {pack} pack."
    )
    started = time.perf_counter()
    run = prepare_demo(pack, population, cache_dir)
    seconds = time.perf_counter() - started
    print_summary(run.results, console, pack)
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
