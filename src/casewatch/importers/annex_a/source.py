"""Opening an Annex A source: an Excel workbook, or a folder of per-list CSV files, as plain rows of cells.

Both shapes become :class:`Sheet` objects yielding ``(excel_row_number, cells)`` so the rest of the importer
never knows which it was given. Workbooks are read with openpyxl in read-only, cached-values mode: formulas
arrive as the value Excel last calculated (a formula never calculated arrives blank). A file that is not what
its name claims raises :class:`~casewatch.errors.DataError` naming it.

A formula Excel never calculated has no saved value, so a workbook holding formulas is read a second time for
their text (and a CSV cell starting ``=`` is one too): simple date arithmetic is worked out
(:mod:`.formulas`), and anything else arrives as a :class:`~.formulas.Formula` for the parser to report.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from casewatch.data.spreadsheet import open_workbook
from casewatch.errors import DataError

from .formulas import Formula, evaluate
from .values import Cell

RowCells = tuple[Cell, ...]
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_CSV_ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass(frozen=True)
class Sheet:
    """One sheet (or CSV file): where it came from, and a way to read its rows afresh."""

    file: str
    name: str
    read: Callable[[], Iterator[tuple[int, RowCells]]]


@dataclass
class Source:
    """An opened source; ``close`` releases the workbook file handle."""

    label: str
    sheets: list[Sheet]
    close: Callable[[], None]


def open_source(source: str | Path) -> Source:
    """Open ``source`` as a workbook or a CSV folder; DataError when it is neither."""
    path = Path(source)
    if not path.exists():
        raise DataError(f"{path} does not exist; give an Annex A workbook (.xlsx) or a folder of per-list CSV files.")
    if path.is_dir():
        return _open_folder(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _open_workbook(path)
    if path.suffix.lower() == ".csv":
        return Source(str(path), [_csv_sheet(path)], lambda: None)
    if path.suffix.lower() == ".xls":
        raise DataError(f"{path} is an old-style .xls workbook; open it in Excel and save it as .xlsx.")
    raise DataError(f"{path} is not an Annex A workbook (.xlsx) or a CSV file.")


def _open_workbook(path: Path) -> Source:
    book = open_workbook(path, read_only=True)
    formulas = open_workbook(path, read_only=True, data_only=False) if _has_formulas(path) else None

    def rows_of(name: str) -> Callable[[], Iterator[tuple[int, RowCells]]]:
        def read() -> Iterator[tuple[int, RowCells]]:
            values = book[name].iter_rows(min_row=1, values_only=True)
            if formulas is None:
                yield from enumerate((tuple(cells) for cells in values), start=1)
                return
            texts = formulas[name].iter_rows(min_row=1, values_only=True)
            rows = [
                (number, tuple(_uncached(value, text) for value, text in _pairs(cached, written)))
                for number, (cached, written) in enumerate(zip(values, texts, strict=False), start=1)
            ]
            yield from resolve_formulas(rows)

        return read

    def close() -> None:
        book.close()
        if formulas is not None:
            formulas.close()

    sheets = [Sheet(path.name, name, rows_of(name)) for name in book.sheetnames if book[name].sheet_state == "visible"]
    return Source(str(path), sheets, close)


_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet holds a formula: only then is the workbook read a second time for formula text."""
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        return any(_FORMULA_ELEMENT.search(archive.read(name)) for name in sheets)


def _pairs(cached: tuple[object, ...], written: tuple[object, ...]) -> Iterator[tuple[object, object]]:
    for index, value in enumerate(cached):
        yield value, written[index] if index < len(written) else None


def _uncached(value: object, text: object) -> object:
    """The saved value, or the formula's text when Excel saved none (so it is worked out or reported)."""
    if value is None and isinstance(text, str) and text.startswith("="):
        return Formula(text, 0, 0)
    return value


def resolve_formulas(rows: list[tuple[int, RowCells]]) -> Iterator[tuple[int, RowCells]]:
    """``rows`` with each simple date formula replaced by its value; the rest stay :class:`Formula` s.

    A formula may refer to another formula cell (``=B2+7`` where B2 is ``=DATE(...)``); each is worked out once,
    and a reference loop simply stays unresolved.
    """
    grid = {number: cells for number, cells in rows}
    done: dict[tuple[int, int], object] = {}
    busy: set[tuple[int, int]] = set()

    def lookup(row: int, column: int) -> object:
        cells = grid.get(row, ())
        cell = cells[column] if column < len(cells) else None
        if not isinstance(cell, Formula):
            return cell
        key = (row, column)
        if key not in done:
            if key in busy:
                return None
            busy.add(key)
            done[key] = evaluate(cell.text, lookup)
            busy.discard(key)
        return done[key]

    for number, cells in rows:
        if not any(isinstance(cell, Formula) for cell in cells):
            yield number, cells
            continue
        out: list[object] = []
        for column, cell in enumerate(cells):
            if isinstance(cell, Formula):
                value = lookup(number, column)
                out.append(Formula(cell.text, number, column) if value is None else value)
            else:
                out.append(cell)
        yield number, tuple(out)


def _open_folder(folder: Path) -> Source:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv")
    if not files:
        raise DataError(f"{folder} holds no .csv files; give one CSV file per Annex A list, or an .xlsx workbook.")
    return Source(str(folder), [_csv_sheet(p) for p in files], lambda: None)


def _csv_sheet(path: Path) -> Sheet:
    encoding = _encoding(path)

    def read() -> Iterator[tuple[int, RowCells]]:
        with path.open(newline="", encoding=encoding) as handle:
            rows: list[tuple[int, RowCells]] = [
                (number, tuple(Formula(c, 0, 0) if c.startswith("=") else c for c in cells))
                for number, cells in enumerate(csv.reader(handle), start=1)
            ]
        yield from resolve_formulas(rows)

    return Sheet(path.name, path.stem, read)


def _encoding(path: Path) -> str:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise DataError(f"{path} is not a text CSV file (it contains binary data).")
    for encoding in _CSV_ENCODINGS:
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise DataError(f"{path} is neither UTF-8 nor Windows-1252 text.")
