"""The profile as a workbook, one sheet per section, for analysts who filter and sort rather than read a page.

Every text cell goes through the formula-injection guard (:func:`casewatch.data.spreadsheet.safe_text`): codes
and ids come from the council's own system and may start with ``=`` or ``@``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from casewatch.data.spreadsheet import safe_text

from .model import Profile

#: The sheets, in order; a test checks each is there.
SHEETS = ("About", "Tables", "Date ranges", "Rows per month", "Window", "Empty values", "Codes", "Keys", "Standards")


def write_xlsx(profile: Profile, path: Path) -> None:
    """Write the workbook (write-only mode: a large council's profile stays small in memory)."""
    book = Workbook(write_only=True)
    _sheet(
        book,
        "About",
        ("item", "value"),
        [
            ("source", profile.source),
            ("as_at", profile.as_at.isoformat()),
            ("pack", profile.pack or ""),
            ("evaluated", "yes" if profile.evaluated else "no"),
            ("history window", profile.window.statement),
            *(("to set", s) for s in profile.settings),
            *(("table not given", t) for t in profile.missing_tables),
        ],
    )
    _sheet(
        book,
        "Tables",
        ("table", "file", "rows read", "rows loaded", "rows rejected"),
        [(t.table, t.file, t.rows_read, t.rows_loaded, t.rows_rejected) for t in profile.tables],
    )
    _sheet(
        book,
        "Date ranges",
        ("table", "column", "first", "last", "rows with a date"),
        [(t.table, r.column, r.first, r.last, r.dated_rows) for t in profile.tables for r in t.date_ranges],
    )
    charted = [t for t in profile.tables if t.month_column is not None]
    _sheet(
        book,
        "Rows per month",
        ("table", "column", "earlier", *(m.strftime("%Y-%m") for m in profile.chart_months), "later"),
        [
            (t.table, t.month_column, t.earlier, *(t.months.get(m, 0) for m in profile.chart_months), t.later)
            for t in charted
        ],
    )
    window = profile.window
    _sheet(
        book,
        "Window",
        ("item", "value"),
        [
            ("statement", window.statement),
            ("from", window.start),
            ("how", window.how),
            ("advice", window.advice),
            *(("casewatch.yaml", line) for line in window.yaml_lines),
        ],
    )
    _sheet(
        book,
        "Empty values",
        ("table", "column", "empty share", "empty rows", "rows", "read by"),
        [(c.table, c.column, c.share, c.nulls, c.rows, ", ".join(c.standards)) for c in profile.nulls],
    )
    codes: list[Sequence[Any]] = []
    for column in profile.codes.columns:
        if not column.present:
            codes.append((column.table, column.column, "in the data", None, None, "not in the data"))
            continue
        missing = set(column.missing)
        for value in column.expected:
            codes.append(
                (column.table, column.column, "expected", value, None, "never seen" if value in missing else "seen")
            )
        for value, n in column.seen:
            finding = "expected" if column.matches(value) else "unmatched"
            codes.append((column.table, column.column, "in the data", value, n, finding))
    _sheet(book, "Codes", ("table", "column", "side", "value", "rows", "finding"), codes)
    _sheet(
        book,
        "Keys",
        ("table", "column", "check", "refers to", "checked", "found", "of rows", "examples"),
        [
            (
                k.table,
                k.column,
                k.kind,
                k.refers_to,
                "yes" if k.checked else "no",
                k.count,
                k.rows,
                ", ".join(k.examples),
            )
            for k in profile.keys
        ],
    )
    _sheet(
        book,
        "Standards",
        ("standard", "title", "readiness", "why", "window from", "instances", "figure"),
        [
            (s.id, s.title, s.readiness, "; ".join(s.why), s.window_from, s.instances, s.figure)
            for s in profile.standards
        ],
    )
    book.save(path)


def _sheet(book: Workbook, title: str, headings: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append([_bold(sheet, h) for h in headings])
    for row in rows:
        sheet.append([safe_text(v) for v in row])


def _bold(sheet: Any, text: str) -> Any:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(bold=True)
    return cell


__all__ = ["SHEETS", "write_xlsx"]
