"""Filling the store: load the case data, evaluate the pack, and keep what the pages need, indexed.

The engine's results and a few derived views (who holds which open case, each child's episodes, the workforce)
are computed once here inside DuckDB, then written to the store in one transaction, so a page never re-runs the
engine and a half-finished load is never visible. Child ids are mapped to random tokens that are kept across
loads, so a bookmarked child page survives a refresh.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlalchemy import Engine, Table, delete, insert, select

from casewatch import api
from casewatch.data.load import CaseData
from casewatch.results import Results
from casewatch.results.attribution import (
    ALLOCATIONS,
    PROFESSIONALS,
    REFERRALS,
    TEAM_HISTORY,
    holders,
    ordered_allocations,
    worker_teams,
)
from casewatch.standards.pack import Pack
from casewatch.web import store
from casewatch.web.store import LOADED_TABLES

Say = Callable[[str], None]
BATCH = 5000


@dataclass(frozen=True)
class LoadSummary:
    """What one load put into the store, for the terminal."""

    pack: str
    as_at: date
    source: str
    children: int
    instances: int
    rows_rejected: int


def load_into_store(engine: Engine, pack: str, data_path: Path, as_at: date, say: Say | None = None) -> LoadSummary:
    """Load ``data_path``, evaluate ``pack`` as at ``as_at`` and replace the store's results with the outcome."""
    tell = say or (lambda _message: None)
    standards = api.load_standards(pack)
    tell(f"Loading case data from {data_path} …")
    data = api.load_data(data_path, as_at=as_at)
    tell(f"Evaluating {len(standards.standards)} standards of {standards.title} as at {as_at} …")
    results = api.evaluate(standards, data, as_at)
    return store_results(engine, standards, data, results, as_at, tell)


def store_results(
    engine: Engine, standards: Pack, data: CaseData, results: Results, as_at: date, say: Say | None = None
) -> LoadSummary:
    """Replace the store's results with already evaluated ``results`` (what `casewatch demo` has in hand)."""
    tell = say or (lambda _message: None)
    con = data.con
    con.register("cw_results", results.instances)
    rows = _derive(con, data, as_at)
    with engine.begin() as conn:
        known = dict(conn.execute(select(store.children.c.person_id, store.children.c.token)).all())
        for table in LOADED_TABLES:
            conn.execute(delete(table))
        conn.execute(delete(store.children))
        child_rows = [
            {"person_id": pid, "token": known.get(pid) or secrets.token_urlsafe(12), "dob": dob, "sex": sex}
            for pid, dob, sex in rows["children"]
        ]
        _insert(conn, store.children, child_rows)
        _insert(
            conn, store.workers, _dicts(rows["workers"], ("worker_id", "name", "job_title", "role_category", "team_id"))
        )
        _insert(conn, store.teams, _dicts(rows["teams"], ("team_id", "name")))
        _insert(conn, store.open_cases, _dicts(rows["open_cases"], ("person_id", "worker_id", "team_id", "since")))
        _insert(
            conn,
            store.episodes,
            _dicts(rows["episodes"], ("person_id", "kind", "episode_id", "start_date", "end_date", "detail")),
        )
        _insert(conn, store.instances, _dicts(rows["instances"], INSTANCE_COLUMNS))
        _insert(conn, store.standard_notes, _standard_notes(results))
        _insert(conn, store.quality_tables, _quality_tables(data))
        _insert(conn, store.quality_issues, _quality_issues(con, data))
        facts = {
            "pack": standards.id,
            "pack_title": standards.title,
            "as_at": as_at.isoformat(),
            "source": data.source,
            "loaded_at": datetime.now().isoformat(timespec="seconds"),
            "quality_source": data.report.source,
            "missing_tables": json.dumps(data.missing_tables),
            "data_notes": json.dumps(results.data_notes()),
        }
        _insert(conn, store.meta, [{"key": k, "value": v} for k, v in facts.items()])
    tell(f"Stored {results.instances.num_rows:,} results for {len(child_rows):,} children.")
    return LoadSummary(
        standards.id, as_at, data.source, len(child_rows), results.instances.num_rows, data.report.total_rejected
    )


INSTANCE_COLUMNS = (
    "subject_type",
    "subject_id",
    "person_id",
    "standard_id",
    "standard_version",
    "episode_id",
    "sequence",
    "anchor_date",
    "due_date",
    "due_month",
    "completed_date",
    "status",
    "working_days_late",
    "calendar_days_late",
    "worker_id",
    "team_id",
    "explanation",
    "exception_reason",
)


