"""Compile a reference to a source ("cp_visit where seen") into a normalised relation as at a date.

Every rule kind reads its sources through the same relation shape, so the as-at rule and the condition
semantics are implemented once: ``subject_id``, ``row_id``, ``d`` (the row's date, or an episode's start),
``ts`` (the same as a timestamp, for hour rules), ``end_d`` (an episode's end, null while open as at the date)
and one ``a_<attribute>`` column per attribute.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlglot import exp

from casewatch.data.normalise import fold_expression
from casewatch.data.vocabulary import fold
from casewatch.errors import StandardsError
from casewatch.standards.durations import Duration, Unit
from casewatch.standards.kinds.base import SourceRef
from casewatch.standards.sources import Source

from .sql import as_date, col, date_lit, frag, lit, sub


@dataclass(frozen=True)
class Relation:
    """A compiled source reference: the query and what the engine needs to know about it."""

    source: Source
    query: exp.Query
    datetime: bool

    def attr(self, name: str, table: str | None = None) -> exp.Column:
        if not self.source.has_attribute(name):
            raise StandardsError(f"the source '{self.source.name}' has no attribute '{name}'")
        return col(f"a_{name}", table)

    @property
    def label(self) -> str:
        return self.source.title


class RelationCompiler:
    """Turns source references into relations over the tables of one DuckDB (or other) database."""

    def __init__(
        self,
        sources: Mapping[str, Source],
        column_types: Mapping[str, Mapping[str, str]],
        as_at: date,
        config_lists: Mapping[str, Sequence[str]],
        working_day: Any,
    ) -> None:
        self.sources = sources
        self.column_types = column_types
        self.as_at = as_at
        self.config_lists = config_lists
        self._working_day = working_day

    def for_calendar(self, working_day: Any) -> RelationCompiler:
        """The same compiler counting ``within_last`` working days on another calendar (the standard's own)."""
        return RelationCompiler(self.sources, self.column_types, self.as_at, self.config_lists, working_day)

    def is_datetime(self, table: str, column: str) -> bool:
        return self.column_types.get(table, {}).get(column, "").upper().startswith("TIMESTAMP")

    def is_dated(self, table: str, column: str) -> bool:
        kind = self.column_types.get(table, {}).get(column, "").upper()
        return kind.startswith("TIMESTAMP") or kind == "DATE"

    def relation(self, ref: SourceRef, subject_type: str) -> Relation:
        source = self.sources[ref.source]
        if subject_type not in source.subjects:
            raise StandardsError(f"the source '{source.name}' has no {subject_type} subject")
        table = source.table
        as_at = date_lit(self.as_at)
        subject = col(source.subjects[subject_type])
        projections: list[exp.Expr] = []
        visible: exp.Expr = exp.true()
        when = source.date or source.start
        if when is not None:
            when_col = col(when)
            visible = frag(":w IS NULL OR CAST(:w AS DATE) <= :as_at", w=when_col, as_at=as_at)
        attrs = []
        for name, column in source.attributes.items():
            value: exp.Expr = col(column)
            if self.is_dated(table, column) and column != when:
                value = frag("CASE WHEN CAST(:c AS DATE) > :as_at THEN NULL ELSE :c END", c=value, as_at=as_at)
            attrs.append(exp.alias_(value, f"a_{name}", quoted=True))
        end_expr: exp.Expr = exp.Null()
        if source.end is not None:
            end_expr = frag(
                "CASE WHEN CAST(:e AS DATE) > :as_at THEN NULL ELSE CAST(:e AS DATE) END",
                e=col(source.end),
                as_at=as_at,
            )
        # A row that names no subject of this type is nobody's (a worker's own supervision, with no child, is not
        # a child's instance): it is left out, as the reference evaluator leaves it out.
        fixed = exp.and_(
            self.condition(source, source.filter, raw=True),
            exp.Not(this=exp.Is(this=subject.copy(), expression=exp.Null())),
        )
        for attr, list_name in source.config_filter.items():
            values = list(self.config_lists.get(list_name, ()))
            fixed = exp.and_(fixed, self._one_of(exp.column(source.column(attr)), values) if values else exp.false())
        if source.group_by is not None:
            inner = (
                exp.select(
                    exp.alias_(subject, "subject_id", quoted=True),
                    exp.alias_(col(source.group_by), "row_id", quoted=True),
                    exp.alias_(as_date(col(when)) if when else exp.Null(), "d", quoted=True),
                    exp.alias_(end_expr, "end_d", quoted=True),
                    *attrs,
                )
                .from_(exp.to_table(table), copy=False)
                .where(exp.and_(visible, fixed), copy=False)
            )
            grouped = frag(
                "SELECT MIN(g.subject_id) AS subject_id, g.row_id AS row_id, MIN(g.d) AS d, "
                "CAST(MIN(g.d) AS TIMESTAMP) AS ts, "
                "CASE WHEN SUM(CASE WHEN g.end_d IS NULL THEN 1 ELSE 0 END) > 0 THEN NULL ELSE MAX(g.end_d) END "
                "AS end_d FROM :rows AS g GROUP BY g.row_id",
                rows=exp.Subquery(this=inner),
            )
            assert isinstance(grouped, exp.Select)
            for name in source.attributes:
                grouped = grouped.select(
                    exp.alias_(exp.Min(this=col(f"a_{name}", "g")), f"a_{name}", quoted=True), copy=False
                )
            query: exp.Query = grouped
        else:
            ts: exp.Expr = exp.Null()
            d: exp.Expr = exp.Null()
            if when is not None:
                d = as_date(col(when))
                ts = exp.Cast(this=col(when), to=exp.DataType.build("TIMESTAMP"))
            projections = [
                exp.alias_(subject, "subject_id", quoted=True),
                exp.alias_(exp.Cast(this=col(source.id), to=exp.DataType.build("VARCHAR")), "row_id", quoted=True),
                exp.alias_(d, "d", quoted=True),
                exp.alias_(ts, "ts", quoted=True),
                exp.alias_(end_expr, "end_d", quoted=True),
                *attrs,
            ]
            query = (
                exp.select(*projections)
                .from_(exp.to_table(table), copy=False)
                .where(exp.and_(visible, fixed), copy=False)
            )
        if ref.where:
            query = (
                exp.select("*").from_(sub(query, "r"), copy=False).where(self.condition(source, ref.where), copy=False)
            )
        dated = when is not None and self.is_datetime(table, when)
        return Relation(source=source, query=query, datetime=dated)

    def condition(self, source: Source, where: Mapping[str, Any], raw: bool = False) -> exp.Expr:
        """A rule's ``where`` as SQL; ``raw`` tests table columns rather than a relation's ``a_`` columns."""
        result: exp.Expr = exp.true()
        for attr, test in where.items():
            target = exp.column(source.column(attr)) if raw else col(f"a_{attr}")
            result = exp.and_(result, self._test(target, test))
        return result

    def _test(self, target: exp.Expr, test: Any) -> exp.Expr:
        if isinstance(test, list):
            return self._one_of(target, test)
        if not isinstance(test, dict):
            return self._one_of(target, [test])
        ((op, value),) = test.items()
        match op:
            case "not":
                return exp.Coalesce(this=exp.not_(self._one_of(target, [value])), expressions=[exp.true()])
            case "in":
                return self._one_of(target, value)
            case "not_in":
                return exp.Coalesce(this=exp.not_(self._one_of(target, value)), expressions=[exp.true()])
            case "is_null":
                is_null = exp.Is(this=target, expression=exp.Null())
                return is_null if value else exp.not_(is_null)
            case "within_last":
                since = self.date_before(Duration.parse(value))
                return frag(
                    "CAST(:t AS DATE) > :since AND CAST(:t AS DATE) <= :as_at",
                    t=target,
                    since=date_lit(since),
                    as_at=date_lit(self.as_at),
                )
        raise StandardsError(f"unknown condition operator '{op}'")

    @staticmethod
    def _one_of(target: exp.Expr, values: list[Any]) -> exp.Expr:
        """Equality with any of ``values``; text is compared folded (``vocabulary.fold``: ignoring case and
        surrounding or repeated spaces), as councils' systems spell codes their own way."""
        texts = [v for v in values if isinstance(v, str)]
        others = [v for v in values if v is not None and not isinstance(v, str)]
        tests: list[exp.Expr] = []
        if any(v is None for v in values):  # "null" in a condition means "no value"
            tests.append(exp.Is(this=target, expression=exp.Null()))
        if texts:
            folded = fold_expression(exp.Cast(this=target, to=exp.DataType.build("VARCHAR")))
            tests.append(folded.isin(*[lit(v) for v in sorted({fold(v) for v in texts})]))
        if others:
            tests.append(target.isin(*[lit(v) for v in others]))
        return exp.or_(*tests) if len(tests) > 1 else tests[0]

    def date_before(self, duration: Duration) -> date:
        """The as-at date less a duration, for ``within_last`` (working days counted strictly before)."""
        from dateutil.relativedelta import relativedelta

        match duration.unit:
            case Unit.WORKING_DAYS:
                day, left = self.as_at, duration.amount
                while left:
                    day -= timedelta(days=1)
                    if self._working_day(day):
                        left -= 1
                return day
            case Unit.CALENDAR_DAYS | Unit.WEEKS:
                return self.as_at - timedelta(days=duration.calendar_days)
            case Unit.MONTHS | Unit.YEARS:
                result: date = self.as_at - relativedelta(months=duration.months)
                return result
            case Unit.HOURS:
                return self.as_at - timedelta(days=duration.date_precision_days)
