"""The profile as one self-contained HTML page: inline CSS and SVG, no script, no link to anything outside it.

A council's analyst opens it from a file, often on a locked-down machine with no internet, so nothing is fetched:
the styles are in the page and the chart is drawn as SVG (:mod:`.svg`). Every text that came from the data or a
file name (codes, ids, paths) is escaped, since an extract can hold anything a user ever typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from casewatch.data.code_check import ColumnCodes

from .model import Profile
from .svg import coverage_heatmap

CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;margin:24px auto;max-width:1200px;padding:0 16px;
line-height:1.4}
h1{font-size:28px;margin-bottom:4px}h2{font-size:22px;margin-top:36px;border-bottom:2px solid #b1b4b6}
h3{font-size:17px;margin-top:20px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:14px}th,td{border-bottom:1px solid #b1b4b6;
padding:4px 10px 4px 0;text-align:left;vertical-align:top}th{font-weight:bold}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.lead{font-size:18px}.muted{color:#505a5f}.bad{color:#d4351c;font-weight:bold}.ok{color:#00703c}
.warn{color:#b35c00;font-weight:bold}
pre{background:#f3f2f1;padding:12px;border-left:4px solid #1d70b8;font-size:15px}
.statement{background:#f3f2f1;padding:12px;border-left:4px solid #505a5f}
.chart{overflow-x:auto}
"""

#: The most values of one code column the page lists (most frequent first); a code column has far fewer.
SEEN_LIMIT = 200
READINESS_CLASS = {"evaluable": "ok", "limited": "warn", "not evaluable": "bad"}


