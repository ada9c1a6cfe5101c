"""Running the standards on a PostgreSQL server: the loaded data copied into a scratch schema, queried there.

The data is loaded into DuckDB as always (with its quality checks), then each table is copied into a schema
``cw_run_<hex>`` made for this run alone, with casewatch's working tables beside it (the same statements
``casewatch standards sql`` writes, keyed so PostgreSQL indexes the calendars). ``evaluate`` renders each
standard's query for PostgreSQL and reads the rows back; the schema is dropped when the runner is closed,
whatever happened. Copying goes through ``COPY … FROM STDIN`` as CSV written by Arrow: row-by-row inserts of a
council's hundreds of thousands of rows would take minutes.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache

import duckdb
import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
from psycopg import sql
from sqlglot import exp

from casewatch.calendars import Calendar, get_calendar
from casewatch.errors import CasewatchError
from casewatch.results import RESULT_SCHEMA

from .dialects import DIALECTS
from .finish import READS_FROM, allocations_sql, allocations_table
from .sql_files import working_tables_sql

#: What a query returns: the result columns and the earliest day a completing record may be dated.
QUERY_SCHEMA = RESULT_SCHEMA.append(pa.field(READS_FROM, pa.date32()))
#: Rows of a table sent per COPY chunk, so a large table is never held twice over as CSV text.
_ROWS_PER_CHUNK = 100_000


class PostgresRunner:
    """The queries run in a scratch schema of a PostgreSQL server, holding a copy of the loaded tables."""

    dialect = DIALECTS["postgres"]

    def __init__(self, url: str, con: duckdb.DuckDBPyConnection, column_types: Mapping[str, Mapping[str, str]]):
        """Connect, make the scratch schema and copy every table of ``con`` into it.

        An unreachable server or a bad URL is one sentence (``CasewatchError``); if the copy fails part way, the
        schema is dropped before the error goes on.
        """
        self.schema = f"cw_run_{uuid.uuid4().hex[:12]}"
        server = _without_password(url)
        try:
            self._pg = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except (psycopg.Error, ValueError) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise CasewatchError(f"cannot connect to the PostgreSQL engine {server}: {reason}") from None
        self.where = f"PostgreSQL {server}, scratch schema {self.schema} (dropped afterwards)"
        try:
            self._pg.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.schema)))
        except psycopg.Error as exc:
            self._pg.close()
            raise CasewatchError(f"cannot create a scratch schema on {server}: {exc}") from None
        try:
            self._pg.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(self.schema)))
            with self._pg.transaction():  # one commit for every table, not one per statement
                for table, columns in column_types.items():
                    self._copy(con, table, columns)
        except BaseException:
            self.close()
            raise

    def _copy(self, con: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, str]) -> None:
        """Create ``table`` with PostgreSQL's spelling of each DuckDB type, and COPY its rows in as CSV."""
        names = list(columns)
        definitions = sql.SQL(", ").join(
            sql.SQL("{} {}").format(
                sql.Identifier(name), sql.SQL(exp.DataType.build(kind, dialect="duckdb").sql(dialect="postgres"))
            )
            for name, kind in columns.items()
        )
        self._pg.execute(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(table), definitions))
        selected = ", ".join(f'"{name}"' for name in names)
        reader = con.sql(f'SELECT {selected} FROM "{table}"').to_arrow_reader(_ROWS_PER_CHUNK)
        copy = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv)").format(
            sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(n) for n in names)
        )
        filled = False
        with self._pg.cursor().copy(copy) as writer:
            for batch in reader:
                if batch.num_rows:
                    filled = True
                    # Arrow writes a null as nothing and an empty text as "": PostgreSQL's CSV reads them so.
                    text = io.BytesIO()
                    pa_csv.write_csv(batch, text, pa_csv.WriteOptions(include_header=False))
                    writer.write(text.getvalue())
        # A table just filled has no statistics, and the planner then guesses its joins badly.
        if filled:
            self._pg.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))

    def prepare(self, calendars: Sequence[Calendar], allocated_roles: Sequence[str], tables: frozenset[str]) -> None:
        with self._pg.transaction():
            self._pg.execute(_working_tables(tuple(calendar.id for calendar in calendars)))
            ordered = allocations_sql(allocated_roles, tables, self.dialect.sqlglot)
            if ordered is not None:
                name = sql.Identifier(allocations_table(allocated_roles))
                self._pg.execute(sql.SQL("CREATE TABLE {} AS ").format(name) + sql.SQL(ordered))
                self._pg.execute(sql.SQL("ANALYZE {}").format(name))

    def run(self, query: str) -> pa.Table:
        cursor = self._pg.execute(query.encode())
        names = [column.name for column in cursor.description or []]
        rows = cursor.fetchall()
        columns = {name: [_plain(row[i]) for row in rows] for i, name in enumerate(names)}
        return pa.table({field.name: pa.array(columns[field.name], field.type) for field in QUERY_SCHEMA})

    def close(self) -> None:
        """Drop the scratch schema and everything in it, then disconnect (safe to call twice)."""
        if self._pg.closed:
            return
        try:
            self._pg.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(self.schema)))
        finally:
            self._pg.close()


@cache
def _working_tables(calendar_ids: tuple[str, ...]) -> bytes:
    """The working tables' statements for PostgreSQL, written once per process: building every calendar day's
    row as a syntax tree takes longer than the server takes to run them."""
    return working_tables_sql([get_calendar(c) for c in calendar_ids], DIALECTS["postgres"]).encode()


def _plain(value: object) -> object:
    """A PostgreSQL value as Arrow takes it for the result schema (a NUMERIC arrives as ``Decimal``)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _without_password(url: str) -> str:
    """The URL to show in messages: a password in it is never printed."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if at and ":" in credentials:
        credentials = credentials.split(":", 1)[0] + ":***"
    return f"{scheme}://{credentials}{at}{host}"


__all__ = ["QUERY_SCHEMA", "PostgresRunner"]
