"""evaluate(standards, database, as_at): every standard over every subject at once, inside the database.

Each standard compiles to one query (a union over its versions, each restricted to the instances whose anchor
falls in its effective dates), which the database runs set-based; Python never loops over children here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, timedelta
from functools import partial
from typing import Protocol

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from dateutil.relativedelta import relativedelta
from sqlglot import exp

from casewatch.calendars import Calendar, get_calendar
from casewatch.data.code_check import check_codes
from casewatch.data.history import HistoryWindow
from casewatch.errors import CalendarRangeError
from casewatch.results import RESULT_SCHEMA, Results, Status
from casewatch.standards.durations import Duration, Unit
from casewatch.standards.kinds import Series
from casewatch.standards.model import Version
from casewatch.standards.pack import Standard
from casewatch.standards.sources import load_sources

from .compiled import CompiledQueries, query_key, schema_key
from .dialects import DIALECTS, Dialect, render
from .finish import READS_FROM, finish, register_allocations
from .relations import RelationCompiler
from .rules import Context, compile_rule
from .rules.count import NUMBERS_COUNT, NUMBERS_TABLE
from .sql import CalendarSql, date_lit, frag, query, sub

DIALECT = "duckdb"
#: Each standard's rendered SQL, reused when the same standard is evaluated again on tables of the same shape.
COMPILED = CompiledQueries()


class Runner(Protocol):
    """Where the standards' queries run: the one thing ``evaluate`` leaves to an engine.

    Everything else (what each standard needs, compiling, the history window, the calendar range, code limits,
    not-evaluated for missing data) is ``evaluate``'s own, so every engine's results pass through the same lines.
    The data itself is always loaded into DuckDB first, with its quality checks; an engine elsewhere holds a copy.
    """

    #: The SQL dialect the queries are rendered in for this engine.
    dialect: Dialect
    #: Where the queries run, in words, for the output (e.g. the scratch schema of a PostgreSQL server).
    where: str

    def prepare(self, calendars: Sequence[Calendar], allocated_roles: Sequence[str], tables: frozenset[str]) -> None:
        """Create the working tables the queries read: the calendars, the numbers and the ordered allocations."""
        ...

    def run(self, sql: str) -> pa.Table:
        """One standard's query, its rows as Arrow in the result schema with ``READS_FROM``."""
        ...

    def close(self) -> None:
        """Drop whatever the runner made outside casewatch's own process."""
        ...


class DuckDBRunner:
    """The default engine: the queries run in the DuckDB connection the data was loaded into."""

    dialect = DIALECTS[DIALECT]
    where = "DuckDB (embedded)"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def prepare(self, calendars: Sequence[Calendar], allocated_roles: Sequence[str], tables: frozenset[str]) -> None:
        _ensure_numbers(self._con)
        for calendar in calendars:
            register_calendar(self._con, calendar)
        register_allocations(self._con, allocated_roles, tables)

    def run(self, sql: str) -> pa.Table:
        return self._con.sql(sql).to_arrow_table()

    def close(self) -> None:
        """Nothing to drop: the working tables live as long as the caller's connection."""


