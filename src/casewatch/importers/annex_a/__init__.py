"""Ofsted ILACS Annex A importer.

``import_annex_a(source, out_dir)`` reads an Annex A workbook (one sheet per list) or a folder of per-list CSV
files and writes SSD-shaped tables that ``casewatch evaluate --data`` reads. The reverse direction lives in
:mod:`casewatch.exporters.annex_a`, which also says what survives a round trip; the lists' layout both use is
:mod:`casewatch.formats.annex_a`.
"""

from __future__ import annotations

from .importer import import_annex_a

__all__ = ["import_annex_a"]
