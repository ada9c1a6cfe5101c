"""The cross-council comparison written out: a terminal table, Markdown, an Excel workbook or an HTML page.

Every format marks a cell's standing against statute in words as well as colour ("stricter", "missing"), so
the matrix survives printing in black and white and reads correctly to a screen reader.
"""

from __future__ import annotations

import html
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from casewatch.errors import CasewatchError
from casewatch.standards.compare import Cell, CellStatus, Comparison

FORMATS = ("terminal", "markdown", "xlsx", "html")
#: The formats that are files (the terminal table is drawn by the command line).
FILE_FORMATS = ("markdown", "xlsx", "html")

# Words shown beside a cell's timescales; statutory/same/floor cells need no mark.
_MARKS = {
    CellStatus.STRICTER: "stricter than statute",
    CellStatus.LESS_STRICT: "LESS STRICT than statute",
    CellStatus.LOCAL: "local, no statutory timescale",
    CellStatus.DIFFERENT: "measured differently from statute",
    CellStatus.STATUTORY: "statutory, inherited",
    CellStatus.SAME: "same as statute",
}
_FILLS = {
    CellStatus.STRICTER: "D4EDDA",
    CellStatus.LESS_STRICT: "F8D7DA",
    CellStatus.MISSING: "F8D7DA",
    CellStatus.LOCAL: "D1ECF1",
    CellStatus.DIFFERENT: "FFF3CD",
}


def cell_text(cell: Cell) -> str:
    """A cell as plain text: its timescales and, in words, how it stands against statute."""
    if cell.status is CellStatus.NONE:
        return ""
    if cell.status is CellStatus.MISSING:
        return "missing (statute sets a timescale)"
    if cell.status is CellStatus.NO_STATUTORY_TIMESCALE:
        return f"no statutory timescale ({cell.note})" if cell.note else "no statutory timescale"
    mark = _MARKS.get(cell.status)
    return cell.text + (f" [{mark}]" if mark else "")


def headers(comparison: Comparison) -> list[str]:
    return ["Topic", f"Statutory floor ({comparison.floor_title})", *comparison.titles]


def legend() -> str:
    return (
        "Each council's own standards on a topic, with how each compares with the statutory floor; "
        "'statutory, inherited' means the council follows statute; 'missing' means statute sets a timescale and "
        "the council's pack has no standard on the topic."
    )


def to_markdown(comparison: Comparison) -> str:
    heading = headers(comparison)
    lines = [
        "# Practice standards compared",
        "",
        legend(),
        "",
        "| " + " | ".join(heading) + " |",
        "|" + "---|" * len(heading),
    ]
    for row in comparison.rows:
        texts = [cell_text(row.floor), *(_md_cell(c) for c in row.cells)]
        lines.append("| " + " | ".join([row.label, *(t.replace("|", "\\|") for t in texts)]) + " |")
    lines += _untopiced_lines(comparison)
    return "\n".join(lines) + "\n"


def _md_cell(cell: Cell) -> str:
    text = cell_text(cell)
    if cell.status in (CellStatus.STRICTER, CellStatus.LESS_STRICT, CellStatus.MISSING):
        return f"**{text}**"
    return text


def _untopiced_lines(comparison: Comparison) -> list[str]:
    if not comparison.untopiced:
        return []
    lines = ["", "Standards with no topic (not in the matrix):"]
    for pack, ids in comparison.untopiced.items():
        lines.append(f"- {pack}: {', '.join(ids)}")
    return lines


def to_html(comparison: Comparison) -> str:
    """A standalone, accessible page: caption, header cells with scope, status in words and colour."""
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers(comparison))
    body = []
    for row in comparison.rows:
        cells = [f'<th scope="row">{html.escape(row.label)}</th>', _html_cell(row.floor)]
        cells += [_html_cell(c) for c in row.cells]
        body.append("<tr>" + "".join(cells) + "</tr>")
    untopiced = "".join(f"<li>{html.escape(line[2:])}</li>" for line in _untopiced_lines(comparison)[2:])
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Practice standards compared</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #0b0c0c; margin: 2rem; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #b1b4b6; padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }}
thead th {{ background: #f3f2f1; }}
.stricter {{ background: #d4edda; }} .less-strict, .missing {{ background: #f8d7da; }}
.local {{ background: #d1ecf1; }} .different {{ background: #fff3cd; }} .statutory {{ color: #505a5f; }}
.mark {{ font-weight: bold; display: block; }}
</style>
</head>
<body>
<main>
<h1>Practice standards compared</h1>
<p>{html.escape(legend())}</p>
<table>
<caption>Timescales by topic: the statutory floor and each council</caption>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
{f"<h2>Standards with no topic</h2><ul>{untopiced}</ul>" if untopiced else ""}
</main>
</body>
</html>
"""


def _html_cell(cell: Cell) -> str:
    css = cell.status.value.replace(" ", "-")
    if cell.status is CellStatus.NONE:
        return '<td class="none"></td>'
    if cell.status is CellStatus.MISSING:
        return f'<td class="{css}"><span class="mark">Missing</span>statute sets a timescale</td>'
    if cell.status is CellStatus.NO_STATUTORY_TIMESCALE:
        return f'<td class="{css}"><span class="mark">No statutory timescale</span>{html.escape(cell.note)}</td>'
    items = "<br>".join(html.escape(e.text) for e in cell.entries)
    mark = _MARKS.get(cell.status)
    mark_html = f'<span class="mark">{html.escape(mark.capitalize())}</span>' if mark else ""
    return f'<td class="{css}">{mark_html}{items}</td>'


def to_workbook(comparison: Comparison) -> Workbook:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Comparison"
    sheet.append(headers(comparison))
    for header in sheet[1]:
        header.font = Font(bold=True)
    for row in comparison.rows:
        sheet.append([row.label, cell_text(row.floor), *(cell_text(c) for c in row.cells)])
        for offset, council_cell in enumerate(row.cells):
            fill = _FILLS.get(council_cell.status)
            if fill:
                target = sheet.cell(row=sheet.max_row, column=3 + offset)
                target.fill = PatternFill("solid", fgColor=fill)
    for index in range(1, len(comparison.columns) + 3):
        sheet.column_dimensions[get_column_letter(index)].width = 28 if index == 1 else 45
    for line in sheet.iter_rows(min_row=2):
        for sheet_cell in line:
            sheet_cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    detail = book.create_sheet("Standards")
    detail.append(["Topic", "Pack", "Standard", "Title", "Timescale", "Target", "Against statute"])
    for row in comparison.rows:
        for pack, matrix_cell in zip(("floor", *comparison.columns), (row.floor, *row.cells), strict=True):
            for entry in matrix_cell.entries:
                detail.append(
                    [row.label, pack, entry.standard_id, entry.title, entry.timescale, entry.target, entry.relation]
                )
    legend_sheet = book.create_sheet("Legend")
    legend_sheet.append([legend()])
    return book


def write_comparison(comparison: Comparison, fmt: str, out: Path) -> None:
    """Write ``comparison`` to ``out`` as markdown, html or an xlsx workbook."""
    if fmt == "markdown":
        out.write_text(to_markdown(comparison), encoding="utf-8")
    elif fmt == "html":
        out.write_text(to_html(comparison), encoding="utf-8")
    elif fmt == "xlsx":
        to_workbook(comparison).save(out)
    else:
        raise CasewatchError(f"the {fmt} format is not a file; choose one of {', '.join(FILE_FORMATS)}")
