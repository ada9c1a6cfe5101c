"""Each standard's query as a readable SQL file citing the standard, for a council's warehouse team.

A warehouse team reviews a query before it schedules one, so each file says in its header what it encodes (the
standard, its source document and section, the quoted sentence as the pack holds it), which dialect it is
written in, the as-at date it judges instances at, and every table it reads: the council's SSD tables, and
casewatch's own working tables (the calendar's days and working days, a table of numbers), which the team
creates once from the file ``working_tables_sql`` writes beside the standards'. The case-holding allocations
every child's standard reads are written into each file itself.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlglot import exp

from casewatch import __version__
from casewatch.calendars import Calendar, get_calendar
from casewatch.data.config import DEFAULT_ALLOCATED_WORKER_ROLES
from casewatch.data.contract import TABLES, column_types
from casewatch.errors import CasewatchError
from casewatch.results.attribution import ALLOCATIONS, PROFESSIONALS, REFERRALS, ordered_allocations
from casewatch.standards.pack import Pack, Standard
from casewatch.standards.show import standard_view

from .dialects import Dialect, render
from .evaluate import calendar_sql, standard_query
from .finish import allocations_table
from .rules.count import NUMBERS_COUNT, NUMBERS_TABLE
from .sql import date_lit, ident

WIDTH = 116


@dataclass(frozen=True)
class StandardSql:
    """One standard's SQL file: its name in the folder and its text."""

    standard: Standard
    file_name: str
    text: str


@dataclass(frozen=True)
class WrittenPack:
    """What ``write_pack_sql`` wrote, and the standards it could not write (no version in force at the date)."""

    files: list[Path]
    not_in_force: list[str]
    working_tables: Path


def standard_sql(
    standard: Standard, target: Dialect, as_at: date, allocated_roles: Sequence[str] = DEFAULT_ALLOCATED_WORKER_ROLES
) -> StandardSql | None:
    """The standard's query in ``target``'s SQL with its header, or None when no version is in force at ``as_at``.

    The query is compiled against every table of the data contract, so each rule takes its fullest form; a
    standard reads only the tables its header lists.
    """
    query = standard_tree(standard, as_at, allocated_roles)
    if query is None:
        return None
    council, working = _tables_read(standard, query)
    body = render(query, target, pretty=True, copy=False)
    header = _header(standard, target, as_at, allocated_roles, council, working)
    return StandardSql(standard, f"{standard.id}.sql", header + body + ";\n")


def standard_tree(
    standard: Standard, as_at: date, allocated_roles: Sequence[str] = DEFAULT_ALLOCATED_WORKER_ROLES
) -> exp.Query | None:
    """The tree a standard's file is written from: compiled against every contract table, allocations inlined."""
    query = standard_query(standard, as_at, column_types(), allocated_roles)
    return None if query is None else _with_allocations(query, allocated_roles)


#: The file of the working tables' definitions and rows, written beside the standards' files.
WORKING_TABLES_FILE = "casewatch_working_tables.sql"
#: Rows per INSERT: SQL Server takes at most 1,000 rows in one VALUES list.
_ROWS_PER_INSERT = 1000


