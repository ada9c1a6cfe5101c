"""Row accounting for imports: every input row is either written to an SSD-shaped table or reported.

Spreadsheet problems are located by sheet, Excel row number and column letter; XML problems by element path
and line. The report renders in the terminal and saves as CSV so an analyst can work through it.

Whether an import *failed* is decided here, once for every format: a council whose file loaded rows gets its
results and a list of located warnings; only a source that loaded nothing, or a column the importer cannot do
without that holds no usable value at all, fails (and ``strict`` makes any error fail, for councils that want
every problem fixed at source first).
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


def not_a_code(code_list: str) -> str:
    """The one sentence for free text in a coded column: it is kept, so a ``codes:`` mapping can pick it up."""
    return f"not a code of {code_list}; kept as written — map it with codes: in casewatch.yaml"


@dataclass
class _Use:
    """How many input rows had a needed column, and in how many its value could be used."""

    rows: int = 0
    usable: int = 0
    sheet: str | None = None


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
    # (file, sheet, column) -> use of a column the importer cannot do without (a row lacking it is not imported)
    needed: dict[tuple[str, str, str], _Use] = field(default_factory=dict)

    def problem(self, problem: ImportProblem) -> None:
        self.problems.append(problem)

    def need(self, file: str, column: str, usable: bool, rows: int = 1, sheet: str | None = None) -> None:
        """Count ``rows`` input rows of ``file`` whose needed ``column`` was (or was not) usable."""
        use = self.needed.setdefault((file, sheet or "", column), _Use(sheet=sheet))
        use.rows += rows
        use.usable += rows if usable else 0

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")

    def unusable_columns(self) -> list[str]:
        """One sentence per needed column with rows but not one usable value: nothing that needs it can be judged."""
        return [
            f"{file}{f' ({use.sheet})' if use.sheet else ''}: '{column}' has no usable value in any of its "
            f"{use.rows:,} rows, so none of them was imported"
            for (file, _, column), use in self.needed.items()
            if use.rows and not use.usable
        ]

    def failures(self, *, strict: bool = False) -> list[str]:
        """Why this import failed (empty when it did not): what a scheduled job must notice.

        Rows loaded with problems is a success with a warning list; a needed column wholly unusable, or a
        source with rows of which none loaded, is a failure; ``strict`` also fails on any ``error`` problem.
        """
        reasons = self.unusable_columns()
        read = sum(self.rows_read.values())
        if read and not sum(self.rows_written.values()):
            reasons.append(f"none of the {read:,} rows read could be imported")
        if strict and self.errors:
            reasons.append(f"{self.errors:,} problems of severity error, and --strict fails on any")
        return reasons

    def to_csv(self, path: Path) -> Path:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "sheet", "row", "column", "value", "reason", "severity"])
            for p in self.problems:
                writer.writerow(
                    [p.file, p.sheet or "", p.row or "", p.column or "", p.value or "", p.reason, p.severity]
                )
        return path
