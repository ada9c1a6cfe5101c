"""The SSD-shaped CSVs an import writes: every contract column, in contract order, all-or-nothing.

Rows go to ``<table>.csv.partial`` files as children are read, and are renamed into place only when the whole
census has been read; a file that turns out to be broken half-way leaves the output folder as it was.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from types import TracebackType
from typing import IO

from casewatch.data.contract import TABLES
from casewatch.importers.csv_tables import clear_earlier_import

#: The tables a CIN census can fill; each is written (with its header) even when it gets no rows.
CIN_TABLES: tuple[str, ...] = (
    "ssd_person",
    "ssd_disability",
    "ssd_cin_episodes",
    "ssd_cin_assessments",
    "ssd_assessment_factors",
    "ssd_cin_plans",
    "ssd_s47_enquiry",
    "ssd_initial_cp_conference",
    "ssd_cp_plans",
    "ssd_cp_reviews",
)


class TableFiles:
    """One CSV writer per table; ``commit`` publishes them, leaving the context without it discards them."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.written: Counter[str] = Counter()
        self._handles: dict[str, IO[str]] = {}
        self._writers: dict[str, csv.DictWriter[str]] = {}
        self._committed = False

    def __enter__(self) -> TableFiles:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for table in CIN_TABLES:
            handle = self._partial(table).open("w", newline="", encoding="utf-8")
            writer = csv.DictWriter(handle, fieldnames=TABLES[table].column_names, restval="", extrasaction="raise")
            writer.writeheader()
            self._handles[table] = handle
            self._writers[table] = writer
        return self

    def write(self, table: str, row: dict[str, str]) -> None:
        self._writers[table].writerow(row)
        self.written[table] += 1

    def commit(self) -> None:
        for handle in self._handles.values():
            handle.close()
        clear_earlier_import(self.out_dir)
        for table in CIN_TABLES:
            self._partial(table).replace(self.out_dir / f"{table}.csv")
        self._committed = True

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for handle in self._handles.values():
            handle.close()
        if not self._committed:
            for table in CIN_TABLES:
                self._partial(table).unlink(missing_ok=True)

    def _partial(self, table: str) -> Path:
        return self.out_dir / f"{table}.csv.partial"
