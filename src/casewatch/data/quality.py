"""Row accounting and the data-quality report: every input row is either loaded or listed, with its reason.

The report is what a performance analyst reads before trusting any compliance figure, so it says, per table, how
many rows were read, loaded and rejected, and then what was wrong, grouped by reason with examples they can find
in their own file (file, row, column, value). Issues are held as an Arrow table because a messy extract can yield
millions of them; grouping for display happens in DuckDB, not in Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv

SEVERITIES = ("error", "warning", "info")

#: Arrow schema of the issues table (and column order of the CSV report).
ISSUE_SCHEMA = pa.schema(
    [
        ("table", pa.string()),
        ("file", pa.string()),
        ("row", pa.int64()),
        ("column", pa.string()),
        ("value", pa.string()),
        ("severity", pa.string()),
        ("code", pa.string()),
        ("reason", pa.string()),
    ]
)

#: What each issue code means, for the report legend and the generated contract document.
ISSUE_CODES: dict[str, tuple[str, str]] = {
    "missing_required": ("error", "a required value is empty, a placeholder, or could not be derived"),
    "bad_date": ("error/warning", "a date that is not in an accepted shape (error in a required column)"),
    "bad_flag": ("error/warning", "a yes/no flag that is not a recognised spelling (error if required)"),
    "bad_number": ("error/warning", "a number that does not parse (error if required)"),
    "duplicate_key": ("error", "a primary key seen before in the file; the first occurrence is loaded"),
    "malformed_line": ("error", "a CSV line that cannot be split into the header's columns"),
    "bad_json": ("warning", "a JSON value that is not a JSON object; the columns read from it are left empty"),
    "flag_na": ("info", "a flag recorded as NA (not applicable), loaded as empty"),
    "recoded": ("info", "a council's code replaced by the contract's, as the codes: of casewatch.yaml map it"),
    "orphan": ("warning", "a reference to a row that is not in the referenced table"),
    "impossible_order": ("warning", "an end before its start, an event before birth, a note recorded before the event"),
    "early_date": ("warning", "a date before 1950 that is not a date of birth"),
    "future_date": ("warning", "a date after the as-at date (due and expected dates excepted)"),
}


@dataclass(frozen=True)
class Issue:
    """One problem with one value (or line) of the input.

    ``row`` is the line number in a CSV file counting the header as row 1 (so row 2 is the first data row), and
    the 1-based position of the row in a Parquet file or database table. ``severity`` is ``error`` when the row
    was not loaded, ``warning`` when it was loaded but is suspect, ``info`` for a note.
    """

    table: str
    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str
    severity: str
    code: str


@dataclass(frozen=True)
class TableSummary:
    """Row accounting for one table: ``rows_read == rows_loaded + rows_rejected`` always holds."""

    table: str
    file: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    errors: int
    warnings: int
    notes: int


@dataclass
class DataQualityReport:
    """Everything the loader noticed about one source."""

    source: str
    as_at: date
    summaries: dict[str, TableSummary]
    issues: pa.Table
    missing_tables: list[str] = field(default_factory=list)
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)
    renamed_columns: dict[str, dict[str, str]] = field(default_factory=dict)
    ignored_files: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> dict[str, int]:
        return {t: s.rows_read for t, s in self.summaries.items()}

    @property
    def rows_loaded(self) -> dict[str, int]:
        return {t: s.rows_loaded for t, s in self.summaries.items()}

    @property
    def rows_rejected(self) -> dict[str, int]:
        return {t: s.rows_rejected for t, s in self.summaries.items()}

    @property
    def total_rejected(self) -> int:
        return sum(s.rows_rejected for s in self.summaries.values())

    @property
    def all_loaded(self) -> bool:
        """True when no input row was rejected (warnings allowed)."""
        return self.total_rejected == 0

    def count(self, severity: str) -> int:
        """How many issues of one severity (error, warning, info) there are, over all tables."""
        field_name = {"error": "errors", "warning": "warnings", "info": "notes"}[severity]
        return sum(int(getattr(s, field_name)) for s in self.summaries.values())

    def iter_issues(self) -> Iterator[Issue]:
        """Issues as Python objects, in table, row and column order."""
        for rec in self.issues.to_pylist():
            yield Issue(
                table=rec["table"],
                file=rec["file"],
                row=rec["row"],
                column=rec["column"],
                value=rec["value"],
                reason=rec["reason"],
                severity=rec["severity"],
                code=rec["code"],
            )

    def to_csv(self, path: str | Path) -> None:
        """Write every issue to a CSV file (columns as in :data:`ISSUE_SCHEMA`)."""
        pa_csv.write_csv(self.issues, str(path))


def issue_groups(issues: pa.Table) -> list[tuple[str, str, str | None, str, int, list[tuple[int, str | None]]]]:
    """Issues grouped by severity, table, column and reason, largest first within each severity."""
    con = duckdb.connect()
    try:
        con.register("issues", issues)
        rows = con.execute(
            """
            SELECT severity, "table", "column", reason, count(*) AS n,
                   list({'row': "row", 'value': value} ORDER BY "row")[1:3] AS examples
            FROM issues
            GROUP BY severity, "table", "column", reason
            ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, n DESC, "table", "column"
            """
        ).fetchall()
    finally:
        con.close()
    return [
        (sev, tbl, col, reason, int(n), [(ex["row"], ex["value"]) for ex in examples])
        for sev, tbl, col, reason, n, examples in rows
    ]
