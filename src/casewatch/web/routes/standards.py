"""Browsing a pack's standards, and councils' packs side by side by topic."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from casewatch.standards.compare import Cell, CellStatus, compare_packs
from casewatch.web import catalogue
from casewatch.web.auth import User
from casewatch.web.pages import SignedIn, respond
from casewatch.web.tables import Column, DataTable

router = APIRouter()
FLOOR = "england"


@router.get("/standards")
def standards(request: Request, user: SignedIn, pack: str = "england") -> Response:
    """One pack by topic, or (with ``compare`` given one or more times) several packs in columns."""
    available = catalogue.packs()
    compare = [p for p in request.query_params.getlist("compare") if p]
    if pack not in available or any(p not in available for p in compare):
        raise HTTPException(404)
    topics = catalogue.topics()
    if compare:
        return _compare(request, user, available, pack, compare)
    loaded = catalogue.pack(pack)
    grouped = catalogue.by_topic(loaded)
    rows: list[dict[str, object]] = [
        {
            "topic": topics.get(topic, "Other"),
            "id": s.id,
            "title": s.title,
            "type": s.spec.type,
            "role": s.spec.role,
            "rule": catalogue.rule_summary(s),
            "target": s.spec.target,
        }
        for topic, items in grouped.items()
        for s in items
    ]
    table = DataTable(
        "pack",
        f"{loaded.title}: {len(rows)} standards",
        [
            Column("topic", "Topic"),
            Column("title", "Standard"),
            Column("type", "Type"),
            Column("role", "Responsible"),
            Column("rule", "Rule"),
            Column("target", "Target %", numeric=True),
        ],
        rows,
    )
    return respond(
        request,
        user,
        "standards.html",
        [table],
        f"standards {pack}",
        available=available,
        pack=pack,
        compare=[],
        grouped=grouped,
        loaded=loaded,
    )


def _compare(request: Request, user: User, available: list[str], pack: str, compare: list[str]) -> Response:
    """Packs side by side by topic against England's statutory floor (`casewatch standards compare`'s matrix)."""
    councils = [name for name in compare if name != FLOOR]
    comparison = compare_packs([catalogue.pack(name) for name in councils], floor=catalogue.pack(FLOOR))
    keys = [f"pack{n}" for n in range(len(councils))]
    columns = [Column("topic", "Topic"), Column("floor", comparison.floor_title)]
    columns += [Column(key, title) for key, title in zip(keys, comparison.titles, strict=True)]
    rows = []
    for row in comparison.rows:
        cells = [row.floor, *row.cells]
        if all(cell.status in (CellStatus.NONE, CellStatus.NO_STATUTORY_TIMESCALE) for cell in cells):
            continue
        rows.append(
            {
                "topic": row.label,
                "floor": _cell_text(row.floor),
                **{key: _cell_text(cell) for key, cell in zip(keys, row.cells, strict=True)},
            }
        )
    table = DataTable("compare", "Standards by topic, against the statutory floor", columns, rows, row_header="topic")
    return respond(
        request,
        user,
        "standards.html",
        [table],
        "standards compare",
        available=available,
        pack=pack,
        compare=compare,
        grouped=None,
        untopiced=comparison.untopiced,
    )


def _cell_text(cell: Cell) -> str:
    if cell.status in (CellStatus.NONE, CellStatus.MISSING):
        return cell.status.value
    if cell.status is CellStatus.NO_STATUTORY_TIMESCALE:
        return f"no statutory timescale. {cell.note}".strip()
    label = "" if cell.status in (CellStatus.FLOOR, CellStatus.STATUTORY) else f"{cell.status.value}: "
    inherited = " (inherited)" if cell.status is CellStatus.STATUTORY else ""
    return label + "; ".join(f"{e.title}: {e.text}" for e in cell.entries) + inherited
