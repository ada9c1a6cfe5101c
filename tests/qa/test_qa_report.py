"""`casewatch qa report`: what a programme's audits found, per question against the document's target, grades by
team and progress, and the sampled children's timescales beside the council's, all hand-checked."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pytest
from openpyxl import load_workbook
from qa_council import AS_AT, write_council
from sqlalchemy import Engine

from casewatch import api
from casewatch.data import CaseData
from casewatch.qa import store
from casewatch.qa.allocation import allocate, auditors_in
from casewatch.qa.completed import CompletedAudit, QuestionAnswer, save_draft, submit
from casewatch.qa.form import build_form
from casewatch.qa.programme import Programme, build_programme
from casewatch.qa.report import build_report
from casewatch.qa.sampling import SampleRule, draw_sample
from casewatch.web.store import open_store

Load = Callable[..., CaseData]
PACK = api.load_standards("rutland")
CASEWATCH = Path(sys.executable).parent / "casewatch"
#: A question with the document's target (Rutland's early help: 100%) and one without.
TARGETED, UNTARGETED = "eh-voice-in-plan", "first-core-group-chair"


def _programme() -> Programme:
    return build_programme(
        PACK,
        "Thematic, November",
        rule=SampleRule(per="council", n=7),
        due_date=date(2026, 11, 30),
        auditors=("A1", "A2"),
        questions=(TARGETED, UNTARGETED),
        across_teams=False,
    )


def _keep(data: CaseData, engine: Engine) -> tuple[int, list[str]]:
    """The programme kept with its sample and allocation, and three audits: two handed in, one a draft."""
    programme = _programme()
    sample = draw_sample(data, AS_AT, programme.rule, seed=1)
    allocation = allocate(sample, auditors_in(data, ["A1", "A2"], AS_AT), across_teams=False)
    sample_id = store.keep(engine, programme, sample, allocation)
    found = {
        "C1": ("met", "not_applicable", "good"),  # team T1
        "C5": ("not_met", "met", "inadequate"),  # team T2
    }
    for person, (targeted, untargeted, grade) in found.items():
        audit = CompletedAudit(
            person,
            allocation.auditor_of(person) or "",
            {
                TARGETED: QuestionAnswer(targeted, None, "the plan"),
                UNTARGETED: QuestionAnswer(untargeted, None, "" if untargeted == "not_applicable" else "minutes"),
            },
            grade,
            "heard",
            "better",
        )
        store.save_audit(engine, sample_id, submit(build_form(PACK, programme, person, AS_AT), audit))
    draft = CompletedAudit("C9", allocation.auditor_of("C9") or "", {TARGETED: QuestionAnswer("met")})
    store.save_audit(engine, sample_id, save_draft(build_form(PACK, programme, "C9", AS_AT), draft))
    return sample_id, [m.person_id for m in sample.members]


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")


def test_the_report_counts_only_handed_in_audits_against_each_questions_target(council: Load, engine: Engine) -> None:
    data = council()
    sample_id, members = _keep(data, engine)
    assert {"C1", "C5", "C9"} <= set(members)
    kept = store.load_sample(engine, sample_id)
    form = build_form(PACK, _programme(), "C1", AS_AT)
    report = build_report(form, kept.sample, store.load_audits(engine, sample_id))

    questions = {row["question_id"]: row for row in report.questions.to_pylist()}
    targeted = questions[TARGETED]  # C1 met, C5 not met; C9's draft is not a finding
    assert (targeted["met"], targeted["not_met"], targeted["met_share"], targeted["target"]) == (1, 1, 50.0, 100.0)
    assert targeted["meets_target"] is False
    untargeted = questions[UNTARGETED]  # C1 not applicable: only C5 counts
    assert (untargeted["met"], untargeted["not_applicable"], untargeted["met_share"]) == (1, 1, 100.0)
    assert untargeted["target"] is None and untargeted["meets_target"] is None

    grades = {row["grade"]: row for row in report.grades.to_pylist()}
    assert grades["Good"]["all_teams"] == 1 and grades["Good"]["T1"] == 1 and grades["Good"]["T2"] == 0
    assert grades["Inadequate"]["T2"] == 1 and grades["Outstanding"]["all_teams"] == 0

    progress = {row["team_id"]: row for row in report.progress.to_pylist()}
    teams = {m.person_id: m.team_id for m in kept.sample.members}
    assert sum(row["children"] for row in progress.values()) == len(members)
    assert progress[teams["C1"]]["handed_in"] >= 1 and progress[teams["C9"]]["drafts"] == 1
    assert sum(row["not_started"] for row in progress.values()) == len(members) - 3
    assert report.timescales is None


def test_a_question_no_audit_applies_to_has_no_figure_not_zero(council: Load, engine: Engine) -> None:
    data = council()
    sample_id, _ = _keep(data, engine)
    kept = store.load_sample(engine, sample_id)
    report = build_report(build_form(PACK, _programme(), "C1", AS_AT), kept.sample, [])
    for row in report.questions.to_pylist():
        assert row["met_share"] is None and row["meets_target"] is None
        assert row["note"] == "no audit handed in where it applies, so no figure"


def test_the_sampled_childrens_timescales_stand_beside_the_councils(council: Load, engine: Engine) -> None:
    data = council()
    sample_id, members = _keep(data, engine)
    kept = store.load_sample(engine, sample_id)
    results = api.evaluate(PACK, data, AS_AT)
    report = build_report(build_form(PACK, _programme(), "C1", AS_AT), kept.sample, [], results)
    assert report.timescales is not None
    rows = {row["standard_id"]: row for row in report.timescales.to_pylist()}
    council_figures = {
        row["standard_id"]: row["compliance"]
        for row in api.compliance(results).to_pylist()
        if row["subject"] == "child"
    }
    assert {k: r["council"] for k, r in rows.items()} == council_figures  # the worker standards left out
    # By hand for each standard judged on time: met over met, late and overdue, due in the last 12 months.
    basis = {row["standard_id"]: row["basis"] for row in api.compliance(results).to_pylist()}
    checked = 0
    for standard_id, row in rows.items():
        if basis[standard_id] != "on_time":
            continue
        instances = results.instances.filter(pc.equal(results.instances["standard_id"], standard_id)).to_pylist()
        judged = [
            r["status"]
            for r in instances
            if r["subject_id"] in members
            and r["due_date"] is not None
            and date(2025, 11, 1) <= r["due_date"] <= AS_AT
            and r["status"] in ("met", "met_late", "overdue")
        ]
        assert row["sampled_judged"] == len(judged), standard_id
        expected = round(100 * judged.count("met") / len(judged), 1) if judged else None
        assert row["sampled_children"] == expected, standard_id
        checked += bool(judged)
    assert checked, "no standard had anything due for the sampled children"


def test_the_command_prints_the_report_and_writes_its_workbook(tmp_path: Path) -> None:
    folder = write_council(tmp_path / "council")
    kept = tmp_path / "store.sqlite"
    data = api.load_data(folder, as_at=AS_AT)
    try:
        _keep(data, open_store(f"sqlite:///{kept}"))
    finally:
        data.close()
    out = tmp_path / "report.xlsx"
    args = ["qa", "report", "Thematic, November", "--store", kept, "--data", folder, "--out", out]
    done = subprocess.run([str(CASEWATCH), *map(str, args)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    printed = " ".join(done.stdout.split())
    assert (
        "Thematic, November: sample 1 as at 2026-10-30" in printed and "findings from the audits handed in" in printed
    )
    assert load_workbook(out).sheetnames == ["Questions", "Grades", "Progress", "Timescales"]
    wrong = subprocess.run(
        [str(CASEWATCH), "qa", "report", "Nope", "--store", str(kept)], capture_output=True, text=True, check=False
    )
    assert wrong.returncode == 1 and "there is no audit programme called 'Nope'" in wrong.stderr
    assert "Traceback" not in wrong.stderr
