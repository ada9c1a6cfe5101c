"""The compiled queries are SQLGlot trees, so one plan renders for DuckDB, PostgreSQL and Spark SQL.

Rendering alone proves little (SQLGlot renders any tree and parses its output back), so each rendering is
checked for what would break on the target: the result columns in their order (then the day the judgment
reads from, for the history window), and only functions on a short
list known to mean the same on every target. A new function in the engine must be added to the list on
purpose, after checking it on each target (issue: PostgreSQL and Spark execution).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from casewatch.calendars import get_calendar
from casewatch.engine.evaluate import compile_standard
from casewatch.engine.finish import READS_FROM
from casewatch.engine.relations import RelationCompiler
from casewatch.results import RESULT_COLUMNS
from casewatch.standards.loader import available_packs, load_pack
from casewatch.standards.pack import Standard
from casewatch.standards.sources import load_sources

ALL_STANDARDS = [s for name in available_packs() for s in load_pack(name).own.values()]
#: SQL functions (SQLGlot's classes) whose meaning is the same in DuckDB, PostgreSQL and Spark SQL as rendered.
PORTABLE = {
    "And", "Or", "Case", "If", "Cast", "TryCast", "Coalesce", "Count", "Sum", "Min", "Max", "Least",
    "Extract", "Floor", "Lag", "RowNumber", "Trim", "Upper",
    # vocabulary.fold: every match replaced (SQLGlot writes 'g' for DuckDB and PostgreSQL; Spark's replaces all),
    # and the pattern is a character class of plain escapes that RE2, PostgreSQL's and Java's engines read alike.
    "RegexpReplace",
}  # fmt: skip
#: Date functions SQLGlot renders per dialect from one tree (Spark has no interval arithmetic on dates).
PER_DIALECT = {
    "duckdb": {"DateDiff"},
    "postgres": set(),
    "spark": {"AddMonths", "DateDiff", "TsOrDsAdd", "TsOrDsToDate"},
}


def unportable(text: str, dialect: str) -> list[str]:
    """The functions of a rendering that are neither portable nor rendered for this dialect by SQLGlot."""
    allowed = PORTABLE | PER_DIALECT[dialect]
    tree = sqlglot.parse_one(text, read=dialect)
    found = {f.name.upper() if isinstance(f, exp.Anonymous) else type(f).__name__ for f in tree.find_all(exp.Func)}
    return sorted(found - allowed)


def test_the_check_catches_a_function_only_duckdb_has() -> None:
    text = sqlglot.parse_one("SELECT ARG_MAX(a, b), LIST_VALUE(1) FROM t", read="duckdb").sql(dialect="postgres")
    assert unportable(text, "postgres") == ["ArgMax", "Array"]


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
    parsed = sqlglot.parse_one(text, read=dialect)
    assert isinstance(parsed, exp.Query)
    assert tuple(parsed.named_selects) == (*RESULT_COLUMNS, READS_FROM)
    assert unportable(text, dialect) == []
