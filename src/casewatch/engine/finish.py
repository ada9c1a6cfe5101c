"""From timed instances to results: status, lateness, exceptions, the worker and team responsible, explanation.

Every rule kind ends here, so the status vocabulary and its precedence (docs/standards-language.md,
"Statuses") are implemented exactly once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

import duckdb
from sqlglot import exp

from casewatch.results import RESULT_COLUMNS, Status
from casewatch.results.attribution import (
    ALLOCATIONS,
    PROFESSIONALS,
    REFERRALS,
    holders,
    ordered_allocations,
    reference_date_sql,
)

from .rules.base import concat, text
from .sql import CalendarSql, col, date_lit, days_between, frag, lit, nest, query, sub

#: The status values the query writes, one placeholder each (``results.status`` is their one definition).
_STATUS_LITERALS: dict[str, str] = {status.name.lower(): status.value for status in Status}
TIMED = "cw_timed"  # the timed instances, a named subquery because the responsibility step reads them twice
#: The column after the result columns: the earliest day a record completing the instance may be dated, where
#: a rule looks back beyond its anchor (``rules.base.instance_select``). The history window reads it, then
#: drops it, so results keep their schema; a warehouse running the SQL itself can filter on it the same way.
READS_FROM = "reads_from"


def finish(
    instances: exp.Query,
    *,
    standard_id: str,
    bare_id: str,
    subject_type: str,
    rule_kind: str,
    calendar: CalendarSql,
    as_at: date,
    due_soon_limit: date,
    tables: frozenset[str],
    allocated_roles: Sequence[str],
) -> exp.Query:
    as_at_lit = date_lit(as_at)
    status = frag(
        "CASE WHEN i.issue IS NOT NULL THEN :data_issue "
        "WHEN i.forced_status IS NOT NULL THEN i.forced_status "
        "WHEN i.completed_date IS NOT NULL AND (CASE WHEN i.due_ts IS NOT NULL THEN i.completed_ts <= i.due_ts "
        "ELSE i.completed_date <= i.due_date END) THEN :met "
        "WHEN i.completed_date IS NOT NULL THEN :met_late "
        "WHEN i.cohort_end IS NOT NULL AND i.cohort_end < i.due_date THEN :cancelled "
        "WHEN (i.due_ts IS NOT NULL AND :as_at >= i.due_date) OR :as_at > i.due_date THEN :overdue "
        "WHEN i.due_date <= :soon THEN :due_soon ELSE :not_due END",
        as_at=as_at_lit,
        soon=date_lit(due_soon_limit),
        **_STATUS_LITERALS,
    )
    staged = frag(
        "SELECT i.*, :status AS base_status, :ref_date AS ref_date FROM :instances AS i",
        status=status,
        ref_date=reference_date_sql(col("due_date", "i"), as_at_lit),
        instances=nest(instances),
    )
    reason: exp.Expr = exp.Cast(this=exp.Null(), to=exp.DataType.build("VARCHAR"))
    if "ext_exceptions" in tables:
        reason = exp.Subquery(
            this=frag(
                "SELECT MIN(x.excp_reason) FROM ext_exceptions AS x WHERE x.excp_person_id = s.subject_id "
                "AND x.excp_standard_id IN (:full, :bare) "
                "AND (x.excp_episode_id IS NULL OR x.excp_episode_id = s.episode_id) "
                "AND CAST(x.excp_date_from AS DATE) <= s.due_date AND CAST(x.excp_date_from AS DATE) <= :as_at "
                "AND (x.excp_date_to IS NULL OR CAST(x.excp_date_to AS DATE) >= s.due_date)",
                full=standard_id,
                bare=bare_id,
                as_at=as_at_lit,
            )
        )
    excepted = frag(
        "SELECT s.*, CASE WHEN s.base_status IN (:met_late, :overdue) THEN :reason END AS exception_reason, "
        "CASE WHEN s.base_status = :met_late THEN s.completed_date "
        "WHEN s.base_status = :overdue THEN COALESCE(s.cohort_end, :as_at) END AS late_to FROM :staged AS s",
        reason=reason,
        met_late=Status.MET_LATE.value,
        overdue=Status.OVERDUE.value,
        as_at=as_at_lit,
        staged=nest(staged),
    )
    responsible = _responsibility(subject_type, tables, allocated_roles)
    r = "r"
    final_status = frag(
        "CASE WHEN r.exception_reason IS NOT NULL THEN :exception ELSE r.base_status END",
        exception=Status.EXCEPTION.value,
    )
    late_to, due = col("late_to", r), col("due_date", r)
    explanation = exp.Case(
        ifs=[
            exp.If(
                this=frag("r.base_status = :data_issue", data_issue=Status.DATA_ISSUE.value),
                true=concat("Data issue: ", text(col("issue", r)), "."),
            )
        ],
        default=concat(
            "Due ",
            text(due),
            ": ",
            col("detail", r),
            ". ",
            exp.Case(
                ifs=[
                    exp.If(
                        this=frag("r.exception_reason IS NOT NULL"),
                        true=concat("Exception recorded: ", col("exception_reason", r), ". "),
                    ),
                ],
                default=exp.Literal.string(""),
            ),
            f"[{calendar.name} calendar, version ",
            text(col("version", r)),
            "]",
        ),
    )
    final = (
        exp.select(
            exp.alias_(lit(subject_type), "subject_type", quoted=True),
            exp.alias_(col("subject_id", r), "subject_id", quoted=True),
            exp.alias_(lit(standard_id), "standard_id", quoted=True),
            exp.alias_(col("version", r), "standard_version", quoted=True),
            exp.alias_(lit(rule_kind), "rule_kind", quoted=True),
            exp.alias_(col("episode_id", r), "episode_id", quoted=True),
            exp.alias_(col("sequence", r), "sequence", quoted=True),
            exp.alias_(col("anchor_date", r), "anchor_date", quoted=True),
            exp.alias_(col("due_date", r), "due_date", quoted=True),
            exp.alias_(col("completed_date", r), "completed_date", quoted=True),
            exp.alias_(col("due_ts", r), "due_datetime", quoted=True),
            exp.alias_(
                exp.Case(ifs=[exp.If(this=frag("r.due_ts IS NOT NULL"), true=col("completed_ts", r))]),
                "completed_datetime",
                quoted=True,
            ),
            exp.alias_(final_status, "status", quoted=True),
            exp.alias_(
                exp.Cast(this=calendar.between(due, late_to), to=exp.DataType.build("INTEGER")),
                "working_days_late",
                quoted=True,
            ),
            exp.alias_(
                exp.Cast(this=days_between(due, late_to), to=exp.DataType.build("INTEGER")),
                "calendar_days_late",
                quoted=True,
            ),
            exp.alias_(col("worker_id", r), "worker_id", quoted=True),
            exp.alias_(col("team_id", r), "team_id", quoted=True),
            exp.alias_(lit(calendar.name), "calendar", quoted=True),
            exp.alias_(explanation, "explanation", quoted=True),
            exp.alias_(col("exception_reason", r), "exception_reason", quoted=True),
            exp.alias_(col(READS_FROM, r), READS_FROM, quoted=True),
        )
        .from_(sub(responsible, r), copy=False)
        .order_by(frag("r.subject_id"), frag("r.episode_id"), frag("r.sequence"), frag("r.version"), copy=False)
        .with_(TIMED, as_=excepted, copy=False)
    )
    return final


def allocations_table(roles: Sequence[str]) -> str:
    """The name of the ordered-allocations table for these case-holding roles (see ``register_allocations``)."""
    digest = hashlib.sha256("\x1f".join(roles).encode()).hexdigest()[:12]
    return f"cw_allocations_{digest}"


def allocations_sql(roles: Sequence[str], tables: frozenset[str], dialect: str) -> str | None:
    """The ordered allocations every child's standard reads, as ``dialect``'s SELECT (None: no table to order).

    Each standard used to number the allocations itself (a window over the involvements of its children); with
    a pack of a dozen standards that was the same work a dozen times, and the largest fixed cost of a small
    standard. So every engine makes this table once per evaluation, under ``allocations_table(roles)``.
    """
    if ALLOCATIONS not in tables and REFERRALS not in tables:
        return None
    ordered = ordered_allocations(roles, allocations=ALLOCATIONS in tables, referrals=REFERRALS in tables)
    return ordered.sql(dialect=dialect)


def register_allocations(con: duckdb.DuckDBPyConnection, roles: Sequence[str], tables: frozenset[str]) -> None:
    """Put every child's case-holding allocations in order in DuckDB (``allocations_sql``), rebuilt on every
    evaluation since the data under it may have changed."""
    ordered = allocations_sql(roles, tables, "duckdb")
    if ordered is not None:
        con.execute(f'CREATE OR REPLACE TEMP TABLE "{allocations_table(roles)}" AS {ordered}')


def _responsibility(subject_type: str, tables: frozenset[str], roles: Sequence[str]) -> exp.Query:
    """The timed instances with the worker and team responsible at each one's reference date.

    A child's are whoever held the child then (``results.attribution``, the rule every page and export uses); a
    worker's standards are their own, in their department. The query reads ``cw_timed``; the holder is found once
    per distinct (child, date), not per instance.
    """
    has_departments = PROFESSIONALS in tables and subject_type in ("child", "worker")
    if subject_type == "child" and (ALLOCATIONS in tables or REFERRALS in tables):
        pairs = query(f"SELECT DISTINCT t.subject_id AS person_id, t.ref_date FROM {TIMED} AS t")
        held = holders(pairs, allocations_table(roles), has_departments=has_departments)
        return query(
            f"SELECT e.*, h.worker_id, h.team_id FROM {TIMED} AS e "
            "LEFT JOIN :held AS h ON h.person_id = e.subject_id AND h.ref_date = e.ref_date",
            held=nest(held),
        )
    worker = "e.subject_id" if subject_type == "worker" else "CAST(NULL AS VARCHAR)"
    team = "pr.department" if has_departments else "CAST(NULL AS VARCHAR)"
    joins = (
        "LEFT JOIN (SELECT p.prof_professional_id AS worker, MIN(p.prof_professional_department) AS department "
        f"FROM {PROFESSIONALS} AS p GROUP BY p.prof_professional_id) AS pr ON pr.worker = {worker}"
        if has_departments
        else ""
    )
    return query(f"SELECT e.*, {worker} AS worker_id, {team} AS team_id FROM {TIMED} AS e {joins}")


__all__ = ["READS_FROM", "RESULT_COLUMNS", "allocations_sql", "allocations_table", "finish", "register_allocations"]
