"""``extract_years``: the council written as an SSD extract keeping N years of a longer history would hold it.

The cut council must be the full council's rows that pass the SSD's keep rule, table by table, and nothing
else. The rule is re-implemented here plainly, over the full council's CSV text (ISO dates compare as text),
so the generator's Arrow implementation is checked against something that shares no code with it.
"""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner
from synth_checks import AS_AT

from casewatch.cli.synth import synth
from casewatch.data.contract import TABLES as CONTRACT
from casewatch.data.load import load_case_data
from casewatch.standards.sources import load_sources
from casewatch.synth import TABLES, SynthError, generate_council

YEARS, EXTRACT_YEARS = 8, 3
START = "2023-10-30"  # AS_AT (2026-10-30) less three calendar years
Row = dict[str, str]


def _read(folder: Path, table: str) -> list[Row]:
    with (folder / f"{table}.csv").open(newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def councils(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same council (three random streams) written whole and cut to its last three years."""
    base = tmp_path_factory.mktemp("extract")
    council = partial(generate_council, population=1_500, years=YEARS, seed=7, as_at=AS_AT, batch_size=500)
    council(base / "full")
    council(base / "cut", extract_years=EXTRACT_YEARS)
    return base / "full", base / "cut"


def _history_tables() -> dict[str, tuple[set[str], set[str]]]:
    """Tables read as events or episodes (never as entities): their own dates, and their episode ends."""
    own: dict[str, tuple[set[str], set[str]]] = {}
    entities = {s.table for s in load_sources().values() if s.kind == "entity"}
    for s in load_sources().values():
        if s.kind == "entity" or s.table in entities:
            continue
        dates, ends = own.setdefault(s.table, (set(), set()))
        dates.update(c for c in (s.date, s.start, s.end) if c)
        if s.kind == "episode" and s.end:
            ends.add(s.end)
    return own


def _kept(row: Row, table: str, dates: set[str], ends: set[str]) -> bool:
    """The SSD's keep rule on one row, dates as ISO text."""
    if any(row[c] >= START for c in dates if row[c]) or any(not row[c] for c in ends):
        return True
    others = [
        c.name
        for c in CONTRACT[table].columns
        if c.type in ("date", "datetime") and not c.may_predate_1950 and c.name not in dates
    ]
    return all(not row[c] for c in dates) and any(row[c] >= START for c in others if row[c])


def _expected(full: Path) -> dict[str, list[Row]]:
    """Every table of the cut council, derived from the full council's files."""
    history = _history_tables()
    out: dict[str, list[Row]] = {}
    for table, (dates, ends) in history.items():
        out[table] = [r for r in _read(full, table) if _kept(r, table, dates, ends)]
    children = {
        r[fk.column]
        for table in history
        for fk in CONTRACT[table].foreign_keys
        if fk.ref_table == "ssd_person"
        for r in out[table]
    }
    out["ssd_person"] = [r for r in _read(full, "ssd_person") if r["pers_person_id"] in children]
    for table in TABLES:
        if table in out:
            continue
        rows = _read(full, table)
        for fk in CONTRACT[table].foreign_keys:
            if fk.ref_table in history or fk.ref_table == "ssd_person":
                known = {r[fk.ref_column] for r in out[fk.ref_table]}
                rows = [r for r in rows if not r[fk.column] or r[fk.column] in known]
        out[table] = rows
    return out


def test_the_cut_is_the_full_council_under_the_keep_rule(councils: tuple[Path, Path]) -> None:
    full, cut = councils
    expected = _expected(full)
    for table in TABLES:
        assert _read(cut, table) == expected[table], table


def test_the_cut_drops_history_and_keeps_what_has_no_history(councils: tuple[Path, Path]) -> None:
    """Not a vacuous cut: events and children from before the window go; teams and staff stay whole."""
    full, cut = councils
    for table in ("ssd_contacts", "ssd_cin_episodes", "ssd_cp_visits", "ssd_cla_episodes", "ext_casenotes"):
        assert 0 < len(_read(cut, table)) < len(_read(full, table)), table
    assert len(_read(cut, "ssd_person")) < len(_read(full, "ssd_person"))
    for table in ("ssd_department", "ssd_professionals", "ext_worker_profile"):
        assert _read(cut, table) == _read(full, table), table


def test_no_row_dated_before_the_window_but_open_episodes(councils: tuple[Path, Path]) -> None:
    _, cut = councils
    for table, (dates, ends) in _history_tables().items():
        for row in _read(cut, table):
            own = [row[c] for c in dates if row[c]]
            if own and max(own) < START:
                assert ends and any(not row[c] for c in ends), (table, row)


def test_open_episodes_from_before_the_window_come_whole(councils: tuple[Path, Path]) -> None:
    full, cut = councils
    people = {r["pers_person_id"] for r in _read(cut, "ssd_person")}
    seen = 0
    for source in load_sources().values():
        if source.kind != "episode" or source.table.startswith("ext_worker") or source.start is None:
            continue
        child = source.subjects.get("child")
        kept = _read(cut, source.table)
        for row in _read(full, source.table):
            if source.end and not row[source.end] and row[source.start] < START:
                assert row in kept, (source.table, row)
                assert child is None or row[child] in people
                seen += 1
    assert seen > 10


def test_every_child_named_has_a_person_row_and_no_other(councils: tuple[Path, Path]) -> None:
    _, cut = councils
    people = {r["pers_person_id"] for r in _read(cut, "ssd_person")}
    named = {
        row[fk.column]
        for table in _history_tables()
        for fk in CONTRACT[table].foreign_keys
        if fk.ref_table == "ssd_person"
        for row in _read(cut, table)
        if row[fk.column]
    }
    assert people == named


def test_the_cut_council_loads_with_only_the_orphans_an_extract_has(councils: tuple[Path, Path]) -> None:
    """An open plan whose conference fell before the window names a conference the extract no longer holds."""
    _, cut = councils
    data = load_case_data(cut, as_at=AS_AT)
    assert data.report.total_rejected == 0
    assert {(i.code, i.severity) for i in data.report.iter_issues()} <= {("orphan", "warning")}


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_arguments_same_bytes_and_chunk_size_changes_nothing(tmp_path: Path) -> None:
    council = partial(generate_council, population=700, years=4, extract_years=2, seed=3, batch_size=200)
    council(tmp_path / "a", chunk_size=200)
    council(tmp_path / "b", chunk_size=200)
    council(tmp_path / "c", chunk_size=100_000)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b") == _digest(tmp_path / "c")


def test_parquet_holds_the_same_rows(tmp_path: Path) -> None:
    council = partial(generate_council, population=600, years=3, extract_years=1, seed=4)
    as_csv = council(tmp_path / "csv")
    as_parquet = council(tmp_path / "parquet", fmt="parquet")
    assert as_csv.rows == as_parquet.rows
    assert as_csv.extract_years == 1


def test_window_start_counts_calendar_years() -> None:
    from casewatch.synth.history_cut import window_start

    assert window_start(date(2026, 10, 30), 6) == date(2020, 10, 30)
    assert window_start(date(2024, 2, 29), 1) == date(2023, 2, 28)


@pytest.mark.parametrize("extract_years", [0, -1, 4])
def test_extract_years_outside_the_history_is_refused(tmp_path: Path, extract_years: int) -> None:
    with pytest.raises(SynthError, match=r"^The extract's years must be between 1 and the 3 years"):
        generate_council(tmp_path, population=300, years=3, extract_years=extract_years)


def test_the_command_writes_an_extract(tmp_path: Path) -> None:
    out = tmp_path / "council"
    args = ["--population", "500", "--years", "3", "--extract-years", "1", "--seed", "2", "--out", str(out)]
    result = CliRunner().invoke(synth, args)
    assert result.exit_code == 0, result.output
    assert "--extract-years 1" in result.output
    assert min(r["cont_contact_date"] for r in _read(out, "ssd_contacts")) >= "2025-10-30"


def test_the_command_refuses_more_extract_years_than_history(tmp_path: Path) -> None:
    result = CliRunner().invoke(synth, ["--years", "2", "--extract-years", "3", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert result.output.strip().splitlines()[-1] == (
        "Error: The extract's years must be between 1 and the 2 years of history simulated, not 3."
    )
