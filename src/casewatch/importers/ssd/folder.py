"""Reading a folder of SSD extracts: one CSV or Parquet file per table, streamed.

CSV files are read with Python's csv module so every row keeps its line number in the file (what a user
opening it in a spreadsheet sees); Parquet files are read in record batches. A ``casewatch.yaml`` in the folder
travels with the data: its CSV encoding is used here and the file is carried over to the output.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pyarrow.parquet as pq

from casewatch.data.config import find_config_file, read_config
from casewatch.data.vocabulary import tidy
from casewatch.errors import DataError

from .reader import CHUNK_ROWS, BadRow, Row, first_line

_SUFFIXES = (".csv", ".parquet")


class FolderReader:
    """A folder holding one extract file per SSD table."""

    row_numbers = "line in the CSV file (1 = the header), or position in the Parquet file"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.label = str(folder)
        config_file = find_config_file(folder)
        self.config = read_config(config_file)
        self.config_text = config_file.read_text(encoding="utf-8") if config_file is not None else None
        self.encoding = "utf-8-sig" if self.config.csv_encoding == "utf-8" else self.config.csv_encoding
        self.files: dict[str, Path] = {}
        self.ignored: list[str] = []
        for entry in sorted(folder.iterdir(), key=lambda p: p.name.lower()):
            if entry.is_file() and entry.suffix.lower() in _SUFFIXES:
                if entry.stem in self.files:
                    self.ignored.append(entry.name)  # the same table as CSV and Parquet: the first one is read
                else:
                    self.files[entry.stem] = entry

    def table_names(self) -> list[str]:
        return list(self.files)

    def where(self, name: str) -> str:
        return self.files[name].name

    def columns(self, name: str) -> list[str]:
        path = self.files[name]
        if path.suffix.lower() == ".parquet":
            try:
                return list(pq.ParquetFile(path).schema_arrow.names)
            except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
                raise DataError(f"{path.name}: cannot be read as Parquet ({first_line(exc)}).") from exc
        with self._open(path) as handle:
            try:
                header = next(csv.reader(handle), [])
            except (UnicodeDecodeError, csv.Error) as exc:
                raise DataError(self._unreadable(path, 1, exc)) from exc
        # A heading as meant: "pers person id" or "pers_person_id\u00a0" is the column pers_person_id.
        return [tidy(h).replace(" ", "_") for h in header]

    def chunks(
        self, name: str, columns: list[str], order_by: str | None, bad: BadRow, size: int = CHUNK_ROWS
    ) -> Iterator[list[Row]]:
        path = self.files[name]
        if path.suffix.lower() == ".parquet":
            yield from _parquet_chunks(path, columns, size)
        else:
            yield from self._csv_chunks(path, columns, bad, size)

    def _csv_chunks(self, path: Path, columns: list[str], bad: BadRow, size: int) -> Iterator[list[Row]]:
        header = self.columns(path.stem)
        positions = [header.index(c) for c in columns]
        with self._open(path) as handle:
            reader = csv.reader(handle)
            rows: list[Row] = []
            line = 1
            try:
                next(reader, None)
                line = reader.line_num + 1
                for record in reader:
                    start, line = line, reader.line_num + 1
                    if not any(tidy(v) for v in record):
                        continue  # a blank line is not a row
                    if len(record) != len(header):
                        bad(start, f"has {len(record)} values but the header names {len(header)} columns")
                        continue
                    rows.append((start, tuple(record[p] for p in positions)))
                    if len(rows) >= size:
                        yield rows
                        rows = []
            except (UnicodeDecodeError, csv.Error) as exc:
                raise DataError(self._unreadable(path, line, exc)) from exc
            if rows:
                yield rows

    def _open(self, path: Path) -> TextIO:
        return path.open(newline="", encoding=self.encoding)

    def _unreadable(self, path: Path, line: int, exc: BaseException) -> str:
        if isinstance(exc, UnicodeDecodeError):
            return (
                f"{path.name}, line {line}: not {self.config.csv_encoding} text; set csv_encoding in casewatch.yaml "
                "(utf-8, latin-1 or utf-16)."
            )
        return f"{path.name}, line {line}: cannot be read as CSV ({exc})."

    def close(self) -> None:
        return None


def _parquet_chunks(path: Path, columns: list[str], size: int) -> Iterator[list[Row]]:
    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=size, columns=columns):
        values = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        rows: list[Row] = []
        for record in zip(*values, strict=True):
            number += 1
            rows.append((number, record))
        yield rows
