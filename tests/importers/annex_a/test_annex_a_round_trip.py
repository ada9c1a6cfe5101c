"""Round trip: the example council out as an Annex A workbook, back in, then evaluated.

What must survive and what is lost is stated in ``casewatch.exporters.annex_a``; these tests pin both.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casewatch.api import compliance, evaluate
from casewatch.exporters import write_annex_a
from casewatch.importers.annex_a import import_annex_a
from casewatch.importers.report import ImportReport

EXAMPLE = Path(__file__).parents[3] / "src" / "casewatch" / "examples" / "example_council"
AS_AT = date(2026, 10, 30)
WINDOW = date(2026, 4, 30)


@dataclass
class Trip:
    original: Path
    workbook: Path
    imported: Path
    report: ImportReport


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    path = folder / f"{table}.csv"
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _in_window(day: str) -> bool:
    return bool(day) and WINDOW < date.fromisoformat(day[:10]) <= AS_AT


@pytest.fixture(scope="module")
def trip(tmp_path_factory: pytest.TempPathFactory) -> Trip:
    folder = tmp_path_factory.mktemp("trip")
    workbook = write_annex_a(EXAMPLE, folder / "annex_a.xlsx", AS_AT)
    report = import_annex_a(str(workbook), folder / "imported")
    return Trip(EXAMPLE, workbook, folder / "imported", report)


def test_workbook_has_2019_template_shape(trip: Trip) -> None:
    book = load_workbook(trip.workbook, read_only=True)
    assert book.sheetnames == [f"List_{n}" for n in range(1, 11)]
    rows = list(book["List_7"].iter_rows(max_row=2, values_only=True))
    assert rows[0][0] == "List 7: Child protection"
    assert rows[1][:2] == ("Child Unique ID", "Gender") and "Date of the Last Statutory Visit" in rows[1]
    book.close()


def test_nothing_is_dropped(trip: Trip) -> None:
    assert trip.report.problems == []
    assert not trip.report.rows_skipped
    assert trip.report.rows_read["List 1"] == trip.report.rows_written["ssd_contacts"]


def test_contacts_in_window_survive(trip: Trip) -> None:
    before = sorted(
        (r["cont_person_id"], r["cont_contact_date"][:10], r["cont_contact_source_code"])
        for r in _rows(trip.original, "ssd_contacts")
        if _in_window(r["cont_contact_date"])
    )
    after = sorted(
        (r["cont_person_id"], r["cont_contact_date"], r["cont_contact_source_code"])
        for r in _rows(trip.imported, "ssd_contacts")
    )
    assert before == after and before


def test_referrals_assessments_and_s47s_survive(trip: Trip) -> None:
    def key(rows: list[dict[str, str]], *columns: str) -> list[tuple[str, ...]]:
        return sorted(tuple(r[c] for c in columns) for r in rows)

    cine = ("cine_person_id", "cine_referral_date", "cine_referral_source_code", "cine_referral_nfa")
    original = [r for r in _rows(trip.original, "ssd_cin_episodes") if _in_window(r["cine_referral_date"])]
    imported = [r for r in _rows(trip.imported, "ssd_cin_episodes") if _in_window(r["cine_referral_date"])]
    assert key(original, *cine) == key(imported, *cine)

    s47 = ("s47e_person_id", "s47e_s47_start_date")  # the flag is derived from outcome JSON on load
    original = [r for r in _rows(trip.original, "ssd_s47_enquiry") if _in_window(r["s47e_s47_start_date"])]
    assert key(original, *s47) == key(_rows(trip.imported, "ssd_s47_enquiry"), *s47)

    starts = {
        (r["cina_person_id"], r["cina_assessment_start_date"]) for r in _rows(trip.imported, "ssd_cin_assessments")
    }
    assert {
        (r["cina_person_id"], r["cina_assessment_start_date"])
        for r in _rows(trip.original, "ssd_cin_assessments")
        if _in_window(r["cina_assessment_start_date"])
    } <= starts


def test_latest_cp_plan_and_snapshots_survive_but_history_is_lost(trip: Trip) -> None:
    plans = {r["cppl_person_id"]: r for r in _rows(trip.imported, "ssd_cp_plans")}
    originals = {r["cppl_cp_plan_id"]: r for r in _rows(trip.original, "ssd_cp_plans")}
    visits: dict[str, list[str]] = defaultdict(list)
    for v in _rows(trip.original, "ssd_cp_visits"):
        if v["cppv_cp_visit_seen"] == "Y" and v["cppv_cp_visit_date"] <= AS_AT.isoformat():
            visits[v["cppv_cp_plan_id"]].append(v["cppv_cp_visit_date"])
    imported_visits = {v["cppv_person_id"]: v["cppv_cp_visit_date"] for v in _rows(trip.imported, "ssd_cp_visits")}
    checked = 0
    for plan in originals.values():
        child = plan["cppl_person_id"]
        if child not in plans or plans[child]["cppl_cp_plan_start_date"] != plan["cppl_cp_plan_start_date"]:
            continue
        got = plans[child]
        assert got["cppl_cp_plan_initial_category"] == plan["cppl_cp_plan_initial_category"]
        assert got["cppl_cp_plan_end_date"] == (
            plan["cppl_cp_plan_end_date"] if plan["cppl_cp_plan_end_date"] <= AS_AT.isoformat() else ""
        )
        assert imported_visits.get(child) == (
            max(visits[plan["cppl_cp_plan_id"]]) if visits[plan["cppl_cp_plan_id"]] else None
        )
        checked += 1
    assert checked == len(plans) > 0
    # lost: the visit history (one snapshot row per child instead of every visit)
    assert len(_rows(trip.imported, "ssd_cp_visits")) <= len(plans) < len(_rows(trip.original, "ssd_cp_visits"))


def test_care_and_care_leavers_survive(trip: Trip) -> None:
    periods = {r["clae_person_id"]: r for r in _rows(trip.imported, "ssd_cla_episodes")}
    assert periods
    original = defaultdict(list)
    for e in _rows(trip.original, "ssd_cla_episodes"):
        original[e["clae_cla_id"]].append(e)
    for episodes in original.values():
        episodes.sort(key=lambda e: e["clae_cla_episode_start_date"])
        child = episodes[0]["clae_person_id"]
        if child in periods and periods[child]["clae_entered_care_date"] == episodes[0]["clae_entered_care_date"]:
            assert periods[child]["clae_cla_primary_need_code"] == episodes[-1]["clae_cla_primary_need_code"]
    leavers_before = {r["clea_person_id"]: r for r in _rows(trip.original, "ssd_care_leavers")}
    for r in _rows(trip.imported, "ssd_care_leavers"):
        before = leavers_before[r["clea_person_id"]]
        for column in (
            "clea_care_leaver_eligibility",
            "clea_care_leaver_in_touch",
            "clea_care_leaver_latest_contact",
            "clea_pathway_plan_review_date",
        ):
            assert r[column] == before[column], column
    assert len(leavers_before) == trip.report.rows_written["ssd_care_leavers"]


def test_people_survive_and_ids_do_not(trip: Trip) -> None:
    original = {r["pers_person_id"]: r for r in _rows(trip.original, "ssd_person")}
    for person in _rows(trip.imported, "ssd_person"):
        before = original[person["pers_person_id"]]
        assert (person["pers_dob"], person["pers_ethnicity"]) == (before["pers_dob"], before["pers_ethnicity"])
        assert person["pers_sex"] == (before["pers_sex"] if before["pers_sex"] in ("M", "F") else "U")
    assert all(r["cppl_cp_plan_id"].startswith("AA-L7-") for r in _rows(trip.imported, "ssd_cp_plans"))


def test_evaluate_runs_on_the_import(trip: Trip) -> None:
    results = evaluate("england", trip.imported, AS_AT)
    summary = {row["standard_id"]: row for row in compliance(results).to_pylist()}
    assert summary["england.icpc-timescale"]["instances"] > 0
    assert summary["england.cp-review-conferences"]["instances"] > 0
