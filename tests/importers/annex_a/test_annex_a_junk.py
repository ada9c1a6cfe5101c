"""Junk in any cell costs at most that value or its row: never a crash, never a row that was not in the input."""

from __future__ import annotations

import csv
import tempfile
from datetime import date, datetime, time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from casewatch.formats.annex_a import BY_NUMBER
from casewatch.importers.annex_a import import_annex_a
from casewatch.importers.annex_a.values import parse

_ILLEGAL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"}
junk = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(exclude_characters=list(_ILLEGAL), exclude_categories=["Cs"]), max_size=30),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.times(),
    st.sampled_from(["#N/A", "a) Yes", "31/02/2026", "01/01/2026", "46000", "\u00a0", "=A1", "a) ", "C1"]),
)
LISTS = (1, 3, 5, 7, 8, 9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    number=st.sampled_from(LISTS),
    rows=st.lists(st.lists(junk, min_size=0, max_size=40), min_size=1, max_size=6),
)
def test_junk_never_crashes_and_never_invents_rows(number: int, rows: list[list[object]]) -> None:
    annex = BY_NUMBER[number]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = f"List {number}"
        sheet.append([f"List {number}: {annex.title}"])
        sheet.append([f.heading for f in annex.fields])
        for row in rows:
            sheet.append([_storable(v) for v in row])
        book.save(folder / "junk.xlsx")
        report = import_annex_a(str(folder / "junk.xlsx"), folder / "out")
        label = f"List {number}"
        stored = load_workbook(folder / "junk.xlsx", read_only=True)[f"List {number}"]
        ids = {parse(r[0], "id").value for r in stored.iter_rows(min_row=3, max_col=1, values_only=True)}
        assert report.rows_read[label] <= len(rows)
        assert report.rows_skipped[label] <= report.rows_read[label]
        people = folder / "out" / "ssd_person.csv"
        if people.exists():
            with people.open(newline="", encoding="utf-8") as handle:
                written = [r["pers_person_id"] for r in csv.DictReader(handle)]
            assert len(written) <= report.rows_read[label] - report.rows_skipped[label]
            assert set(written) <= ids
        for p in report.problems:
            assert p.severity in ("error", "warning")
            assert p.row is None or 1 <= p.row <= len(rows) + 2


def _storable(value: object) -> object:
    """Excel cannot hold a time with a timezone or a text starting with '=' as text; keep the junk storable."""
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    return value
