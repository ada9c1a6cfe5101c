"""Escalation: a handed-in audit graded inadequate, or with a safeguarding concern, is raised at once for the
child's manager and the head of service, and stays open until acknowledged."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from qa_council import AS_AT, write_council
from sqlalchemy import Engine

from casewatch import api
from casewatch.data import CaseData
from casewatch.errors import CasewatchError
from casewatch.qa import store
from casewatch.qa.allocation import allocate, auditors_in
from casewatch.qa.completed import CompletedAudit, QuestionAnswer, concerns, return_for_change, save_draft, submit
from casewatch.qa.form import build_form
from casewatch.qa.grades import grade_scale
from casewatch.qa.programme import Programme, build_programme
from casewatch.qa.sampling import SampleRule, draw_sample
from casewatch.web.store import open_store

Load = Callable[..., CaseData]
PACK = api.load_standards("rutland")
QUESTION = "first-core-group-chair"
CASEWATCH = Path(sys.executable).parent / "casewatch"


def _programme() -> Programme:
    return build_programme(
        PACK,
        "Thematic",
        rule=SampleRule(per="council", n=7),
        due_date=date(2026, 11, 30),
        auditors=("A1", "A2"),
        questions=(QUESTION,),
        across_teams=False,
    )


def _audit(
    person: str, auditor: str, grade: str, *, concern: bool = False, question_grade: str | None = None
) -> CompletedAudit:
    return CompletedAudit(
        person,
        auditor,
        {QUESTION: QuestionAnswer("not_met", question_grade, "no chair named")},
        grade,
        "heard",
        "none yet",
        safeguarding_concern=concern,
    )


def test_the_concerns_are_the_scales_concern_grades_and_the_auditors_flag() -> None:
    scale = grade_scale("four-point").scale
    assert concerns(_audit("C1", "A1", "good"), scale) == ()
    assert concerns(_audit("C1", "A1", "inadequate"), scale) == ("graded inadequate overall",)
    assert concerns(_audit("C1", "A1", "good", question_grade="inadequate"), scale) == (
        f"graded a concern on {QUESTION}",
    )
    assert concerns(_audit("C1", "A1", "good", concern=True), scale) == (
        "the auditor recorded a safeguarding concern on the file",
    )
    assert concerns(_audit("C1", "A1", "2"), grade_scale("zero-to-ten").scale) == ()  # that scale marks none


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")


def test_a_handed_in_concern_is_raised_once_for_the_childs_manager_until_acknowledged(
    council: Load, engine: Engine
) -> None:
    data = council()
    programme = _programme()
    sample = draw_sample(data, AS_AT, programme.rule, seed=1)
    allocation = allocate(sample, auditors_in(data, ["A1", "A2"], AS_AT), across_teams=False)
    sample_id = store.keep(engine, programme, sample, allocation)
    form_c1, form_c5 = (build_form(PACK, programme, p, AS_AT) for p in ("C1", "C5"))
    a1, a5 = allocation.auditor_of("C1") or "", allocation.auditor_of("C5") or ""

    store.save_audit(engine, sample_id, save_draft(form_c1, _audit("C1", a1, "inadequate")))
    assert store.open_escalations(engine) == []  # a draft is not a finding yet
    store.save_audit(engine, sample_id, submit(form_c5, _audit("C5", a5, "good")))
    assert store.open_escalations(engine) == []  # nothing of concern
    submitted = submit(form_c1, _audit("C1", a1, "inadequate", concern=True))
    store.save_audit(engine, sample_id, submitted)
    (raised,) = store.open_escalations(engine)
    assert (raised.person_id, raised.team_id, raised.manager_id) == ("C1", "T1", "M1")  # W1's line manager
    assert raised.reason == "graded inadequate overall; the auditor recorded a safeguarding concern on the file"
    assert store.open_escalations(engine, manager_id="M1") == [raised]
    assert store.open_escalations(engine, manager_id="M2") == []

    # Returned and handed in again while still open: not raised twice.
    store.save_audit(engine, sample_id, return_for_change(submitted, "add the date of the strategy meeting"))
    store.save_audit(engine, sample_id, submit(form_c1, _audit("C1", a1, "inadequate", concern=True)))
    assert [e.id for e in store.open_escalations(engine)] == [raised.id]

    store.acknowledge(engine, raised.id, "M1, team manager")
    assert store.open_escalations(engine) == []
    with pytest.raises(CasewatchError, match=f"there is no open escalation {raised.id}"):
        store.acknowledge(engine, raised.id, "M1")
    with pytest.raises(CasewatchError, match="say who acknowledges the escalation"):
        store.acknowledge(engine, raised.id, " ")


def test_the_commands_list_and_acknowledge_escalations(tmp_path: Path) -> None:
    folder = write_council(tmp_path / "council")
    kept = tmp_path / "store.sqlite"
    engine = open_store(f"sqlite:///{kept}")
    data = api.load_data(folder, as_at=AS_AT)
    try:
        programme = _programme()
        sample = draw_sample(data, AS_AT, programme.rule, seed=1)
        allocation = allocate(sample, auditors_in(data, ["A1", "A2"], AS_AT), across_teams=False)
    finally:
        data.close()
    sample_id = store.keep(engine, programme, sample, allocation)
    audit = _audit("C1", allocation.auditor_of("C1") or "", "inadequate")
    store.save_audit(engine, sample_id, submit(build_form(PACK, programme, "C1", AS_AT), audit))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(CASEWATCH), "qa", *args, "--store", str(kept)], capture_output=True, text=True)

    listed = run("escalations")
    assert listed.returncode == 0, listed.stderr
    assert "graded inadequate overall" in " ".join(listed.stdout.split())
    done = run("acknowledge", "1", "--by", "M1, team manager")
    assert done.returncode == 0 and "Escalation 1 acknowledged by M1, team manager." in " ".join(done.stdout.split())
    assert "No escalation is waiting to be acknowledged." in run("escalations").stdout
    again = run("acknowledge", "1", "--by", "M1")
    assert again.returncode == 1 and "there is no open escalation 1" in again.stderr and "Traceback" not in again.stderr
