"""count: at least n qualifying events per period (three PEPs an academic year, a yearly unannounced visit)."""

from __future__ import annotations

from sqlglot import exp

from casewatch.standards.kinds import Count

from ..sql import add_days, add_months, col, date_lit, frag
from .base import Context, concat, instance_select, match_condition, nest, sub, text, untimeable_cohorts

# period -> (length in months, first month of the year it is aligned to)
_ALIGNED = {
    "academic_year": (12, 9),
    "financial_year": (12, 4),
    "calendar_year": (12, 1),
    "quarter": (3, 1),
    "month": (1, 1),
}
NUMBERS_TABLE = "cw_numbers"
#: How many numbers it holds (0 up to one less).
NUMBERS_COUNT = 2000
EPOCH_YEAR = 1900


def compile_count(rule: Count, ctx: Context) -> exp.Query:
    cohort = ctx.relation(rule.cohort)
    event = ctx.relation(rule.event)
    c = "c"
    first: exp.Expr
    if rule.per == "cohort_year":
        length, first = 12, col("d", c)
    else:
        length, month = _ALIGNED[rule.per]
        # The start of the period holding the cohort start, as a count of months since January 1900.
        index = frag(
            "(EXTRACT(YEAR FROM c.d) - :epoch) * 12 + EXTRACT(MONTH FROM c.d) - :m",
            epoch=EPOCH_YEAR,
            m=month,
        )
        containing = add_months(
            date_lit_epoch(),
            frag("CAST(FLOOR(:i / :l) AS INTEGER) * :l + :m - 1", i=index, l=length, m=month),
        )
        first = frag("CASE WHEN :s = c.d THEN :s ELSE :n END", s=containing, n=add_months(containing, length))
    starts = frag(
        "SELECT c.*, :first AS first_start FROM :cohort AS c "
        "WHERE c.d IS NOT NULL AND (c.end_d IS NULL OR c.end_d >= c.d)",
        first=first,
        cohort=nest(cohort.query),
    )
    ps = add_months(col("first_start", "s"), frag("g.k * :l", l=length))
    pe = add_days(add_months(col("first_start", "s"), frag("(g.k + 1) * :l", l=length)), -1)
    periods = frag(
        "SELECT s.*, g.k + 1 AS seq, :ps AS ps, :pe AS pe FROM :starts AS s JOIN cw_numbers AS g "
        "ON g.k <= ((EXTRACT(YEAR FROM :as_at) - EXTRACT(YEAR FROM s.first_start)) * 12 "
        "+ EXTRACT(MONTH FROM :as_at) - EXTRACT(MONTH FROM s.first_start)) / :l + 1",
        ps=ps,
        pe=pe,
        starts=nest(starts),
        as_at=ctx.as_at_lit,
        l=length,
    )
    live = frag(
        "SELECT * FROM :periods AS p WHERE p.ps <= :as_at AND (p.end_d IS NULL OR p.ps <= p.end_d)",
        periods=nest(periods),
        as_at=ctx.as_at_lit,
    )
    hits = frag(
        "SELECT p.row_id, p.seq, e.d, ROW_NUMBER() OVER (PARTITION BY p.row_id, p.seq ORDER BY e.d, e.row_id) AS rn "
        "FROM :live AS p JOIN :events AS e ON :cond AND e.d IS NOT NULL AND e.d >= p.ps AND e.d <= p.pe "
        "AND (p.end_d IS NULL OR e.d <= p.end_d)",
        live=nest(live),
        events=nest(event.query),
        cond=match_condition(rule.match, cohort, event, "p", "e"),
    )
    joined = frag(
        "SELECT p.subject_id, p.row_id, p.seq, p.ps, p.pe, p.end_d, h.d AS done FROM :live AS p "
        "LEFT JOIN :hits AS h ON h.row_id = p.row_id AND h.seq = p.seq AND h.rn = :n",
        live=nest(live),
        hits=nest(hits),
        n=rule.at_least,
    )
    k = "k"
    detail = concat(
        f"at least {rule.at_least} {event.label} in the {rule.per.replace('_', ' ')} ",
        text(col("ps", k)),
        " to ",
        text(col("pe", k)),
        exp.Case(
            ifs=[
                exp.If(
                    this=frag("k.done IS NOT NULL"),
                    true=concat(f"; the {_ordinal(rule.at_least)} on ", text(col("done", k))),
                )
            ],
            default=exp.Literal.string(f"; fewer than {rule.at_least} so far"),
        ),
    )
    timed = exp.select(
        *instance_select(
            subject_id=col("subject_id", k),
            episode_id=col("row_id", k),
            sequence=col("seq", k),
            anchor_date=col("ps", k),
            due_date=col("pe", k),
            completed_date=col("done", k),
            cohort_end=col("end_d", k),
            detail=detail,
        )
    ).from_(sub(joined, k), copy=False)
    issues = untimeable_cohorts(cohort)
    return exp.union(timed, issues, distinct=False, copy=False)


def date_lit_epoch() -> exp.Expr:
    from datetime import date

    return date_lit(date(EPOCH_YEAR, 1, 1))


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")
