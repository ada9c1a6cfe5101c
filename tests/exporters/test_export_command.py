"""`casewatch export`: each return from any source `evaluate` reads, and a mistake is one sentence, exit 1."""

from __future__ import annotations

import ast
import filecmp
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from export_support import AS_AT
from openpyxl import load_workbook

import casewatch
from casewatch.exporters import collection_year_end, export

CASEWATCH = Path(sys.executable).parent / "casewatch"
PACKAGE = Path(casewatch.__file__).parent


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CASEWATCH), *map(str, args)], capture_output=True, text=True, check=False)


def test_each_return_is_written_by_the_command_and_says_what_it_covers(council: Path, tmp_path: Path) -> None:
    annex = _run("export", "annex-a", "--data", council, "--as-at", "2026-10-30", "--out", tmp_path / "a.xlsx")
    census = _run("export", "cin-census", "--data", council, "--as-at", "2026-10-30", "--out", tmp_path / "c.xml")
    ssda903 = _run("export", "ssda903", "--data", council, "--as-at", "2026-10-30", "--out", tmp_path / "903")
    assert [annex.returncode, census.returncode, ssda903.returncode] == [0, 0, 0], annex.stderr + census.stderr
    assert "as at 2026-10-30" in annex.stdout
    assert "the year 1 April 2025 to 31 March 2026" in census.stdout
    assert "the year 1 April 2025 to 31 March 2026" in ssda903.stdout
    assert load_workbook(tmp_path / "a.xlsx", read_only=True).sheetnames == [f"List_{n}" for n in range(1, 11)]
    assert "<ReferenceDate>2026-03-31</ReferenceDate>" in (tmp_path / "c.xml").read_text(encoding="utf-8")
    assert {"episodes.csv", "header.csv", "reviews.csv"} <= {p.name for p in (tmp_path / "903").iterdir()}


def test_the_collection_year_is_the_latest_ended_by_the_as_at_date() -> None:
    assert collection_year_end(date(2026, 10, 30)) == date(2026, 3, 31)
    assert collection_year_end(date(2026, 3, 31)) == date(2026, 3, 31)
    assert collection_year_end(date(2026, 3, 30)) == date(2025, 3, 31)
    assert collection_year_end(date(2024, 2, 29)) == date(2023, 3, 31)


def _mistakes(council: Path, tmp: Path) -> dict[str, tuple[list[str | Path], str]]:
    only_people = tmp / "only_people"
    only_people.mkdir()
    (only_people / "ssd_person.csv").write_text("pers_person_id,pers_dob\nP1,2015-01-01\n", encoding="utf-8")
    a_file = tmp / "a_file.csv"
    a_file.write_text("x\n", encoding="utf-8")
    common: list[str | Path] = ["--data", council, "--as-at", "2026-10-30"]
    return {
        "no such data": (["annex-a", "--data", tmp / "nowhere", "--out", tmp / "a.xlsx"], "does not exist"),
        "annex A not xlsx": (["annex-a", *common, "--out", tmp / "a.csv"], "does not end in .xlsx"),
        "census not xml": (["cin-census", *common, "--out", tmp / "c.csv"], "does not end in .xml"),
        "year not 31 March": (
            ["cin-census", *common, "--year-end", "2026-04-30", "--out", tmp / "c.xml"],
            "ends on 31 March",
        ),
        "year not over": (["ssda903", *common, "--year-end", "2027-03-31", "--out", tmp / "903"], "is not over"),
        "bad LA code": (["cin-census", *common, "--la-code", "E09", "--out", tmp / "c.xml"], "three-digit"),
        "903 into a file": (["ssda903", *common, "--out", a_file], "is a file"),
        "no looked-after data": (
            ["ssda903", "--data", only_people, "--as-at", "2026-10-30", "--out", tmp / "903"],
            "no ssd_cla_episodes",
        ),
        "no census data": (
            ["cin-census", "--data", only_people, "--as-at", "2026-10-30", "--out", tmp / "c.xml"],
            "no ssd_cin_episodes",
        ),
        "not a date": (["annex-a", "--data", council, "--as-at", "30/10/2026", "--out", tmp / "a.xlsx"], "YYYY-MM-DD"),
    }


MISTAKES = [
    "no such data",
    "annex A not xlsx",
    "census not xml",
    "year not 31 March",
    "year not over",
    "bad LA code",
    "903 into a file",
    "no looked-after data",
    "no census data",
    "not a date",
]


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_mistake_is_one_sentence_and_exit_code_1_never_a_traceback(
    council: Path, tmp_path: Path, mistake: str
) -> None:
    args, says = _mistakes(council, tmp_path)[mistake]
    done = _run("export", *args)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert says in " ".join(done.stderr.split()), done.stderr
    assert len([line for line in done.stderr.splitlines() if line.strip()]) <= 3  # usage line + one sentence


