"""state: an invariant at the as-at date (every open case allocated; caseload limits; no NQSW on CP cases)."""

from __future__ import annotations

from sqlglot import exp

from casewatch.results import Status
from casewatch.standards.kinds import State

from ..sql import add_duration, col, frag, lit
from .base import Context, concat, instance_select, match_condition, nest, sub, text


def compile_state(rule: State, ctx: Context) -> exp.Query:
    population = ctx.relation(rule.population)
    related = ctx.relation(rule.related)
    open_population = "p.d IS NOT NULL AND p.end_d IS NULL" if population.source.kind == "episode" else "TRUE"
    live_related = {
        "episode": "r.d IS NOT NULL AND r.end_d IS NULL",
        "event": "r.d IS NOT NULL",
        "entity": "TRUE",
    }[related.source.kind]
    on = exp.and_(match_condition(rule.match, population, related, "p", "r"), frag(live_related))
    if rule.related_child_in is not None:
        scope = ctx.relation(rule.related_child_in, "child")
        on = exp.and_(
            on,
            frag(
                "r.a_person_id IN (SELECT s.subject_id FROM :scope AS s WHERE s.d IS NOT NULL AND s.end_d IS NULL)",
                scope=nest(scope.query),
            ),
        )
    family_join = ""
    if rule.count_distinct == "family":
        if "ssd_family" in ctx.tables:
            family_join = "LEFT JOIN ssd_family AS f ON f.fami_person_id = r.a_person_id"
            counted = "COALESCE(f.fami_family_id, 'child:' || r.a_person_id)"
        else:
            counted = "r.a_person_id"
    elif rule.count_distinct is not None:
        counted = f'r."a_{rule.count_distinct}"'
    else:
        counted = "r.row_id"
    counts = frag(
        f"SELECT p.subject_id, p.row_id, p.d, COUNT(DISTINCT {counted}) AS n FROM :population AS p "
        f"LEFT JOIN :related AS r ON :cond {family_join} WHERE {open_population} GROUP BY p.subject_id, p.row_id, p.d",
        population=nest(population.query),
        related=nest(related.query),
        cond=on,
    )
    k = "k"
    n = col("n", k)
    holds: exp.Expr = exp.true()
    if rule.min is not None:
        holds = exp.and_(holds, exp.GTE(this=n, expression=lit(rule.min)))
    if rule.max is not None:
        holds = exp.and_(holds, exp.LTE(this=n, expression=lit(rule.max)))
    anchor = col("d", k) if population.source.kind == "episode" else ctx.as_at_lit
    due: exp.Expr = ctx.as_at_lit
    no_grace = rule.grace is None or population.source.kind != "episode"
    if not no_grace:
        assert rule.grace is not None
        due = add_duration(col("d", k), rule.grace, ctx.calendar)
    bounds = " and ".join(
        part
        for part in (
            f"at least {rule.min}" if rule.min is not None else "",
            f"at most {rule.max}" if rule.max is not None else "",
        )
        if part
    )
    what = f"distinct {rule.count_distinct}" if rule.count_distinct else related.label
    detail = concat(f"{population.label}: ", text(n), f" {what} as at {ctx.as_at.isoformat()} (needs {bounds})")
    return exp.select(
        *instance_select(
            subject_id=col("subject_id", k),
            episode_id=col("row_id", k),
            sequence=exp.Literal.number(1),
            anchor_date=anchor,
            due_date=due,
            completed_date=exp.Case(ifs=[exp.If(this=holds, true=ctx.as_at_lit)]),
            forced_status=exp.Case(
                ifs=[exp.If(this=holds, true=exp.Literal.string(Status.MET.value))],
                default=exp.Literal.string(Status.OVERDUE.value) if no_grace else exp.Null(),
            ),
            detail=detail,
        )
    ).from_(sub(counts, k), copy=False)
