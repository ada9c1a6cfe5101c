"""The exported table is what the SQL engine joins on, so its shape and values must match the scalar API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from casewatch.calendars import get_calendar

D = date.fromisoformat


def test_one_row_per_date_with_the_documented_schema() -> None:
    cal = get_calendar("england")
    table = cal.to_arrow()
    assert table.schema.names == ["cal_date", "is_working_day", "wd_ordinal", "holiday_name"]
    assert table.schema.field("cal_date").type == pa.date32()
    assert table.schema.field("is_working_day").type == pa.bool_()
    assert table.schema.field("wd_ordinal").type == pa.int32()
    assert table.schema.field("holiday_name").type == pa.string()
    assert table.num_rows == (cal.last_date - cal.first_date).days + 1
    assert table.column("cal_date")[0].as_py() == cal.first_date
    assert table.column("cal_date")[-1].as_py() == cal.last_date


def test_rows_agree_with_the_scalar_api() -> None:
    cal = get_calendar("england")
    rows = {row["cal_date"]: row for row in cal.to_arrow().to_pylist()}
    for day in (D("2022-09-19"), D("2022-09-20"), D("2024-03-23"), D("2024-03-29"), D("2045-12-29")):
        assert rows[day]["is_working_day"] == cal.is_working_day(day)
        assert rows[day]["wd_ordinal"] == cal.ordinal(day)
    assert rows[D("2022-09-19")]["holiday_name"] == "State Funeral of Queen Elizabeth II"
    assert rows[D("2022-09-20")]["holiday_name"] is None
    assert rows[D("2024-03-23")]["holiday_name"] is None


def test_ordinal_rises_by_one_on_each_working_day_only() -> None:
    table = get_calendar("scotland").to_arrow()
    ordinal = table.column("wd_ordinal").to_numpy()
    working = table.column("is_working_day").to_numpy(zero_copy_only=False)
    steps = ordinal[1:] - ordinal[:-1]
    assert (steps == working[1:]).all()
    assert ordinal[-1] == pc.sum(table.column("is_working_day").cast(pa.int32())).as_py()


def test_schema_metadata_says_which_calendar(write_file: Callable[[str, str], Path]) -> None:
    path = write_file("closures.csv", "date,name\n2026-12-29,Closed\n")
    table = get_calendar("england", path).to_arrow()
    metadata = table.schema.metadata
    assert metadata[b"calendar_id"] == b"england+closures"
    assert str(path.resolve()).encode() in metadata[b"description"]
    row = table.filter(pc.equal(table.column("cal_date"), pa.scalar(D("2026-12-29"), pa.date32())))
    assert row.column("is_working_day").to_pylist() == [False]
    assert row.column("holiday_name").to_pylist() == ["Closed"]
