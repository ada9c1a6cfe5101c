"""Each load-time normalisation rule (SSD study §6.4), seen through what ends up in the loaded tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from data_helpers import issues, rows

from casewatch.data import CaseData, DataConfig

Write = Callable[[str, str], Path]
Load = Callable[..., CaseData]


def _visits(write: Write, load: Load, values: list[str], column: str = "cppv_cp_visit_date", **kw: object) -> CaseData:
    """Load one CP visit per value, the value placed in ``column``."""
    header = "cppv_cp_visit_id,cppv_person_id,cppv_cp_visit_date,cppv_cp_visit_seen,cppv_cp_plan_id"
    lines = []
    for n, value in enumerate(values):
        cells = {"cppv_cp_visit_date": "2024-05-01", "cppv_cp_visit_seen": "Y", "cppv_cp_plan_id": "C1"}
        cells[column] = value
        lines.append(f"V{n},P1,{cells['cppv_cp_visit_date']},{cells['cppv_cp_visit_seen']},{cells['cppv_cp_plan_id']}")
    write("ssd_cp_visits.csv", header + "\n" + "\n".join(lines) + "\n")
    return load(**kw)


def test_strings_are_trimmed_and_placeholders_become_null(write: Write, load: Load) -> None:
    data = _visits(write, load, ["  C7  ", "SSD_PH", "NULL", "null", "#N/A", "", "   "], column="cppv_cp_plan_id")
    got = rows(data, "SELECT cppv_cp_visit_id, cppv_cp_plan_id FROM ssd_cp_visits ORDER BY cppv_cp_visit_id")
    assert got == [("V0", "C7"), ("V1", None), ("V2", None), ("V3", None), ("V4", None), ("V5", None), ("V6", None)]
    assert data.report.issues.num_rows == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-03-05 14:30", date(2024, 3, 5)),
        ("2024-03-05 14:30:59", date(2024, 3, 5)),
        ("2024-03-05 14:30:59.123", date(2024, 3, 5)),
        ("2024-03-05T14:30:59", date(2024, 3, 5)),
        ("05/03/2024", date(2024, 3, 5)),
        ("5/3/2024", date(2024, 3, 5)),
        ("05/03/2024 09:15", date(2024, 3, 5)),
        ("2024/03/05", date(2024, 3, 5)),
    ],
)
def test_date_shapes_are_accepted_and_date_columns_keep_only_the_day(
    write: Write, load: Load, text: str, expected: date
) -> None:
    data = _visits(write, load, [text])
    assert rows(data, "SELECT cppv_cp_visit_date FROM ssd_cp_visits") == [(expected,)]
    assert data.report.issues.num_rows == 0


def test_datetime_columns_keep_the_time(write: Write, load: Load) -> None:
    write(
        "ssd_contacts.csv",
        "cont_contact_id,cont_person_id,cont_contact_date\n"
        "K1,P1,2024-03-05 14:30\nK2,P1,05/03/2024 09:15:20\nK3,P1,2024-03-05\nK4,P1,2024-03-05T23:59:59.5\n",
    )
    data = load()
    got = rows(data, "SELECT cont_contact_date FROM ssd_contacts ORDER BY cont_contact_id")
    assert got == [
        (datetime(2024, 3, 5, 14, 30),),
        (datetime(2024, 3, 5, 9, 15, 20),),
        (datetime(2024, 3, 5, 0, 0),),
        (datetime(2024, 3, 5, 23, 59, 59, 500000),),
    ]
    types = dict(
        rows(data, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'ssd_contacts'")
    )
    assert types["cont_contact_date"] == "TIMESTAMP"


def test_sentinel_date_means_no_date_in_an_optional_column(write: Write, load: Load) -> None:
    write(
        "ssd_cin_assessments.csv",
        "cina_assessment_id,cina_person_id,cina_assessment_start_date,cina_assessment_auth_date\n"
        "A1,P1,2024-01-02,1900-01-01\nA2,P1,2024-01-02,1900/01/01\nA3,P1,2024-01-02,1900-01-01 00:00:00.000\n",
    )
    data = load()
    assert rows(data, "SELECT count(*) FROM ssd_cin_assessments WHERE cina_assessment_auth_date IS NULL") == [(3,)]
    assert data.report.issues.num_rows == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[(text, True) for text in ("Y", "y", "Yes", "YES", "1", "true", "T", "t")],
        *[(text, False) for text in ("N", "no", "0", "FALSE", "f")],
        ("", None),
    ],
)
def test_flag_spellings(write: Write, load: Load, text: str, expected: bool | None) -> None:
    data = _visits(write, load, [text], column="cppv_cp_visit_seen")
    assert rows(data, "SELECT cppv_cp_visit_seen FROM ssd_cp_visits") == [(expected,)]
    assert data.report.issues.num_rows == 0


def test_na_flag_is_null_with_a_note(write: Write, load: Load) -> None:
    data = _visits(write, load, ["NA", "n/a"], column="cppv_cp_visit_seen")
    assert rows(data, "SELECT cppv_cp_visit_seen FROM ssd_cp_visits") == [(None,), (None,)]
    notes = issues(data, code="flag_na")
    assert [(i.row, i.column, i.value, i.severity) for i in notes] == [
        (2, "cppv_cp_visit_seen", "NA", "info"),
        (3, "cppv_cp_visit_seen", "n/a", "info"),
    ]
    assert data.report.all_loaded


def test_config_adds_seen_spellings(write: Write, load: Load) -> None:
    config = DataConfig(seen_values=["Seen"], not_seen_values=["Not seen"])
    data = _visits(write, load, ["seen", "Not Seen", "Y"], column="cppv_cp_visit_seen", config=config)
    got = rows(data, "SELECT cppv_cp_visit_seen FROM ssd_cp_visits ORDER BY cppv_cp_visit_id")
    assert got == [(True,), (False,), (True,)]


def test_numbers(write: Write, load: Load) -> None:
    write(
        "ssd_sdq_scores.csv",
        "csdq_table_id,csdq_person_id,csdq_sdq_completed_date,csdq_sdq_score\n"
        "S1,P1,2024-01-01,12\nS2,P1,2024-01-01,12.0\nS3,P1,2024-01-01,12.5\nS4,P1,2024-01-01, 7 \n",
    )
    write(
        "ssd_cla_placement.csv",
        "clap_cla_placement_id,clap_cla_id,clap_person_id,clap_cla_placement_start_date,clap_cla_placement_distance\n"
        "L1,E1,P1,2024-01-01,12.75\nL2,E1,P1,2024-01-01,1e1\nL3,E1,P1,2024-01-01,far\n",
    )
    data = load()
    assert rows(data, "SELECT csdq_sdq_score FROM ssd_sdq_scores ORDER BY csdq_table_id") == [
        (12,),
        (12,),
        (None,),
        (7,),
    ]
    got = rows(data, "SELECT clap_cla_placement_distance FROM ssd_cla_placement ORDER BY clap_cla_placement_id")
    assert got == [(12.75,), (10.0,), (None,)]
    bad = [(i.table, i.row, i.value, i.severity) for i in issues(data, code="bad_number")]
    assert bad == [("ssd_cla_placement", 4, "far", "warning"), ("ssd_sdq_scores", 4, "12.5", "warning")]


def test_absent_optional_columns_exist_as_typed_nulls(write: Write, load: Load) -> None:
    write("ssd_cp_visits.csv", "cppv_cp_visit_id,cppv_person_id,cppv_cp_visit_date\nV1,P1,2024-01-01\n")
    data = load()
    types = dict(
        rows(data, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'ssd_cp_visits'")
    )
    assert types == {
        "cppv_cp_visit_id": "VARCHAR",
        "cppv_person_id": "VARCHAR",
        "cppv_cp_plan_id": "VARCHAR",
        "cppv_cp_visit_date": "DATE",
        "cppv_cp_visit_seen": "BOOLEAN",
        "cppv_cp_visit_seen_alone": "BOOLEAN",
        "cppv_cp_visit_bedroom": "BOOLEAN",
    }
    assert rows(data, "SELECT cppv_cp_visit_seen, cppv_cp_plan_id FROM ssd_cp_visits") == [(None, None)]


def test_person_id_is_derived_from_the_plan(write: Write, load: Load) -> None:
    write(
        "ssd_cp_plans.csv",
        "cppl_cp_plan_id,cppl_person_id,cppl_cp_plan_start_date\nC1,P1,2024-01-01\nC2,P2,2024-01-01\n",
    )
    write(
        "ssd_cp_visits.csv", "cppv_cp_visit_id,cppv_cp_plan_id,cppv_cp_visit_date\nV1,C1,2024-02-01\nV2,C2,2024-02-01\n"
    )
    data = load()
    got = rows(data, "SELECT cppv_cp_visit_id, cppv_person_id FROM ssd_cp_visits ORDER BY 1")
    assert got == [("V1", "P1"), ("V2", "P2")]


def test_placement_person_is_derived_from_the_period_of_care(write: Write, load: Load) -> None:
    write(
        "ssd_cla_episodes.csv",
        "clae_cla_episode_id,clae_person_id,clae_cla_id,clae_cla_episode_start_date\n"
        "E1,P1,CLA1,2024-01-01\nE2,P1,CLA1,2024-03-01\nE3,P2,CLA2,2024-01-01\n",
    )
    write(
        "ssd_cla_placement.csv",
        "clap_cla_placement_id,clap_cla_id,clap_person_id,clap_cla_placement_start_date\n"
        "L1,CLA1,,2024-01-01\nL2,CLA2,P2,2024-01-01\nL3,CLA9,,2024-01-01\n",
    )
    data = load()
    got = rows(data, "SELECT clap_cla_placement_id, clap_person_id FROM ssd_cla_placement ORDER BY 1")
    assert got == [("L1", "P1"), ("L2", "P2"), ("L3", None)]


def test_mosaic_visits_get_their_child_through_the_cin_plan(write: Write, load: Load) -> None:
    write("ssd_cin_plans.csv", "cin_plan_id,cinp_person_id,cinp_cin_plan_start_date\nF1,P1,2024-01-01\n")
    write("ssd_cin_visits.csv", "cinv_cin_visit_id,cinv_cin_plan_id,cinv_cin_visit_date\nW1,F1,2024-01-09\n")
    data = load()
    assert rows(data, "SELECT cinv_person_id, cinv_cin_plan_id FROM ssd_cin_visits") == [("P1", "F1")]
    assert data.report.renamed_columns == {"ssd_cin_plans.csv": {"cin_plan_id": "cinp_cin_plan_id"}}


def test_a_given_value_wins_over_a_derived_one(write: Write, load: Load) -> None:
    write("ssd_cp_plans.csv", "cppl_cp_plan_id,cppl_person_id,cppl_cp_plan_start_date\nC1,P1,2024-01-01\n")
    write(
        "ssd_cp_visits.csv", "cppv_cp_visit_id,cppv_person_id,cppv_cp_plan_id,cppv_cp_visit_date\nV1,P7,C1,2024-02-01\n"
    )
    data = load()
    assert rows(data, "SELECT cppv_person_id FROM ssd_cp_visits") == [("P7",)]
