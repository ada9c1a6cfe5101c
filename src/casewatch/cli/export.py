"""`casewatch export RETURN`: the returns a council must produce, written by casewatch.exporters.

Only option parsing and printing live here; every check and the writing itself are in
:func:`casewatch.exporters.export`, which a notebook calls the same way.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from .common import IsoDate, console, errors


@click.group("export")
def export_group() -> None:
    """Write the returns a council must produce (Annex A, CIN census, SSDA903) from its SSD data."""


def _export_command(kind: str, out_help: str, yearly: bool) -> click.Command:
    """One subcommand per return, all with the same options, so the returns are asked for alike."""

    def command(
        data_path: Path, as_at: date | None, out: Path, year_end: date | None = None, la_code: str = "999"
    ) -> None:
        from casewatch.exporters import export

        result = export(kind, data_path, out, as_at or date.today(), year_end=year_end, la_code=la_code)
        console.print(f"Wrote {result.out}: {kind} for {result.covers}", soft_wrap=True, highlight=False)
        for name, count in result.counts.items():
            console.print(f"  {name}: {count:,}")
        if result.rejected:
            left_out = ", ".join(f"{count:,} of {table}" for table, count in result.rejected.items())
            errors.print(
                f"[yellow]Warning:[/yellow] rows the data could not use are not in the return ({left_out}); "
                f"'casewatch data check {data_path}' lists them.",
                highlight=False,
                soft_wrap=True,
            )

    options = [
        click.option(
            "--data", "data_path", required=True, type=click.Path(path_type=Path), help="SSD folder or .duckdb file."
        ),
        click.option("--as-at", "as_at", type=IsoDate(), default=None, help="The extract's date (default today)."),
    ]
    if yearly:
        options.append(
            click.option(
                "--year-end",
                "year_end",
                type=IsoDate(),
                default=None,
                help="The collection year's 31 March (default: the latest one on or before --as-at).",
            )
        )
    if kind == "cin-census":
        options.append(
            click.option(
                "--la-code", "la_code", default="999", show_default=True, help="The authority's three-digit DfE code."
            )
        )
    options.append(click.option("--out", "out", required=True, type=click.Path(path_type=Path), help=out_help))
    for option in reversed(options):  # a decorator applied last is listed first
        command = option(command)
    return click.command(kind, help=_EXPORT_HELP[kind])(command)


_EXPORT_HELP = {
    "annex-a": "Ofsted's Annex A workbook (Lists 1-10), as at --as-at.",
    "cin-census": "The DfE CIN census XML for the year ending --year-end.",
    "ssda903": "The DfE SSDA903 CSV files (episodes, header, reviews, ...) for the year ending --year-end.",
}
for _kind, _help, _yearly in (
    ("annex-a", "The .xlsx workbook to write.", False),
    ("cin-census", "The .xml file to write.", True),
    ("ssda903", "The folder for the 903 CSV files.", True),
):
    export_group.add_command(_export_command(_kind, _help, _yearly))
