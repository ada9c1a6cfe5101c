"""Opening an Annex A source: an Excel workbook, or a folder of per-list CSV files, as plain rows of cells.

Both shapes become :class:`Sheet` objects yielding ``(excel_row_number, cells)`` so the rest of the importer
never knows which it was given. Workbooks are read with openpyxl in read-only, cached-values mode: formulas
arrive as the value Excel last calculated (a formula never calculated arrives blank). A file that is not what
its name claims raises :class:`~casewatch.errors.DataError` naming it.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from casewatch.errors import DataError

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
    if not zipfile.is_zipfile(path):
        raise DataError(f"{path} is not an Excel workbook (it is not an .xlsx file inside, perhaps a renamed CSV).")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataError(f"{path} is not a readable Excel workbook ({exc}).") from None

    def rows_of(name: str) -> Callable[[], Iterator[tuple[int, RowCells]]]:
        def read() -> Iterator[tuple[int, RowCells]]:
            sheet = book[name]
            for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                yield number, tuple(cells)

        return read

    sheets = [Sheet(path.name, name, rows_of(name)) for name in book.sheetnames if book[name].sheet_state == "visible"]
    return Source(str(path), sheets, book.close)


def _open_folder(folder: Path) -> Source:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv")
    if not files:
        raise DataError(f"{folder} holds no .csv files; give one CSV file per Annex A list, or an .xlsx workbook.")
    return Source(str(folder), [_csv_sheet(p) for p in files], lambda: None)


def _csv_sheet(path: Path) -> Sheet:
    encoding = _encoding(path)

    def read() -> Iterator[tuple[int, RowCells]]:
        with path.open(newline="", encoding=encoding) as handle:
            for number, cells in enumerate(csv.reader(handle), start=1):
                yield number, tuple(cells)

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
