"""Computing the onboarding profile of loaded case data: every count one set-based query in DuckDB.

The profile reads what the loader already decided (the data-quality report's row accounting, duplicates and
orphans), what :mod:`casewatch.data.history` finds as the history window and what the engine's readiness check
says, so the report agrees with ``casewatch data check`` and ``casewatch evaluate`` on every figure; what it adds
is counted here from the loaded tables, per table or per column, never row by row in Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

import duckdb
import pyarrow as pa
from dateutil.relativedelta import relativedelta

from casewatch.data.code_check import ATTRIBUTION, CodeReport, check_codes
from casewatch.data.contract import TABLES
from casewatch.data.history import HistoryWindow, history_window
from casewatch.data.load import CaseData
from casewatch.data.quoting import ident, literal
from casewatch.engine import evaluate
from casewatch.engine.readiness import readiness
from casewatch.results import Results, counts_by_standard, standard_compliance
from casewatch.standards.pack import Pack, Standard
from casewatch.standards.sources import load_sources

from .model import (
    ColumnNulls,
    DateRange,
    KeyCheck,
    Profile,
    Readiness,
    StandardProfile,
    TableProfile,
    WindowAdvice,
)

#: The months the coverage chart spans at most, ending with the as-at month (a 6-year extract and a year more).
CHART_MONTHS = 84
_DATED = ("date", "datetime")


def build_profile(data: CaseData, pack: Pack | None, as_at: date, *, evaluate_pack: bool = True) -> Profile:
    """The profile of ``data`` for ``pack``'s standards (none: the data sections only) as at ``as_at``.

    With ``evaluate_pack`` the pack is evaluated too, so each standard says how many instances the window left
    out and what its figure is; without, readiness comes from the tables and columns alone (quicker).
    """
    con = data.con
    month_columns = _month_columns(data.tables)
    chart = _chart_months(con, month_columns, as_at)
    tables = tuple(_table(data, name, month_columns.get(name), chart) for name in data.report.summaries)
    window = history_window(con, data.config, as_at)
    standards = list(pack.standards.values()) if pack is not None else []
    results = _evaluate(data, standards, as_at, window) if evaluate_pack and standards else None
    config = data.config
    codes = check_codes(con, standards, config.allocated_worker_roles, config.codes)
    return Profile(
        source=data.source,
        as_at=as_at,
        pack=pack.id if pack is not None else None,
        missing_tables=tuple(data.missing_tables),
        tables=tables,
        chart_months=chart,
        window=_window_advice(window, data, as_at),
        nulls=_nulls(con, standards),
        codes=codes,
        keys=_keys(data),
        standards=_standards(con, standards, window, results),
        evaluated=results is not None,
        settings=_settings(window, codes),
    )


def _month_columns(loaded: Iterable[str]) -> dict[str, str]:
    """Per table, the date its records happen on: the first event date or episode start sources.yaml names."""
    found: dict[str, str] = {}
    for source in load_sources().values():
        when = source.date or source.start
        if when and source.table in loaded and source.table not in found:
            found[source.table] = when
    return found


def _chart_months(con: duckdb.DuckDBPyConnection, columns: dict[str, str], as_at: date) -> tuple[date, ...]:
    """First days of the months the chart shows: from the earliest dated record, at most ``CHART_MONTHS``."""
    last = as_at.replace(day=1)
    floor = last - relativedelta(months=CHART_MONTHS - 1)
    firsts = [
        con.execute(f"SELECT min(CAST({ident(c)} AS DATE)) FROM {ident(t)}").fetchone() for t, c in columns.items()
    ]
    known = [row[0] for row in firsts if row is not None and row[0] is not None]
    start = max(floor, min(known).replace(day=1)) if known else last
    start = min(start, last)
    months = []
    while start <= last:
        months.append(start)
        start += relativedelta(months=1)
    return tuple(months)


def _table(data: CaseData, name: str, month_column: str | None, chart: tuple[date, ...]) -> TableProfile:
    summary = data.report.summaries[name]
    con, table = data.con, ident(name)
    dated = [c.name for c in TABLES[name].columns if c.type in _DATED]
    ranges: list[DateRange] = []
    if dated:
        parts = ", ".join(
            f"min(CAST({ident(c)} AS DATE)), max(CAST({ident(c)} AS DATE)), count({ident(c)})" for c in dated
        )
        row = con.execute(f"SELECT {parts} FROM {table}").fetchone() or ()
        ranges = [DateRange(c, row[3 * i], row[3 * i + 1], int(row[3 * i + 2])) for i, c in enumerate(dated)]
    months: dict[date, int] = {}
    earlier = later = 0
    if month_column is not None and chart:
        month = f"date_trunc('month', CAST({ident(month_column)} AS DATE))"
        first, last = literal(chart[0].isoformat()), literal(chart[-1].isoformat())
        rows = con.execute(
            f"SELECT CASE WHEN m < CAST({first} AS DATE) THEN 'earlier' WHEN m > CAST({last} AS DATE) THEN 'later' "
            f"ELSE 'in' END AS part, CAST(m AS DATE), count(*) FROM (SELECT {month} AS m FROM {table} "
            f"WHERE {ident(month_column)} IS NOT NULL) GROUP BY ALL"
        ).fetchall()
        for part, day, n in rows:
            if part == "in":
                months[day] = int(n)
            elif part == "earlier":
                earlier += int(n)
            else:
                later += int(n)
    return TableProfile(
        table=name,
        file=summary.file,
        rows_read=summary.rows_read,
        rows_loaded=summary.rows_loaded,
        rows_rejected=summary.rows_rejected,
        date_ranges=tuple(ranges),
        month_column=month_column,
        months=months,
        earlier=earlier,
        later=later,
    )


def _window_advice(window: HistoryWindow, data: CaseData, as_at: date) -> WindowAdvice:
    """The window's statement and the casewatch.yaml lines that set (or confirm) it."""
    config = data.config
    if window.how == "history_from":
        lines: tuple[str, ...] = (f"history_from: {config.history_from}",)
        advice = "The window is set in casewatch.yaml; nothing to change unless the extract was cut differently."
    elif window.how == "ssd_timeframe_years":
        extract = config.extract_date or as_at
        lines = (f"ssd_timeframe_years: {config.ssd_timeframe_years}", f"extract_date: {extract}")
        advice = (
            "The window is set in casewatch.yaml"
            + ("" if config.extract_date else "; add extract_date so it does not move with the as-at date")
            + "."
        )
    elif window.how == "inferred":
        assert window.start is not None
        lines = (f"history_from: {window.start}",)
        advice = (
            "The window was inferred from the data. Confirm it: paste this line into casewatch.yaml, or, if the "
            "extract keeps a number of years (the SSD's ssd_timeframe_years, 6 by default), set "
            "ssd_timeframe_years and extract_date instead."
        )
    else:
        lines = ("ssd_timeframe_years: 6", f"extract_date: {as_at}")
        advice = (
            "No window was found, so every record is taken to be there. If the extract keeps only some years of "
            "history (the SSD keeps 6 by default), paste these lines into casewatch.yaml with the extract's own "
            "figures; otherwise leave them out."
        )
    if window.tables:
        lines += ("windows:", *(f"  {t}: {d}" for t, d in sorted(window.tables.items())))
    return WindowAdvice(window.start, window.how, window.statement(), lines, advice, dict(window.tables))


