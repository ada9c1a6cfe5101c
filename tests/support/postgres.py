"""The PostgreSQL server the tests run on (127.0.0.1:5432, trust auth, database ``test``), spelt once.

An unreachable server fails the test that needs it rather than skipping it: a skipped equivalence test would
pass while proving nothing.
"""

from __future__ import annotations

import psycopg
import pytest

#: The server as libpq connection parameters, and as the URL ``--engine`` and the importer take.
SERVER = "host=127.0.0.1 port=5432 dbname=test user=postgres"
URL = "postgresql://postgres@127.0.0.1:5432/test"


def connect() -> psycopg.Connection:
    """A connection in autocommit mode, or the test fails saying the server is not there."""
    try:
        return psycopg.connect(SERVER, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at 127.0.0.1:5432 (database test, user postgres): {exc}")


def schemas(prefix: str) -> set[str]:
    """The server's schemas whose names begin with ``prefix``."""
    with connect() as con:
        rows = con.execute("SELECT schema_name FROM information_schema.schemata").fetchall()
    return {str(name) for (name,) in rows if str(name).startswith(prefix)}
