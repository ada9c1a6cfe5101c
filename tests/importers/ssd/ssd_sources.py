"""Messy SSD schemas for the importer tests, built from the synthetic example council.

Every table of the example council is carried into the test database as a council's warehouse would hold it:

- ``SSD_PERSON`` in upper case (SQL Server builds), ``cla_placements`` without the prefix and with D2I's
  plural;
- Mosaic column variants: ``ssd_cp_reviews`` with ``person_id``/``due_date``/``actual_date``, ``ssd_cin_plans``
  with ``cin_plan_id``, and ``ssd_cp_visits`` with no person id at all (it is derived from the plan);
- typed date columns (``DATE`` in ``ssd_cla_episodes``, ``TIMESTAMP`` in ``ssd_cp_plans``) whose empty end
  dates hold the SSD's ``1900-01-01`` sentinel;
- ``ssd_cin_assessments`` dates as ``dd/mm/yyyy`` text, and visit flags spelt ``Yes``/``No``;
- two deliberately bad rows, sorted last by id: a CP visit dated ``not recorded`` and a contact with no child.

The bad rows are rejected on import, so the imported council evaluates exactly like the original one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from casewatch.data.contract import TABLES

EXAMPLE = Path(__file__).resolve().parents[3] / "src" / "casewatch" / "examples" / "example_council"

TABLE_NAMES = {"ssd_person": "SSD_PERSON", "ssd_cla_placement": "cla_placements"}
RENAMED = {
    "ssd_cp_reviews": {
        "cppr_person_id": "person_id",
        "cppr_cp_review_due": "due_date",
        "cppr_cp_review_date": "actual_date",
        "cppr_cp_review_quorate": "quorate",
    },
    "ssd_cin_plans": {"cinp_cin_plan_id": "cin_plan_id"},
}
DROPPED = {"ssd_cp_visits": {"cppv_person_id"}}
TYPED_DATES = {"ssd_cla_episodes": "DATE", "ssd_cp_plans": "TIMESTAMP"}
UK_DATES = {"ssd_cin_assessments"}
WORDY_FLAGS = {"ssd_cp_visits"}
SENTINEL = date(1900, 1, 1)

BAD_VISIT_ID, BAD_CONTACT_ID = "ZZBAD0001", "ZZBAD0002"


@dataclass
class SourceTable:
    """One table as the warehouse holds it: its name, (column, SQL type) pairs and rows of Python values."""

    table: str  # the contract table it stands for
    name: str
    columns: list[tuple[str, str]]
    rows: list[list[object]]


def example_rows(table: str) -> list[dict[str, str]]:
    with (EXAMPLE / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def example_tables() -> list[str]:
    return [t for t in TABLES if (EXAMPLE / f"{t}.csv").exists()]


def messy_tables() -> list[SourceTable]:
    return [_messy(table) for table in example_tables()]


def _messy(table: str) -> SourceTable:
    rows = example_rows(table)
    if table == "ssd_cp_visits":
        rows.append({**rows[0], "cppv_cp_visit_id": BAD_VISIT_ID, "cppv_cp_visit_date": "not recorded"})
    if table == "ssd_contacts":
        rows.append({**rows[0], "cont_contact_id": BAD_CONTACT_ID, "cont_person_id": ""})
    spec = TABLES[table]
    kept = [c for c in rows[0] if c not in DROPPED.get(table, set())]
    renamed = RENAMED.get(table, {})
    columns: list[tuple[str, str]] = []
    for name in kept:
        kind = spec.column(name).type
        sql_type = TYPED_DATES[table] if table in TYPED_DATES and kind == "date" else "TEXT"
        columns.append((renamed.get(name, name), sql_type))
    values = [
        [_value(table, spec.column(name).type, row[name], sql) for name, (_, sql) in zip(kept, columns, strict=True)]
        for row in rows
    ]
    return SourceTable(table, TABLE_NAMES.get(table, table), columns, values)


def _value(table: str, kind: str, text: str, sql_type: str) -> object:
    if sql_type == "DATE":
        return date.fromisoformat(text[:10]) if text else SENTINEL
    if sql_type == "TIMESTAMP":
        day = date.fromisoformat(text[:10]) if text else SENTINEL
        return datetime(day.year, day.month, day.day)
    if not text:
        return None
    if table in UK_DATES and kind == "date":
        day = date.fromisoformat(text[:10])
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    if table in WORDY_FLAGS and kind == "bool":
        return {"Y": "Yes", "N": "No"}.get(text, text)
    return text
