"""age_deadline: an event by an age (pathway planning started at 15 years 3 months)."""

from __future__ import annotations

from sqlglot import exp

from casewatch.standards.kinds import AgeDeadline

from ..sql import add_duration, col, frag
from .base import Context, concat, instance_select, nest, sub, text


def compile_age_deadline(rule: AgeDeadline, ctx: Context) -> exp.Query:
    cohort = ctx.relation(rule.cohort)
    target = ctx.relation(rule.target)
    dob_join = "LEFT JOIN ssd_person AS p ON p.pers_person_id = c.subject_id" if ctx.has_person_table else ""
    dob = "p.pers_dob" if ctx.has_person_table else "CAST(NULL AS DATE)"
    with_birthday = frag(
        f"SELECT c.subject_id, c.row_id, c.d, c.end_d, {dob} AS dob FROM :cohort AS c {dob_join}",
        cohort=nest(cohort.query),
    )
    w = "w"
    birthday = add_duration(col("dob", w), rule.age, ctx.calendar)
    staged = exp.select(exp.Star(), exp.alias_(birthday, "birthday", quoted=True)).from_(
        sub(with_birthday, w), copy=False
    )
    late_due: exp.Expr = exp.Null()
    if rule.late_entry is not None:
        late_due = add_duration(col("d", "s"), rule.late_entry, ctx.calendar, rule.counting.anchor_day)
    late_allowed = "TRUE" if rule.late_entry is not None else "FALSE"
    # A cohort with no start, one ending before it starts, or a child with no date of birth cannot be timed.
    untimed = "(s.d IS NULL OR s.end_d < s.d OR s.dob IS NULL)"
    scoped = frag(
        f"SELECT s.*, CASE WHEN {untimed} THEN NULL WHEN s.d <= s.birthday THEN s.birthday ELSE :late END AS due, "
        f"CASE WHEN {untimed} THEN NULL WHEN s.d <= s.birthday THEN s.birthday ELSE s.d END AS anchor "
        f"FROM :staged AS s WHERE {untimed} OR (s.d <= s.birthday AND (s.end_d IS NULL OR s.end_d >= s.birthday)) "
        f"OR (s.d > s.birthday AND {late_allowed})",
        late=late_due,
        staged=nest(staged),
    )
    completed = frag(
        "SELECT s.*, (SELECT MIN(t.d) FROM :targets AS t WHERE t.subject_id = s.subject_id AND t.d >= s.d) AS done "
        "FROM :scoped AS s",
        targets=nest(target.query),
        scoped=nest(scoped),
    )
    k = "k"
    detail = concat(
        f"{target.label} due by age {rule.age} (",
        text(col("due", k)),
        f") while in {cohort.label} from ",
        text(col("d", k)),
        exp.Case(
            ifs=[
                exp.If(
                    this=frag("k.done IS NOT NULL"),
                    true=concat(f"; {target.label} on ", text(col("done", k))),
                )
            ],
            default=exp.Literal.string(f"; no {target.label} recorded"),
        ),
    )
    return exp.select(
        *instance_select(
            subject_id=col("subject_id", k),
            episode_id=col("row_id", k),
            sequence=exp.Literal.number(1),
            anchor_date=col("anchor", k),
            due_date=col("due", k),
            completed_date=col("done", k),
            cohort_end=col("end_d", k),
            issue=exp.Case(
                ifs=[
                    exp.If(this=frag("k.d IS NULL"), true=exp.Literal.string(f"the {cohort.label} has no start date")),
                    exp.If(
                        this=frag("k.end_d < k.d"),
                        true=concat(f"the {cohort.label} ends on ", text(col("end_d", k)), " before it starts"),
                    ),
                    exp.If(
                        this=frag("k.dob IS NULL"),
                        true=exp.Literal.string("the child's date of birth is unknown"),
                    ),
                ]
            ),
            detail=detail,
            # A target counts from the start of the care episode, which may be years before the birthday.
            reads_from=col("d", k),
        )
    ).from_(sub(completed, k), copy=False)
