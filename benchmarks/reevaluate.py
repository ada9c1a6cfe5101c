"""Re-evaluation after one child's record changes: what the web app pays when a worker records a visit.

casewatch's engine has no incremental mode and no subject filter, so two ways are measured:

* **full**: change the row in the loaded database and evaluate the whole pack again;
* **one child**: copy that child's rows (every table keyed to ``ssd_person``; workforce tables whole) into a
  scratch in-memory database and evaluate the pack there - what an app can do today without engine changes.

The child's own instances must come out the same both ways (worker-subject standards, such as caseloads,
need everyone's data and are not compared).
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import duckdb

from casewatch.data.contract import TABLES
from casewatch.data.load import CaseData
from casewatch.engine import evaluate
from casewatch.results import Results
from casewatch.standards.loader import load_pack


def _person_column(table: str) -> str | None:
    if table == "ssd_person":
        return "pers_person_id"
    for fk in TABLES[table].foreign_keys:
        if fk.ref_table == "ssd_person":
            return fk.column
    return None


def _child_instances(results: Results, child: str) -> set[tuple[Any, ...]]:
    rows = results.instances.to_pylist()
    return {
        (r["standard_id"], r["episode_id"], r["sequence"], r["status"], r["due_date"], r["completed_date"])
        for r in rows
        if r["subject_type"] == "child" and r["subject_id"] == child
    }


def _scoped(data: CaseData, child: str) -> duckdb.DuckDBPyConnection:
    scratch = duckdb.connect(":memory:")
    present = [name for (name,) in data.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    for name in present:
        column = _person_column(name) if name in TABLES else None
        where = f' WHERE "{column}" = $child' if column else ""
        rows = data.con.sql(
            f'SELECT * FROM "{name}"{where}', params={"child": child} if column else None
        ).to_arrow_table()
        scratch.register("_rows", rows)
        scratch.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _rows')
        scratch.unregister("_rows")
    return scratch


def run(data: CaseData, as_at: date, pack_name: str = "england") -> dict[str, Any]:
    """Delete one looked-after child's latest visit and re-evaluate, both ways; compare the child's instances."""
    pack = load_pack(pack_name)
    standards = list(pack.standards.values())
    roles = tuple(data.config.allocated_worker_roles)
    found = data.con.execute(
        "SELECT clav_person_id, max(clav_cla_visit_date) FROM ssd_cla_visits "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone()
    assert found is not None, "the council has no looked-after child with a visit"
    child, latest = found
    data.con.execute(
        "DELETE FROM ssd_cla_visits WHERE clav_person_id = $child AND clav_cla_visit_date = $day",
        {"child": child, "day": latest},
    )
    started = time.perf_counter()
    full = evaluate(standards, data.con, as_at, allocated_roles=roles, snapshot_tables=data.config.snapshot_tables)
    full_s = time.perf_counter() - started
    started = time.perf_counter()
    scratch = _scoped(data, child)
    copied = time.perf_counter()
    one = evaluate(standards, scratch, as_at, allocated_roles=roles, snapshot_tables=data.config.snapshot_tables)
    one_s = time.perf_counter() - started
    same = _child_instances(full, child) == _child_instances(one, child)
    return {
        "child": child,
        "change": f"deleted the visit of {latest}",
        "full_s": full_s,
        "one_child_s": one_s,
        "copy_s": copied - started,
        "child_instances": len(_child_instances(full, child)),
        "same": same,
    }
