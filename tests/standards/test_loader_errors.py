"""A malformed standard is one located sentence (file and line), never a traceback or a silent skip."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from casewatch.errors import StandardsError
from casewatch.standards.loader import load_pack

PACK = """\
id: testpack
title: Test pack
jurisdiction: england
calendar: england
documents:
  wt-2023:
    title: Working Together to Safeguard Children 2023
    edition: December 2023
    url: https://www.gov.uk/government/publications/working-together-to-safeguard-children--2
"""

GOOD = """\
id: first-core-group
title: First core group within 10 working days
type: statutory
role: Social Worker
citation: {
  document: wt-2023,
  section: Chapter 3, quote: within 10 working days of the ICPC,
  checked: secondary}
effective_from: 2018-01-01
rule:
  kind: deadline
  anchor: {source: icpc, where: {outcome_cp_plan: true}}
  target: {source: core_group}
  within: 10 working days
"""


def write_pack(root: Path, standard: str, *, name: str = "first-core-group", pack: str = PACK) -> Path:
    folder = root / "testpack"
    (folder / "child-protection").mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(pack)
    (folder / "child-protection" / f"{name}.yaml").write_text(textwrap.dedent(standard))
    return folder


def error_for(tmp_path: Path, standard: str, **kw: str) -> str:
    with pytest.raises(StandardsError) as caught:
        load_pack(write_pack(tmp_path, standard, **kw))
    return str(caught.value)


def test_a_good_standard_loads_with_its_requirements(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path, GOOD))
    standard = pack.get("first-core-group")
    assert standard.id == "testpack.first-core-group"
    assert standard.requirements["ext_core_groups"] >= {"cgrp_meeting_date", "cgrp_person_id"}
    assert standard.requirements["ssd_initial_cp_conference"] >= {"icpc_icpc_outcome_cp_flag"}


def test_misspelt_key_names_the_key_and_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, GOOD.replace("  within: 10", "  withn: 10"))
    assert "first-core-group.yaml, line 14" in message
    assert "unknown key 'withn'" in message


def test_ambiguous_days_are_refused(tmp_path: Path) -> None:
    message = error_for(tmp_path, GOOD.replace("10 working days\n", "10 days\n"))
    assert "line 14" in message and "'working days' or 'calendar days'" in message


def test_missing_citation_is_an_error(tmp_path: Path) -> None:
    text = GOOD.split("citation:")[0] + "effective_from" + GOOD.split("effective_from")[1]
    assert "'citation' is required" in error_for(tmp_path, text)


def test_citation_of_an_unknown_document(tmp_path: Path) -> None:
    message = error_for(tmp_path, GOOD.replace("document: wt-2023", "document: wt-2018"))
    assert "line 6" in message and "wt-2018" in message


def test_unknown_source_and_attribute(tmp_path: Path) -> None:
    assert "unknown source 'core_groups'" in error_for(
        tmp_path, GOOD.replace("source: core_group}", "source: core_groups}")
    )
    message = error_for(tmp_path, GOOD.replace("outcome_cp_plan", "outcome"))
    assert "line 12" in message and "no attribute 'outcome'" in message


def test_overlapping_versions_are_refused(tmp_path: Path) -> None:
    rule = "\n".join("    " + line for line in GOOD.split("rule:\n")[1].splitlines())
    versions = (
        GOOD.split("effective_from")[0]
        + "versions:\n  - version: 1\n    effective_from: 2018-01-01\n    effective_to: 2023-12-31\n    rule:\n"
        + rule.replace("    ", "      ", 1).replace("\n    ", "\n      ")
        + "\n  - version: 2\n    effective_from: 2023-06-01\n    rule:\n"
        + rule.replace("    ", "      ", 1).replace("\n    ", "\n      ")
        + "\n"
    )
    assert "versions 1 and 2 overlap" in error_for(tmp_path, versions)


def test_file_name_must_match_id(tmp_path: Path) -> None:
    assert "must match the file name" in error_for(tmp_path, GOOD, name="core-group")


def test_series_phases_need_a_catch_all(tmp_path: Path) -> None:
    series = GOOD.split("rule:")[0] + textwrap.dedent(
        """\
        rule:
          kind: series
          cohort: {source: placement}
          event: {source: cla_visit}
          phases:
            - when: {until: 1 year}
              interval: 6 weeks
        """
    )
    assert "the last phase must have no 'when'" in error_for(tmp_path, series)


def test_invalid_yaml_is_located(tmp_path: Path) -> None:
    message = error_for(tmp_path, GOOD.replace("type: statutory", "type: [statutory"))
    assert "not valid YAML" in message and "first-core-group.yaml" in message


def test_stricter_override_is_checked(tmp_path: Path) -> None:
    base = tmp_path / "testpack"
    write_pack(tmp_path, GOOD)
    council = tmp_path / "council"
    (council / "cp").mkdir(parents=True)
    (council / "pack.yaml").write_text(
        PACK.replace("id: testpack", "id: council").replace("calendar: england", "calendar: england\nextends: testpack")
    )
    override = GOOD.replace(
        "type: statutory", "type: local\noverrides: {standard: testpack.first-core-group, relation: stricter}"
    )
    (council / "cp" / "first-core-group.yaml").write_text(override.replace("10 working days\n", "5 working days\n"))
    pack = load_pack(council)
    assert {"council.first-core-group", "testpack.first-core-group"} <= set(pack.standards)
    (council / "cp" / "first-core-group.yaml").write_text(override.replace("10 working days\n", "3 weeks\n"))
    with pytest.raises(
        StandardsError, match=r"declared stricter than testpack\.first-core-group, but 3 weeks is not shorter"
    ):
        load_pack(council)
    replaces = override.replace("relation: stricter", "relation: replaces")
    (council / "cp" / "first-core-group.yaml").write_text(replaces)
    assert "testpack.first-core-group" not in load_pack(council).standards
    assert base.is_dir()
