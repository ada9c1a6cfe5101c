"""Recognising which Annex A list a sheet holds, where its header row is, and which column is which field.

A sheet is recognised by its name ("List 1", "List_1", "L1", "Contacts", "List 1 - Contacts") or, failing
that, by its headings; the header row is the row among the first few that matches most of the list's headings,
which steps over the template's "List 1: Contacts" title row and any rows councils add above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from casewatch.formats.annex_a import BY_NUMBER, LISTS, TEMPLATE_SHEETS, AnnexList, Field

from .source import RowCells
from .text import heading_key, sheet_key

HEADER_SEARCH_ROWS = 15
_LIST_NAME = re.compile(r"^(?:list|l)\s*(\d{1,2})(?:\s|$)")


@dataclass(frozen=True)
class Header:
    """A located header: its Excel row, the field each column holds, and the columns nobody claimed."""

    row: int
    columns: dict[int, Field]  # 0-based column index -> field
    unknown: dict[int, str]  # 0-based column index -> heading text
    duplicates: dict[int, str]


def list_from_name(name: str) -> AnnexList | None:
    """The list a sheet or file name means, or None (template sheets and unknown names)."""
    key = sheet_key(name)
    if match := _LIST_NAME.match(key):
        return BY_NUMBER.get(int(match.group(1)))
    padded = f" {key} "
    best: tuple[int, AnnexList] | None = None
    for lst in LISTS:
        for alias in lst.names:
            if f" {alias} " in padded and (best is None or len(alias) > best[0]):
                best = (len(alias), lst)
    return best[1] if best else None


def is_template_sheet(name: str) -> bool:
    return sheet_key(name) in TEMPLATE_SHEETS


def _heading_index(lst: AnnexList) -> dict[str, Field]:
    return {heading_key(h): f for f in lst.fields for h in f.headings}


def find_header(lst: AnnexList, rows: list[tuple[int, RowCells]]) -> Header | None:
    """The best header row for ``lst`` among ``rows``: it must name the id field and one other field."""
    index = _heading_index(lst)
    best: Header | None = None
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        columns: dict[int, Field] = {}
        unknown: dict[int, str] = {}
        duplicates: dict[int, str] = {}
        for i, cell in enumerate(cells):
            if cell is None or not str(cell).strip():
                continue
            found = index.get(heading_key(str(cell)))
            if found is None:
                unknown[i] = str(cell)
            elif found in columns.values():
                duplicates[i] = str(cell)
            else:
                columns[i] = found
        has_id = any(f.kind == "id" for f in columns.values())
        if has_id and len(columns) >= 2 and (best is None or len(columns) > len(best.columns)):
            best = Header(number, columns, unknown, duplicates)
    return best


def guess_list(rows: list[tuple[int, RowCells]]) -> tuple[AnnexList, Header] | None:
    """For a sheet whose name says nothing: the list whose distinctive headings its header row matches best."""
    best: tuple[int, AnnexList, Header] | None = None
    for lst in LISTS:
        header = find_header(lst, rows)
        if header is None:
            continue
        distinctive = sum(1 for f in header.columns.values() if f.key not in _COMMON)
        if distinctive and (best is None or distinctive > best[0]):
            best = (distinctive, lst, header)
    return (best[1], best[2]) if best else None


_COMMON = frozenset({"child_id", "gender", "ethnicity", "dob", "age", "disability", "team", "worker", "family_id"})


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index."""
    return get_column_letter(index + 1)
