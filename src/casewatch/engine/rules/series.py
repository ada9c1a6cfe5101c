"""series: qualifying events no further apart than an interval while a cohort holds (CP visits, LAC reviews).

Instances come straight from the ordered qualifying dates with window functions: instance k is anchored on
the (k-1)th qualifying date (the cohort start for k = 1) and completed by the kth; one more, open instance
follows the last. The phase, and so the interval, is chosen by the state at each instance's anchor date.
"""

from __future__ import annotations

from sqlglot import exp

from casewatch.standards.durations import Duration
from casewatch.standards.kinds import Series
from casewatch.standards.kinds.series import Phase

from ..relations import Relation
from ..sql import add_duration, col, date_lit, frag
from .base import Context, concat, instance_select, match_condition, nest, sub, text, untimeable_cohorts


def compile_series(rule: Series, ctx: Context) -> exp.Query:
    cohort = ctx.relation(rule.cohort)
    event = ctx.relation(rule.event)
    phases = rule.all_phases
    valid = "c.d IS NOT NULL AND (c.end_d IS NULL OR c.end_d >= c.d)"
    # From the history window's start (see Series.history_baseline): an episode open at it is measured from it,
    # as if it began there, and records before it (if the extract holds any) are not read; one that ended
    # before it has nothing the data can judge.
    window = ctx.history_from if rule.history_baseline == "window_start" else None
    base = "c.d" if window is None else f"GREATEST(c.d, {date_lit(window).sql()})"
    if window is not None:
        valid += f" AND (c.end_d IS NULL OR c.end_d >= {date_lit(window).sql()})"

    qualifying = frag(
        "SELECT DISTINCT c.row_id AS episode_id, e.d AS ed FROM :cohort AS c JOIN :events AS e ON :cond "
        f"AND e.d IS NOT NULL AND e.d >= {base} AND (c.end_d IS NULL OR e.d <= c.end_d) WHERE {valid}",
        cohort=nest(cohort.query),
        events=nest(event.query),
        cond=match_condition(rule.match, cohort, event, "c", "e"),
    )
    numbered = frag(
        "SELECT q.episode_id, q.ed, ROW_NUMBER() OVER (PARTITION BY q.episode_id ORDER BY q.ed) AS seq, "
        "LAG(q.ed) OVER (PARTITION BY q.episode_id ORDER BY q.ed) AS prev FROM :q AS q",
        q=nest(qualifying),
    )
    completed = frag(
        "SELECT n.episode_id, n.seq, n.prev AS anchor, n.ed AS completed FROM :n AS n",
        n=nest(numbered),
    )
    still_open = frag(
        "SELECT c.row_id AS episode_id, COALESCE(k.cnt, 0) + 1 AS seq, k.last_ed AS anchor, "
        "CAST(NULL AS DATE) AS completed FROM :cohort AS c LEFT JOIN "
        "(SELECT q.episode_id, COUNT(*) AS cnt, MAX(q.ed) AS last_ed FROM :q AS q GROUP BY q.episode_id) AS k "
        f"ON k.episode_id = c.row_id WHERE {valid}",
        cohort=nest(cohort.query),
        q=nest(qualifying),
    )
    instances = exp.union(completed, still_open, distinct=False, copy=False)

    person_join = ""
    dob: exp.Expr = exp.Null()
    if rule.uses_age() and ctx.has_person_table:
        person_join = "LEFT JOIN ssd_person AS p ON p.pers_person_id = c.subject_id"
        dob = col("pers_dob", "p")
    cohort_attrs = "".join(f', c."a_{name}"' for name in cohort.source.attributes)
    joined = frag(
        f"SELECT i.episode_id, i.seq, COALESCE(i.anchor, {base}) AS anchor, i.completed, c.subject_id, "
        f"c.d AS start_d, c.end_d, :dob AS dob, {base} > c.d AS baselined{cohort_attrs} FROM :i AS i "
        "JOIN :cohort AS c "
        "ON c.row_id = i.episode_id "
        f"{person_join}",
        i=nest(instances),
        cohort=nest(cohort.query),
        dob=dob,
    )
    j = "j"
    anchor, start, birth = col("anchor", j), col("start_d", j), col("dob", j)
    phase_index: exp.Expr = exp.Literal.number(0)
    if len(phases) > 1:
        phase_index = exp.Case(
            ifs=[
                exp.If(this=_phase_condition(p, anchor, start, birth, cohort, ctx), true=exp.Literal.number(i))
                for i, p in enumerate(phases[:-1])
            ],
            default=exp.Literal.number(len(phases) - 1),
        )
    phased = exp.select(exp.Star(), exp.alias_(phase_index, "phase", quoted=True)).from_(sub(joined, j), copy=False)

    k = "k"
    anchor, seq = col("anchor", k), col("seq", k)
    first_due = _by_phase(
        k,
        [ctx_first(rule, p) for p in phases],
        lambda d: add_duration(anchor, d, ctx.calendar, rule.counting.anchor_day),
    )
    next_due = _by_phase(
        k,
        [p.interval for p in phases],
        lambda d: add_duration(anchor, d, ctx.calendar, rule.counting.anchor_day),
    )
    # The first occurrence of an episode measured from the window start is a regular interval, not the first
    # one (a first visit within a week of a placement is about the placement's start, which is before the data).
    first = frag(":s = 1 AND NOT :b", s=seq, b=col("baselined", k))
    baselined = frag(":s = 1 AND :b", s=seq, b=col("baselined", k))
    due = exp.Case(ifs=[exp.If(this=first, true=first_due)], default=next_due)
    first_text = _by_phase(k, [ctx_first(rule, p) for p in phases], lambda d: exp.Literal.string(str(d)))
    next_text = _by_phase(k, [p.interval for p in phases], lambda d: exp.Literal.string(str(d)))
    detail: exp.Expr = exp.Case(
        ifs=[
            exp.If(this=first, true=concat(first_text, f" after the start of the {cohort.label} on ", text(anchor))),
            exp.If(
                this=baselined,
                true=concat(
                    next_text,
                    " after the start of the history window on ",
                    text(anchor),
                    f" (the {cohort.label} began on ",
                    text(col("start_d", k)),
                    f"; the data holds no {event.label} before the window)",
                ),
            ),
        ],
        default=concat(next_text, f" after the previous {event.label} on ", text(anchor)),
    )
    detail = concat(
        detail,
        exp.Case(
            ifs=[
                exp.If(
                    this=frag(":c IS NOT NULL", c=col("completed", k)),
                    true=concat(f"; {event.label} on ", text(col("completed", k))),
                )
            ],
            default=exp.Literal.string(f"; no {event.label} since"),
        ),
    )
    timed = exp.select(
        *instance_select(
            subject_id=col("subject_id", k),
            episode_id=col("episode_id", k),
            sequence=seq,
            anchor_date=anchor,
            due_date=due,
            completed_date=col("completed", k),
            cohort_end=col("end_d", k),
            detail=detail,
        )
    ).from_(sub(phased, k), copy=False)
    issues = untimeable_cohorts(cohort)
    return exp.union(timed, issues, distinct=False, copy=False)


