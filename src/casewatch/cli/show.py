"""How reports look in a terminal: the rich rendering of what the domain packages return as data."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from casewatch.data.code_check import CodeReport, ColumnCodes
from casewatch.data.contract import TABLES
from casewatch.data.quality import DataQualityReport, issue_groups
from casewatch.errors import CasewatchError
from casewatch.importers.report import ImportReport
from casewatch.reports.comparison import FORMATS, cell_text, headers, legend, to_markdown, write_comparison
from casewatch.reports.profile import Profile
from casewatch.standards.compare import CellStatus, Comparison
from casewatch.standards.pack import Standard
from casewatch.standards.show import CitationView, flow, standard_view


def render_data_check(report: DataQualityReport, console: Console, limit: int = 50) -> None:
    """Print the per-table summary, then issues grouped by reason with example rows."""
    console.print(f"[bold]Data check[/bold] of {escape(report.source)} (as at {report.as_at.isoformat()})")
    console.print(_data_check_summary_table(report))
    _data_check_inventory(report, console)
    _data_check_issue_groups(report, console, limit)
    rejected = report.total_rejected
    loaded = sum(s.rows_loaded for s in report.summaries.values())
    if rejected:
        console.print(f"[bold red]{rejected:,} row(s) rejected[/bold red] (not loaded); {loaded:,} row(s) loaded.")
    else:
        console.print(f"[bold green]All {loaded:,} row(s) loaded.[/bold green]")


#: Values of one code column listed on screen (the most frequent first); ``--report`` is not needed for codes.
CODE_VALUES_SHOWN = 25


def render_code_report(report: CodeReport, pack_id: str, console: Console) -> None:
    """Each text column the pack's standards filter on: the values held, which match nothing, which expected values
    never occur; then the standards these limit and the ``codes:`` lines to paste into ``casewatch.yaml``."""
    held = [codes for codes in report.columns if codes.present]
    if not held:
        console.print(f"No standard of {pack_id} filters on a code column the data holds.")
        return
    console.print(f"[bold]Codes the standards of {escape(pack_id)} read[/bold] (compared ignoring case and spaces)")
    for codes in held:
        console.print(_code_table(codes))
        if codes.missing:
            missing = ", ".join(repr(v) for v in codes.missing)
            console.print(f"  expected, never found among {codes.rows:,} rows: {escape(missing)}", soft_wrap=True)
    limits = report.limits()
    for standard_id, reason in limits.items():
        console.print(f"[yellow]Limited[/yellow] {standard_id}: {escape(reason)}", soft_wrap=True)
    snippet = report.snippet()
    if snippet:
        console.print("To map the values that match nothing, add to casewatch.yaml (check each line first):")
        console.print(escape(snippet), highlight=False, soft_wrap=True)
    if not limits:
        console.print("No standard is limited by the data's codes.")


def _code_table(codes: ColumnCodes) -> Table:
    readers = ", ".join(codes.readers)
    table = Table(title=f"{codes.name}: {codes.rows:,} rows, read by {escape(readers)}", title_justify="left")
    table.add_column("value", overflow="fold")
    table.add_column("rows", justify="right")
    table.add_column("matches", overflow="fold")
    for value, n in codes.seen[:CODE_VALUES_SHOWN]:
        if codes.matches(value):
            verdict = "[green]yes[/green]"
        else:
            target = codes.lookalike(value)
            verdict = "[red]none the standards name[/red]"
            if target is not None:
                verdict += f" (looks like {escape(repr(target))})"
        table.add_row(escape(value), f"{n:,}", verdict)
    hidden = len(codes.seen) - CODE_VALUES_SHOWN
    if hidden > 0:
        table.add_row(f"... and {hidden:,} other value(s)", "", "")
    return table


def _data_check_summary_table(report: DataQualityReport) -> Table:
    table = Table(title="Rows per table", title_justify="left")
    for name, justify in (
        ("table", "left"),
        ("file", "left"),
        ("read", "right"),
        ("loaded", "right"),
        ("rejected", "right"),
        ("warnings", "right"),
        ("notes", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for s in report.summaries.values():
        rejected = f"[red]{s.rows_rejected:,}[/red]" if s.rows_rejected else "0"
        table.add_row(
            s.table,
            escape(s.file),
            f"{s.rows_read:,}",
            f"{s.rows_loaded:,}",
            rejected,
            f"{s.warnings:,}",
            f"{s.notes:,}",
        )
    return table


def _data_check_inventory(report: DataQualityReport, console: Console) -> None:
    core_missing = [t for t in report.missing_tables if TABLES[t].tier == "core"]
    if core_missing:
        console.print(f"[yellow]Core tables not given:[/yellow] {', '.join(core_missing)}")
    counts = []
    for tier in ("optional", "extension"):
        missing = sum(1 for t in report.missing_tables if TABLES[t].tier == tier)
        if missing:
            counts.append(f"{missing} of {sum(1 for t in TABLES.values() if t.tier == tier)} {tier}")
    if counts:
        console.print(f"Also not given: {' and '.join(counts)} tables (standards needing them are not evaluated).")
    for file, columns in report.renamed_columns.items():
        pairs = ", ".join(f"{src} → {dst}" for src, dst in columns.items())
        console.print(f"Columns read under their contract names in {escape(file)}: {escape(pairs)}")
    for file, names in report.unknown_columns.items():
        console.print(
            f"[yellow]Columns ignored[/yellow] (not in the contract) in {escape(file)}: {escape(', '.join(names))}"
        )
    if report.ignored_files:
        console.print(
            f"[yellow]Files ignored[/yellow] (not a contract table): {escape(', '.join(report.ignored_files))}"
        )


def _data_check_issue_groups(report: DataQualityReport, console: Console, limit: int) -> None:
    if report.issues.num_rows == 0:
        console.print("No issues found.")
        return
    groups = issue_groups(report.issues)
    console.print(f"[bold]Issues[/bold] ({report.issues.num_rows:,}), by reason:")
    colour = {"error": "red", "warning": "yellow", "info": "blue"}
    for severity, table, column, reason, count, examples in groups[:limit]:
        where = f"{table}.{column}" if column else table
        console.print(
            f"[{colour[severity]}]{severity}[/{colour[severity]}] {where}: {escape(reason)} "
            f"([bold]{count:,}[/bold] row{'s' if count != 1 else ''})"
        )
        shown = ", ".join(
            f"row {row} {value!r}" if value is not None else f"row {row} (empty)" for row, value in examples
        )
        console.print(f"    e.g. {escape(shown)}", style="dim")
    if len(groups) > limit:
        console.print(f"... and {len(groups) - limit} more kinds of issue; write them all with --report FILE.csv.")


def render_profile_summary(profile: Profile, out: Path, console: Console) -> None:
    """The few lines the terminal shows of a profile: size, window, standards, what to set, and where it is."""
    loaded = sum(t.rows_loaded for t in profile.tables)
    rejected = sum(t.rows_rejected for t in profile.tables)
    console.print(f"{len(profile.tables)} tables, {loaded:,} rows loaded, {rejected:,} rejected.")
    console.print(escape(profile.window.statement), soft_wrap=True)
    if profile.standards:
        counts = ", ".join(f"{profile.count(r)} {r}" for r in ("evaluable", "limited", "not evaluable"))
        console.print(f"Standards of {escape(profile.pack or '')}: {counts}.")
    for item in profile.settings:
        console.print(f"To set: {escape(item)}", soft_wrap=True)
    console.print(f"Wrote the profile to {escape(str(out))}.")


def render_import(report: ImportReport, console: Console, failures: list[str] | None = None, limit: int = 30) -> None:
    """The import's tables and problems, then its verdict: imported with so many problems, or why it failed."""
    table = Table(title=f"{report.format} import from {report.source}", title_justify="left")
    for heading in ("Input", "Rows read", "Skipped"):
        table.add_column(heading, justify="right" if heading != "Input" else "left")
    for name, count in sorted(report.rows_read.items()):
        table.add_row(name, f"{count:,}", f"{report.rows_skipped.get(name, 0):,}")
    console.print(table)
    written = Table(title=f"Written to {report.out_dir}", title_justify="left")
    written.add_column("Table")
    written.add_column("Rows", justify="right")
    for name, count in sorted(report.rows_written.items()):
        written.add_row(name, f"{count:,}")
    console.print(written)
    if report.problems:
        problems = Table(title=f"{len(report.problems):,} problems (first {min(limit, len(report.problems))})")
        for heading in ("Where", "Value", "Reason", "Severity"):
            problems.add_column(heading)
        for p in report.problems[:limit]:
            where = ", ".join(
                part for part in (p.file, p.sheet and f"sheet {p.sheet}", p.row and f"row {p.row}", p.column) if part
            )
            problems.add_row(escape(where), escape(p.value or ""), escape(p.reason), p.severity)
        console.print(problems)
    if report.missing_tables:
        console.print(f"Not in the source ({len(report.missing_tables)} tables): {', '.join(report.missing_tables)}")
    for line in report.supports:
        console.print(f"[green]supports[/green] {line}")
    for line in report.cannot_support:
        console.print(f"[yellow]cannot support[/yellow] {line}")
    loaded = sum(report.rows_written.values())
    counts = f"{report.errors:,} errors, {report.warnings:,} warnings"
    for reason in failures or []:
        console.print(f"[bold red]Import failed:[/bold red] {escape(reason)}.")
    if not failures:
        console.print(f"[bold green]Imported {loaded:,} rows[/bold green] ({counts}; each problem says where it is).")


