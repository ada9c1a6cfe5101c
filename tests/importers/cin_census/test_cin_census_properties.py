"""Junk in any value never crashes the importer, and never yields a row or a value that was not in the file."""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from cin_census_builders import assessment, census, child, cin_plan, cp_plan, episode, rows, section47, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casewatch.data.contract import TABLES
from casewatch.data.vocabulary import fold, tidy
from casewatch.importers.cin_census import import_cin_census
from casewatch.importers.cin_census.output import CIN_TABLES
from casewatch.importers.cin_census.values import parse_date

_XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")) | st.sampled_from("\t\n "), max_size=14
)
_NEAR_MISSES = st.sampled_from(
    ["", " ", "2024-06-03", "2024-06-03T10:00:00", "31/12/2024", "2024-02-30", "0001-01-01", "0", "1", "true",
     "maybe", "NEG", "neg", "C001", "C002", "N1", "RC7", "ld", "1A"]
)  # fmt: skip
#: Rows in a table can only come from these elements (a conference also from a CINdetails' DateOfInitialCPC).
_SOURCES = {
    "ssd_person": ("Child",), "ssd_disability": ("Disability",), "ssd_cin_episodes": ("CINdetails",),
    "ssd_cin_assessments": ("Assessments",), "ssd_assessment_factors": ("Assessments",),
    "ssd_cin_plans": ("CINPlanDates",), "ssd_s47_enquiry": ("Section47",),
    "ssd_initial_cp_conference": ("Section47", "CINdetails"), "ssd_cp_plans": ("ChildProtectionPlans",),
    "ssd_cp_reviews": ("CPPreviewDate",),
}  # fmt: skip
_ONE_TO_ONE = {
    "Child": "ssd_person", "Disability": "ssd_disability", "CINdetails": "ssd_cin_episodes",
    "Assessments": "ssd_cin_assessments", "CINPlanDates": "ssd_cin_plans", "Section47": "ssd_s47_enquiry",
    "ChildProtectionPlans": "ssd_cp_plans", "CPPreviewDate": "ssd_cp_reviews",
}  # fmt: skip


def _template() -> ET.Element:
    full = episode(
        "2024-06-03",
        PrimaryNeedCode="N1",
        CINclosureDate="2025-02-10",
        ReasonForClosure="RC7",
        DateOfInitialCPC="2024-05-01",
        extra=(
            assessment("2024-06-04", "2024-07-30", factors=("3A", "4B")),
            cin_plan("2024-08-01", "2024-09-01"),
            section47("2024-06-10", target="2024-07-01", icpc="2024-06-28"),
            cp_plan("2024-06-28", "2025-01-15", reviews=("2024-09-20", "2025-01-10")),
        ),
    )
    return census(
        child("C001", full, disabilities=("LD", "AUT"), UPN="A123456789012"),
        child("C002", episode("2024-07-01", extra=(assessment("2024-07-02"),)), layout="gender", sex="1"),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_junk_values_never_crash_and_never_invent_rows(data: st.DataObject) -> None:
    message = _template()
    texts: set[str] = set()
    children = message.find("Children")
    assert children is not None
    for element in children.iter():  # junk in the Header's Collection is rightly refused as another collection
        if len(element) == 0 and element.text is not None:
            element.text = data.draw(st.one_of(_XML_TEXT, _NEAR_MISSES, st.just(element.text)))
            texts.add(tidy(element.text))  # values are read as meant: spaces of any kind as one
    allowed = texts | {fold(t) for t in texts} | {v for t in texts if (v := parse_date(t).value)}
    with tempfile.TemporaryDirectory() as folder:
        source = write(Path(folder) / "census.xml", message)
        report = import_cin_census(str(source), Path(folder) / "out")
        elements = {tag: sum(1 for e in message.iter() if e.tag == tag) for tags in _SOURCES.values() for tag in tags}
        for table in CIN_TABLES:
            written = rows(Path(folder) / "out", table)
            assert len(written) == report.rows_written[table]
            assert len(written) <= sum(elements[tag] for tag in _SOURCES[table]), table
            for row in written:
                for column, value in row.items():
                    if not value or column.endswith("_id") or TABLES[table].column(column).type == "bool":
                        continue
                    if column == "cinf_assessment_factors_json":
                        continue
                    assert value in allowed, (table, column, value)
        for kind, table in _ONE_TO_ONE.items():
            assert report.rows_read[kind] - report.rows_skipped[kind] == report.rows_written[table], kind
        people = {r["pers_person_id"] for r in rows(Path(folder) / "out", "ssd_person")}
        assert people <= texts
