"""Which codes the standards read, and whether the data holds them as they read them.

A standard that filters on a code the council's system spells another way (``RHA`` for a review health
assessment, ``case_summary`` for ``case summary``) finds no events and reports 0% or 100% without a word. This
module derives, from the standards themselves, every text column they filter on and the values they expect
there, counts the values the data holds, and says which match nothing, which expected values never occur and
which standards are limited by that. ``casewatch data check --standards`` prints it (with the ``codes:`` lines
to paste into ``casewatch.yaml``) and the engine adds the limits to its results, so every figure carries them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import duckdb

from casewatch.data.contract import TABLES
from casewatch.data.quoting import ident
from casewatch.data.vocabulary import fold
from casewatch.standards.pack import Standard
from casewatch.standards.sources import Source, load_sources

#: The reader named for the allocated-worker roles, which decide who held every child for every child standard.
ATTRIBUTION = "who held each child (allocated_worker_roles)"
ROLE_TABLE, ROLE_COLUMN = "ssd_involvements", "invo_professional_role_id"
#: How close two spellings must be for one to be taken as a respelling of the other (``Canceled``, ``Cancelled``).
_CLOSE = 0.9


@dataclass(frozen=True)
class CodeTest:
    """One condition on a text column, as a reader (a standard, or the attribution) tests it.

    ``selects`` is True when rows holding one of ``values`` are the ones taken (``type: chronology``, ``in``, a
    phase's ``placement_type: [U1, U4]``): if none occurs, the reader silently finds nothing. A ``not`` or
    ``not_in`` condition excludes its values instead.
    """

    reader: str
    table: str
    column: str
    values: tuple[str, ...]
    selects: bool
    attribute: str = ""  # the column as the standards name it (``cla_placement.placement_type``)


def code_tests(standards: Iterable[Standard], roles: Sequence[str]) -> list[CodeTest]:
    """Every test the standards make on a text column of the contract, from their rules' sources, ``where``
    conditions and config lists, plus the allocated-worker roles when a standard is about children."""
    sources = load_sources()
    config_lists = {"allocated_worker_roles": tuple(roles)}
    found: list[CodeTest] = []
    about_children = False
    for standard in standards:
        about_children = about_children or standard.subject == "child"
        for version in standard.versions:
            rule = version.rule
            by_role = {role.name: sources[role.ref.source] for role in rule.roles()}
            for role in rule.roles():
                source = by_role[role.name]
                found += _tests(standard.id, source, source.filter)
                found += _tests(standard.id, source, role.ref.where)
                for attr, list_name in source.config_filter.items():
                    found += _tests(standard.id, source, {attr: list(config_lists.get(list_name, ()))})
            for _where, role_name, condition in rule.conditions():
                found += _tests(standard.id, by_role[role_name], condition)
    if about_children and roles:
        found.append(CodeTest(ATTRIBUTION, ROLE_TABLE, ROLE_COLUMN, tuple(roles), True, "allocated_worker_roles"))
    return list(dict.fromkeys(found))


def _tests(reader: str, source: Source, where: Mapping[str, Any]) -> Iterator[CodeTest]:
    spec = TABLES.get(source.table)
    for attr, test in where.items():
        column = source.attributes.get(attr)
        if spec is None or column is None or column not in spec.column_names or spec.column(column).type != "string":
            continue
        selects, values = _values(test)
        texts = tuple(v for v in values if isinstance(v, str))
        if texts:
            yield CodeTest(reader, source.table, column, texts, selects, f"{source.name}.{attr}")


def _values(test: Any) -> tuple[bool, list[Any]]:
    """Whether a condition selects or excludes, and the literal values it names."""
    if isinstance(test, list):
        return True, test
    if isinstance(test, dict):
        ((op, value),) = test.items()
        listed = value if isinstance(value, list) else [value]
        return (op == "in", listed) if op in ("in", "not", "not_in") else (True, [])
    return True, [test]


@dataclass(frozen=True)
class ColumnCodes:
    """One text column the standards read: the values the data holds and the values the readers expect.

    ``present`` is False when the extract lacks the table or the column (then ``rows`` is 0 and ``seen`` empty):
    the readiness check reports that as missing data, so no code finding is made about it.
    """

    table: str
    column: str
    rows: int
    seen: tuple[tuple[str, int], ...]  # each value held, with its rows, most frequent first
    expected: tuple[str, ...]  # each value the readers name, as the first of them spells it
    readers: tuple[str, ...]
    acknowledged: frozenset[str] = frozenset()  # folded values the council's codes: section names
    present: bool = True
    attributes: tuple[str, ...] = ()  # the column as the standards name it
    expected_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # expected value -> its readers

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"

    def matches(self, value: str) -> bool:
        """Whether ``value`` is one the readers expect (or one the council's ``codes:`` maps or keeps)."""
        folded = fold(value)
        return folded in self.acknowledged or any(fold(e) == folded for e in self.expected)

    @property
    def unmatched(self) -> list[tuple[str, int]]:
        """The values held that match nothing a reader tests, with their rows."""
        return [(value, n) for value, n in self.seen if not self.matches(value)]

    @property
    def missing(self) -> list[str]:
        """The expected values that never occur."""
        held = {fold(value) for value, _n in self.seen}
        return [e for e in self.expected if fold(e) not in held]

    def lookalike(self, value: str) -> str | None:
        """The expected value that ``value`` looks like a respelling of, if any (see :func:`lookalike`)."""
        return lookalike(value, self.missing) or lookalike(value, self.expected)

    def holds(self, values: Iterable[str]) -> bool:
        """Whether any of ``values`` occurs in the column, compared as the engine compares codes."""
        held = {fold(value) for value, _n in self.seen}
        return any(fold(v) in held for v in values)


def lookalike(value: str, candidates: Sequence[str]) -> str | None:
    """The candidate ``value`` is most likely a respelling of: the same words with underscores or punctuation
    (``review_health_assessment``), the initials of its words (``RHA``, or ``Personal Education Plan`` for
    ``pep``; three letters or more, as two are too ambiguous: ``CP``), or nearly the same letters (``Canceled``).
    """
    loose = _loose(value)
    if not loose:
        return None
    ranked = [c for c in candidates if _loose(c) == loose]
    ranked += [c for c in candidates if _abbreviates(loose, _loose(c)) or _abbreviates(_loose(c), loose)]
    ranked += [
        c
        for c in candidates
        if min(len(loose), len(_loose(c))) >= 6 and SequenceMatcher(None, loose, _loose(c)).ratio() >= _CLOSE
    ]
    return ranked[0] if ranked else None


def _loose(text: str) -> str:
    return " ".join(w for w in re.split(r"[\W_]+", fold(text)) if w)


def _abbreviates(short: str, long: str) -> bool:
    words = long.split()
    return " " not in short and len(short) >= 3 and len(words) >= 2 and short == "".join(w[0] for w in words)


@dataclass(frozen=True)
class CodeReport:
    """Every text column the standards read, with what the data holds there and what that does to them."""

    columns: tuple[ColumnCodes, ...]
    tests: tuple[CodeTest, ...]

    def column(self, table: str, column: str) -> ColumnCodes | None:
        return next((c for c in self.columns if (c.table, c.column) == (table, column)), None)

    def finding_nothing(self, codes: ColumnCodes) -> tuple[CodeTest, ...]:
        """The selecting tests on ``codes``'s column none of whose values any row holds: each such reader silently
        sees no visits, plans or assessments of that kind (the attribution: no child allocated to anyone).
        An empty or absent table is missing data, reported as such elsewhere, so it finds nothing here."""
        if not codes.rows:
            return ()
        return tuple(
            t
            for t in self.tests
            if (t.table, t.column) == (codes.table, codes.column) and t.selects and not codes.holds(t.values)
        )

    def limits(self) -> dict[str, str]:
        """Each standard limited by the data's codes, with why: a filter that finds none of its values among the
        table's rows, or values that match nothing but look like a respelling of one it reads."""
        reasons: dict[str, list[str]] = {}
        for test in self.tests:
            if test.reader == ATTRIBUTION:
                continue
            codes = self.column(test.table, test.column)
            if codes is None or not codes.rows:
                continue
            found = reasons.setdefault(test.reader, [])
            if test in self.finding_nothing(codes):
                found.append(
                    f"{codes.name} has no {_either(test.values)} value among {codes.rows:,} rows: map the council's "
                    "code with codes: in casewatch.yaml"
                )
            for value, n in codes.unmatched:
                target = lookalike(value, test.values)
                if target is not None:
                    found.append(
                        f"{codes.name} holds {value!r} ({_rows_text(n)}), which no standard reads but looks like "
                        f"{target!r}: map it with codes: in casewatch.yaml"
                    )
        return {reader: "; ".join(dict.fromkeys(why)) for reader, why in reasons.items() if why}

    def snippet(self) -> str:
        """The ``codes:`` section to paste into ``casewatch.yaml``: a line for each value that matches nothing,
        mapped to the value it looks like, or commented out with the values the standards read when it looks like
        none (it may be a record no standard counts, such as a dental check)."""
        lines: list[str] = []
        for table in TABLES:
            columns = [c for c in self.columns if c.table == table and c.unmatched]
            if not columns:
                continue
            lines.append(f"  {table}:")
            for codes in columns:
                lines.append(f"    {codes.column}:")
                for value, n in codes.unmatched:
                    target = codes.lookalike(value)
                    if target is not None:
                        lines.append(f"      {json.dumps(value)}: {json.dumps(target)}  # {_rows_text(n)}")
                    else:
                        lines.append(
                            f"      # {json.dumps(value)}: ...  # {_rows_text(n)}; like none the standards name"
                        )
                lines.append(f"      # the standards read: {', '.join(codes.expected)}")
        return "codes:\n" + "\n".join(lines) + "\n" if lines else ""


def check_codes(
    con: duckdb.DuckDBPyConnection,
    standards: Iterable[Standard],
    roles: Sequence[str],
    codes: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
) -> CodeReport:
    """Count the values of every text column ``standards`` read in the tables of ``con`` (one grouped pass a
    column); ``roles`` are the allocated-worker roles and ``codes`` the council's ``codes:`` section."""
    tests = tuple(code_tests(standards, roles))
    present = _columns(con)
    wanted: dict[tuple[str, str], list[CodeTest]] = {}
    for test in tests:
        wanted.setdefault((test.table, test.column), []).append(test)
    columns: list[ColumnCodes] = []
    order = {name: n for n, name in enumerate(TABLES)}
    for (table, column), readers in sorted(wanted.items(), key=lambda item: (order[item[0][0]], item[0][1])):
        held = column in present.get(table, set())
        expected: dict[str, str] = {}
        expected_by: dict[str, dict[str, None]] = {}
        for test in readers:
            for value in test.values:
                spelled = expected.setdefault(fold(value), value)
                expected_by.setdefault(spelled, {})[test.reader] = None
        mapped = (codes or {}).get(table, {}).get(column, {})
        acknowledged = frozenset(fold(v) for pair in mapped.items() for v in pair)
        columns.append(
            ColumnCodes(
                table=table,
                column=column,
                rows=_rows(con, table) if held else 0,
                seen=_seen(con, table, column) if held else (),
                expected=tuple(expected.values()),
                readers=tuple(dict.fromkeys(t.reader for t in readers)),
                acknowledged=acknowledged,
                present=held,
                attributes=tuple(dict.fromkeys(t.attribute for t in readers if t.attribute)),
                expected_by={value: tuple(by) for value, by in expected_by.items()},
            )
        )
    return CodeReport(tuple(columns), tests)


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
    ).fetchall()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(str(table), set()).add(str(column))
    return found


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {ident(table)}").fetchone()
    return int(row[0]) if row else 0


def _seen(con: duckdb.DuckDBPyConnection, table: str, column: str) -> tuple[tuple[str, int], ...]:
    name = ident(column)
    rows = con.execute(
        f"SELECT CAST({name} AS VARCHAR), count(*) FROM {ident(table)} WHERE {name} IS NOT NULL "
        "GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    return tuple((str(value), int(n)) for value, n in rows)


def _rows_text(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def _either(values: Sequence[str]) -> str:
    quoted = [repr(v) for v in dict.fromkeys(values)]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


__all__ = ["ATTRIBUTION", "CodeReport", "CodeTest", "ColumnCodes", "check_codes", "code_tests", "lookalike"]
