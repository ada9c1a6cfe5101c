"""The one vocabulary of value spellings: what empty, yes/no and each date shape mean, for every reader alike."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from casewatch.data.normalise import fold_expression, fold_sql
from casewatch.data.vocabulary import DateShape, as_text, fold, is_empty, read_date, yes_no
from casewatch.importers.annex_a.values import parse
from casewatch.importers.cin_census.values import parse_date as census_date
from casewatch.importers.ssda903.records import parse_date as return_date


@pytest.mark.parametrize(
    ("text", "shape", "day"),
    [
        ("2024-04-01", DateShape.ISO, date(2024, 4, 1)),
        ("2024-4-1", DateShape.ISO, date(2024, 4, 1)),
        ("2024-04-01Z", DateShape.ISO, date(2024, 4, 1)),
        ("2024-04-01T23:30:00+01:00", DateShape.ISO_WITH_TIME, date(2024, 4, 1)),  # the day written, not UTC's
        ("2024-04-01 09:15", DateShape.ISO_WITH_TIME, date(2024, 4, 1)),
        ("01/04/2024", DateShape.DAY_FIRST, date(2024, 4, 1)),  # day first: 1 April, never 4 January
        ("1.4.2024", DateShape.DAY_FIRST, date(2024, 4, 1)),
        ("01-04-2024 10:30:00", DateShape.DAY_FIRST_WITH_TIME, date(2024, 4, 1)),
        ("30/06/24", DateShape.TWO_DIGIT_YEAR, date(2024, 6, 30)),
        ("30/06/68", DateShape.TWO_DIGIT_YEAR, date(2068, 6, 30)),  # Python's %y: 00-68 are 2000s
        ("30/06/69", DateShape.TWO_DIGIT_YEAR, date(1969, 6, 30)),
        ("2024/04/01", DateShape.YEAR_FIRST_SLASHED, date(2024, 4, 1)),
        ("31/04/2024", DateShape.DAY_FIRST, None),  # the shape of a date, but no such day
        ("29/02/2023", DateShape.DAY_FIRST, None),
        ("29/02/2024", DateShape.DAY_FIRST, date(2024, 2, 29)),
    ],
)
def test_each_shape_means_one_day(text: str, shape: DateShape, day: date | None) -> None:
    reading = read_date(text)
    assert reading is not None
    assert (reading.shape, reading.day) == (shape, day)


@pytest.mark.parametrize("text", ["", "x", "01/04-2024", "2024-04", "45383", "1 April 2024", "01/04/202"])
def test_text_in_no_date_shape_is_no_date(text: str) -> None:
    assert read_date(text) is None


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y %H:%M"]),
)
def test_any_day_written_in_a_four_digit_year_shape_reads_back(day: date, shape: str) -> None:
    reading = read_date(day.strftime(shape))
    assert reading is not None and reading.day == day


@given(st.dates(min_value=date(1969, 1, 1), max_value=date(2068, 12, 31)))
def test_the_three_importers_read_the_same_day_from_the_same_text(day: date) -> None:
    for text in (day.strftime("%d/%m/%Y"), day.isoformat()):
        assert return_date(text) == day
        assert census_date(text).value == day.isoformat()
        assert parse(text, "date").value == (day if day.year > 1900 else None)


def test_the_formats_differ_only_in_which_shapes_they_warn_of_or_refuse() -> None:
    assert census_date("2024-04-01").reason is None
    drift = census_date("01/04/2024")
    assert (drift.value, drift.kept) == ("2024-04-01", True)
    assert "dd/mm/yyyy" in (drift.reason or "") and "01 April 2024" in (drift.reason or "")
    assert return_date("30/06/24") == date(2024, 6, 30)  # the 903 tolerates the drift silently, as before
    refused = parse("30/06/24", "date")  # a hand-typed sheet: the century is a guess, so ask
    assert refused.value is None and refused.problem == "a two-digit year is ambiguous; write dd/mm/yyyy"


@pytest.mark.parametrize("text", ["", "  ", "NULL", "null", "SSD_PH", "#N/A"])
def test_empty_everywhere(text: str) -> None:
    assert is_empty(text) and is_empty(text, exports=True) and is_empty(text, typed=True)


def test_export_and_typed_markers_are_empty_only_where_asked() -> None:
    assert not is_empty("None") and is_empty("None", exports=True) and is_empty("nan", exports=True)
    assert not is_empty("-", exports=True) and is_empty("-", typed=True) and is_empty("NA", typed=True)
    assert is_empty(None)


def test_flags() -> None:
    assert [yes_no(t) for t in ("Y", "yes", " true ", "1", "N", "no", "0", "F", "NA", "", None)] == [
        True, True, True, True, False, False, False, False, None, None, None,
    ]  # fmt: skip


def test_the_contract_text_form_reads_back_as_the_same_value() -> None:
    from datetime import datetime

    assert [as_text(v) for v in (None, True, False, date(2024, 4, 1), datetime(2024, 4, 1, 9, 30), 7, b"\x01\xff")] == [
        "", "Y", "N", "2024-04-01", "2024-04-01 09:30:00", "7", "01ff",
    ]  # fmt: skip
    assert yes_no(as_text(True)) is True and yes_no(as_text(False)) is False
    day = read_date(as_text(datetime(2024, 4, 1, 9, 30)))
    assert day is not None and day.day == date(2024, 4, 1)


#: Letters whose upper case Python writes as two (``ß``, ligatures, Greek with a subscript iota), spaces of each
#: kind ``fold`` reads, and the rest of the text a council's code may hold.
_ODD_LETTERS = "".join(chr(i) for i in range(0x2000) if len(chr(i).upper()) != 1) + "\ufb00\ufb01\ufb02\u1f80\u1ff3"
_CODE_TEXT = st.text(alphabet=st.sampled_from(list("aZ_-4 é") + list(" \t\n\r\f\v\u00a0\u2003") + list(_ODD_LETTERS)))


def _sql_fold(values: list[str]) -> list[str]:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (n INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
    return [row[0] for row in con.execute(f"SELECT {fold_sql('v')} FROM t ORDER BY n").fetchall()]


def test_a_code_folds_ignoring_case_and_surrounding_or_repeated_spaces() -> None:
    assert fold("  Review\u00a0 Health\tAssessment ") == "REVIEW HEALTH ASSESSMENT"
    assert fold("case_summary") != fold("case summary")  # underscores are the council's spelling: map them
    assert fold("stra\u00dfe") == "STRA\u1e9eE"  # one letter stays one letter, as in DuckDB


@settings(deadline=None)  # a DuckDB connection per example: the first can be slow to open
@given(st.lists(_CODE_TEXT, min_size=1, max_size=30))
def test_the_sql_form_of_fold_is_the_python_form(values: list[str]) -> None:
    assert _sql_fold(values) == [fold(v) for v in values]


def test_every_letter_python_would_double_folds_alike_in_sql() -> None:
    letters = [chr(i) for i in range(0x30000) if not 0xD800 <= i < 0xE000 and len(chr(i).upper()) != 1]
    assert len(letters) > 100
    assert _sql_fold(letters) == [fold(ch) for ch in letters]


def test_the_engines_tree_form_of_fold_renders_the_same_sql() -> None:
    tree = fold_expression(exp.column("v"))
    assert tree.sql("duckdb") == sqlglot.parse_one(fold_sql("v"), read="duckdb").sql("duckdb")