def _nulls(con: duckdb.DuckDBPyConnection, standards: list[Standard]) -> tuple[ColumnNulls, ...]:
    """The null share of every column the standards read, counted with one query per table."""
    readers: dict[tuple[str, str], set[str]] = {}
    for standard in standards:
        for table, needed in standard.requirements.items():
            for column in needed:
                readers.setdefault((table, column), set()).add(standard.id)
    present: dict[str, set[str]] = {}
    for name, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
    ).fetchall():
        present.setdefault(str(name), set()).add(str(column))
    found: list[ColumnNulls] = []
    for table in sorted({t for t, _ in readers}):
        columns = sorted(c for t, c in readers if t == table)
        there = [c for c in columns if c in present.get(table, set())]
        counts: dict[str, int] = {}
        total: int | None = None
        if table in present:
            parts = ", ".join(["count(*)", *(f"count({ident(c)})" for c in there)])
            row = con.execute(f"SELECT {parts} FROM {ident(table)}").fetchone() or ()
            total = int(row[0])
            counts = {c: total - int(row[i + 1]) for i, c in enumerate(there)}
        for column in columns:
            standards_reading = tuple(sorted(readers[(table, column)]))
            if column in counts:
                found.append(ColumnNulls(table, column, total, counts[column], standards_reading))
            else:
                found.append(ColumnNulls(table, column, None, None, standards_reading))
    return tuple(found)


