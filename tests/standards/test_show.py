"""``casewatch standards show`` tells a reader where a standard's words come from and how they were read."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from casewatch.cli.show import show_lines
from casewatch.cli.standards import standards
from casewatch.standards.loader import load_pack
from casewatch.standards.show import standard_view

VERSIONED = Path(__file__).parent.parent / "packs" / "timescale-change"


def show(pack: str, standard: str) -> str:
    result = CliRunner().invoke(standards, ["show", pack, standard], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_show_prints_every_version_with_its_dates_timescale_and_own_source() -> None:
    output = show(str(VERSIONED), "assessment-timescale")
    assert "Version 1, from 2013-04-15 to 2025-03-31: within 45 working days of the referral" in output
    assert "Version 2, from 2025-04-01 (open-ended): within 35 working days of the referral" in output
    assert output.index("Version 1, from") < output.index("Version 2, from")
    assert "an instance uses the version in force at its anchor date" in output
    version_2 = output[output.index("Version 2, from") :]
    assert (
        "Version 2 source: Test practice standards (fictitious, for casewatch's tests), Standard 1 (from 1 April 2025)"
        in version_2
    )
    assert "“From 1 April 2025, assessments are completed … within 35 working days of the referral.”" in version_2


def test_show_prints_the_source_edition_check_proxy_and_what_is_not_encoded() -> None:
    output = show("england", "cla-visits")
    assert "Source: The Care Planning, Placement and Case Review (England) Regulations 2010, Regulation 28(2)" in output
    assert "Edition: As made, 24 March 2010" in output
    assert "Published: https://www.legislation.gov.uk/uksi/2010/959" in output
    assert "Checked: unverified (from the document, but not checked against its text here)" in output
    proxy, not_encoded, notes = output.index("Proxy:"), output.index("Not encoded:"), output.index("Notes:")
    assert proxy < not_encoded < notes
    assert "placement type must be one of the SSDA903 long-term fostering codes" in output[proxy:not_encoded]
    assert "Short breaks (regulation 48)" in output[not_encoded:notes]
    assert "Only visits at which the child was seen count." in output[notes:]
    assert "Checked: secondary" in show("england", "icpc-timescale")
    assert "Checked: verbatim (found word for word" in show("derby", "allocated-worker")


def test_the_documents_own_brackets_are_printed_not_taken_for_markup() -> None:
    assert "reviewer comment [AM5]" in show("st-helena", "contact-decision-24-hours")


def test_show_marks_the_reading_in_force_and_what_each_reading_changes() -> None:
    output = show("dudley", "assessment-timescale")
    assert "Interpretation days:" in output
    assert "the standard's own rule → within 45 working days of the referral" in output
    assert "set within: 45 calendar days → within 45 calendar days of the referral" in output
    assert "switch with --reading assessment-timescale:days=READING" in output
    standard = load_pack("dudley").get("assessment-timescale")
    (interpretation,) = standard_view(standard).interpretations
    assert [(r.name, r.default, r.chosen) for r in interpretation.readings] == [
        ("working-days", True, True),
        ("calendar-days", False, False),
    ]
    switched = standard.with_reading("days", "calendar-days")
    (interpretation,) = standard_view(switched).interpretations
    assert [(r.name, r.chosen) for r in interpretation.readings] == [("working-days", False), ("calendar-days", True)]
    # the default reading still reads as the file's rule, whichever reading is in force
    assert interpretation.readings[0].timescale == "within 45 working days of the referral"
    text = " ".join(" ".join(show_lines(switched)).split())
    assert "●[/green] (chosen) calendar-days" in text and "○ working-days (default)" in text
