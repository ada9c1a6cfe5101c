"""Compliance per standard, the figure a head of service asks for first.

Compliance counts only instances that have fallen due or been completed: met / (met + met late + overdue),
given with exceptions left out (the usual published figure) and with them counted as failures. Instances that
were cancelled, are not yet due or could not be timed are counted beside it, never silently dropped.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from casewatch.engine import Results

SUMMARY_COLUMNS = (
    "standard_id",
    "title",
    "type",
    "subject",
    "target",
    "instances",
    "met",
    "met_late",
    "overdue",
    "exception",
    "due_soon",
    "not_due",
    "cancelled",
    "data_issue",
    "compliance",
    "compliance_with_exceptions",
    "meets_target",
    "note",
    "readings",
)


def compliance_summary(results: Results) -> pa.Table:
    """One row per standard: counts by status and compliance percentages (null when nothing was due)."""
    con = duckdb.connect()
    con.register("instances", results.instances)
    counts = {
        row[0]: row[1:]
        for row in con.execute(
            "SELECT standard_id, COUNT(*), "
            + ", ".join(
                f"COUNT(*) FILTER (WHERE status = '{s}')"
                for s in ("met", "met_late", "overdue", "exception", "due_soon", "not_due", "cancelled", "data_issue")
            )
            + " FROM instances GROUP BY standard_id"
        ).fetchall()
    }
    rows: list[dict[str, object]] = []
    for standard in results.standards:
        got = counts.get(standard.id, (0,) * 9)
        total, met, late, overdue, excepted, soon, not_due, cancelled, issue = (int(x) for x in got)
        due = met + late + overdue
        compliance = round(100 * met / due, 1) if due else None
        with_exc = round(100 * met / (due + excepted), 1) if due + excepted else None
        if standard.id in results.limited:
            # Snapshot data: only "is the next one overdue as at the date" can be judged, so compliance is the
            # share of children not overdue.
            open_now = overdue + soon + not_due
            compliance = round(100 * (soon + not_due) / open_now, 1) if open_now else None
            with_exc = round(100 * (soon + not_due) / (open_now + excepted), 1) if open_now + excepted else None
        target = standard.spec.target
        note = (
            results.not_evaluated.get(standard.id)
            or results.limited.get(standard.id)
            or results.out_of_window.get(standard.id)
            or ("" if total else "no instances in the data")
        )
        rows.append(
            {
                "standard_id": standard.id,
                "title": standard.title,
                "type": standard.spec.type,
                "subject": standard.subject,
                "target": target,
                "instances": total,
                "met": met,
                "met_late": late,
                "overdue": overdue,
                "exception": excepted,
                "due_soon": soon,
                "not_due": not_due,
                "cancelled": cancelled,
                "data_issue": issue,
                "compliance": compliance,
                "compliance_with_exceptions": with_exc,
                "meets_target": None if compliance is None or target is None else compliance >= target,
                "note": note,
                "readings": standard.reading_summary,
            }
        )
    schema = pa.schema(
        [
            ("standard_id", pa.string()),
            ("title", pa.string()),
            ("type", pa.string()),
            ("subject", pa.string()),
            ("target", pa.float64()),
            *[(name, pa.int64()) for name in SUMMARY_COLUMNS[5:14]],
            ("compliance", pa.float64()),
            ("compliance_with_exceptions", pa.float64()),
            ("meets_target", pa.bool_()),
            ("note", pa.string()),
            ("readings", pa.string()),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)
