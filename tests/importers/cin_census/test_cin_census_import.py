"""The CIN census importer on small hand-built files: mapping, layouts, ids, links and the problem report."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cin_census_builders import (
    assessment,
    census,
    child,
    cin_plan,
    cp_plan,
    episode,
    header,
    line_of,
    node,
    rows,
    section47,
    write,
)

from casewatch.data.contract import TABLES
from casewatch.importers.cin_census import import_cin_census
from casewatch.importers.cin_census.output import CIN_TABLES
from casewatch.importers.report import ImportReport


def _full_child(layout: str = "sex", sex: str = "F") -> ET.Element:
    return child(
        "C001",
        episode(
            "2024-06-03",
            PrimaryNeedCode="N1",
            CINclosureDate="2025-02-10",
            ReasonForClosure="RC7",
            extra=(
                assessment("2024-06-04", "2024-07-30", factors=("3A", "4B")),
                cin_plan("2024-08-01", "2024-09-01"),
                section47("2024-06-10", target="2024-07-01", icpc="2024-06-28"),
                cp_plan("2024-06-28", "2025-01-15", reviews=("2024-09-20", "2025-01-10")),
            ),
        ),
        layout=layout,
        sex=sex,
        disabilities=("LD", "AUT"),
        UPN="A123456789012",
        ExpectedPersonBirthDate=None,
    )


def _import(tmp_path: Path, message: ET.Element) -> tuple[ImportReport, Path, Path]:
    source = write(tmp_path / "census.xml", message)
    out = tmp_path / "out"
    return import_cin_census(str(source), out), out, source


def _problems(report: ImportReport, severity: str | None = None) -> list[tuple[str | None, str]]:
    return [(p.column, p.reason) for p in report.problems if severity is None or p.severity == severity]


def test_sex_layout_maps_every_record_with_ids_and_links(tmp_path: Path) -> None:
    report, out, _ = _import(tmp_path, census(_full_child()))
    assert report.errors == 0
    assert rows(out, "ssd_person") == [
        {**dict.fromkeys(TABLES["ssd_person"].column_names, ""), "pers_person_id": "C001", "pers_dob": "2015-06-01",
         "pers_sex": "F", "pers_ethnicity": "WBRI", "pers_upn": "A123456789012"}
    ]  # fmt: skip
    assert [r["disa_disability_code"] for r in rows(out, "ssd_disability")] == ["LD", "AUT"]
    [referral] = rows(out, "ssd_cin_episodes")
    assert referral["cine_referral_id"] == "CIN-C001-2024-06-03"
    assert (referral["cine_close_date"], referral["cine_close_reason"], referral["cine_referral_nfa"]) == (
        "2025-02-10",
        "RC7",
        "N",
    )
    assert (referral["cine_referral_source_code"], referral["cine_cin_primary_need_code"]) == ("2A", "N1")
    [asm] = rows(out, "ssd_cin_assessments")
    assert (asm["cina_assessment_id"], asm["cina_referral_id"]) == ("ASM-C001-2024-06-04", "CIN-C001-2024-06-03")
    assert (asm["cina_assessment_start_date"], asm["cina_assessment_auth_date"]) == ("2024-06-04", "2024-07-30")
    [factors] = rows(out, "ssd_assessment_factors")
    assert factors["cinf_assessment_id"] == asm["cina_assessment_id"]
    assert factors["cinf_assessment_factors_json"] == '["3A","4B"]'
    [plan] = rows(out, "ssd_cin_plans")
    assert (plan["cinp_referral_id"], plan["cinp_cin_plan_end_date"]) == ("CIN-C001-2024-06-03", "2024-09-01")
    [s47] = rows(out, "ssd_s47_enquiry")
    assert (s47["s47e_s47_enquiry_id"], s47["s47e_cp_conference_flag"]) == ("S47-C001-2024-06-10", "Y")
    [icpc] = rows(out, "ssd_initial_cp_conference")
    [cpp] = rows(out, "ssd_cp_plans")
    assert icpc["icpc_s47_enquiry_id"] == s47["s47e_s47_enquiry_id"]
    assert (icpc["icpc_icpc_date"], icpc["icpc_icpc_target_date"]) == ("2024-06-28", "2024-07-01")
    assert (icpc["icpc_cp_plan_id"], cpp["cppl_icpc_id"]) == (cpp["cppl_cp_plan_id"], icpc["icpc_icpc_id"])
    assert cpp["cppl_cp_plan_initial_category"] == cpp["cppl_cp_plan_latest_category"] == "NEG"
    reviews = rows(out, "ssd_cp_reviews")
    assert [(r["cppr_cp_plan_id"], r["cppr_cp_review_date"]) for r in reviews] == [
        (cpp["cppl_cp_plan_id"], "2024-09-20"),
        (cpp["cppl_cp_plan_id"], "2025-01-10"),
    ]
    assert report.rows_written == {
        "ssd_person": 1, "ssd_disability": 2, "ssd_cin_episodes": 1, "ssd_cin_assessments": 1,
        "ssd_assessment_factors": 1, "ssd_cin_plans": 1, "ssd_s47_enquiry": 1, "ssd_initial_cp_conference": 1,
        "ssd_cp_plans": 1, "ssd_cp_reviews": 2,
    }  # fmt: skip


def test_every_table_has_exactly_the_contract_columns_in_order(tmp_path: Path) -> None:
    _, out, _ = _import(tmp_path, census(_full_child()))
    for table in CIN_TABLES:
        assert header(out, table) == list(TABLES[table].column_names)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in CIN_TABLES)


def test_gender_current_layout_keeps_the_census_code_as_gender(tmp_path: Path) -> None:
    report, out, _ = _import(tmp_path, census(_full_child(layout="gender", sex="2"), year="2023"))
    [person] = rows(out, "ssd_person")
    assert (person["pers_gender"], person["pers_sex"]) == ("2", "")
    assert report.errors == 0 and not _problems(report, "warning")[:-1]


def test_namespaced_file_reads_like_a_plain_one(tmp_path: Path) -> None:
    plain = write(tmp_path / "plain.xml", census(_full_child()))
    text = plain.read_text("utf-8").replace("<Message>", '<Message xmlns="http://www.example.org/cin">')
    (tmp_path / "ns.xml").write_text(text, "utf-8")
    report = import_cin_census(str(tmp_path / "ns.xml"), tmp_path / "out")
    assert report.rows_written["ssd_cp_reviews"] == 2 and report.errors == 0


def test_invalid_and_missing_dates_are_reported_with_path_line_and_value(tmp_path: Path) -> None:
    message = census(
        child(
            "C001",
            episode("2024-06-03", extra=(assessment("2024-06-04", "2024-13-01"), assessment("soon"))),
            episode(None, extra=(cin_plan("2024-07-01"),)),
            episode("03/02/2025"),
        )
    )
    report, out, source = _import(tmp_path, message)
    by_path = {p.column: p for p in report.problems}
    bad = by_path["Child[1]/CINdetails[1]/Assessments[1]/AssessmentAuthorisationDate"]
    # the assessment was imported without it: a warning; a record not imported is the error
    assert (bad.value, bad.row, bad.severity) == ("2024-13-01", line_of(source, "2024-13-01"), "warning")
    assert "not a real calendar date" in bad.reason
    [asm] = rows(out, "ssd_cin_assessments")  # the second assessment had no usable start date
    assert asm["cina_assessment_auth_date"] == ""
    assert by_path["Child[1]/CINdetails[1]/Assessments[2]"].reason.startswith("no usable AssessmentActualStartDate")
    assert by_path["Child[1]/CINdetails[1]/Assessments[2]"].severity == "error"
    assert by_path["Child[1]/CINdetails[1]/Assessments[2]/AssessmentActualStartDate"].value == "soon"
    # A referral without a date is not imported, but what was recorded under it still is, unlinked.
    assert "referral was not imported" in by_path["Child[1]/CINdetails[2]"].reason
    [plan] = rows(out, "ssd_cin_plans")
    assert plan["cinp_referral_id"] == ""
    # dd/mm/yyyy is read, with a warning.
    uk = by_path["Child[1]/CINdetails[3]/CINreferralDate"]
    assert (uk.severity, uk.value) == ("warning", "03/02/2025")
    assert "CIN-C001-2025-02-03" in [r["cine_referral_id"] for r in rows(out, "ssd_cin_episodes")]
    assert report.rows_skipped == {"Assessments": 1, "CINdetails": 1}


def test_unknown_elements_are_reported_at_every_level_and_ignored(tmp_path: Path) -> None:
    message = census(_full_child())
    message.append(node("Trailer", text="x"))
    message[1].append(node("Note", text="y"))
    first_child = message[1][0]
    first_child.append(node("Allocation", node("Worker", text="W1")))
    first_child[2].append(node("Mystery", text="z"))  # in the CINdetails
    first_child[2].find("Assessments").append(node("AssessmentOutcome", text="NFA"))  # type: ignore[union-attr]
    report, _, _ = _import(tmp_path, message)
    warnings = dict(_problems(report, "warning"))
    assert "Message/Trailer[1]" in warnings and "Children/Note[1]" in warnings
    assert warnings["Child[1]/Allocation[1]"] == "unknown element <Allocation> in <Child>; ignored"
    assert "Child[1]/CINdetails[1]/Mystery[1]" in warnings
    assert "Child[1]/CINdetails[1]/Assessments[1]/AssessmentOutcome[1]" in warnings
    assert report.errors == 0 and report.rows_written["ssd_cp_reviews"] == 2


def test_counted_records_under_an_unknown_element_are_skipped_not_lost(tmp_path: Path) -> None:
    stray = node("Extra", episode("2024-01-01", extra=(assessment("2024-01-02"),)))
    message = census(child("C001", episode("2024-06-03")))
    message[1][0].append(stray)
    report, _, _ = _import(tmp_path, message)
    assert report.rows_read["CINdetails"] == 2 and report.rows_skipped["CINdetails"] == 1
    assert report.rows_skipped["Assessments"] == 1


def test_child_without_la_child_id_is_skipped_with_everything_under_it(tmp_path: Path) -> None:
    message = census(child(None, episode(extra=(assessment("2024-06-04"),))), child("C002"))
    report, out, _ = _import(tmp_path, message)
    assert [r["pers_person_id"] for r in rows(out, "ssd_person")] == ["C002"]
    assert report.rows_skipped == {"Child": 1, "CINdetails": 1, "Assessments": 1}
    assert _problems(report)[0] == ("Child[1]", "the child has no LAchildID, so nothing recorded for them was imported")


def test_same_day_records_get_distinct_ids_and_duplicate_children_one_person(tmp_path: Path) -> None:
    message = census(
        child("C001", episode("2024-06-03", extra=(assessment("2024-06-04"), assessment("2024-06-04")))),
        child("C001", episode("2024-06-03")),
    )
    report, out, _ = _import(tmp_path, message)
    assert [r["cina_assessment_id"] for r in rows(out, "ssd_cin_assessments")] == [
        "ASM-C001-2024-06-04",
        "ASM-C001-2024-06-04-2",
    ]
    assert [r["cine_referral_id"] for r in rows(out, "ssd_cin_episodes")] == [
        "CIN-C001-2024-06-03",
        "CIN-C001-2024-06-03-2",
    ]
    assert len(rows(out, "ssd_person")) == 1
    assert ("Child[2]", "LAchildID C001 was already read at Child[1]; this child's identifiers and characteristics "
            "were not imported again (their episodes were)") in _problems(report, "warning")  # fmt: skip


def test_conference_needed_flag_follows_icpc_not_required(tmp_path: Path) -> None:
    message = census(
        child(
            "C001",
            episode(
                "2024-06-03",
                DateOfInitialCPC="2024-05-01",
                extra=(
                    section47("2024-06-05", not_required="1"),
                    section47("2024-06-06", not_required="0", target="2024-06-27"),
                    section47("2024-06-07", icpc="2024-06-20", not_required="1"),
                ),
            ),
        )
    )
    report, out, _ = _import(tmp_path, message)
    flags = [r["s47e_cp_conference_flag"] for r in rows(out, "ssd_s47_enquiry")]
    assert flags == ["N", "Y", "Y"]
    conferences = rows(out, "ssd_initial_cp_conference")
    assert [(c["icpc_icpc_date"], c["icpc_s47_enquiry_id"]) for c in conferences] == [
        ("2024-06-20", "S47-C001-2024-06-07"),
        ("2024-05-01", ""),  # held before this episode's enquiries, e.g. a transfer-in
    ]
    warnings = _problems(report, "warning")
    assert ("Child[1]/CINdetails[1]/Section47[3]",
            "ICPCnotRequired is 1 but a conference date is recorded; the conference was kept") in warnings  # fmt: skip
    assert any(c == "InitialCPCtarget" and r.startswith("1 <InitialCPCtarget>") for c, r in warnings)


def test_codes_outside_the_census_lists_are_imported_with_a_warning(tmp_path: Path) -> None:
    report, out, _ = _import(tmp_path, census(child("C001", ethnicity="XXXX", disabilities=("ld",))))
    assert rows(out, "ssd_person")[0]["pers_ethnicity"] == "XXXX"
    assert rows(out, "ssd_disability")[0]["disa_disability_code"] == "LD"
    warnings = dict(_problems(report, "warning"))
    assert warnings["Child[1]/ChildCharacteristics/Ethnicity"].startswith("not a code of the CIN census list")
    assert warnings["Child[1]/ChildCharacteristics/Disabilities/Disability[1]"] == "code in lower case; upper-cased"


def test_repeated_single_elements_use_the_first_and_report_the_rest(tmp_path: Path) -> None:
    message = census(child("C001", episode("2024-06-03", PrimaryNeedCode="N1")))
    message[1][0][2].insert(1, node("CINreferralDate", text="2024-07-01"))
    report, out, _ = _import(tmp_path, message)
    assert rows(out, "ssd_cin_episodes")[0]["cine_referral_date"] == "2024-06-03"
    assert ("Child[1]/CINdetails[1]/CINreferralDate[2]", "<CINreferralDate> appears more than once; only the first "
            "was used") in _problems(report, "error")  # fmt: skip


@pytest.mark.parametrize("one_line", [False, True])
def test_every_record_read_is_imported_or_reported(tmp_path: Path, one_line: bool) -> None:
    message = census(
        _full_child(),
        child(None),
        child("C003", episode(None, extra=(assessment(None, factors=("1A",)), cp_plan(None, reviews=("x",))))),
    )
    source = write(tmp_path / "census.xml", message)
    if one_line:
        source.write_text(source.read_text("utf-8").replace("\n", ""), "utf-8")
    report = import_cin_census(str(source), tmp_path / "out")
    assert report.rows_read == {
        "Child": 3, "Disability": 2, "CINdetails": 3, "Assessments": 2, "AssessmentFactors": 3, "CINPlanDates": 1,
        "Section47": 1, "ChildProtectionPlans": 2, "CPPreviewDate": 3,
    }  # fmt: skip
    assert report.rows_skipped == {
        "Child": 1, "CINdetails": 2, "Assessments": 1, "AssessmentFactors": 1, "ChildProtectionPlans": 1,
        "CPPreviewDate": 1,
    }  # fmt: skip
    lines = {p.row for p in report.problems if p.column and p.column.startswith("Child")}
    assert lines == {1} if one_line else len(lines) > 2