def evaluate(
    standards: Iterable[Standard],
    con: duckdb.DuckDBPyConnection,
    as_at: date,
    *,
    allocated_roles: Sequence[str] = ("SW",),
    snapshot_tables: Sequence[str] = (),
    history: HistoryWindow | None = None,
    codes: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
    progress: Callable[[Standard], None] | None = None,
    runner: Runner | None = None,
) -> Results:
    """Evaluate ``standards`` over the SSD-shaped tables in ``con`` as at the end of ``as_at``.

    ``runner`` is the engine the queries run on (``DuckDBRunner(con)`` by default); its tables must be copies of
    ``con``'s, which still answers what the data holds (its tables, columns and codes). The caller closes it.

    ``history`` is the data's history window (``data.history``): an instance anchored or due before the window
    of the tables its standard reads cannot be judged, since its records may have been cut, so it is left out
    and counted in ``Results.out_of_window`` rather than reported overdue; a series measures an episode open at
    the window's start from it (``Series.history_baseline``). ``codes`` is the data
    config's ``codes:`` section, whose values count as known codes when ``Results.code_limits`` is made: which
    standards filter on codes the data does not hold as they read them (``data.code_check``).
    """
    chosen = list(standards)
    column_types = data_column_types(con)
    tables = frozenset(column_types)
    schema = schema_key(column_types)
    engine = runner if runner is not None else DuckDBRunner(con)
    relations = _relations(column_types, as_at, allocated_roles)
    batches: list[pa.Table] = []
    not_evaluated: dict[str, str] = {}
    limited: dict[str, str] = {}
    out_of_window: dict[str, str] = {}
    gaps = {standard.id: missing_data(standard, column_types) for standard in chosen}
    runnable = [standard for standard in chosen if not gaps[standard.id]]
    snapshots = {standard.id: _snapshot_events(standard, snapshot_tables) for standard in runnable}
    windows = {standard.id: _window(standard, history) for standard in runnable}
    calendars = [get_calendar(calendar_id) for calendar_id in sorted({standard.calendar for standard in runnable})]
    children = any(standard.subject == "child" for standard in runnable)
    engine.prepare(calendars, allocated_roles, tables if children else frozenset())
    # Compiling is Python (it holds the interpreter) and running is DuckDB (it lets go of it), so one worker
    # compiles the next standards while the database runs this one: a first evaluation costs about the longer
    # of the two, not their sum. The worker never touches the connection.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="casewatch-compile") as compiler:
        rendered: dict[str, Future[str | None]] = {
            standard.id: compiler.submit(
                COMPILED.sql,
                (
                    engine.dialect.name,
                    query_key(
                        standard, as_at, schema, allocated_roles, bool(snapshots[standard.id]), windows[standard.id]
                    ),
                ),
                partial(
                    _render,
                    engine.dialect,
                    standard,
                    as_at,
                    tables,
                    relations,
                    allocated_roles,
                    bool(snapshots[standard.id]),
                    windows[standard.id],
                ),
            )
            for standard in runnable
        }
        try:
            for standard in chosen:
                gap = gaps[standard.id]
                if gap:
                    not_evaluated[standard.id] = f"not evaluated: missing data ({gap})"
                else:
                    if snapshots[standard.id]:
                        limited[standard.id] = (
                            f"judged as at {as_at} only: {', '.join(snapshots[standard.id])} holds only each "
                            "child's latest record"
                        )
                    sql = rendered[standard.id].result()
                    if sql is not None:
                        table = engine.run(sql)
                        table, left_out = _within_window(table, windows[standard.id])
                        if left_out:
                            out_of_window[standard.id] = left_out
                        batches.append(table.cast(RESULT_SCHEMA))
                        _check_calendar_range(standard, table)
                if progress is not None:
                    progress(standard)
        finally:
            for pending in rendered.values():
                pending.cancel()  # after an error, compile nothing more (a no-op for those already done)
    instances = pa.concat_tables(batches) if batches else RESULT_SCHEMA.empty_table()
    code_limits = check_codes(con, runnable, allocated_roles, codes).limits() if runnable else {}
    return Results(
        instances=instances,
        not_evaluated=not_evaluated,
        limited=limited,
        out_of_window=out_of_window,
        code_limits=code_limits,
        as_at=as_at,
        standards=chosen,
        history=history,
    )


def _relations(
    column_types: Mapping[str, Mapping[str, str]], as_at: date, allocated_roles: Sequence[str]
) -> RelationCompiler:
    """The sources as relations over tables of these columns; each standard's own calendar is set per standard
    (``RelationCompiler.for_calendar``), England's until then."""
    return RelationCompiler(
        load_sources(),
        column_types,
        as_at,
        {"allocated_worker_roles": list(allocated_roles)},
        working_day=get_calendar("england").is_working_day,
    )


