"""statements.yaml and audit questions: strict, located errors; and `casewatch standards coverage`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from casewatch.cli import cli
from casewatch.cli import standards as commands
from casewatch.errors import StandardsError
from casewatch.standards.loader import load_pack
from casewatch.standards.statement_check import Coverage, CoverageRow, coverage
from casewatch.standards.statements import Encoding, Statement, quote_found

PACK = """\
id: testcouncil
title: Test council
jurisdiction: england
calendar: england
extends: england
documents:
  ps: {title: Test council practice standards, edition: Undated, published: In the test}
"""

STANDARD = """\
id: allocated-worker
title: Every open case has an allocated worker
type: local
role: Team Manager
citation:
  document: ps
  section: "1"
  quote: Every child has an allocated worker
  checked: verbatim
effective_from: 2020-01-01
rule:
  kind: state
  population: {source: referral}
  related: {source: allocation}
  min: 1
"""

STATEMENTS = """\
document: ps
statements:
  - id: allocated
    section: "1"
    text: Every child has an allocated worker and a plan
    encoded_as:
      standards: [allocated-worker, england.cla-visits]
      audit: [plan-exists]
  - id: values
    section: "2"
    text: We value every child
    encoded_as: {not_measurable: A statement of values}
"""

AUDIT = """\
group: plans
title: Plans
questions:
  - id: plan-exists
    question: The child has a plan.
    citation: {section: "1", quote: a plan}
    role: Case File Auditor
