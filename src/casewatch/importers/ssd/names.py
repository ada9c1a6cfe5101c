"""Which table in a council's SSD schema is which contract table.

Deployed SSDs do not all spell their tables the way the specification does: SQL Server builds may use upper
case or temporary ``#ssd_`` names, some extracts drop the ``ssd_`` prefix (``cp_visits``), and D2I's own join
file writes ``ssd_cla_placements`` for ``ssd_cla_placement``. Matching is therefore case-insensitive and
tolerant of a missing or added ``ssd_`` prefix and a trailing ``s``; an exact match always wins over a variant.
"""

from __future__ import annotations

from dataclasses import dataclass

from casewatch.data.contract import TABLES


def _bare(name: str) -> str:
    """A name reduced to what identifies it: lower case, no ``#``, no ``ssd_`` prefix, no trailing ``s``."""
    key = name.strip().lstrip("#").lower()
    if key.startswith("ssd_"):
        key = key[4:]
    return key.rstrip("s")


_BY_BARE = {_bare(name): name for name in TABLES}
assert len(_BY_BARE) == len(TABLES), "two contract tables reduce to the same bare name"


@dataclass(frozen=True)
class Matched:
    """A contract table and the source table chosen for it."""

    table: str
    source_name: str


@dataclass
class Matching:
    """The outcome of matching a schema's table names to the contract."""

    matched: list[Matched]  # in contract order
    ignored: list[str]  # source tables that are not contract tables
    duplicates: dict[str, str]  # source table not read -> the contract table another source table filled


def contract_table(name: str) -> tuple[str, bool] | None:
    """The contract table ``name`` stands for and whether the match is exact, or None."""
    exact = name.strip().lower()
    if exact in TABLES:
        return exact, True
    found = _BY_BARE.get(_bare(name))
    return (found, False) if found is not None else None


def match_tables(names: list[str]) -> Matching:
    """Choose one source table per contract table: exact names first, then variants, each alphabetically."""
    candidates: dict[str, list[tuple[bool, str]]] = {}
    ignored: list[str] = []
    for name in sorted(names, key=str.lower):
        found = contract_table(name)
        if found is None:
            ignored.append(name)
            continue
        table, exact = found
        candidates.setdefault(table, []).append((not exact, name))
    matched: list[Matched] = []
    duplicates: dict[str, str] = {}
    for table in TABLES:
        options = sorted(candidates.get(table, []), key=lambda o: (o[0], o[1].lower()))
        if not options:
            continue
        matched.append(Matched(table, options[0][1]))
        for _, other in options[1:]:
            duplicates[other] = table
    return Matching(matched, ignored, duplicates)
