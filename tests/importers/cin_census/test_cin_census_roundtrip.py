"""Round trips: SSD tables -> ``write_cin_census`` -> ``import_cin_census`` keep exactly what the writer documents.

The expected result is computed here straight from the SSD tables (an independent reading of the census rules:
children with an episode open in the year, records up to 31 March, later end dates blanked), then compared with
what the importer wrote, table by table, ignoring only the synthetic ids.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from cin_census_builders import rows

from casewatch.data.contract import TABLES
from casewatch.errors import CasewatchError
from casewatch.exporters import write_cin_census
from casewatch.importers.cin_census import import_cin_census
from casewatch.importers.cin_census.output import CIN_TABLES

EXAMPLE = Path(__file__).parents[3] / "src" / "casewatch" / "examples" / "example_council"
Table = list[dict[str, str]]
CATEGORY = {"Neglect": "NEG", "Physical abuse": "PHY", "Sexual abuse": "SAB", "Emotional abuse": "EMO",
            "Multiple": "MUL"}  # fmt: skip

#: Per table, the columns the round trip fills (everything else comes back empty, see the writer's docstring).
KEPT = {
    "ssd_person": {"pers_person_id", "pers_dob", "pers_expected_dob", "pers_death_date", "pers_sex", "pers_ethnicity",
                   "pers_upn", "pers_upn_unknown"},
    "ssd_disability": {"disa_table_id", "disa_person_id", "disa_disability_code"},
    "ssd_cin_episodes": {"cine_referral_id", "cine_person_id", "cine_referral_date", "cine_close_date",
                         "cine_close_reason", "cine_referral_nfa", "cine_cin_primary_need_code",
                         "cine_referral_source_code"},
    "ssd_cin_assessments": {"cina_assessment_id", "cina_person_id", "cina_referral_id", "cina_assessment_start_date",
                            "cina_assessment_auth_date"},
    "ssd_cin_plans": {"cinp_cin_plan_id", "cinp_person_id", "cinp_referral_id", "cinp_cin_plan_start_date",
                      "cinp_cin_plan_end_date"},
    "ssd_s47_enquiry": {"s47e_s47_enquiry_id", "s47e_person_id", "s47e_referral_id", "s47e_s47_start_date",
                        "s47e_cp_conference_flag"},
    "ssd_initial_cp_conference": {"icpc_icpc_id", "icpc_person_id", "icpc_s47_enquiry_id", "icpc_referral_id",
                                  "icpc_cp_plan_id", "icpc_icpc_target_date", "icpc_icpc_date",
                                  "icpc_icpc_outcome_cp_flag"},
    "ssd_cp_plans": {"cppl_cp_plan_id", "cppl_person_id", "cppl_referral_id", "cppl_icpc_id",
                     "cppl_cp_plan_start_date", "cppl_cp_plan_end_date", "cppl_cp_plan_initial_category",
                     "cppl_cp_plan_latest_category"},
    "ssd_cp_reviews": {"cppr_cp_review_id", "cppr_person_id", "cppr_cp_plan_id", "cppr_cp_review_date"},
}  # fmt: skip


def _read(folder: Path, table: str) -> Table:
    path = folder / f"{table}.csv"
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _by(table: Table, key: str) -> dict[str, dict[str, str]]:
    return {row[key]: row for row in table}


def _upto(value: str, year_end: date) -> str:
    return value if value and date.fromisoformat(value) <= year_end else ""


def _conference_flag(enquiry: dict[str, str]) -> str:
    """The SSD's conference-needed flag: the column, else CP_CONFERENCE_FLAG in the outcome JSON; "" if neither."""
    outcome = json.loads(enquiry["s47e_s47_outcome_json"] or "{}")
    return enquiry["s47e_cp_conference_flag"] or str(outcome.get("CP_CONFERENCE_FLAG", ""))