def _as_duckdb(folder: Path, database: Path) -> None:
    with duckdb.connect(str(database)) as con:
        for path in sorted(folder.glob("*.csv")):
            con.execute(f"CREATE TABLE {path.stem} AS SELECT * FROM read_csv('{path}')")  # typed: DATE, BIGINT...


def _as_parquet(folder: Path, target: Path) -> None:
    target.mkdir()
    with duckdb.connect() as con:
        for path in sorted(folder.glob("*.csv")):
            con.execute(
                f"COPY (SELECT * FROM read_csv('{path}', all_varchar = true)) TO '{target / path.stem}.parquet'"
            )


def test_a_duckdb_file_and_a_parquet_folder_export_exactly_what_the_csv_folder_does(
    council: Path, tmp_path: Path
) -> None:
    _as_duckdb(council, tmp_path / "council.duckdb")
    _as_parquet(council, tmp_path / "parquet")
    sources = {"csv": council, "duckdb": tmp_path / "council.duckdb", "parquet": tmp_path / "parquet"}
    for name, source in sources.items():
        export("cin-census", source, tmp_path / name / "census.xml", AS_AT)
        export("ssda903", source, tmp_path / name / "903", AS_AT)
        export("annex-a", source, tmp_path / name / "annex_a.xlsx", AS_AT)
    for name in ("duckdb", "parquet"):
        assert filecmp.cmp(tmp_path / "csv" / "census.xml", tmp_path / name / "census.xml", shallow=False)
        files = sorted(p.name for p in (tmp_path / "csv" / "903").iterdir())
        assert files == sorted(p.name for p in (tmp_path / name / "903").iterdir())
        _, mismatch, errors = filecmp.cmpfiles(tmp_path / "csv" / "903", tmp_path / name / "903", files, shallow=False)
        assert (mismatch, errors) == ([], [])
        assert _cells(tmp_path / "csv" / "annex_a.xlsx") == _cells(tmp_path / name / "annex_a.xlsx")
    assert len(_cells(tmp_path / "csv" / "annex_a.xlsx")["List_6"]) > 100


def _cells(workbook: Path) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(workbook, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    finally:
        book.close()


def test_a_second_903_export_leaves_no_file_of_the_first(council: Path, tmp_path: Path) -> None:
    out = tmp_path / "903"
    out.mkdir()
    (out / "ad1.csv").write_text("CHILD,DOB\nstale,01/01/2015\n", encoding="utf-8")
    result = export("ssda903", council, out, AS_AT)
    assert "ad1" not in result.counts  # the synthetic council records no adoption decisions
    assert not (out / "ad1.csv").exists()


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("exporters", ("click", "rich", "casewatch.cli", "casewatch.web", "casewatch.importers")),
        ("formats", ("click", "rich", "casewatch")),  # the lowest layer: plain definitions, imported by both sides
        ("importers", ("casewatch.exporters",)),  # the two directions share formats, never each other
    ],
)
def test_each_layer_imports_only_what_lies_below_it(package: str, forbidden: tuple[str, ...]) -> None:
    """The returns are written by domain code a notebook can call, with no cycle: click and rich stay outside."""
    for path in sorted((PACKAGE / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0]
        bad = [m for m in names if any(m == f or m.startswith(f + ".") for f in forbidden)]
        assert bad == [], f"{path.relative_to(PACKAGE)} imports {bad}"


def test_rows_the_loader_rejects_are_named_not_silently_missing_from_the_return(council: Path, tmp_path: Path) -> None:
    source = tmp_path / "council"
    shutil.copytree(council, source)
    with (source / "ssd_cla_episodes.csv").open("a", encoding="utf-8") as handle:
        handle.write("CLE9999999,PER0000026,CLA9999999,not a date,,S,,,,,N1,\n")
    done = _run("export", "ssda903", "--data", source, "--as-at", "2026-10-30", "--out", tmp_path / "903")
    assert done.returncode == 0, done.stderr
    assert "1 of ssd_cla_episodes" in done.stderr and f"casewatch data check {source}" in done.stderr
    assert export("ssda903", source, tmp_path / "again", AS_AT).rejected == {"ssd_cla_episodes": 1}
    assert export("ssda903", council, tmp_path / "clean", AS_AT).rejected == {}
