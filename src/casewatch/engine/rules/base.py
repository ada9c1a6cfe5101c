"""What every rule compiler needs: the relations compiler, the calendar, the as-at date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlglot import exp

from casewatch.standards.kinds.base import SourceRef

from ..relations import Relation, RelationCompiler
from ..sql import CalendarSql, as_date, col, date_lit, frag, nest, sub

INSTANCE_COLUMNS = (
    "subject_id",
    "episode_id",
    "sequence",
    "anchor_date",
    "due_date",
    "due_ts",
    "completed_date",
    "completed_ts",
    "cohort_end",
    "issue",
    "forced_status",
    "detail",
    "reads_from",
)


@dataclass(frozen=True)
class Context:
    relations: RelationCompiler
    calendar: CalendarSql
    as_at: date
    subject_type: str
    tables: frozenset[str]
    #: The first day of the data's history window for this standard (``data.history``), None for all history.
    history_from: date | None = None

    @property
    def has_person_table(self) -> bool:
        return "ssd_person" in self.tables

    def relation(self, ref: SourceRef, subject_type: str | None = None) -> Relation:
        return self.relations.relation(ref, subject_type or self.subject_type)

    @property
    def as_at_lit(self) -> exp.Expr:
        return date_lit(self.as_at)


def untimeable_cohorts(cohort: Relation) -> exp.Query:
    """One data-issue instance for each cohort episode with no start, or ending before it starts."""
    broken = frag(
        "SELECT * FROM :cohort AS b WHERE NOT (b.d IS NOT NULL AND (b.end_d IS NULL OR b.end_d >= b.d))",
        cohort=nest(cohort.query),
    )
    b = "b"
    issue = exp.Case(
        ifs=[exp.If(this=frag("b.d IS NULL"), true=exp.Literal.string(f"the {cohort.label} has no start date"))],
        default=concat(
            f"the {cohort.label} ends on ", text(col("end_d", b)), " before it starts on ", text(col("d", b))
        ),
    )
    return exp.select(
        *instance_select(
            subject_id=col("subject_id", b),
            episode_id=col("row_id", b),
            sequence=exp.Literal.number(1),
            anchor_date=col("d", b),
            due_date=exp.Null(),
            completed_date=exp.Null(),
            cohort_end=col("end_d", b),
            issue=issue,
            detail=exp.Literal.string(f"the {cohort.label} cannot be timed"),
        )
    ).from_(sub(broken, b), copy=False)


def match_condition(match: dict[str, str], left: Relation, right: Relation, la: str, ra: str) -> exp.Expr:
    """Subjects equal, and each matched attribute pair equal."""
    cond: exp.Expr = exp.EQ(this=col("subject_id", ra), expression=col("subject_id", la))
    for left_attr, right_attr in match.items():
        cond = exp.and_(cond, exp.EQ(this=right.attr(right_attr, ra), expression=left.attr(left_attr, la)))
    return cond


def text(expression: exp.Expr) -> exp.Expr:
    """A value as text for explanations ('' when null, so one missing part does not blank the sentence)."""
    return exp.Coalesce(
        this=exp.Cast(this=expression, to=exp.DataType.build("VARCHAR")),
        expressions=[exp.Literal.string("?")],
    )


def concat(*parts: exp.Expr | str) -> exp.Expr:
    items = [exp.Literal.string(p) if isinstance(p, str) else p for p in parts]
    result = items[0]
    for item in items[1:]:
        result = exp.DPipe(this=result, expression=item, safe=True)
    return result


def instance_select(
    *,
    subject_id: exp.Expr,
    episode_id: exp.Expr,
    sequence: exp.Expr,
    anchor_date: exp.Expr,
    due_date: exp.Expr,
    due_ts: exp.Expr | None = None,
    completed_date: exp.Expr,
    completed_ts: exp.Expr | None = None,
    cohort_end: exp.Expr | None = None,
    issue: exp.Expr | None = None,
    forced_status: exp.Expr | None = None,
    detail: exp.Expr,
    reads_from: exp.Expr | None = None,
) -> list[exp.Expr]:
    """The projection every rule compiler ends with, in the shared column order.

    ``reads_from`` is the earliest day a record that completes the instance may be dated, where that is before
    its anchor (an age deadline's target counts from the start of the care episode): a history window after it
    may have cut that record, so the instance is left out like one anchored before the window. None: the
    anchor (docs/standards-language.md, "The history window").
    """
    ts_type = exp.DataType.build("TIMESTAMP")
    values: dict[str, exp.Expr] = {
        "subject_id": exp.Cast(this=subject_id, to=exp.DataType.build("VARCHAR")),
        "episode_id": exp.Cast(this=episode_id, to=exp.DataType.build("VARCHAR")),
        "sequence": exp.Cast(this=sequence, to=exp.DataType.build("INTEGER")),
        "anchor_date": as_date(anchor_date),
        "due_date": as_date(due_date),
        "due_ts": exp.Cast(this=due_ts if due_ts is not None else exp.Null(), to=ts_type),
        "completed_date": as_date(completed_date),
        "completed_ts": exp.Cast(this=completed_ts if completed_ts is not None else exp.Null(), to=ts_type),
        "cohort_end": as_date(cohort_end if cohort_end is not None else exp.Null()),
        "issue": exp.Cast(this=issue if issue is not None else exp.Null(), to=exp.DataType.build("VARCHAR")),
        "forced_status": exp.Cast(
            this=forced_status if forced_status is not None else exp.Null(), to=exp.DataType.build("VARCHAR")
        ),
        "detail": exp.Cast(this=detail, to=exp.DataType.build("VARCHAR")),
        "reads_from": as_date(reads_from if reads_from is not None else exp.Null()),
    }
    return [exp.alias_(values[name], name, quoted=True) for name in INSTANCE_COLUMNS]


__all__ = [
    "INSTANCE_COLUMNS",
    "Context",
    "concat",
    "frag",
    "instance_select",
    "match_condition",
    "nest",
    "sub",
    "text",
    "untimeable_cohorts",
]
