"""``--engine postgresql://…``: the standards run on a PostgreSQL server give exactly what DuckDB gives.

The data is loaded into DuckDB, copied into a scratch schema and evaluated there; ``evaluate`` applies the same
post-processing to both engines' rows, so what these tests compare is the SQL's meaning on each engine and the
copy. They compare every result column of every instance (a multiset, not counts) and the results' caveats,
and check the scratch schema is gone afterwards, also when the run fails. PostgreSQL must be reachable at
127.0.0.1:5432: an unreachable server fails these tests.

The pack cases run for the first case of each standard of England's pack and St Helena's (a council
pack with its own calendar): every case of every pack took over nine minutes on PostgreSQL (about two seconds a
case, each a schema of its own with some fifty tables), far more than the suite can spend.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from casewatch import api
from casewatch.engine import evaluate
from casewatch.engine.evaluate import data_column_types
from casewatch.engine.postgres import PostgresRunner
from casewatch.errors import CasewatchError
from casewatch.results import RESULT_COLUMNS, Results
from casewatch.standards.loader import load_pack
from casewatch.standards.pack import Standard
from support.cases import Case, load_cases
from support.engine_adapter import load_tables
from support.facts import facts_to_tables
from support.postgres import URL, schemas

CASEWATCH = Path(sys.executable).parent / "casewatch"
SCRATCH = "cw_run_"
CASE_PACKS = ("england", "st-helena")
#: Each case takes about two seconds on PostgreSQL (most of it the server's), so the first case of each standard.
CASES_PER_STANDARD = 1


def _multiset(table: pa.Table) -> Counter[tuple[Any, ...]]:
    return Counter(tuple(row[c] for c in RESULT_COLUMNS) for row in table.to_pylist())


def _cases() -> list[Any]:
    params = []
    for name in CASE_PACKS:
        pack = load_pack(name)
        for standard in pack.own.values():
            for case in load_cases(standard.cases_path)[:CASES_PER_STANDARD]:
                params.append(pytest.param(standard, case, id=f"{name}/{case.standard}/{case.name}"))
    return params


@pytest.mark.parametrize(("standard", "case"), _cases())
def test_each_case_gives_the_same_instances_on_postgresql(standard: Standard, case: Case) -> None:
    for interpretation, reading in case.readings.items():
        standard = standard.with_reading(interpretation, reading)
    con = load_tables(facts_to_tables(case.data, standard.subject, standard_id=standard.id))
    roles = tuple(case.allocated_roles)
    on_duckdb = evaluate([standard], con, case.as_at, allocated_roles=roles)
    runner = PostgresRunner(URL, con, data_column_types(con))
    try:
        on_postgres = evaluate([standard], con, case.as_at, allocated_roles=roles, runner=runner)
    finally:
        runner.close()
    assert on_postgres.not_evaluated == on_duckdb.not_evaluated == {}
    assert _multiset(on_postgres.instances) == _multiset(on_duckdb.instances)


def _caveats(results: Results) -> tuple[dict[str, str], ...]:
    return results.out_of_window, results.limited, results.not_evaluated, dict(results.code_limits)


@pytest.fixture(scope="module")
def example() -> tuple[Results, Results]:
    """England's pack over the example council, on DuckDB and on PostgreSQL."""
    data = api.load_data(api.EXAMPLE_COUNCIL, as_at=api.EXAMPLE_AS_AT)
    try:
        on_duckdb = api.evaluate("england", data, api.EXAMPLE_AS_AT)
        on_postgres = api.evaluate("england", data, api.EXAMPLE_AS_AT, engine=URL)
    finally:
        data.close()
    return on_duckdb, on_postgres


def test_the_example_council_gives_the_same_instances_on_postgresql(example: tuple[Results, Results]) -> None:
    on_duckdb, on_postgres = example
    assert on_duckdb.instances.num_rows > 1000
    assert _multiset(on_postgres.instances) == _multiset(on_duckdb.instances)
    assert on_postgres.instances.schema == on_duckdb.instances.schema


