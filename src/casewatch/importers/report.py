"""Row accounting for imports: every input row is either written to an SSD-shaped table or reported.

Spreadsheet problems are located by sheet, Excel row number and column letter; XML problems by element path
and line. The report renders in the terminal and saves as CSV so an analyst can work through it.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ImportProblem:
    """One problem with one input row: where it is and what is wrong."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    reason: str
    # "error": the row (or value) was not imported; "warning": imported, but look; "note": for information
    severity: str = "error"


@dataclass
class ImportReport:
    """What an import read, wrote and could not use."""

    format: str
    source: str
    out_dir: Path
    rows_read: Counter[str] = field(default_factory=Counter)  # per input list/file/element kind
    rows_written: Counter[str] = field(default_factory=Counter)  # per output table
    rows_skipped: Counter[str] = field(default_factory=Counter)  # per input list, with a problem saying why
    problems: list[ImportProblem] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)  # what the imported data can support
    cannot_support: list[str] = field(default_factory=list)  # and what it cannot, with the reason
    missing_tables: list[str] = field(default_factory=list)  # contract tables the source does not have

    def problem(self, problem: ImportProblem) -> None:
        self.problems.append(problem)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    def to_csv(self, path: Path) -> Path:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "sheet", "row", "column", "value", "reason", "severity"])
            for p in self.problems:
                writer.writerow(
                    [p.file, p.sheet or "", p.row or "", p.column or "", p.value or "", p.reason, p.severity]
                )
        return path
