"""Writing results where analysts want them: CSV, Parquet, or an Excel workbook with summary sheets.

Every file holds every instance, with an ``in_period`` column marking those the figures count; the workbook's
summary sheets are for one reporting period (compliance now unless another is asked for), named on every row.

Text bound for a spreadsheet (CSV and the workbook) is made safe from formula injection; Parquet keeps it as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from casewatch.data.spreadsheet import safe_table
from casewatch.errors import CasewatchError
from casewatch.results import Period, Results, compliance_summary, results_period, with_in_period

EXCEL_MAX_ROWS = 1_048_575  # a worksheet's rows, less the heading
FORMATS = (".csv", ".parquet", ".xlsx")


def write_results(results: Results, path: Path, period: str | Period | None = None) -> Path:
    """Write the instances (CSV, Parquet) or a workbook of summaries, instances and gaps (xlsx), by extension.

    ``period`` is the reporting period of the summaries and of the ``in_period`` column (compliance now by default).
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise CasewatchError(
            f"{path}: cannot write results as '{suffix or 'no extension'}'; use .csv, .parquet or .xlsx"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    chosen = results_period(results, period)
    instances = with_in_period(results, chosen)
    if suffix == ".csv":
        pacsv.write_csv(safe_table(instances), path)
    elif suffix == ".parquet":
        pq.write_table(instances, path)
    else:
        if results.instances.num_rows > EXCEL_MAX_ROWS:
            raise CasewatchError(
                f"{path}: {results.instances.num_rows:,} instances do not fit on one Excel sheet "
                f"({EXCEL_MAX_ROWS:,} rows); write .parquet or .csv, or evaluate fewer standards"
            )
        _write_workbook(results, instances, chosen, path)
    return path


def write_tables(path: Path, sheets: Sequence[tuple[str, pa.Table]]) -> Path:
    """Named tables as a workbook with one sheet each (.xlsx), or the first table alone as CSV (.csv).

    For outputs other than results (an audit sample and the rule that drew it): the same formula-safe text and
    sheet layout as the results workbook.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CasewatchError(f"{path}: cannot write '{suffix or 'no extension'}'; use .csv or .xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        pacsv.write_csv(safe_table(sheets[0][1]), path)
        return path
    book = Workbook(write_only=True)
    for title, table in sheets:
        _sheet(book, title, table)
    book.save(path)
    return path


def _write_workbook(results: Results, instances: pa.Table, period: Period, path: Path) -> None:
    book = Workbook(write_only=True)
    _sheet(book, "Summary", compliance_summary(results, period))
    _sheet(book, "By team", compliance_summary(results, period, "team"))
    _sheet(book, "By worker", compliance_summary(results, period, "worker"))
    _sheet(book, "Instances", instances)
    gaps = pa.table(
        {
            "standard_id": list(results.not_evaluated),
            "reason": list(results.not_evaluated.values()),
        }
    )
    _sheet(book, "Not evaluated", gaps)
    about = [("as_at", str(results.as_at or "")), *(("data", note) for note in results.data_notes())]
    _sheet(book, "About", pa.table({"item": [a for a, _ in about], "text": [t for _, t in about]}))
    book.save(path)


def _sheet(book: Workbook, title: str, table: pa.Table) -> None:
    sheet = book.create_sheet(title)
    table = safe_table(table)
    bold = Font(bold=True)
    widths = [max(10, min(60, len(name) + 2)) for name in table.column_names]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    from openpyxl.cell import WriteOnlyCell

    heading = []
    for name in table.column_names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for batch in table.to_batches(max_chunksize=10_000):
        columns = [col.to_pylist() for col in batch.columns]
        for row in zip(*columns, strict=True):
            sheet.append(list(row))
