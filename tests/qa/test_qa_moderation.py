"""Moderation: a share of the handed-in audits graded again blind by an independent moderator, agreement counted
per question and per auditor, and a disagreement on the overall grade settled with a recorded reason."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from qa_council import AS_AT, write_council
from sqlalchemy import Engine

from casewatch import api
from casewatch.data import CaseData
from casewatch.errors import CasewatchError
from casewatch.qa import store
from casewatch.qa.allocation import allocate, auditors_in
from casewatch.qa.completed import CompletedAudit, QuestionAnswer, submit
from casewatch.qa.form import build_form
from casewatch.qa.moderation import Moderation, ModerationStatus, agreement, choose_for_moderation, grade, resolve
from casewatch.qa.programme import Programme, build_programme
from casewatch.qa.sampling import Sample, SampleRule, draw_sample
from casewatch.qa.workbook import ANSWER_COLUMN, QUESTION_HEADINGS
from casewatch.web.store import open_store

Load = Callable[..., CaseData]
PACK = api.load_standards("rutland")
Q1, Q2 = "first-core-group-chair", "inter-agency-plan"
CASEWATCH = Path(sys.executable).parent / "casewatch"


def _programme() -> Programme:
    return build_programme(
        PACK,
        "Moderated",
        rule=SampleRule(per="council", n=7),
        due_date=date(2026, 11, 30),
        auditors=("A1", "A2"),
        questions=(Q1, Q2),
        across_teams=False,
    )


def _handed_in(data: CaseData, engine: Engine) -> tuple[int, Sample, dict[str, CompletedAudit]]:
    """Every child of the sample audited and handed in: Q1 met, Q2 partly met, graded good."""
    programme = _programme()
    sample = draw_sample(data, AS_AT, programme.rule, seed=1)
    allocation = allocate(sample, auditors_in(data, ["A1", "A2"], AS_AT), across_teams=False)
    sample_id = store.keep(engine, programme, sample, allocation)
    audits = {}
    for member in sample.members:
        person = member.person_id
        audit = CompletedAudit(
            person,
            allocation.auditor_of(person) or "",
            {Q1: QuestionAnswer("met", None, "minutes"), Q2: QuestionAnswer("partly_met", None, "plan")},
            "good",
            "heard",
            "safer",
        )
        audits[person] = submit(build_form(PACK, programme, person, AS_AT), audit)
        store.save_audit(engine, sample_id, audits[person])
    return sample_id, sample, audits


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")


def test_a_share_is_drawn_reproducibly_each_to_an_independent_moderator(council: Load, engine: Engine) -> None:
    _, sample, audits = _handed_in(council(), engine)
    chosen, refused = choose_for_moderation(sample, list(audits.values()), ["M1", "M2", "A1"], 30, seed=5)
    assert len(chosen) == 3 and refused == []  # 30% of 7, rounded up
    again, _ = choose_for_moderation(sample, list(audits.values()), ["M1", "M2", "A1"], 30, seed=5)
    assert again == chosen
    members = {m.person_id: m for m in sample.members}
    for moderation in chosen:
        assert moderation.moderator_id != audits[moderation.person_id].auditor_id
        assert moderation.moderator_id != members[moderation.person_id].manager_id
    # M1 manages W1, the worker of C1 and C2: for them only someone else moderates; alone, M1 is refused with why.
    only_m1, refused = choose_for_moderation(sample, [audits["C1"]], ["M1"], 100, seed=5)
    assert only_m1 == []
    assert refused == ["M1 cannot moderate the audit of C1: they are the line manager of W1, the child's worker."]
    auditor = audits["C1"].auditor_id
    _, refused = choose_for_moderation(sample, [audits["C1"]], [auditor], 100, seed=5)
    assert refused == [f"{auditor} cannot moderate the audit of C1: they audited it."]
    with pytest.raises(CasewatchError, match="a percentage above 0 and at most 100, not 0"):
        choose_for_moderation(sample, list(audits.values()), ["M2"], 0, seed=5)
    rest, refused = choose_for_moderation(sample, list(audits.values()), ["M2"], 100, seed=5, already=["C1", "C2"])
    assert {m.person_id for m in rest} == {"C3", "C4"}  # M2 manages W3, so W3's children are refused, with why
    assert sorted(refused) == [
        f"M2 cannot moderate the audit of {c}: they are the line manager of W3, the child's worker."
        for c in ("C5", "C6", "C9")
    ]


def test_agreement_per_question_and_auditor_and_a_disagreement_settled(council: Load, engine: Engine) -> None:
    _, _, audits = _handed_in(council(), engine)
    form = build_form(PACK, _programme(), "C1", AS_AT)
    c1, c5 = audits["C1"], audits["C5"]
    same = grade(form, Moderation("C1", "M2", {Q1: "met", Q2: "partly_met"}, "good"))
    other = grade(form, Moderation("C5", "M1", {Q1: "met", Q2: "not_met"}, "requires_improvement"))
    waiting = Moderation("C9", "M1")
    questions, auditors = agreement(form, [(c1, same), (c5, other), (audits["C9"], waiting)])
    by_question = {r["question_id"]: r for r in questions.to_pylist()}
    assert (by_question[Q1]["moderated"], by_question[Q1]["agreed"], by_question[Q1]["agreement"]) == (2, 2, 100.0)
    assert (by_question[Q2]["moderated"], by_question[Q2]["agreed"], by_question[Q2]["agreement"]) == (2, 1, 50.0)
    rows = {r["auditor_id"]: r for r in auditors.to_pylist()}
    if c1.auditor_id == c5.auditor_id:
        assert rows[c1.auditor_id]["answers_agreement"] == 75.0 and rows[c1.auditor_id]["grade_agreement"] == 50.0
    else:
        assert rows[c1.auditor_id]["grade_agreement"] == 100.0 and rows[c5.auditor_id]["grade_agreement"] == 0.0
        assert rows[c5.auditor_id]["answers_agreement"] == 50.0 and rows[c5.auditor_id]["disagreements_open"] == 1

    with pytest.raises(CasewatchError, match="nothing to resolve"):
        resolve(form, same, c1, "good", "agreed")
    with pytest.raises(CasewatchError, match="say why the final grade is what it is"):
        resolve(form, other, c5, "good", " ")
    settled = resolve(form, other, c5, "requires_improvement", "the plan lacks timescales, as the moderator found")
    assert (settled.status, settled.final_grade) == (ModerationStatus.RESOLVED, "requires_improvement")
    with pytest.raises(CasewatchError, match=f"question '{Q2}' has no answer from the moderator"):
        grade(form, Moderation("C1", "M2", {Q1: "met"}, "good"))
    with pytest.raises(CasewatchError, match="has no overall grade"):
        grade(form, Moderation("C1", "M2", {Q1: "met", Q2: "met"}))


def test_moderation_offline_from_draw_to_report(tmp_path: Path) -> None:
    folder = write_council(tmp_path / "council")
    kept = tmp_path / "store.sqlite"
    engine = open_store(f"sqlite:///{kept}")
    data = api.load_data(folder, as_at=AS_AT)
    try:
        _, _, audits = _handed_in(data, engine)
    finally:
        data.close()

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(CASEWATCH), "qa", *map(str, args)], capture_output=True, text=True, check=False)

    drawn = run(
        "moderate",
        "Moderated",
        "--store",
        kept,
        "--share",
        "30",
        "--moderator",
        "M1",
        "--moderator",
        "M2",
        "--seed",
        "3",
    )
    assert drawn.returncode == 0, drawn.stderr
    assert "Drew 3 audits of sample 1 for moderation (30% of those handed in, seed 3)" in " ".join(drawn.stdout.split())
    forms = tmp_path / "moderation.xlsx"
    written = run("export", "Moderated", "--store", kept, "--data", folder, "--moderation", "--out", forms)
    assert written.returncode == 0, written.stderr
    book = load_workbook(forms)
    sheets = book.worksheets[1:]
    assert len(sheets) == 3
    for number, sheet in enumerate(sheets):
        header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == QUESTION_HEADINGS[0])
        assert sheet.cell(header + 1, ANSWER_COLUMN).value is None  # blind: the auditor's answers are not shown
        for row in (header + 1, header + 2):
            sheet.cell(row, ANSWER_COLUMN).value = "met"
        label = {str(sheet.cell(r, 1).value): r for r in range(1, sheet.max_row + 1)}
        sheet.cell(label["Overall grade"], 2).value = "good" if number else "inadequate"
        sheet.cell(label["Hand in (yes/no)"], 2).value = "yes"
    book.save(forms)
    imported = run("import", forms, "--store", kept)
    assert imported.returncode == 0, imported.stderr
    said = " ".join(imported.stdout.split())
    first = str(sheets[0].cell(next(r for r in range(1, 20) if sheets[0].cell(r, 1).value == "Child"), 2).value)
    assert "Kept 3 moderations of sample 1" in said
    moderator = next(m.moderator_id for m in store.load_moderations(engine, 1) if m.person_id == first)
    assert f"Disagreement: {first} graded good by {audits[first].auditor_id} and inadequate by {moderator}" in said

    report = run("report", "Moderated", "--store", kept, "--out", tmp_path / "report.xlsx")
    assert report.returncode == 0, report.stderr
    assert "Moderation by auditor" in report.stdout
    assert "Moderation by question" in load_workbook(tmp_path / "report.xlsx").sheetnames
    settled = run(
        "resolve",
        "Moderated",
        "--store",
        kept,
        "--child",
        first,
        "--grade",
        "requires_improvement",
        "--reason",
        "the moderator's reading of the plan",
    )
    assert settled.returncode == 0, settled.stderr
    (moderation,) = [m for m in store.load_moderations(engine, 1) if m.person_id == first]
    assert moderation == replace(moderation, status=ModerationStatus.RESOLVED, final_grade="requires_improvement")
    not_drawn = next(p for p in audits if p not in {m.person_id for m in store.load_moderations(engine, 1)})
    refused = run("resolve", "Moderated", "--store", kept, "--child", not_drawn, "--grade", "good", "--reason", "x")
    assert refused.returncode == 1 and f"the audit of {not_drawn} was not moderated" in refused.stderr