def _keys(data: CaseData) -> tuple[KeyCheck, ...]:
    """Duplicate primary keys and orphan references per column, as the loader found and reported them."""
    counted = _issue_counts(data.report.issues)
    found: list[KeyCheck] = []
    for name, summary in data.report.summaries.items():
        spec = TABLES[name]
        if spec.primary_key is not None:
            n, examples = counted.get((name, spec.primary_key, "duplicate_key"), (0, ()))
            found.append(KeyCheck("duplicate", name, spec.primary_key, None, True, n, summary.rows_read, examples))
        for fk in spec.foreign_keys:
            n, examples = counted.get((name, fk.column, "orphan"), (0, ()))
            checked = fk.ref_table in data.report.summaries
            refers = f"{fk.ref_table}.{fk.ref_column}"
            found.append(KeyCheck("orphan", name, fk.column, refers, checked, n, summary.rows_loaded, examples))
    return tuple(found)


def _issue_counts(issues: pa.Table) -> dict[tuple[str, str, str], tuple[int, tuple[str, ...]]]:
    con = duckdb.connect()
    try:
        con.register("issues", issues)
        rows = con.execute(
            """
            SELECT "table", "column", code, count(*), list(value ORDER BY "row")[1:3]
            FROM issues WHERE code IN ('duplicate_key', 'orphan') GROUP BY ALL
            """
        ).fetchall()
    finally:
        con.close()
    return {(str(t), str(c), str(k)): (int(n), tuple(str(v) for v in ex)) for t, c, k, n, ex in rows}


def _evaluate(data: CaseData, standards: list[Standard], as_at: date, window: HistoryWindow) -> Results:
    return evaluate(
        standards,
        data.con,
        as_at,
        allocated_roles=data.config.allocated_worker_roles,
        snapshot_tables=data.config.snapshot_tables,
        history=window,
    )


def _standards(
    con: duckdb.DuckDBPyConnection, standards: list[Standard], window: HistoryWindow, results: Results | None
) -> tuple[StandardProfile, ...]:
    """Each standard's readiness: not evaluable (what is missing), limited (each caveat), or evaluable."""
    counted = counts_by_standard(results.instances) if results is not None else {}
    found = []
    for item in readiness(standards, con):
        standard = item.standard
        since = window.for_tables(standard.requirements)
        if not item.can_evaluate:
            found.append(
                StandardProfile(standard.id, standard.title, "not evaluable", (f"missing data: {item.gap}",), since)
            )
            continue
        why = [f"no rows in {t}: nothing to judge" for t in item.empty_tables]
        instances = figure = None
        if results is not None:
            why += [c for c in (results.limited.get(standard.id), results.out_of_window.get(standard.id)) if c]
            counts = counted.get(standard.id, Counter())
            instances = sum(counts.values())
            figure = standard_compliance(results, standard.id, counts).shown()
        readiness_of: Readiness = "limited" if why else "evaluable"
        found.append(StandardProfile(standard.id, standard.title, readiness_of, tuple(why), since, instances, figure))
    return tuple(found)


def _settings(window: HistoryWindow, codes: CodeReport) -> tuple[str, ...]:
    """What to set in casewatch.yaml, in the order an analyst should do it."""
    found = []
    if window.how in ("inferred", "none"):
        found.append("Set the history window (history_from, or ssd_timeframe_years with extract_date): section 2.")
    for column in codes.columns:
        for nothing in codes.finding_nothing(column):
            if nothing.reader == ATTRIBUTION:
                values = ", ".join(value for value, _n in column.seen[:8])
                found.append(
                    f"No value of {column.name} is in allocated_worker_roles; list the roles that mean the allocated "
                    f"worker (seen: {values})."
                )
            else:
                found.append(
                    f"{column.name}: {nothing.reader} keeps only {', '.join(nothing.values)}, which no row holds; "
                    "map the council's spelling (codes: in casewatch.yaml) or check the extract: section 4."
                )
    return tuple(found)


__all__ = ["CHART_MONTHS", "build_profile"]
