"""The SSD-shaped tables an import builds up, keyed by primary key, and their CSV files.

Rows arrive from several lists that can describe the same thing (a referral on List 3 and its episode of need
on List 6; one child on many lists), so :meth:`Tables.add` either merges a row into the one already held under
its key (filling gaps, reporting disagreements) or, for per-event lists, gives a repeated key a ``-2``, ``-3``
suffix so two contacts on one day stay two rows. Files carry exactly the contract's columns, in contract order.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from casewatch.data.contract import TABLES
from casewatch.importers.csv_tables import cell, write_table

from .values import Value

Row = dict[str, Value]
Warn = Callable[[str, str, Value], None]  # (column, reason, value) -> a problem at the current input row


class Tables:
    """Output rows per contract table, in first-seen order."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Row]] = {}
        self.origin: dict[tuple[str, str], str] = {}  # (table, key) -> where the row first came from

    def add(self, table: str, row: Row, where: str, warn: Warn, mode: Literal["unique", "merge"] = "merge") -> str:
        """Add ``row`` to ``table``; return the key it was stored under."""
        spec = TABLES[table]
        unknown = set(row) - set(spec.column_names)
        if unknown:
            raise KeyError(f"{table} has no columns {sorted(unknown)}")
        key_column = spec.primary_key or spec.columns[0].name
        key = str(row[key_column])
        held = self.rows.setdefault(table, {})
        if key in held and mode == "unique":
            n = 2
            while f"{key}-{n}" in held:
                n += 1
            key = f"{key}-{n}"
            row = {**row, key_column: key}
        if key not in held:
            held[key] = dict(row)
            self.origin[(table, key)] = where
            return key
        existing = held[key]
        for column, value in row.items():
            if value is None:
                continue
            if existing.get(column) is None:
                existing[column] = value
            elif existing[column] != value:
                warn(
                    column,
                    f"{table}.{column} disagrees with {cell(existing[column])} from {self.origin[(table, key)]}; "
                    "kept the earlier value",
                    value,
                )
        return key

    def get(self, table: str, key: str) -> Row | None:
        return self.rows.get(table, {}).get(key)

    def count(self, table: str) -> int:
        return len(self.rows.get(table, {}))

    def write(self, out_dir: Path) -> dict[str, int]:
        """Write one ``<table>.csv`` per table that has rows; return rows written per table."""
        out_dir.mkdir(parents=True, exist_ok=True)
        written: dict[str, int] = {}
        for table, rows in self.rows.items():
            if not rows:
                continue
            written[table] = write_table(out_dir, table, rows.values())
        return written
