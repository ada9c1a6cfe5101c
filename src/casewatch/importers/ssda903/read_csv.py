"""Finding and reading the 903 CSV files in a folder.

Councils name the files differently ("Episodes.csv", "SSDA903_2025_episodes.csv", "placed_for_adoption.csv",
"PlacedAdoption.csv"), so a file is recognised by its columns first and by its name second; a file whose name
claims a 903 file but whose columns do not fit is an error, because importing it as that file would be wrong.
Several files of one kind (one per collection year, say) are all read; the mapping combines them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from casewatch.data.vocabulary import fold, tidy
from casewatch.errors import DataError
from casewatch.formats.ssda903 import COLUMN_ALIASES, FILE_KINDS, KINDS, FileKind
from casewatch.importers.report import ImportProblem, ImportReport

from .records import InputRow, ReadResult

_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def normalise_column(name: str) -> str:
    """A heading as the 903 spells it: no BOM or surrounding space (of any kind), upper case, spaces and hyphens
    as underscores (``Place Provider``, ``place-provider`` and ``PLACE_PROVIDER`` are one column)."""
    cleaned = fold(name).replace(" ", "_").replace("-", "_")
    return COLUMN_ALIASES.get(cleaned, cleaned)


def kind_by_name(path: Path) -> FileKind | None:
    stem = _NOT_ALNUM.sub("", path.stem.lower())
    candidates = [(alias, kind) for kind in FILE_KINDS for alias in kind.names if alias in stem]
    if not candidates:
        return None
    return max(candidates, key=lambda pair: len(pair[0]))[1]


def kind_by_columns(columns: set[str]) -> FileKind | None:
    matches = [kind for kind in FILE_KINDS if kind.signature <= columns]
    if not matches:
        return None
    return max(matches, key=lambda kind: len(kind.signature & columns) + len(set(kind.columns) & columns) / 100)


def decode(path: Path, report: ImportReport) -> str:
    """The file's text: UTF-8 (with or without a BOM), else Windows-1252 with a warning; binary is an error."""
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise DataError(f"{path.name} is not a CSV file: it holds binary data (is it a spreadsheet or a zip?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.problem(
            ImportProblem(path.name, None, None, None, None, "not UTF-8; read as Windows-1252", severity="warning")
        )
        return data.decode("cp1252", errors="replace")


def read_csv_file(path: Path, report: ImportReport, *, claimed: bool) -> ReadResult | None:
    """The rows of one CSV file, or None when it is not a 903 file and nothing about it claims to be."""
    numbered = _numbered(decode(path, report))
    header: list[str] | None = None
    header_line = 0
    for line, cells in numbered:
        if any(tidy(cell) for cell in cells):
            header = [normalise_column(cell) for cell in cells]
            header_line = line
            break
    by_name = kind_by_name(path)
    kind = kind_by_columns(set(header or ()))
    if kind is None:
        if by_name is not None or claimed:
            found = ", ".join(h for h in (header or []) if h) or "no columns"
            expected = ", ".join(sorted((by_name or KINDS["episodes"]).signature))
            raise DataError(
                f"{path.name} does not look like an SSDA903 {by_name.name if by_name else ''} file: it has {found}, "
                f"not the columns {expected}".replace("  ", " ")
            )
        return None
    if by_name is not None and by_name is not kind:
        report.problem(
            ImportProblem(
                path.name,
                None,
                header_line,
                None,
                None,
                f"named like the {by_name.name} file but has the columns of the {kind.name} file; read as {kind.name}",
                severity="warning",
            )
        )
    assert header is not None
    return ReadResult(list(_rows(path.name, kind, header, header_line, numbered, report)), {kind.name})


def _numbered(text: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the file line each ends on (a quoted value may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    for cells in reader:
        yield reader.line_num, cells


def _rows(
    file: str,
    kind: FileKind,
    header: list[str],
    header_line: int,
    numbered: Iterator[tuple[int, list[str]]],
    report: ImportReport,
) -> Iterator[InputRow]:
    unknown = [h for h in header if h and h not in kind.columns]
    if unknown:
        report.problem(
            ImportProblem(
                file,
                None,
                header_line,
                ", ".join(unknown),
                None,
                "columns not in the 903 specification; not read",
                "warning",
            )
        )
    for line, cells in numbered:
        if not any(tidy(cell) for cell in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            report.problem(
                ImportProblem(
                    file,
                    None,
                    line,
                    None,
                    ",".join(cells[len(header) :]),
                    "more values than columns; the extra values were not read",
                    "warning",
                )
            )
        values = {name: cell for name, cell in zip(header, cells, strict=False) if name}
        report.rows_read[file] += 1
        yield InputRow(kind.name, file, line, values, input_name=file)


def read_folder(folder: Path, report: ImportReport) -> ReadResult:
    """Every row of every 903 CSV file in ``folder`` (not its subfolders); DataError when there are none."""
    result = ReadResult([], set())
    for path in sorted(folder.iterdir(), key=lambda p: p.name.lower()):
        if not path.is_file() or path.name.startswith("."):
            continue
        if path.suffix.lower() not in {".csv", ".txt"}:
            report.problem(ImportProblem(path.name, None, None, None, None, "not a CSV file; ignored", "warning"))
            continue
        file_rows = read_csv_file(path, report, claimed=False)
        if file_rows is None:
            report.problem(
                ImportProblem(path.name, None, None, None, None, "not one of the SSDA903 files; ignored", "warning")
            )
            continue
        result.rows.extend(file_rows.rows)
        result.kinds |= file_rows.kinds
    if not result.kinds:
        raise DataError(
            f"{folder} holds no SSDA903 CSV file (header, episodes, reviews, missing, ... with the DfE's columns)."
        )
    return result
