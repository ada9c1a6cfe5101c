"""``import_ssd``: an SSD schema (database or folder of extracts) to the contract tables ``casewatch evaluate`` reads.

The flow: open the source read-only; match its tables to the contract (name variants) and their columns
(CMS variants: Mosaic's ``cin_plan_id``, ``due_date``, ``person_id`` ...); stream every table in chunks into a
staging folder of raw text; load that with casewatch's own loader, which types and judges every value (sentinel
``1900-01-01`` dates, ``dd/mm/yyyy`` text, flag spellings, duplicate keys, derivable person ids) set-based in
DuckDB; write the loaded tables to the output folder. The loader's judgement is the importer's: every row read
is either written or reported with its table, row, column and reason, so an import and a later
``casewatch evaluate`` can never disagree about which rows count.
"""

from __future__ import annotations

import csv
import re
import tempfile
from array import array
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from casewatch.data.contract import TABLES
from casewatch.data.load import CaseData, load_case_data
from casewatch.data.quoting import ident, literal
from casewatch.data.sources import ColumnMap, map_columns
from casewatch.data.vocabulary import as_text, excel_error, tidy
from casewatch.errors import DataError
from casewatch.importers.csv_tables import WRITTEN_SETTINGS_MARK, clear_earlier_import
from casewatch.importers.report import ImportProblem, ImportReport

from .database import DatabaseReader
from .duckdb_file import DuckDBReader
from .folder import FolderReader
from .names import Matched, match_tables
from .reader import SourceReader, first_line

FORMAT = "SSD"
_FIRST_AT = re.compile(r"\(first at row (\d+)\)")
_SEVERITY = {"error": "error", "warning": "warning", "info": "note"}


def open_reader(source: str, schema: str | None = None) -> SourceReader:
    """The reader for ``source``: a folder of extracts, a ``duckdb:///`` file, or any other SQLAlchemy URL."""
    path = Path(source)
    if "://" not in source:
        if path.is_dir():
            if schema is not None:
                raise DataError(f"{source} is a folder of extracts; --schema applies only to a database URL.")
            return FolderReader(path)
        if path.exists():
            raise DataError(
                f"{source} is a single file; expected a folder of SSD extracts (ssd_person.csv, ...) or a database "
                "URL such as postgresql://host/db, sqlite:///file.db or duckdb:///file.duckdb."
            )
        raise DataError(f"{source} does not exist; expected a folder of SSD extracts or a database URL.")
    if source.lower().startswith("duckdb:"):
        return DuckDBReader(source, schema)
    return DatabaseReader(source, schema)


def import_ssd(source: str, out_dir: Path, schema: str | None = None) -> ImportReport:
    """Import the SSD at ``source`` (schema ``schema``, default ssd_development) into ``out_dir``.

    Raises DataError (one sentence) when the source cannot be opened or holds no SSD table at all.
    """
    out_dir = Path(out_dir)
    reader = open_reader(source, schema)
    report = ImportReport(FORMAT, reader.label, out_dir)
    try:
        _import(reader, out_dir, report)
    except sa.exc.DBAPIError as exc:  # only the source's database speaks SQLAlchemy here
        raise DataError(f"{reader.label}: the database could not be read ({first_line(exc)}).") from exc
    finally:
        reader.close()
    report.supports.append(
        f"every standard whose tables and columns are present; problem rows are numbered by {reader.row_numbers}"
    )
    if report.missing_tables:
        report.cannot_support.append(
            "standards needing a table not in the source: 'casewatch evaluate' reports them as not evaluated"
        )
    return report


