"""Reading an SSD schema through SQLAlchemy (SQL Server, PostgreSQL, SQLite), strictly read-only.

casewatch must never change a council's warehouse, so the connection itself refuses writes wherever the
backend can: PostgreSQL sessions are opened read-only (``postgresql_readonly``), SQLite files are opened with
``mode=ro``. SQL Server has no session-level read-only switch; there casewatch issues only SELECTs, and the
docs advise a login that holds only ``db_datareader``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import URL

from casewatch.data.config import DataConfig
from casewatch.errors import DataError

from .reader import CHUNK_ROWS, BadRow, Row, first_line

DEFAULT_SCHEMA = "ssd_development"
# Backends without named schemas of their own: an absent ssd_development falls back to their default schema.
_SCHEMALESS = {"sqlite": "main", "duckdb": "main"}
_DRIVER_HELP = {
    "mssql": "pip install pyodbc, plus Microsoft's ODBC Driver 18 for SQL Server",
    "postgresql": "pip install 'psycopg[binary]'",
}


def database_url(source: str) -> URL:
    """``source`` as a SQLAlchemy URL, with the driver casewatch ships when the URL names none."""
    try:
        url = sa.make_url(source)
    except sa.exc.ArgumentError as exc:
        raise DataError(f"'{source}' is neither a folder nor a database URL such as postgresql://host/db.") from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def shown(url: URL) -> str:
    """The URL as reports show it: the password hidden."""
    return url.render_as_string(hide_password=True)


def resolve_schema(found: list[str], wanted: str | None, backend: str, label: str) -> str:
    """The schema to read: ``wanted`` (case-insensitive), else ssd_development, else a schemaless default."""
    by_lower = {s.lower(): s for s in found}
    name = wanted or DEFAULT_SCHEMA
    if name.lower() in by_lower:
        return by_lower[name.lower()]
    if wanted is None and backend in _SCHEMALESS and _SCHEMALESS[backend] in by_lower:
        return by_lower[_SCHEMALESS[backend]]
    hint = "" if wanted else "; name the SSD's schema with --schema"
    raise DataError(f"{label} has no schema '{name}' (schemas: {', '.join(sorted(found)) or 'none'}){hint}.")


class DatabaseSource:
    """What the database readers share: a URL shown without its password, and no settings or files of their own."""

    row_numbers = "position in primary-key order (1 = first row)"

    def __init__(self, source: str) -> None:
        self.url = database_url(source)
        self.label = shown(self.url)
        self.config = DataConfig()
        self.config_text: str | None = None
        self.ignored: list[str] = []


class DatabaseReader(DatabaseSource):
    """An SSD schema in a database SQLAlchemy can reach."""

    def __init__(self, source: str, schema: str | None) -> None:
        super().__init__(source)
        url = self.url
        self.backend = url.get_backend_name()
        self.engine = self._engine(url)
        try:
            self.connection = self.engine.connect()
        except sa.exc.DBAPIError as exc:
            self.engine.dispose()
            raise DataError(f"Cannot connect to {self.label}: {first_line(exc)}.") from exc
        try:
            self.inspector = sa.inspect(self.connection)
            self.schema = resolve_schema(self.inspector.get_schema_names(), schema, self.backend, self.label)
        except sa.exc.DBAPIError as exc:
            self.close()
            raise DataError(f"{self.label}: the database could not be read ({first_line(exc)}).") from exc
        except BaseException:
            self.close()
            raise

    def _engine(self, url: URL) -> sa.Engine:
        try:
            if self.backend == "sqlite":
                return _sqlite_engine(url)
            options = {"postgresql_readonly": True} if self.backend == "postgresql" else {}
            return sa.create_engine(url, execution_options=options)
        except ImportError as exc:
            help_ = _DRIVER_HELP.get(self.backend, f"install the {url.get_driver_name()} package")
            raise DataError(
                f"{self.label} needs the {url.get_driver_name()} database driver, which is not installed here "
                f"({help_}), or import a CSV/Parquet extract of the schema instead."
            ) from exc
        except sa.exc.NoSuchModuleError as exc:
            raise DataError(f"{self.label}: casewatch cannot read '{url.drivername}' databases.") from exc

    def table_names(self) -> list[str]:
        names = self.inspector.get_table_names(schema=self.schema)
        return [*names, *self.inspector.get_view_names(schema=self.schema)]

    def where(self, name: str) -> str:
        return f"{self.schema}.{name}"

    def columns(self, name: str) -> list[str]:
        return [str(c["name"]) for c in self.inspector.get_columns(name, schema=self.schema)]

    def chunks(
        self, name: str, columns: list[str], order_by: str | None, bad: BadRow, size: int = CHUNK_ROWS
    ) -> Iterator[list[Row]]:
        table = sa.table(name, *(sa.column(c) for c in columns), schema=self.schema)
        statement = sa.select(*table.c)
        if order_by is not None:
            statement = statement.order_by(table.c[order_by])
        result = self.connection.execution_options(stream_results=True, yield_per=size).execute(statement)
        number = 0
        for part in result.partitions(size):
            rows: list[Row] = []
            for values in part:
                number += 1
                rows.append((number, tuple(values)))
            yield rows

    def close(self) -> None:
        self.connection.close()
        self.engine.dispose()


def _sqlite_engine(url: URL) -> sa.Engine:
    """A SQLite file opened read-only: the file must exist, and nothing can be written to it."""
    database = url.database or ""
    path = Path(database)
    if not database or database == ":memory:" or not path.is_file():
        raise DataError(f"{shown(url)}: no SQLite file at '{database}'.")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    return sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
