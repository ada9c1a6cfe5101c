"""The XML form of the 903 (EXPSSDA903 → CHILD → HEADER + EPISODE), read into the same tables as the CSV files."""

from __future__ import annotations

from pathlib import Path

import pytest
from ssda903_helpers import read_table

from casewatch.errors import DataError
from casewatch.importers.ssda903 import import_ssda903

RETURN = """\ufeff<?xml version="1.0" encoding="utf-8"?>
<EXPSSDA903>
  <CHILD>
    <HEADER>
      <CHILDID>X1</CHILDID><UPN>A123456789012</UPN><SEX>F</SEX><DOB>03/04/2012</DOB><ETHNIC>WBRI</ETHNIC>
      <UASC /><MOTHER /><MC_DOB />
      <AREVIEW><REVIEW>25/01/2024</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>
      <AREVIEW><REVIEW>31/04/2024</REVIEW><REVIEW_CODE>PN2</REVIEW_CODE></AREVIEW>
      <AMISSING><MISSING>M</MISSING><MIS_START>02/02/2024</MIS_START><MIS_END>03/02/2024</MIS_END></AMISSING>
      <OC2><CONVICTED>0</CONVICTED><HEALTH_CHECK>1</HEALTH_CHECK></OC2>
      <PERMANENCE><PREV_PERM>Z1</PREV_PERM></PERMANENCE>
    </HEADER>
    <EPISODE>
      <DECOM>02/01/2024</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U4</PL><PL_POST>ZZ99 1AB</PL_POST>
      <HOME_POST /><URN>SC000001</URN><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC>01/03/2024</DEC><REC>X1</REC>
      <REASON_PLACE_CHANGE>CARPL</REASON_PLACE_CHANGE>
    </EPISODE>
    <EPISODE>
      <DECOM>01/03/2024</DECOM><RNE>P</RNE><LS>C2</LS><CIN>N1</CIN><PL>K2</PL><PL_POST /><HOME_POST /><URN />
      <PLACE_PROVIDER>PR2</PLACE_PROVIDER><DEC /><REC /><REASON_PLACE_CHANGE />
    </EPISODE>
  </CHILD>
  <CHILD>
    <HEADER>
      <CHILDID>X2</CHILDID><SEX>M</SEX><DOB>09/09/2006</DOB><ETHNIC>AOTH</ETHNIC>
      <IN_TOUCH>YES</IN_TOUCH><ACTIV>F2</ACTIV><ACCOM>B1</ACCOM>
    </HEADER>
  </CHILD>
</EXPSSDA903>
"""


def test_xml_return_maps_like_the_csv_files(tmp_path: Path) -> None:
    path = tmp_path / "ssda903_2024.xml"
    path.write_text(RETURN, encoding="utf-8")
    report = import_ssda903(str(path), tmp_path / "out")
    assert report.rows_read == {
        "ssda903_2024.xml header": 2,
        "ssda903_2024.xml episodes": 2,
        "ssda903_2024.xml reviews": 2,
        "ssda903_2024.xml missing": 1,
        "ssda903_2024.xml oc2": 1,
        "ssda903_2024.xml prev_perm": 1,
        "ssda903_2024.xml oc3": 1,
    }
    out = tmp_path / "out"
    placements = read_table(out, "ssd_cla_placement")
    assert [
        (p["clap_cla_placement_type"], p["clap_cla_placement_urn"], p["clap_cla_placement_change_reason"])
        for p in placements
    ] == [("U4", "SC000001", "CARPL"), ("K2", "", "")]
    assert [r["clar_cla_review_participation"] for r in read_table(out, "ssd_cla_reviews")] == ["PN1"]
    leaver = read_table(out, "ssd_care_leavers")[0]
    assert (
        leaver["clea_person_id"],
        leaver["clea_care_leaver_in_touch"],
        leaver["clea_care_leaver_accom_suitable"],
    ) == (
        "X2",
        "YES",
        "Suitable",
    )
    # a bad value is located by the line it is on and by its element path
    bad = [p for p in report.problems if p.value == "31/04/2024"]
    assert [(p.file, p.row, p.column, p.severity) for p in bad] == [
        ("ssda903_2024.xml", 8, "CHILD[1]/HEADER/AREVIEW[2]/REVIEW", "error")
    ]
    assert report.rows_skipped == {"ssda903_2024.xml reviews": 1}
    assert any(line.startswith("OC2") for line in report.cannot_support)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "<?xml version='1.0'?><Message><Header/></Message>",
            "is XML but not an SSDA903 return: its root element is <Message>, not <EXPSSDA903>",
        ),
        ("<EXPSSDA903><CHILD></EXPSSDA903>", "is not well-formed XML"),
        ("", "is not an XML file"),
    ],
)
def test_xml_that_is_not_a_903_return_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "cin_census.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        import_ssda903(str(path), tmp_path / "out")


def test_elements_the_return_does_not_have_are_warned_of_not_dropped_silently(tmp_path: Path) -> None:
    text = RETURN.replace("</EXPSSDA903>", "<TRAILER><COUNT>2</COUNT></TRAILER></EXPSSDA903>").replace(
        "<UASC />", "<UASC /><NICKNAME>Jo</NICKNAME>"
    )
    path = tmp_path / "ssda903_2024.xml"
    path.write_text(text, encoding="utf-8")
    report = import_ssda903(str(path), tmp_path / "out")
    warnings = {p.column: p.reason for p in report.problems if p.severity == "warning"}
    assert warnings["EXPSSDA903/TRAILER"] == "element not read (1 times)"
    assert warnings["HEADER/NICKNAME"] == "element not read (1 times)"
    assert report.rows_read["ssda903_2024.xml header"] == 2  # the rest of the return is read as before
