"""Every output gives the same compliance figure for every standard of every shipped pack.

The terminal summary of ``casewatch evaluate``, ``casewatch.api.compliance``, the workbook's summary sheet and
the web app's standard pages are four views of one formula (``casewatch.results``). The synthetic council is
given a ``casewatch.yaml`` that makes some standards limited (visits judged on latest records only) and leaves
some instances outside a table's window, since those are where the outputs once disagreed (a limited standard
at 75.0% in the terminal showed 0.0% on the web page); and two code columns are spelt the way a council's
system might, with no ``codes:`` line, so every output must carry the caveat that the standards reading them
find less than the data holds.
"""

from __future__ import annotations

import csv
import html
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import Engine
from web_support import sign_in

from casewatch import api
from casewatch.cli import cli
from casewatch.standards.loader import available_packs
from casewatch.synth import generate_council
from casewatch.web.app import create_app
from casewatch.web.auth import create_demo_accounts
from casewatch.web.ingest import store_results
from casewatch.web.settings import AppConfig
from casewatch.web.store import open_store

AS_AT = date(2026, 10, 30)
Figures = dict[str, float | None]


@pytest.fixture(scope="module")
def shaped_council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("figures-council")
    generate_council(folder, population=1500, years=2, seed=23, as_at=AS_AT)
    window = (AS_AT - timedelta(days=300)).isoformat()
    settings = {
        "snapshot_tables": ["ssd_cla_visits", "ssd_cp_visits"],
        "windows": {"ssd_initial_cp_conference": window, "ssd_cin_assessments": window},
    }
    (folder / "casewatch.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    for table, column, ours, theirs in RESPELT:
        path = folder / f"{table}.csv"
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            names, rows = list(reader.fieldnames or []), list(reader)
        assert any(row[column] == ours for row in rows), f"{table}.{column} holds no {ours!r} to respell"
        for row in rows:
            row[column] = theirs if row[column] == ours else row[column]
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=names)
            writer.writeheader()
            writer.writerows(rows)
    return folder


#: (table, column, the contract's code, the council's own spelling of it): read by England's health assessments
#: and St Helena's first CIN meeting, which find nothing under the council's spelling.
RESPELT = (
    ("ssd_cla_health", "clah_health_check_type", "Review Health Assessment", "RHA"),
    ("ext_meetings", "meet_meeting_type", "cin_meeting", "CIN Meeting"),
)


def _terminal(pack: str, council: Path, book: Path) -> tuple[Figures, str]:
    """The figures the terminal table prints, by standard id (the Compliance column), and all it printed."""
    run = CliRunner().invoke(
        cli,
        ["evaluate", "--standards", pack, "--data", str(council), "--as-at", AS_AT.isoformat(), "--out", str(book)],
        catch_exceptions=False,
    )
    assert run.exit_code == 0, run.output
    figures: Figures = {}
    for line in run.output.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) < 9 or not re.fullmatch(r"[a-z0-9.-]+", cells[1]):
            continue
        shown = re.match(r"(\d+\.\d)%", cells[7])
        figures[cells[1]] = float(shown.group(1)) if shown else None
    return figures, run.output


def _workbook(book: Path) -> Figures:
    sheet = load_workbook(book, read_only=True)["Summary"]
    rows = sheet.iter_rows(values_only=True)
    heading = list(next(rows))
    key, value = heading.index("standard_id"), heading.index("compliance")
    return {str(row[key]): row[value] for row in rows}


def _web(engine: Engine, standard_ids: list[str]) -> tuple[Figures, dict[str, str]]:
    """The figure each standard's page shows, and the page's text."""
    passwords = {a.username: a.password for a in create_demo_accounts(engine)}
    client = sign_in(create_app(engine, AppConfig(secure_cookies=False)), "qa", passwords["qa"])
    figures: Figures = {}
    texts: dict[str, str] = {}
    for standard_id in standard_ids:
        page = client.get(f"/standard/{standard_id}")
        texts[standard_id] = " ".join(html.unescape(page.text).split())
        assert page.status_code == 200, standard_id
        found = re.search(r'data-compliance="([^"]*)"', page.text)
        assert found, f"the page of {standard_id} shows no compliance figure"
        figures[standard_id] = float(found.group(1)) if found.group(1) else None
    return figures, texts


@pytest.mark.parametrize("pack", available_packs())
def test_terminal_api_workbook_and_web_agree(pack: str, shaped_council: Path, tmp_path: Path) -> None:
    book = tmp_path / "results.xlsx"
    terminal, printed = _terminal(pack, shaped_council, book)
    standards = api.load_standards(pack)
    data = api.load_data(shaped_council, as_at=AS_AT)
    results = api.evaluate(standards, data, AS_AT)
    summary = api.compliance(results).to_pylist()
    from_api: Figures = {row["standard_id"]: row["compliance"] for row in summary}
    engine = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    store_results(engine, standards, data, results, AS_AT)
    evaluated = [row["standard_id"] for row in summary if row["basis"] is not None]
    web, pages = _web(engine, evaluated)
    page = next(iter(pages.values()))

    assert terminal == from_api
    assert _workbook(book) == from_api
    assert web == {k: from_api[k] for k in evaluated}
    # The council is shaped so that the cases that once disagreed are all here.
    assert any(row["basis"] == "not_overdue" and row["compliance"] is not None for row in summary)
    assert any(row["basis"] == "on_time" and row["compliance"] is not None for row in summary)
    assert results.out_of_window, "the window in casewatch.yaml left nothing out"
    # Every output says which history window the figures stand on, and where it came from.
    (window,) = results.data_notes()
    assert window.startswith("History window: ")
    assert window in " ".join(printed.split())
    about = load_workbook(book, read_only=True)["About"]
    assert window in [row[1] for row in about.iter_rows(values_only=True)]
    assert window in page
    for standard_id in results.out_of_window:
        assert (
            results.out_of_window[standard_id]
            in summary[[r["standard_id"] for r in summary].index(standard_id)]["note"]
        )
    # The codes the council spells its own way: the caveat is on the figure in every output.
    assert results.code_limits, "the respelt codes limited no standard"
    book_notes = _workbook_notes(book)
    for standard_id, caveat in results.code_limits.items():
        note = summary[[r["standard_id"] for r in summary].index(standard_id)]["note"]
        assert caveat in note, standard_id
        assert caveat in book_notes[standard_id], standard_id
        assert caveat in " ".join(printed.split()), standard_id
        if standard_id in pages:
            assert " ".join(caveat.split()) in pages[standard_id], standard_id
    assert any(standard_id in pages for standard_id in results.code_limits)  # a page with the caveat was read


def _workbook_notes(book: Path) -> dict[str, str]:
    sheet = load_workbook(book, read_only=True)["Summary"]
    rows = sheet.iter_rows(values_only=True)
    heading = list(next(rows))
    key, value = heading.index("standard_id"), heading.index("note")
    return {str(row[key]): str(row[value] or "") for row in rows}
