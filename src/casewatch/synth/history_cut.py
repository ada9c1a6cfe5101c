"""Cutting a simulated council's rows to the history an SSD extract keeps (``ssd_timeframe_years``).

A real SSD extract keeps a row when any of its dates falls in the last ``ssd_timeframe_years`` before the
extract date, or when it is an episode still open; so open cases come whole, and everything else from before
the window is gone. To test casewatch on a council shaped that way *and* on the same council's full history,
the generator simulates the longer history and this module drops, from each batch's rows, exactly the rows
such an extract would not hold. The rows kept are untouched, so the cut council is the same children and the
same events (the same ids) as the full one.

Which table is cut how is read from the data contract and the sources vocabulary, never from a list here:

- A **history table** is one that an event or episode source reads (and no entity source: a worker's profile
  is a thing, not a happening). Its own dates are the timing columns of those sources (an event's date, an
  episode's start and end): the dates the row happened on, which an SSD's filters test. A row is kept when
  any of them is on or after the window start, or when an episode end of it is empty (still open). The
  table's other dates (a due date, a recording date, a period's latest IRO contact repeated on each of its
  episodes) would keep rows from long before the window, so they place a row only when none of its own
  dates is recorded (a review that was cancelled, never held: kept when it was due in the window).
- The **children's table** (``ssd_person``, the table the sources' child subjects refer to) keeps the children
  in scope, as an SSD does: those named by a kept row of a history table. A child the service last knew
  before the window is not in the extract.
- A table with no dates of its own that refers to a history table or to the children (a child's
  disability, an involvement's allocation flag) follows what it refers to: kept when every such row it
  refers to is kept, so the cut never writes a detail of a row it dropped.
- Everything else (teams, professionals, worker profiles) is kept whole.

The cut works on one batch of children at a time, in memory, and keeps rows in their order: every row a
batch writes names only that batch's children, so the cut is the same whatever the chunk size, and memory
stays bounded by the chunk as it is without a cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce

import pyarrow as pa
import pyarrow.compute as pc
from dateutil.relativedelta import relativedelta

from casewatch.data.contract import TABLES as CONTRACT
from casewatch.data.contract import ForeignKey
from casewatch.standards.sources import Source, load_sources

Rows = list[tuple[str, pa.Table]]
"""One batch's rows: (table name, rows) pairs in the order they are written; a table may appear more than once."""


def window_start(as_at: date, years: int) -> date:
    """The first day an extract of ``years`` years on ``as_at`` keeps: the same date ``years`` calendar years
    earlier (29 February falls back to the 28th)."""
    return as_at - relativedelta(years=years)


@dataclass(frozen=True)
class TableCut:
    """How one table is cut: by its own dates, by following the rows it refers to, or not at all."""

    name: str
    dates: tuple[str, ...] = ()
    other_dates: tuple[str, ...] = ()
    episode_ends: tuple[str, ...] = ()
    follows: tuple[ForeignKey, ...] = ()
    is_children: bool = False

    @property
    def is_history(self) -> bool:
        return bool(self.dates)


def _children_table(sources: Iterable[Source]) -> str:
    """The table the vocabulary's child subjects refer to (through the contract's foreign keys)."""
    refs = {
        fk.ref_table
        for s in sources
        if "child" in s.subjects
        for fk in CONTRACT[s.table].foreign_keys
        if fk.column == s.subjects["child"]
    }
    if len(refs) != 1:
        raise RuntimeError(f"the sources' child subjects refer to {sorted(refs)}, not to one children's table")
    return refs.pop()


def table_cuts(tables: Sequence[str]) -> dict[str, TableCut]:
    """How each of ``tables`` is cut, from the contract's column types and keys and the sources vocabulary."""
    sources = list(load_sources().values())
    children = _children_table(sources)
    kinds: dict[str, set[str]] = {}
    timing: dict[str, set[str]] = {}
    ends: dict[str, set[str]] = {}
    for s in sources:
        kinds.setdefault(s.table, set()).add(s.kind)
        timing.setdefault(s.table, set()).update(c for c in (s.date, s.start, s.end) if c)
        if s.kind == "episode" and s.end:
            ends.setdefault(s.table, set()).add(s.end)
    history = {t for t in tables if kinds.get(t, set()) & {"event", "episode"} and "entity" not in kinds[t]}
    cuts: dict[str, TableCut] = {}
    for name in tables:
        spec = CONTRACT[name]
        if name in history:
            dated = [c.name for c in spec.columns if c.type in ("date", "datetime") and not c.may_predate_1950]
            cuts[name] = TableCut(
                name,
                dates=tuple(c for c in dated if c in timing[name]),
                other_dates=tuple(c for c in dated if c not in timing[name]),
                episode_ends=tuple(c for c in dated if c in ends.get(name, set())),
            )
        elif name == children:
            cuts[name] = TableCut(name, is_children=True)
        else:
            follows = tuple(fk for fk in spec.foreign_keys if fk.ref_table in history or fk.ref_table == children)
            cuts[name] = TableCut(name, follows=follows)
    return cuts


