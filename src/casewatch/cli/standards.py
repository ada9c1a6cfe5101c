"""`casewatch standards …`: browse, show and validate packs of practice standards."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from casewatch.engine.dialects import DIALECTS, dialect
from casewatch.errors import CasewatchError
from casewatch.standards.loader import available_packs, load_pack
from casewatch.standards.pack import Standard
from casewatch.standards.sources import load_sources
from casewatch.standards.statement_check import Coverage, CoverageRow, coverage

from .common import IsoDate
from .show import show_lines

console = Console()


@click.group("standards")
def standards() -> None:
    """Browse, show and validate packs of practice standards."""


@standards.command("list")
@click.argument("pack", required=False)
def list_standards(pack: str | None) -> None:
    """List the shipped packs, or the standards of PACK."""
    if pack is None:
        table = Table(title="Packs shipped with casewatch", title_justify="left")
        for heading in ("Pack", "Title", "Jurisdiction", "Extends", "Standards"):
            table.add_column(heading)
        for name in available_packs():
            loaded = load_pack(name)
            table.add_row(
                loaded.id, loaded.title, loaded.spec.jurisdiction, loaded.spec.extends or "", str(len(loaded.standards))
            )
        console.print(table)
        return
    loaded = load_pack(pack)
    table = Table(title=f"{loaded.title} ({loaded.id})", title_justify="left")
    for heading in ("Standard", "Title", "Type", "Subject", "Rule", "Target"):
        table.add_column(heading)
    for standard in loaded.standards.values():
        rule = standard.versions[-1].rule
        table.add_row(
            standard.id,
            standard.title,
            standard.spec.type,
            standard.subject,
            rule.kind,
            "" if standard.spec.target is None else f"{standard.spec.target:g}%",
        )
    console.print(table)


@standards.command("show")
@click.argument("pack")
@click.argument("standard")
def show(pack: str, standard: str) -> None:
    """Show one standard: its citation, rule versions and the data it needs."""
    found = load_pack(pack).get(standard)
    _print_standard(found)


def _print_standard(standard: Standard) -> None:
    for line in show_lines(standard):
        console.print(line)


@standards.command("validate")
@click.argument("packs", nargs=-1, required=True)
def validate(packs: tuple[str, ...]) -> None:
    """Load and check PACKS (names or folders); the first problem is reported with its file and line."""
    for name in packs:
        loaded = load_pack(name)
        cases = sum(1 for s in loaded.own.values() if s.cases_path.is_file())
        console.print(
            f"[green]✓[/green] {loaded.id}: {len(loaded.own)} standards valid"
            + (f" (plus {len(loaded.standards) - len(loaded.own)} inherited)" if loaded.base else "")
            + f"; {cases} with test cases"
        )


@standards.command("requirements")
@click.argument("pack")
def requirements(pack: str) -> None:
    """List the tables and columns each standard of PACK needs."""
    loaded = load_pack(pack)
    table = Table(title=f"Data needed by {loaded.id}", title_justify="left", show_lines=True)
    for heading in ("Standard", "Table", "Columns"):
        table.add_column(heading)
    for standard in loaded.standards.values():
        for index, (name, columns) in enumerate(sorted(standard.requirements.items())):
            table.add_row(standard.id if index == 0 else "", name, ", ".join(sorted(columns)))
    console.print(table)


@standards.command("sources")
def sources() -> None:
    """List the vocabulary of sources standards are written in, and the tables behind them."""
    table = Table(title="Sources", title_justify="left")
    for heading in ("Source", "Kind", "Table", "Dated by", "Attributes"):
        table.add_column(heading)
    for source in load_sources().values():
        dated = source.date or (f"{source.start} → {source.end}" if source.start else "")
        table.add_row(source.name, source.kind, source.table, dated, ", ".join(source.attributes))
    console.print(table)


@standards.command("coverage")
@click.argument("pack")
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "markdown"]),
    default="table",
    show_default=True,
    help="A table for the terminal, or Markdown for a page or a pull request.",
)
def coverage_command(pack: str, output: str) -> None:
    """List every statement of PACK's source document, in order, with how it is encoded; exit 1 if any is not."""
    report = coverage(load_pack(pack))
    if output == "markdown":
        click.echo(_coverage_markdown(report))
    else:
        _print_coverage(report)
    if report.unaccounted:
        raise SystemExit(1)


def _encoding(row: CoverageRow, separator: str) -> str:
    parts = []
    if row.standards:
        parts.append("standards: " + ", ".join(row.standards))
    if row.audit:
        parts.append("audit: " + ", ".join(row.audit))
    if row.not_measurable:
        parts.append(f"not measurable: {row.not_measurable.strip()}")
    return separator.join(parts) or "NOT ACCOUNTED FOR"