def test_the_example_council_gives_the_same_caveats_on_postgresql(example: tuple[Results, Results]) -> None:
    on_duckdb, on_postgres = example
    assert on_duckdb.out_of_window  # the example's history window leaves instances out: the caveats are compared
    assert _caveats(on_postgres) == _caveats(on_duckdb)


def test_a_standard_without_its_data_is_not_evaluated_on_postgresql() -> None:
    con = load_tables({})
    con.execute("DROP TABLE ssd_cla_visits")
    standard = load_pack("england").get("cla-visits")
    runner = PostgresRunner(URL, con, data_column_types(con))
    try:
        results = evaluate([standard], con, date(2026, 10, 30), runner=runner)
    finally:
        runner.close()
    assert results.not_evaluated == {standard.id: "not evaluated: missing data (no ssd_cla_visits table)"}


@pytest.fixture
def closed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The scratch schemas of the runners closed during the test, in order."""
    names: list[str] = []
    close = PostgresRunner.close

    def recording(self: PostgresRunner) -> None:
        names.append(self.schema)
        close(self)

    monkeypatch.setattr(PostgresRunner, "close", recording)
    return names


def test_the_scratch_schema_is_dropped_after_a_run(closed: list[str]) -> None:
    api.evaluate("england", api.EXAMPLE_COUNCIL, api.EXAMPLE_AS_AT, standards=["cla-visits"], engine=URL)
    assert len(closed) == 1 and closed[0].startswith(SCRATCH)
    assert closed[0] not in schemas(SCRATCH)


def test_the_scratch_schema_is_dropped_after_an_error_mid_run(closed: list[str]) -> None:
    during: list[set[str]] = []

    def fail_after_the_first(standard: Standard) -> None:
        during.append(schemas(SCRATCH))
        raise RuntimeError("stopped mid-run")

    with pytest.raises(RuntimeError, match="stopped mid-run"):
        api.evaluate("england", api.EXAMPLE_COUNCIL, api.EXAMPLE_AS_AT, engine=URL, progress=fail_after_the_first)
    assert len(during) == 1 and len(closed) == 1
    assert closed[0] in during[0]  # the schema was there while the standards ran,
    assert closed[0] not in schemas(SCRATCH)  # and is gone after the error


def test_an_unreachable_server_is_one_sentence() -> None:
    with pytest.raises(CasewatchError, match=r"cannot connect to the PostgreSQL engine postgresql://u:\*\*\*@"):
        api.evaluate("england", api.EXAMPLE_COUNCIL, api.EXAMPLE_AS_AT, engine="postgresql://u:secret@127.0.0.1:1/x")


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CASEWATCH), *map(str, args)], capture_output=True, text=True, check=False)


def test_the_command_runs_on_postgresql_and_names_the_schema() -> None:
    done = _run(
        "evaluate", "--standards", "england", "--data", api.EXAMPLE_COUNCIL, "--as-at", "2026-10-30",
        "--standard", "cla-visits", "--engine", URL,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stdout.split())
    assert f"Evaluating on PostgreSQL {URL}, scratch schema {SCRATCH}" in said and "england.cla-visits" in said
    schema = said.split("scratch schema ", 1)[1].split()[0]
    assert schema not in schemas(SCRATCH)


@pytest.mark.parametrize(
    ("engine", "message"),
    [
        ("postgresql://nobody@127.0.0.1:1/test", "cannot connect to the PostgreSQL engine postgresql://nobody@"),
        ("postgresql://[bad", "cannot connect to the PostgreSQL engine"),
        ("oracle", "unknown engine 'oracle': write duckdb or postgresql://USER@HOST:PORT/DB"),
    ],
)
def test_a_bad_engine_is_one_sentence_and_exit_1(engine: str, message: str) -> None:
    done = _run("evaluate", "--standards", "england", "--data", api.EXAMPLE_COUNCIL, "--engine", engine)
    assert done.returncode == 1
    assert message in " ".join(done.stderr.split()) and "Traceback" not in done.stderr
