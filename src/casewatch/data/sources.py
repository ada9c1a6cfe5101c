"""Finding the contract tables in what the user pointed at, and matching their columns to the contract.

A source is a folder of ``<table>.csv`` / ``<table>.parquet`` files or a ``.duckdb`` database. This module only
looks (file names, headers, column types); reading the rows is :mod:`casewatch.data.stage`'s job. Every way the
input can be unusable as a whole (no such path, nothing recognisable, a required column missing) is decided here,
before any large file is read, so the user learns about it in seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from casewatch.data.config import CONFIG_FILE_NAMES, DataConfig
from casewatch.data.contract import TABLES, TableSpec
from casewatch.data.quoting import ident, literal
from casewatch.errors import DataError

SourceKind = Literal["csv", "parquet", "duckdb"]

DATABASE_SUFFIXES = (".duckdb", ".ddb")
ATTACH_ALIAS = "__cw_source"
REJECTS_TABLE = "__cw_rejects"
REJECTS_SCAN = "__cw_reject_scans"

_TABLE_FILE = re.compile(r"^(?P<stem>.+)\.(?P<ext>csv|parquet)$", re.IGNORECASE)

EXPECTED = (
    "a folder of CSV or Parquet files named after the tables (ssd_person.csv, ssd_cp_visits.parquet, "
    "ext_supervision.csv ...) or a .duckdb database holding those tables"
)


@dataclass(frozen=True)
class Source:
    """Where one contract table's rows come from."""

    table: str
    label: str  # how issues name the file: "ssd_cp_visits.csv" or "cases.duckdb:main.ssd_cp_visits"
    kind: SourceKind
    from_sql: str  # a SQL table expression that reads the rows in file order
    first_row: int  # row number of the first data row: 2 for CSV (the header is row 1), else 1
    path: Path | None = None


@dataclass
class Discovery:
    """What was found at the user's path."""

    sources: list[Source]
    ignored: list[str]


@dataclass(frozen=True)
class ColumnMap:
    """How a source's columns map onto a contract table's columns."""

    source_of: dict[str, str]  # contract column -> source column
    source_type: dict[str, str]  # contract column -> the source column's DuckDB type
    renamed: dict[str, str] = field(default_factory=dict)  # source column -> contract column, via an alias
    unknown: list[str] = field(default_factory=list)  # source columns the contract does not know (ignored)


def config_folder(path: Path) -> Path:
    """The folder whose ``casewatch.yaml`` applies to ``path``."""
    return path if path.is_dir() else path.parent


def check_path(path: Path) -> None:
    """Refuse a path that cannot hold case data at all."""
    if not path.exists():
        raise DataError(f"{path} does not exist; expected {EXPECTED}.")
    if path.is_file() and path.suffix.lower() not in DATABASE_SUFFIXES:
        raise DataError(f"{path} is a single file; expected {EXPECTED}.")


def discover(path: Path, con: duckdb.DuckDBPyConnection, config: DataConfig, schema: str) -> Discovery:
    """The sources of every contract table present at ``path``."""
    check_path(path)
    found = _discover_folder(path, config) if path.is_dir() else _discover_database(path, con, schema)
    if not found.sources:
        raise DataError(f"{path}: no casewatch tables found; expected {EXPECTED}.")
    return found


def _csv_sql(path: Path, config: DataConfig) -> str:
    return (
        f"read_csv({literal(str(path))}, all_varchar = true, header = true, store_rejects = true, "
        f"rejects_table = {literal(REJECTS_TABLE)}, rejects_scan = {literal(REJECTS_SCAN)}, "
        f"encoding = {literal(config.csv_encoding)})"
    )


def _discover_folder(folder: Path, config: DataConfig) -> Discovery:
    by_table: dict[str, Source] = {}
    ignored: list[str] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name.lower()):
        name = entry.name
        if name.startswith(".") or name.lower() in CONFIG_FILE_NAMES:
            continue
        if entry.is_dir():
            ignored.append(name + "/")
            continue
        match = _TABLE_FILE.match(name)
        table = match.group("stem").lower() if match else None
        if match is None or table not in TABLES:
            ignored.append(name)
            continue
        assert table is not None
        if table in by_table:
            raise DataError(
                f"{folder}: table {table} is given twice ({by_table[table].label} and {name}); keep one of them."
            )
        if match.group("ext").lower() == "csv":
            by_table[table] = Source(table, name, "csv", _csv_sql(entry, config), 2, entry)
        else:
            by_table[table] = Source(table, name, "parquet", f"read_parquet({literal(str(entry))})", 1, entry)
    ordered = [by_table[t] for t in TABLES if t in by_table]
    return Discovery(ordered, ignored)