def _expected(src: Path, year_end: date) -> dict[str, Counter[tuple[str, ...]]]:
    """What the census for the year should carry, keyed by natural keys (person, referral date, own dates)."""
    start = date(year_end.year - 1, 4, 1)
    people = _by(_read(src, "ssd_person"), "pers_person_id")
    episodes = {
        e["cine_referral_id"]: e
        for e in _read(src, "ssd_cin_episodes")
        if e["cine_person_id"] in people
        and date.fromisoformat(e["cine_referral_date"]) <= year_end
        and (not e["cine_close_date"] or date.fromisoformat(e["cine_close_date"]) >= start)
    }
    children = {e["cine_person_id"] for e in episodes.values()}
    out: dict[str, Counter[tuple[str, ...]]] = {}

    def ref(row: dict[str, str], column: str) -> str:
        return episodes[row[column]]["cine_referral_date"]

    ends = {"ssd_cin_assessments": "cina_assessment_auth_date", "ssd_cin_plans": "cinp_cin_plan_end_date",
            "ssd_s47_enquiry": "s47e_s47_end_date", "ssd_initial_cp_conference": "icpc_icpc_date",
            "ssd_cp_plans": "cppl_cp_plan_end_date"}  # fmt: skip

    conference_days: dict[str, list[str]] = {}
    for c in _read(src, "ssd_initial_cp_conference"):
        conference_days.setdefault(c["icpc_s47_enquiry_id"], []).append(c["icpc_icpc_date"])

    def ended(table: str, row: dict[str, str]) -> str:
        if table == "ssd_s47_enquiry" and conference_days.get(row["s47e_s47_enquiry_id"]):
            return max(conference_days[row["s47e_s47_enquiry_id"]])  # for the census, it ends at its conference
        return row[ends[table]]

    def kept(table: str, referral: str, day: str) -> Table:
        """Records of the year's episodes that started by its end and had not ended before it began."""
        return [
            r for r in _read(src, table)
            if r[referral] in episodes and _upto(r[day], year_end)
            and (not ended(table, r) or date.fromisoformat(ended(table, r)[:10]) >= start)
        ]  # fmt: skip

    out["ssd_person"] = Counter(
        (p["pers_person_id"], p["pers_dob"], p["pers_expected_dob"], p["pers_death_date"], p["pers_sex"],
         p["pers_ethnicity"], p["pers_upn"], p["pers_upn_unknown"]) for i, p in people.items() if i in children
    )  # fmt: skip
    out["ssd_disability"] = Counter(
        (d["disa_person_id"], d["disa_disability_code"]) for d in _read(src, "ssd_disability")
        if d["disa_person_id"] in children
    )  # fmt: skip
    out["ssd_cin_episodes"] = Counter(
        (e["cine_person_id"], e["cine_referral_date"], _upto(e["cine_close_date"], year_end),
         e["cine_close_reason"] if _upto(e["cine_close_date"], year_end) else "",
         "Y" if e["cine_referral_nfa"] == "Y" else "N", e["cine_cin_primary_need_code"],
         e["cine_referral_source_code"]) for e in episodes.values()
    )  # fmt: skip
    out["ssd_cin_assessments"] = Counter(
        (a["cina_person_id"], ref(a, "cina_referral_id"), a["cina_assessment_start_date"],
         _upto(a["cina_assessment_auth_date"], year_end))
        for a in kept("ssd_cin_assessments", "cina_referral_id", "cina_assessment_start_date")
    )  # fmt: skip
    out["ssd_cin_plans"] = Counter(
        (p["cinp_person_id"], ref(p, "cinp_referral_id"), p["cinp_cin_plan_start_date"],
         _upto(p["cinp_cin_plan_end_date"], year_end))
        for p in kept("ssd_cin_plans", "cinp_referral_id", "cinp_cin_plan_start_date")
    )  # fmt: skip
    enquiries = {
        s["s47e_s47_enquiry_id"]: s for s in kept("ssd_s47_enquiry", "s47e_referral_id", "s47e_s47_start_date")
    }
    conferences = [
        c for c in kept("ssd_initial_cp_conference", "icpc_referral_id", "icpc_icpc_date")
        if c["icpc_s47_enquiry_id"] in enquiries and enquiries[c["icpc_s47_enquiry_id"]]["s47e_referral_id"]
        == c["icpc_referral_id"]
    ]  # fmt: skip
    held = {c["icpc_s47_enquiry_id"] for c in conferences}
    out["ssd_s47_enquiry"] = Counter(
        (s["s47e_person_id"], ref(s, "s47e_referral_id"), s["s47e_s47_start_date"],
         "Y" if i in held or _conference_flag(s) != "N" else "N")
        for i, s in enquiries.items()
    )  # fmt: skip
    out["ssd_initial_cp_conference"] = Counter(
        (c["icpc_person_id"], ref(c, "icpc_referral_id"), enquiries[c["icpc_s47_enquiry_id"]]["s47e_s47_start_date"],
         c["icpc_icpc_date"], c["icpc_icpc_target_date"]) for c in conferences
    )  # fmt: skip
    plans = kept("ssd_cp_plans", "cppl_referral_id", "cppl_cp_plan_start_date")
    out["ssd_cp_plans"] = Counter(
        (p["cppl_person_id"], ref(p, "cppl_referral_id"), p["cppl_cp_plan_start_date"],
         _upto(p["cppl_cp_plan_end_date"], year_end), CATEGORY[p["cppl_cp_plan_initial_category"]],
         CATEGORY[p["cppl_cp_plan_latest_category"]]) for p in plans
    )  # fmt: skip
    plan_starts = {p["cppl_cp_plan_id"]: p["cppl_cp_plan_start_date"] for p in plans}
    out["ssd_cp_reviews"] = Counter(
        (r["cppr_person_id"], plan_starts[r["cppr_cp_plan_id"]], r["cppr_cp_review_date"])
        for r in _read(src, "ssd_cp_reviews")
        if r["cppr_cp_plan_id"] in plan_starts and _upto(r["cppr_cp_review_date"], year_end)
    )  # fmt: skip
    return out


