"""The 903 CSV importer on messy, invented files: names, BOMs, blank lines, bad dates, unknown codes, chaining."""

from __future__ import annotations

from pathlib import Path

import pytest
from ssda903_helpers import (
    EPISODE_COLUMNS,
    HEADER_COLUMNS,
    MISSING_COLUMNS,
    REVIEW_COLUMNS,
    episode,
    header_of,
    read_table,
    write_csv,
)

from casewatch.data.contract import TABLES
from casewatch.errors import DataError
from casewatch.importers.report import ImportReport
from casewatch.importers.ssda903 import import_ssda903

EPISODES = [
    # child C1: one period of care (S, L, P, then home), then a second (S) after a gap
    episode("C1", "10/01/2024", "S", "C2", "U1", "15/03/2024", "X1"),
    episode("C1", "15/03/2024", "L", "C1", "U1", "02/05/2024", "X1", REASON_PLACE_CHANGE="CARPL"),
    episode("C1", "02/05/2024", "P", "C1", "K2", "20/08/2024", "E4A", PLACE_PROVIDER="PR2"),
    episode("C1", "01/10/2024", "S", "V2", "U3"),
    # child C2: in care before these files (RNE P), then a gap without an S
    episode("C2", "05/06/2024", "P", "J1", "U4", "01/07/2024", "X1"),
    episode("C2", "10/07/2024", "P", "J1", "R1"),
    # child C3: an impossible date, and unknown codes
    episode("C3", "31/02/2024", "S", "C2", "U1"),
    episode("C3", "01/03/2024 ", " s ", "C2", "Z99", rec=""),
]


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    source = tmp_path / "return"
    source.mkdir()
    write_csv(
        source / "Header 2025.csv",
        [f" {c} " for c in HEADER_COLUMNS],
        [
            ["C1", "2", "01/02/2015", "WBRI ", "A123456789012", "", ""],
            ["C2", "1", "14/07/2010", "MWBC", "", "0", ""],
            ["C3", "M", "not known", "AOTH", "", "", ""],
        ],
        bom=True,
    )
    write_csv(source / "SSDA903_Episodes_2025.CSV", EPISODE_COLUMNS, EPISODES, bom=True, blank_lines=True)
    write_csv(
        source / "LAC_reviews.csv",
        REVIEW_COLUMNS,
        [
            ["C1", "01/02/2015", "06/02/2024", "PN1"],
            ["C1", "01/02/2015", "20/10/2024", "PN0"],
            ["C1", "01/02/2015", "25/09/2024", "PN1"],  # between C1's two periods of care
            ["C1", "01/02/2015", "soon", "PN1"],
            ["C2", "14/07/2010", "12/07/2024", "PN9"],
        ],
    )
    write_csv(
        source / "missing.csv",
        MISSING_COLUMNS,
        [["C1", "01/02/2015", "M", "01/06/2024", "02/06/2024"], ["C2", "14/07/2010", "A", "03/07/2024", ""]],
    )
    (source / "notes.txt").write_text("prepared by the performance team\n", encoding="utf-8")
    write_csv(source / "lookup.csv", ["code", "label"], [["A", "B"]])
    return source


def _problems(report: ImportReport, file: str) -> list[tuple[int | None, str | None, str | None, str]]:
    return [(p.row, p.column, p.value, p.severity) for p in report.problems if p.file == file]


def test_messy_folder_is_read_and_accounted_for(messy: Path, tmp_path: Path) -> None:
    report = import_ssda903(str(messy), tmp_path / "out")
    assert report.rows_read == {
        "Header 2025.csv": 3,
        "SSDA903_Episodes_2025.CSV": 8,
        "LAC_reviews.csv": 5,
        "missing.csv": 2,
    }
    assert report.rows_written == {
        "ssd_person": 3,
        "ssd_cla_episodes": 7,
        "ssd_cla_placement": 6,
        "ssd_legal_status": 6,
        "ssd_cla_reviews": 3,
        "ssd_missing": 2,
    }
    # every row not written is counted as skipped: one episode, two reviews
    assert report.rows_skipped == {"SSDA903_Episodes_2025.CSV": 1, "LAC_reviews.csv": 2}
    ignored = {p.file: p.reason for p in report.problems if p.reason.endswith("ignored")}
    assert ignored == {
        "notes.txt": "not one of the SSDA903 files; ignored",
        "lookup.csv": "not one of the SSDA903 files; ignored",
    }
    # nothing else appears in the output folder but the contract tables, each with the contract's columns in order
    out = tmp_path / "out"
    for table in report.rows_written:
        assert header_of(out, table) == list(TABLES[table].column_names)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in report.rows_written)


