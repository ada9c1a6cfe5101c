"""`casewatch standards sql`: each standard as a SQL file a warehouse team can read, review and run.

SQL Server is not run here, so its files are checked in two ways: statically (every file parses as T-SQL and
uses nothing SQL Server 2016 lacks) and for meaning (the rewritten trees, written back as DuckDB SQL, give the
instances the engine gives on the example council). The DuckDB files themselves are run there too.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import sqlglot
from sqlglot import exp

from casewatch.api import EXAMPLE_AS_AT, EXAMPLE_COUNCIL, load_data
from casewatch.calendars import get_calendar
from casewatch.data.contract import SQL_TYPES, TABLES
from casewatch.data.vocabulary import fold
from casewatch.engine.dialects import DIALECTS, for_sql_server_2016
from casewatch.engine.evaluate import evaluate
from casewatch.engine.finish import READS_FROM
from casewatch.engine.sql_files import WORKING_TABLES_FILE, standard_sql, standard_tree, working_tables_sql
from casewatch.results import RESULT_COLUMNS, RESULT_SCHEMA
from casewatch.standards.loader import available_packs, load_pack
from casewatch.standards.pack import Standard
from support.postgres import connect as connect_postgres

CASEWATCH = Path(sys.executable).parent / "casewatch"
AS_AT = "2026-10-30"
PACKS = available_packs()
#: What SQL Server 2016 (compatibility level 130) lacks: SQLGlot's classes, and names it does not know.
NEWER_CLASSES = {
    "Greatest", "Least", "GroupConcat", "StringAgg", "ArrayAgg", "ConcatWs", "DateTrunc", "TimestampTrunc",
    "DatetimeTrunc", "RegexpReplace", "RegexpLike", "RegexpExtract",
}  # fmt: skip
NEWER_NAMES = {"GREATEST", "LEAST", "TRIM", "STRING_AGG", "CONCAT_WS", "DATE_TRUNC", "DATETRUNC", "REGEXP_REPLACE"}


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CASEWATCH), *map(str, args)], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def tsql_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every shipped pack written out as T-SQL by the command, one folder per pack."""
    folders = {}
    for pack in PACKS:
        out = tmp_path_factory.mktemp(pack)
        done = _run("standards", "sql", pack, "--dialect", "tsql", "--out", out, "--as-at", AS_AT)
        assert done.returncode == 0, done.stderr
        assert f"{len(load_pack(pack).standards)} T-SQL" in " ".join(done.stdout.split())
        folders[pack] = out
    return folders


def newer_than_2016(text: str) -> list[str]:
    """What a T-SQL text uses that SQL Server 2016 lacks, read from its parsed tree."""
    tree = sqlglot.parse_one(text, read="tsql")
    found = []
    for function in tree.find_all(exp.Func):
        name = function.name.upper() if isinstance(function, exp.Anonymous) else type(function).__name__
        if name in NEWER_CLASSES or name in NEWER_NAMES:
            found.append(name)
        elif isinstance(function, exp.Trim) and not function.text("position"):  # LTRIM/RTRIM read as a side
            found.append("TRIM")
    for kind in tree.find_all(exp.DataType):
        if kind.is_type(*exp.DataType.TEXT_TYPES) and not kind.expressions:
            found.append(f"{kind.sql(dialect='tsql')} without a length")
    found += ["INTERVAL" for _ in tree.find_all(exp.Interval)]
    return sorted(set(found))


def test_the_check_finds_what_sql_server_2016_lacks() -> None:
    text = (
        "SELECT GREATEST(a, b), LEAST(a, b), TRIM(c), STRING_AGG(d, ','), CAST(e AS VARCHAR), DATETRUNC(month, f), "
        "CONCAT_WS(',', a, b) FROM t"
    )
    assert newer_than_2016(text) == [
        "ConcatWs", "Greatest", "GroupConcat", "Least", "TRIM", "TimestampTrunc", "VARCHAR without a length"
    ]  # fmt: skip
    assert newer_than_2016("SELECT LTRIM(RTRIM(c)), CAST(e AS NVARCHAR(4000)), DATEADD(HOUR, 2, f) FROM t") == []


