"""deadline: a target event within a duration of an anchor event (ICPC within 15 working days)."""

from __future__ import annotations

from sqlglot import exp

from casewatch.standards.durations import Unit
from casewatch.standards.model import Deadline

from ..sql import add_duration, add_hours, as_date, col, frag
from .base import Context, concat, instance_select, match_condition, nest, sub, text


def compile_deadline(rule: Deadline, ctx: Context) -> exp.Query:
    anchor = ctx.relation(rule.anchor)
    target = ctx.relation(rule.target)
    hourly = rule.within.unit is Unit.HOURS and anchor.datetime and target.datetime

    anchors: exp.Query = anchor.query
    if rule.anchor.select != "each":
        # Rank dated anchors per subject (and per attribute); undated ones all stay, to be reported as issues.
        order = "ASC" if rule.anchor.select == "first" else "DESC"
        per = anchor.attr(rule.anchor.per, "a") if rule.anchor.per else exp.Literal.string("")
        ranked = frag(
            "SELECT a.*, CASE WHEN a.d IS NULL THEN 1 ELSE ROW_NUMBER() OVER (PARTITION BY a.subject_id, :per, "
            f"a.d IS NULL ORDER BY a.d {order}, a.ts {order}, a.row_id ASC) END AS anchor_rank FROM :rel AS a",
            per=per,
            rel=nest(anchor.query),
        )
        anchors = exp.select("*").from_(sub(ranked, "r")).where(frag("r.anchor_rank = 1"))

    on = match_condition(rule.match, anchor, target, "a", "t")
    if not rule.match:
        on = exp.and_(on, frag("t.ts >= a.ts" if hourly else "t.d >= a.d"))
    paired = frag(
        "SELECT a.*, t.row_id AS t_id, t.d AS t_d, t.ts AS t_ts, "
        "ROW_NUMBER() OVER (PARTITION BY a.row_id ORDER BY t.d ASC, t.ts ASC, t.row_id ASC) AS t_rank "
        "FROM :anchors AS a LEFT JOIN :targets AS t ON :cond AND t.d IS NOT NULL",
        anchors=nest(anchors),
        targets=nest(target.query),
        cond=on,
    )
    p = "p"
    anchor_d, target_d = col("d", p), col("t_d", p)
    due = add_duration(anchor_d, rule.within, ctx.calendar, rule.counting.anchor_day)
    due_ts = add_hours(col("ts", p), rule.within.amount) if hourly else None
    before_anchor = (
        frag(":t < :a", t=col("t_ts", p), a=col("ts", p)) if hourly else frag(":t < :a", t=target_d, a=anchor_d)
    )
    issue = exp.Case(
        ifs=[
            exp.If(
                this=frag(":a IS NULL", a=anchor_d),
                true=exp.Literal.string(f"the {anchor.label} has no date"),
            ),
            exp.If(
                this=before_anchor,
                true=concat(
                    f"the {target.label} of ",
                    text(target_d),
                    f" is dated before the {anchor.label} of ",
                    text(anchor_d),
                ),
            ),
        ]
    )
    ends = anchor.source.kind == "episode" and rule.ends_with_anchor
    precision = "" if rule.within.unit is not Unit.HOURS or hourly else " (date precision: the data has no times)"
    detail = concat(
        f"{rule.within}{precision} after the {anchor.label} of ",
        text(anchor_d),
        exp.Case(
            ifs=[
                exp.If(
                    this=frag(":t IS NOT NULL", t=target_d),
                    true=concat(f"; {target.label} on ", text(target_d)),
                )
            ],
            default=exp.Literal.string(f"; no {target.label} recorded"),
        ),
    )
    return (
        exp.select(
            *instance_select(
                subject_id=col("subject_id", p),
                episode_id=col("row_id", p),
                sequence=exp.Literal.number(1),
                anchor_date=anchor_d,
                due_date=as_date(due_ts) if due_ts is not None else due,
                due_ts=due_ts,
                completed_date=target_d,
                completed_ts=col("t_ts", p) if hourly else None,
                cohort_end=col("end_d", p) if ends else None,
                issue=issue,
                detail=detail,
            )
        )
        .from_(sub(paired, p))
        .where(frag("p.t_rank = 1"))
    )
