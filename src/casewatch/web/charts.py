"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, and a data table beside each one.

Each chart has a title and a description for screen readers, and never relies on colour alone: statuses also
differ by marker shape, and the page always shows the same figures as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup, escape

# GOV.UK palette colours, each at least 3:1 against white (WCAG 1.4.11 non-text contrast).
STATUS_COLOURS = {
    "met": "#00703c",
    "met_late": "#4c2c92",
    "overdue": "#d4351c",
    "due_soon": "#1d70b8",
    "not_due": "#505a5f",
    "cancelled": "#505a5f",
    "exception": "#6f777b",
    "data_issue": "#942514",
}
STATUS_SHAPES = {"met": "circle", "met_late": "diamond", "overdue": "cross", "due_soon": "triangle"}
LANES = ("CIN", "CP", "Care", "Placement")
LANE_COLOURS = {"CIN": "#1d70b8", "CP": "#d4351c", "Care": "#00703c", "Placement": "#85994b"}


def compliance_chart(months: Sequence[dict[str, Any]], target: float | None, title: str) -> Markup:
    """Bars of on-time compliance per month (0-100%), with the target as a dashed line."""
    width, height, left, bottom, top = 720, 260, 48, 40, 16
    plot_h = height - bottom - top
    step = (width - left - 10) / max(len(months), 1)
    parts = [
        f'<svg class="cw-chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title chart-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        '<desc id="chart-desc">Bar chart of the percentage of instances met on time, by the month they fell due. '
        "The same figures are in the table below.</desc>",
    ]
    for pct in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - pct / 100)
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6" />')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="cw-axis">{pct}%</text>')
    for n, month in enumerate(months):
        x = left + n * step
        value = month["compliance"]
        label = date.fromisoformat(month["month"] + "-01").strftime("%b %y")
        if value is not None:
            bar_h = plot_h * value / 100
            parts.append(
                f'<rect x="{x + step * 0.15:.1f}" y="{top + plot_h - bar_h:.1f}" width="{step * 0.7:.1f}" '
                f'height="{bar_h:.1f}" fill="#1d70b8"><title>{escape(label)}: {value}%</title></rect>'
            )
        else:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{top + plot_h - 4}" text-anchor="middle" class="cw-axis">none</text>'
            )
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle" class="cw-axis">'
            f"{escape(label)}</text>"
        )
    if target is not None:
        y = top + plot_h * (1 - target / 100)
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#0b0c0c" stroke-width="2" '
            'stroke-dasharray="6 4" />'
        )
        parts.append(
            f'<text x="{width - 12}" y="{y - 5:.1f}" text-anchor="end" class="cw-axis">target {target}%</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def timeline_chart(episodes: Sequence[Any], items: Sequence[Any], as_at: date) -> Markup:
    """The child's episodes as bars in lanes (CIN, CP, care, placements) and each required occurrence below them."""
    starts = [e.start_date for e in episodes if e.start_date] + [r.due_date for r in items if r.due_date]
    begin = min(starts, default=as_at - timedelta(days=365))
    # Far-future due dates (an age deadline years away) would squash the history: the chart stops a year ahead.
    finish = min(max([as_at, *(r.due_date for r in items if r.due_date)]), as_at + timedelta(days=365))
    begin = begin.replace(day=1)
    span = max((finish - begin).days, 1)
    width, left, lane_h = 760, 90, 30
    lanes = [*LANES, "Due items"]
    height = 30 + lane_h * len(lanes) + 24

    def x_of(day: date) -> float:
        return float(left + (width - left - 10) * (day - begin).days / span)

    parts = [
        f'<svg class="cw-chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="tl-title tl-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        '<title id="tl-title">Timeline of episodes and required occurrences</title>',
        '<desc id="tl-desc">Episodes of children in need, child protection, care and placements as bars, and each '
        "required occurrence as a marker at its due date, shaped by status. The same events are listed in the tables "
        "below (occurrences due more than a year ahead only there).</desc>",
    ]
    for n, lane in enumerate(lanes):
        y = 20 + n * lane_h
        parts.append(f'<text x="4" y="{y + 19}" class="cw-axis">{escape(lane)}</text>')
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y + lane_h}" y2="{y + lane_h}" stroke="#f3f2f1" />')
    year = begin.year
    while date(year, 1, 1) <= finish:
        tick = date(year, 1, 1)
        if tick >= begin:
            x = x_of(tick)
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="16" y2="{height - 20}" stroke="#b1b4b6" />')
            parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" class="cw-axis">{year}</text>')
        year += 1
    x_now = x_of(as_at)
    parts.append(
        f'<line x1="{x_now:.1f}" x2="{x_now:.1f}" y1="16" y2="{height - 20}" stroke="#0b0c0c" stroke-dasharray="4 3" />'
        f'<text x="{x_now - 4:.1f}" y="12" text-anchor="end" class="cw-axis">as at {as_at.isoformat()}</text>'
    )
    for episode in episodes:
        if episode.kind not in LANES or episode.start_date is None:
            continue
        y = 20 + LANES.index(episode.kind) * lane_h + 6
        end = min(episode.end_date or as_at, as_at)
        x0, x1 = x_of(episode.start_date), max(x_of(end), x_of(episode.start_date) + 2)
        ends = episode.end_date.isoformat() if episode.end_date else "open"
        parts.append(
            f'<rect x="{x0:.1f}" y="{y}" width="{x1 - x0:.1f}" height="18" fill="{LANE_COLOURS[episode.kind]}">'
            f"<title>{escape(episode.kind)} {episode.start_date.isoformat()} to {ends}</title></rect>"
        )
    y_items = 20 + len(LANES) * lane_h + 15
    for row in items:
        if row.due_date is None or row.due_date > finish:
            continue
        parts.append(_marker(x_of(row.due_date), y_items, row.status, f"{row.standard_id} due {row.due_date}"))
    parts.append("</svg>")
    return Markup("".join(parts))


def _marker(x: float, y: float, status: str, label: str) -> str:
    colour = STATUS_COLOURS.get(status, "#505a5f")
    shape = STATUS_SHAPES.get(status, "square")
    tip = f"<title>{escape(label)}: {escape(status.replace('_', ' '))}</title>"
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y}" r="5" fill="{colour}">{tip}</circle>'
    if shape == "diamond":
        return f'<path d="M{x:.1f} {y - 6} l6 6 l-6 6 l-6 -6 z" fill="{colour}">{tip}</path>'
    if shape == "triangle":
        return f'<path d="M{x:.1f} {y - 6} l6 11 h-12 z" fill="{colour}">{tip}</path>'
    if shape == "cross":
        return (
            f'<path d="M{x - 5:.1f} {y - 5} l10 10 m0 -10 l-10 10" stroke="{colour}" stroke-width="3" fill="none">'
            f"{tip}</path>"
        )
    return f'<rect x="{x - 4:.1f}" y="{y - 4}" width="8" height="8" fill="{colour}">{tip}</rect>'
