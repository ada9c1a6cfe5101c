"""Junk extract files never crash the SSD importer and never produce a row that was not in the input."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casewatch.errors import DataError
from casewatch.importers.ssd import import_ssd

_CELL = st.one_of(
    st.sampled_from(["", "1900-01-01", "31/02/2026", "2026-01-05", "05/01/2026", "SSD_PH", "#N/A", "Y", "no", "P1"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12),
)
_HEADERS = st.lists(
    st.sampled_from(["cppl_cp_plan_id", "cppl_person_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date", "x"]),
    min_size=1,
    max_size=5,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headers=_HEADERS, rows=st.lists(st.lists(_CELL, min_size=0, max_size=6), max_size=8), raw=st.booleans())
def test_junk_never_crashes_and_never_invents_rows(headers: list[str], rows: list[list[str]], raw: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "in", Path(tmp) / "out"
        folder.mkdir()
        path = folder / "ssd_cp_plans.csv"
        if raw:  # arbitrary text, not even CSV-shaped
            path.write_text("\n".join([",".join(headers), *("|".join(r) for r in rows)]), encoding="utf-8")
        else:
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(headers)
                writer.writerows(rows)
        try:
            report = import_ssd(str(folder), out)
        except DataError as exc:
            assert "\n" not in str(exc)
            return
        read = report.rows_read.get("ssd_cp_plans.csv", 0)
        assert report.rows_written.get("ssd_cp_plans", 0) + report.rows_skipped.get("ssd_cp_plans.csv", 0) == read
        written = out / "ssd_cp_plans.csv"
        if written.exists():
            text = path.read_text(encoding="utf-8")
            with written.open(newline="", encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    assert row["cppl_cp_plan_id"] and row["cppl_cp_plan_id"] in text
