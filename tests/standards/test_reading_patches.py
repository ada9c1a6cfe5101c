"""A reading is written as the values it changes; the loader patches the standard's rule and checks the result."""

from __future__ import annotations

from pathlib import Path

from casewatch.standards.kinds import Deadline
from casewatch.standards.loader import HISTORY_BASELINE, available_packs, load_pack, patch_rule
from standards.test_loader_errors import GOOD, error_for, write_pack

READINGS = """\
interpretations:
  - id: days-unit
    question: The document says "10 days" without saying whether weekends count.
    default: working-days
    readings:
      working-days:
        note: The statutory unit.
      calendar-days:
        note: Ten calendar days, the literal words.
        set: {patch}
"""


def _rule(folder: Path, reading: str) -> Deadline:
    chosen = load_pack(folder, readings={"first-core-group:days-unit": reading}).get("first-core-group")
    rule = chosen.versions[0].rule
    assert isinstance(rule, Deadline)
    return rule


def test_a_patch_changes_only_the_values_it_names(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, GOOD + READINGS.format(patch="{within: 10 calendar days}"))
    patched, default = _rule(folder, "calendar-days"), _rule(folder, "working-days")
    assert str(patched.within) == "10 calendar days" and str(default.within) == "10 working days"
    assert patched.anchor == default.anchor and patched.target == default.target


def test_a_nested_patch_merges_and_null_removes_a_key(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, GOOD + READINGS.format(patch="{anchor: {where: null}, target: {source: icpc}}"))
    patched = _rule(folder, "calendar-days")
    assert patched.anchor.source == "icpc" and patched.anchor.where == {}
    assert patched.target.source == "icpc" and str(patched.within) == "10 working days"
    assert patch_rule({"a": {"b": 1, "c": 2}, "d": [1]}, {"a": {"c": None}, "d": [2]}) == {"a": {"b": 1}, "d": [2]}


def test_a_patch_is_validated_as_strictly_as_a_rule(tmp_path: Path) -> None:
    message = error_for(tmp_path, GOOD + READINGS.format(patch="{withn: 10 calendar days}"))
    assert "first-core-group.yaml, line 24" in message and "reading 'calendar-days'" in message
    assert "unknown key 'withn'" in message
    message = error_for(tmp_path, GOOD + READINGS.format(patch="\n          within: 10 days"))
    assert "line 25" in message and "working days" in message
    message = error_for(tmp_path, GOOD + READINGS.format(patch="{target: {source: core_groop}}"))
    assert "line 24" in message and "unknown source 'core_groop'" in message
    message = error_for(tmp_path, GOOD + READINGS.format(patch="{within: null}"))
    assert "line 24" in message and "'within' is required" in message


def test_a_reading_gives_a_patch_or_a_whole_rule_not_both(tmp_path: Path) -> None:
    both = READINGS.format(patch="{within: 10 calendar days}") + (
        "        rule: {kind: deadline, anchor: {source: icpc}, target: {source: core_group}, within: 1 week}\n"
    )
    assert "either 'set'" in error_for(tmp_path, GOOD + both)
    assert "'set' is empty" in error_for(tmp_path, GOOD + READINGS.format(patch="{}"))
    default_patched = READINGS.format(patch="{within: 10 calendar days}").replace(
        "default: working-days", "default: calendar-days"
    )
    assert "must not have a rule or 'set'" in error_for(tmp_path, GOOD + default_patched)


def test_a_reading_that_changes_the_kind_keeps_the_whole_rule_form(tmp_path: Path) -> None:
    whole = READINGS.replace(
        "        set: {patch}\n",
        "        rule:\n          kind: lead_time\n          event: {source: core_group}\n"
        "          before: {source: icpc}\n          by: 1 working day\n",
    )
    chosen = load_pack(write_pack(tmp_path, GOOD + whole), readings={"first-core-group:days-unit": "calendar-days"})
    assert chosen.get("first-core-group").versions[0].rule.kind == "lead_time"


def test_no_shipped_reading_restates_a_rule() -> None:
    """Every shipped reading changes a value or two of its rule, so each is written as a patch."""
    restated = [
        f"{standard.id}:{interpretation.id}={name}"
        for pack in available_packs()
        for standard in load_pack(pack).own.values()
        for interpretation in standard.spec.interpretations
        for name, reading in interpretation.readings.items()
        if reading.rule is not None and reading.patch is None
    ]
    patched = sum(
        1
        for pack in available_packs()
        for standard in load_pack(pack).own.values()
        for interpretation in standard.spec.interpretations
        for reading in interpretation.readings.values()
        if reading.patch is not None and interpretation.id != HISTORY_BASELINE.id  # the loader's own, not a pack's
    )
    assert restated == [] and patched == 41
