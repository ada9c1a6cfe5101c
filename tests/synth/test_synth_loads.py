"""casewatch's own loader accepts a synthetic council without a single error, orphan or impossible order."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from synth_checks import AS_AT

from casewatch.cli import cli
from casewatch.data.contract import TABLES as CONTRACT
from casewatch.data.load import load_case_data
from casewatch.synth import NOT_GENERATED, TABLES, SynthSummary, generate_council


def test_csv_council_loads_cleanly(small_council: SynthSummary) -> None:
    data = load_case_data(small_council.out_dir, as_at=AS_AT)
    issues = list(data.report.iter_issues())
    assert issues == []
    assert data.report.total_rejected == 0
    for table in TABLES:
        assert data.tables[table] == small_council.rows[table], table


def test_parquet_council_loads_cleanly(tmp_path: Path) -> None:
    summary = generate_council(tmp_path, population=1_500, seed=8, fmt="parquet", as_at=AS_AT)
    data = load_case_data(tmp_path, as_at=AS_AT)
    assert list(data.report.iter_issues()) == []
    assert data.tables["ssd_cp_visits"] == summary.rows["ssd_cp_visits"] > 0


def test_casewatch_data_check_passes(small_council: SynthSummary) -> None:
    """The command a council's analyst would run: every row loaded, exit code 0."""
    result = CliRunner().invoke(cli, ["data", "check", str(small_council.out_dir), "--as-at", AS_AT.isoformat()])
    assert result.exit_code == 0, result.output


def test_every_contract_table_is_written_or_said_not_to_be() -> None:
    """A table added to the data contract must be generated or listed, with a reason, as not generated."""
    assert set(TABLES).isdisjoint(NOT_GENERATED)
    assert set(TABLES) | set(NOT_GENERATED) == set(CONTRACT)
    assert all(reason for reason in NOT_GENERATED.values())
