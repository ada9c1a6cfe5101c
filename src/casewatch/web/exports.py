"""Downloads of any on-screen table as CSV or an Excel workbook (the route records each one in the audit log).

When the app is configured with a protective marking, it is the first row of every download, above the column
labels: a downloaded file leaves the app's pages, and the marking must go with it.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from starlette.responses import Response

from casewatch.data.spreadsheet import safe_text
from casewatch.web.tables import DataTable

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(value: Any) -> Any:
    return "" if value is None else value


def to_csv(table: DataTable, marking: str = "") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    if marking:
        writer.writerow([safe_text(marking)])
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow([safe_text(_cell(row.get(c.key))) for c in table.columns])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(table: DataTable, marking: str = "") -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=table.name[:31])
    if marking:
        sheet.append([safe_text(marking)])
    sheet.append([c.label for c in table.columns])
    for row in table.rows:
        sheet.append([safe_text(_cell(row.get(c.key))) for c in table.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(table: DataTable, fmt: str, as_at: date | None, marking: str = "") -> Response:
    body = to_csv(table, marking) if fmt == "csv" else to_xlsx(table, marking)
    stamp = as_at.isoformat() if as_at else date.today().isoformat()
    filename = f"casewatch-{table.name}-{stamp}.{fmt}"
    return Response(
        body, media_type=FORMATS[fmt], headers={"content-disposition": f'attachment; filename="{filename}"'}
    )