def test_bad_values_are_reported_with_line_and_column(messy: Path, tmp_path: Path) -> None:
    report = import_ssda903(str(messy), tmp_path / "out")
    episodes = _problems(report, "SSDA903_Episodes_2025.CSV")
    # blank lines between rows: the data row k (0-based) is on line 2 + 2k, the header being line 1
    assert (14, "DECOM", "31/02/2024", "error") in episodes
    assert (16, "PLACE", "Z99", "warning") in episodes  # unknown placement type: kept, with a warning
    header = _problems(report, "Header 2025.csv")
    assert header == [(4, "DOB", "not known", "warning")]  # the child was imported, the DOB left empty
    reviews = _problems(report, "LAC_reviews.csv")
    assert (4, "REVIEW", "25/09/2024", "error") in reviews
    assert (5, "REVIEW", "soon", "error") in reviews
    assert (6, "REVIEW_CODE", "PN9", "warning") in reviews
    people = {p["pers_person_id"]: p for p in read_table(tmp_path / "out", "ssd_person")}
    assert people["C1"]["pers_sex"] == "F" and people["C2"]["pers_sex"] == "M" and people["C3"]["pers_sex"] == "M"
    assert people["C1"]["pers_dob"] == "2015-02-01" and people["C3"]["pers_dob"] == ""
    assert people["C1"]["pers_ethnicity"] == "WBRI" and people["C2"]["pers_is_mother"] == "N"


def test_periods_of_care_placements_and_legal_statuses_are_chained(messy: Path, tmp_path: Path) -> None:
    report = import_ssda903(str(messy), tmp_path / "out")
    out = tmp_path / "out"
    episodes = {e["clae_cla_episode_id"]: e for e in read_table(out, "ssd_cla_episodes")}
    first, second = "903-C1-2024-01-10-care", "903-C1-2024-10-01-care"
    assert [
        (e["clae_cla_episode_start_date"], e["clae_cla_id"], e["clae_entered_care_date"])
        for e in episodes.values()
        if e["clae_person_id"] == "C1"
    ] == [
        ("2024-01-10", first, "2024-01-10"),
        ("2024-03-15", first, "2024-01-10"),
        ("2024-05-02", first, "2024-01-10"),
        ("2024-10-01", second, "2024-10-01"),
    ]
    assert episodes["903-C1-2024-05-02"]["clae_cla_episode_ceased_reason"] == "E4A"
    placements = [p for p in read_table(out, "ssd_cla_placement") if p["clap_person_id"] == "C1"]
    assert [
        (
            p["clap_cla_placement_start_date"],
            p["clap_cla_placement_end_date"],
            p["clap_cla_placement_type"],
            p["clap_cla_placement_change_reason"],
            p["clap_cla_id"],
        )
        for p in placements
    ] == [
        ("2024-01-10", "2024-05-02", "U1", "CARPL", first),
        ("2024-05-02", "2024-08-20", "K2", "", first),
        ("2024-10-01", "", "U3", "", second),
    ]
    legal = [
        (s["lega_legal_status"], s["lega_legal_status_start_date"], s["lega_legal_status_end_date"])
        for s in read_table(out, "ssd_legal_status")
        if s["lega_person_id"] == "C1"
    ]
    assert legal == [("C2", "2024-01-10", "2024-03-15"), ("C1", "2024-03-15", "2024-08-20"), ("V2", "2024-10-01", "")]
    # C2: the first episode is not an S (care began before the file) and a gap starts a second period
    c2 = [e["clae_cla_id"] for e in episodes.values() if e["clae_person_id"] == "C2"]
    assert c2 == ["903-C2-2024-06-05-care", "903-C2-2024-07-10-care"]
    reasons = [p.reason for p in report.problems if p.file == "SSDA903_Episodes_2025.CSV"]
    assert any("does not start a period of care" in r for r in reasons)
    assert any(r.startswith("gap since the previous episode ended (01/07/2024)") for r in reasons)
    # reviews are linked to the period of care that holds their date
    reviews = {r["clar_cla_review_date"]: r for r in read_table(out, "ssd_cla_reviews")}
    assert reviews["2024-02-06"]["clar_cla_id"] == first
    assert reviews["2024-10-20"]["clar_cla_id"] == second
    assert reviews["2024-10-20"]["clar_cla_review_cancelled"] == "N"
    missing = read_table(out, "ssd_missing")
    assert [(m["miss_missing_episode_type"], m["miss_missing_episode_start_date"]) for m in missing] == [
        ("Missing", "2024-06-01"),
        ("Away", "2024-07-03"),
    ]