class HistoryCut:
    """Drops from each batch's rows what an extract of the last ``years`` years before ``as_at`` would not hold."""

    def __init__(self, tables: Sequence[str], as_at: date, years: int) -> None:
        self.start = window_start(as_at, years)
        self.cuts = table_cuts(tables)
        children = [name for name, cut in self.cuts.items() if cut.is_children]
        self._children: tuple[str, str] | None = None
        if children:
            key = CONTRACT[children[0]].primary_key
            assert key is not None
            self._children = (children[0], key)
        # Per history table, which of its columns give values that a later table of the batch looks up:
        # (column, (table, column) looked up) - the children it names, the keys its followers refer to.
        self._collect: dict[str, list[tuple[str, tuple[str, str]]]] = {}
        looked_up = {(fk.ref_table, fk.ref_column) for cut in self.cuts.values() for fk in cut.follows}
        for name, cut in self.cuts.items():
            if not cut.is_history:
                continue
            pairs = [(col, (t, col)) for t, col in sorted(looked_up) if t == name]
            if self._children is not None:
                pairs += [
                    (fk.column, self._children)
                    for fk in CONTRACT[name].foreign_keys
                    if (fk.ref_table, fk.ref_column) == self._children
                ]
            self._collect[name] = pairs

    def _in_window(self, column: pa.ChunkedArray) -> pa.ChunkedArray:
        start: date | datetime = self.start
        if pa.types.is_timestamp(column.type):
            start = datetime.combine(self.start, datetime.min.time())
        return pc.fill_null(pc.greater_equal(column, pa.scalar(start, type=column.type)), False)

    def _history_mask(self, cut: TableCut, table: pa.Table) -> pa.ChunkedArray:
        parts = [self._in_window(table[c]) for c in cut.dates]
        parts += [pc.is_null(table[c]) for c in cut.episode_ends]
        if cut.other_dates:
            undated = reduce(pc.and_, [pc.is_null(table[c]) for c in cut.dates])
            placed = reduce(pc.or_, [self._in_window(table[c]) for c in cut.other_dates])
            parts.append(pc.and_(undated, placed))
        return reduce(pc.or_, parts)

    def apply(self, batch: Rows) -> Rows:
        """The batch with the rows outside the extract removed, in the same order.

        History tables are cut first, wherever they sit in the batch, because the children's table and the
        followers are decided by what the history tables kept."""
        kept: dict[tuple[str, str], list[pa.Array]] = {}
        cut_rows: dict[int, pa.Table] = {}
        for i, (name, table) in enumerate(batch):
            cut = self.cuts[name]
            if cut.is_history:
                cut_rows[i] = table = table.filter(self._history_mask(cut, table))
                for column, key in self._collect[name]:
                    kept.setdefault(key, []).append(pc.drop_null(table[column]).combine_chunks())
        result: Rows = []
        for i, (name, table) in enumerate(batch):
            cut = self.cuts[name]
            if i in cut_rows:
                table = cut_rows[i]
            elif cut.is_children and self._children is not None:
                ids = table[self._children[1]]
                table = table.filter(pc.is_in(ids, value_set=_values(kept, self._children, ids.type)))
            else:
                for fk in cut.follows:
                    refs = table[fk.column]
                    known = pc.is_in(refs, value_set=_values(kept, (fk.ref_table, fk.ref_column), refs.type))
                    table = table.filter(pc.or_kleene(pc.is_null(refs), known))
            result.append((name, table))
        return result


def _values(kept: dict[tuple[str, str], list[pa.Array]], key: tuple[str, str], kind: pa.DataType) -> pa.Array:
    """Every value the batch's kept rows hold for ``key`` (none: an empty array of the looked-up type)."""
    parts = kept.get(key, [])
    return pa.concat_arrays(parts) if parts else pa.array([], type=kind)
