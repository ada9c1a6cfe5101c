"""Which standards a dataset can support, before anything is evaluated.

An analyst pointing casewatch at a new extract wants to know up front that "CP visits: no ext_casenotes table"
rather than find a gap in the results; the same check decides "not evaluated: missing data" during evaluation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from casewatch.engine.evaluate import data_column_types, missing_data
from casewatch.standards.pack import Standard


@dataclass(frozen=True)
class Readiness:
    standard: Standard
    gap: str | None  # what the data lacks, or None when the standard can be evaluated
    empty_tables: tuple[str, ...]  # tables it reads that exist but hold no rows: evaluable, but nothing to see

    @property
    def can_evaluate(self) -> bool:
        return self.gap is None


def readiness(standards: Iterable[Standard], con: duckdb.DuckDBPyConnection) -> list[Readiness]:
    """For each standard, whether ``con``'s tables hold every table and column it needs."""
    types = data_column_types(con)
    counts: dict[str, int] = {}
    found: list[Readiness] = []
    for standard in standards:
        gap = missing_data(standard, types)
        empty: list[str] = []
        if gap is None:
            for table in sorted(standard.requirements):
                if table not in counts:
                    row = con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
                    counts[table] = int(row[0]) if row else 0
                if counts[table] == 0:
                    empty.append(table)
        found.append(Readiness(standard, gap, tuple(empty)))
    return found
