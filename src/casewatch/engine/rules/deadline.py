"""deadline: a target event within a duration of an anchor event (ICPC within 15 working days)."""

from __future__ import annotations

from sqlglot import exp

from casewatch.standards.durations import Unit
from casewatch.standards.kinds import Deadline

from ..sql import add_duration, add_hours, as_date, col, frag, query, subtract_duration
from .base import Context, concat, instance_select, match_condition, nest, sub, text


def compile_deadline(rule: Deadline, ctx: Context) -> exp.Query:
    anchor = ctx.relation(rule.anchor)
    target = ctx.relation(rule.target)
    hourly = rule.within.unit is Unit.HOURS and anchor.datetime and target.datetime

    anchors: exp.Query = anchor.query
    if rule.anchor_age is not None:
        anchors = _of_age(rule, anchors, ctx)
    if rule.anchor.select != "each":
        # Rank dated anchors per subject (and per attribute); undated ones all stay, to be reported as issues.
        order = "ASC" if rule.anchor.select == "first" else "DESC"
        # Times of day break ties only when the rule is timed to the hour; on dates, a tie goes to the smallest id.
        time_order = f"a.ts {order}, " if hourly else ""
        per = anchor.attr(rule.anchor.per, "a") if rule.anchor.per else exp.Literal.string("")
        ranked = frag(
            "SELECT a.*, CASE WHEN a.d IS NULL THEN 1 ELSE ROW_NUMBER() OVER (PARTITION BY a.subject_id, :per, "
            f"a.d IS NULL ORDER BY a.d {order}, {time_order}a.row_id ASC) END AS anchor_rank FROM :rel AS a",
            per=per,
            rel=nest(anchors),
        )
        anchors = exp.select("*").from_(sub(ranked, "r"), copy=False).where(frag("r.anchor_rank = 1"), copy=False)

    if rule.accept_from is not None:
        # The window's start is worked out once per anchor, so the target lookup below compares plain columns.
        anchors = query(
            "SELECT a.*, :start AS cw_window_start FROM :anchors AS a",
            start=_window_start(rule, col("d", "a"), ctx),
            anchors=nest(anchors),
        )
    on = match_condition(rule.match, anchor, target, "a", "t")
    if not rule.match:
        if rule.accept_from is not None:
            on = exp.and_(on, frag("t.d >= a.cw_window_start"))
        else:
            on = exp.and_(on, frag("t.ts >= a.ts" if hourly else "t.d >= a.d"))
    # The earliest linked target, as an aggregate per anchor rather than ranking every (anchor, later target)
    # pair: a row's ``d`` is the date of its ``ts``, so the earliest time also gives the earliest date.
    earliest = "MIN(t.ts)" if hourly else "MIN(t.d)"
    first_target = exp.Subquery(
        this=frag(
            f"SELECT {earliest} FROM :targets AS t WHERE :cond AND t.d IS NOT NULL",
            targets=nest(target.query),
            cond=on,
        )
    )
    found = (
        "CAST(f.cw_first AS DATE) AS t_d, f.cw_first AS t_ts"
        if hourly
        else "f.cw_first AS t_d, CAST(NULL AS TIMESTAMP) AS t_ts"
    )
    paired = frag(
        f"SELECT f.*, {found} FROM (SELECT a.*, :first AS cw_first FROM :anchors AS a) AS f",
        first=first_target,
        anchors=nest(anchors),
    )
    p = "p"
    anchor_d, target_d = col("d", p), col("t_d", p)
    due = add_duration(anchor_d, rule.within, ctx.calendar, rule.counting.anchor_day)
    due_ts = add_hours(col("ts", p), rule.within.amount) if hourly else None
    if rule.accept_from is not None:
        before_anchor = frag(":t < p.cw_window_start", t=target_d)
    elif hourly:
        before_anchor = frag(":t < :a", t=col("t_ts", p), a=col("ts", p))
    else:
        before_anchor = frag(":t < :a", t=target_d, a=anchor_d)
    no_dob = (
        [
            exp.If(
                this=frag("p.dob IS NULL"),
                true=exp.Literal.string("the child's date of birth is not recorded, so their age is not known"),
            )
        ]
        if rule.anchor_age is not None
        else []
    )
    issue = exp.Case(
        ifs=[
            exp.If(
                this=frag(":a IS NULL", a=anchor_d),
                true=exp.Literal.string(f"the {anchor.label} has no date"),
            ),
            *no_dob,
            exp.If(
                this=before_anchor,
                true=concat(
                    f"the {target.label} of ",
                    text(target_d),
                    f" is dated before the {anchor.label} of ",
                    text(anchor_d),
                    f" (by more than {rule.accept_from})" if rule.accept_from is not None else "",
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
    return exp.select(
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
            # A target up to ``accept_from`` before the anchor meets it, so the judgment reads from then.
            reads_from=col("cw_window_start", p) if rule.accept_from is not None else None,
        )
    ).from_(sub(paired, p), copy=False)


def _window_start(rule: Deadline, anchor_day: exp.Expr, ctx: Context) -> exp.Expr:
    """The earliest date a target may have and still meet the anchor: the anchor less ``accept_from``."""
    assert rule.accept_from is not None
    return subtract_duration(anchor_day, rule.accept_from, ctx.calendar)


def _of_age(rule: Deadline, anchors: exp.Query, ctx: Context) -> exp.Query:
    """Anchors at which the child's age is in range; an unknown date of birth stays, to be reported."""
    assert rule.anchor_age is not None
    dob = col("pers_dob", "per") if ctx.has_person_table else exp.Null()
    join = "LEFT JOIN ssd_person AS per ON per.pers_person_id = a.subject_id" if ctx.has_person_table else ""
    tests: list[exp.Expr] = []
    if rule.anchor_age.from_ is not None:
        birthday = add_duration(dob.copy(), rule.anchor_age.from_, ctx.calendar)
        tests.append(frag("a.d >= :birthday", birthday=birthday))
    if rule.anchor_age.under is not None:
        birthday = add_duration(dob.copy(), rule.anchor_age.under, ctx.calendar)
        tests.append(frag("a.d < :birthday", birthday=birthday))
    in_range = exp.and_(*tests)
    return query(
        f"SELECT a.*, :dob AS dob FROM :anchors AS a {join} WHERE a.d IS NULL OR :unknown IS NULL OR :in_range",
        dob=dob,
        unknown=dob.copy(),
        anchors=nest(anchors),
        in_range=in_range,
    )