_RICH = {
    CellStatus.STRICTER: "green",
    CellStatus.LESS_STRICT: "bold red",
    CellStatus.MISSING: "red",
    CellStatus.LOCAL: "cyan",
    CellStatus.DIFFERENT: "yellow",
    CellStatus.STATUTORY: "dim",
}


def render_comparison(comparison: Comparison, fmt: str, out: Path | None, console: Console) -> None:
    """Write ``comparison`` in ``fmt`` to ``out`` (or the terminal, for terminal and markdown without ``out``)."""
    if fmt not in FORMATS:
        raise CasewatchError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if fmt == "terminal":
        console.print(comparison_table(comparison))
        return
    if out is None:
        if fmt == "markdown":
            console.print(to_markdown(comparison), markup=False, highlight=False)
            return
        raise CasewatchError(f"the {fmt} format writes a file: give --out FILE.{fmt}")
    write_comparison(comparison, fmt, out)
    console.print(f"Comparison written to {out}")


def comparison_table(comparison: Comparison) -> Table:
    table = Table(title="Practice standards compared", caption=legend(), show_lines=True, title_justify="left")
    for heading in headers(comparison):
        table.add_column(heading, overflow="fold")
    for row in comparison.rows:
        cells = [cell_text(row.floor)]
        for cell in row.cells:
            style = _RICH.get(cell.status)
            text = cell_text(cell)
            cells.append(f"[{style}]{_escape_rich(text)}[/{style}]" if style and text else _escape_rich(text))
        table.add_row(row.label, *cells)
    return table


