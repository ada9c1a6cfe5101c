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

from .rules.base import concat, nest, text
from .sql import CalendarSql, col, date_lit, days_between, frag, lit, query

TIMED = "cw_timed"  # the timed instances, a named subquery because the responsibility step reads them twice

RESULT_COLUMNS = (
    "subject_type",
    "subject_id",
    "standard_id",
    "standard_version",
    "rule_kind",
    "episode_id",
    "sequence",
    "anchor_date",
    "due_date",
    "completed_date",
    "due_datetime",
    "completed_datetime",
    "status",
    "working_days_late",
    "calendar_days_late",
    "worker_id",
    "team_id",
    "calendar",
    "explanation",
    "exception_reason",
)


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
        "CASE WHEN i.issue IS NOT NULL THEN 'data_issue' "
        "WHEN i.forced_status IS NOT NULL THEN i.forced_status "
        "WHEN i.completed_date IS NOT NULL AND (CASE WHEN i.due_ts IS NOT NULL THEN i.completed_ts <= i.due_ts "
        "ELSE i.completed_date <= i.due_date END) THEN 'met' "
        "WHEN i.completed_date IS NOT NULL THEN 'met_late' "
        "WHEN i.cohort_end IS NOT NULL AND i.cohort_end < i.due_date THEN 'cancelled' "
        "WHEN (i.due_ts IS NOT NULL AND :as_at >= i.due_date) OR :as_at > i.due_date THEN 'overdue' "
        "WHEN i.due_date <= :soon THEN 'due_soon' ELSE 'not_due' END",
        as_at=as_at_lit,
        soon=date_lit(due_soon_limit),
    )
    staged = frag(
        "SELECT i.*, :status AS base_status, LEAST(COALESCE(i.due_date, :as_at), :as_at) AS ref_date "
        "FROM :instances AS i",
        status=status,
        as_at=as_at_lit,
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
        "SELECT s.*, CASE WHEN s.base_status IN ('met_late', 'overdue') THEN :reason END AS exception_reason, "
        "CASE WHEN s.base_status = 'met_late' THEN s.completed_date "
        "WHEN s.base_status = 'overdue' THEN COALESCE(s.cohort_end, :as_at) END AS late_to FROM :staged AS s",
        reason=reason,
        as_at=as_at_lit,
        staged=nest(staged),
    )
    responsible = _responsibility(subject_type, tables, allocated_roles)
    r = "r"
    final_status = frag("CASE WHEN r.exception_reason IS NOT NULL THEN 'exception' ELSE r.base_status END")
    late_to, due = col("late_to", r), col("due_date", r)
    explanation = exp.Case(
        ifs=[
            exp.If(
                this=frag("r.base_status = 'data_issue'"),
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
        )
        .from_(exp.Subquery(this=responsible, alias=exp.TableAlias(this=exp.to_identifier(r, quoted=True))), copy=False)
        .order_by(frag("r.subject_id"), frag("r.episode_id"), frag("r.sequence"), frag("r.version"), copy=False)
        .with_(TIMED, as_=excepted, copy=False)
    )
    return final


def allocations_table(roles: Sequence[str]) -> str:
    """The name of the ordered-allocations table for these case-holding roles (see ``register_allocations``)."""
    digest = hashlib.sha256("\x1f".join(roles).encode()).hexdigest()[:12]
    return f"cw_allocations_{digest}"


def register_allocations(con: duckdb.DuckDBPyConnection, roles: Sequence[str], tables: frozenset[str]) -> None:
    """Put every child's case-holding allocations in order, once per evaluation, for every standard to read.

    Each standard used to number the allocations itself (a window over the involvements of its children); with
    a pack of a dozen standards that was the same work a dozen times, and the largest fixed cost of a small
    standard. The table is rebuilt on every evaluation, since the data under it may have changed.
    """
    if "ssd_involvements" not in tables:
        return
    role_list = ", ".join("'" + r.replace("'", "''") + "'" for r in roles) or "NULL"
    # Ties on the start date go to the larger allocation id, as the specification's ordering says; the
    # remaining columns only make the numbering the same however often the database computes it.
    con.execute(
        f'CREATE OR REPLACE TEMP TABLE "{allocations_table(roles)}" AS '
        "SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.person_id ORDER BY a.start_d ASC, "
        "a.alloc_id ASC NULLS FIRST, a.worker ASC NULLS FIRST, a.team ASC NULLS FIRST, "
        "a.end_d ASC NULLS FIRST) AS alloc_order FROM (SELECT invo_person_id AS person_id, "
        "invo_professional_id AS worker, invo_professional_team AS team, "
        "CAST(invo_involvement_start_date AS DATE) AS start_d, CAST(invo_involvement_end_date AS DATE) AS end_d, "
        f"invo_involvements_id AS alloc_id FROM ssd_involvements WHERE invo_professional_role_id IN ({role_list})"
        ") AS a WHERE a.start_d IS NOT NULL"
    )


def _responsibility(subject_type: str, tables: frozenset[str], roles: Sequence[str]) -> exp.Query:
    """The timed instances with the worker and team responsible at each one's reference date.

    A child's worker is their allocated case-holder on that date (the involvement roles the council's data
    config names), the latest started when several allocations cover it; a worker's standards are their own. The
    team is the allocation's team, else the worker's department. The query reads ``cw_timed``.

    The allocations are put in order once per child for the whole evaluation (``register_allocations``), and each
    instance takes the highest-ordered one covering its date with a plain aggregate per distinct (child, date):
    ranking every instance's candidate allocations was the costliest step of the whole query.
    """
    departments = (
        "LEFT JOIN (SELECT p.prof_professional_id AS worker, MIN(p.prof_professional_department) AS department "
        "FROM ssd_professionals AS p GROUP BY p.prof_professional_id) AS pr ON pr.worker = {worker}"
    )
    has_departments = "ssd_professionals" in tables and subject_type in ("child", "worker")
    if subject_type == "child" and "ssd_involvements" in tables:
        allocations = allocations_table(roles)
        chosen = frag(
            f"SELECT t.subject_id, t.ref_date, MAX(o.alloc_order) AS alloc_order FROM {TIMED} AS t "
            f"JOIN {allocations} AS o ON o.person_id = t.subject_id AND o.start_d <= t.ref_date "
            "AND (o.end_d IS NULL OR o.end_d >= t.ref_date) GROUP BY t.subject_id, t.ref_date"
        )
        team = "COALESCE(o.team, pr.department)" if has_departments else "o.team"
        joins = departments.format(worker="o.worker") if has_departments else ""
        responsible = query(
            f"SELECT e.*, o.worker AS worker_id, {team} AS team_id FROM {TIMED} AS e "
            "LEFT JOIN :chosen AS b ON b.subject_id = e.subject_id AND b.ref_date = e.ref_date "
            f"LEFT JOIN {allocations} AS o ON o.person_id = b.subject_id AND o.alloc_order = b.alloc_order {joins}",
            chosen=nest(chosen),
        )
        return responsible
    worker = "e.subject_id" if subject_type == "worker" else "CAST(NULL AS VARCHAR)"
    team = "pr.department" if has_departments else "CAST(NULL AS VARCHAR)"
    joins = departments.format(worker=worker) if has_departments else ""
    return query(f"SELECT e.*, {worker} AS worker_id, {team} AS team_id FROM {TIMED} AS e {joins}")


__all__ = ["RESULT_COLUMNS", "allocations_table", "finish", "register_allocations"]
