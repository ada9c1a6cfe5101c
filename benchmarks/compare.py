"""The engine against two baselines on the same council: pandas and the pure-Python reference evaluator.

Each is timed on evaluating the whole pack alone (the data already in memory in the shape it wants; the
engine cold, its compiled-SQL cache cleared), and every instance is compared on its key (standard, subject,
episode, sequence) and on its status, due date and completed date (to the second where a rule is timed to
the hour), so "identical results" is checked, not assumed. Disagreements are listed with their first
examples. The reference evaluator is optional, since it is too slow for the largest councils.
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
from casewatch.standards.loader import load_pack
from casewatch.standards.pack import Standard

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


def run(data: CaseData, as_at: date, pack_name: str = "england", *, reference: bool = True) -> dict[str, Any]:
    """Time the engine, pandas and (with ``reference``) the reference evaluator on ``data``; compare instances.

    The engine evaluates the whole pack once, cold (its compiled-SQL cache cleared, so compilation is
    included), and pandas evaluates every standard it implements, which for england is the whole pack. The
    reference evaluator can be left out (``reference=False``): it is the slowest and is not needed to time
    pandas on a large council. Returned keys: ``engine_s``; ``pandas_s`` and ``pandas_per_standard_s``;
    ``reference_s`` and ``reference_per_standard_s`` (None without the reference); ``vs_pandas`` and
    ``vs_reference`` (None without it).
    """
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

    reference_s: dict[str, float] | None = None
    vs_reference: Agreement | None = None
    if reference:
        reference_s = {}
        vs_reference = agree(engine, _reference(standards, arrow, as_at, roles, reference_s))

    frames = {name: table.to_pandas() for name, table in arrow.items()}
    holidays = _holidays(as_at.year - 30, as_at.year + 2)
    since = {_short(s.id): _in_force_from(s) for s in standards if _short(s.id) in pandas_impl.STANDARDS}
    pandas_s: dict[str, float] = {}
    started = time.perf_counter()
    pandas_rows = pandas_impl.evaluate(frames, as_at, holidays, since, seconds=pandas_s)
    pandas_total_s = time.perf_counter() - started
    pandas_out = {
        (r.standard, str(r.subject_id), r.episode_id, r.sequence): (r.status, r.due_date, r.completed_date)
        for r in pandas_rows
    }
    covered = set(since)
    return {
        "rows_in": sum(t.num_rows for t in arrow.values()),
        "instances": len(engine),
        "engine_s": engine_s,
        "reference_s": sum(reference_s.values()) if reference_s is not None else None,
        "reference_per_standard_s": reference_s,
        "vs_reference": vs_reference,
        "pandas_standards": sorted(covered),
        "pandas_missing_standards": sorted(_short(s.id) for s in standards if _short(s.id) not in covered),
        "pandas_instances": len(pandas_out),
        "pandas_s": pandas_total_s,
        "pandas_per_standard_s": pandas_s,
        "vs_pandas": agree({k: v for k, v in engine.items() if k[0] in covered}, pandas_out),
    }


def _reference(
    standards: list[Standard], arrow: dict[str, Any], as_at: date, roles: tuple[str, ...], seconds: dict[str, float]
) -> dict[Key, Value]:
    """The tests' pure-Python evaluator over the same tables as lists of dicts, timed per standard."""
    if str(_TESTS) not in sys.path:
        sys.path.insert(0, str(_TESTS))
    from reference.evaluator import evaluate_reference  # type: ignore[import-not-found]  # the tests' evaluator

    rows = {name: table.to_pylist() for name, table in arrow.items()}
    out: dict[Key, Value] = {}
    for standard in standards:
        started = time.perf_counter()
        for inst in evaluate_reference(standard, rows, as_at, roles):
            key = (_short(inst.standard_id), inst.subject_id, inst.episode_id, inst.sequence)
            out[key] = (inst.status, inst.due_date, inst.completed_date)
        seconds[_short(standard.id)] = time.perf_counter() - started
    return out
