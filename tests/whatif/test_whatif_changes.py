"""A what-if change is validated like a standard file: a wrong standard, field or value is one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from casewatch.errors import StandardsError
from casewatch.standards.kinds import Series
from casewatch.standards.loader import load_pack
from casewatch.whatif import Change, changed_standards, parse_change, resolve

ENGLAND = load_pack("england")


def _changed(*options: str) -> Series:
    ((_, after),) = changed_standards(ENGLAND, [parse_change(o) for o in options]).values()
    rule = after.spec.rule
    assert isinstance(rule, Series)
    return rule


def test_a_phase_is_changed_by_its_position_counting_from_1_and_the_other_phases_are_kept() -> None:
    rule = _changed("cla-visits:phases.1.interval=4 weeks", "cla-visits:phases.3.interval=4 weeks")
    assert [str(p.interval) for p in rule.all_phases] == ["4 weeks", "3 months", "4 weeks"]
    assert str(rule.first) == "1 week" and rule.event.where == {"seen": True}


def test_a_value_is_read_as_yaml_and_null_removes_the_field() -> None:
    assert parse_change("cla-visits:phases.2.when.where.placement_type=[U1]").value == ["U1"]
    assert _changed("cla-visits:phases.2.when.where.placement_type=[U1]").all_phases[1].when.where == {  # type: ignore[union-attr]
        "placement_type": ["U1"]
    }
    assert _changed("cla-visits:first=null").first is None


def test_the_changed_standards_are_named_by_their_full_id() -> None:
    assert resolve(ENGLAND, [parse_change("cla-visits:first=2 weeks")]) == [
        Change("england.cla-visits", "first", "2 weeks")
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["cla-visit:first=2 weeks"], "the pack 'england' has no standard 'cla-visit'"),
        (
            ["cla-visits:intervall=4 weeks"],
            "'cla-visits' has no field 'intervall'; a series rule's fields are cohort, event, match, first, interval, "
            "phases, counting, history_baseline",
        ),
        (["cla-visits:phases.1.intervall=4 weeks"], "'cla-visits' has no field 'phases.1.intervall'"),
        (
            ["cla-visits:phases.1.interval=4 weks"],
            "'cla-visits' cannot take phases.1.interval='4 weks': '4 weks' has an unknown unit 'weks'",
        ),
        (
            ["cla-visits:phases.0.interval=4 weeks"],
            "'cla-visits' has no field 'phases.0.interval': '0' must be a position from 1 to 3 (the first is 1)",
        ),
        (
            ["cla-visits:interval=4 weeks"],
            "'cla-visits' has phases, each with its own interval: set phases.1.interval (now 6 weeks), "
            "phases.2.interval (now 3 months), phases.3.interval (now 6 weeks)",
        ),
        (
            ["cla-visits:event.where.seeen=true"],
            "the change to 'cla-visits' (event.where.seeen): the source 'cla_visit' has no attribute 'seeen'",
        ),
        (["cla-visits:first=1 week", "cla-visits:first=2 weeks"], "the field 'first' of 'cla-visits' is changed twice"),
        (["cla-visits:first"], "the change 'cla-visits:first' must be STANDARD:FIELD=VALUE"),
        (["first=2 weeks"], "the change 'first=2 weeks' must be STANDARD:FIELD=VALUE"),
    ],
)
def test_a_mistake_is_one_sentence_naming_the_standard_and_field(options: list[str], message: str) -> None:
    with pytest.raises(StandardsError) as raised:
        changed_standards(ENGLAND, [parse_change(o) for o in options])
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_a_standard_with_dated_versions_has_every_version_changed_and_keeps_their_dates() -> None:
    pack = load_pack(Path(__file__).resolve().parents[1] / "packs" / "timescale-change")
    ((before, after),) = changed_standards(pack, [parse_change("assessment-timescale:within=20 working days")]).values()
    assert [str(v.rule.within) for v in before.versions] == ["45 working days", "35 working days"]  # type: ignore[union-attr]
    assert [str(v.rule.within) for v in after.versions] == ["20 working days", "20 working days"]  # type: ignore[union-attr]
    assert [v.effective_from for v in after.versions] == [v.effective_from for v in before.versions]
