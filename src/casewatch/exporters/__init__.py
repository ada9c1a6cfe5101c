"""SSD-shaped case data out as the returns a council must produce: Ofsted's Annex A, the CIN census, the SSDA903.

Each writer reads what ``casewatch evaluate --data`` reads (a folder of CSV/Parquet SSD tables or a
``.duckdb`` file) through the same loader, so a return and the compliance figures come from one cleaned copy
of the extract. The formats' own definitions (Annex A list headings, census layout and codes, 903 files and
columns) live in :mod:`casewatch.formats`, shared with the importers, which read the same returns back.
"""

from __future__ import annotations

from .annex_a import write_annex_a
from .cin_census import WriteSummary, write_cin_census
from .run import RETURNS, ExportError, ExportResult, export
from .ssda903 import write_ssda903
from .years import collection_year_end

__all__ = [
    "RETURNS",
    "ExportError",
    "ExportResult",
    "WriteSummary",
    "collection_year_end",
    "export",
    "write_annex_a",
    "write_cin_census",
    "write_ssda903",
]
