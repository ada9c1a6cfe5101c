"""The compiled queries are SQLGlot trees, so one plan renders for DuckDB, PostgreSQL and Spark SQL."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
import sqlglot

from casewatch.calendars import get_calendar
from casewatch.engine.evaluate import compile_standard
from casewatch.engine.relations import RelationCompiler
from casewatch.standards.loader import Standard, available_packs, load_pack
from casewatch.standards.sources import load_sources

ALL_STANDARDS = [s for name in available_packs() for s in load_pack(name).own.values()]


@pytest.mark.parametrize("standard", ALL_STANDARDS, ids=lambda s: s.id)
@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "spark"])
def test_every_standard_renders_for_each_target(standard: Standard, dialect: str) -> None:
    con = duckdb.connect()
    relations = RelationCompiler(
        load_sources(),
        {},
        date(2026, 10, 30),
        {"allocated_worker_roles": ["SW"]},
        get_calendar("england").is_working_day,
    )
    tables = frozenset(["ssd_person", "ssd_involvements", "ssd_professionals", "ext_exceptions", "ssd_family"])
    query = compile_standard(standard, date(2026, 10, 30), tables, relations, con, ["SW"])
    assert query is not None
    text = query.sql(dialect=dialect)
    # The rendering parses back in its own dialect: it is real SQL of that dialect, not a DuckDB string.
    assert sqlglot.parse_one(text, read=dialect) is not None
    assert "status" in text
