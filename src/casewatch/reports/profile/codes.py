"""Code values: what the data spells in the columns the standards filter on, against what the standards expect.

A standard that counts visits ``where seen`` or plans ``where plan_type: [pep]`` finds nothing when a council's
system spells the code its own way, and the figure then looks like missing work. This module is the one place
that compares the two, so it can later be merged with the ``codes:`` mapping of ``casewatch.yaml`` (which will
translate local spellings) and the code listing of ``casewatch data check --standards``:

- the expected values are every text value of a standard's ``where`` conditions (equal, one of, ``in``, ``not``,
  ``not_in``; the excluded values too, since a misspelt exclusion silently excludes nothing), of a series'
  phase conditions on its cohort, of a source's fixed ``filter`` (sources.yaml), and of the council's lists a
  source filters on (``config_filter``: ``allocated_worker_roles``). ``match`` joins ids, never codes, and flags
  (``seen: true``) are read by the loader's yes/no spellings, so neither is listed;
- the values seen are counted in DuckDB, one grouped query per column (Python then reads one row per distinct
  value, never per record, and lists the ``SEEN_LIMIT`` most frequent); a value matches when its folded spelling
  (:func:`casewatch.data.vocabulary.fold`, as the engine compares text) equals an expected one's, and exactly
  for a council list, which the engine compares exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb

from casewatch.data.config import DataConfig
from casewatch.data.contract import TABLES
from casewatch.data.quoting import ident
from casewatch.data.vocabulary import fold
from casewatch.standards.kinds.series import Series
from casewatch.standards.pack import Standard
from casewatch.standards.sources import Source, load_sources

#: The most distinct values of one column a profile lists (most frequent first); a code column has far fewer.
SEEN_LIMIT = 200


@dataclass(frozen=True)
class Expected:
    """A value a standard filters on, and the standards (or setting) that expect it."""

    value: str
    by: tuple[str, ...]
    seen: bool


@dataclass(frozen=True)
class Seen:
    """A value in the data, with how many rows hold it and whether any standard expects it."""

    value: str
    rows: int
    expected: bool


@dataclass(frozen=True)
class Filter:
    """One condition as written: the values it names, who wrote it, whether it keeps (True) or drops them.

    ``finds_nothing`` is the finding that matters most: a keeping filter none of whose values is in the data
    selects no rows at all, so the standard sees no visits, plans or assessments of that kind.
    """

    values: tuple[str, ...]
    by: str
    keeps: bool
    any_seen: bool

    @property
    def finds_nothing(self) -> bool:
        return self.keeps and not self.any_seen


@dataclass(frozen=True)
class CodeColumn:
    """One column the standards filter on: values expected, values seen, and where the two differ.

    ``attributes`` names the column as the standards do (``plan_document.plan_type``); ``exact`` is True for a
    council list compared exactly (``allocated_worker_roles``). ``present`` is False when the table or column is
    not in the data; ``distinct`` counts every distinct value, of which ``seen`` lists up to ``SEEN_LIMIT``.
    """

    table: str
    column: str
    attributes: tuple[str, ...]
    exact: bool
    present: bool
    expected: tuple[Expected, ...]
    seen: tuple[Seen, ...]
    distinct: int
    filters: tuple[Filter, ...] = ()

    @property
    def unmatched(self) -> tuple[Seen, ...]:
        """Values in the data that no standard expects (a local spelling, or simply a code no standard reads)."""
        return tuple(s for s in self.seen if not s.expected)

    @property
    def never_seen(self) -> tuple[Expected, ...]:
        """Values the standards name that no row holds (harmless alone when another spelling of the same
        filter is there; see ``filters``)."""
        return tuple(e for e in self.expected if not e.seen)

    @property
    def finding_nothing(self) -> tuple[Filter, ...]:
        """The keeping filters on this column that select no row at all as the data is spelt."""
        return tuple(f for f in self.filters if f.finds_nothing)


def code_columns(con: duckdb.DuckDBPyConnection, standards: Iterable[Standard], config: DataConfig) -> list[CodeColumn]:
    """Every text column ``standards`` filter on, with the values they expect against those in ``con``."""
    wanted: dict[tuple[str, str], _Wanted] = {}
    for table, column, attribute, values, by, exact, keeps in _expectations(standards, config):
        entry = wanted.setdefault((table, column), _Wanted(exact))
        entry.attributes.add(attribute)
        entry.filters.setdefault((values, by, keeps), None)
        for value in values:
            entry.values.setdefault(value, set()).add(by)
    present = _columns_in(con)
    return [
        _compare(con, table, column, entry, column in present.get(table, set()))
        for (table, column), entry in sorted(wanted.items())
    ]


@dataclass
class _Wanted:
    """What the standards ask of one column, gathered over all of them."""

    exact: bool
    attributes: set[str] = field(default_factory=set)
    values: dict[str, set[str]] = field(default_factory=dict)
    filters: dict[tuple[tuple[str, ...], str, bool], None] = field(default_factory=dict)  # ordered, no repeats


def _compare(con: duckdb.DuckDBPyConnection, table: str, column: str, wanted: _Wanted, present: bool) -> CodeColumn:
    key: Callable[[str], str] = (lambda v: v) if wanted.exact else fold
    counts = _value_counts(con, table, column) if present else []
    seen_keys = {key(v) for v, _ in counts}
    expected_keys = {key(v) for v in wanted.values}
    return CodeColumn(
        table=table,
        column=column,
        attributes=tuple(sorted(wanted.attributes)),
        exact=wanted.exact,
        present=present,
        expected=tuple(Expected(v, tuple(sorted(by)), key(v) in seen_keys) for v, by in sorted(wanted.values.items())),
        seen=tuple(Seen(v, n, key(v) in expected_keys) for v, n in counts[:SEEN_LIMIT]),
        distinct=len(counts),
        filters=tuple(
            Filter(values, by, keeps, any(key(v) in seen_keys for v in values)) for values, by, keeps in wanted.filters
        ),
    )


_Expectation = tuple[str, str, str, tuple[str, ...], str, bool, bool]


def _expectations(standards: Iterable[Standard], config: DataConfig) -> Iterator[_Expectation]:
    """(table, column, attribute, values, expected by, exact, keeps) for every condition on text values."""
    sources = load_sources()
    for standard in standards:
        for version in standard.versions:
            rule = version.rule
            refs = [(role.ref.source, role.ref.where) for role in rule.roles()]
            if isinstance(rule, Series):
                refs += [(rule.cohort.source, condition) for _, _, condition in rule.conditions()]
            for name, where in refs:
                source = sources[name]
                for by, conditions in ((standard.id, where), (f"{standard.id} (source {name})", source.filter)):
                    for attribute, test in conditions.items():
                        values, keeps = _texts(test)
                        if values:
                            yield _row(source, attribute, values, by, exact=False, keeps=keeps)
                for attribute, list_name in source.config_filter.items():
                    listed = tuple(getattr(config, list_name))
                    yield _row(source, attribute, listed, f"casewatch.yaml {list_name}", exact=True, keeps=True)


def _row(source: Source, attribute: str, values: tuple[str, ...], by: str, *, exact: bool, keeps: bool) -> _Expectation:
    return source.table, source.column(attribute), f"{source.name}.{attribute}", values, by, exact, keeps


def _texts(test: Any) -> tuple[tuple[str, ...], bool]:
    """The text values of one condition and whether it keeps them (``x``, ``[x, y]``, ``{in: [...]}``) or drops
    them (``{not: x}``, ``{not_in: [...]}``)."""
    if isinstance(test, str):
        return (test,), True
    if isinstance(test, list):
        return tuple(v for v in test if isinstance(v, str)), True
    if isinstance(test, dict) and len(test) == 1:
        ((op, value),) = test.items()
        if op in ("not", "in", "not_in"):
            values, _ = _texts(value)
            return values, op == "in"
    return (), True


def _columns_in(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """The text columns of the loaded contract tables (a flag or date column is never a code)."""
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type = 'VARCHAR'"
    ).fetchall()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        if table in TABLES:
            found.setdefault(str(table), set()).add(str(column))
    return found


def _value_counts(con: duckdb.DuckDBPyConnection, table: str, column: str) -> list[tuple[str, int]]:
    rows = con.execute(
        f"SELECT {ident(column)}, count(*) AS n FROM {ident(table)} WHERE {ident(column)} IS NOT NULL "
        f"GROUP BY ALL ORDER BY n DESC, 1"
    ).fetchall()
    return [(str(value), int(n)) for value, n in rows]


__all__ = ["SEEN_LIMIT", "CodeColumn", "Expected", "Filter", "Seen", "code_columns"]