def _import(reader: SourceReader, out_dir: Path, report: ImportReport) -> None:
    """Match, stage, judge and write every table of the opened source."""
    matching = match_tables(reader.table_names())
    if not matching.matched:
        raise DataError(f"{reader.label} holds none of the SSD tables (ssd_person, ssd_cin_episodes ...).")
    if matching.ignored:
        shown = ", ".join(matching.ignored[:20]) + (" ..." if len(matching.ignored) > 20 else "")
        report.problem(
            ImportProblem(reader.label, None, None, None, None, f"not SSD tables, not read: {shown}", "note")
        )
    for name in reader.ignored:
        report.problem(
            ImportProblem(name, None, None, None, None, "the same table is in another file; not read", "warning")
        )
    for name, table in matching.duplicates.items():
        report.problem(_table_note(reader, name, f"another table already fills {table}; not read"))
    with tempfile.TemporaryDirectory(prefix="casewatch-ssd-") as staging_dir:
        staging = Path(staging_dir)
        origins = _stage_all(reader, matching.matched, staging, report)
        clear_earlier_import(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        if origins:
            data = load_case_data(staging, as_at=date.today(), config=reader.config)
            try:
                _account(data, origins, report)
                report.rows_written.update(_write(data, out_dir))
            finally:
                data.con.close()
    found = {m.table for m in matching.matched}
    report.missing_tables = [t for t in TABLES if t not in found]
    _write_config(out_dir, reader)


class _Origin:
    """Where each staged row came from: the source table's label and each row's number there."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.numbers = array("q")

    def source_row(self, staged_row: int | None) -> int | None:
        """The source row of a row of the staged CSV file (whose header is row 1)."""
        if staged_row is None or not 2 <= staged_row < len(self.numbers) + 2:
            return None
        return int(self.numbers[staged_row - 2])


def _stage_all(reader: SourceReader, matched: list[Matched], staging: Path, report: ImportReport) -> dict[str, _Origin]:
    """Plan every table's columns (dropping tables that lack a required column), then stream each one."""
    plans: dict[str, tuple[Matched, list[tuple[str, str]]]] = {
        m.table: (m, [(c, "VARCHAR") for c in reader.columns(m.source_name)]) for m in matched
    }
    maps: dict[str, ColumnMap] = {}
    unusable: dict[str, str] = {}
    while True:  # a dropped table can make another's derivation impossible, so repeat until stable
        present = set(plans) - set(unusable)
        changed = False
        for table, (match, columns) in plans.items():
            if table in unusable:
                continue
            try:
                maps[table] = map_columns(TABLES[table], columns, reader.where(match.source_name), present)
            except DataError as exc:
                unusable[table] = str(exc).rstrip(".")
                changed = True
        if not changed:
            break
    origins: dict[str, _Origin] = {}
    for table, (match, _) in plans.items():
        where = reader.where(match.source_name)
        if table in unusable:
            count = _count(reader, match)
            report.rows_read[where] += count
            report.rows_skipped[where] += count
            report.need(where, "its required columns", False, rows=count)
            report.problem(
                ImportProblem(where, None, None, None, None, f"{unusable[table]}; none of its {count:,} rows read")
            )
            continue
        origins[table] = _stage(reader, match, maps[table], staging / f"{table}.csv", report)
    return origins


def _stage(reader: SourceReader, match: Matched, columns: ColumnMap, path: Path, report: ImportReport) -> _Origin:
    """Stream one table into ``path`` as text under contract column names, in chunks."""
    spec = TABLES[match.table]
    where = reader.where(match.source_name)
    origin = _Origin(where)
    targets = [c.name for c in spec.columns if c.name in columns.source_of]
    sources = [columns.source_of[c] for c in targets]
    order_by = columns.source_of.get(spec.primary_key) if spec.primary_key else None
    for source_name, target in columns.renamed.items():
        report.problem(_table_note(reader, match.source_name, f"column {source_name} read as {target}"))
    if columns.unknown:
        report.problem(
            _table_note(
                reader, match.source_name, f"columns not in the contract, not read: {', '.join(columns.unknown)}"
            )
        )

    def bad(row: int, reason: str) -> None:
        report.rows_read[where] += 1
        report.rows_skipped[where] += 1
        report.problem(ImportProblem(where, None, row, None, None, f"row not read: {reason}"))

    def cleaned(number: int, values: Sequence[object]) -> list[str]:
        return [_cell(where, number, column, value, report) for column, value in zip(targets, values, strict=True)]

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(targets)
        for chunk in reader.chunks(match.source_name, sources, order_by, bad):
            writer.writerows(cleaned(number, values) for number, values in chunk)
            origin.numbers.extend(number for number, _ in chunk)
            report.rows_read[where] += len(chunk)
    return origin


def _cell(where: str, row: int, column: str, value: object, report: ImportReport) -> str:
    """A value in the contract's text form, as meant: an Excel error value (reported) is empty, and text keeps no
    non-breaking or repeated spaces (line breaks in free text are kept)."""
    if not isinstance(value, str):
        return as_text(value)
    if (error := excel_error(value)) is not None:
        report.problem(
            ImportProblem(where, None, row, column, value, f"Excel error value {error} read as empty", "warning")
        )
        return ""
    return tidy(value, keep_lines=True)


def _account(data: CaseData, origins: dict[str, _Origin], report: ImportReport) -> None:
    """Fold the loader's judgement into the report, with row numbers as the user's source counts them."""
    for table, summary in data.report.summaries.items():
        if summary.rows_rejected:
            report.rows_skipped[origins[table].label] += summary.rows_rejected
    issues = data.report.issues.to_pylist()
    for issue in issues:
        table = str(issue["table"])
        origin = origins.get(table)
        value = issue["value"]
        if origin is not None and value is not None and issue["code"] == "duplicate_key":
            value = _renumber_first(value, origin)
        report.problem(
            ImportProblem(
                origin.label if origin is not None else table,
                None,
                origin.source_row(issue["row"]) if origin is not None else None,
                issue["column"],
                value,
                str(issue["reason"]),
                _SEVERITY.get(str(issue["severity"]), "warning"),
            )
        )


def _renumber_first(value: str, origin: _Origin) -> str:
    """A duplicate key's "(first at row N)" counted in source rows, like the problem's own row."""
    return _FIRST_AT.sub(lambda m: f"(first at row {origin.source_row(int(m.group(1)))})", value)


def _write(data: CaseData, out_dir: Path) -> dict[str, int]:
    """Each loaded table as ``<table>.csv``: contract columns in order, ISO dates, Y/N flags."""
    written: dict[str, int] = {}
    for table, count in data.tables.items():
        spec = TABLES[table]
        columns = ", ".join(
            f"CASE WHEN {ident(c.name)} THEN 'Y' WHEN NOT {ident(c.name)} THEN 'N' END AS {ident(c.name)}"
            if c.type == "bool"
            else ident(c.name)
            for c in spec.columns
        )
        target = literal(str(out_dir / f"{table}.csv"))
        data.con.execute(f"COPY (SELECT {columns} FROM {ident(table)}) TO {target} (HEADER, DELIMITER ',')")
        written[table] = count
    return written


def _count(reader: SourceReader, match: Matched) -> int:
    columns = reader.columns(match.source_name)[:1]

    def ignore(row: int, reason: str) -> None:
        return None

    return sum(len(chunk) for chunk in reader.chunks(match.source_name, columns, None, ignore))


def _table_note(reader: SourceReader, name: str, reason: str) -> ImportProblem:
    return ImportProblem(reader.where(name), None, None, None, None, reason, "note")


def _write_config(out_dir: Path, reader: SourceReader) -> None:
    """Carry the source's casewatch.yaml over, or write an empty one so no stale settings (snapshots) apply."""
    text = reader.config_text or (
        f"{WRITTEN_SETTINGS_MARK} ssd': the defaults apply. Add allocated_worker_roles, seen_values or\n"
        "# csv_encoding here if this council's SSD needs them (see docs/data-contract.md).\n"
    )
    (out_dir / "casewatch.yaml").write_text(text, encoding="utf-8")