def working_tables_sql(calendars: Sequence[Calendar], target: Dialect) -> str:
    """The statements that create and fill casewatch's working tables in ``target``: each calendar's day table and
    working-day index, and the numbers table (the same rows ``evaluate`` registers in DuckDB)."""
    statements: list[exp.Expr] = []
    for calendar in calendars:
        names = calendar_sql(calendar)
        statements.append(
            _create(
                names.cal_table,
                {"cal_date": "DATE", "is_working_day": "BOOLEAN", "wd_ordinal": "INT"},
                "cal_date",
                target,
            )
        )
        days = calendar.to_arrow().select(["cal_date", "is_working_day", "wd_ordinal"]).to_pylist()
        rows = [
            exp.tuple_(
                date_lit(d["cal_date"]), exp.Boolean(this=d["is_working_day"]), exp.Literal.number(d["wd_ordinal"])
            )
            for d in days
        ]
        statements += _inserts(names.cal_table, ["cal_date", "is_working_day", "wd_ordinal"], rows)
        statements.append(_create(names.wd_table, {"wd_ordinal": "INT", "cal_date": "DATE"}, "wd_ordinal", target))
        statements.append(
            exp.insert(
                exp.select("wd_ordinal", "cal_date").from_(names.cal_table).where("is_working_day"),
                names.wd_table,
                columns=["wd_ordinal", "cal_date"],
            )
        )
    statements.append(_create(NUMBERS_TABLE, {"k": "INT"}, "k", target))
    numbers = [exp.tuple_(exp.Literal.number(k)) for k in range(NUMBERS_COUNT)]
    statements += _inserts(NUMBERS_TABLE, ["k"], numbers)
    header = [
        "-- casewatch's working tables, which the standards' queries in this folder read: run once, and again only",
        "-- when casewatch is upgraded (a new year of bank holidays).",
        *_comment(f"Dialect: {target.title}."),
        "",
    ]
    return "\n".join(header) + "".join(render(s, target, copy=False) + ";\n" for s in statements)


def _create(table: str, columns: dict[str, str], key: str, target: Dialect) -> exp.Expr:
    """A working table, keyed where the engine can index it: PostgreSQL looks every date up in the calendar, and
    without an index on it took four times as long over all the standards. Spark tables have no keys."""
    definitions = []
    for name, kind in columns.items():
        constraints = []
        if name == key and target.name != "spark":
            constraints.append(exp.ColumnConstraint(kind=exp.PrimaryKeyColumnConstraint()))
        definitions.append(
            exp.ColumnDef(this=exp.to_identifier(name), kind=exp.DataType.build(kind), constraints=constraints)
        )
    return exp.Create(this=exp.Schema(this=exp.to_table(table), expressions=definitions), kind="TABLE")


def _inserts(table: str, columns: list[str], rows: list[exp.Tuple]) -> list[exp.Expr]:
    return [
        exp.insert(exp.values(rows[start : start + _ROWS_PER_INSERT]), table, columns=columns, copy=False)
        for start in range(0, len(rows), _ROWS_PER_INSERT)
    ]


