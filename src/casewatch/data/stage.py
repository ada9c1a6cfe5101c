"""Reading one source's rows, with each row's place in the file, as text unless already typed.

Everything is read as VARCHAR so that a bad value in one cell can never make DuckDB refuse a whole file: the
typing happens later, value by value, where a failure becomes an issue row instead. The exception is a column
whose source type already is the contract's (:mod:`casewatch.data.native`), which cannot hold a bad value. A
Parquet file is not copied: DuckDB numbers its rows (``file_row_number``) and they are read in place. CSV lines
that cannot be read at all (wrong number of fields, broken quoting, bad encoding) are kept by DuckDB's
``store_rejects`` and reported with their line numbers; the row numbers of the readable lines are shifted past
them, so every row number the user sees is the one in their file.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from casewatch.data.contract import TableSpec
from casewatch.data.quoting import ident, literal
from casewatch.data.sources import REJECTS_SCAN, REJECTS_TABLE, ColumnMap, Source

STAGE = "__cw_stage"
REJECT_OFFSETS = "__cw_reject_offsets"
ROW = "__row"

_FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}


@dataclass(frozen=True)
class Staged:
    """A staged source: ``rows_sql`` selects ``__row`` plus one VARCHAR column per contract column present."""

    rows_sql: str
    rows: int
    malformed: int


def as_text(column_sql: str, source_type: str, contract_type: str) -> str:
    """A typed source column as text the normaliser understands.

    Typed sources (Parquet, DuckDB) are turned back into text so that one normalisation path serves every format.
    Time-zone-aware timestamps become UK local time; whole-number floats in id columns (a pandas habit) lose their
    ``.0`` so they still join to the same id written as text elsewhere.
    """
    upper = source_type.upper()
    if upper == "VARCHAR":
        return column_sql
    if upper in {"TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"}:
        return f"CAST(timezone('Europe/London', {column_sql}) AS VARCHAR)"
    if contract_type == "string" and (upper in _FLOAT_TYPES or upper.startswith("DECIMAL")):
        return (
            f"CASE WHEN {column_sql} = trunc({column_sql}) AND abs({column_sql}) < 1e15 "
            f"THEN CAST(CAST({column_sql} AS BIGINT) AS VARCHAR) ELSE CAST({column_sql} AS VARCHAR) END"
        )
    return f"CAST({column_sql} AS VARCHAR)"


def stage(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    source: Source,
    columns: ColumnMap,
    issues_table: str,
    native: frozenset[str] = frozenset(),
) -> Staged:
    """Stage the source's mapped columns; report unreadable CSV lines into ``issues_table``.

    Columns named in ``native`` keep their type; the others become text. A Parquet file is not copied at all:
    DuckDB numbers its rows itself (``file_row_number``), so its rows are read straight from the file.
    """
    con.execute(f"DROP TABLE IF EXISTS {STAGE}")
    _drop_rejects(con)
    select = [
        f"{_staged_value(columns.source_of[c.name], columns.source_type[c.name], c.type, c.name in native)} "
        f"AS {ident(c.name)}"
        for c in spec.columns
        if c.name in columns.source_of
    ]
    if source.kind == "parquet" and source.path is not None and _can_number(columns):
        reader = f"read_parquet({literal(str(source.path))}, file_row_number = true)"
        rows = _count(con, f"SELECT count(*) FROM read_parquet({literal(str(source.path))})")
        return Staged(
            f"SELECT file_row_number + {source.first_row} AS {ROW}, {', '.join(select)} FROM {reader}", rows, 0
        )
    con.execute(f"CREATE TEMP TABLE {STAGE} AS SELECT {', '.join(select)} FROM {source.from_sql}")
    rows = _count(con, f"SELECT count(*) FROM {STAGE}")
    malformed = 0
    rows_sql = f"SELECT rowid + {source.first_row} AS {ROW}, * FROM {STAGE}"
    if source.kind == "csv":
        malformed = _report_rejects(con, spec, source, issues_table)
        if malformed:
            rows_sql = _shifted_rows_sql(con, source.first_row)
    _drop_rejects(con)
    return Staged(rows_sql, rows, malformed)


def _staged_value(source_column: str, source_type: str, contract_type: str, native: bool) -> str:
    column = ident(source_column)
    return column if native else as_text(column, source_type, contract_type)


def _can_number(columns: ColumnMap) -> bool:
    """``file_row_number`` would clash with a column of that name in the user's file."""
    return all(name.lower() != "file_row_number" for name in (*columns.source_of.values(), *columns.unknown))


def _report_rejects(con: duckdb.DuckDBPyConnection, spec: TableSpec, source: Source, issues_table: str) -> int:
    exists = _count(con, f"SELECT count(*) FROM duckdb_tables() WHERE table_name = {literal(REJECTS_TABLE)}")
    if not exists:
        return 0
    con.execute(
        f"""
        INSERT INTO {issues_table}
        SELECT {literal(spec.name)}, {literal(source.label)}, line,
               CASE WHEN count(DISTINCT column_name) = 1 THEN any_value(column_name) END,
               left(any_value(csv_line), 200), 'error', 'malformed_line',
               'line could not be read as CSV (' || string_agg(DISTINCT lower(error_type), '; ') || ')'
        FROM {REJECTS_TABLE} GROUP BY line
        """
    )
    con.execute(f"DROP TABLE IF EXISTS {REJECT_OFFSETS}")
    con.execute(
        f"""
        CREATE TEMP TABLE {REJECT_OFFSETS} AS
        WITH lines AS (
            SELECT line, row_number() OVER (ORDER BY line) AS n FROM (SELECT DISTINCT line FROM {REJECTS_TABLE})
        )
        SELECT line - {source.first_row} - (n - 1) AS threshold, max(n) AS shift FROM lines GROUP BY ALL
        """
    )
    return _count(con, f"SELECT count(DISTINCT line) FROM {REJECTS_TABLE}")


def _shifted_rows_sql(con: duckdb.DuckDBPyConnection, first_row: int) -> str:
    """Row numbers that skip the unreadable lines.

    Readable row k (0-based) is preceded by every unreadable line whose count of readable lines before it is at
    most k; an ASOF join finds how many those are.
    """
    return (
        f"SELECT s.rowid + {first_row} + coalesce(o.shift, 0) AS {ROW}, s.* "
        f"FROM {STAGE} s ASOF LEFT JOIN {REJECT_OFFSETS} o ON s.rowid >= o.threshold"
    )


def _drop_rejects(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"DROP TABLE IF EXISTS {REJECTS_TABLE}")
    con.execute(f"DROP TABLE IF EXISTS {REJECTS_SCAN}")


def drop_stage(con: duckdb.DuckDBPyConnection) -> None:
    """Free the staging tables."""
    con.execute(f"DROP TABLE IF EXISTS {STAGE}")
    con.execute(f"DROP TABLE IF EXISTS {REJECT_OFFSETS}")


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0
