"""lead_time: X at least N before Y (the conference report shared 3 working days before the conference)."""

from __future__ import annotations

from sqlglot import exp

from casewatch.results import Status
from casewatch.standards.kinds import LeadTime

from ..sql import col, frag, subtract_duration
from .base import Context, concat, instance_select, match_condition, nest, sub, text


def compile_lead_time(rule: LeadTime, ctx: Context) -> exp.Query:
    event = ctx.relation(rule.event)
    before = ctx.relation(rule.before)
    with_previous = frag(
        "SELECT y.*, (SELECT MAX(z.d) FROM :same AS z WHERE z.subject_id = y.subject_id AND z.d < y.d) AS prev_d "
        "FROM :events AS y WHERE y.d IS NOT NULL",
        events=nest(event.query),
        same=nest(event.query),
    )
    window = "" if rule.match else "AND (y.prev_d IS NULL OR x.d > y.prev_d)"
    earliest = frag(
        "SELECT y.*, (SELECT MIN(x.d) FROM :xs AS x WHERE :cond AND x.d IS NOT NULL AND x.d <= y.d "
        f"{window}) AS done FROM :ys AS y",
        xs=nest(before.query),
        cond=match_condition(rule.match, event, before, "y", "x"),
        ys=nest(with_previous),
    )
    k = "k"
    due = subtract_duration(col("d", k), rule.by, ctx.calendar, rule.counting.anchor_day)
    detail = concat(
        f"{before.label} due {rule.by} before the {event.label} on ",
        text(col("d", k)),
        exp.Case(
            ifs=[
                exp.If(
                    this=frag("k.done IS NOT NULL"),
                    true=concat(f"; {before.label} on ", text(col("done", k))),
                )
            ],
            default=exp.Literal.string(f"; no {before.label} before it"),
        ),
    )
    timed = exp.select(
        *instance_select(
            subject_id=col("subject_id", k),
            episode_id=col("row_id", k),
            sequence=exp.Literal.number(1),
            anchor_date=col("d", k),
            due_date=due,
            completed_date=col("done", k),
            # The event has happened without it: overdue, even when the due date is the as-at date itself
            # (1 working day before, counting the event's day as day 1).
            forced_status=exp.Case(
                ifs=[exp.If(this=frag("k.done IS NULL"), true=exp.Literal.string(Status.OVERDUE.value))]
            ),
            detail=detail,
        )
    ).from_(sub(earliest, k), copy=False)
    undated = frag("SELECT * FROM :events AS n WHERE n.d IS NULL", events=nest(event.query))
    n = "n"
    issues = exp.select(
        *instance_select(
            subject_id=col("subject_id", n),
            episode_id=col("row_id", n),
            sequence=exp.Literal.number(1),
            anchor_date=exp.Null(),
            due_date=exp.Null(),
            completed_date=exp.Null(),
            issue=exp.Literal.string(f"the {event.label} has no date"),
            detail=exp.Literal.string(f"the {event.label} cannot be timed"),
        )
    ).from_(sub(undated, n), copy=False)
    return exp.union(timed, issues, distinct=False, copy=False)
