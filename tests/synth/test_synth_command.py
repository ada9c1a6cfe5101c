"""``casewatch synth`` on the command line: files written, a summary shown, mistakes said in one sentence."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from casewatch.cli.synth import synth
from casewatch.synth import TABLES


def test_writes_every_table_and_summarises(tmp_path: Path) -> None:
    out = tmp_path / "council"
    result = CliRunner().invoke(synth, ["--population", "800", "--seed", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    said = " ".join(result.output.split())
    assert "ssd_cin_episodes" in said
    assert "No real child is in this data" in said


def test_parquet_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(synth, ["--population", "300", "--format", "parquet", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ssd_person.parquet").exists()


def test_bad_date_is_one_sentence(tmp_path: Path) -> None:
    result = CliRunner().invoke(synth, ["--as-at", "30/10/2026", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a date; write it as YYYY-MM-DD" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_timeliness_out_of_range(tmp_path: Path) -> None:
    result = CliRunner().invoke(synth, ["--timeliness", "1.5", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: Timeliness is the share of work done on time, between 0 and 1, not 1.5."
    )


def test_as_at_out_of_range(tmp_path: Path) -> None:
    result = CliRunner().invoke(synth, ["--as-at", "1999-03-31", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "as-at date must be between" in " ".join(result.output.split())


def test_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    (tmp_path / "precious.xlsx").write_text("not ours")
    result = CliRunner().invoke(synth, ["--population", "300", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "already holds other files (precious.xlsx)" in " ".join(result.output.split())
    assert (tmp_path / "precious.xlsx").read_text() == "not ours"