@pytest.mark.parametrize("pack", PACKS)
def test_every_tsql_file_parses_and_needs_nothing_newer_than_sql_server_2016(
    pack: str, tsql_files: dict[str, Path]
) -> None:
    files = sorted(f for f in tsql_files[pack].glob("*.sql") if f.name != WORKING_TABLES_FILE)
    assert [f.name for f in files] == sorted(f"{s}.sql" for s in load_pack(pack).standards)
    for file in files:
        text = file.read_text(encoding="utf-8")
        parsed = sqlglot.parse_one(text, read="tsql")
        assert isinstance(parsed, exp.Query), file.name
        assert tuple(parsed.named_selects) == (*RESULT_COLUMNS, READS_FROM), file.name
        assert newer_than_2016(text) == [], file.name


def _comment_text(text: str) -> str:
    lines = [line.removeprefix("--").strip() for line in text.splitlines() if line.startswith("--")]
    return " ".join(" ".join(lines).split())


@pytest.mark.parametrize("pack", PACKS)
def test_each_file_cites_its_standard_and_says_what_it_reads(pack: str, tsql_files: dict[str, Path]) -> None:
    for standard in load_pack(pack).standards.values():
        header = _comment_text((tsql_files[pack] / f"{standard.id}.sql").read_text(encoding="utf-8"))
        citation = standard.spec.citation
        document = standard.documents[citation.document].title if citation.document in standard.documents else ""
        assert header.startswith(f"{standard.id}: {standard.title}")
        assert " ".join(f'"{citation.quote.strip()}"'.split()) in header
        assert f"{document}" in header and citation.section in header
        assert "SQL Server 2016" in header and f"as at {AS_AT}" in header
        for table, columns in standard.requirements.items():
            assert f"{table}: {', '.join(sorted(columns))}" in header


def test_a_hour_rule_adds_hours_in_tsql(tsql_files: dict[str, Path]) -> None:
    text = (tsql_files["england"] / "england.return-interview.sql").read_text(encoding="utf-8")
    adds = [a for a in sqlglot.parse_one(text, read="tsql").find_all(exp.DateAdd) if a.text("unit").upper() == "HOUR"]
    assert adds and {a.expression.sql() for a in adds} == {"72"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nopack", "--dialect", "tsql"], "there is no pack 'nopack'"),
        (
            ["england", "--dialect", "oracle"],
            "unknown SQL dialect 'oracle': choose one of duckdb, postgres, spark",
        ),
    ],
)
def test_bad_input_is_one_sentence_and_a_failure(args: list[str], message: str, tmp_path: Path) -> None:
    done = _run("standards", "sql", *args, "--out", tmp_path)
    assert done.returncode == 1
    assert message in " ".join(done.stderr.split()) and "Traceback" not in done.stderr


def test_a_folder_that_cannot_be_made_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    done = _run("standards", "sql", "england", "--dialect", "spark", "--out", tmp_path / "a-file" / "sql")
    assert done.returncode == 1
    assert "cannot write SQL files into" in done.stderr and "Traceback" not in done.stderr


# ----------------------------------------------------------------------------- what the SQL means, on DuckDB


@pytest.fixture(scope="module")
def council() -> Iterator[tuple[duckdb.DuckDBPyConnection, list[str]]]:
    """The example council with every contract table (empty where it has none), and its case-holding roles."""
    data = load_data(EXAMPLE_COUNCIL, as_at=EXAMPLE_AS_AT)
    con = data.con
    present = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    for table in TABLES.values():
        if table.name not in present:
            columns = ", ".join(f'"{c.name}" {SQL_TYPES[c.type]}' for c in table.columns)
            con.execute(f'CREATE TABLE "{table.name}" ({columns})')
    yield con, list(data.config.allocated_worker_roles)
    data.close()


ENGLAND = list(load_pack("england").standards.values())


def _rows(table: pa.Table) -> list[tuple[object, ...]]:
    """The result columns' rows, in order (a written file also gives ``reads_from``, for the history window)."""
    results = table.select(list(RESULT_COLUMNS)).cast(RESULT_SCHEMA)
    return sorted((tuple(row.values()) for row in results.to_pylist()), key=repr)


