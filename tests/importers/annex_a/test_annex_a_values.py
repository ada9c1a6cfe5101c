"""Cell parsing and heading/sheet-name recognition."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from casewatch.formats.annex_a import BY_NUMBER
from casewatch.importers.annex_a.sheets import list_from_name
from casewatch.importers.annex_a.text import heading_key
from casewatch.importers.annex_a.values import parse


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(2026, 1, 2, 13, 5), date(2026, 1, 2)),
        (date(2026, 1, 2), date(2026, 1, 2)),
        (46024, date(2026, 1, 2)),
        (46024.5, date(2026, 1, 2)),
        ("46024", date(2026, 1, 2)),
        ("02/01/2026", date(2026, 1, 2)),
        ("2/1/2026", date(2026, 1, 2)),
        ("02-01-2026", date(2026, 1, 2)),
        ("2026-01-02", date(2026, 1, 2)),
        ("2026-01-02 00:00:00", date(2026, 1, 2)),
        ("2026/01/02", date(2026, 1, 2)),
        (" 02/01/2026\u00a0", date(2026, 1, 2)),
    ],
)
def test_dates(cell: object, expected: date) -> None:
    assert parse(cell, "date").value == expected


@pytest.mark.parametrize("cell", ["31/02/2026", "02/01/26", "soon", 12, True, time(10, 0), "2026-13-01"])
def test_unusable_dates_say_why(cell: object) -> None:
    parsed = parse(cell, "date")
    assert parsed.value is None and parsed.problem and parsed.severity == "error"


@pytest.mark.parametrize("cell", [None, "", "  ", "NULL", "\u00a0"])
def test_empty(cell: object) -> None:
    assert parse(cell, "date") == parse(cell, "code") == parse(None, "text")


def test_excel_errors_are_blank_with_a_warning() -> None:
    parsed = parse("#N/A", "date")
    assert parsed.value is None and parsed.severity == "warning" and "#N/A" in (parsed.problem or "")
    assert parse("1900-01-01", "date").severity == "warning"


@pytest.mark.parametrize(
    ("cell", "code", "description"),
    [
        ("a) WBRI", "WBRI", "WBRI"),
        ("p1) 5D: LA services", "5D", "LA services"),
        ("E1: Some reason", "E1", "Some reason"),
        ("RC1 - Adopted", "RC1", "Adopted"),
        ("a) Male", "Male", "Male"),
        ("N1", "N1", "N1"),
    ],
)
def test_codes(cell: str, code: str, description: str) -> None:
    parsed = parse(cell, "code")
    assert (parsed.value, parsed.description) == (code, description)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("a) Yes", True),
        ("b) No", False),
        ("Y", True),
        ("n", False),
        (1, True),
        (0, False),
        (True, True),
        ("Yes-See care notes", True),
        ("No Visit - new in last month", False),
    ],
)
def test_flags(cell: object, value: bool) -> None:
    assert parse(cell, "flag").value is value


def test_ints_and_ids() -> None:
    assert parse(3.0, "int").value == 3
    assert parse("3", "int").value == 3
    assert parse(2.5, "int").problem
    assert parse(12345.0, "id").value == "12345"
    assert parse("C 1", "id").problem
    assert parse("Worker\u00a0 One ", "text").value == "Worker One"


def test_heading_keys_meet_across_typography() -> None:
    curly = "Was the child assessed as requiring LA children\u2019s social care support"
    straight = "Was the child assessed as requiring LA children's social care support?"
    assert heading_key(curly) == heading_key(straight)
    assert heading_key("LA In Touch ") == heading_key("LA in Touch")
    assert heading_key("Date Ceased to be Looked After ") == heading_key("date  ceased to be looked\u00a0after")
    assert heading_key("UASC (Y/N)") == heading_key("UASC")


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("List 1", 1),
        ("List_1", 1),
        ("L1", 1),
        ("list1", 1),
        ("Contacts", 1),
        ("List 1 - Contacts", 1),
        ("Sec47 and ICPC", 5),
        ("Children in Need", 6),
        ("Child Protection", 7),
        ("Children in Care", 8),
        ("List_10", 10),
        ("Care Leavers", 9),
    ],
)
def test_sheet_names(name: str, number: int) -> None:
    assert list_from_name(name) is BY_NUMBER[number]


def test_unknown_sheet_names() -> None:
    assert list_from_name("Sheet1") is None
    assert list_from_name("Codes_used") is None
