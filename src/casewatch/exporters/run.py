"""``export(...)``: one call per return, with the checks that turn a user's mistake into one sentence.

The command line stays a thin layer over this (parse options, print the result), so a notebook and the
command produce the same file from the same options and refuse the same mistakes.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Literal, TypeVar

from openpyxl import load_workbook

from casewatch.data.load import CaseData
from casewatch.errors import CasewatchError
from casewatch.formats.ssda903 import KINDS

from .annex_a import write_annex_a
from .cin_census import write_cin_census
from .source import case_data
from .ssda903 import WRITTEN_KINDS, write_ssda903
from .years import collection_year_end

Return = Literal["annex-a", "cin-census", "ssda903"]
RETURNS: tuple[Return, ...] = ("annex-a", "cin-census", "ssda903")
_T = TypeVar("_T")


class ExportError(CasewatchError):
    """An export cannot be made as asked (a wrong date, an output path of the wrong kind)."""


@dataclass(frozen=True)
class ExportResult:
    """What was written, so the user can see at once whether the return holds what they expected."""

    kind: Return
    out: Path
    #: the period the return covers, in words ("as at 2026-10-30", "the year 1 April 2025 to 31 March 2026")
    covers: str
    #: rows (or, for the census, children and records) written per sheet, file or SSD table
    counts: Mapping[str, int]
    #: rows of the source the loader could not use, per SSD table: they are not in the return either
    rejected: Mapping[str, int] = field(default_factory=dict)


def export(
    kind: str,
    data: Path,
    out: Path,
    as_at: date,
    *,
    year_end: date | None = None,
    la_code: str = "999",
) -> ExportResult:
    """Write the return ``kind`` from the case data at ``data`` to ``out``.

    Annex A is a snapshot as at the end of ``as_at``. The CIN census and the SSDA903 cover a collection year
    (1 April to 31 March): ``year_end`` when given, else the latest year ended by ``as_at``
    (:func:`collection_year_end`); a year not yet over by ``as_at`` is refused, because its return would
    silently miss the rest of the year. ``la_code`` is the authority's three-digit code for the census header.
    """
    if kind not in RETURNS:
        raise ExportError(f"unknown return '{kind}'; casewatch can export: {', '.join(RETURNS)}")
    _check(kind, out, as_at, year_end, la_code)
    with case_data(Path(data), as_at) as loaded:
        result = _write(kind, loaded, out, as_at, year_end, la_code)
        rejected = {
            table: summary.rows_rejected
            for table, summary in loaded.report.summaries.items()
            if summary.rows_rejected and table.startswith("ssd_")  # no return reads an ext_* table
        }
    return replace(result, rejected=rejected)


def _check(kind: str, out: Path, as_at: date, year_end: date | None, la_code: str) -> None:
    """Refuse a wrong option before the data is loaded, so a mistake costs no waiting."""
    if kind == "annex-a":
        if year_end is not None:
            raise ExportError("--year-end applies to the CIN census and the SSDA903; Annex A is as at --as-at")
        _suffix(out, ".xlsx", "an Annex A workbook")
        return
    end = year_end or collection_year_end(as_at)
    if (end.month, end.day) != (3, 31):
        raise ExportError(f"a collection year ends on 31 March, not {end.isoformat()}")
    if end > as_at:
        raise ExportError(
            f"the year ending {end.isoformat()} is not over as at {as_at.isoformat()}; "
            f"give an --as-at on or after it, or --year-end {collection_year_end(as_at).isoformat()}"
        )
    if kind == "cin-census":
        if not (la_code.isdigit() and len(la_code) == 3):
            raise ExportError(f"--la-code is the authority's three-digit DfE code (e.g. 831), not '{la_code}'")
        _suffix(out, ".xml", "a CIN census")
    elif out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file; the SSDA903 is a set of CSV files, so --out names a folder")


def _write(kind: str, data: CaseData, out: Path, as_at: date, year_end: date | None, la_code: str) -> ExportResult:
    if kind == "annex-a":
        _writable(lambda: write_annex_a(data, out, as_at), out)
        return ExportResult("annex-a", out, f"as at {as_at.isoformat()}", _sheet_rows(out))
    end = year_end or collection_year_end(as_at)
    covers = f"the year 1 April {end.year - 1} to 31 March {end.year}"
    if kind == "cin-census":
        summary = _writable(lambda: write_cin_census(data, out, end, lea=la_code), out)
        counts = {"children": summary.children} | {f"records from {t}": n for t, n in summary.written.items()}
        return ExportResult("cin-census", out, covers, counts)
    for name in WRITTEN_KINDS:  # an earlier export's file that this one does not write must not linger
        (out / f"{name}.csv").unlink(missing_ok=True)
    _writable(lambda: write_ssda903(data, out, end), out)
    return ExportResult("ssda903", out, covers, _file_rows(out))


def _suffix(out: Path, suffix: str, what: str) -> None:
    if out.suffix.lower() != suffix:
        raise ExportError(f"{out} does not end in {suffix}; {what} is written as a {suffix} file")
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give the {suffix} file to write")


def _writable(write: Callable[[], _T], out: Path) -> _T:
    """Run a writer, turning a refusal by the file system into one sentence naming the output."""
    try:
        return write()
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from exc


def _sheet_rows(path: Path) -> dict[str, int]:
    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: max(sheet.max_row - 2, 0) for sheet in book.worksheets}  # title row + headings
    finally:
        book.close()


def _file_rows(folder: Path) -> dict[str, int]:
    counts = {}
    for name in KINDS:
        path = folder / f"{name}.csv"
        if path.is_file():
            with path.open(newline="", encoding="utf-8") as handle:
                counts[name] = sum(1 for _ in csv.reader(handle)) - 1
    return counts
