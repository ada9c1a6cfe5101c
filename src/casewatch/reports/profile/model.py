"""The onboarding profile as data: what an analyst needs to know about an extract before trusting a figure.

The profile is computed once (:mod:`.build`) and rendered by small writers (HTML, xlsx), so the page and the
workbook say the same thing. Every number here was counted in DuckDB; nothing in this module touches rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from casewatch.data.code_check import CodeReport

Readiness = Literal["evaluable", "limited", "not evaluable"]


@dataclass(frozen=True)
class DateRange:
    """The first and last value of one date column, and how many rows hold a date there."""

    column: str
    first: date | None
    last: date | None
    dated_rows: int


@dataclass(frozen=True)
class TableProfile:
    """One table as loaded: the data-quality report's row accounting, its date ranges and rows per month.

    ``month_column`` is the date the table's records happen on (the event date or episode start the standards
    read); ``months`` counts rows per first-of-month within the profile's chart span, with the rows dated before
    and after the span in ``earlier`` and ``later``, so every dated row is counted once.
    """

    table: str
    file: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    date_ranges: tuple[DateRange, ...]
    month_column: str | None = None
    months: dict[date, int] = field(default_factory=dict)
    earlier: int = 0
    later: int = 0


@dataclass(frozen=True)
class WindowAdvice:
    """The history window found or set, its one-sentence statement, and what to paste into casewatch.yaml."""

    start: date | None
    how: str
    statement: str
    yaml_lines: tuple[str, ...]
    advice: str
    tables: dict[str, date] = field(default_factory=dict)


@dataclass(frozen=True)
class ColumnNulls:
    """How empty a column the standards read is: ``nulls`` of ``rows`` (None: the table or column is not there)."""

    table: str
    column: str
    rows: int | None
    nulls: int | None
    standards: tuple[str, ...]

    @property
    def share(self) -> float | None:
        """The share of rows with no value (0 to 1); None when the column is not in the data or has no rows."""
        if self.rows is None or self.nulls is None or self.rows == 0:
            return None
        return self.nulls / self.rows


@dataclass(frozen=True)
class KeyCheck:
    """Duplicate primary keys (rejected at load) or orphan references (loaded, warned) of one column.

    ``checked`` is False when the referenced table was not given, so no reference of this column could be
    tested; ``examples`` are a few of the offending values, for finding them in the council's own system.
    """

    kind: Literal["duplicate", "orphan"]
    table: str
    column: str
    refers_to: str | None
    checked: bool
    count: int
    rows: int
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class StandardProfile:
    """Whether the data can judge one standard, and with what caveats.

    ``why`` is empty for a plainly evaluable standard; for a limited one it lists each caveat (a snapshot table,
    instances before the history window, a table with no rows), for a not evaluable one what is missing.
    ``instances`` and ``figure`` are None when the pack was not evaluated.
    """

    id: str
    title: str
    readiness: Readiness
    why: tuple[str, ...]
    window_from: date | None
    instances: int | None = None
    figure: str | None = None


@dataclass(frozen=True)
class Profile:
    """The whole onboarding report for one extract and one pack."""

    source: str
    as_at: date
    pack: str | None
    missing_tables: tuple[str, ...]
    tables: tuple[TableProfile, ...]
    chart_months: tuple[date, ...]
    window: WindowAdvice
    nulls: tuple[ColumnNulls, ...]
    codes: CodeReport
    keys: tuple[KeyCheck, ...]
    standards: tuple[StandardProfile, ...]
    evaluated: bool
    settings: tuple[str, ...] = ()

    def count(self, readiness: Readiness) -> int:
        """How many of the pack's standards have this readiness."""
        return sum(1 for s in self.standards if s.readiness == readiness)


__all__ = [
    "ColumnNulls",
    "DateRange",
    "KeyCheck",
    "Profile",
    "Readiness",
    "StandardProfile",
    "TableProfile",
    "WindowAdvice",
]
