"""Building blocks for the compiled queries, as SQLGlot expressions rather than dialect strings.

Every query the engine runs is assembled as a SQLGlot syntax tree and rendered for the target dialect only at
the end, so the same plan can run on embedded DuckDB, a council's PostgreSQL warehouse or a Spark cluster.
Fragments are written in plain, portable SQL with ``:name`` placeholders that are filled with expressions;
the date arithmetic that dialects disagree on (adding months, intervals, working days) is built here once.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp

from casewatch.standards.durations import Duration, Unit

READ_DIALECT = "duckdb"


def frag(text: str, **subs: exp.Expr | str | int) -> exp.Expr:
    """Parse a portable SQL fragment and fill its ``:name`` placeholders with expressions."""
    filled = {k: (v if isinstance(v, exp.Expr) else _literal(v)) for k, v in subs.items()}
    return exp.replace_placeholders(_template(text), **filled)  # works on a copy: the template stays clean


@lru_cache(maxsize=4096)
def _template(text: str) -> exp.Expr:
    """Each fragment's text is parsed once: compiling a pack reuses a few hundred fragments many times over."""
    return sqlglot.parse_one(text, read=READ_DIALECT)


def query(text: str, **subs: exp.Expr | str | int) -> exp.Query:
    tree = frag(text, **subs)
    assert isinstance(tree, exp.Query), text
    return tree


def _literal(value: str | int) -> exp.Expr:
    return exp.Literal.number(value) if isinstance(value, int) else exp.Literal.string(value)


def ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def col(name: str, table: str | None = None) -> exp.Column:
    return exp.Column(this=ident(name), table=ident(table) if table else None)


def lit(value: Any) -> exp.Expr:
    """A literal of a Python value from a standard (string, number, boolean, date)."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(value)
    if isinstance(value, date):
        return date_lit(value)
    return exp.Literal.string(str(value))


def sub(query: exp.Expr, alias: str) -> exp.Subquery:
    """A query in a FROM clause under ``alias``.

    The alias is a quoted identifier inside a ``TableAlias`` node, as SQLGlot's parser builds it: a bare string
    renders for some dialects by chance and crashes the T-SQL generator, which reads the alias as a node.
    """
    return exp.Subquery(this=query, alias=exp.TableAlias(this=ident(alias)))


def nest(query: exp.Expr) -> exp.Subquery:
    """A query to drop into a fragment's ``FROM :x AS alias``."""
    return exp.Subquery(this=query)


def date_lit(value: date) -> exp.Expr:
    return exp.Cast(this=exp.Literal.string(value.isoformat()), to=exp.DataType.build(exp.DType.DATE))


def as_date(expression: exp.Expr) -> exp.Expr:
    # The type built from its enum, not parsed from text: a pack's queries make tens of thousands of casts.
    return exp.Cast(this=expression, to=exp.DataType.build(exp.DType.DATE))


def add_months(expression: exp.Expr, months: int | exp.Expr) -> exp.Expr:
    """Calendar months with month-end clipping (31 Jan + 1 month = 29 Feb in a leap year)."""
    amount = months if isinstance(months, exp.Expr) else exp.Literal.number(months)
    return as_date(exp.DateAdd(this=expression, expression=amount, unit=exp.var("MONTH")))


def add_days(expression: exp.Expr, days: int | exp.Expr) -> exp.Expr:
    amount = days if isinstance(days, exp.Expr) else exp.Literal.number(days)
    return as_date(exp.DateAdd(this=expression, expression=amount, unit=exp.var("DAY")))


def add_hours(expression: exp.Expr, hours: int) -> exp.Expr:
    """A timestamp ``hours`` later, as the timestamp plus an interval of hours.

    Not a DATE_ADD of hours: SQLGlot writes that for Spark as the two-argument ``DATE_ADD``, which adds days. A
    timestamp plus ``INTERVAL 'n' HOUR`` means the same in DuckDB, PostgreSQL and Spark SQL as rendered, and the
    SQL Server rendering (``engine.dialects``) turns it into ``DATEADD(HOUR, n, ...)``.
    """
    return exp.Add(this=expression, expression=exp.Interval(this=exp.Literal.string(str(hours)), unit=exp.var("HOUR")))


def days_between(earlier: exp.Expr, later: exp.Expr) -> exp.Expr:
    return exp.DateDiff(this=as_date(later), expression=as_date(earlier), unit=exp.var("DAY"))


