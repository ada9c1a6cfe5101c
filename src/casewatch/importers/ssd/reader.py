"""What every SSD source offers the importer: its tables, their columns, and their rows in chunks.

A source is a database schema (through SQLAlchemy, or DuckDB directly) or a folder of CSV/Parquet extracts.
Rows arrive in chunks so a table of millions of rows never sits in Python memory at once; each row carries the
number a user can find it by (its line in a CSV file, else its position in the order read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from casewatch.data.config import DataConfig

#: Rows per chunk: large enough to keep round trips few, small enough to keep memory flat.
CHUNK_ROWS = 5000

Row = tuple[int, Sequence[object]]  # (row number shown to the user, values in the requested column order)
BadRow = Callable[[int, str], None]  # (row number, reason): a row the source could not deliver


class SourceReader(Protocol):
    label: str  # the source as reports show it (never with a password)
    config: DataConfig  # the council's settings travelling with the source (defaults for a database)
    config_text: str | None  # the casewatch.yaml text to carry over to the output, if the source had one
    row_numbers: str  # how problems' row numbers count, for the report
    ignored: list[str]  # files passed over (the same table given twice)

    def table_names(self) -> list[str]: ...

    def where(self, name: str) -> str:
        """How problems name a source table: ``schema.table`` or the file name."""
        ...

    def columns(self, name: str) -> list[str]: ...

    def chunks(
        self, name: str, columns: list[str], order_by: str | None, bad: BadRow, size: int = CHUNK_ROWS
    ) -> Iterator[list[Row]]: ...

    def close(self) -> None: ...


def first_line(error: object) -> str:
    """The first line of an error's message (a database driver's own error when SQLAlchemy wraps one).

    Driver messages run to several lines of context and SQL; a user's one-sentence error needs only the first.
    """
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
