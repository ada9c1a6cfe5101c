"""The history window: the date from which an extract holds every record, set or inferred, and said.

An SSD extract keeps ``ssd_timeframe_years`` of history: an open case comes whole, but the visits, reviews and
assessments before the window are gone. Judged over such data, every occurrence that fell due before the window
looks overdue, because its record was cut, not because the work was not done. So the window is found once,
here, and every evaluation leaves out what falls before it, counting what it left out.

Where the window comes from, in order: ``history_from`` in ``casewatch.yaml``; ``ssd_timeframe_years`` counted
back from ``extract_date`` (or the as-at date); otherwise it is inferred from the data, since an extract cut that
way shows it: the event tables all begin within days of one date while open episodes are older. Tables may also
have windows of their own (``windows``, as the Annex A import writes): a table is complete from the later of the
two. Whatever the source, :meth:`HistoryWindow.statement` is the sentence every output prints beside the
figures, with how to set it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal, NamedTuple

import duckdb
from dateutil.relativedelta import relativedelta

from casewatch.data.config import DataConfig
from casewatch.data.quoting import ident
from casewatch.standards.sources import load_sources

#: An event table needs this many dated rows before its first date says anything about a cut.
MIN_ROWS = 30
#: The share of a table's earliest dates ignored as strays (rows kept for another date in the window).
STRAY_SHARE = 0.002
#: Event tables whose first dates lie within this many days of each other begin on "one date".
CLUSTER_DAYS = 45
#: How many event tables, at the least, must begin on one date for a window to be inferred.
MIN_TABLES = 3

How = Literal["history_from", "ssd_timeframe_years", "inferred", "none"]


@dataclass(frozen=True)
class HistoryWindow:
    """From when the data holds every record: one date for all tables, and any table's own later one.

    ``tables`` are the windows set in casewatch.yaml (``windows``); ``begins`` are an inferred window's event
    tables that begin after its start, each whole only from its own first date (a conference table, with a few
    rows a week, shows its first row days after the visits do, though both were cut on one day).
    """

    start: date | None
    how: How
    evidence: str = ""
    tables: Mapping[str, date] = field(default_factory=dict)
    begins: Mapping[str, date] = field(default_factory=dict)

    def for_table(self, table: str) -> date | None:
        """The date from which ``table`` holds every record (None: all its history)."""
        found = [d for d in (self.start, self.tables.get(table), self.begins.get(table)) if d is not None]
        return max(found) if found else None

    def for_tables(self, tables: Iterable[str]) -> date | None:
        """The latest window of ``tables``: the first day on which every one of them is complete."""
        found = [d for d in (self.for_table(t) for t in tables) if d is not None]
        return max(found) if found else None

    def statement(self) -> str:
        """One sentence for every output: the window, where it came from, and how to set it."""
        own = (
            "; tables with their own window (windows): "
            + ", ".join(f"{t} from {d.isoformat()}" for t, d in sorted(self.tables.items()))
            if self.tables
            else ""
        )
        if self.how == "none":
            return (
                "History window: none found, so every record is taken to be there (no event tables begin on a "
                "common date); if the extract keeps only some years, set ssd_timeframe_years or history_from in "
                f"casewatch.yaml{own}."
            )
        assert self.start is not None
        where = {
            "history_from": "history_from in casewatch.yaml",
            "ssd_timeframe_years": f"ssd_timeframe_years in casewatch.yaml: {self.evidence}",
            "inferred": (
                f"inferred from the data ({self.evidence}); set history_from or ssd_timeframe_years in "
                "casewatch.yaml to confirm it"
            ),
        }[self.how]
        later = (
            f"; {len(self.begins)} event table{'s' if len(self.begins) != 1 else ''} that begin later are each "
            f"judged from their own first date, up to {max(self.begins.values()).isoformat()}"
            if self.begins
            else ""
        )
        return (
            f"History window: records from {self.start.isoformat()} ({where}); occurrences anchored or due "
            f"before it are left out and counted, not judged{later}{own}."
        )


def history_window(con: duckdb.DuckDBPyConnection, config: DataConfig, as_at: date) -> HistoryWindow:
    """The window of the data in ``con``: set in ``config`` or inferred from the tables loaded."""
    tables = dict(config.windows)
    if config.history_from is not None:
        return HistoryWindow(config.history_from, "history_from", tables=tables)
    if config.ssd_timeframe_years is not None:
        extract = config.extract_date or as_at
        start = extract - relativedelta(years=config.ssd_timeframe_years)
        evidence = f"{config.ssd_timeframe_years} years before the extract date {extract.isoformat()}"
        return HistoryWindow(start, "ssd_timeframe_years", evidence, tables)
    found = infer_window(con)
    if found.start is None:
        return HistoryWindow(None, "none", tables=tables)
    return HistoryWindow(found.start, "inferred", found.evidence, tables, found.begins)


class Inferred(NamedTuple):
    """An inferred window: its start, what shows it, and the tables of the group that begin after the start."""

    start: date | None
    evidence: str = ""
    begins: Mapping[str, date] = {}


def infer_window(con: duckdb.DuckDBPyConnection) -> Inferred:
    """The date the event tables begin on together, with what shows it, or no start when they do not.

    Each event table's first date is taken after a small share of strays; the largest group of tables whose
    first dates lie within ``CLUSTER_DAYS`` of each other shows the cut. The window starts at the earliest of
    them, since no table cut then holds a record before it, and each table of the group that begins later is
    whole from its own first date: a sparse table's first row may come weeks after the cut, and the visits
    should not wait for it. Open episodes older than the start are the sign of an extract's cut.
    """
    present = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    firsts = _first_dates(con, present)
    if len(firsts) < MIN_TABLES:
        return Inferred(None)
    ordered = sorted(firsts.items(), key=lambda item: item[1])
    best: list[tuple[str, date]] = []
    for i, (_, first) in enumerate(ordered):
        group = [item for item in ordered[i:] if item[1] - first <= timedelta(days=CLUSTER_DAYS)]
        if len(group) > len(best):
            best = group
    if len(best) < MIN_TABLES or len(best) * 5 < len(ordered) * 2:  # a group of at least two fifths of them
        return Inferred(None)
    start, last = best[0][1], best[-1][1]
    begins: dict[str, date] = {}
    for key, first in best:
        table = key.split(".")[0]  # a table with two event dates is whole from the later of its first dates
        if first > start and first > begins.get(table, start):
            begins[table] = first
    older = _open_episodes_before(con, present, start)
    evidence = (
        f"{len(best)} of {len(ordered)} event tables begin between {start.isoformat()} and "
        f"{last.isoformat()}, and {older:,} open episode{'s' if older != 1 else ''} started earlier"
    )
    return Inferred(start, evidence, begins)


def _first_dates(con: duckdb.DuckDBPyConnection, present: set[str]) -> dict[str, date]:
    columns = sorted(
        {(s.table, s.date) for s in load_sources().values() if s.kind == "event" and s.date and s.table in present}
    )
    firsts: dict[str, date] = {}
    for table, column in columns:
        rows, first = con.execute(
            f"SELECT count(*), quantile_disc(CAST({ident(column)} AS DATE), {STRAY_SHARE}) "
            f"FROM {ident(table)} WHERE {ident(column)} IS NOT NULL"
        ).fetchone() or (0, None)
        if rows >= MIN_ROWS and first is not None:
            key = table if table not in firsts else f"{table}.{column}"
            firsts[key] = first
    return firsts


def _open_episodes_before(con: duckdb.DuckDBPyConnection, present: set[str], start: date) -> int:
    columns = sorted(
        {
            (s.table, s.start, s.end)
            for s in load_sources().values()
            if s.kind == "episode" and s.start and s.end and s.table in present
        }
    )
    total = 0
    for table, begin, end in columns:
        (count,) = con.execute(
            f"SELECT count(*) FROM {ident(table)} WHERE {ident(end)} IS NULL AND CAST({ident(begin)} AS DATE) < ?",
            [start],
        ).fetchone() or (0,)
        total += int(count)
    return total


__all__ = ["HistoryWindow", "history_window", "infer_window"]
