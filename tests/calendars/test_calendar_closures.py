"""Council closure days: a council's own extra non-working days, kept apart from the statutory ones."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from casewatch.calendars import get_calendar
from casewatch.errors import CasewatchError

D = date.fromisoformat
WriteFile = Callable[[str, str], Path]

CHRISTMAS_2026_CSV = """date,name
2026-12-29,Council offices closed
2026-12-30,Council offices closed
2026-12-31,Council offices closed
"""


def test_closures_push_a_due_date_past_the_closure(write_file: WriteFile) -> None:
    path = write_file("closures.csv", CHRISTMAS_2026_CSV)
    cal = get_calendar("england", path)
    assert cal.add_working_days(D("2026-12-18"), 15) == D("2027-01-18")
    # The statutory calendar is unchanged.
    assert get_calendar("england").add_working_days(D("2026-12-18"), 15) == D("2027-01-13")


def test_closures_calendar_says_what_it_is(write_file: WriteFile) -> None:
    path = write_file("closures.csv", CHRISTMAS_2026_CSV)
    cal = get_calendar("england-and-wales", path)
    assert cal.id == "england+closures"
    assert str(path.resolve()) in cal.description
    assert "3 council closure days" in cal.description
    assert cal.description.startswith(get_calendar("england").description)


def test_closure_days_are_listed_with_their_names(write_file: WriteFile) -> None:
    cal = get_calendar("england", write_file("closures.csv", CHRISTMAS_2026_CSV))
    days = dict(cal.holidays_in(2026))
    assert days[D("2026-12-29")] == "Council offices closed"
    assert days[D("2026-12-28")] == "Boxing Day (observed)"
    assert len(days) == 11


def test_yaml_closures_work_the_same(write_file: WriteFile) -> None:
    path = write_file(
        "closures.yaml",
        "- {date: 2026-12-29, name: Council offices closed}\n"
        "- date: '2026-12-30'\n  name: Council offices closed\n"
        "- date: 2026-12-31\n  name: Council offices closed\n",
    )
    assert get_calendar("england", path).add_working_days(D("2026-12-18"), 15) == D("2027-01-18")


def test_a_closure_on_a_bank_holiday_or_weekend_changes_nothing(write_file: WriteFile) -> None:
    path = write_file("closures.csv", "date,name\n2026-12-25,Closed\n2026-12-26,Closed\n")
    cal = get_calendar("england", path)
    assert cal.add_working_days(D("2026-12-18"), 15) == D("2027-01-13")
    assert dict(cal.holidays_in(2026))[D("2026-12-25")] == "Christmas Day"


def test_blank_lines_comments_extra_columns_and_a_byte_order_mark_are_fine(write_file: WriteFile) -> None:
    path = write_file(
        "closures.csv",
        "\ufeff# agreed by the director\nDate,Name,Notes\n\n2026-12-29,Closed,staff rota\n# more to come\n",
    )
    assert not get_calendar("england", path).is_working_day(D("2026-12-29"))


def test_the_cache_notices_an_edited_file(write_file: WriteFile) -> None:
    path = write_file("closures.csv", "date,name\n2026-12-29,Closed\n")
    first = get_calendar("england", path)
    assert get_calendar("england", path) is first
    path.write_text("date,name\n2026-12-30,Closed\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = get_calendar("england", path)
    assert second.is_working_day(D("2026-12-29"))
    assert not second.is_working_day(D("2026-12-30"))


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "c.csv",
            "date,name\n2026-12-29,Closed\n27/12/2026,Closed\n",
            r"c\.csv, line 3, column date: '27/12/2026'",
        ),
        (
            "c.csv",
            "date,name\n2026-02-30,Closed\n",
            r"c\.csv, line 2, column date: '2026-02-30' is not a date",
        ),
        ("c.csv", "date,name\n,Closed\n", r"c\.csv, line 2, column date: nothing is not a date"),
        ("c.csv", "date,name\n2026-12-29,\n", r"c\.csv, line 2, column name: every closure day needs a name"),
        (
            "c.csv",
            "date,name\n2026-12-29,A\n2026-12-29,B\n",
            r"c\.csv, line 3: 2026-12-29 is already listed at line 2",
        ),
        (
            "c.csv",
            "date,name\n2050-12-29,Closed\n",
            r"c\.csv, line 2: 2050-12-29 is outside the england calendar",
        ),
        ("c.csv", "day,name\n2026-12-29,Closed\n", r"c\.csv, line 1: the header has no date column"),
        ("c.csv", "", r"c\.csv is empty"),
        (
            "c.yaml",
            "- {date: 2026-12-29, name: Closed}\n- 2026-12-30\n",
            r"c\.yaml, entry 2 \(line 2\): expected a mapping",
        ),
        (
            "c.yaml",
            "- {date: 2026-12-29 10:00:00, name: Closed}\n",
            r"c\.yaml, entry 1 \(line 1\), column date",
        ),
        ("c.yaml", "date: 2026-12-29\n", r"c\.yaml must be a YAML list"),
        ("c.yaml", "- [unclosed\n", r"c\.yaml is not valid YAML"),
        ("c.txt", "2026-12-29\n", r"c\.txt must be a \.csv, \.yaml or \.yml file"),
    ],
)
def test_a_bad_closures_file_names_the_file_and_row(write_file: WriteFile, name: str, text: str, message: str) -> None:
    path = write_file(name, text)
    with pytest.raises(CasewatchError, match=message):
        get_calendar("england", path)


def test_a_missing_closures_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CasewatchError, match=r"closures file .*missing\.csv cannot be read: No such file"):
        get_calendar("england", tmp_path / "missing.csv")


def test_the_closures_calendar_name_needs_a_file() -> None:
    with pytest.raises(CasewatchError, match="needs a closures file"):
        get_calendar("england+closures")


def test_the_closures_calendar_name_is_accepted_with_a_file(write_file: WriteFile) -> None:
    path = write_file("closures.csv", CHRISTMAS_2026_CSV)
    assert get_calendar("england+closures", path) is get_calendar("england", path)


def test_an_empty_yaml_list_means_no_closures(write_file: WriteFile) -> None:
    cal = get_calendar("england", write_file("closures.yaml", "[]\n"))
    assert cal.id == "england+closures"
    assert cal.holidays_in(2026) == get_calendar("england").holidays_in(2026)