class CalendarSql:
    """Working-day arithmetic as lookups in a registered calendar table.

    ``cal_table`` has one row per date with ``is_working_day`` and the running ``wd_ordinal``;
    ``wd_table`` has one row per working day keyed by ordinal. Adding n working days is then a lookup of
    ordinal + n: integer arithmetic and a join, decorrelated by the database into hash joins.
    """

    def __init__(self, name: str, cal_table: str, wd_table: str) -> None:
        self.name = name
        self.cal_table = cal_table
        self.wd_table = wd_table

    def ordinal(self, day: exp.Expr) -> exp.Expr:
        return exp.Subquery(
            this=frag(
                "SELECT cwc.wd_ordinal FROM :cal AS cwc WHERE cwc.cal_date = :day",
                cal=exp.to_table(self.cal_table),
                day=as_date(day),
            )
        )

    def _shifted(self, day: exp.Expr, offset: exp.Expr) -> exp.Expr:
        """The working day whose ordinal is ``offset``, an expression over ``day``'s calendar row ``cwc``.

        One scalar subquery correlated on the date alone, with the ordinal lookup joined inside it: nesting the
        ordinal subquery in the working-day one left the database comparing every working day with every
        distinct date (31 million rows for a council's contacts) instead of two hash joins.
        """
        return exp.Subquery(
            this=frag(
                "SELECT cww.cal_date FROM :cal AS cwc JOIN :wd AS cww ON cww.wd_ordinal = :offset "
                "WHERE cwc.cal_date = :day",
                cal=exp.to_table(self.cal_table),
                wd=exp.to_table(self.wd_table),
                offset=offset,
                day=as_date(day),
            )
        )

    def add(self, day: exp.Expr, n: int, anchor_day: int = 0) -> exp.Expr:
        """The nth working day after ``day`` (day 0), or counting ``day`` itself as day 1 when working."""
        if anchor_day == 1:
            return self._shifted(day, frag("cwc.wd_ordinal + :n - CASE WHEN cwc.is_working_day THEN 1 ELSE 0 END", n=n))
        return self._shifted(day, frag("cwc.wd_ordinal + :n", n=n))

    def subtract(self, day: exp.Expr, n: int, anchor_day: int = 0) -> exp.Expr:
        """The nth working day strictly before ``day``; or counting ``day`` itself as day 1 when working."""
        if anchor_day == 1:
            return self._shifted(day, frag("cwc.wd_ordinal - :n + 1", n=n))
        return self._shifted(day, frag("cwc.wd_ordinal - CASE WHEN cwc.is_working_day THEN 1 ELSE 0 END - :n + 1", n=n))

    def between(self, earlier: exp.Expr, later: exp.Expr) -> exp.Expr:
        return exp.Sub(this=self.ordinal(later), expression=self.ordinal(earlier))


def add_duration(day: exp.Expr, duration: Duration, calendar: CalendarSql, anchor_day: int = 0) -> exp.Expr:
    """``day`` + ``duration`` as a DATE, following the counting conventions of the standards language."""
    n = duration.amount
    match duration.unit:
        case Unit.WORKING_DAYS:
            return calendar.add(day, n, anchor_day)
        case Unit.CALENDAR_DAYS:
            return add_days(day, n - 1 if anchor_day == 1 else n)
        case Unit.WEEKS:
            return add_days(day, 7 * n - (1 if anchor_day == 1 else 0))
        case Unit.MONTHS | Unit.YEARS:
            shifted = add_months(day, duration.months)
            return add_days(shifted, -1) if anchor_day == 1 else shifted
        case Unit.HOURS:
            return add_days(day, duration.date_precision_days)


def subtract_duration(day: exp.Expr, duration: Duration, calendar: CalendarSql, anchor_day: int = 0) -> exp.Expr:
    """``day`` − ``duration``, mirroring ``add_duration`` (with ``anchor_day`` 1, one day later)."""
    n = duration.amount
    one = 1 if anchor_day == 1 else 0
    match duration.unit:
        case Unit.WORKING_DAYS:
            return calendar.subtract(day, n, anchor_day)
        case Unit.CALENDAR_DAYS:
            return add_days(day, -n + one)
        case Unit.WEEKS:
            return add_days(day, -7 * n + one)
        case Unit.MONTHS | Unit.YEARS:
            shifted = add_months(day, -duration.months)
            return add_days(shifted, 1) if one else shifted
        case Unit.HOURS:
            return add_days(day, -duration.date_precision_days)