def render_html(profile: Profile) -> str:
    """The whole page."""
    body = [
        f"<h1>Onboarding profile: {escape(profile.source)}</h1>",
        f'<p class="lead">As at {profile.as_at.isoformat()}'
        + (f"; standards of the pack <b>{escape(profile.pack)}</b>" if profile.pack else "; no pack given")
        + ".</p>",
        _todo(profile),
        _data(profile),
        _window(profile),
        _nulls(profile),
        _codes(profile),
        _keys(profile),
        _standards(profile),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>casewatch profile: {escape(profile.source)}</title><style>{CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def _table(headings: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """An HTML table; cells are already HTML (escaped by the caller); ``numeric`` columns align right."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    lines = [
        "<tr>"
        + "".join(f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    ]
    if not lines:
        return '<p class="muted">None.</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def _n(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _todo(profile: Profile) -> str:
    if not profile.settings:
        return "<h2>What to set</h2><p>Nothing: the window is set and every expected code is seen.</p>"
    items = "".join(f"<li>{escape(s)}</li>" for s in profile.settings)
    return f"<h2>What to set</h2><ol>{items}</ol>"


def _data(profile: Profile) -> str:
    rows = [
        (
            f"<code>{escape(t.table)}</code>",
            _n(t.rows_read),
            _n(t.rows_loaded),
            f'<span class="bad">{_n(t.rows_rejected)}</span>' if t.rows_rejected else "0",
        )
        for t in profile.tables
    ]
    ranges = [
        (
            f"<code>{escape(t.table)}</code>",
            f"<code>{escape(r.column)}</code>",
            str(r.first or ""),
            str(r.last or ""),
            _n(r.dated_rows),
        )
        for t in profile.tables
        for r in t.date_ranges
    ]
    missing = (
        f'<p class="muted">Not given: {escape(", ".join(profile.missing_tables))}.</p>'
        if profile.missing_tables
        else ""
    )
    chart = coverage_heatmap(profile.tables, profile.chart_months, profile.window.start)
    return (
        "<h2>1. The data</h2><p>Rows read, loaded and rejected per table (the same accounting as "
        "<code>casewatch data check</code>; rejected rows are listed there with their reasons).</p>"
        + _table(("table", "rows read", "loaded", "rejected"), rows, (1, 2, 3))
        + missing
        + "<h3>Records per month</h3><p>Each row is a table, each cell a month, darker for more records (relative "
        "to the table's busiest month); hover a cell for its count. The red line is the history window's start.</p>"
        + (f'<div class="chart">{chart}</div>' if chart else '<p class="muted">No dated tables.</p>')
        + "<h3>Date ranges</h3>"
        + _table(("table", "column", "first", "last", "rows with a date"), ranges, (4,))
    )


def _window(profile: Profile) -> str:
    window = profile.window
    return (
        "<h2>2. History window</h2>"
        f'<p class="statement">{escape(window.statement)}</p><p>{escape(window.advice)}</p>'
        f"<p>In <code>casewatch.yaml</code> next to the data:</p><pre>{escape(chr(10).join(window.yaml_lines))}</pre>"
    )


def _nulls(profile: Profile) -> str:
    rows = []
    for c in profile.nulls:
        share = c.share
        if c.rows is None:
            shown = '<span class="bad">not in the data</span>'
        elif share is None:
            shown = '<span class="muted">no rows</span>'
        else:
            css = "bad" if share == 1 else "warn" if share >= 0.2 else ""
            shown = f'<span class="{css}">{share:.1%}</span>'
        rows.append(
            (
                f"<code>{escape(c.table)}.{escape(c.column)}</code>",
                shown,
                _n(c.nulls),
                _n(c.rows),
                escape(", ".join(c.standards)),
            )
        )
    return (
        "<h2>3. Empty values in the columns the standards read</h2><p>A column empty in every row was usually "
        "not in the file at all; a high share means the standards reading it see little.</p>"
        + _table(("column", "empty", "empty rows", "rows", "read by"), rows, (1, 2, 3))
    )


def _codes(profile: Profile) -> str:
    parts = [
        "<h2>4. Codes the standards filter on</h2><p>Values are compared as the engine compares them: trimmed, "
        "spaces collapsed and ignoring case (a council list in casewatch.yaml, exactly). A value the standards "
        "expect but never seen means a filter that finds nothing: map the council's spelling (<code>codes:</code> "
        "in casewatch.yaml) or check the extract.</p>"
    ]
    for column in profile.codes.columns:
        parts.append(f"<h3><code>{escape(column.name)}</code></h3>")
        parts.append(f'<p class="muted">As {escape(", ".join(column.attributes))}.</p>')
        if not column.present:
            parts.append('<p class="bad">Not in the data.</p>')
            continue
        never = column.missing
        expected = [
            (
                f"<code>{escape(value)}</code>",
                '<span class="bad">never seen</span>' if value in never else '<span class="ok">seen</span>',
                escape(", ".join(column.expected_by.get(value, ()))),
            )
            for value in column.expected
        ]
        seen = [
            (f"<code>{escape(value)}</code>", _n(n), _verdict(column, value)) for value, n in column.seen[:SEEN_LIMIT]
        ]
        more = len(column.seen) - SEEN_LIMIT
        dead = "".join(
            f"<li>{escape(f.reader)} keeps only {escape(', '.join(f.values))}: no row holds any of them</li>"
            for f in profile.codes.finding_nothing(column)
        )
        parts.append(
            (f'<p class="bad">Filters that find nothing:</p><ul class="bad">{dead}</ul>' if dead else "")
            + (f"<p>{len(never)} expected value(s) never seen.</p>" if never else "")
            + _table(("expected value", "in the data", "expected by"), expected)
            + _table(("value in the data", "rows", ""), seen, (1,))
            + (f'<p class="muted">and {more:,} rarer value(s) not listed.</p>' if more > 0 else "")
        )
    if not profile.codes.columns:
        parts.append('<p class="muted">No pack given, or its standards filter on no codes.</p>')
    return "".join(parts)


def _verdict(column: ColumnCodes, value: str) -> str:
    if column.matches(value):
        return "expected"
    target = column.lookalike(value)
    like = f" (looks like <code>{escape(target)}</code>)" if target is not None else ""
    return f'<span class="warn">matches nothing expected{like}</span>'


def _keys(profile: Profile) -> str:
    rows = []
    for k in profile.keys:
        if k.kind == "duplicate":
            what = "duplicate key (later rows rejected)"
        else:
            what = f"reference to {escape(k.refers_to or '')}"
        if not k.checked:
            found = '<span class="muted">not checked: the table is not given</span>'
        elif k.count:
            found = f'<span class="bad">{k.count:,}</span>'
        else:
            found = "0"
        rows.append(
            (
                f"<code>{escape(k.table)}.{escape(k.column)}</code>",
                what,
                found,
                _n(k.rows),
                escape(", ".join(k.examples)),
            )
        )
    return (
        "<h2>5. Duplicate and orphan keys</h2><p>A duplicate primary key is rejected (the first row is kept); an "
        "orphan (a reference to a row the other table does not hold) is loaded, with a warning, and the "
        "standards cannot link it to a child or episode.</p>"
        + _table(("column", "check", "found", "of rows", "examples"), rows, (2, 3))
    )


def _standards(profile: Profile) -> str:
    if not profile.standards:
        return "<h2>6. Standards</h2><p class='muted'>No pack given: run with --standards PACK.</p>"
    rows = [
        (
            f"<code>{escape(s.id)}</code>",
            escape(s.title),
            f'<span class="{READINESS_CLASS[s.readiness]}">{escape(s.readiness)}</span>',
            "<br>".join(escape(w) for w in s.why),
            str(s.window_from or ""),
            _n(s.instances),
            escape(s.figure or ""),
        )
        for s in profile.standards
    ]
    counts = ", ".join(f"{profile.count(r)} {r}" for r in ("evaluable", "limited", "not evaluable"))
    note = (
        "The pack was evaluated: figures are those casewatch evaluate gives."
        if profile.evaluated
        else "The pack was not evaluated (--no-evaluate): caveats found only by evaluating are not shown."
    )
    return f"<h2>6. Standards</h2><p>{counts}. {escape(note)}</p>" + _table(
        ("standard", "title", "readiness", "why", "window from", "instances", "figure"), rows, (5,)
    )


__all__ = ["render_html"]