@pytest.fixture(scope="module")
def engine_instances(council: tuple[duckdb.DuckDBPyConnection, list[str]]) -> dict[str, list[tuple[object, ...]]]:
    con, roles = council
    results = evaluate(ENGLAND, con, date.fromisoformat(AS_AT), allocated_roles=roles)
    instances = results.instances
    return {s.id: _rows(instances.filter(pc.equal(instances.column("standard_id"), s.id))) for s in ENGLAND}


@pytest.mark.parametrize("standard", ENGLAND, ids=lambda s: s.id)
def test_the_duckdb_file_gives_the_engines_instances(
    standard: Standard,
    council: tuple[duckdb.DuckDBPyConnection, list[str]],
    engine_instances: dict[str, list[tuple[object, ...]]],
) -> None:
    con, roles = council
    written = standard_sql(standard, DIALECTS["duckdb"], date.fromisoformat(AS_AT), roles)
    assert written is not None
    assert _rows(con.sql(written.text).to_arrow_table()) == engine_instances[standard.id]


def _as_duckdb(tree: exp.Expr) -> str:
    """A rewritten tree as DuckDB SQL (NCHAR, SQL Server's Unicode character, is DuckDB's CHR)."""
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.upper() == "NCHAR":
            node.replace(exp.Chr(expressions=node.expressions))
    return tree.sql(dialect="duckdb")


@pytest.mark.parametrize("standard", ENGLAND, ids=lambda s: s.id)
def test_the_sql_server_rewriting_keeps_the_meaning(
    standard: Standard,
    council: tuple[duckdb.DuckDBPyConnection, list[str]],
    engine_instances: dict[str, list[tuple[object, ...]]],
) -> None:
    """GREATEST/LEAST as CASE, TRIM as LTRIM(RTRIM()), the fold without regular expressions, conditions as
    values and values as conditions: run on DuckDB, the rewritten query gives the engine's instances."""
    con, roles = council
    tree = standard_tree(standard, date.fromisoformat(AS_AT), roles)
    assert tree is not None
    rewritten = for_sql_server_2016(tree)
    assert not list(rewritten.find_all(exp.Least, exp.Greatest, exp.RegexpReplace, exp.Interval))
    assert _rows(con.sql(_as_duckdb(rewritten)).to_arrow_table()) == engine_instances[standard.id]


@pytest.mark.parametrize("text", ["  a \t\n b\xa0\xa0c  ", "RHA", " rha", "a\r\n\fb", "", "   ", "x \v  y"])
def test_the_fold_without_regular_expressions_is_the_fold(text: str) -> None:
    from casewatch.data.normalise import fold_expression

    tree = exp.select(exp.alias_(fold_expression(exp.Literal.string(text)), "f"))
    assert duckdb.connect().execute(_as_duckdb(for_sql_server_2016(tree))).fetchall() == [(fold(text),)]


@pytest.mark.parametrize(
    ("values", "least", "greatest"),
    [((3, 1, 2), 1, 3), ((None, 2, 5), 2, 5), ((4, None), 4, 4), ((None, None), None, None)],
)
def test_least_and_greatest_ignore_nulls_as_every_other_target_does(
    values: tuple[int | None, ...], least: int | None, greatest: int | None
) -> None:
    args = [exp.Cast(this=exp.convert(v), to=exp.DataType.build("INTEGER")) for v in values]
    tree = exp.select(
        exp.Least(this=args[0], expressions=[a.copy() for a in args[1:]]),
        exp.Greatest(this=args[0].copy(), expressions=[a.copy() for a in args[1:]]),
    )
    assert duckdb.connect().execute(_as_duckdb(for_sql_server_2016(tree))).fetchall() == [(least, greatest)]


# ------------------------------------------------------------------------------------------ the working tables


def _calendar_rows(con: duckdb.DuckDBPyConnection | psycopg.Connection, table: str) -> list[tuple[object, ...]]:
    query = f"SELECT cal_date, is_working_day, wd_ordinal FROM {table} ORDER BY cal_date"
    return [tuple(row) for row in con.execute(query).fetchall()]


def _expected_calendar() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    days = get_calendar("england").to_arrow()
    rows = list(zip(*(days.column(c).to_pylist() for c in ("cal_date", "is_working_day", "wd_ordinal")), strict=True))
    return rows, [(ordinal, day) for day, working, ordinal in rows if working]


