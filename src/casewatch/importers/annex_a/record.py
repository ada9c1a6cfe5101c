"""One parsed Annex A data row: its values by field key, where each came from, and a way to report on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from casewatch.formats.annex_a import AnnexList
from casewatch.importers.report import ImportProblem

from .values import Value


@dataclass
class Record:
    """A data row of one list after parsing; ``report`` files a problem located at this row."""

    annex: AnnexList
    file: str
    sheet: str
    row: int
    values: dict[str, Value]
    descriptions: dict[str, str]
    letters: dict[str, str]  # field key -> column letter
    report: Callable[[ImportProblem], None] = field(repr=False)
    failed: set[str] = field(default_factory=set)  # fields whose value was unusable (already reported)

    @property
    def where(self) -> str:
        return f"{self.sheet} row {self.row}"

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        return None if value is None else str(value)

    def day(self, key: str) -> date | None:
        value = self.values.get(key)
        return value if isinstance(value, date) else None

    def flag(self, key: str) -> bool | None:
        value = self.values.get(key)
        return value if isinstance(value, bool) else None

    def warn(self, key: str, reason: str, value: Value = None, severity: str = "warning") -> None:
        """Report a problem with field ``key`` (or a contract column name) on this row."""
        self.report(
            ImportProblem(
                self.file,
                self.sheet,
                self.row,
                self.letters.get(key),
                None if value is None else str(value),
                reason,
                severity,
            )
        )

    def conflict(self, column: str, reason: str, value: Value) -> None:
        """A merge disagreement reported by :class:`~casewatch.importers.annex_a.output.Tables`."""
        self.warn(column, reason, value)
