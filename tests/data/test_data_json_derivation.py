"""Columns filled from a key of a JSON column of the same row: the S47 enquiry's conference flag.

The SSD records whether a section 47 enquiry concluded that an initial conference is needed only as
``CP_CONFERENCE_FLAG`` inside ``s47e_s47_outcome_json``; the loader lifts it into ``s47e_cp_conference_flag`` so
standards can filter on it, and never loses a row over a JSON value it cannot read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from data_helpers import issues, rows

from casewatch.data import CaseData
from casewatch.data import normalise as nz
from casewatch.data.contract import TABLES

Write = Callable[[str, str], Path]
Load = Callable[..., CaseData]

HEADER = "s47e_s47_enquiry_id,s47e_person_id,s47e_s47_start_date,s47e_s47_outcome_json"


def _csv_json(text: str) -> str:
    """A JSON text as one CSV cell (quoted, inner quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


def _enquiries(write: Write, load: Load, outcomes: list[str], flags: list[str] | None = None) -> CaseData:
    """Load one S47 enquiry per outcome JSON (S1, S2, ...), with the explicit flag column when ``flags`` is given."""
    header = HEADER + (",s47e_cp_conference_flag" if flags is not None else "")
    lines = []
    for n, outcome in enumerate(outcomes, start=1):
        line = f"S{n},P1,2024-01-0{n},{_csv_json(outcome) if outcome else ''}"
        if flags is not None:
            line += f",{flags[n - 1]}"
        lines.append(line)
    write("ssd_s47_enquiry.csv", header + "\n" + "\n".join(lines) + "\n")
    return load()


def _flags(data: CaseData) -> list[tuple[str, bool | None]]:
    return rows(data, "SELECT s47e_s47_enquiry_id, s47e_cp_conference_flag FROM ssd_s47_enquiry ORDER BY 1")


def test_flag_is_read_from_the_outcome_json(write: Write, load: Load) -> None:
    data = _enquiries(
        write,
        load,
        [
            '{"NFA_FLAG":"N","CP_CONFERENCE_FLAG":"Y","PROV_OF_SERVICES_FLAG":"N"}',
            '{"NFA_FLAG":"Y","CP_CONFERENCE_FLAG":"N","PROV_OF_SERVICES_FLAG":"N"}',
            '{"CP_CONFERENCE_FLAG": " yes "}',
            '{"CP_CONFERENCE_FLAG": true}',
            '{"CP_CONFERENCE_FLAG": 0}',
        ],
    )
    assert _flags(data) == [("S1", True), ("S2", False), ("S3", True), ("S4", True), ("S5", False)]
    assert data.report.issues.num_rows == 0


def test_missing_key_null_value_or_no_json_leave_the_flag_unknown_without_an_issue(write: Write, load: Load) -> None:
    data = _enquiries(write, load, ['{"NFA_FLAG":"Y"}', '{"CP_CONFERENCE_FLAG":null}', "", "{}"])
    assert _flags(data) == [("S1", None), ("S2", None), ("S3", None), ("S4", None)]
    assert data.report.issues.num_rows == 0


def test_malformed_json_leaves_the_flag_empty_with_a_warning_and_keeps_the_row(write: Write, load: Load) -> None:
    data = _enquiries(write, load, ['{"CP_CONFERENCE_FLAG":"Y"', "[1, 2]", '{"CP_CONFERENCE_FLAG":"Y"}'])
    assert _flags(data) == [("S1", None), ("S2", None), ("S3", True)]
    summary = data.report.summaries["ssd_s47_enquiry"]
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (3, 3, 0)
    found = issues(data, code="bad_json")
    assert [(i.file, i.row, i.column, i.value, i.severity) for i in found] == [
        ("ssd_s47_enquiry.csv", 2, "s47e_s47_outcome_json", '{"CP_CONFERENCE_FLAG":"Y"', "warning"),
        ("ssd_s47_enquiry.csv", 3, "s47e_s47_outcome_json", "[1, 2]", "warning"),
    ]
    assert "s47e_cp_conference_flag" in found[0].reason
    assert data.report.issues.num_rows == 2


def test_an_unrecognised_flag_in_the_json_is_reported_where_it_came_from(write: Write, load: Load) -> None:
    data = _enquiries(write, load, ['{"CP_CONFERENCE_FLAG":"Maybe"}', '{"CP_CONFERENCE_FLAG":"NA"}'])
    assert _flags(data) == [("S1", None), ("S2", None)]
    (bad,) = issues(data, code="bad_flag")
    assert (bad.row, bad.column, bad.severity) == (2, "s47e_cp_conference_flag", "warning")
    assert bad.value == "Maybe (CP_CONFERENCE_FLAG in s47e_s47_outcome_json)"
    (na,) = issues(data, code="flag_na")
    assert (na.row, na.severity) == (3, "info")


def test_an_explicit_column_wins_over_the_json(write: Write, load: Load) -> None:
    data = _enquiries(
        write,
        load,
        ['{"CP_CONFERENCE_FLAG":"Y"}', '{"CP_CONFERENCE_FLAG":"N"}', "not json", '{"CP_CONFERENCE_FLAG":"Y"}'],
        flags=["N", "Y", "Y", ""],
    )
    assert _flags(data) == [("S1", False), ("S2", True), ("S3", True), ("S4", True)]
    assert data.report.issues.num_rows == 0  # the unreadable JSON of S3 is not needed, so not reported


def test_without_the_json_column_the_flag_is_as_given(write: Write, load: Load) -> None:
    write(
        "ssd_s47_enquiry.csv",
        "s47e_s47_enquiry_id,s47e_person_id,s47e_s47_start_date,s47e_cp_conference_flag\n"
        "S1,P1,2024-01-01,Y\nS2,P1,2024-01-01,\n",
    )
    data = load()
    assert _flags(data) == [("S1", True), ("S2", None)]


def test_json_derivations_name_real_columns_and_fill_only_optional_ones() -> None:
    found = 0
    for spec in TABLES.values():
        for k in spec.json_derivations:
            found += 1
            assert not spec.column(k.column).required
            assert spec.column(k.json_column).type == "string"
            assert k.column != k.json_column
    assert found >= 1
    (conference,) = TABLES["ssd_s47_enquiry"].json_derivations
    assert conference == ("s47e_cp_conference_flag", "s47e_s47_outcome_json", "CP_CONFERENCE_FLAG")


def test_json_key_accepts_only_plain_keys() -> None:
    assert "$.CP_CONFERENCE_FLAG" in nz.json_key("c0", "CP_CONFERENCE_FLAG")
    with pytest.raises(ValueError, match="only letters"):
        nz.json_key("c0", "a'b")
