"""Property: whatever the input, every row is either loaded or reported as rejected, never both, never neither.

Rows are built from hand-labelled value pools (each value says whether it is usable), so the expected outcome of
every row is known without re-implementing the loader's parsing in the test.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casewatch.data import load_case_data

# (text, usable as a required value)
IDS = [("V1", True), ("V2", True), ("V3", True), (" V1 ", True), ("", False), ("SSD_PH", False), ("#N/A", False)]
PEOPLE = [("P1", True), ("P2", True), ("", False), ("NULL", False), ("  ", False)]
DATES = [
    ("2024-01-02", True),
    ("02/01/2024", True),
    ("2024-01-02 10:11:12", True),
    ("2024-01-02T10:11:12", True),
    ("1949-05-05", True),  # loads, with a warning
    ("2031-01-01", True),  # loads, with a warning
    ("1900-01-01", False),
    ("", False),
    ("31/02/2024", False),
    ("2024-02-30", False),
    ("soon", False),
]
FLAGS = ["Y", "N", "yes", "0", "", "NA", "maybe"]  # an optional column: never rejects a row

row_strategy = st.tuples(st.sampled_from(IDS), st.sampled_from(PEOPLE), st.sampled_from(DATES), st.sampled_from(FLAGS))


def _expected_rejections(rows: list[tuple[tuple[str, bool], tuple[str, bool], tuple[str, bool], str]]) -> set[int]:
    """Line numbers (header = 1) of the rows that must be rejected."""
    rejected: set[int] = set()
    seen_keys: set[str] = set()
    for n, ((vid, id_ok), (_, person_ok), (_, date_ok), _) in enumerate(rows, start=2):
        if not (id_ok and person_ok and date_ok) or vid.strip() in seen_keys:
            rejected.add(n)
        else:
            seen_keys.add(vid.strip())
    return rejected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row_strategy, max_size=25))
def test_every_row_is_loaded_or_reported(
    rows: list[tuple[tuple[str, bool], tuple[str, bool], tuple[str, bool], str]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with (folder / "ssd_cp_visits.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["cppv_cp_visit_id", "cppv_person_id", "cppv_cp_visit_date", "cppv_cp_visit_seen"])
            writer.writerows([(vid, person, when, flag) for (vid, _), (person, _), (when, _), flag in rows])
        data = load_case_data(folder, as_at=date(2025, 1, 1))
        try:
            summary = data.report.summaries["ssd_cp_visits"]
            loaded = data.con.execute("SELECT count(*) FROM ssd_cp_visits").fetchone()
            error_rows = {i.row for i in data.report.iter_issues() if i.severity == "error"}
            expected = _expected_rejections(rows)

            assert summary.rows_read == len(rows)
            assert summary.rows_read == summary.rows_loaded + summary.rows_rejected
            assert loaded == (summary.rows_loaded,)
            assert summary.rows_rejected == len(error_rows)
            assert error_rows == expected
            assert data.report.all_loaded == (not expected)
        finally:
            data.con.close()
