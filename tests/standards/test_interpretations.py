"""Interpretations: an unclear statement keeps its readings in the open, and a council can switch between them."""

from __future__ import annotations

from pathlib import Path

import pytest

from casewatch.errors import StandardsError
from casewatch.standards.durations import Duration
from casewatch.standards.kinds import Deadline
from casewatch.standards.loader import load_pack
from casewatch.standards.readings import parse_readings
from standards.test_loader_errors import GOOD, error_for, write_pack

WITH_READINGS = (
    GOOD
    + """\
interpretations:
  - id: days-unit
    question: The document says "10 days" without saying whether weekends count.
    default: working-days
    readings:
      working-days:
        note: The statutory unit; chosen because the guidance counts working days.
      calendar-days:
        note: Ten calendar days, the literal words.
        rule:
          kind: deadline
          anchor: {source: icpc, where: {outcome_cp_plan: true}}
          target: {source: core_group}
          within: 10 calendar days
"""
)


def _within(pack_dir: Path, readings: dict[str, str] | None = None) -> Duration:
    rule = load_pack(pack_dir, readings=readings).get("first-core-group").versions[0].rule
    assert isinstance(rule, Deadline)
    return rule.within


def test_the_default_reading_is_the_standards_own_rule(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, WITH_READINGS)
    assert str(_within(folder)) == "10 working days"
    assert load_pack(folder).get("first-core-group").reading_summary == "days-unit=working-days"


def test_a_council_switches_the_reading_by_configuration(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, WITH_READINGS)
    standard = load_pack(folder, readings={"first-core-group:days-unit": "calendar-days"}).get("first-core-group")
    assert str(_within(folder, {"first-core-group:days-unit": "calendar-days"})) == "10 calendar days"
    assert standard.readings == {"days-unit": "calendar-days"}
    # choosing the default explicitly is the file's own rule
    assert str(_within(folder, {"testpack.first-core-group:days-unit": "working-days"})) == "10 working days"


@pytest.mark.parametrize(
    ("readings", "expected"),
    [
        ({"first-core-group:unit": "calendar-days"}, "has no interpretation 'unit' (it has: days-unit)"),
        ({"first-core-group:days-unit": "weeks"}, "choose one of: working-days, calendar-days"),
        ({"first-core-group": "weeks"}, "must be '<standard>:<interpretation>'"),
        ({"second-core-group:days-unit": "weeks"}, "has no standard 'second-core-group'"),
    ],
)
def test_a_mistaken_choice_is_one_sentence(tmp_path: Path, readings: dict[str, str], expected: str) -> None:
    with pytest.raises(StandardsError, match=None) as caught:
        load_pack(write_pack(tmp_path, WITH_READINGS), readings=readings)
    assert expected in str(caught.value)


def test_the_default_must_be_a_reading_without_a_rule(tmp_path: Path) -> None:
    assert "default 'weekly' is not one of the readings" in error_for(
        tmp_path, WITH_READINGS.replace("default: working-days", "default: weekly")
    )
    message = error_for(tmp_path, WITH_READINGS.replace("default: working-days", "default: calendar-days"))
    assert "must not have a rule" in message


def test_a_readings_rule_is_checked_against_the_vocabulary(tmp_path: Path) -> None:
    message = error_for(
        tmp_path,
        WITH_READINGS.replace(
            "target: {source: core_group}\n          within: 10 cal",
            "target: {source: core_groop}\n          within: 10 cal",
        ),
    )
    assert "unknown source 'core_groop'" in message and "line 27" in message


def test_an_unknown_topic_is_refused(tmp_path: Path) -> None:
    message = error_for(tmp_path, GOOD.replace("role: Social Worker\n", "role: Social Worker\ntopic: visits\n"))
    assert "unknown topic 'visits'" in message and "line 5" in message


def test_readings_from_options_and_a_file(tmp_path: Path) -> None:
    file = tmp_path / "readings.yaml"
    file.write_text("cin-visits:visit-frequency: monthly\nicpc:unit: calendar-days\n")
    readings = parse_readings(["icpc:unit=working-days"], file)
    assert readings == {"cin-visits:visit-frequency": "monthly", "icpc:unit": "working-days"}
    with pytest.raises(StandardsError, match="must be STANDARD:INTERPRETATION=READING"):
        parse_readings(["icpc:unit"])
    file.write_text("- a list\n")
    with pytest.raises(StandardsError, match="expected a mapping"):
        parse_readings([], file)
