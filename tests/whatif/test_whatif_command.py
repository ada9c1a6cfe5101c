"""`casewatch whatif` on the shipped example council: the 4-weeks-instead-of-6 question, and a mistake."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.csv as pacsv

from casewatch.api import EXAMPLE_COUNCIL

CASEWATCH = Path(sys.executable).parent / "casewatch"
FOUR_WEEKS = ("--set", "cla-visits:phases.1.interval=4 weeks", "--set", "cla-visits:phases.3.interval=4 weeks")


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [str(CASEWATCH), "whatif", "--standards", "england", "--data", str(EXAMPLE_COUNCIL), "--as-at"]
    return subprocess.run([*command, "2026-10-30", *map(str, args)], capture_output=True, text=True, check=False)


def test_visiting_every_4_weeks_lowers_compliance_and_writes_the_comparison(tmp_path: Path) -> None:
    done = run(*FOUR_WEEKS, "--out", tmp_path / "whatif.csv")
    assert done.returncode == 0, done.stderr
    assert "england.cla-visits" in done.stdout and "met → met late:" in done.stdout
    (row,) = pacsv.read_csv(tmp_path / "whatif.csv").to_pylist()
    assert row["standard_id"] == "england.cla-visits"
    assert row["compliance_after"] < row["compliance_before"]
    assert row["changed_status"] > 0


def test_a_wrong_field_is_one_sentence_and_exit_1() -> None:
    done = run("--set", "cla-visits:intervall=4 weeks")
    assert done.returncode == 1
    assert "Error: 'cla-visits' has no field 'intervall'" in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr


def test_a_reading_is_chosen_as_for_evaluate_and_a_wrong_one_is_one_sentence() -> None:
    done = run(*FOUR_WEEKS, "--reading", "cla-visits:history-basis=first-event")
    assert done.returncode == 1
    assert "Error: the standard 'england.cla-visits' has no interpretation 'history-basis'" in " ".join(
        done.stderr.split()
    )
    assert "Traceback" not in done.stderr
