"""A table as the pages show it and the exports write it: one definition, so the download is what was on screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False
    status: bool = False  # rendered as a coloured tag
    link: str | None = None  # key of the row value holding this cell's link
    nowrap: bool = False  # dates: never broken across lines


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

    @property
    def truncated(self) -> bool:
        return self.total is not None and self.total > len(self.rows)
