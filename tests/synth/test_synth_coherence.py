"""Every generated council is coherent: no event before birth or after the extract date, no end before its
start, visits inside the plans they were made under, recordings after the events they record."""

from __future__ import annotations

import csv
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from synth_checks import AS_AT, violations

from casewatch.data.contract import TABLES
from casewatch.synth import TABLES as WRITTEN
from casewatch.synth import SynthSummary, generate_council


def test_small_council_breaks_no_ordering(small_council: SynthSummary) -> None:
    assert violations(small_council.out_dir, AS_AT) == {}


@settings(max_examples=8, deadline=None)
@given(
    population=st.integers(min_value=100, max_value=1_500),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    years=st.integers(min_value=1, max_value=3),
    timeliness=st.floats(min_value=0.0, max_value=1.0),
    as_at=st.dates(min_value=date(2018, 1, 1), max_value=date(2035, 12, 31)),
)
def test_any_council_breaks_no_ordering(population: int, seed: int, years: int, timeliness: float, as_at: date) -> None:
    with tempfile.TemporaryDirectory() as out:
        generate_council(Path(out), population=population, seed=seed, years=years, timeliness=timeliness, as_at=as_at)
        assert violations(Path(out), as_at) == {}


def test_the_checks_can_fail(small_council: SynthSummary, tmp_path: Path) -> None:
    """Plant one visit before its plan started and one event after the extract date: both are caught."""
    for f in small_council.out_dir.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    path = tmp_path / "ssd_cp_visits.csv"
    rows = list(csv.reader(path.open(newline="")))
    header = rows[0]
    date_col = header.index("cppv_cp_visit_date")
    rows[1][date_col] = "1999-01-01"
    rows[2][date_col] = (AS_AT + timedelta(days=3)).isoformat()
    with path.open("w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    found = violations(tmp_path, AS_AT)
    assert found.get("CP visit outside its plan", 0) >= 2
    assert found.get("ssd_cp_visits.cppv_cp_visit_date after as_at") == 1


def test_every_file_has_exactly_the_contract_columns(small_council: SynthSummary) -> None:
    for name in WRITTEN:
        with (small_council.out_dir / f"{name}.csv").open(newline="") as f:
            header = next(csv.reader(f))
        assert tuple(header) == TABLES[name].column_names, name


def test_only_children_with_involvement_have_person_rows(small_council: SynthSummary) -> None:
    """3,000 children live in the council; only those the service has known appear in ssd_person."""
    with (small_council.out_dir / "ssd_person.csv").open(newline="") as f:
        people = sum(1 for _ in f) - 1
    assert 0 < people < 3_000
