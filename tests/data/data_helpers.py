"""Helpers the data-layer tests import (kept out of conftest.py so they can be imported by name)."""

from __future__ import annotations

from datetime import date
from typing import Any

from casewatch.data import CaseData, Issue

AS_AT = date(2025, 1, 1)


def issues(data: CaseData, **match: object) -> list[Issue]:
    """The report's issues whose fields equal every keyword given."""
    return [i for i in data.report.iter_issues() if all(getattr(i, k) == v for k, v in match.items())]


def rows(data: CaseData, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a query over the loaded tables."""
    return data.con.execute(sql).fetchall()
