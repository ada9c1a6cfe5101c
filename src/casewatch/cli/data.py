"""``casewatch data check PATH``: load case data, print the data-quality report, exit 0 / 1 / 2.

The exit code is for scripts and schedulers: 0 means every row was loaded (warnings allowed), 1 means some rows
were rejected, 2 means the path could not be used at all. A user's mistake prints one sentence, never a traceback.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
import duckdb
from rich.console import Console
from rich.table import Table

from casewatch.data.code_check import check_codes
from casewatch.data.load import CaseData, load_case_data
from casewatch.errors import CasewatchError
from casewatch.standards.pack import Pack

from .options import large_data_options
from .show import render_code_report, render_data_check, render_profile_summary

EXIT_ALL_LOADED = 0
EXIT_ROWS_REJECTED = 1
EXIT_UNUSABLE = 2


class UnusableInput(click.ClickException):
    """A path, report file or setting that cannot be used; exits with code 2."""

    exit_code = EXIT_UNUSABLE


@click.command("check")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every issue (file, row, column, value, reason) to this CSV file.",
)
@click.option(
    "--as-at",
    "as_at",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Report dates after this day (YYYY-MM-DD) as in the future; default today.",
)
@click.option("--schema", default="main", show_default=True, help="Schema to read in a .duckdb file.")
@click.option("--limit", default=50, show_default=True, help="Kinds of issue to list on screen.")
@click.option(
    "--standards",
    "pack",
    default=None,
    help=(
        "Also say which standards of this pack (e.g. england, rutland) the data can and cannot evaluate, and which "
        "codes they read that the data spells another way."
    ),
)
@large_data_options
@click.pass_context
def check(
    ctx: click.Context,
    path: Path,
    report_path: Path | None,
    as_at: datetime | None,
    schema: str,
    limit: int,
    pack: str | None,
    work_dir: Path | None,
    memory_limit: str | None,
) -> None:
    """Check case data in PATH (a folder of SSD/ext_ CSV or Parquet files, or a .duckdb file)."""
    console = Console()
    loaded_pack = None
    if pack is not None:
        from casewatch.standards.loader import load_pack

        try:
            loaded_pack = load_pack(pack)
        except CasewatchError as exc:
            raise UnusableInput(str(exc)) from exc
    try:
        with console.status("Reading case data...") as status:
            data = load_case_data(
                path,
                schema=schema,
                as_at=as_at.date() if as_at else None,
                progress=lambda table: status.update(f"Loading {table}..."),
                work_dir=work_dir,
                memory_limit=memory_limit,
            )
    except CasewatchError as exc:
        raise UnusableInput(str(exc)) from exc
    try:
        render_data_check(data.report, console, limit=limit)
        if report_path is not None:
            try:
                data.report.to_csv(report_path)
            except OSError as exc:
                raise UnusableInput(f"{report_path}: cannot write the report ({exc.strerror}).") from exc
            console.print(f"Wrote {data.report.issues.num_rows:,} issue(s) to {report_path}.")
        if loaded_pack is not None:
            _print_readiness(loaded_pack, data.con, console)
            _print_codes(loaded_pack, data, console)
    finally:
        data.close()
    ctx.exit(EXIT_ALL_LOADED if data.report.all_loaded else EXIT_ROWS_REJECTED)


def _print_readiness(pack: Pack, con: duckdb.DuckDBPyConnection, console: Console) -> None:
    """Which of the pack's standards this data can evaluate, and what the others lack."""
    from casewatch.engine.readiness import readiness

    table = Table(title=f"Standards of {pack.id} this data can evaluate", title_justify="left")
    for heading in ("Standard", "Title", "Can evaluate", "Why not / note"):
        table.add_column(heading, overflow="fold")
    found = readiness(pack.standards.values(), con)
    for item in found:
        if item.can_evaluate:
            note = f"no rows in {', '.join(item.empty_tables)}" if item.empty_tables else ""
            table.add_row(item.standard.id, item.standard.title, "[green]yes[/green]", note)
        else:
            table.add_row(item.standard.id, item.standard.title, "[red]no[/red]", f"missing data: {item.gap}")
    console.print(table)
    for item in found:
        if not item.can_evaluate:
            console.print(f"Cannot evaluate {item.standard.id}: missing data: {item.gap}", soft_wrap=True)
    able = sum(1 for item in found if item.can_evaluate)
    console.print(
        f"{able} of {len(found)} standards can be evaluated; the others are reported as "
        "'not evaluated: missing data' by casewatch evaluate."
    )


def _print_codes(pack: Pack, data: CaseData, console: Console) -> None:
    """The code columns the pack's standards read, as the data holds them."""
    config = data.config
    report = check_codes(data.con, pack.standards.values(), config.allocated_worker_roles, config.codes)
    render_code_report(report, pack.id, console)


@click.command("profile")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report here: profile.html (a page for any browser, no server) or profile.xlsx.",
)
@click.option(
    "--standards",
    "pack",
    default="england",
    show_default=True,
    help="The pack whose standards the report checks the data against.",
)
@click.option(
    "--as-at",
    "as_at",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date to profile and evaluate as at (YYYY-MM-DD); default today.",
)
@click.option(
    "--evaluate/--no-evaluate",
    "evaluate_pack",
    default=True,
    show_default=True,
    help="Evaluate the pack too, so each standard shows its instances, figure and what the window left out.",
)
@click.option("--schema", default="main", show_default=True, help="Schema to read in a .duckdb file.")
@large_data_options
def profile(
    path: Path,
    out: Path,
    pack: str,
    as_at: datetime | None,
    evaluate_pack: bool,
    schema: str,
    work_dir: Path | None,
    memory_limit: str | None,
) -> None:
    """Write the onboarding report of the case data in PATH: tables, window, empty values, codes, keys, standards."""
    from casewatch.reports.profile import build_profile, write_profile
    from casewatch.standards.loader import load_pack

    if out.suffix.lower() not in (".html", ".xlsx"):
        raise UnusableInput(f"{out}: write the profile as .html or .xlsx.")
    console = Console()
    day = as_at.date() if as_at else date.today()
    try:
        loaded_pack = load_pack(pack)
        with console.status("Reading case data...") as status:
            data = load_case_data(
                path,
                schema=schema,
                as_at=day,
                progress=lambda table: status.update(f"Loading {table}..."),
                work_dir=work_dir,
                memory_limit=memory_limit,
            )
    except CasewatchError as exc:
        raise UnusableInput(str(exc)) from exc
    try:
        with console.status("Profiling..."):
            found = build_profile(data, loaded_pack, day, evaluate_pack=evaluate_pack)
        write_profile(found, out)
    except CasewatchError as exc:
        raise UnusableInput(str(exc)) from exc
    finally:
        data.close()
    render_profile_summary(found, out, console)


@click.group("data")
def data() -> None:
    """Check case data against the data contract, and profile it for onboarding."""


data.add_command(check)
data.add_command(profile)
