"""``import_annex_a``: an Ofsted ILACS Annex A workbook (or folder of per-list CSVs) to SSD-shaped CSV tables.

The flow: open the source; recognise each sheet's list and header row; parse every data row's cells (a bad
value becomes a located problem, and the row is skipped only if the value was required); hand the row to its
list's builder; write the tables and the report. Every data row is counted in ``rows_read`` and is either
built into rows or counted in ``rows_skipped`` with a problem saying why; blank rows are reported per sheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from casewatch.errors import DataError
from casewatch.formats.annex_a import AnnexList, Field
from casewatch.importers.csv_tables import WRITTEN_SETTINGS_MARK, clear_earlier_import
from casewatch.importers.report import ImportProblem, ImportReport, not_a_code

from .ages import AgeCheck
from .build import Builder
from .codes import code_list, known_code
from .output import Tables
from .record import Record
from .sheets import Header, column_letter, find_header, guess_list, is_template_sheet, list_from_name
from .source import RowCells, Sheet, open_source
from .support import support_lines
from .values import Value, parse
from .windows import Windows

FORMAT = "Ofsted Annex A"


def import_annex_a(source: str, out_dir: Path) -> ImportReport:
    """Import the Annex A workbook or CSV folder ``source`` into one ``<table>.csv`` per SSD table in ``out_dir``.

    Raises DataError (one sentence naming the file) when ``source`` is not a workbook/CSV or holds no list.
    """
    out_dir = Path(out_dir)
    report = ImportReport(FORMAT, str(source), out_dir)
    opened = open_source(source)
    try:
        found = list(_locate(opened.sheets, report))
    finally:
        opened.close()
    if not found:
        raise DataError(f"{source} holds no recognisable Annex A list (no sheet with a 'Child Unique ID' heading).")
    tables = Tables()
    builder = Builder(tables)
    windows = Windows()
    ages = AgeCheck()
    # Lists are built in number order so List 10 can find List 8's periods of care.
    for sheet, rows, (annex, header) in sorted(found, key=lambda f: f[2][0].number):
        _import_sheet(sheet, rows, annex, header, builder, report, windows, ages)
    builder.link_referrals()
    ages.report()
    clear_earlier_import(out_dir)
    report.rows_written.update(tables.write(out_dir))
    covered = {t: w for t, w in windows.by_table().items() if report.rows_written.get(t)}
    _write_config(out_dir, sorted(t for t in SNAPSHOT_TABLES if report.rows_written.get(t)), covered)
    report.supports, report.cannot_support = support_lines({annex.number for _, _, (annex, _) in found})
    return report


Located = tuple[AnnexList, Header]
Rows = list[tuple[int, RowCells]]


def _locate(sheets: Iterable[Sheet], report: ImportReport) -> Iterator[tuple[Sheet, Rows, Located]]:
    """Each list sheet with its rows (read once), list and header; other sheets get a warning saying why."""
    for sheet in sheets:
        if is_template_sheet(sheet.name):
            continue
        rows = list(sheet.read())
        named = list_from_name(sheet.name)
        header = find_header(named, rows) if named else None
        located = (named, header) if named and header else guess_list(rows)
        if located is None:
            reason = (
                f"sheet looks like List {named.number} by its name but has no header row with a child id heading"
                if named
                else "not recognised as an Annex A list by its name or headings; not read"
            )
            if any(_cells_present(cells) for _, cells in rows):
                report.problem(ImportProblem(sheet.file, sheet.name, None, None, None, reason, "warning"))
            continue
        yield sheet, rows, located


def _import_sheet(
    sheet: Sheet,
    rows: list[tuple[int, RowCells]],
    annex: AnnexList,
    header: Header,
    builder: Builder,
    report: ImportReport,
    windows: Windows,
    ages: AgeCheck,
) -> None:
    label = f"List {annex.number}"
    for index, heading in {**header.unknown, **header.duplicates}.items():
        what = "a second column for the same field" if index in header.duplicates else f"not a {label} heading"
        report.problem(
            ImportProblem(
                sheet.file, sheet.name, header.row, column_letter(index), heading, f"{what}; not read", "warning"
            )
        )
    missing = [f for f in annex.fields if f.required and f not in header.columns.values()]
    data = [(n, cells) for n, cells in rows if n > header.row]
    last = max((n for n, cells in data if _cells_present(cells)), default=header.row)
    blanks = [n for n, cells in data if n <= last and not _cells_present(cells)]
    if blanks:
        shown = ", ".join(map(str, blanks[:20])) + (" ..." if len(blanks) > 20 else "")
        report.problem(
            ImportProblem(
                sheet.file,
                sheet.name,
                blanks[0],
                None,
                f"{len(blanks)} blank rows",
                f"blank rows skipped: {shown}",
                "warning",
            )
        )
    for number, cells in data:
        if number > last or not _cells_present(cells):
            continue
        report.rows_read[label] += 1
        record = _parse_row(sheet, annex, header, number, cells, report)
        ages.observe(record)
        for field in annex.fields:
            if field.required:
                usable_value = record.values.get(field.key) is not None
                report.need(sheet.file, field.heading, usable_value, sheet=sheet.name)
        usable, problem = _usable(record, missing)
        if not usable:
            report.rows_skipped[label] += 1
            if problem is not None:
                record.warn(problem[0], problem[1], None, "error")
        elif not builder.build(record):
            report.rows_skipped[label] += 1
            record.warn("", f"{label} ({annex.title}) has no SSD table; row not imported", None)
        else:
            windows.observe(annex.number, record.values)


def _parse_row(
    sheet: Sheet, annex: AnnexList, header: Header, number: int, cells: RowCells, report: ImportReport
) -> Record:
    values: dict[str, Value] = {}
    descriptions: dict[str, str] = {}
    letters = {f.key: column_letter(i) for i, f in header.columns.items()}
    record = Record(annex, sheet.file, sheet.name, number, values, descriptions, letters, report.problem)
    for index, field in header.columns.items():
        cell = cells[index] if index < len(cells) else None
        parsed = parse(cell, field.kind)
        if parsed.problem is not None:
            # error: the row was not imported (its required value is unusable); warning: only the value was lost
            lost_row = field.required and parsed.severity == "error"
            if lost_row:
                record.failed.add(field.key)
            consequence = "row not imported" if field.required else "value left empty"
            severity = "error" if lost_row else "warning"
            record.warn(field.key, f"{field.heading}: {parsed.problem}; {consequence}", _shown(cell), severity)
        values[field.key] = _coded(record, field.key, field.heading, parsed.value)
        if parsed.description is not None:
            descriptions[field.key] = parsed.description
    return record


def _coded(record: Record, key: str, heading: str, value: Value) -> Value:
    """A coded column's value as its code (upper case), or the free text as written, reported."""
    listed = code_list(record.annex.number, key)
    if listed is None or not isinstance(value, str):
        return value
    name, codes = listed
    code = known_code(value, codes)
    if code is None:
        record.warn(key, f"{heading}: {not_a_code(name)}", value)
        return value
    return code


