"""`casewatch data check --standards PACK`: which standards the data can evaluate, before evaluating."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from casewatch.cli import EXAMPLE_COUNCIL, cli
from casewatch.data.load import load_case_data
from casewatch.engine.readiness import readiness
from casewatch.standards.loader import load_pack


def _council_without(tmp_path: Path, *tables: str) -> Path:
    folder = tmp_path / "council"
    shutil.copytree(EXAMPLE_COUNCIL, folder)
    for table in tables:
        (folder / f"{table}.csv").unlink()
    return folder


def test_a_missing_table_is_named_for_the_standards_that_need_it(tmp_path: Path) -> None:
    folder = _council_without(tmp_path, "ext_core_groups")
    data = load_case_data(folder, as_at=None)
    found = {r.standard.id: r for r in readiness(load_pack("england").standards.values(), data.con)}
    assert not found["england.first-core-group"].can_evaluate
    assert "ext_core_groups" in (found["england.first-core-group"].gap or "")
    assert found["england.icpc-timescale"].can_evaluate


def test_the_command_lists_each_standard(tmp_path: Path) -> None:
    folder = _council_without(tmp_path, "ext_core_groups")
    result = CliRunner().invoke(cli, ["data", "check", str(folder), "--standards", "england", "--limit", "0"])
    assert "Cannot evaluate england.first-core-group: missing data: no ext_core_groups table" in result.output
    assert "can be evaluated" in result.output
    unknown = CliRunner().invoke(cli, ["data", "check", str(folder), "--standards", "nowhere"])
    assert unknown.exit_code == 2 and "there is no pack 'nowhere'" in unknown.output
