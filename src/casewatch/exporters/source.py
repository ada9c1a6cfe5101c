"""Reading the case data an export is made from, through the same loader ``casewatch evaluate`` uses.

Going through :func:`casewatch.data.load.load_case_data` means an export accepts exactly what evaluation
accepts (a folder of CSV/Parquet SSD tables or a ``.duckdb`` file) and sees the same cleaned values: sentinel
dates and placeholders already empty, ``Yes``/``1`` flags already booleans, rejected rows already left out and
reported. A return built from raw text would disagree with the compliance figures built from the same extract.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from casewatch.data.load import CaseData, load_case_data
from casewatch.data.vocabulary import as_text

#: A row in the contract's text form: ISO dates, ``Y``/``N`` flags, ``""`` for unknown.
TextRow = dict[str, str]


#: What a writer reads: a path to load, or case data already loaded (so one load can serve a check and a write).
Source = Path | CaseData


@contextmanager
def case_data(source: Source, as_at: date) -> Iterator[CaseData]:
    """The case data to export; data loaded here is closed (and its working files removed) when the export is done."""
    if isinstance(source, CaseData):
        yield source
        return
    data = load_case_data(Path(source), as_at=as_at)
    try:
        yield data
    finally:
        data.close()


def records(data: CaseData, table: str) -> list[dict[str, Any]]:
    """Every loaded row of ``table`` with typed values; no rows when the source has no such table."""
    if not data.has(table):
        return []
    cursor = data.con.execute(f'SELECT * FROM "{table}"')
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def text_records(data: CaseData, table: str) -> list[TextRow]:
    """Every loaded row of ``table`` in the contract's text form.

    The census and 903 writers compare and slice dates as ISO text, the way the contract's CSV files hold them;
    rendering the typed values back to that one spelling lets them read any source without a second code path.
    """
    return [{name: as_text(value).strip() for name, value in row.items()} for row in records(data, table)]
