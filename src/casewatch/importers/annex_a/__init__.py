"""Ofsted ILACS Annex A importer and writer.

``import_annex_a(source, out_dir)`` reads an Annex A workbook (one sheet per list) or a folder of per-list CSV
files and writes SSD-shaped tables that ``casewatch evaluate --data`` reads; ``write_annex_a(data_dir, out_path,
as_at)`` does the reverse for round-trip tests and demonstrations. See :mod:`.export` for exactly what survives a
round trip and what Annex A cannot carry.
"""

from __future__ import annotations

from .export import write_annex_a
from .importer import import_annex_a

__all__ = ["import_annex_a", "write_annex_a"]
