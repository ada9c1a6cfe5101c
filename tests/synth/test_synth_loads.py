"""casewatch's own loader accepts a synthetic council without a single error, orphan or impossible order."""

from __future__ import annotations

from pathlib import Path

from synth_checks import AS_AT

from casewatch.data.load import load_case_data
from casewatch.synth import TABLES, SynthSummary, generate_council


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