def test_the_working_tables_file_creates_the_calendar_and_numbers_on_duckdb() -> None:
    con = duckdb.connect()
    for statement in working_tables_sql([get_calendar("england")], DIALECTS["duckdb"]).split(";\n"):
        if statement.strip():
            con.execute(statement)
    days, working = _expected_calendar()
    assert _calendar_rows(con, "cw_cal_england") == days
    assert con.execute("SELECT wd_ordinal, cal_date FROM cw_wd_england ORDER BY 1").fetchall() == working
    assert con.execute("SELECT COUNT(*), MIN(k), MAX(k) FROM cw_numbers").fetchone() == (2000, 0, 1999)


def test_the_working_tables_file_creates_the_calendar_and_numbers_on_postgresql() -> None:
    schema = f"cw_sql_files_{uuid.uuid4().hex[:10]}"
    con = connect_postgres()
    with con:
        con.execute(f"CREATE SCHEMA {schema}")
        try:
            con.execute(f"SET search_path TO {schema}")
            con.execute(working_tables_sql([get_calendar("england")], DIALECTS["postgres"]).encode())
            days, working = _expected_calendar()
            assert _calendar_rows(con, "cw_cal_england") == days
            assert con.execute("SELECT wd_ordinal, cal_date FROM cw_wd_england ORDER BY 1").fetchall() == working
            assert con.execute("SELECT COUNT(*), MIN(k), MAX(k) FROM cw_numbers").fetchone() == (2000, 0, 1999)
        finally:
            con.execute(f"DROP SCHEMA {schema} CASCADE")


def test_the_command_writes_the_working_tables_beside_the_standards(tsql_files: dict[str, Path]) -> None:
    text = (tsql_files["st-helena"] / WORKING_TABLES_FILE).read_text(encoding="utf-8")
    assert "CREATE TABLE cw_cal_st_helena" in text and "is_working_day BIT" in text
    assert newer_than_2016(text.split(";\n")[1]) == []


# ---------------------------------------------------------------------------- the PostgreSQL files, on PostgreSQL


@pytest.fixture(scope="module")
def postgres_council(council: tuple[duckdb.DuckDBPyConnection, list[str]]) -> Iterator[psycopg.Connection]:
    """The example council copied into a fresh PostgreSQL schema with the working tables; dropped afterwards."""
    duck, _ = council
    schema = f"cw_sql_files_{uuid.uuid4().hex[:10]}"
    con = connect_postgres()
    con.execute(f"CREATE SCHEMA {schema}")
    try:
        con.execute(f"SET search_path TO {schema}")
        for table in TABLES.values():
            kinds = [exp.DataType.build(SQL_TYPES[c.type]).sql(dialect="postgres") for c in table.columns]
            columns = ", ".join(f'"{c.name}" {kind}' for c, kind in zip(table.columns, kinds, strict=True))
            con.execute(f'CREATE TABLE "{table.name}" ({columns})'.encode())
            names = ", ".join(f'"{c.name}"' for c in table.columns)
            rows = duck.execute(f'SELECT {names} FROM "{table.name}"').fetchall()
            with con.cursor().copy(f'COPY "{table.name}" ({names}) FROM STDIN'.encode()) as writer:
                for row in rows:
                    writer.write_row(row)
        calendars = [get_calendar(c) for c in sorted({s.calendar for s in ENGLAND})]
        con.execute(working_tables_sql(calendars, DIALECTS["postgres"]).encode())
        yield con
    finally:
        con.execute(f"DROP SCHEMA {schema} CASCADE")
        con.close()


@pytest.mark.parametrize("standard", ENGLAND, ids=lambda s: s.id)
def test_the_postgresql_file_gives_the_engines_instances_on_postgresql(
    standard: Standard,
    council: tuple[duckdb.DuckDBPyConnection, list[str]],
    postgres_council: psycopg.Connection,
    engine_instances: dict[str, list[tuple[object, ...]]],
) -> None:
    _, roles = council
    written = standard_sql(standard, DIALECTS["postgres"], date.fromisoformat(AS_AT), roles)
    assert written is not None
    cursor = postgres_council.execute(written.text.encode())
    names = [column.name for column in cursor.description or []]
    found = pa.Table.from_pylist([dict(zip(names, row, strict=True)) for row in cursor.fetchall()], RESULT_SCHEMA)
    assert _rows(found) == engine_instances[standard.id]
