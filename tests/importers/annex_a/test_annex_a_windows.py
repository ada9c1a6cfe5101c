"""Lists cut at different dates: a List 4 shorter than List 3 must not make early referrals look overdue.

The example council goes out as an Annex A workbook (six months of referrals and assessments); a copy has
List 4 cut to assessments starting in the last three months. Imported, the short copy records List 4's window
in casewatch.yaml, and evaluation leaves out the referrals before it (counted, with the reason) instead of
reporting them overdue for want of an assessment the extract never held.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casewatch.api import evaluate, load_standards
from casewatch.data.config import find_config_file, read_config
from casewatch.data.history import HistoryWindow
from casewatch.data.load import load_case_data
from casewatch.engine import evaluate as evaluate_standards
from casewatch.exporters import write_annex_a
from casewatch.formats.annex_a import BY_NUMBER
from casewatch.importers.annex_a import import_annex_a
from casewatch.results import Results

EXAMPLE = Path(__file__).parents[3] / "src" / "casewatch" / "examples" / "example_council"
AS_AT = date(2026, 10, 30)
LIST_4_FROM = date(2026, 7, 31)
STANDARD = "england.assessment-timescale"


def _cut_list_4(workbook: Path, out: Path) -> Path:
    book = load_workbook(workbook)
    sheet = book["List_4"]
    headings = [c.value for c in sheet[2]]
    start = headings.index(BY_NUMBER[4].field("start").heading) + 1
    for row in range(sheet.max_row, 2, -1):
        value = sheet.cell(row=row, column=start).value
        day = value.date() if isinstance(value, datetime) else value
        if isinstance(day, date) and day < LIST_4_FROM:
            sheet.delete_rows(row)
    book.save(out)
    return out


def _evaluate(folder: Path, *, use_windows: bool) -> Results:
    data = load_case_data(folder, as_at=AS_AT)
    try:
        return evaluate_standards(
            [load_standards("england").get(STANDARD)],
            data.con,
            AS_AT,
            allocated_roles=data.config.allocated_worker_roles,
            snapshot_tables=data.config.snapshot_tables,
            history=HistoryWindow(None, "none", tables=data.config.windows) if use_windows else None,
        )
    finally:
        data.con.close()


def _by_referral(results: Results) -> dict[tuple[str, str], str]:
    rows = results.instances.select(["subject_id", "anchor_date", "status"]).to_pylist()
    return {(str(r["subject_id"]), str(r["anchor_date"])): str(r["status"]) for r in rows}


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("windows")
    full = write_annex_a(EXAMPLE, base / "annex_a.xlsx", AS_AT)
    short = _cut_list_4(full, base / "annex_a_short_list_4.xlsx")
    import_annex_a(str(full), base / "full")
    report = import_annex_a(str(short), base / "short")
    assert report.errors == 0
    return base / "full", base / "short"


def test_the_import_records_each_lists_window(folders: tuple[Path, Path]) -> None:
    full, short = folders
    config = read_config(find_config_file(short))
    assert set(config.windows) >= {"ssd_contacts", "ssd_cin_episodes", "ssd_cin_assessments"}
    assert config.windows["ssd_cin_assessments"] >= LIST_4_FROM
    assert config.windows["ssd_cin_episodes"] < LIST_4_FROM
    assert read_config(find_config_file(full)).windows["ssd_cin_assessments"] < LIST_4_FROM
    assert "List 4, earliest 'auth' date" in (short / "casewatch.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def truth() -> dict[tuple[str, str], str]:
    """The standard over the original council, which holds every assessment."""
    return _by_referral(evaluate("england", EXAMPLE, AS_AT, standards=[STANDARD]))


def test_without_windows_early_referrals_look_overdue(
    folders: tuple[Path, Path], truth: dict[tuple[str, str], str]
) -> None:
    """The bug being fixed: what evaluation said before it knew the lists' windows."""
    _, short = folders
    naive = _by_referral(_evaluate(short, use_windows=False))
    false_overdue = [k for k, status in naive.items() if status == "overdue" and truth.get(k) in ("met", "met_late")]
    assert len(false_overdue) > 5


@pytest.mark.parametrize("which", ["short", "full"])
def test_referrals_before_list_4s_window_are_left_out_and_counted(
    folders: tuple[Path, Path], truth: dict[tuple[str, str], str], which: str
) -> None:
    """Left out: referrals before the window, including List 6's older episodes of need (their assessments
    are not on List 4 either). Every referral still judged is judged exactly as over the original council."""
    folder = folders[1] if which == "short" else folders[0]
    window = read_config(find_config_file(folder)).windows["ssd_cin_assessments"]
    naive = _by_referral(_evaluate(folder, use_windows=False))
    results = _evaluate(folder, use_windows=True)
    judged = _by_referral(results)
    assert judged and all(date.fromisoformat(anchor) >= window for _, anchor in judged)
    assert {k: truth.get(k) for k in judged} == judged
    left_out = sum(1 for _, anchor in naive if date.fromisoformat(anchor) < window)
    assert left_out > 0 and len(judged) + left_out == len(naive)
    assert results.out_of_window[STANDARD] == (
        f"{left_out:,} instances anchored or due before {window.isoformat()} left out: the data's history window "
        "begins then, so whether they were met cannot be known"
    )
    assert STANDARD not in results.not_evaluated
