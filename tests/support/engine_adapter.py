"""Running the real engine on the rows a test built, and reading its results back as ``Instance`` values.

The engine reads a DuckDB connection, so the rows are loaded the way the data layer would leave them: every
contract table exists, with every contract column typed as the contract says (absent columns NULL). Until the
engine lands, ``run_engine`` raises ``EngineUnavailable``, an assertion error that says so plainly.

The engine's results give dates in ``*_date`` columns and, for hour rules on timestamped data, the due and
completed times in ``due_datetime``/``completed_datetime``; an ``Instance`` holds the most precise of the two.
The anchor is only given as a date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import duckdb
import pyarrow as pa

from casewatch.data.contract import SQL_TYPES, TABLES, ColumnSpec, TableSpec
from casewatch.data.history import HistoryWindow
from casewatch.standards.pack import Standard
from support.instances import Instance, sorted_instances

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us"),
    "bool": pa.bool_(),
    "int": pa.int64(),
    "float": pa.float64(),
}


class EngineUnavailable(AssertionError):
    """``casewatch.engine.evaluate`` cannot be imported (the engine has not landed yet)."""


class EngineDidNotEvaluate(AssertionError):
    """The engine reported the standard as not evaluated, with its reason."""


def engine_evaluate() -> Callable[..., Any]:
    """The engine's ``evaluate``, or ``EngineUnavailable`` naming why it cannot be imported."""
    try:
        from casewatch.engine import evaluate
    except ImportError as exc:
        raise EngineUnavailable(f"casewatch.engine.evaluate is not available yet: {exc}") from None
    return evaluate


def load_tables(
    tables: Mapping[str, Sequence[Mapping[str, Any]]], con: duckdb.DuckDBPyConnection | None = None
) -> duckdb.DuckDBPyConnection:
    """A database with every contract table, typed, holding exactly ``tables``' rows.

    Without ``con`` a fresh in-memory database is made. Given one made here before, its tables are emptied
    and refilled, which is much faster than creating some fifty tables for each of hundreds of random
    examples. A row with a column the contract lacks is an error of the test (or of the vocabulary of
    sources naming a column the data layer never loads), never silently dropped.
    """
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise AssertionError(f"the data contract has no table '{unknown[0]}'")
    if con is None:
        con = duckdb.connect(":memory:")
        con.execute(";".join(_create(spec) for spec in TABLES.values()))
    else:
        filled = con.execute("SELECT table_name FROM duckdb_tables() WHERE estimated_size > 0").fetchall()
        for (name,) in filled:
            if name in TABLES:
                con.execute(f'DELETE FROM "{name}"')
    for name, spec in TABLES.items():
        rows = tables.get(name, [])
        columns = {c.name for c in spec.columns}
        for row in rows:
            extra = sorted(set(row) - columns)
            if extra:
                raise AssertionError(f"the data contract's {name} has no column '{extra[0]}' (row {dict(row)})")
        if rows:
            arrays = [
                pa.array([_typed(row.get(c.name), c) for row in rows], type=_ARROW_TYPES[c.type]) for c in spec.columns
            ]
            con.register("_casewatch_rows", pa.Table.from_arrays(arrays, names=[c.name for c in spec.columns]))
            con.execute(f'INSERT INTO "{name}" SELECT * FROM _casewatch_rows')
            con.unregister("_casewatch_rows")
    return con


def _create(spec: TableSpec) -> str:
    columns = ", ".join(f'"{c.name}" {SQL_TYPES[c.type]}' for c in spec.columns)
    return f'CREATE TABLE "{spec.name}" ({columns})'


def _typed(value: Any, column: ColumnSpec) -> Any:
    if value is None:
        return None
    match column.type:
        case "string":
            return str(value)
        case "date":
            return value.date() if isinstance(value, datetime) else value
        case "datetime":
            return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        case "bool":
            return bool(value)
        case "int":
            return int(value)
        case "float":
            return float(value)
    raise AssertionError(column)


def _precise(row: Mapping[str, Any], name: str) -> Any:
    """The timestamp for an hour rule on timestamped data (``<name>_datetime``), else the date."""
    stamp = row.get(f"{name}_datetime")
    return stamp if stamp is not None else row[f"{name}_date"]


def run_engine(
    standard: Standard,
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    as_at: date,
    allocated_roles: Sequence[str],
    con: duckdb.DuckDBPyConnection | None = None,
    history_from: date | None = None,
) -> list[Instance]:
    """The engine's instances of ``standard`` for these rows, in order of (subject, episode, sequence).

    ``con``: a connection from ``load_tables`` to reuse (see there); by default a fresh one. ``history_from``:
    the first day of the data's history window, for every table.
    """
    evaluate = engine_evaluate()
    con = load_tables(tables, con)
    history = HistoryWindow(history_from, "history_from") if history_from is not None else None
    results = evaluate([standard], con, as_at, allocated_roles=tuple(allocated_roles), history=history)
    if standard.id in results.not_evaluated:
        raise EngineDidNotEvaluate(f"the engine did not evaluate {standard.id}: {results.not_evaluated[standard.id]}")
    return sorted_instances(
        Instance(
            subject_type=row["subject_type"],
            subject_id=str(row["subject_id"]),
            standard_id=row["standard_id"],
            standard_version=int(row["standard_version"]),
            episode_id=None if row["episode_id"] is None else str(row["episode_id"]),
            sequence=int(row["sequence"]),
            anchor_date=row["anchor_date"],
            due_date=_precise(row, "due"),
            completed_date=_precise(row, "completed"),
            status=row["status"],
            working_days_late=row["working_days_late"],
            calendar_days_late=row["calendar_days_late"],
            worker_id=row["worker_id"],
            team_id=row["team_id"],
        )
        for row in results.instances.to_pylist()
        if row["standard_id"] == standard.id
    )
