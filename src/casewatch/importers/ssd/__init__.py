"""Importer for an existing SSD: a warehouse schema (SQL Server, PostgreSQL, SQLite, DuckDB) or CSV/Parquet extracts.

``import_ssd(source, out_dir, schema=None)`` reads the schema read-only, applies the CMS table and column
variants, and writes the contract tables that ``casewatch evaluate --data`` reads, accounting for every row.
"""

from __future__ import annotations

from .importer import import_ssd, open_reader

__all__ = ["import_ssd", "open_reader"]
