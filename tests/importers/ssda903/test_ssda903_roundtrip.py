"""SSD → 903 → SSD on the synthetic example council: exactly what a 903 return preserves and what it loses.

The expectations are computed here from the example council's own tables, independently of the writer, for the
collection year 1 April 2025 - 31 March 2026.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from ssda903_helpers import read_table

from casewatch.api import compliance, evaluate
from casewatch.exporters import write_ssda903
from casewatch.importers.ssda903 import import_ssda903

EXAMPLE = Path(__file__).resolve().parents[3] / "src" / "casewatch" / "examples" / "example_council"
YEAR_START, YEAR_END = date(2025, 4, 1), date(2026, 3, 31)


def _ssd(table: str) -> list[dict[str, str]]:
    with (EXAMPLE / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _day(text: str) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _in_year(start: str, end: str) -> bool:
    began, ended = _day(start), _day(end)
    return began is not None and began <= YEAR_END and (ended is None or ended >= YEAR_START)


def _upto_year_end(text: str) -> str:
    day = _day(text)
    return text if day is not None and day <= YEAR_END else ""


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("roundtrip")
    write_ssda903(EXAMPLE, base / "903", YEAR_END)
    report = import_ssda903(str(base / "903"), base / "ssd")
    assert report.errors == 0
    assert sum(report.rows_skipped.values()) == 0
    # the only warnings: periods of care that began before the year cannot show when care began
    assert {p.reason.split(" (")[0] for p in report.problems} == {
        "the child's first episode in these files does not start a period of care"
    }
    return base / "ssd"


def test_903_files_are_the_dfe_set(round_trip: Path) -> None:
    files = sorted(p.name for p in (round_trip.parent / "903").iterdir())
    assert files == ["episodes.csv", "header.csv", "missing.csv", "oc3.csv", "reviews.csv"]
    first = (round_trip.parent / "903" / "episodes.csv").read_text(encoding="utf-8").splitlines()[1]
    assert first.split(",")[1].count("/") == 2  # dd/mm/yyyy


def test_episodes_and_periods_of_care_are_preserved(round_trip: Path) -> None:
    expected = {
        (e["clae_person_id"], e["clae_cla_episode_start_date"]): e
        for e in _ssd("ssd_cla_episodes")
        if _in_year(e["clae_cla_episode_start_date"], e["clae_cla_episode_ceased_date"])
    }
    got = {
        (e["clae_person_id"], e["clae_cla_episode_start_date"]): e for e in read_table(round_trip, "ssd_cla_episodes")
    }
    assert set(got) == set(expected) and len(got) > 50
    for key, mine in got.items():
        theirs = expected[key]
        assert mine["clae_cla_episode_start_reason"] == theirs["clae_cla_episode_start_reason"]
        assert mine["clae_cla_primary_need_code"] == theirs["clae_cla_primary_need_code"]
        # ends after the year end are written open, as the DfE requires
        assert mine["clae_cla_episode_ceased_date"] == _upto_year_end(theirs["clae_cla_episode_ceased_date"])
        reason = theirs["clae_cla_episode_ceased_reason"] if mine["clae_cla_episode_ceased_date"] else ""
        assert mine["clae_cla_episode_ceased_reason"] == reason
        # lost: the SSD's own ids (rebuilt from child and date), referral ids and IRO contact dates
        assert mine["clae_cla_episode_id"] == f"903-{key[0]}-{key[1]}" != theirs["clae_cla_episode_id"]
        assert mine["clae_referral_id"] == mine["clae_cla_last_iro_contact_date"] == ""
    # periods of care group exactly the same episodes
    mine_groups: dict[str, set[tuple[str, str]]] = defaultdict(set)
    their_groups: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for key in got:
        mine_groups[got[key]["clae_cla_id"]].add(key)
        their_groups[expected[key]["clae_cla_id"]].add(key)
    assert sorted(map(sorted, mine_groups.values())) == sorted(map(sorted, their_groups.values()))
    # the date care began survives when the period began in the year; otherwise it is the year's first episode
    for group in mine_groups.values():
        first = got[min(group, key=lambda k: k[1])]
        theirs = expected[min(group, key=lambda k: k[1])]
        began_in_year = theirs["clae_cla_episode_start_reason"] == "S"
        assert first["clae_entered_care_date"] == (
            theirs["clae_entered_care_date"] if began_in_year else first["clae_cla_episode_start_date"]
        )


def test_placements_and_legal_statuses_are_preserved(round_trip: Path) -> None:
    their_placements = {p["clap_cla_placement_id"]: p for p in _ssd("ssd_cla_placement")}
    their_episodes = {(e["clae_person_id"], e["clae_cla_episode_start_date"]): e for e in _ssd("ssd_cla_episodes")}
    my_placements = {p["clap_cla_placement_id"]: p for p in read_table(round_trip, "ssd_cla_placement")}
    fields = (
        "clap_cla_placement_type",
        "clap_cla_placement_provider",
        "clap_cla_placement_urn",
        "clap_cla_placement_postcode",
    )
    legal = defaultdict(list)
    for row in read_table(round_trip, "ssd_legal_status"):
        legal[row["lega_person_id"]].append(row)
    their_legal = defaultdict(list)
    for row in _ssd("ssd_legal_status"):
        their_legal[row["lega_person_id"]].append(row)

    def status_at(rows: list[dict[str, str]], day: str) -> str:
        held = [
            r
            for r in rows
            if r["lega_legal_status_start_date"] <= day
            and (not r["lega_legal_status_end_date"] or day < r["lega_legal_status_end_date"])
        ]
        return max(held, key=lambda r: r["lega_legal_status_start_date"])["lega_legal_status"]

    for episode in read_table(round_trip, "ssd_cla_episodes"):
        key = (episode["clae_person_id"], episode["clae_cla_episode_start_date"])
        mine = my_placements[episode["clae_cla_placement_id"]]
        theirs = their_placements[their_episodes[key]["clae_cla_placement_id"]]
        assert [mine[f] for f in fields] == [theirs[f] for f in fields]
        assert mine["clap_cla_placement_end_date"] == _upto_year_end(theirs["clap_cla_placement_end_date"])
        if mine["clap_cla_placement_end_date"] and mine["clap_cla_placement_change_reason"]:
            assert mine["clap_cla_placement_change_reason"] == theirs["clap_cla_placement_change_reason"]
        assert mine["clap_cla_placement_distance"] == ""  # lost: the 903 has no distance
        assert status_at(legal[key[0]], key[1]) == status_at(their_legal[key[0]], key[1])
    moved = [p for p in my_placements.values() if p["clap_cla_placement_change_reason"]]
    assert moved  # reasons for placement change survive for moves within the year


def test_people_reviews_missing_and_care_leavers_are_preserved(round_trip: Path) -> None:
    people = {p["pers_person_id"]: p for p in _ssd("ssd_person")}
    for mine in read_table(round_trip, "ssd_person"):
        theirs = people[mine["pers_person_id"]]
        for column in ("pers_dob", "pers_sex", "pers_ethnicity", "pers_upn"):
            assert mine[column] == theirs[column]
        assert mine["pers_gender"] == mine["pers_single_unique_id"] == ""  # lost
    cohort = {e["clae_person_id"] for e in read_table(round_trip, "ssd_cla_episodes")}
    expected_reviews = {
        (r["clar_cla_person_id"], r["clar_cla_review_date"], r["clar_cla_review_participation"])
        for r in _ssd("ssd_cla_reviews")
        if r["clar_cla_person_id"] in cohort
        and r["clar_cla_review_cancelled"] != "Y"
        and YEAR_START <= date.fromisoformat(r["clar_cla_review_date"]) <= YEAR_END
    }
    reviews = read_table(round_trip, "ssd_cla_reviews")
    assert {
        (r["clar_cla_person_id"], r["clar_cla_review_date"], r["clar_cla_review_participation"]) for r in reviews
    } == (expected_reviews)
    assert {r["clar_cla_review_due_date"] for r in reviews} == {""}  # lost: due dates
    expected_missing = {
        (
            m["miss_person_id"],
            m["miss_missing_episode_start_date"][:10],
            _upto_year_end(m["miss_missing_episode_end_date"])[:10],
            m["miss_missing_episode_type"],
        )
        for m in _ssd("ssd_missing")
        if m["miss_person_id"] in cohort and YEAR_START <= _day(m["miss_missing_episode_start_date"]) <= YEAR_END  # type: ignore[operator]
    }
    missing = {
        (
            m["miss_person_id"],
            m["miss_missing_episode_start_date"],
            m["miss_missing_episode_end_date"],
            m["miss_missing_episode_type"],
        )
        for m in read_table(round_trip, "ssd_missing")
    }
    assert missing == expected_missing and missing  # dates and type kept; times of day lost
    leavers = {
        (
            c["clea_person_id"],
            c["clea_care_leaver_in_touch"],
            c["clea_care_leaver_activity"],
            c["clea_care_leaver_accommodation"] + c["clea_care_leaver_accom_suitable"]
            if len(c["clea_care_leaver_accommodation"]) == 1
            else c["clea_care_leaver_accommodation"],
        )
        for c in _ssd("ssd_care_leavers")
        if _oc3_due(c["clea_person_id"], people)
    }
    assert leavers  # the example council has care leavers whose OC3 is due in the year
    assert {
        (
            c["clea_person_id"],
            c["clea_care_leaver_in_touch"],
            c["clea_care_leaver_activity"],
            c["clea_care_leaver_accommodation"],
        )
        for c in read_table(round_trip, "ssd_care_leavers")
    } == leavers


def _oc3_due(person: str, people: dict[str, dict[str, str]]) -> bool:
    """The OC3 cohort: a 17th-21st birthday in the year, every period of care ended before it (care ending on
    the birthday, or beginning after it, puts the young person in the episodes instead)."""
    dob = date.fromisoformat(people[person]["pers_dob"])
    birthdays = [date(dob.year + age, dob.month, dob.day) for age in range(17, 22)]  # no 29 February in the example
    in_year = [b for b in birthdays if YEAR_START <= b <= YEAR_END]
    care = [
        (e["clae_cla_episode_start_date"], e["clae_cla_episode_ceased_date"] or "9999-12-31")
        for e in _ssd("ssd_cla_episodes")
        if e["clae_person_id"] == person
    ]
    return bool(in_year) and all(end < in_year[0].isoformat() for _, end in care)


def test_only_looked_after_tables_survive(round_trip: Path) -> None:
    assert sorted(p.stem for p in round_trip.iterdir()) == [
        "ssd_care_leavers",
        "ssd_cla_episodes",
        "ssd_cla_placement",
        "ssd_cla_reviews",
        "ssd_legal_status",
        "ssd_missing",
        "ssd_person",
    ]


def test_imported_903_evaluates_the_looked_after_review_standard(round_trip: Path) -> None:
    results = evaluate("england", round_trip, as_at="2026-03-31")
    summary = {row["standard_id"]: row for row in compliance(results).to_pylist()}
    reviews = summary["england.cla-reviews"]
    assert reviews["instances"] > 50
    assert reviews["met"] > 0 and reviews["met"] + reviews["met_late"] + reviews["overdue"] > 0
    # visits are not in the 903: that standard has nothing to measure
    assert summary["england.cla-visits"]["instances"] == 0
