"""A table as the pages show it and the exports write it: one definition, so the download is what was on screen.

A big table is shown a page at a time and may be sorted by its header links: :class:`Pager` and :class:`Sort`
carry what the URL asked for (``?page=N&sort=column&dir=asc|desc``), already checked, so a query can use them
without reading the request and a mistyped URL falls back to the first page in the usual order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False
    status: bool = False  # rendered as a coloured tag
    link: str | None = None  # key of the row value holding this cell's link
    nowrap: bool = False  # dates: never broken across lines


def page_number(raw: str | None) -> int:
    """The page a URL asked for, counted from 1; anything else (``0``, ``-3``, ``two``) is the first page."""
    try:
        number = int(raw or "1")
    except ValueError:
        return 1
    return number if number >= 1 else 1


@dataclass(frozen=True)
class Sort:
    """The column a table is sorted by, one of ``allowed`` or none (the table's usual order)."""

    key: str | None = None
    descending: bool = False

    @classmethod
    def of(cls, sort: str | None, direction: str | None, allowed: frozenset[str]) -> Sort:
        """What ``?sort=&dir=`` asked for, if the column may be sorted on; a column not offered is ignored, so
        user input never names a database column."""
        if sort not in allowed:
            return cls()
        return cls(sort, direction == "desc")


USUAL_ORDER = Sort()  # no column asked for: the table's own order


@dataclass(frozen=True)
class Pager:
    """Where the rows on screen sit among all that matched: for "showing 1–50 of 14,000" and the page links."""

    page: int
    total: int
    href: Callable[[int], str]  # the link to another page, keeping the rest of the URL
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return page_count(self.total, self.size)

    @property
    def first(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.size + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.size)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    """Pages of ``size`` rows that ``total`` rows fill; one even when there are none (it says so)."""
    return max(1, -(-total // size))


def clamp_page(page: int, total: int, size: int = PAGE_SIZE) -> int:
    """``page``, or the last page when it is past the end (a bookmark from when there were more rows)."""
    return min(page, page_count(total, size))


@dataclass
class DataTable:
    """Rows for one on-screen table; ``name`` identifies it in download links (``?download=csv&table=name``)."""

    name: str
    caption: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    row_header: str | None = None  # key of the column whose cells are row headers (<th scope="row">)
    total: int | None = None  # rows that matched, when more than shown
    empty: str = "Nothing to show."
    pager: Pager | None = None  # shown a page at a time
    sort: Sort = USUAL_ORDER
    sortable: frozenset[str] = frozenset()  # columns whose headers sort the table
    sort_href: Callable[[str, bool], str] | None = None  # the link sorting by a column, ascending or not

    @property
    def truncated(self) -> bool:
        return self.pager is None and self.total is not None and self.total > len(self.rows)

    def aria_sort(self, key: str) -> str:
        """The header's ``aria-sort``: what a screen reader announces about the order."""
        if key != self.sort.key:
            return "none"
        return "descending" if self.sort.descending else "ascending"

    def header_href(self, key: str) -> str | None:
        """The link of a sortable header: ascending first, then the other way round when already sorted by it."""
        if key not in self.sortable or self.sort_href is None:
            return None
        return self.sort_href(key, key == self.sort.key and not self.sort.descending)
