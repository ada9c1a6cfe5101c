"""Reading an SSD schema in a DuckDB file (``duckdb:///path``), opened read-only with the duckdb package itself.

SQLAlchemy needs the separate duckdb-engine dialect for these URLs; casewatch already has DuckDB, so it opens
the file directly with ``read_only=True``, which makes DuckDB refuse every write.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb

from casewatch.data.quoting import ident
from casewatch.errors import DataError

from .database import DatabaseSource, resolve_schema
from .reader import CHUNK_ROWS, BadRow, Row, first_line


class DuckDBReader(DatabaseSource):
    """An SSD schema inside a DuckDB database file."""

    def __init__(self, source: str, schema: str | None) -> None:
        super().__init__(source)
        url = self.url
        path = Path(url.database or "")
        if not url.database or not path.is_file():
            raise DataError(f"{self.label}: no DuckDB file at '{url.database or ''}'.")
        try:
            self.con = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as exc:
            raise DataError(f"{path.name}: cannot be opened as a DuckDB database ({first_line(exc)}).") from exc
        try:
            schemas = [
                str(r[0])
                for r in self._rows(
                    "SELECT DISTINCT schema_name FROM duckdb_schemas() WHERE database_name = current_database() "
                    "AND NOT internal"
                )
            ]
            self.schema = resolve_schema(schemas, schema, "duckdb", self.label)
        except DataError:
            self.con.close()
            raise

    def _rows(self, sql: str, parameters: list[object] | None = None) -> list[tuple[object, ...]]:
        """A small catalogue query; a file DuckDB cannot read is the user's problem, said in one sentence."""
        try:
            return self.con.execute(sql, parameters or []).fetchall()
        except duckdb.Error as exc:
            raise DataError(f"{self.label}: the database could not be read ({first_line(exc)}).") from exc

    def table_names(self) -> list[str]:
        rows = self._rows(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
            "AND table_schema = ?",
            [self.schema],
        )
        return [str(r[0]) for r in rows]

    def where(self, name: str) -> str:
        return f"{self.schema}.{name}"

    def columns(self, name: str) -> list[str]:
        rows = self._rows(
            "SELECT column_name FROM information_schema.columns WHERE table_catalog = current_database() "
            "AND table_schema = ? AND table_name = ? ORDER BY ordinal_position",
            [self.schema, name],
        )
        return [str(r[0]) for r in rows]

    def chunks(
        self, name: str, columns: list[str], order_by: str | None, bad: BadRow, size: int = CHUNK_ROWS
    ) -> Iterator[list[Row]]:
        selected = ", ".join(ident(c) for c in columns)
        order = f" ORDER BY {ident(order_by)}" if order_by is not None else ""
        try:
            cursor = self.con.execute(f"SELECT {selected} FROM {ident(self.schema)}.{ident(name)}{order}")
        except duckdb.Error as exc:
            raise DataError(f"{self.label}: {self.where(name)} could not be read ({first_line(exc)}).") from exc
        number = 0
        while True:
            part = cursor.fetchmany(size)
            if not part:
                return
            rows: list[Row] = []
            for values in part:
                number += 1
                rows.append((number, values))
            yield rows

    def close(self) -> None:
        self.con.close()
