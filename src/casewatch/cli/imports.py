"""`casewatch import FORMAT SOURCE --out DIR`: one command shape for every format a council already holds."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console

from casewatch.importers.report import ImportReport

from .show import render_import

# format name -> "module:function"; a format is offered once its module exists.
IMPORTERS = {
    "ssd": "casewatch.importers.ssd:import_ssd",
    "annex-a": "casewatch.importers.annex_a:import_annex_a",
    "cin-census": "casewatch.importers.cin_census:import_cin_census",
    "ssda903": "casewatch.importers.ssda903:import_ssda903",
}
Importer = Callable[[str, Path], ImportReport]


def available_importers() -> dict[str, Importer]:
    found: dict[str, Importer] = {}
    for name, target in IMPORTERS.items():
        module_name, function = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        found[name] = getattr(module, function)
    return found


@click.command("import")
@click.argument("format_name", metavar="FORMAT")
@click.argument("source")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Folder for the SSD-shaped tables.")
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="Also save every problem as CSV.")
@click.option("--schema", "schema", help="ssd only: the database schema holding the SSD (default ssd_development).")
@click.option(
    "--xsd", "xsd", type=click.Path(path_type=Path), help="cin-census only: validate against this DfE XSD file."
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail (exit 1) on any problem of severity error, not only when nothing usable loaded.",
)
def import_command(
    format_name: str,
    source: str,
    out: Path,
    report_path: Path | None,
    schema: str | None,
    xsd: Path | None,
    strict: bool,
) -> int:
    """Import SOURCE in FORMAT into SSD-shaped tables that 'casewatch evaluate --data' reads.

    SOURCE is a file or folder, or for ssd a database URL (postgresql://, mssql+pyodbc://, sqlite:///,
    duckdb:///) or a folder of CSV/Parquet extracts. Exits 0 when rows were imported (problems are listed, each
    with where it is); 1 when nothing usable loaded or a column the import needs has no usable value, and with
    --strict also on any error.
    """
    importers = available_importers()
    if format_name not in importers:
        raise click.ClickException(
            f"unknown format '{format_name}'; this casewatch can import: {', '.join(sorted(importers))}"
        )
    if schema is not None and format_name != "ssd":
        raise click.ClickException("--schema names a database schema and applies only to 'casewatch import ssd'")
    if xsd is not None and format_name != "cin-census":
        raise click.ClickException("--xsd applies only to 'casewatch import cin-census'")
    importer: Callable[..., ImportReport] = importers[format_name]
    if schema is not None:
        importer = functools.partial(importer, schema=schema)
    if xsd is not None:
        if not xsd.is_file():
            raise click.ClickException(f"--xsd {xsd}: no such file")
        importer = functools.partial(importer, schema=xsd)
    report = importer(source, out)
    console = Console()
    failures = report.failures(strict=strict)
    render_import(report, console, failures)
    if report_path is not None:
        report.to_csv(report_path)
        console.print(f"Every problem saved to {report_path}")
    if failures:  # an exit, not a return value, so every way of running the command sees it
        raise click.exceptions.Exit(1)
    return 0
