"""The coverage chart as inline SVG: rows per month per table, so a cut, a gap or a late start shows at a glance.

The page must open from a file with no server and no network, so the chart is drawn here as SVG elements (no
script, no library): one row of cells per table, one cell per month, darker for more records relative to the
table's own busiest month, and each cell's exact count in its tooltip (an SVG ``<title>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from .model import TableProfile

CELL_W = 9
CELL_H = 14
LABEL_W = 230
TOP = 28
RIGHT = 150
#: Lightest to darkest; a month with no records is drawn in the first, pale grey.
SHADES = ("#f3f2f1", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
WINDOW_COLOUR = "#d4351c"


def coverage_heatmap(tables: Sequence[TableProfile], months: Sequence[date], window: date | None) -> str:
    """The chart for the tables that have a records date; empty text when there is nothing to draw."""
    drawn = [t for t in tables if t.month_column is not None]
    if not drawn or not months:
        return ""
    width = LABEL_W + CELL_W * len(months) + RIGHT
    height = TOP + CELL_H * len(drawn) + 8
    parts = [
        f'<svg width="{width}" height="{height}" role="img" '
        f'aria-label="Records per month per table" font-family="sans-serif" font-size="11">'
    ]
    for i, month in enumerate(months):
        if month.month == 1 or (i == 0 and month.month <= 6):  # a year label needs half a year of room
            x = LABEL_W + CELL_W * i
            parts.append(f'<text x="{x}" y="{TOP - 14}">{month.year}</text>')
            parts.append(f'<line x1="{x}" y1="{TOP - 10}" x2="{x}" y2="{TOP - 2}" stroke="#505a5f"/>')
    for row, table in enumerate(drawn):
        y = TOP + CELL_H * row
        label = escape(f"{table.table}.{table.month_column}")
        parts.append(f'<text x="0" y="{y + CELL_H - 3}"><title>{label}</title>{escape(table.table)}</text>')
        busiest = max(table.months.values(), default=0)
        for i, month in enumerate(months):
            count = table.months.get(month, 0)
            shade = SHADES[0] if count == 0 else SHADES[1 + min(4, (count * 5 - 1) // max(busiest, 1))]
            tip = escape(f"{table.table}, {month:%B %Y}: {count:,} record{'s' if count != 1 else ''}")
            parts.append(
                f'<rect x="{LABEL_W + CELL_W * i}" y="{y}" width="{CELL_W - 1}" height="{CELL_H - 1}" '
                f'fill="{shade}"><title>{tip}</title></rect>'
            )
        outside = [f"{table.earlier:,} earlier"] if table.earlier else []
        outside += [f"{table.later:,} later"] if table.later else []
        if outside:
            x = LABEL_W + CELL_W * len(months) + 6
            parts.append(f'<text x="{x}" y="{y + CELL_H - 3}" fill="#505a5f">{escape(", ".join(outside))}</text>')
    if window is not None and months[0] <= window.replace(day=1) <= months[-1]:
        index = months.index(window.replace(day=1))
        at = LABEL_W + CELL_W * index + CELL_W * (window.day - 1) / 31
        parts.append(
            f'<line x1="{at:.1f}" y1="{TOP - 4}" x2="{at:.1f}" y2="{height - 4}" stroke="{WINDOW_COLOUR}" '
            f'stroke-width="2"><title>{escape(f"History window from {window.isoformat()}")}</title></line>'
        )
    parts.append("</svg>")
    return "".join(parts)


__all__ = ["coverage_heatmap"]