def ctx_first(rule: Series, phase: Phase) -> Duration:
    """The first instance's duration in a phase: the phase's own, the rule's, else the phase interval."""
    return phase.first or rule.first or phase.interval


def _by_phase(alias: str, durations: list[Duration], build: object) -> exp.Expr:
    make = build  # a callable from Duration to expression
    if len(durations) == 1:
        return make(durations[0])  # type: ignore[operator, no-any-return]
    return exp.Case(
        ifs=[
            exp.If(this=frag(":p = :i", p=col("phase", alias), i=i), true=make(d))  # type: ignore[operator]
            for i, d in enumerate(durations)
        ]
    )


def _phase_condition(
    phase: Phase,
    anchor: exp.Expr,
    start: exp.Expr,
    dob: exp.Expr,
    cohort: Relation,
    ctx: Context,
) -> exp.Expr:
    when = phase.when
    assert when is not None
    cond: exp.Expr = exp.true()
    if when.until is not None:
        cond = exp.and_(cond, exp.LT(this=anchor, expression=add_duration(start, when.until, ctx.calendar)))
    if when.from_ is not None:
        cond = exp.and_(cond, exp.GTE(this=anchor, expression=add_duration(start, when.from_, ctx.calendar)))
    if when.age_under is not None:
        cond = exp.and_(cond, exp.LT(this=anchor, expression=add_duration(dob, when.age_under, ctx.calendar)))
    if when.age_from is not None:
        cond = exp.and_(cond, exp.GTE(this=anchor, expression=add_duration(dob, when.age_from, ctx.calendar)))
    if when.where:
        cond = exp.and_(cond, ctx.relations.condition(cohort.source, when.where))
    # A comparison with an unknown date (no date of birth) is null: make it plainly false.
    return exp.Coalesce(this=cond, expressions=[exp.false()])
