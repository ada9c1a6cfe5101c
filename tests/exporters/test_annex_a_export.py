"""Annex A has no official validator, so the export is checked against the list layouts and casewatch's importer.

The layout is Ofsted's 2019 template as :mod:`casewatch.formats.annex_a` records it (a title row, then every
heading of the list in template order); the importer, which is written to read councils' real workbooks, must
take the whole export back without one problem; and the one-row-per-child lists must hold exactly the children
Ofsted's scope asks for, counted here straight from the synthetic council's tables.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from export_support import AS_AT
from openpyxl import load_workbook

from casewatch.exporters import export
from casewatch.formats.annex_a import BY_NUMBER
from casewatch.importers.annex_a import import_annex_a
from casewatch.web import store
from casewatch.web.ingest import load_into_store
from casewatch.web.store import open_store

SIX_MONTHS_BEFORE = date(2026, 4, 30)  # the lists' window: events after this date, up to AS_AT


@pytest.fixture(scope="module")
def workbook(council: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("annex_a") / "annex_a.xlsx"
    export("annex-a", council, out, AS_AT)
    return out


def _sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    finally:
        book.close()


def test_every_list_has_the_template_title_row_and_all_its_headings_in_order(workbook: Path) -> None:
    sheets = _sheets(workbook)
    assert list(sheets) == [f"List_{n}" for n in range(1, 11)]  # List 11 (adopters) has no SSD source
    for number in range(1, 11):
        annex = BY_NUMBER[number]
        title, headings, *_ = sheets[f"List_{number}"]
        assert title[0] == f"List {number}: {annex.title}"
        assert list(headings) == [f.heading for f in annex.fields]


def test_the_importer_reads_the_whole_export_back_without_a_problem(workbook: Path, tmp_path: Path) -> None:
    report = import_annex_a(str(workbook), tmp_path / "back")
    assert [(p.sheet, p.column, p.reason) for p in report.problems] == []
    rows = {name: len(table) - 2 for name, table in _sheets(workbook).items()}
    assert {name: count for name, count in report.rows_read.items() if count} == {
        name.replace("_", " "): count for name, count in rows.items() if count
    }
    assert sum(report.rows_skipped.values()) == 0
    assert rows["List_6"] > 100 and rows["List_7"] > 10 and rows["List_8"] > 10  # a council's worth, not a stub


def _read(council: Path, table: str) -> list[dict[str, str]]:
    with (council / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _in_scope(start: str, end: str) -> bool:
    """Open at the extract date, or ended in the six months before it (Lists 6-8)."""
    return date.fromisoformat(start) <= AS_AT and (not end or date.fromisoformat(end[:10]) > SIX_MONTHS_BEFORE)


def test_the_one_row_per_child_lists_hold_exactly_the_children_in_ofsteds_scope(workbook: Path, council: Path) -> None:
    sheets = _sheets(workbook)
    listed = {name: sorted(str(row[0]) for row in rows[2:]) for name, rows in sheets.items()}
    cp = {
        p["cppl_person_id"]
        for p in _read(council, "ssd_cp_plans")
        if _in_scope(p["cppl_cp_plan_start_date"], p["cppl_cp_plan_end_date"])
    }
    periods: dict[str, list[dict[str, str]]] = {}
    for e in _read(council, "ssd_cla_episodes"):
        periods.setdefault(e["clae_cla_id"], []).append(e)
    cla = {
        eps[0]["clae_person_id"]
        for eps in periods.values()
        if _in_scope(min(e["clae_cla_episode_start_date"] for e in eps),
                     "" if any(not e["clae_cla_episode_ceased_date"] for e in eps)
                     else max(e["clae_cla_episode_ceased_date"] for e in eps))
    }  # fmt: skip
    cin = {
        e["cine_person_id"]
        for e in _read(council, "ssd_cin_episodes")
        if _in_scope(e["cine_referral_date"], e["cine_close_date"])
    }
    assert listed["List_7"] == sorted(cp)
    assert listed["List_8"] == sorted(cla)
    assert listed["List_6"] == sorted(cin)
    assert listed["List_9"] == sorted(c["clea_person_id"] for c in _read(council, "ssd_care_leavers"))


def test_a_child_open_today_has_the_same_worker_in_the_export_and_on_the_web_caseload(
    workbook: Path, council: Path, tmp_path: Path
) -> None:
    """The export and the web app attribute by the one rule, so they cannot disagree about who holds a child
    (before, the export took the latest involvement of any role, ignoring end dates)."""
    engine = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    load_into_store(engine, "england", council, AS_AT)
    with engine.connect() as conn:
        web = {
            row.person_id: (row.team, row.worker)
            for row in conn.execute(
                sa.select(
                    store.open_cases.c.person_id,
                    store.teams.c.name.label("team"),
                    store.workers.c.name.label("worker"),
                )
                .outerjoin(store.workers, store.workers.c.worker_id == store.open_cases.c.worker_id)
                .outerjoin(store.teams, store.teams.c.team_id == store.open_cases.c.team_id)
            )
        }
    sheets = _sheets(workbook)
    compared = 0
    for sheet, ended in (("List_6", "CIN Closure Date"), ("List_7", "Child Protection Plan End Date"),
                         ("List_8", "Date Ceased to be Looked After")):  # fmt: skip
        headings, *rows = sheets[sheet][1:]
        child, end = headings.index("Child Unique ID"), headings.index(ended)
        team, worker = headings.index("Allocated Team"), headings.index("Allocated Worker")
        current = [r for r in rows if r[end] is None]
        assert {r[child]: (r[team], r[worker]) for r in current} == {r[child]: web[str(r[child])] for r in current}
        compared += len(current)
    assert compared > 50
