"""Loading case data: from files or a database to typed contract tables in DuckDB, with full row accounting.

The flow per table is stage (rows with their row numbers; a Parquet file is read in place) -> type and judge
every row in one statement that creates the contract table -> delete the rows with errors and the later
duplicates of a primary key, which the report lists. Cross-table checks run once all tables are in. Every step
is a set-based statement inside DuckDB; no Python code touches individual rows, so the loader scales to the
hundreds of millions of rows of all of England (in a working database on disk when they do not fit in memory,
:mod:`casewatch.data.workspace`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from casewatch.data.config import DataConfig, find_config_file, read_config
from casewatch.data.contract import TABLES, TableSpec, load_order
from casewatch.data.quality import ISSUE_SCHEMA, DataQualityReport, TableSummary
from casewatch.data.quoting import ident, literal
from casewatch.data.relations import check_relations
from casewatch.data.rowcheck import ERROR, ISSUES, native_columns, typed_select
from casewatch.data.sources import (
    ATTACH_ALIAS,
    ColumnMap,
    Source,
    check_path,
    config_folder,
    describe,
    discover,
    map_columns,
)
from casewatch.data.stage import ROW, drop_stage, stage
from casewatch.data.workspace import Workspace, open_workspace

ISSUES_TABLE = "__cw_issues"
DUPLICATES = "__cw_duplicates"

Progress = Callable[[str], None]


@dataclass
class CaseData:
    """Loaded case data.

    ``con`` holds every contract table that was given, under its contract name, with all its contract columns
    typed (absent optional columns as typed NULLs). ``tables`` counts the rows loaded per table;
    ``missing_tables`` lists the contract tables that were not given at all.
    """

    con: duckdb.DuckDBPyConnection
    tables: dict[str, int]
    missing_tables: list[str]
    report: DataQualityReport
    config: DataConfig
    source: str
    workspace: Workspace | None = None

    def has(self, table: str) -> bool:
        """True when ``table`` was given (even if every row of it was rejected)."""
        return table in self.tables

    def close(self) -> None:
        """Close the connection and remove the working files the loader made for it (if any)."""
        self.con.close()
        if self.workspace is not None:
            self.workspace.remove_files()


@dataclass(frozen=True)
class _Loaded:
    rows_read: int
    rows_loaded: int
    rows_rejected: int


def load_case_data(
    path: str | Path,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
    schema: str = "main",
    as_at: date | None = None,
    config: DataConfig | None = None,
    progress: Progress | None = None,
    work_dir: Path | None = None,
    memory_limit: str | None = None,
) -> CaseData:
    """Load a folder of ``<table>.csv``/``<table>.parquet`` files, or a ``.duckdb`` file, into DuckDB.

    ``con`` receives the tables (an in-memory database when omitted); ``schema`` is the schema read in a
    ``.duckdb`` source; ``as_at`` (default today) is the date after which event dates are reported as in the
    future; ``config`` overrides the ``casewatch.yaml`` found next to the data; ``progress`` is told the name of
    each table as loading starts. Raises DataError when the path cannot be used at all.

    For data larger than memory, ``work_dir`` keeps the tables in a database file in that folder instead of in
    memory, and ``memory_limit`` (e.g. ``"12GB"``) caps DuckDB's memory, the rest spilling to disk; neither can
    be combined with ``con``. :meth:`CaseData.close` removes the working files.
    """
    source_path = Path(path)
    check_path(source_path)
    if con is not None and (work_dir is not None or memory_limit is not None):
        raise ValueError("work_dir and memory_limit make a new connection; they cannot be used with con")
    settings = config if config is not None else read_config(find_config_file(config_folder(source_path)))
    as_at = as_at or date.today()
    owned = con is None
    workspace = open_workspace(work_dir, memory_limit) if con is None else None
    db = workspace.con if workspace is not None else con
    assert db is not None
    restore_order = _ensure_insertion_order(db)
    label = str(source_path) if source_path.is_dir() else f"{source_path}:{schema}"
    try:
        report, counts = _load(db, source_path, label, schema, as_at, settings, progress)
    except BaseException:
        _cleanup(db, restore_order)
        if owned:
            db.close()
            if workspace is not None:
                workspace.remove_files()
        raise
    _cleanup(db, restore_order)
    return CaseData(db, counts, report.missing_tables, report, settings, label, workspace)


def _load(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    label: str,
    schema: str,
    as_at: date,
    config: DataConfig,
    progress: Progress | None,
) -> tuple[DataQualityReport, dict[str, int]]:
    found = discover(path, con, config, schema)
    by_table = {s.table: s for s in found.sources}
    present = set(by_table)
    maps = {s.table: map_columns(TABLES[s.table], describe(con, s), s.label, present) for s in found.sources}

    con.execute(
        f'CREATE OR REPLACE TEMP TABLE {ISSUES_TABLE} ("table" VARCHAR, file VARCHAR, "row" BIGINT, '
        f'"column" VARCHAR, value VARCHAR, severity VARCHAR, code VARCHAR, reason VARCHAR)'
    )
    accounts: dict[str, _Loaded] = {}
    for name in load_order():
        if name not in by_table:
            continue
        if progress is not None:
            progress(name)
        accounts[name] = _load_table(con, TABLES[name], by_table[name], maps[name], set(accounts), config, as_at)
    check_relations(con, {t: by_table[t].label for t in accounts}, ISSUES_TABLE)
    for name in accounts:
        con.execute(f"ALTER TABLE {ident(name)} DROP COLUMN {ROW}")

    severities = _severity_counts(con)
    summaries = {
        name: TableSummary(
            table=name,
            file=by_table[name].label,
            rows_read=accounts[name].rows_read,
            rows_loaded=accounts[name].rows_loaded,
            rows_rejected=accounts[name].rows_rejected,
            errors=severities.get((name, "error"), 0),
            warnings=severities.get((name, "warning"), 0),
            notes=severities.get((name, "info"), 0),
        )
        for name in TABLES
        if name in accounts
    }
    report = DataQualityReport(
        source=label,
        as_at=as_at,
        summaries=summaries,
        issues=_issues_arrow(con),
        missing_tables=[t for t in TABLES if t not in by_table],
        unknown_columns={by_table[t].label: m.unknown for t, m in maps.items() if m.unknown},
        renamed_columns={by_table[t].label: m.renamed for t, m in maps.items() if m.renamed},
        ignored_files=found.ignored,
    )
    return report, {name: accounts[name].rows_loaded for name in summaries}


def _load_table(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    source: Source,
    columns: ColumnMap,
    loaded: set[str],
    config: DataConfig,
    as_at: date,
) -> _Loaded:
    """Type and judge every row straight into the contract table, then take out the rows that cannot be loaded.

    Clean data (the usual case) is read once and written once; the issue lists are NULL for clean rows, so the
    only per-row work beyond typing is evaluating the checks.
    """
    present = set(columns.source_of)
    derivations = [d for d in spec.derivations if d.source_table in loaded and d.via in present]
    native = native_columns(spec, {c: columns.source_type[c] for c in present}, derivations)
    staged = stage(con, spec, source, columns, ISSUES_TABLE, frozenset(native))
    table = ident(spec.name)
    typed = typed_select(spec, staged.rows_sql, present, derivations, config, as_at, native)
    con.execute(f"CREATE OR REPLACE TABLE {table} AS {typed}")
    drop_stage(con)
    con.execute(
        f"""
        INSERT INTO {ISSUES_TABLE}
        SELECT {literal(spec.name)}, {literal(source.label)}, {ROW}, i.col, i.val, i.sev, i.code, i.why
        FROM (SELECT {ROW}, unnest({ISSUES}) AS i FROM {table} WHERE {ISSUES} IS NOT NULL)
        """
    )
    errors = _scalar(con, f"SELECT count(*) FROM {table} WHERE {ERROR}")
    duplicates = _reject_duplicates(con, spec, source) if spec.primary_key else 0
    if errors or duplicates:
        drop = f"{ERROR}"
        if duplicates:
            drop += f" OR {ROW} IN (SELECT {ROW} FROM {DUPLICATES})"
        con.execute(f"DELETE FROM {table} WHERE {drop}")
    con.execute(f"ALTER TABLE {table} DROP COLUMN {ISSUES}")
    con.execute(f"ALTER TABLE {table} DROP COLUMN {ERROR}")
    con.execute(f"DROP TABLE IF EXISTS {DUPLICATES}")
    return _Loaded(
        rows_read=staged.rows + staged.malformed,
        rows_loaded=staged.rows - errors - duplicates,
        rows_rejected=errors + duplicates + staged.malformed,
    )


def _reject_duplicates(con: duckdb.DuckDBPyConnection, spec: TableSpec, source: Source) -> int:
    """Mark every later occurrence of a primary key among otherwise loadable rows; the first one is kept."""
    assert spec.primary_key is not None
    pk = ident(spec.primary_key)
    table = ident(spec.name)
    con.execute(f"DROP TABLE IF EXISTS {DUPLICATES}")
    con.execute(
        f"""
        CREATE TEMP TABLE {DUPLICATES} AS
        SELECT t.{ROW}, t.{pk} AS key, d.first_row
        FROM {table} t
        JOIN (SELECT {pk}, min({ROW}) AS first_row FROM {table} WHERE NOT {ERROR} GROUP BY {pk} HAVING count(*) > 1) d
          ON d.{pk} = t.{pk}
        WHERE NOT t.{ERROR} AND t.{ROW} > d.first_row
        """
    )
    count = _scalar(con, f"SELECT count(*) FROM {DUPLICATES}")
    if count:
        con.execute(
            f"""
            INSERT INTO {ISSUES_TABLE}
            SELECT {literal(spec.name)}, {literal(source.label)}, {ROW}, {literal(spec.primary_key)},
                   key || ' (first at row ' || first_row || ')', 'error', 'duplicate_key',
                   'duplicate primary key; the first occurrence was loaded'
            FROM {DUPLICATES}
            """
        )
    return count


def _severity_counts(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    rows = con.execute(f'SELECT "table", severity, count(*) FROM {ISSUES_TABLE} GROUP BY ALL').fetchall()
    return {(str(t), str(s)): int(n) for t, s, n in rows}


def _issues_arrow(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """All issues, ordered by table (contract order), row and column."""
    order = ", ".join(f"({literal(name)}, {n})" for n, name in enumerate(TABLES))
    result = con.sql(
        f"""
        SELECT i."table", i.file, i."row", i."column", i.value, i.severity, i.code, i.reason
        FROM {ISSUES_TABLE} i JOIN (VALUES {order}) o(name, n) ON o.name = i."table"
        ORDER BY o.n, i."row", i."column" NULLS FIRST, i.code
        """
    ).to_arrow_table()
    return result.cast(ISSUE_SCHEMA)


def _ensure_insertion_order(con: duckdb.DuckDBPyConnection) -> bool:
    """Row numbers come from insertion order; switch it on if the caller's connection had it off."""
    row = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    if row is not None and not row[0]:
        con.execute("SET preserve_insertion_order = true")
        return True
    return False


def _cleanup(con: duckdb.DuckDBPyConnection, restore_order: bool) -> None:
    for table in (DUPLICATES, ISSUES_TABLE):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    drop_stage(con)
    con.execute(f"DETACH DATABASE IF EXISTS {ident(ATTACH_ALIAS)}")
    if restore_order:
        con.execute("SET preserve_insertion_order = false")


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0
