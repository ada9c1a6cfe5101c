"""`casewatch qa sample`: the sample and its rule printed, written and kept; a mistake is one sentence, exit 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.csv as pacsv
import pytest
from openpyxl import load_workbook
from qa_council import write_council

from casewatch import api
from casewatch.qa import store
from casewatch.web.store import open_store

CASEWATCH = Path(sys.executable).parent / "casewatch"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CASEWATCH), "qa", "sample", *map(str, args)], capture_output=True, text=True, check=False
    )


def test_the_example_council_sample_prints_its_rule_and_seed_and_draws_again_the_same() -> None:
    args = (
        "--data",
        api.EXAMPLE_COUNCIL,
        "--standards",
        "rutland",
        "--as-at",
        "2026-10-30",
        "--n",
        "2",
        "--seed",
        "11",
    )
    first, again = run(*args, "--stage", "CP=1"), run(*args, "--stage", "CP=1")
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout
    assert "Rule: 2 at random per team, including at least 1 child on a child protection plan, from" in first.stdout
    assert "seed 11 (give --seed 11 to draw the same sample again)" in first.stdout
    assert "No --store given" in first.stderr


def test_the_sample_is_written_with_its_rule_and_auditors(tmp_path: Path) -> None:
    data = write_council(tmp_path / "council")
    base = ("--data", data, "--standards", "rutland", "--as-at", "2026-10-30", "--per", "council", "--n", "7")
    book = tmp_path / "sample.xlsx"
    done = run(*base, "--seed", "3", "--auditor", "A1", "--auditor", "A2", "--out", book)
    assert done.returncode == 0, done.stderr
    sheets = load_workbook(book, read_only=True)
    sample = list(sheets["Sample"].values)
    assert sample[0] == (
        "person_id",
        "group",
        "stage",
        "worker_id",
        "team_id",
        "manager_id",
        "held_on",
        "reason",
        "auditor",
    )
    assert {row[0] for row in sample[1:]} == {"C1", "C2", "C3", "C4", "C5", "C6", "C9"}
    assert all(row[8] == "A1" for row in sample[1:] if row[4] == "T2")  # A2 is in T2
    rule = dict(list(sheets["Rule"].values)[1:])
    assert rule["seed"] == "3"
    assert rule["rule"].startswith("7 at random across the council from children with an open case")
    csv = tmp_path / "sample.csv"
    assert run(*base, "--seed", "3", "--out", csv).returncode == 0
    assert pacsv.read_csv(csv).column("person_id").to_pylist() == [row[0] for row in sample[1:]]


def test_a_kept_sample_is_left_out_of_the_next_draw(tmp_path: Path) -> None:
    data = write_council(tmp_path / "council")
    kept = tmp_path / "store.sqlite"
    base = ("--data", data, "--standards", "rutland", "--as-at", "2026-10-30", "--per", "council", "--n", "4")
    first = run(*base, "--store", kept, "--programme", "October", "--due", "2026-11-30", "--seed", "1")
    assert first.returncode == 0, first.stderr
    assert "Kept as programme 'October', sample 1, in the store." in first.stdout
    second = run(*base, "--store", kept, "--programme", "November", "--due", "2026-12-31", "--seed", "1")
    assert second.returncode == 0, second.stderr
    assert "Left out: 4 children audited in the last 12 months." in second.stdout
    assert "Shortfall: the council: 3 of the 4 children wanted (only 3 eligible)." in second.stdout
    twice = run(*base, "--store", kept, "--programme", "October", "--due", "2026-11-30")
    assert twice.returncode == 1 and "Rule:" not in twice.stdout  # refused before anything is drawn
    assert "there is already an audit programme called 'October'" in twice.stderr
    engine = open_store(f"sqlite:///{kept}")
    drawn = [set(m.person_id for m in store.load_sample(engine, i).sample.members) for i in (1, 2)]
    assert len(drawn[0]) == 4 and len(drawn[1]) == 3 and not drawn[0] & drawn[1]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--n", "2", "--stage", "LAC=2"), "Error: 'LAC' is not a service stage; use one of CLA, CP, care-leaver, CIN"),
        (("--n", "2", "--theme", "overdue:cla-visitz:3m"), "Error: the pack 'rutland' has no standard 'cla-visitz'"),
        (("--n", "2", "--question", "lived-experiance"), "did you mean 'lived-experience'?"),
        (
            ("--n", "2", "--store", "s.sqlite"),
            "Error: keeping a sample in a store needs --programme NAME and --due DATE",
        ),
        ((), "Error: say how many children to draw"),
        (("--n", "2", "--out", "sample.pdf"), "cannot write '.pdf'; use .csv or .xlsx"),
        (("--n", "2", "--grade-scale", "stars"), "Error: there is no grade scale 'stars'"),
        (("--n", "2", "--exclude", "missing.txt"), "missing.txt: cannot be read"),
    ],
)
def test_a_mistake_is_one_sentence_and_exit_1(tmp_path: Path, extra: tuple[str, ...], message: str) -> None:
    data = write_council(tmp_path / "council")
    done = run("--data", data, "--standards", "rutland", "--as-at", "2026-10-30", *extra)
    assert done.returncode == 1
    assert message in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr


def test_one_kept_audit_moves_to_another_auditor_only_if_they_are_independent(tmp_path: Path) -> None:
    data = write_council(tmp_path / "council")
    kept = tmp_path / "store.sqlite"
    drawn = run(
        *("--data", data, "--standards", "rutland", "--as-at", "2026-10-30", "--per", "council", "--n", "7"),
        *("--auditor", "A1", "--auditor", "A2", "--store", kept, "--programme", "All", "--due", "2026-11-30"),
    )
    assert drawn.returncode == 0, drawn.stderr

    def move(child: str, *to: str) -> subprocess.CompletedProcess[str]:
        args = ("qa", "reallocate", "--store", kept, "--sample", "1", "--child", child, "--data", data)
        return subprocess.run(
            [str(CASEWATCH), *map(str, (*args, *to, "--reason", "auditor on leave"))],
            capture_output=True,
            text=True,
            check=False,
        )

    refused = move("C5", "--to", "A2")
    assert refused.returncode == 1
    assert "A2 cannot audit C5: they work in team T2, the child's team, and this audit is across teams." in (
        " ".join(refused.stderr.split())
    )
    engine = open_store(f"sqlite:///{kept}")
    before = store.load_allocation(engine, 1).auditor_of("C1")
    other = {"A1": "A2", "A2": "A1"}[before or ""]
    moved = move("C1", "--to", other)
    assert moved.returncode == 0, moved.stderr
    assert f"The audit of C1 moved from {before} to {other}: auditor on leave." in moved.stdout
    assert store.load_allocation(engine, 1).auditor_of("C1") == other
