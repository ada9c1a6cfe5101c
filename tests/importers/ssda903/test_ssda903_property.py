"""Random junk in 903 files never crashes the importer, never invents a row, and every row is accounted for."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ssda903_helpers import EPISODE_COLUMNS, REVIEW_COLUMNS, read_table, write_csv

from casewatch.data.vocabulary import excel_error, is_empty, tidy
from casewatch.importers.ssda903 import import_ssda903
from casewatch.importers.ssda903.records import parse_date

junk = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=12)
dates = st.sampled_from(["01/04/2024", "15/05/2024", "01/06/2024", "30/06/24", "2024-07-01", "31/02/2024", ""])
VALID = {
    "CHILD": st.sampled_from(["1", "2", " 3 ", "NULL", ""]),
    "DECOM": dates,
    "DEC": dates,
    "REVIEW": dates,
    "RNE": st.sampled_from(["S", "P", "L", "T", "U", "B", "s", ""]),
    "REC": st.sampled_from(["X1", "E4A", "E11", ""]),
    "LS": st.sampled_from(["C1", "C2", "V2", ""]),
    "PLACE": st.sampled_from(["U1", "K2", "A5", ""]),
}


def _cell(column: str) -> st.SearchStrategy[str]:
    return st.one_of(VALID.get(column, junk), junk) if column in VALID else junk


def _rows(columns: list[str]) -> st.SearchStrategy[list[list[str]]]:
    return st.lists(st.tuples(*(_cell(c) for c in columns)).map(list), max_size=12)


def _child(text: str) -> str | None:
    value = tidy(text)
    return None if excel_error(value) or is_empty(value, exports=True, typed=True) else value


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(episodes=_rows(EPISODE_COLUMNS), reviews=_rows(REVIEW_COLUMNS))
def test_junk_never_crashes_and_never_invents_rows(episodes: list[list[str]], reviews: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "src", Path(tmp) / "out"
        source.mkdir()
        write_csv(source / "episodes.csv", EPISODE_COLUMNS, episodes)
        write_csv(source / "reviews.csv", REVIEW_COLUMNS, reviews)
        report = import_ssda903(str(source), out)

        def key(row: list[str], child: int, day: int) -> tuple[str | None, str | None]:
            parsed = parse_date(row[day]) if row[day].strip() else None
            return _child(row[child]), parsed.isoformat() if parsed else None

        episode_keys = {key(r, 0, 1) for r in episodes}
        written = read_table(out, "ssd_cla_episodes")
        assert {(e["clae_person_id"], e["clae_cla_episode_start_date"]) for e in written} <= episode_keys
        review_keys = {key(r, 0, 2) for r in reviews}
        reviews_written = read_table(out, "ssd_cla_reviews")
        assert {(r["clar_cla_person_id"], r["clar_cla_review_date"]) for r in reviews_written} <= review_keys
        people = {p["pers_person_id"] for p in read_table(out, "ssd_person")}
        assert people <= {_child(r[0]) for r in episodes + reviews}
        # every non-blank input row is either written or counted as skipped
        for name, rows, count in (
            ("episodes.csv", episodes, len(written)),
            ("reviews.csv", reviews, len(reviews_written)),
        ):
            read = sum(1 for r in rows if any(c.strip() for c in r))
            assert report.rows_read[name] == read
            assert count + report.rows_skipped[name] == read
