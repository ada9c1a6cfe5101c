"""Two evaluations of the same data, the pack as it is and as changed, compared standard by standard.

Every figure comes from the results module: compliance from ``compliance_summary`` (the terminal's and the
workbook's table, with its caveats), the instances a period counts from ``with_in_period``, the worker and team
from the attribution the engine recorded at each due date. What is added here is only the comparison: which
occurrences change status, and how many fall due in the period, per month and per worker, before and after.

An occurrence is the same one before and after when its key is (child or worker, standard, episode, sequence):
a change of timescale moves due dates and statuses, while the occurrences themselves follow the recorded events
(a series has one per visit made, whatever the interval). A change that adds or removes occurrences (a count
per month instead of per quarter) shows them as moving from or to ``NO_INSTANCE``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from casewatch.results import (
    BREAKDOWNS,
    Period,
    Results,
    Status,
    compliance_summary,
    results_period,
    with_in_period,
)

from .changes import Change

#: The "status" of an occurrence that exists on one side of the comparison only.
NO_INSTANCE = "none"
KEY = ("subject_type", "subject_id", "standard_id", "episode_id", "sequence")


@dataclass(frozen=True)
class Workload:
    """The work of the occurrences due in the period: how many fall due, and how many the timescale needs done.

    For most rules each occurrence due is one piece of work (a conference, an assessment), so ``needed`` is
    ``due``. A series is different: its occurrences follow the visits actually made (one per visit), so a
    shorter interval hardly changes how many fall due, only when. What it changes is how many visits keeping to
    it would need over the same time: each occurrence covers the days from its anchor to its visit (or to the
    as-at date while none is made), and needs (those days) / (its interval) visits at the least, the interval
    being the days from its anchor to its due date. ``needed`` sums that over the occurrences due in the period,
    leaving out those cancelled (whose end the results do not hold) and those that cannot be timed.
    """

    due: int
    needed: float
    workers: int  # the workers responsible at the due dates (``results.attribution``); 0 when none is recorded
    months: int  # the calendar months the period spans

    @property
    def per_month(self) -> float:
        return round(self.due / self.months, 1)

    @property
    def needed_per_month(self) -> float:
        return round(self.needed / self.months, 1)

    @property
    def needed_per_worker_per_month(self) -> float | None:
        """The work needed per month per worker holding the children (a caseload's share of it)."""
        return round(self.needed / self.workers / self.months, 2) if self.workers else None


@dataclass(frozen=True)
class StandardDelta:
    """One standard (or one team's or worker's part of it): its figure and work before and after the change."""

    standard_id: str
    title: str
    group: str | None  # the team or worker id with a breakdown, else None
    compliance_before: float | None
    compliance_after: float | None
    note_before: str
    note_after: str
    before: Workload
    after: Workload
    moved: dict[tuple[str, str], int]  # (status before, status after) -> occurrences

    @property
    def changed(self) -> int:
        """How many occurrences due in the period (before or after) change status."""
        return sum(self.moved.values())

    @property
    def points(self) -> float | None:
        """The change in compliance, in percentage points."""
        if self.compliance_before is None or self.compliance_after is None:
            return None
        return round(self.compliance_after - self.compliance_before, 1)

    def moves(self) -> str:
        """The changes of status in words a manager reads: ``met → met late: 5; not yet due → overdue: 1``."""
        return "; ".join(f"{_label(a)} → {_label(b)}: {n}" for (a, b), n in sorted(self.moved.items()))


@dataclass(frozen=True)
class WhatIf:
    """The answer to a what-if question: the changes asked, the period, and a row per standard (and group)."""

    changes: tuple[Change, ...]
    period: Period
    by: str | None
    rows: list[StandardDelta]
    before: Results
    after: Results

    def table(self) -> pa.Table:
        """The rows as a table (the CSV, the workbook's sheet and the API's answer)."""
        group = BREAKDOWNS[self.by] if self.by else None
        records = []
        for row in self.rows:
            changes = "; ".join(str(c) for c in self.changes if c.standard == row.standard_id)
            record: dict[str, object] = {"standard_id": row.standard_id, "title": row.title}
            if group:
                record[group] = row.group
            record.update(
                {
                    "changes": changes,
                    "compliance_before": row.compliance_before,
                    "compliance_after": row.compliance_after,
                    "points": row.points,
                    "changed_status": row.changed,
                    "status_changes": row.moves(),
                    "due_before": row.before.due,
                    "due_after": row.after.due,
                    "due_per_month_before": row.before.per_month,
                    "due_per_month_after": row.after.per_month,
                    "needed_before": round(row.before.needed, 1),
                    "needed_after": round(row.after.needed, 1),
                    "needed_per_month_before": row.before.needed_per_month,
                    "needed_per_month_after": row.after.needed_per_month,
                    "workers_before": row.before.workers,
                    "workers_after": row.after.workers,
                    "needed_per_worker_per_month_before": row.before.needed_per_worker_per_month,
                    "needed_per_worker_per_month_after": row.after.needed_per_worker_per_month,
                    "note_before": row.note_before,
                    "note_after": row.note_after,
                    "period": self.period.label,
                    "period_first": self.period.first,
                    "period_last": self.period.last,
                }
            )
            records.append(record)
        return pa.Table.from_pylist(records, schema=_schema(group))


def compare(
    before: Results,
    after: Results,
    changes: Sequence[Change] = (),  # as ``changes.resolve`` gives them: each naming a standard by its full id
    period: str | Period | None = None,
    by: str | None = None,
) -> WhatIf:
    """Compare the evaluation of the pack as it is (``before``) with the changed pack's over the same data.

    ``period`` and ``by`` are those of ``results.compliance_summary`` (compliance now, no breakdown, by default).
    Both evaluations must be of the same standards, as at the same date.
    """
    if before.as_at != after.as_at or [s.id for s in before.standards] != [s.id for s in after.standards]:
        raise ValueError("a what-if compares two evaluations of the same standards as at the same date")
    chosen = results_period(before, period)
    summaries = [_by_key(compliance_summary(r, chosen, by), by) for r in (before, after)]
    group = BREAKDOWNS[by] if by else None
    marked = [with_in_period(r, chosen) for r in (before, after)]
    workers = [_workers(m, group) for m in marked]
    needed = [_needed(m, group, chosen.as_at) for m in marked]
    moved = _moves(marked[0], marked[1], group)
    months = len(chosen.months())
    rows: list[StandardDelta] = []
    for standard in before.standards:
        keys = sorted(
            {k for s in summaries for k in s if k[0] == standard.id} | {k for k in moved if k[0] == standard.id},
            key=lambda k: (k[1] is None, k[1] or ""),
        )
        for key in keys:
            old, new = (s.get(key, {}) for s in summaries)
            rows.append(
                StandardDelta(
                    standard_id=standard.id,
                    title=standard.title,
                    group=key[1],
                    compliance_before=_figure(old),
                    compliance_after=_figure(new),
                    note_before=str(old.get("note") or ""),
                    note_after=str(new.get("note") or ""),
                    before=Workload(_due(old), needed[0].get(key, 0.0), workers[0].get(key, 0), months),
                    after=Workload(_due(new), needed[1].get(key, 0.0), workers[1].get(key, 0), months),
                    moved=dict(moved.get(key, Counter())),
                )
            )
    return WhatIf(tuple(changes), chosen, by, rows, before, after)


GroupKey = tuple[str, str | None]


def _by_key(summary: pa.Table, by: str | None) -> dict[GroupKey, dict[str, object]]:
    group = BREAKDOWNS[by] if by else None
    return {(str(r["standard_id"]), r[group] if group else None): r for r in summary.to_pylist()}


def _figure(row: dict[str, object]) -> float | None:
    value = row.get("compliance")
    return float(value) if isinstance(value, int | float) else None


def _due(row: dict[str, object]) -> int:
    value = row.get("instances")
    return int(value) if isinstance(value, int) else 0


def _workers(marked: pa.Table, group: str | None) -> dict[GroupKey, int]:
    """Distinct workers responsible for the occurrences due in the period, per standard (and group)."""
    due = marked.filter(pc.and_(marked.column("in_period"), pc.is_valid(marked.column("worker_id"))))
    out: dict[GroupKey, set[str]] = {}
    for row in due.select(["standard_id", "worker_id", *([group] if group else [])]).to_pylist():
        out.setdefault((row["standard_id"], row[group] if group else None), set()).add(row["worker_id"])
    return {key: len(ids) for key, ids in out.items()}


def _needed(marked: pa.Table, group: str | None, as_at: date) -> dict[GroupKey, float]:
    """The work the timescale needs done for the occurrences due in the period (``Workload`` says how)."""
    columns = ["standard_id", "rule_kind", "anchor_date", "due_date", "completed_date", "status"]
    due = marked.filter(marked.column("in_period")).select([*columns, *([group] if group else [])])
    out: dict[GroupKey, float] = {}
    for row in due.to_pylist():
        key: GroupKey = (row["standard_id"], row[group] if group else None)
        if row["rule_kind"] != "series":
            work = 1.0
        elif row["status"] in _UNTIMED or row["anchor_date"] is None or row["due_date"] is None:
            work = 0.0
        else:
            interval = max((row["due_date"] - row["anchor_date"]).days, 1)
            covered = ((row["completed_date"] or as_at) - row["anchor_date"]).days
            work = max(covered, 0) / interval
        out[key] = out.get(key, 0.0) + work
    return out


_UNTIMED = (Status.CANCELLED.value, Status.DATA_ISSUE.value)


def _moves(before: pa.Table, after: pa.Table, group: str | None) -> dict[GroupKey, Counter[tuple[str, str]]]:
    """(from, to) status counts of the occurrences due in the period on either side, keyed as the summary is.

    With a breakdown an occurrence is counted under its group after the change (the worker holding the child on
    the new due date), or before it when the change removed the occurrence.
    """
    columns = [*KEY, "status", "in_period", *([group] if group else [])]
    sides = [_keyed(t.select(columns)) for t in (before, after)]
    out: dict[GroupKey, Counter[tuple[str, str]]] = {}
    for key in sides[0].keys() | sides[1].keys():
        old, new = sides[0].get(key), sides[1].get(key)
        if not ((old and old["in_period"]) or (new and new["in_period"])):
            continue
        status = (str(old["status"]) if old else NO_INSTANCE, str(new["status"]) if new else NO_INSTANCE)
        if status[0] == status[1]:
            continue
        held = new if new is not None else old
        assert held is not None
        team_or_worker = held[group] if group else None
        where: GroupKey = (str(held["standard_id"]), None if team_or_worker is None else str(team_or_worker))
        out.setdefault(where, Counter())[status] += 1
    return out


def _keyed(table: pa.Table) -> dict[tuple[object, ...], dict[str, object]]:
    return {tuple(row[k] for k in KEY): row for row in table.to_pylist()}


def _label(status: str) -> str:
    return "no occurrence" if status == NO_INSTANCE else Status(status).label.lower()


def _schema(group: str | None) -> pa.Schema:
    fields = [
        ("standard_id", pa.string()),
        ("title", pa.string()),
        *([(group, pa.string())] if group else []),
        ("changes", pa.string()),
        ("compliance_before", pa.float64()),
        ("compliance_after", pa.float64()),
        ("points", pa.float64()),
        ("changed_status", pa.int64()),
        ("status_changes", pa.string()),
        ("due_before", pa.int64()),
        ("due_after", pa.int64()),
        ("due_per_month_before", pa.float64()),
        ("due_per_month_after", pa.float64()),
        ("needed_before", pa.float64()),
        ("needed_after", pa.float64()),
        ("needed_per_month_before", pa.float64()),
        ("needed_per_month_after", pa.float64()),
        ("workers_before", pa.int64()),
        ("workers_after", pa.int64()),
        ("needed_per_worker_per_month_before", pa.float64()),
        ("needed_per_worker_per_month_after", pa.float64()),
        ("note_before", pa.string()),
        ("note_after", pa.string()),
        ("period", pa.string()),
        ("period_first", pa.date32()),
        ("period_last", pa.date32()),
    ]
    return pa.schema(fields)


__all__ = ["KEY", "NO_INSTANCE", "StandardDelta", "WhatIf", "Workload", "compare"]
