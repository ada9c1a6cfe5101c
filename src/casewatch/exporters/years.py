"""Which collection year an export covers, decided in one place for the command line and the Python API."""

from __future__ import annotations

from datetime import date


def collection_year_end(as_at: date) -> date:
    """The 31 March on or before ``as_at``: the latest CIN census / SSDA903 year that has ended by then.

    The DfE collects both returns for the year 1 April to 31 March, after it ends; a year still under way has
    no return yet, so a date inside it means the year before (``2026-10-30`` → ``2026-03-31``).
    """
    return date(as_at.year if (as_at.month, as_at.day) >= (3, 31) else as_at.year - 1, 3, 31)
