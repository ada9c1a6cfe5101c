"""Local codes mapped, never silently missed: a council whose system spells codes its own way.

A synthetic council's codes are respelled the way a real CMS writes them (upper or lower case, padded, spaces
for underscores, long labels, abbreviations). ``casewatch data check --standards`` must name every column and
value involved, the standards that filter on them must carry the reason on their figures, and with the
``codes:`` lines of ``casewatch.yaml`` the council's results must be the original council's exactly.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
import yaml
from click.testing import CliRunner

from casewatch import api
from casewatch.cli import cli
from casewatch.data.code_check import check_codes, lookalike
from casewatch.data.config import DataConfig
from casewatch.errors import DataError
from casewatch.results import Results, compliance_summary
from casewatch.synth import generate_council

AS_AT = date(2026, 10, 30)
PACKS = ("england", "st-helena")

#: table -> column -> the contract's value -> how the council's system writes it.
RESPELT: dict[str, dict[str, dict[str, str]]] = {
    "ssd_cla_health": {
        "clah_health_check_type": {
            "Review Health Assessment": "RHA",  # abbreviations
            "Initial Health Assessment": "IHA",
            "Dental Check": "dental_check",
        }
    },
    "ext_plan_documents": {
        "pldc_plan_type": {"PEP": "Personal Education Plan", "PATHWAY": "pathway_plan"},  # long labels
    },
    "ssd_cla_placement": {
        "clap_cla_placement_type": {
            "U1": "Foster placement with relative or friend",
            "U4": "Foster placement with other foster carer",
        }
    },
    "ext_meetings": {
        "meet_meeting_type": {
            "cin_meeting": "CIN Meeting",  # spaces for underscores
            "cin_review": "CIN Review",
            "placement_planning": "Placement Planning Meeting",
        }
    },
    # Spelt differently only in case and spaces: matched as they are, with no line in codes:.
    "ext_contact_decisions": {"cdec_outcome": {"Level 4": " LEVEL  4"}},
    "ssd_involvements": {"invo_professional_role_id": {"SW": " sw"}},
}
#: Columns whose respelling needs no codes: line.
FOLDED = {("ext_contact_decisions", "cdec_outcome"), ("ssd_involvements", "invo_professional_role_id")}
#: Standards that find nothing (or the wrong phase) under the council's spelling, each for a column respelt.
LIMITED = {
    "england.health-assessments": "ssd_cla_health.clah_health_check_type",
    "england.pep": "ext_plan_documents.pldc_plan_type",
    "england.needs-assessment": "ext_plan_documents.pldc_plan_type",
    "england.cla-visits": "ssd_cla_placement.clap_cla_placement_type",
    "st-helena.cin-first-meeting": "ext_meetings.meet_meeting_type",
    "st-helena.placement-planning-meeting": "ext_meetings.meet_meeting_type",
}


@dataclass(frozen=True)
class Councils:
    original: Path
    respelt: Path
    mapped: Path


def _respell(source: Path, target: Path) -> None:
    shutil.copytree(source, target)
    for table, columns in RESPELT.items():
        path = target / f"{table}.csv"
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            names = list(reader.fieldnames or [])
            rows = list(reader)
        for row in rows:
            for column, spellings in columns.items():
                row[column] = spellings.get(row[column], row[column])
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=names)
            writer.writeheader()
            writer.writerows(rows)


@pytest.fixture(scope="module")
def councils(tmp_path_factory: pytest.TempPathFactory) -> Councils:
    original = tmp_path_factory.mktemp("codes") / "original"
    generate_council(original, population=1500, years=2, seed=13, as_at=AS_AT)
    respelt, mapped = original.with_name("respelt"), original.with_name("mapped")
    _respell(original, respelt)
    _respell(original, mapped)
    codes = {
        table: {
            column: {theirs: ours for ours, theirs in spellings.items()}
            for column, spellings in columns.items()
            if (table, column) not in FOLDED
        }
        for table, columns in RESPELT.items()
        if any((table, column) not in FOLDED for column in columns)
    }
    (mapped / "casewatch.yaml").write_text(yaml.safe_dump({"codes": codes}), encoding="utf-8")
    return Councils(original, respelt, mapped)


@pytest.fixture(scope="module")
def results(councils: Councils) -> dict[tuple[str, str], Results]:
    out = {}
    for name in ("original", "respelt", "mapped"):
        data = api.load_data(getattr(councils, name), as_at=AS_AT)
        for pack in PACKS:
            out[name, pack] = api.evaluate(pack, data, AS_AT)
        data.close()
    return out


def _sorted(instances: pa.Table) -> list[dict[str, object]]:
    return sorted(instances.to_pylist(), key=lambda row: tuple(str(v) for v in row.values()))


def test_the_original_council_finds_events_under_every_code_respelt(results: dict[tuple[str, str], Results]) -> None:
    """The respelt codes matter: each standard expected to be limited has met instances on the original data."""
    for standard_id in LIMITED:
        pack = standard_id.split(".")[0]
        statuses = results["original", pack].instances.filter(
            pa.compute.equal(results["original", pack].instances["standard_id"], standard_id)
        )["status"]
        assert "met" in statuses.to_pylist(), standard_id
        assert standard_id not in results["original", pack].code_limits


def test_the_standards_reading_respelt_codes_are_limited_with_the_reason(
    results: dict[tuple[str, str], Results],
) -> None:
    for standard_id, column in LIMITED.items():
        limits = results["respelt", standard_id.split(".")[0]].code_limits
        assert column in limits.get(standard_id, ""), standard_id
        assert "codes: in casewatch.yaml" in limits[standard_id]
    reason = results["respelt", "england"].code_limits["england.health-assessments"]
    assert "has no 'initial health assessment', 'review health assessment' or 'health assessment' value" in reason
    assert "'RHA'" in reason and "looks like 'review health assessment'" in reason
    summary = compliance_summary(results["respelt", "england"]).to_pylist()
    note = next(row["note"] for row in summary if row["standard_id"] == "england.health-assessments")
    assert "ssd_cla_health.clah_health_check_type has no" in note  # on the figure, not only in a log


def test_codes_spelt_differently_only_in_case_and_spaces_need_no_mapping(
    results: dict[tuple[str, str], Results],
) -> None:
    """`` sw`` is the allocated worker and `` LEVEL  4`` the St Helena outcome, so those results are unchanged."""
    limited = (
        set(LIMITED) | set(results["respelt", "england"].code_limits) | set(results["respelt", "st-helena"].code_limits)
    )
    for pack in PACKS:
        original, respelt = results["original", pack].instances, results["respelt", pack].instances
        for standard_id in {s for s in original["standard_id"].to_pylist() if s not in limited}:
            mask = pa.compute.equal(original["standard_id"], standard_id)
            again = pa.compute.equal(respelt["standard_id"], standard_id)
            assert _sorted(original.filter(mask)) == _sorted(respelt.filter(again)), standard_id
    assert "st-helena.strategy-discussion-24-hours" not in limited
    assert any(w is not None for w in results["respelt", "england"].instances["worker_id"].to_pylist())


def test_with_the_codes_mapped_the_results_are_the_original_councils(results: dict[tuple[str, str], Results]) -> None:
    for pack in PACKS:
        original, mapped = results["original", pack], results["mapped", pack]
        assert _sorted(mapped.instances) == _sorted(original.instances), pack
        assert mapped.code_limits == original.code_limits
        assert compliance_summary(mapped).to_pylist() == compliance_summary(original).to_pylist()


def test_data_check_names_every_column_and_value_respelt(councils: Councils) -> None:
    runner = CliRunner()
    output = ""
    for pack in PACKS:
        result = runner.invoke(
            cli, ["data", "check", str(councils.respelt), "--standards", pack, "--as-at", "2026-10-30", "--limit", "0"]
        )
        assert result.exit_code in (0, 1), result.output
        output += result.output
    for table, columns in RESPELT.items():
        for column, spellings in columns.items():
            assert f"{table}.{column}" in output
            for theirs in spellings.values():
                assert theirs.strip() in output, theirs
    assert '"RHA": "review health assessment"' in output  # a line ready to paste
    assert '"CIN Meeting": "cin_meeting"' in output
    assert "expected, never found" in output and "'U1', 'U4'" in output
    for standard_id in LIMITED:
        assert f"Limited {standard_id}:" in output


def test_the_mapped_council_has_nothing_left_to_map(councils: Councils) -> None:
    data = api.load_data(councils.mapped, as_at=AS_AT)
    report = check_codes(
        data.con,
        api.load_standards("england").standards.values(),
        data.config.allocated_worker_roles,
        data.config.codes,
    )
    health = report.column("ssd_cla_health", "clah_health_check_type")
    assert health is not None and health.unmatched == [] and "RHA" not in dict(health.seen)
    data.close()


@pytest.mark.parametrize(
    ("value", "candidates", "expected"),
    [
        ("RHA", ["initial health assessment", "review health assessment"], "review health assessment"),
        ("Personal Education Plan", ["pep"], "pep"),
        ("CIN Review", ["cin_meeting", "cin_review"], "cin_review"),
        ("Canceled", ["cancelled"], "cancelled"),
        ("CP", ["care_plan"], None),  # two letters are too ambiguous to be taken as initials
        ("Dental Check", ["health assessment"], None),
    ],
)
def test_a_value_looks_like_the_code_it_respells(value: str, candidates: list[str], expected: str | None) -> None:
    assert lookalike(value, candidates) == expected


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ({"ssd_nowhere": {}}, "'ssd_nowhere' is not a casewatch table"),
        ({"ssd_cla_health": {"clah_typo": {"a": "b"}}}, "ssd_cla_health has no column 'clah_typo'"),
        ({"ssd_cla_health": {"clah_health_check_date": {"a": "b"}}}, "holds dates; codes map text columns"),
        ({"ssd_cla_health": {"clah_health_check_type": {1: "b"}}}, "write each value as text"),
        ({"ssd_cla_health": {"clah_health_check_type": {"rha": "x", "RHA ": "y"}}}, "is mapped twice, to"),
    ],
)
def test_a_wrong_codes_section_is_one_sentence_naming_the_file_and_key(
    tmp_path: Path, codes: dict[str, object], message: str
) -> None:
    (tmp_path / "casewatch.yaml").write_text(yaml.safe_dump({"codes": codes}), encoding="utf-8")
    from casewatch.data.config import read_config

    with pytest.raises(DataError) as caught:
        read_config(tmp_path / "casewatch.yaml")
    assert str(caught.value).startswith("casewatch.yaml: key 'codes': ")
    assert message in str(caught.value)
    assert DataConfig().codes == {}


def test_the_data_quality_report_counts_the_values_each_codes_line_changed(councils: Councils) -> None:
    """Every value a ``codes:`` line replaced is a note of the report, so the analyst sees each mapping take
    effect: as many per column as the council's file holds values the mapping names, and none elsewhere."""
    expected: dict[tuple[str, str], int] = {}
    for table, columns in RESPELT.items():
        with (councils.mapped / f"{table}.csv").open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for column, spellings in columns.items():
            if (table, column) not in FOLDED:
                theirs = set(spellings.values())
                expected[table, column] = sum(row[column] in theirs for row in rows)
    assert all(expected.values())  # each mapping had something to change
    data = api.load_data(councils.mapped, as_at=AS_AT)
    try:
        issues = data.report.issues
        recoded = issues.filter(pa.compute.equal(issues["code"], "recoded")).to_pylist()
    finally:
        data.close()
    found: dict[tuple[str, str], int] = {}
    for issue in recoded:
        assert issue["severity"] == "info" and "codes: of casewatch.yaml" in issue["reason"]
        found[issue["table"], issue["column"]] = found.get((issue["table"], issue["column"]), 0) + 1
    assert found == expected
    original = api.load_data(councils.original, as_at=AS_AT)
    try:
        assert "recoded" not in original.report.issues["code"].to_pylist()
    finally:
        original.close()