def _render(
    dialect: Dialect,
    standard: Standard,
    as_at: date,
    tables: frozenset[str],
    relations: RelationCompiler,
    allocated_roles: Sequence[str],
    latest_only: bool,
    history_from: date | None = None,
) -> str | None:
    """The standard's query as the engine's SQL, or None when no version of it was in force.

    Runs on the compiling thread, so it never touches the connection: the calendars are registered beforehand.
    """
    query = _compile(
        standard,
        as_at,
        tables,
        relations,
        calendar_sql(get_calendar(standard.calendar)),
        allocated_roles,
        latest_only,
        history_from,
    )
    # The tree is built for this rendering alone, so the generator need not copy it first (a third of the time).
    return None if query is None else render(query, dialect, copy=False)


def _window(standard: Standard, history: HistoryWindow | None) -> date | None:
    """The first day from which every table ``standard`` reads is whole, if its rule can read a cut record."""
    sources = load_sources()
    if history is None or not any(v.rule.reads_cut_history(sources) for v in standard.versions):
        return None
    return history.for_tables(standard.requirements)


def _within_window(table: pa.Table, start: date | None) -> tuple[pa.Table, str | None]:
    """Leave out the instances judged on a record that may lie before the history window: it may have been cut.

    Within the window the data is whole, so an instance anchored in it finds whatever completed it; one anchored
    before it may have been completed by a record the extract no longer holds, and one due before it would be
    judged on a cut record. So would one whose rule accepts a record dated before its anchor from before the
    window (``READS_FROM``: an age deadline counts an assessment from the start of the care episode). Met ones
    are left out too, or the figure would count the successes the data kept and none of the failures. The
    returned table has the result columns only.
    """
    results = table.drop_columns([READS_FROM])
    if start is None or table.num_rows == 0:
        return results, None
    day = pa.scalar(start, pa.date32())
    anchored_or_due = pc.or_(
        pc.fill_null(pc.less(table.column("anchor_date"), day), False),
        pc.fill_null(pc.less(table.column("due_date"), day), False),
    )
    # A data issue is reported whatever its look-back: it says the record cannot be timed, not how it was met.
    judged = pc.not_equal(table.column("status"), pa.scalar(Status.DATA_ISSUE.value))
    looks_back = pc.and_(
        pc.and_(pc.fill_null(pc.less(table.column(READS_FROM), day), False), pc.fill_null(judged, True)),
        pc.invert(anchored_or_due),
    )
    before = pc.or_(anchored_or_due, looks_back)
    count = pc.sum(before).as_py() or 0
    if not count:
        return results, None
    looked_back = pc.sum(looks_back).as_py() or 0
    why = "the data's history window begins then, so whether they were met cannot be known"
    plural = "s" if count != 1 else ""
    anchored = count - looked_back
    if not looked_back:
        reason = f"{count:,} instance{plural} anchored or due before {start.isoformat()} left out: {why}"
    else:
        parts = [f"{anchored:,} anchored or due before {start.isoformat()}"] if anchored else []
        parts.append(f"{looked_back:,} that a record dated before {start.isoformat()} could have met")
        reason = f"{count:,} instance{plural} left out ({'; '.join(parts)}): {why}"
    return results.filter(pc.invert(before)), reason


def _snapshot_events(standard: Standard, snapshot_tables: Sequence[str]) -> list[str]:
    """The snapshot tables a series standard draws its qualifying events from (only series measure intervals)."""
    sources = load_sources()
    found = {
        sources[version.rule.event.source].table
        for version in standard.versions
        if isinstance(version.rule, Series) and sources[version.rule.event.source].table in snapshot_tables
    }
    return sorted(found)


def missing_data(standard: Standard, column_types: dict[str, dict[str, str]]) -> str | None:
    """What the data lacks for this standard: whole tables first, then columns, or None."""
    tables = sorted(t for t in standard.requirements if t not in column_types)
    if tables:
        return f"no {', '.join(tables)} table"
    columns = sorted(
        f"{table}.{column}"
        for table, needed in standard.requirements.items()
        for column in needed
        if column not in column_types[table]
    )
    if columns:
        return f"no column {', '.join(columns)}"
    return None