def write_pack_sql(
    pack: Pack, target: Dialect, out: Path, as_at: date, allocated_roles: Sequence[str] = DEFAULT_ALLOCATED_WORKER_ROLES
) -> WrittenPack:
    """Write one file per standard of ``pack`` (its inherited ones too) into the folder ``out``, and the file
    that creates the working tables they read (``WORKING_TABLES_FILE``)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CasewatchError(f"cannot write SQL files into {out}: {exc.strerror or exc}") from None
    written: list[Path] = []
    skipped: list[str] = []
    for standard in pack.standards.values():
        found = standard_sql(standard, target, as_at, allocated_roles)
        if found is None:
            skipped.append(standard.id)
            continue
        path = out / found.file_name
        try:
            path.write_text(found.text, encoding="utf-8")
        except OSError as exc:
            raise CasewatchError(f"cannot write {path}: {exc.strerror or exc}") from None
        written.append(path)
    calendars = [get_calendar(c) for c in sorted({s.calendar for s in pack.standards.values()})]
    setup = out / WORKING_TABLES_FILE
    try:
        setup.write_text(working_tables_sql(calendars, target), encoding="utf-8")
    except OSError as exc:
        raise CasewatchError(f"cannot write {setup}: {exc.strerror or exc}") from None
    return WrittenPack(written, skipped, setup)


def _with_allocations(query: exp.Query, allocated_roles: Sequence[str]) -> exp.Query:
    """The query with the ordered allocations as its first named subquery, instead of a table to create first."""
    name = allocations_table(allocated_roles)
    if not any(table.name == name for table in query.find_all(exp.Table)):
        return query
    ordered = ordered_allocations(allocated_roles, allocations=True, referrals=True)
    cte = exp.CTE(this=ordered, alias=exp.TableAlias(this=ident(name)))
    existing = query.args.get("with_")
    if existing is None:
        return query.with_(name, as_=ordered, copy=False)
    existing.set("expressions", [cte, *existing.expressions])
    return query


@dataclass(frozen=True)
class _WorkingTable:
    name: str
    columns: str


#: Why a query reads a table its rule does not: to name who was responsible, or to honour a recorded exception.
_SUPPORTING = {
    ALLOCATIONS: "who held the child (the worker and team responsible)",
    REFERRALS: "the team holding a referral (responsible when no worker is allocated)",
    PROFESSIONALS: "the workers' teams (the team responsible)",
    "ext_exceptions": "recorded exceptions to the standard",
}


def _tables_read(standard: Standard, query: exp.Query) -> tuple[list[str], list[_WorkingTable]]:
    """The council's tables the query reads, and casewatch's own, with what the team must put in those."""
    named = {cte.alias_or_name for cte in query.find_all(exp.CTE)}
    read = {table.name for table in query.find_all(exp.Table)} - named
    calendar = get_calendar(standard.calendar)
    names = calendar_sql(calendar)
    known = {
        names.cal_table: (
            f"one row per date from {calendar.first_date} to {calendar.last_date} of the {calendar.id} calendar: "
            "cal_date DATE, is_working_day (true on a working day), wd_ordinal INTEGER (working days counted "
            "up to and including the date)"
        ),
        names.wd_table: "one row per working day: wd_ordinal, cal_date (the same rows of the day table)",
        NUMBERS_TABLE: f"k INTEGER, one row for each of 0 to {NUMBERS_COUNT - 1}",
    }
    return sorted(read & set(TABLES)), [_WorkingTable(name, known[name]) for name in sorted(read & set(known))]


def _comment(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), WIDTH, initial_indent=f"-- {indent}", subsequent_indent=f"-- {indent}"
    ) or ["--"]


def _header(
    standard: Standard,
    target: Dialect,
    as_at: date,
    allocated_roles: Sequence[str],
    council: list[str],
    working: list[_WorkingTable],
) -> str:
    view = standard_view(standard)
    citation = view.citation
    source = citation.source
    document = source.title + (f", {source.edition}" if source.edition else "")
    lines = [
        f"-- {standard.id}: {standard.title}",
        "--",
        *_comment(f"Pack: {standard.pack}. {standard.spec.type.capitalize()} standard about a {standard.subject}."),
        *_comment(f"Source: {document}, {citation.section}."),
        f"-- Quote ({citation.checked}: {citation.checked_means}):",
        *_comment(f'"{citation.quote.strip()}"', "  "),
    ]
    for version in view.versions:
        until = f" to {version.effective_to}" if version.effective_to else ""
        lines += _comment(f"Version {version.version}, from {version.effective_from}{until}: {version.timescale}.")
    lines += [
        "--",
        *_comment(f"Dialect: {target.title}. Judged as at {as_at.isoformat()} (rewrite it with --as-at)."),
        *_comment(
            "Returns one row per required occurrence (instance) in casewatch's result schema, with its status; "
            f"the case-holding roles are {', '.join(allocated_roles)}."
        ),
        "-- Reads the council's tables:",
    ]
    for name in council:
        needed = standard.requirements.get(name)
        uses = ", ".join(sorted(needed)) if needed else _SUPPORTING.get(name, "")
        lines += _comment(f"{name}: {uses}", "  ")
    if working:
        lines.append(f"-- Reads casewatch's working tables, created once by {WORKING_TABLES_FILE}:")
        for table in working:
            lines += _comment(f"{table.name}: {table.columns}", "  ")
    lines += [
        "--",
        *_comment(
            f"Written by casewatch {__version__} (`casewatch standards sql`) from the pack's YAML: regenerate it "
            "rather than edit it."
        ),
        "",
        "",
    ]
    return "\n".join(lines)


__all__ = ["StandardSql", "WrittenPack", "standard_sql", "standard_tree", "write_pack_sql"]
