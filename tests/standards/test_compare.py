"""The comparison matrix: each council's standards by topic, judged against the statutory floor."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from casewatch.cli import cli
from casewatch.standards.compare import CellStatus, Relation, compare_packs
from casewatch.standards.loader import load_pack

COUNCIL = """\
id: {id}
title: {title}
jurisdiction: {jurisdiction}
calendar: {calendar}
{extends}documents:
  local: {{title: Local practice standards, edition: Undated, published: In the test}}
"""

ICPC = """\
id: icpc-{n}
title: ICPC within {n} working days
type: local
role: Social Worker
topic: icpc
citation: {{document: local, section: "3.1", quote: "ICPC within {n} working days.", checked: unverified}}
{overrides}effective_from: 2020-01-01
rule:
  kind: deadline
  anchor: {{source: s47_enquiry, where: {{conference_needed: {{not: false}}, nfa: {{not: true}}}}}}
  target: {{source: icpc}}
  match: {{s47_enquiry_id: s47_enquiry_id}}
  ends_with_anchor: false
  within: {n} working days
"""

CP_VISITS = """\
id: cp-visits
title: Children on a plan seen every 10 working days
type: local
role: Social Worker
topic: cp_visits
citation:
  {document: local, section: "4", quote: "Children on a plan are seen every 10 working days.", checked: unverified}
effective_from: 2020-01-01
rule:
  kind: series
  cohort: {source: cp_plan}
  event: {source: cp_visit}
  first: 5 working days
  interval: 10 working days
"""


def _pack(root: Path, name: str, files: dict[str, str], *, extends: bool = True) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        COUNCIL.format(
            id=name,
            title=f"{name.title()} standards",
            jurisdiction="england" if extends else "st-helena",
            calendar="england" if extends else "st-helena",
            extends="extends: england\n" if extends else "",
        )
    )
    for file, text in files.items():
        (folder / f"{file}.yaml").write_text(textwrap.dedent(text))
    return folder


def test_stricter_less_strict_local_missing_and_inherited(tmp_path: Path) -> None:
    strict = _pack(
        tmp_path,
        "strict",
        {
            "icpc-10": ICPC.format(
                n=10, overrides="overrides: {standard: england.icpc-timescale, relation: stricter}\n"
            ),
            "cp-visits": CP_VISITS,
        },
    )
    lax = _pack(tmp_path, "lax", {"icpc-20": ICPC.format(n=20, overrides="")})
    island = _pack(tmp_path, "island", {"cp-visits": CP_VISITS}, extends=False)
    comparison = compare_packs([strict, lax, island])
    assert comparison.columns == ("strict", "lax", "island")
    rows = {row.topic: row for row in comparison.rows}

    icpc = rows["icpc"]
    assert icpc.floor.status is CellStatus.FLOOR
    strict_cell, lax_cell, island_cell = icpc.cells
    assert strict_cell.status is CellStatus.STRICTER
    assert [e.relation for e in strict_cell.entries] == [Relation.STRICTER, Relation.STATUTORY]  # own first
    assert lax_cell.status is CellStatus.LESS_STRICT
    assert island_cell.status is CellStatus.MISSING  # statute has one, the island's pack does not

    visits = rows["cp_visits"]
    if visits.floor.status is CellStatus.NONE:  # no statutory CP-visit timescale
        assert visits.cells[0].status is CellStatus.LOCAL
    assert visits.cells[1].status in (CellStatus.NONE, CellStatus.STATUTORY)
    assert "every 10 working days while on a CP plan (first within 5 working days)" in visits.cells[2].text

    assert rows["assessment"].cells[0].status is CellStatus.STATUTORY  # inherited unchanged


def test_the_same_timescale_as_statute_is_marked_same(tmp_path: Path) -> None:
    same = _pack(tmp_path, "same", {"icpc-15": ICPC.format(n=15, overrides="")})
    (cell,) = next(r for r in compare_packs([same]).rows if r.topic == "icpc").cells
    assert cell.status is CellStatus.SAME


def test_rules_read_as_a_practitioner_would_write_them() -> None:
    england = load_pack("england")
    assert england.get("icpc-timescale").versions[-1].rule.describe() == (
        "within 15 working days of the section 47 enquiry"
    )
    assert england.get("referral-decision").versions[-1].rule.describe().startswith("within 1 working day of")


def test_every_format_from_the_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["standards", "compare", "derby", "england"])
    assert result.exit_code == 0, result.output
    assert "Initial child protection conference" in result.output
    markdown = tmp_path / "compare.md"
    assert runner.invoke(cli, ["standards", "compare", "derby", "--out", str(markdown)]).exit_code == 0
    text = markdown.read_text()
    assert "| Topic | Statutory floor" in text and "| Initial child protection conference |" in text
    page = tmp_path / "compare.html"
    assert runner.invoke(cli, ["standards", "compare", "derby", "--out", str(page)]).exit_code == 0
    html = page.read_text()
    assert '<th scope="col">Topic</th>' in html and '<th scope="row">Assessment</th>' in html
    book = tmp_path / "compare.xlsx"
    assert runner.invoke(cli, ["standards", "compare", "derby", "--out", str(book)]).exit_code == 0
    sheet = load_workbook(book)["Comparison"]
    assert sheet["A1"].value == "Topic" and sheet["C1"].value == load_pack("derby").title
    bad = runner.invoke(cli, ["standards", "compare", "derby", "--out", str(tmp_path / "compare.txt")])
    assert bad.exit_code != 0


def test_topics_the_law_leaves_untimed_say_so() -> None:
    rows = {row.topic: row for row in compare_packs(["derby"]).rows}
    assert rows["cp_visits"].floor.status is CellStatus.NO_STATUTORY_TIMESCALE
    assert "visits" in rows["cp_visits"].floor.note
    assert rows["cp_visits"].cells[0].status is not CellStatus.MISSING


def test_equal_numbers_timing_different_things_are_not_the_same_as_statute(tmp_path: Path) -> None:
    other_anchor = ICPC.format(n=15, overrides="").replace("source: s47_enquiry, where", "source: referral, where")
    other_anchor = other_anchor.replace("conference_needed: {not: false}, nfa: {not: true}", "nfa: {not: true}")
    other_anchor = other_anchor.replace("  match: {s47_enquiry_id: s47_enquiry_id}\n", "")
    pack = _pack(tmp_path, "other", {"icpc-15": other_anchor})
    (cell,) = next(r for r in compare_packs([pack]).rows if r.topic == "icpc").cells
    assert cell.status is CellStatus.DIFFERENT