def _shorten(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _coverage_details(report: Coverage) -> list[str]:
    lines = [report.summary]
    if report.also_audited:
        lines.append(f"{report.also_audited} of the automated statements also have audit questions.")
    lines.append(f"{report.audit_questions} audit questions in {report.audit_groups} groups.")
    lines += [f"Not accounted for: {row.statement.id} ({row.statement.section})" for row in report.unaccounted]
    return lines


def _print_coverage(report: Coverage) -> None:
    table = Table(
        title=f"{report.document_title} ({report.pack}): every statement and how it is encoded",
        title_justify="left",
        show_lines=True,
    )
    table.add_column("#", justify="right")
    table.add_column("Statement", overflow="fold")
    table.add_column("Text", ratio=3)
    table.add_column("Encoded as", ratio=3, overflow="fold")
    for n, row in enumerate(report.rows, start=1):
        table.add_row(
            str(n),
            f"{row.statement.id}\n[dim]{row.statement.section}[/dim]",
            _shorten(row.statement.text),
            f"[bold]{row.how}[/bold]\n" + _encoding(row, "\n"),
            style="red" if not row.accounted else None,
        )
    out = Console(width=None if sys.stdout.isatty() else 120)  # a readable width in logs and pipes
    out.print(table)
    for index, line in enumerate(_coverage_details(report)):
        out.print(f"[bold]{line}[/bold]" if index == 0 else line)


def _coverage_markdown(report: Coverage) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        f"# Coverage of {report.document_title} ({report.pack})",
        "",
        "| # | Statement | Section | Text | How | Encoded as |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for n, row in enumerate(report.rows, start=1):
        encoded = _encoding(row, "<br>")
        text = " ".join(row.statement.text.split())
        lines.append(
            f"| {n} | {row.statement.id} | {cell(row.statement.section)} | {cell(text)} | {row.how} | {cell(encoded)} |"
        )
    lines += ["", *(f"{line}  " for line in _coverage_details(report))]
    return "\n".join(lines).rstrip() + "\n"


@standards.command("sql")
@click.argument("pack")
@click.option(
    "--dialect",
    "dialect_name",
    required=True,
    metavar="|".join(DIALECTS),
    help="The SQL to write: DuckDB, PostgreSQL, Spark SQL (and Databricks) or T-SQL for SQL Server 2016 and later.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="The folder to write into (created if need be): one file per standard, named by its id.",
)
@click.option(
    "--as-at",
    "as_at",
    type=IsoDate(),
    default=None,
    help="The date the queries judge instances as at (default: today).",
)
def sql_command(pack: str, dialect_name: str, out: Path, as_at: date | None) -> None:
    """Write each standard of PACK as a readable SQL file citing the standard, for a warehouse team to run."""
    from casewatch.engine.sql_files import write_pack_sql

    target = dialect(dialect_name)  # before loading the pack: a mistyped dialect is said first
    written = write_pack_sql(load_pack(pack), target, out, as_at or date.today())
    console.print(f"[green]✓[/green] {len(written.files)} {target.title} files written to {out}")
    console.print(f"Run {written.working_tables.name} there once first: it creates the working tables they read.")
    if written.not_in_force:
        console.print(f"Not in force on that date, so not written: {', '.join(written.not_in_force)}")


@standards.command("compare")
@click.argument("packs", nargs=-1, required=True)
@click.option("--floor", default="england", show_default=True, help="The statutory pack to compare against.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["terminal", "markdown", "xlsx", "html"]),
    default=None,
    help="Output format; default: from --out's extension (.md, .xlsx, .html), else the terminal.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to this file.")
def compare(packs: tuple[str, ...], floor: str, fmt: str | None, out: Path | None) -> None:
    """Compare PACKS topic by topic with the statutory floor: stricter, same, local or missing."""
    from casewatch.standards.compare import compare_packs

    from .show import render_comparison

    if fmt is None:
        suffix = out.suffix.lower() if out else ""
        fmt = {".md": "markdown", ".markdown": "markdown", ".xlsx": "xlsx", ".html": "html", ".htm": "html"}.get(
            suffix, "terminal"
        )
        if out is not None and fmt == "terminal":
            raise CasewatchError(f"{out}: say --format, or name the file .md, .xlsx or .html")
    comparison = compare_packs(packs, floor=floor)
    wide = Console(width=None if sys.stdout.isatty() else 200)
    render_comparison(comparison, fmt, out, wide)


__all__ = ["standards"]