def _derive(con: duckdb.DuckDBPyConnection, data: CaseData, as_at: date) -> dict[str, list[tuple[Any, ...]]]:
    """The store's rows, computed set-based in DuckDB from the contract tables and the results."""
    day = f"DATE '{as_at.isoformat()}'"
    out: dict[str, list[tuple[Any, ...]]] = {}
    out["children"] = _rows(con, data, "ssd_person", "SELECT pers_person_id, pers_dob, pers_sex FROM ssd_person")
    current_team = (
        worker_teams(as_at).sql(dialect="duckdb")
        if data.has(TEAM_HISTORY)
        else "SELECT NULL::VARCHAR AS worker_id, NULL::VARCHAR AS team_id WHERE false"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE cw_current_team AS {current_team}")
    role_category = (
        "LEFT JOIN ext_worker_profile w ON w.wprf_professional_id = p.prof_professional_id"
        if data.has("ext_worker_profile")
        else "LEFT JOIN (SELECT NULL::VARCHAR AS wprf_professional_id, NULL::VARCHAR AS wprf_role_category) w ON false"
    )
    out["workers"] = _rows(
        con,
        data,
        "ssd_professionals",
        f"""SELECT p.prof_professional_id, p.prof_professional_name, p.prof_professional_job_title,
                   w.wprf_role_category, t.team_id
            FROM ssd_professionals p {role_category}
            LEFT JOIN cw_current_team t ON t.worker_id = p.prof_professional_id""",
    )
    out["teams"] = _rows(con, data, "ssd_department", "SELECT dept_team_id, dept_team_name FROM ssd_department")
    # Who holds each child now, and the unallocated children of each team: the one attribution rule
    # (``results.attribution``), as the engine applies it.
    if data.has(ALLOCATIONS) or data.has(REFERRALS):
        ordered = ordered_allocations(
            data.config.allocated_worker_roles, allocations=data.has(ALLOCATIONS), referrals=data.has(REFERRALS)
        ).sql(dialect="duckdb")
        con.execute(f"CREATE OR REPLACE TEMP TABLE cw_ordered_allocations AS {ordered}")
        pairs = sqlglot.parse_one(
            f"SELECT DISTINCT person_id, {day} AS ref_date FROM cw_ordered_allocations", read="duckdb"
        )
        assert isinstance(pairs, sqlglot.exp.Query)
        held = holders(pairs, "cw_ordered_allocations", has_departments=data.has(PROFESSIONALS)).sql(dialect="duckdb")
        out["open_cases"] = con.execute(
            f"SELECT DISTINCT person_id, worker_id, team_id, held_since AS since FROM ({held})"
        ).fetchall()
    else:
        out["open_cases"] = []
    episodes = [
        ("ssd_cin_episodes", "'CIN'", "cine_referral_id", "cine_referral_date", "cine_close_date", "cine_close_reason"),
        ("ssd_cp_plans", "'CP'", "cppl_cp_plan_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date", "NULL"),
        (
            "ssd_cla_episodes",
            "'Care'",
            "clae_cla_episode_id",
            "clae_cla_episode_start_date",
            "clae_cla_episode_ceased_date",
            "clae_cla_episode_start_reason",
        ),
        (
            "ssd_cla_placement",
            "'Placement'",
            "clap_cla_placement_id",
            "clap_cla_placement_start_date",
            "clap_cla_placement_end_date",
            "clap_cla_placement_type",
        ),
    ]
    out["episodes"] = []
    for table, kind, key, start, end, detail in episodes:
        prefix = key.split("_", 1)[0]
        person = f"{prefix}_person_id"
        out["episodes"] += _rows(
            con,
            data,
            table,
            f"""SELECT {person}, {kind}, {key}, {start}, {end}, CAST({detail} AS VARCHAR) FROM {table}
                WHERE {start} <= {day}""",
        )
    out["instances"] = con.execute(
        """SELECT subject_type, subject_id, CASE WHEN subject_type = 'child' THEN subject_id END, standard_id,
                  standard_version, episode_id, sequence, anchor_date, due_date, strftime(due_date, '%Y-%m'),
                  completed_date, status, working_days_late, calendar_days_late, worker_id, team_id, explanation,
                  exception_reason
           FROM cw_results"""
    ).fetchall()
    return out


def _standard_notes(results: Results) -> list[dict[str, Any]]:
    noted = sorted({*results.not_evaluated, *results.limited, *results.out_of_window, *results.code_limits})
    return [
        {
            "standard_id": standard_id,
            "not_evaluated": results.not_evaluated.get(standard_id),
            "limited": results.limited.get(standard_id),
            "out_of_window": results.out_of_window.get(standard_id),
            "code_limits": results.code_limits.get(standard_id),
        }
        for standard_id in noted
    ]


def _rows(con: duckdb.DuckDBPyConnection, data: CaseData, table: str, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall() if data.has(table) else []


def _dicts(rows: Iterable[tuple[Any, ...]], names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [dict(zip(names, row, strict=True)) for row in rows]


def _insert(conn: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        conn.execute(insert(table), rows[start : start + BATCH])


def _quality_tables(data: CaseData) -> list[dict[str, Any]]:
    return [
        {
            "table_name": s.table,
            "file": s.file,
            "rows_read": s.rows_read,
            "rows_loaded": s.rows_loaded,
            "rows_rejected": s.rows_rejected,
            "warnings": s.warnings,
            "notes": s.notes,
        }
        for s in data.report.summaries.values()
    ]


def _quality_issues(con: duckdb.DuckDBPyConnection, data: CaseData) -> list[dict[str, Any]]:
    """The report's issues grouped by reason, with the first three rows as examples (as `casewatch data check`)."""
    con.register("cw_issues", data.report.issues)
    grouped = con.execute(
        """SELECT severity, "table", "column", reason, count(*) AS n,
                  string_agg(CAST("row" AS VARCHAR), ', ' ORDER BY "row") FILTER (WHERE "row" IS NOT NULL)
           FROM cw_issues GROUP BY severity, "table", "column", reason
           ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, n DESC, "table", "column"
        """
    ).fetchall()
    return [
        {
            "severity": severity,
            "table_name": table,
            "column_name": column,
            "reason": reason,
            "rows": int(n),
            "examples": ", ".join((examples or "").split(", ")[:3]),
        }
        for severity, table, column, reason, n, examples in grouped
    ]