def _escape_rich(text: str) -> str:
    return text.replace("[", r"\[")


def show_lines(standard: Standard) -> list[str]:
    """``casewatch standards show`` as lines of rich markup; the documents' own words are escaped, not markup."""
    spec = standard.spec
    view = standard_view(standard)
    lines = [
        f"[bold]{escape(spec.title)}[/bold]  [dim]{standard.id}[/dim]",
        f"{spec.type.capitalize()} standard about a {spec.subject}; responsible: {escape(spec.role)}",
    ]
    if spec.target is not None:
        lines.append(f"Compliance target: {spec.target:g}%")
    lines += ["", *_citation_lines(view.citation, "Source")]
    for interpretation in view.interpretations:
        lines += ["", f"[bold]Interpretation[/bold] {interpretation.id}: {escape(interpretation.question)}"]
        for reading in interpretation.readings:
            mark = "[green]●[/green] (chosen)" if reading.chosen else "○"
            default = " (default)" if reading.default else ""
            lines.append(f"  {mark} {reading.name}{default}: {escape(reading.note)}")
            lines.append(f"      {escape(reading.change)} → {escape(reading.timescale)}")
        lines.append(f"  [dim]switch with {interpretation.switch}[/dim]")
    lines += [
        "",
        "[bold]Versions[/bold] (an instance uses the version in force at its anchor date):",
    ]
    for version in view.versions:
        lines.append(f"[bold]Version {version.version}[/bold], {version.dates}: {escape(version.timescale)}")
        lines.append(f"  rule: {{{escape(flow(version.rule))}}}")
        if version.citation is not None:
            lines += [f"  {line}" for line in _citation_lines(version.citation, f"Version {version.version} source")]
    lines += ["", f"Calendar: {standard.calendar}; due soon within {standard.due_soon}", "[bold]Data needed[/bold]:"]
    lines += [f"  {table}: {', '.join(sorted(columns))}" for table, columns in sorted(standard.requirements.items())]
    return lines


def _citation_lines(citation: CitationView, heading: str) -> list[str]:
    source = citation.source
    edition = source.edition + (f" ({source.date})" if source.date and str(source.date) not in source.edition else "")
    where = source.url or source.published or ""
    lines = [
        f"[bold]{heading}[/bold]: {escape(source.title)}, {escape(citation.section)}",
        f"  Edition: {escape(edition)}",
        f"  Published: {escape(where)}" + (f" ({escape(source.publisher)})" if source.publisher else ""),
        f"  [italic]“{escape(citation.quote)}”[/italic]",
        f"  Checked: [bold]{citation.checked}[/bold] ({citation.checked_means})",
    ]
    for title, items in (("Proxy", citation.proxy), ("Not encoded", citation.not_encoded), ("Notes", citation.notes)):
        if items:
            lines.append(f"  {title}:")
            lines += [f"    • {escape(item)}" for item in items]
    return lines
