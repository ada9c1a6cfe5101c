"""The rendered SQL of each standard, kept so that evaluating the same standard again skips compiling it.

Building a standard's syntax tree and rendering it costs tens of milliseconds, a fixed cost paid per standard on
every evaluation; the web app re-evaluates a whole pack after each change to the data, on the same tables and
usually the same as-at date. The SQL depends only on the standard's definition, the as-at date, the tables and
column types present, the allocated-worker roles and whether the events are snapshots, never on the rows, so a
result rendered once can be reused for as long as those stay the same.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date

from casewatch.standards.pack import Standard

#: Enough for every shipped pack at a few dozen as-at dates (a monthly trend); a rendered standard is a few
#: tens of kilobytes, so the cache stays within a few tens of megabytes.
MAX_ENTRIES = 1024


class CompiledQueries:
    """A bounded, thread-safe map from what a standard's SQL depends on to that SQL (or None: not in force)."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._max = max_entries
        self._entries: OrderedDict[Hashable, str | None] = OrderedDict()
        self._lock = threading.Lock()

    def sql(self, key: Hashable, render: Callable[[], str | None]) -> str | None:
        """The SQL stored under ``key``, rendering and storing it first when it is not there."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        text = render()
        with self._lock:
            self._entries[key] = text
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return text

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def schema_key(column_types: Mapping[str, Mapping[str, str]]) -> Hashable:
    """The tables and column types of a database, as a hashable value (they decide casts and joins)."""
    return tuple(sorted((table, tuple(sorted(columns.items()))) for table, columns in column_types.items()))


def query_key(
    standard: Standard,
    as_at: date,
    schema: Hashable,
    allocated_roles: Sequence[str],
    latest_only: bool,
    history_from: date | None = None,
) -> Hashable:
    """Everything a standard's compiled SQL depends on: its full definition (readings included) and the setting."""
    definition = (
        standard.pack,
        standard.spec.model_dump_json(),
        standard.calendar,
        str(standard.due_soon),
        tuple(sorted(standard.readings.items())),
    )
    return (definition, as_at, schema, tuple(allocated_roles), latest_only, history_from)
