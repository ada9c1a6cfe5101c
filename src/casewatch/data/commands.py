"""``casewatch data check PATH``: load case data, print the data-quality report, exit 0 / 1 / 2.

The exit code is for scripts and schedulers: 0 means every row was loaded (warnings allowed), 1 means some rows
were rejected, 2 means the path could not be used at all. A user's mistake prints one sentence, never a traceback.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from rich.console import Console

from casewatch.data.load import load_case_data
from casewatch.errors import CasewatchError

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
@click.pass_context
def check(
    ctx: click.Context, path: Path, report_path: Path | None, as_at: datetime | None, schema: str, limit: int
) -> None:
    """Check case data in PATH (a folder of SSD/ext_ CSV or Parquet files, or a .duckdb file)."""
    console = Console()
    try:
        with console.status("Reading case data...") as status:
            data = load_case_data(
                path,
                schema=schema,
                as_at=as_at.date() if as_at else None,
                progress=lambda table: status.update(f"Loading {table}..."),
            )
    except CasewatchError as exc:
        raise UnusableInput(str(exc)) from exc
    try:
        data.report.render(console, limit=limit)
        if report_path is not None:
            try:
                data.report.to_csv(report_path)
            except OSError as exc:
                raise UnusableInput(f"{report_path}: cannot write the report ({exc.strerror}).") from exc
            console.print(f"Wrote {data.report.issues.num_rows:,} issue(s) to {report_path}.")
    finally:
        data.con.close()
    ctx.exit(EXIT_ALL_LOADED if data.report.all_loaded else EXIT_ROWS_REJECTED)