def test_reimport_gives_identical_tables(messy: Path, tmp_path: Path) -> None:
    import_ssda903(str(messy), tmp_path / "a")
    import_ssda903(str(messy), tmp_path / "b")
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_open_episode_followed_by_another_is_closed_with_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    write_csv(
        source / "episodes.csv",
        EPISODE_COLUMNS,
        [episode("9", "01/04/24", "S", "C2", "U1"), episode("9", "01/06/24", "P", "C2", "U4")],
    )
    report = import_ssda903(str(source), tmp_path / "out")
    rows = read_table(tmp_path / "out", "ssd_cla_episodes")
    assert [(r["clae_cla_episode_start_date"], r["clae_cla_episode_ceased_date"]) for r in rows] == [
        ("2024-04-01", "2024-06-01"),  # two-digit years are read as 20yy
        ("2024-06-01", ""),
    ]
    assert {r["clae_cla_id"] for r in rows} == {"903-9-2024-04-01-care"}
    assert [(p.row, p.column, p.severity, p.reason.split(";")[0]) for p in report.problems] == [
        (2, "DEC", "warning", "episode has no end date but the child's next episode starts on 01/06/2024"),
        (2, "CHILD", "warning", "child not in the header file"),
    ]
    # no header file: the child still gets a person row, with a warning
    assert read_table(tmp_path / "out", "ssd_person") == [
        {**{c: "" for c in TABLES["ssd_person"].column_names}, "pers_person_id": "9"}
    ]


def test_two_years_of_files_chain_into_one_period(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    write_csv(
        source / "episodes_2024.csv",
        EPISODE_COLUMNS,
        [episode("7", "01/09/2023", "S", "C2", "U1", "01/01/2024", "X1"), episode("7", "01/01/2024", "P", "C2", "U4")],
    )
    write_csv(
        source / "episodes_2025.csv",
        EPISODE_COLUMNS,
        [episode("7", "01/01/2024", "P", "C2", "U4", "01/05/2024", "E11"), episode("7", "01/07/2024", "S", "J2", "R1")],
    )
    report = import_ssda903(str(source), tmp_path / "out")
    rows = read_table(tmp_path / "out", "ssd_cla_episodes")
    assert [(r["clae_cla_episode_start_date"], r["clae_cla_episode_ceased_date"], r["clae_cla_id"]) for r in rows] == [
        ("2023-09-01", "2024-01-01", "903-7-2023-09-01-care"),
        ("2024-01-01", "2024-05-01", "903-7-2023-09-01-care"),  # the later file knows the end: it is kept
        ("2024-07-01", "", "903-7-2024-07-01-care"),
    ]
    assert report.rows_read == {"episodes_2024.csv": 2, "episodes_2025.csv": 2}
    assert report.rows_skipped == {"episodes_2024.csv": 1}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("episodes.csv", "a,b\n1,2\n", "episodes.csv does not look like an SSDA903 episodes file"),
        ("episodes.csv", b"PK\x03\x04\x00\x00binary", "episodes.csv is not a CSV file"),
        ("lookup.csv", "a,b\n1,2\n", "holds no SSDA903 CSV file"),
    ],
)
def test_a_folder_that_is_not_a_903_return_is_one_clear_error(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    path = source / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        import_ssda903(str(source), tmp_path / "out")


def test_missing_source_and_unknown_file_type_are_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        import_ssda903(str(tmp_path / "nowhere"), tmp_path / "out")
    sheet = tmp_path / "return.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    with pytest.raises(DataError, match=r"return\.xlsx is neither a CSV file nor an XML file"):
        import_ssda903(str(sheet), tmp_path / "out")


def test_report_says_what_the_903_can_and_cannot_support(messy: Path, tmp_path: Path) -> None:
    report = import_ssda903(str(messy), tmp_path / "out")
    assert any(line.startswith("looked-after review timeliness") for line in report.supports)
    assert any("regulation 28" in line for line in report.supports)
    assert any(line.startswith("visit frequency") and "no visits" in line for line in report.cannot_support)
