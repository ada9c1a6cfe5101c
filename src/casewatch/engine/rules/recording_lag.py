"""recording_lag: the record made within N of the event (case notes within 3 working days)."""

from __future__ import annotations

from sqlglot import exp

from casewatch.standards.kinds import RecordingLag

from ..sql import add_duration, as_date, col, frag
from .base import Context, concat, instance_select, sub, text


def compile_recording_lag(rule: RecordingLag, ctx: Context) -> exp.Query:
    event = ctx.relation(rule.event)
    k = "k"
    recorded = as_date(event.attr(rule.recorded, k))
    detail = concat(
        f"to be recorded within {rule.within} of the {event.label} on ",
        text(col("d", k)),
        exp.Case(
            ifs=[exp.If(this=frag(":r IS NOT NULL", r=recorded), true=concat("; recorded on ", text(recorded)))],
            default=exp.Literal.string("; not yet recorded"),
        ),
    )
    issue = exp.Case(
        ifs=[
            exp.If(this=frag("k.d IS NULL"), true=exp.Literal.string(f"the {event.label} has no date")),
            exp.If(
                this=frag(":r < k.d", r=recorded),
                true=concat(
                    "recorded on ",
                    text(recorded),
                    f" before the {event.label} took place on ",
                    text(col("d", k)),
                ),
            ),
        ]
    )
    return exp.select(
        *instance_select(
            subject_id=col("subject_id", k),
            episode_id=col("row_id", k),
            sequence=exp.Literal.number(1),
            anchor_date=col("d", k),
            due_date=add_duration(col("d", k), rule.within, ctx.calendar, rule.counting.anchor_day),
            completed_date=recorded,
            issue=issue,
            detail=detail,
        )
    ).from_(sub(event.query, k), copy=False)
