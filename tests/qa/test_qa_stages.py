"""A child's service stage on a date, one per child, from the episodes the standards' vocabulary names."""

from __future__ import annotations

import duckdb
import pytest

from casewatch.errors import CasewatchError
from casewatch.qa.stages import STAGE_IDS, stage_named, stage_sql

TABLES = {
    "ssd_cin_episodes": ("cine_person_id", "cine_referral_date", "cine_close_date"),
    "ssd_cin_plans": ("cinp_person_id", "cinp_cin_plan_start_date", "cinp_cin_plan_end_date"),
    "ssd_cp_plans": ("cppl_person_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),
    "ssd_cla_episodes": ("clae_person_id", "clae_cla_episode_start_date", "clae_cla_episode_ceased_date"),
    "ext_care_leaver_episodes": ("clep_person_id", "clep_start_date", "clep_end_date"),
}
ROWS = {
    "ssd_cin_episodes": [("K1", "2026-01-01", None), ("K2", "2026-01-01", "2026-06-30"), ("K3", "2026-01-01", None)],
    "ssd_cin_plans": [],
    "ssd_cp_plans": [("K3", "2026-02-01", None), ("K4", "2026-02-01", "2026-06-30")],
    "ssd_cla_episodes": [("K3", "2026-03-01", None)],
    "ext_care_leaver_episodes": [("K5", "2025-01-01", None)],
}


def stages(day: str, given: set[str] | None = None) -> dict[str, str | None]:
    con = duckdb.connect()
    for table, (person, start, end) in TABLES.items():
        con.execute(f"CREATE TABLE {table} ({person} VARCHAR, {start} DATE, {end} DATE)")
        for row in ROWS[table]:
            con.execute(f"INSERT INTO {table} VALUES (?, ?, ?)", row)
    con.execute(
        "CREATE TABLE pairs AS SELECT person_id, DATE '" + day + "' AS ref_date "
        "FROM (VALUES ('K1'), ('K2'), ('K3'), ('K4'), ('K5'), ('K6')) AS t(person_id)"
    )
    has = (lambda t: True) if given is None else given.__contains__
    return {p: s for p, _, s in con.execute(stage_sql("pairs", has)).fetchall()}


def test_each_child_has_one_stage_looked_after_first_and_an_end_date_is_the_last_day() -> None:
    assert stages("2026-06-30") == {"K1": "CIN", "K2": "CIN", "K3": "CLA", "K4": "CP", "K5": "care-leaver", "K6": None}
    assert stages("2026-07-01") == {"K1": "CIN", "K2": None, "K3": "CLA", "K4": None, "K5": "care-leaver", "K6": None}


def test_a_stage_whose_tables_are_absent_never_applies() -> None:
    assert stages("2026-06-30", {"ssd_cin_episodes"}) == {
        "K1": "CIN",
        "K2": "CIN",
        "K3": "CIN",
        "K4": None,
        "K5": None,
        "K6": None,
    }


def test_stages_are_named_as_practitioners_write_them() -> None:
    assert STAGE_IDS == ("CLA", "CP", "care-leaver", "CIN")
    assert stage_named("cp").id == "CP"
    assert stage_named("CP").count(1) == "1 child on a child protection plan"
    with pytest.raises(CasewatchError, match="'LAC' is not a service stage; use one of CLA, CP, care-leaver, CIN"):
        stage_named("LAC")