def compile_standard(
    standard: Standard,
    as_at: date,
    tables: frozenset[str],
    relations: RelationCompiler,
    con: duckdb.DuckDBPyConnection,
    allocated_roles: Sequence[str],
    latest_only: bool = False,
    history_from: date | None = None,
) -> exp.Query | None:
    """The query for one standard as at a date, or None if no version of it was in force.

    ``latest_only`` keeps each episode's last instance: with snapshot data (only the latest visit is known)
    the earlier intervals cannot be judged, but whether the next one is overdue as at the date can. The
    standard's calendar is registered in ``con`` first, since the query reads it. A child standard's query also
    reads the ordered allocations, which ``register_allocations`` makes from the data (``evaluate`` does both).
    """
    cal_sql = register_calendar(con, get_calendar(standard.calendar))
    return _compile(standard, as_at, tables, relations, cal_sql, allocated_roles, latest_only, history_from)


def standard_query(
    standard: Standard,
    as_at: date,
    column_types: Mapping[str, Mapping[str, str]],
    allocated_roles: Sequence[str] = ("SW",),
) -> exp.Query | None:
    """The query of one standard over tables of these columns, with no database to hand (None: not in force).

    For writing a standard's SQL out: the query reads casewatch's working tables under the names the evaluation
    gives them (``calendar_sql``, ``NUMBERS_TABLE``, ``allocations_table``), which the reader must provide.
    """
    relations = _relations(column_types, as_at, allocated_roles)
    cal_sql = calendar_sql(get_calendar(standard.calendar))
    return _compile(standard, as_at, frozenset(column_types), relations, cal_sql, allocated_roles, latest_only=False)


def _compile(
    standard: Standard,
    as_at: date,
    tables: frozenset[str],
    relations: RelationCompiler,
    cal_sql: CalendarSql,
    allocated_roles: Sequence[str],
    latest_only: bool,
    history_from: date | None = None,
) -> exp.Query | None:
    calendar = get_calendar(standard.calendar)
    ctx = Context(
        relations=relations.for_calendar(calendar.is_working_day),
        calendar=cal_sql,
        as_at=as_at,
        subject_type=standard.subject,
        tables=tables,
        history_from=history_from,
    )
    undated_version = _version_for_undated(standard.versions, as_at)
    parts: list[exp.Query] = []
    for version in standard.versions:
        if version.effective_from > as_at:
            continue
        rule_query = compile_rule(version.rule, ctx)
        if latest_only:
            rule_query = query(
                "SELECT l.* FROM :q AS l WHERE l.sequence = (SELECT MAX(m.sequence) FROM :again AS m "
                "WHERE m.episode_id = l.episode_id AND m.subject_id = l.subject_id)",
                q=exp.Subquery(this=rule_query),
                again=exp.Subquery(this=rule_query.copy()),
            )
        takes_undated = undated_version is not None and version.version == undated_version.version
        in_force = _in_force(version, as_at, takes_undated, standard.versions, version.rule.kind)
        parts.append(
            exp.select("*", exp.alias_(exp.Literal.number(version.version), "version", quoted=True))
            .from_(sub(rule_query, "v"), copy=False)
            .where(in_force, copy=False)
        )
    if not parts:
        return None
    union: exp.Query = parts[0]
    for part in parts[1:]:
        union = exp.union(union, part, distinct=False, copy=False)
    return finish(
        union,
        standard_id=standard.id,
        bare_id=standard.spec.id,
        subject_type=standard.subject,
        rule_kind=standard.versions[-1].rule.kind,
        calendar=cal_sql,
        as_at=as_at,
        due_soon_limit=add_duration_to_date(as_at, standard.due_soon, calendar),
        tables=tables,
        allocated_roles=allocated_roles,
    )


