"""Files that are not what they claim are refused in one sentence, and leave the output folder untouched."""

from __future__ import annotations

import csv
import importlib.machinery
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from cin_census_builders import census, child, line_of, write
from click.testing import CliRunner

from casewatch.cli import cli
from casewatch.errors import DataError
from casewatch.importers.cin_census import import_cin_census


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"LAchildID,CINreferralDate\nC001,2024-06-03\n", "is not an XML file"),
        (b"", "is not an XML file"),
        (b"PK\x03\x04\x14\x00\x00\x00binary", "is not an XML file"),
        (b"<EXPSSDA903><CHILD/></EXPSSDA903>", "is XML but not a CIN census: its root element is <EXPSSDA903>"),
        (b"<Message><Header/></Message>", "is not a CIN census: its <Message> has no <Children> element"),
        (
            b"<Message><Header><CollectionDetails><Collection>SSDA903</Collection></CollectionDetails></Header>"
            b"<Children/></Message>",
            "its Header names the collection 'SSDA903', not 'CIN'",
        ),
    ],
)
def test_a_file_that_is_not_a_cin_census_is_a_data_error(tmp_path: Path, content: bytes, message: str) -> None:
    source = tmp_path / "return.xml"
    source.write_bytes(content)
    with pytest.raises(DataError, match=message) as raised:
        import_cin_census(str(source), tmp_path / "out")
    assert str(source) in str(raised.value)
    assert str(raised.value).count(". ") == 0  # one sentence


def test_a_file_cut_off_part_way_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "ssd_person.csv").write_text("kept from before\n", "utf-8")
    source = write(tmp_path / "census.xml", census(child("C001"), child("C002")))
    text = source.read_text("utf-8")
    source.write_text(text[: text.index("C002") + 20], "utf-8")
    with pytest.raises(DataError, match=r"is not well-formed XML at line \d+ .*nothing was imported\."):
        import_cin_census(str(source), out)
    assert sorted(p.name for p in out.iterdir()) == ["ssd_person.csv"]
    assert (out / "ssd_person.csv").read_text("utf-8") == "kept from before\n"


def test_a_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        import_cin_census(str(tmp_path / "nowhere.xml"), tmp_path / "out")


def test_schema_validation_without_xmlschema_is_refused_not_skipped(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setitem(sys.modules, "xmlschema", None)  # find_spec then reports it as not importable
    source = write(tmp_path / "census.xml", census(child("C001")))
    with pytest.raises(DataError, match="requested but the 'xmlschema' package is not installed"):
        import_cin_census(str(source), tmp_path / "out", schema=tmp_path / "CIN_schema_2025.xsd")


def test_schema_violations_become_warnings_when_xmlschema_is_available(tmp_path: Path, monkeypatch: Any) -> None:
    class _Error:
        sourceline = 7
        path = "/Message/Children/Child[1]/ChildIdentifiers/Sex"
        reason = "value must be one of ['M', 'F', 'U']"

    class _Schema:
        def __init__(self, location: str) -> None:
            self.location = location

        def iter_errors(self, source: str) -> list[_Error]:
            return [_Error()]

    fake = types.ModuleType("xmlschema")
    fake.__spec__ = importlib.machinery.ModuleSpec("xmlschema", None)
    fake.XMLSchema = _Schema  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "xmlschema", fake)
    xsd = tmp_path / "CIN_schema_2025.xsd"
    xsd.write_text("<xs:schema/>", "utf-8")
    source = write(tmp_path / "census.xml", census(child("C001")))
    report = import_cin_census(str(source), tmp_path / "out", schema=xsd)
    [problem] = [p for p in report.problems if "schema" in p.reason]
    assert (problem.row, problem.column, problem.severity) == (7, _Error.path, "warning")
    assert problem.reason.endswith("CIN_schema_2025.xsd: value must be one of ['M', 'F', 'U']")


def test_the_command_line_imports_and_reports(tmp_path: Path) -> None:
    source = write(tmp_path / "census.xml", census(child("C001"), child("C002", ethnicity="XXXX")))
    out, report_csv = tmp_path / "out", tmp_path / "problems.csv"
    result = CliRunner().invoke(
        cli, ["import", "cin-census", str(source), "--out", str(out), "--report", str(report_csv)]
    )
    assert result.exit_code == 0, result.output
    assert "ssd_person" in result.output and "cannot support" in result.output
    assert (out / "ssd_person.csv").read_text("utf-8").count("\n") == 3
    assert "not a code of the CIN census list" in report_csv.read_text("utf-8")


def test_the_command_line_names_a_non_census_file_in_one_line(tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text("a,b\n", "utf-8")
    command = [sys.executable, "-c", "from casewatch.cli import main; main()", "import", "cin-census", str(source)]
    result = subprocess.run([*command, "--out", str(tmp_path / "out")], capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "list.csv is not an XML file (syntax error: line 1, column 0)." in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr


_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:simpleType name="sex">
    <xs:restriction base="xs:string">
      <xs:enumeration value="M"/><xs:enumeration value="F"/><xs:enumeration value="U"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:element name="Sex" type="sex"/>
  <xs:element name="Message">
    <xs:complexType>
      <xs:sequence><xs:any processContents="lax" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""


def test_a_real_schema_file_given_on_the_command_line_locates_each_violation(tmp_path: Path) -> None:
    """A small schema of our own (only Sex is constrained), validated by the real xmlschema package."""
    xsd = tmp_path / "census_subset.xsd"
    xsd.write_text(_XSD, "utf-8")
    source = write(tmp_path / "census.xml", census(child("C001"), child("C002", sex="X")))
    out, report_csv = tmp_path / "out", tmp_path / "problems.csv"
    result = CliRunner().invoke(
        cli,
        ["import", "cin-census", str(source), "--out", str(out), "--xsd", str(xsd), "--report", str(report_csv)],
    )
    assert result.exit_code == 0, result.output
    with report_csv.open(newline="", encoding="utf-8") as handle:
        problems = [p for p in csv.DictReader(handle) if "does not match the schema" in p["reason"]]
    assert [(p["row"], p["column"]) for p in problems] == [
        (str(line_of(source, "<Sex>X</Sex>")), "/Message/Children/Child[2]/ChildIdentifiers/Sex")
    ]
    assert problems[0]["reason"] == "does not match the schema census_subset.xsd: value must be one of ['M', 'F', 'U']"


def test_xsd_and_schema_options_belong_to_their_formats(tmp_path: Path) -> None:
    source = write(tmp_path / "census.xml", census(child("C001")))
    wrong = CliRunner().invoke(cli, ["import", "cin-census", str(source), "--out", str(tmp_path), "--schema", "x"])
    assert wrong.exit_code != 0 and "--schema names a database schema" in wrong.output
    missing = CliRunner().invoke(
        cli, ["import", "cin-census", str(source), "--out", str(tmp_path), "--xsd", str(tmp_path / "no.xsd")]
    )
    assert missing.exit_code != 0 and "no such file" in missing.output