def _actual(out_dir: Path) -> dict[str, Counter[tuple[str, ...]]]:
    """The importer's tables under the same natural keys."""
    t = {name: _read(out_dir, name) for name in CIN_TABLES}
    referral = {e["cine_referral_id"]: e["cine_referral_date"] for e in t["ssd_cin_episodes"]}
    s47_start = {s["s47e_s47_enquiry_id"]: s["s47e_s47_start_date"] for s in t["ssd_s47_enquiry"]}
    plan_start = {p["cppl_cp_plan_id"]: p["cppl_cp_plan_start_date"] for p in t["ssd_cp_plans"]}

    def pick(table: str, *columns: str) -> Counter[tuple[str, ...]]:
        return Counter(tuple(row[c] for c in columns) for row in t[table])

    def linked(table: str, link: str, mapping: dict[str, str], *columns: str) -> Counter[tuple[str, ...]]:
        person = TABLES[table].prefix + "_person_id"
        return Counter((row[person], mapping[row[link]], *(row[c] for c in columns)) for row in t[table])

    return {
        "ssd_person": pick("ssd_person", "pers_person_id", "pers_dob", "pers_expected_dob", "pers_death_date",
                           "pers_sex", "pers_ethnicity", "pers_upn", "pers_upn_unknown"),
        "ssd_disability": pick("ssd_disability", "disa_person_id", "disa_disability_code"),
        "ssd_cin_episodes": pick("ssd_cin_episodes", "cine_person_id", "cine_referral_date", "cine_close_date",
                                 "cine_close_reason", "cine_referral_nfa", "cine_cin_primary_need_code",
                                 "cine_referral_source_code"),
        "ssd_cin_assessments": linked("ssd_cin_assessments", "cina_referral_id", referral,
                                      "cina_assessment_start_date", "cina_assessment_auth_date"),
        "ssd_cin_plans": linked("ssd_cin_plans", "cinp_referral_id", referral, "cinp_cin_plan_start_date",
                                "cinp_cin_plan_end_date"),
        "ssd_s47_enquiry": linked("ssd_s47_enquiry", "s47e_referral_id", referral, "s47e_s47_start_date",
                                  "s47e_cp_conference_flag"),
        "ssd_initial_cp_conference": Counter(
            (c["icpc_person_id"], referral[c["icpc_referral_id"]], s47_start[c["icpc_s47_enquiry_id"]],
             c["icpc_icpc_date"], c["icpc_icpc_target_date"]) for c in t["ssd_initial_cp_conference"]
        ),
        "ssd_cp_plans": linked("ssd_cp_plans", "cppl_referral_id", referral, "cppl_cp_plan_start_date",
                               "cppl_cp_plan_end_date", "cppl_cp_plan_initial_category",
                               "cppl_cp_plan_latest_category"),
        "ssd_cp_reviews": linked("ssd_cp_reviews", "cppr_cp_plan_id", plan_start, "cppr_cp_review_date"),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("year_end", "layout"),
    [(date(2027, 3, 31), None), (date(2026, 3, 31), None), (date(2025, 3, 31), "gender")],
)
def test_example_council_round_trip_keeps_exactly_the_documented_fields(
    tmp_path: Path, year_end: date, layout: str | None
) -> None:
    census = tmp_path / "census.xml"
    summary = write_cin_census(EXAMPLE, census, year_end, layout=layout)  # type: ignore[arg-type]
    report = import_cin_census(str(census), tmp_path / "out")
    assert report.errors == 0
    assert report.rows_written == summary.written
    expected, actual = _expected(EXAMPLE, year_end), _actual(tmp_path / "out")
    if layout == "gender":  # GenderCurrent comes back as the census code in pers_gender, and no sex
        assert {r["pers_gender"] for r in rows(tmp_path / "out", "ssd_person")} == {"1", "2"}
        expected["ssd_person"] = Counter({(*k[:4], "", *k[5:]): n for k, n in expected["ssd_person"].items()})
    for table in KEPT:
        assert actual[table] == expected[table], table
    assert summary.children == len(expected["ssd_person"]) > 100
    for table, spec in ((t, TABLES[t]) for t in KEPT):
        filled = {c for c in spec.column_names if any(r[c] for r in rows(tmp_path / "out", table))}
        assert filled <= KEPT[table] | {"pers_gender"}, table


