"""`casewatch import`: a file that is not what it claims is one sentence and a non-zero exit, for every format."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CASEWATCH = Path(sys.executable).parent / "casewatch"


def _not_what_it_claims(tmp_path: Path, format_name: str) -> str:
    if format_name == "annex-a":  # a CSV renamed .xlsx
        path = tmp_path / "annex_a.xlsx"
        path.write_text("Child Unique ID,Gender\nC1,a) Male\n", encoding="utf-8")
    elif format_name == "cin-census":  # well-formed XML, but a 903 return
        path = tmp_path / "census.xml"
        path.write_text("<?xml version='1.0'?><Message><Header/><Episodes/></Message>", encoding="utf-8")
    elif format_name == "ssda903":  # a folder holding an Annex A list
        path = tmp_path / "903"
        path.mkdir()
        (path / "List_1.csv").write_text("Child Unique ID,Date of Contact\nC1,01/10/2026\n", encoding="utf-8")
    else:  # ssd: a SQLite URL naming a file that is a CSV
        csv_file = tmp_path / "warehouse.db"
        csv_file.write_text("pers_person_id\nP1\n", encoding="utf-8")
        return f"sqlite:///{csv_file}"
    return str(path)


@pytest.mark.parametrize("format_name", ["annex-a", "cin-census", "ssda903", "ssd"])
def test_a_file_that_is_not_what_it_claims_is_one_sentence(tmp_path: Path, format_name: str) -> None:
    source = _not_what_it_claims(tmp_path, format_name)
    done = subprocess.run(
        [str(CASEWATCH), "import", format_name, source, "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    message = " ".join(done.stderr.split())
    assert done.returncode == 1, done.stdout + done.stderr
    assert message.startswith("Error: ") and message.endswith("."), message
    assert "Traceback" not in done.stderr and done.stderr.strip().count("Error:") == 1
    assert not list((tmp_path / "out").glob("*.csv")) if (tmp_path / "out").exists() else True
