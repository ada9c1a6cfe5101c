"""Writing SSD-shaped tables: one ``<table>.csv`` per table, with exactly the contract's columns in its order.

Shared by the importers so every format writes values the way the contract's loader reads them: ISO dates,
``Y``/``N`` flags, empty for unknown.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from casewatch.data.contract import TABLES


def cell(value: object) -> str:
    """One value as the loader reads it back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_table(out_dir: Path, table: str, rows: Iterable[Mapping[str, object]]) -> int:
    """Write ``rows`` as ``out_dir/<table>.csv``; keys not in the contract are an error (a mapping bug)."""
    columns = TABLES[table].column_names
    count = 0
    with (out_dir / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            extra = set(row) - set(columns)
            if extra:
                raise KeyError(f"{table} has no column(s) {', '.join(sorted(extra))}")
            writer.writerow([cell(row.get(name)) for name in columns])
            count += 1
    return count


#: First line of every casewatch.yaml an importer writes, so a later import knows the file is its to replace.
WRITTEN_SETTINGS_MARK = "# Written by 'casewatch import"


def clear_earlier_import(out_dir: Path) -> None:
    """Remove what an earlier import left in ``out_dir`` (every contract table, and its casewatch.yaml).

    Without this, importing a CIN census into a folder that held an Annex A import would mix the two, and the
    Annex A snapshot and window settings would wrongly apply to the census. A casewatch.yaml the user wrote
    (without the importers' first line) is left alone.
    """
    if not out_dir.is_dir():
        return
    for name in TABLES:
        (out_dir / f"{name}.csv").unlink(missing_ok=True)
    for settings in (out_dir / "casewatch.yaml", out_dir / "casewatch.yml"):
        if settings.is_file() and settings.read_text(encoding="utf-8", errors="replace").startswith(
            WRITTEN_SETTINGS_MARK
        ):
            settings.unlink()