"""


def write_pack(
    root: Path, *, statements: str | None = STATEMENTS, audit: str | None = AUDIT, standard: str = STANDARD
) -> Path:
    folder = root / "testcouncil"
    (folder / "allocation").mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(PACK)
    (folder / "allocation" / "allocated-worker.yaml").write_text(standard)
    if statements is not None:
        (folder / "statements.yaml").write_text(statements)
    if audit is not None:
        (folder / "audit").mkdir(exist_ok=True)
        (folder / "audit" / "plans.yaml").write_text(audit)
    return folder


def error_for(tmp_path: Path, **files: str | None) -> str:
    with pytest.raises(StandardsError) as caught:
        load_pack(write_pack(tmp_path, **files))  # type: ignore[arg-type]
    return str(caught.value)


# ------------------------------------------------------------------------------------------------ loading


def test_a_good_pack_loads_with_its_statements_and_audit_questions(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path))
    assert list(pack.own) == ["testcouncil.allocated-worker"], "statements.yaml and audit/ are not standards"
    assert pack.statements is not None
    assert [s.id for s in pack.statements.statements] == ["allocated", "values"]
    assert pack.statements.standards["allocated"] == ["testcouncil.allocated-worker", "england.cla-visits"]
    (group,) = pack.audit_groups
    (question,) = group.questions
    assert question.answers == ["met", "partly_met", "not_met", "not_applicable"]


def test_unknown_key_in_statements_names_file_and_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, statements=STATEMENTS.replace("    encoded_as: {not", "    encoded_ass: {not"))
    assert "statements.yaml, line 12" in message and "unknown key 'encoded_ass'" in message


def test_unknown_key_in_an_audit_file_names_file_and_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, audit=AUDIT.replace("    role:", "    roles:"))
    assert "plans.yaml, line 7" in message and "unknown key 'roles'" in message


def test_unknown_standard_id_names_file_and_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, statements=STATEMENTS.replace("england.cla-visits", "england.cla-visit"))
    assert "statements.yaml, line 7" in message
    assert "'england.cla-visit'" in message and "not a standard of the pack 'testcouncil'" in message


def test_unknown_audit_id_names_file_and_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, statements=STATEMENTS.replace("[plan-exists]", "[plan-exist]"))
    assert "statements.yaml, line 8" in message and "audit question 'plan-exist'" in message


def test_an_audit_question_no_statement_uses_is_an_error(tmp_path: Path) -> None:
    orphan = AUDIT + "  - id: plan-reviewed\n    question: Reviewed?\n    citation: {section: '1', quote: a plan}\n"
    message = error_for(tmp_path, audit=orphan + "    role: Case File Auditor\n")
    assert "plans.yaml, line 8" in message and "'plan-reviewed' is used by no statement" in message


def test_audit_questions_without_statements_are_orphans(tmp_path: Path) -> None:
    message = error_for(tmp_path, statements=None)
    assert "plans.yaml, line 4" in message and "has no statements.yaml" in message


def test_an_empty_encoding_names_file_and_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, statements=STATEMENTS.replace("{not_measurable: A statement of values}", "{}"))
    assert "statements.yaml, line 12" in message and "'encoded_as' is empty" in message


def test_not_measurable_cannot_be_combined(tmp_path: Path) -> None:
    text = STATEMENTS.replace("{not_measurable: A statement of values}", "{not_measurable: x, audit: [plan-exists]}")
    assert "cannot be combined" in error_for(tmp_path, statements=text)


def test_an_empty_list_is_not_an_encoding(tmp_path: Path) -> None:
    message = error_for(tmp_path, statements=STATEMENTS.replace("audit: [plan-exists]", "audit: []"))
    assert "statements.yaml, line 7" in message and "'audit' is an empty list" in message


def test_statement_ids_are_unique(tmp_path: Path) -> None:
    message = error_for(tmp_path, statements=STATEMENTS.replace("id: values", "id: allocated"))
    assert "statements.yaml, line 9" in message and "'allocated' is used twice" in message


def test_an_empty_quote_is_an_error(tmp_path: Path) -> None:
    message = error_for(tmp_path, audit=AUDIT.replace("quote: a plan", "quote: ''"))
    assert "plans.yaml, line 6" in message and "quote" in message


def test_a_quote_may_come_from_any_statement_of_its_section(tmp_path: Path) -> None:
    """Section 1 holds two statements; the standard quotes the first, the audit question the second."""
    statements = (
        STATEMENTS.replace(
            "    text: Every child has an allocated worker and a plan\n",
            "    text: Every child has an allocated worker\n",
        )
        .replace(
            "  - id: values\n",
            '  - id: plan\n    section: "1"\n    text: Each child has a plan\n'
            "    encoded_as: {audit: [plan-exists]}\n  - id: values\n",
        )
        .replace("      audit: [plan-exists]\n", "")
    )
    pack = load_pack(write_pack(tmp_path, statements=statements))
    assert pack.statements is not None and [s.id for s in pack.statements.statements] == ["allocated", "plan", "values"]


def test_an_audit_quote_must_be_verbatim_in_its_statement(tmp_path: Path) -> None:
    message = error_for(tmp_path, audit=AUDIT.replace("quote: a plan", "quote: a care plan"))
    assert "plans.yaml, line 6" in message and "not found verbatim in any statement of 1 (allocated)" in message


def test_a_standard_quote_must_be_verbatim_in_its_statement(tmp_path: Path) -> None:
    message = error_for(tmp_path, standard=STANDARD.replace("quote: Every child", "quote: Each child"))
    assert "allocated-worker.yaml, line 8" in message and "not found verbatim" in message


def test_a_standard_citing_the_document_must_be_used_by_a_statement(tmp_path: Path) -> None:
    message = error_for(
        tmp_path, statements=STATEMENTS.replace("[allocated-worker, england.cla-visits]", "[england.cla-visits]")
    )
    assert "allocated-worker.yaml, line 1" in message and "used by no statement" in message


def test_the_statements_document_must_be_listed(tmp_path: Path) -> None:
    message = error_for(tmp_path, statements=STATEMENTS.replace("document: ps", "document: px"))
    assert "statements.yaml, line 1" in message and "'px'" in message


def test_source_text_checks_each_statement_is_verbatim_and_in_order(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, statements="source_text: doc.md\n" + STATEMENTS)
    (folder / "doc.md").write_text(
        "# Standards\n- 1. **Every child** has an allocated worker and a plan\n- 2. We value every child\n"
    )
    assert load_pack(folder).statements is not None
    (folder / "doc.md").write_text("- 2. We value every child\n- 1. Every child has an allocated worker and a plan\n")
    with pytest.raises(StandardsError, match=r"statements.yaml, line 12: .*'values'.* after the statement before it"):
        load_pack(folder)
    (folder / "doc.md").write_text("- 1. Every child has a worker and a plan\n- 2. We value every child\n")
    with pytest.raises(StandardsError, match=r"line 6: .*'allocated' is not found verbatim in doc.md at all"):
        load_pack(folder)


def test_quotes_may_mark_omissions() -> None:
    text = "Effective direct work is taking place, in line with the plan, which will reduce risks"
    assert quote_found("Effective direct work is taking place … which will reduce risks", text)
    assert not quote_found("which will reduce risks … Effective direct work", text)
    assert quote_found("**direct work**  is taking", "direct work is taking")


# ----------------------------------------------------------------------------------------------- coverage

DERBY_SUMMARY = "13 statements: 7 automated, 5 audit, 1 not measurable — 100% accounted for"
DERBY_ORDER = [
    "voice-and-experience",
    "timely-response",
    "allocated-worker",
    "assessments",
    "chronology",
    "smart-plan",
    "visits",
    "direct-work",
    "additional-factors",
    "reviews-and-meetings",
    "case-records",
    "supervision",
    "policies-and-procedures",
]


def test_derby_coverage_counts() -> None:
    report = coverage(load_pack("derby"))
    assert [r.statement.id for r in report.rows] == DERBY_ORDER
    assert report.summary == DERBY_SUMMARY
    assert not report.unaccounted
    rows = {r.statement.id: r for r in report.rows}
    assert rows["allocated-worker"].standards == ["derby.allocated-worker"]
    assert "england.cla-visits" in rows["visits"].standards
    assert rows["supervision"].how == "audit"
    assert rows["policies-and-procedures"].how == "not measurable"


def test_coverage_command_prints_every_statement_in_order_and_the_summary() -> None:
    result = CliRunner().invoke(cli, ["standards", "coverage", "derby"], terminal_width=200)
    assert result.exit_code == 0, result.output
    first_cells = [line.split("│")[2].strip() for line in result.output.splitlines() if line.count("│") == 5]
    assert [cell for cell in first_cells if cell in DERBY_ORDER] == DERBY_ORDER
    assert "standards: derby.allocated-worker" in result.output
    assert "not measurable: A pointer to the" in result.output
    assert DERBY_SUMMARY in result.output


def test_coverage_command_markdown() -> None:
    result = CliRunner().invoke(cli, ["standards", "coverage", "derby", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    rows = [
        line for line in result.output.splitlines() if line.startswith("| ") and not line.startswith(("| #", "| ---"))
    ]
    assert [row.split(" | ")[1] for row in rows] == DERBY_ORDER
    assert "| 5 | chronology | Standard 5 | All children and young people to have an up to date chronology" in rows[4]
    assert DERBY_SUMMARY in result.output


def test_coverage_of_a_pack_without_statements_is_one_sentence() -> None:
    result = CliRunner().invoke(cli, ["standards", "coverage", "england"])
    assert result.exit_code != 0
    assert isinstance(result.exception, StandardsError)
    assert "has no statements.yaml" in str(result.exception)


def test_an_unaccounted_statement_fails_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader makes this impossible for a pack on disk; the command still checks, and says which."""
    statement = Statement.model_construct(
        id="lost", section="9", text="A statement nobody encoded", encoded_as=Encoding.model_construct(), notes=[]
    )
    done = Statement(id="done", section="1", text="Done", encoded_as=Encoding(not_measurable="values"))
    report = Coverage(
        pack="p",
        document="d",
        document_title="D",
        rows=[
            CoverageRow(statement=done, standards=[], audit=[], not_measurable="values"),
            CoverageRow(statement=statement, standards=[], audit=[], not_measurable=None),
        ],
        audit_groups=0,
        audit_questions=0,
    )
    assert report.summary == "2 statements: 0 automated, 0 audit, 1 not measurable — 50% accounted for"
    monkeypatch.setattr(commands, "coverage", lambda pack: report)
    result = CliRunner().invoke(cli, ["standards", "coverage", "derby"], terminal_width=200)
    assert result.exit_code == 1
    assert "NOT ACCOUNTED FOR" in result.output and "Not accounted for: lost (9)" in result.output


def test_an_audit_target_is_a_percentage(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path, audit=AUDIT.replace("    role:", "    target: 90\n    role:")))
    (question,) = pack.audit_groups[0].spec.questions
    assert question.target == 90
    message = error_for(tmp_path, audit=AUDIT.replace("    role:", "    target: 150\n    role:"))
    assert "plans.yaml, line 7" in message and "target" in message