def _discover_database(path: Path, con: duckdb.DuckDBPyConnection, schema: str) -> Discovery:
    con.execute(f"DETACH DATABASE IF EXISTS {ident(ATTACH_ALIAS)}")
    try:
        con.execute(f"ATTACH {literal(str(path))} AS {ident(ATTACH_ALIAS)} (READ_ONLY)")
    except duckdb.Error as exc:
        raise DataError(f"{path.name}: cannot be opened as a DuckDB database ({_first_line(exc)}).") from exc
    # DuckDB 2 marks every database's own 'main' schema internal; it is where a plain CREATE TABLE puts tables.
    schemas = [
        r[0]
        for r in con.execute(
            "SELECT schema_name FROM duckdb_schemas() "
            "WHERE database_name = ? AND (NOT internal OR schema_name = 'main')",
            [ATTACH_ALIAS],
        ).fetchall()
    ]
    if schema not in schemas:
        con.execute(f"DETACH DATABASE {ident(ATTACH_ALIAS)}")
        raise DataError(f"{path.name}: has no schema '{schema}' (schemas: {', '.join(sorted(schemas))}).")
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
            "UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = ? AND schema_name = ? "
            "AND NOT internal",
            [ATTACH_ALIAS, schema, ATTACH_ALIAS, schema],
        ).fetchall()
    ]
    by_table: dict[str, Source] = {}
    ignored: list[str] = []
    for name in sorted(names, key=str.lower):
        table = name.lower()
        if table not in TABLES:
            ignored.append(f"{schema}.{name}")
            continue
        if table in by_table:
            raise DataError(f"{path.name}: table {table} exists twice in schema {schema} (differing in case).")
        from_sql = f"{ident(ATTACH_ALIAS)}.{ident(schema)}.{ident(name)}"
        by_table[table] = Source(table, f"{path.name}:{schema}.{name}", "duckdb", from_sql, 1, path)
    ordered = [by_table[t] for t in TABLES if t in by_table]
    return Discovery(ordered, ignored)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def describe(con: duckdb.DuckDBPyConnection, source: Source) -> list[tuple[str, str]]:
    """The source's column names and DuckDB types, without reading its rows."""
    if source.kind == "csv" and source.path is not None and source.path.stat().st_size == 0:
        raise DataError(f"{source.label}: the file is empty; expected a header row naming the columns.")
    try:
        rows = con.execute(f"DESCRIBE SELECT * FROM {source.from_sql}").fetchall()
    except duckdb.Error as exc:
        what = {"csv": "CSV", "parquet": "Parquet", "duckdb": "a table"}[source.kind]
        raise DataError(f"{source.label}: cannot be read as {what} ({_first_line(exc)}).") from exc
    return [(str(r[0]), str(r[1])) for r in rows]


def _header_key(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


def map_columns(spec: TableSpec, columns: list[tuple[str, str]], label: str, present: set[str]) -> ColumnMap:
    """Match source columns to contract columns: exact names first (case-insensitive), then aliases.

    Raises DataError when a required column is missing and cannot be derived from another table in ``present``.
    """
    canonical = {c.name: c.name for c in spec.columns}
    alias_of = {a.lower(): c.name for c in spec.columns for a in c.aliases}
    source_of: dict[str, str] = {}
    source_type: dict[str, str] = {}
    renamed: dict[str, str] = {}
    leftover: list[tuple[str, str]] = []
    for name, type_ in columns:
        target = canonical.get(_header_key(name))
        if target is not None and target not in source_of:
            source_of[target], source_type[target] = name, type_
        else:
            leftover.append((name, type_))
    unknown: list[str] = []
    for name, type_ in leftover:
        target = alias_of.get(_header_key(name))
        if target is not None and target not in source_of:
            source_of[target], source_type[target] = name, type_
            renamed[name] = target
        else:
            unknown.append(name)
    found = ", ".join(name for name, _ in columns) or "none"
    for required in spec.required_columns:
        if required in source_of:
            continue
        derivation = next((d for d in spec.derivations if d.column == required), None)
        if derivation is None:
            raise DataError(f"{label}: required column {required} is missing (columns found: {found}).")
        if derivation.via not in source_of or derivation.source_table not in present:
            raise DataError(
                f"{label}: required column {required} is missing and cannot be derived (that needs column "
                f"{derivation.via} and table {derivation.source_table}) (columns found: {found})."
            )
    return ColumnMap(source_of, source_type, renamed, unknown)