def _in_force(version: Version, as_at: date, takes_undated: bool, versions: list[Version], kind: str) -> exp.Expr:
    """Which instances this version times: those anchored in its effective dates (state: as at the date)."""
    if kind == "state":
        current = next(
            (v for v in versions if v.effective_from <= as_at and (v.effective_to is None or as_at <= v.effective_to)),
            None,
        )
        return exp.true() if current is not None and current.version == version.version else exp.false()
    cond = frag("v.anchor_date >= :f", f=date_lit(version.effective_from))
    if version.effective_to is not None:
        cond = exp.and_(cond, frag("v.anchor_date <= :t", t=date_lit(version.effective_to)))
    if takes_undated:
        cond = exp.or_(cond, frag("v.anchor_date IS NULL"))
    return cond


def _version_for_undated(versions: list[Version], as_at: date) -> Version | None:
    started = [v for v in versions if v.effective_from <= as_at]
    for v in started:
        if v.effective_to is None or as_at <= v.effective_to:
            return v
    return started[-1] if started else None


def add_duration_to_date(day: date, duration: Duration, calendar: Calendar) -> date:
    """Python twin of the SQL date arithmetic, for constants such as the due-soon horizon."""
    match duration.unit:
        case Unit.WORKING_DAYS:
            return calendar.add_working_days(day, duration.amount)
        case Unit.CALENDAR_DAYS | Unit.WEEKS:
            return day + timedelta(days=duration.calendar_days)
        case Unit.MONTHS | Unit.YEARS:
            result: date = day + relativedelta(months=duration.months)
            return result
        case Unit.HOURS:
            return day + timedelta(days=duration.date_precision_days)


def calendar_sql(calendar: Calendar) -> CalendarSql:
    """The names of the calendar's day table and working-day index, as registered by ``register_calendar``."""
    safe = "".join(ch if ch.isalnum() else "_" for ch in calendar.id)
    return CalendarSql(calendar.id, f"cw_cal_{safe}", f"cw_wd_{safe}")


def register_calendar(con: duckdb.DuckDBPyConnection, calendar: Calendar) -> CalendarSql:
    """Make the calendar's day table and working-day index available to queries (once per connection)."""
    names = calendar_sql(calendar)
    cal_table, wd_table = names.cal_table, names.wd_table
    existing = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if cal_table not in existing:
        days = calendar.to_arrow().select(["cal_date", "is_working_day", "wd_ordinal"])
        con.register("cw_calendar_upload", days)
        con.execute(f'CREATE TABLE "{cal_table}" AS SELECT * FROM cw_calendar_upload ORDER BY cal_date')
        con.execute(
            f'CREATE TABLE "{wd_table}" AS SELECT wd_ordinal, cal_date FROM "{cal_table}" WHERE is_working_day '
            "ORDER BY wd_ordinal"
        )
        con.unregister("cw_calendar_upload")
    return names


def _ensure_numbers(con: duckdb.DuckDBPyConnection) -> None:
    existing = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if NUMBERS_TABLE not in existing:
        con.execute(f"CREATE TABLE {NUMBERS_TABLE} AS SELECT range AS k FROM range(0, {NUMBERS_COUNT})")


def data_column_types(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Every table of the data and its columns with their types: what the standards can be evaluated on."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name NOT LIKE 'cw\\_%' ESCAPE '\\'"
    ).fetchall()
    types: dict[str, dict[str, str]] = {}
    for table, column, kind in rows:
        types.setdefault(str(table), {})[str(column)] = str(kind)
    return types


def _check_calendar_range(standard: Standard, table: pa.Table) -> None:
    """A due date the calendar could not produce means a date outside its range: an error, never a guess."""
    untimed = pc.and_(
        pc.and_(pc.not_equal(table.column("status"), "data_issue"), pc.is_null(table.column("due_date"))),
        pc.is_valid(table.column("anchor_date")),
    )
    if pc.any(untimed).as_py():
        anchor = pc.filter(table.column("anchor_date"), untimed)[0].as_py()
        calendar = get_calendar(standard.calendar)
        raise CalendarRangeError(
            f"{standard.id}: the {calendar.id} calendar covers {calendar.first_date} to {calendar.last_date}; "
            f"a date counted from {anchor} falls outside it."
        )


__all__ = ["DuckDBRunner", "Runner", "compile_standard", "evaluate", "standard_query"]
