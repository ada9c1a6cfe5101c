"""From timed instances to results: status, lateness, exceptions, the worker and team responsible, explanation.

Every rule kind ends here, so the status vocabulary and its precedence (docs/standards-language.md,
"Statuses") are implemented exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlglot import exp

from .rules.base import concat, nest, text
from .sql import CalendarSql, col, date_lit, days_between, frag, lit

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
        "SELECT i.*, :status AS base_status, LEAST(COALESCE(i.due_date, :as_at), :as_at) AS ref_date, "
        "ROW_NUMBER() OVER () AS instance_key FROM :instances AS i",
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
    worker, team, joins = _responsibility(subject_type, tables, allocated_roles)
    responsible = frag(
        f"SELECT e.*, {worker} AS worker_id, {team} AS team_id, ROW_NUMBER() OVER (PARTITION BY e.instance_key "
        f"ORDER BY a.start_d DESC NULLS LAST, a.alloc_id DESC NULLS LAST) AS alloc_rank FROM :excepted AS e {joins}",
        excepted=nest(excepted),
    )
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
    return (
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
        .where(frag("r.alloc_rank = 1"), copy=False)
        .order_by(frag("r.subject_id"), frag("r.episode_id"), frag("r.sequence"), frag("r.version"), copy=False)
    )


def _responsibility(subject_type: str, tables: frozenset[str], roles: Sequence[str]) -> tuple[str, str, str]:
    """SQL for the worker and team responsible at the instance's reference date, and the joins it needs.

    A child's worker is their allocated case-holder on that date (the involvement roles the council's data
    config names); a worker's standards are their own. The team is the allocation's team, else the worker's
    department.
    """
    role_list = ", ".join("'" + r.replace("'", "''") + "'" for r in roles) or "NULL"
    joins = []
    if subject_type == "child" and "ssd_involvements" in tables:
        joins.append(
            "LEFT JOIN (SELECT invo_person_id AS person_id, invo_professional_id AS worker, "
            "invo_professional_team AS team, CAST(invo_involvement_start_date AS DATE) AS start_d, "
            "CAST(invo_involvement_end_date AS DATE) AS end_d, invo_involvements_id AS alloc_id FROM ssd_involvements "
            f"WHERE invo_professional_role_id IN ({role_list})) AS a ON a.person_id = e.subject_id "
            "AND a.start_d <= e.ref_date AND (a.end_d IS NULL OR a.end_d >= e.ref_date)"
        )
        worker = "a.worker"
        team = "a.team"
    else:
        joins.append("LEFT JOIN (SELECT CAST(NULL AS DATE) AS start_d, CAST(NULL AS VARCHAR) AS alloc_id) AS a ON TRUE")
        worker = "e.subject_id" if subject_type == "worker" else "CAST(NULL AS VARCHAR)"
        team = "CAST(NULL AS VARCHAR)"
    if "ssd_professionals" in tables and subject_type in ("child", "worker"):
        joins.append(f"LEFT JOIN ssd_professionals AS pr ON pr.prof_professional_id = {worker}")
        team = f"COALESCE({team}, pr.prof_professional_department)"
    return worker, team, " ".join(joins)


__all__ = ["RESULT_COLUMNS", "finish"]