def test_round_trip_links_conferences_to_the_plans_they_started(tmp_path: Path) -> None:
    write_cin_census(EXAMPLE, tmp_path / "census.xml", date(2027, 3, 31))
    import_cin_census(str(tmp_path / "census.xml"), tmp_path / "out")
    source_links = sum(1 for c in _read(EXAMPLE, "ssd_initial_cp_conference") if c["icpc_cp_plan_id"])
    conferences = rows(tmp_path / "out", "ssd_initial_cp_conference")
    plans = _by(rows(tmp_path / "out", "ssd_cp_plans"), "cppl_cp_plan_id")
    linked = [c for c in conferences if c["icpc_cp_plan_id"]]
    assert 0 < len(linked) <= source_links
    for conference in linked:
        plan = plans[conference["icpc_cp_plan_id"]]
        assert plan["cppl_icpc_id"] == conference["icpc_icpc_id"]
        assert plan["cppl_cp_plan_start_date"] == conference["icpc_icpc_date"]


def test_writer_places_unlinked_records_by_date_and_counts_what_it_leaves_out(tmp_path: Path) -> None:
    src = tmp_path / "ssd"
    src.mkdir()
    tables = {
        "ssd_person": [{"pers_person_id": "P1", "pers_sex": "M"}, {"pers_person_id": "P2", "pers_sex": "F"}],
        "ssd_cin_episodes": [
            {"cine_referral_id": "R1", "cine_person_id": "P1", "cine_referral_date": "2024-05-01"},
            {"cine_referral_id": "R2", "cine_person_id": "P2", "cine_referral_date": "2022-05-01",
             "cine_close_date": "2023-01-01"},
        ],
        "ssd_cin_assessments": [
            {"cina_assessment_id": "A1", "cina_person_id": "P1", "cina_assessment_start_date": "2024-05-02"},
            {"cina_assessment_id": "A2", "cina_person_id": "P1", "cina_assessment_start_date": "2024-04-01"},
            {"cina_assessment_id": "A3", "cina_person_id": "P1", "cina_referral_id": "R1",
             "cina_assessment_start_date": "2025-04-02"},
        ],
    }  # fmt: skip
    for table, table_rows in tables.items():
        with (src / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=TABLES[table].column_names, restval="")
            writer.writeheader()
            writer.writerows(table_rows)
    summary = write_cin_census(src, tmp_path / "census.xml", date(2025, 3, 31))
    assert summary.children == 1
    assert summary.written == {"ssd_person": 1, "ssd_cin_episodes": 1, "ssd_cin_assessments": 1}
    # P2's episode closed before the year; A2 predates P1's referral; A3 starts after the census date.
    assert summary.omitted == {"ssd_person": 1, "ssd_cin_episodes": 1, "ssd_cin_assessments": 2}
    import_cin_census(str(tmp_path / "census.xml"), tmp_path / "out")
    [assessment] = rows(tmp_path / "out", "ssd_cin_assessments")
    assert (assessment["cina_assessment_start_date"], assessment["cina_referral_id"]) == (
        "2024-05-02",
        "CIN-P1-2024-05-01",
    )


def test_writer_refuses_a_year_end_that_is_not_31_march(tmp_path: Path) -> None:
    with pytest.raises(CasewatchError, match="ends on 31 March"):
        write_cin_census(EXAMPLE, tmp_path / "census.xml", date(2026, 10, 30))