def _usable(record: Record, missing: list[Field]) -> tuple[bool, tuple[str, str] | None]:
    """Whether a row can be imported (every required value present) and, if not, a problem not yet reported.

    A required value that failed to parse was already reported with "row not imported"; an empty one is
    reported here.
    """
    for field in record.annex.fields:
        if field.required and record.values.get(field.key) is None:
            if field.key in record.failed:
                return False, None
            if field in missing:
                return False, (field.key, f"row not imported: the sheet has no '{field.heading}' column")
            return False, (field.key, f"row not imported: '{field.heading}' is empty")
    return True, None


def _cells_present(cells: RowCells) -> bool:
    return any(c is not None and str(c).strip().replace("\u00a0", "") != "" for c in cells)


def _shown(cell: object) -> str | None:
    return None if cell is None else str(cell)


# Annex A keeps only each child's latest visit and review: these tables are snapshots, not histories.
SNAPSHOT_TABLES = ("ssd_cin_visits", "ssd_cp_visits", "ssd_cp_reviews", "ssd_cla_visits", "ssd_cla_reviews")


def _write_config(out_dir: Path, snapshots: list[str], windows: dict[str, tuple[date, str]]) -> None:
    """Tell the evaluation which tables are snapshots (judge only whether the next one is overdue) and from which
    date each event list is complete (leave out instances anchored before it)."""
    lines = [f"{WRITTEN_SETTINGS_MARK} annex-a': these tables hold only each child's latest record.\n"]
    lines.append("snapshot_tables:" + ("\n" if snapshots else " []\n"))
    lines.extend(f"  - {table}\n" for table in snapshots)
    lines.append("# The date from which each table holds every record of its Annex A list.\n")
    lines.append("windows:" + ("\n" if windows else " {}\n"))
    lines.extend(f"  {table}: {start.isoformat()}  # {why}\n" for table, (start, why) in sorted(windows.items()))
    (out_dir / "casewatch.yaml").write_text("".join(lines), encoding="utf-8")
