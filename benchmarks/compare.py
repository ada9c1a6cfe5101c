"""The engine against two baselines on the same council: the pure-Python reference evaluator and pandas.

Each is timed on evaluation alone (the data already in memory in the shape it wants), and every instance is
compared on its key (standard, subject, episode, sequence) and on its status, due date and completed date,
so "identical results" is checked, not assumed. Disagreements are listed with their first examples.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from benchmarks import pandas_impl
from casewatch.calendars import get_calendar
from casewatch.data.contract import TABLES
from casewatch.data.load import CaseData
from casewatch.engine import evaluate
from casewatch.engine.evaluate import COMPILED
from casewatch.standards.loader import Standard, load_pack

Key = tuple[str, str, str | None, int]
Value = tuple[str, Any, Any]

_TESTS = Path(__file__).resolve().parent.parent / "tests"


@dataclass
class Agreement:
    """How two evaluators' instances compare for a set of standards."""

    compared: int = 0
    only_left: list[Key] = field(default_factory=list)
    only_right: list[Key] = field(default_factory=list)
    different: list[tuple[Key, Value, Value]] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not (self.only_left or self.only_right or self.different)

    def summary(self) -> str:
        if self.identical:
            return f"identical ({self.compared:,} instances)"
        return (
            f"{len(self.different):,} differ, {len(self.only_left):,} only in casewatch, "
            f"{len(self.only_right):,} only in the baseline, of {self.compared:,}"
        )


def _short(standard_id: str) -> str:
    return standard_id.split(".", 1)[-1]


def _day(value: Any) -> Any:
    return value.date() if isinstance(value, datetime) and value.time() == datetime.min.time() else value


def engine_instances(rows: Iterable[dict[str, Any]]) -> dict[Key, Value]:
    out: dict[Key, Value] = {}
    for r in rows:
        due = r["due_datetime"] if r.get("due_datetime") is not None else r["due_date"]
        done = r["completed_datetime"] if r.get("completed_datetime") is not None else r["completed_date"]
        key = (_short(r["standard_id"]), str(r["subject_id"]), r["episode_id"], int(r["sequence"]))
        out[key] = (r["status"], due, done)
    return out


def agree(left: dict[Key, Value], right: dict[Key, Value]) -> Agreement:
    result = Agreement(compared=len(set(left) | set(right)))
    result.only_left = sorted(k for k in left if k not in right)
    result.only_right = sorted(k for k in right if k not in left)
    for key in sorted(set(left) & set(right)):
        a, b = left[key], right[key]
        if a[0] != b[0] or _day(a[1]) != _day(b[1]) or _day(a[2]) != _day(b[2]):
            result.different.append((key, a, b))
    return result


def _holidays(first: int, last: int) -> list[date]:
    calendar = get_calendar("england")
    return [d for year in range(first, last + 1) for d, _ in calendar.holidays_in(year)]


def _in_force_from(standard: Standard) -> date:
    """The pandas version handles one rule version: the standard's, in force from this date."""
    if len(standard.versions) != 1 or standard.versions[0].effective_to is not None:
        raise ValueError(f"{standard.id} has several rule versions; benchmarks/pandas_impl.py handles one")
    return standard.versions[0].effective_from


def run(data: CaseData, as_at: date, pack_name: str = "england") -> dict[str, Any]:
    """Time the three evaluators on ``data`` and compare their instances."""
    if str(_TESTS) not in sys.path:
        sys.path.insert(0, str(_TESTS))
    from reference.evaluator import evaluate_reference  # type: ignore[import-not-found]  # the tests' evaluator

    pack = load_pack(pack_name)
    standards = list(pack.standards.values())
    roles = tuple(data.config.allocated_worker_roles)
    COMPILED.clear()  # a first evaluation, compilation included
    started = time.perf_counter()
    results = evaluate(standards, data.con, as_at, allocated_roles=roles, snapshot_tables=data.config.snapshot_tables)
    engine_s = time.perf_counter() - started
    engine = engine_instances(results.instances.to_pylist())
    present = {name for (name,) in data.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    arrow = {name: data.con.table(name).to_arrow_table() for name in TABLES if name in present}

    rows = {name: table.to_pylist() for name, table in arrow.items()}
    reference: dict[Key, Value] = {}
    reference_s: dict[str, float] = {}
    for standard in standards:
        started = time.perf_counter()
        for inst in evaluate_reference(standard, rows, as_at, roles):
            key = (_short(inst.standard_id), inst.subject_id, inst.episode_id, inst.sequence)
            reference[key] = (inst.status, inst.due_date, inst.completed_date)
        reference_s[_short(standard.id)] = time.perf_counter() - started

    frames = {name: table.to_pandas() for name, table in arrow.items()}
    holidays = _holidays(as_at.year - 30, as_at.year + 2)
    started = time.perf_counter()
    since = {_short(s.id): _in_force_from(s) for s in standards if _short(s.id) in pandas_impl.STANDARDS}
    pandas_rows = pandas_impl.evaluate(frames, as_at, holidays, since)
    pandas_s = time.perf_counter() - started
    pandas_out = {
        (r.standard, str(r.subject_id), r.episode_id, r.sequence): (r.status, r.due_date, r.completed_date)
        for r in pandas_rows
    }
    subset = set(pandas_impl.STANDARDS)
    started = time.perf_counter()
    evaluate(
        [s for s in standards if _short(s.id) in subset],
        data.con,
        as_at,
        allocated_roles=roles,
        snapshot_tables=data.config.snapshot_tables,
    )
    engine_subset_s = time.perf_counter() - started
    engine_subset = {k: v for k, v in engine.items() if k[0] in subset}
    return {
        "rows_in": sum(t.num_rows for t in arrow.values()),
        "instances": len(engine),
        "engine_s": engine_s,
        "reference_s": sum(reference_s.values()),
        "reference_per_standard_s": reference_s,
        "vs_reference": agree(engine, reference),
        "pandas_standards": sorted(subset),
        "pandas_instances": len(pandas_out),
        "engine_subset_s": engine_subset_s,
        "pandas_s": pandas_s,
        "vs_pandas": agree(engine_subset, pandas_out),
    }
