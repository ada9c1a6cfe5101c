"""The audit form of one child, and the auditor's audit of it: draft, submit, return, kept in the store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from qa_council import AS_AT
from sqlalchemy import Engine

from casewatch import api
from casewatch.data import CaseData
from casewatch.errors import CasewatchError
from casewatch.qa import store
from casewatch.qa.allocation import allocate, auditors_in, reallocate
from casewatch.qa.completed import (
    AuditStatus,
    CompletedAudit,
    QuestionAnswer,
    return_for_change,
    save_draft,
    submit,
)
from casewatch.qa.form import AuditForm, build_form
from casewatch.qa.programme import Programme, build_programme
from casewatch.qa.sampling import SampleRule, draw_sample
from casewatch.results import RESULT_SCHEMA, Results, Status
from casewatch.web.store import open_store

Load = Callable[..., CaseData]
PACK = api.load_standards("rutland")


def _programme(**kwargs: Any) -> Programme:
    return build_programme(
        PACK,
        "CP audit, November",
        rule=SampleRule(per="team", n=2),
        due_date=date(2026, 11, 30),
        auditors=("A1", "A2"),
        **kwargs,
    )


def _instance(person: str, standard: str, due: date, status: Status, done: date | None = None) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(RESULT_SCHEMA.names)
    row.update(
        subject_type="child",
        subject_id=person,
        standard_id=standard,
        standard_version=1,
        rule_kind="series",
        sequence=1,
        due_date=due,
        completed_date=done,
        status=status.value,
        explanation=f"Due {due}: a visit",
    )
    return row


def test_the_form_asks_the_programmes_questions_grouped_as_the_document_groups_them() -> None:
    programme = _programme(groups=("child-protection",), questions=("adoption-decision-record",))
    form = build_form(PACK, programme, "C1", AS_AT)
    assert [s.id for s in form.sections] == ["adoption", "child-protection"]  # the document's order
    assert [q.id for q in form.sections[0].questions] == ["adoption-decision-record"]
    cp = next(g for g in PACK.audit_groups if g.id == "child-protection")
    assert form.sections[1].questions == tuple(cp.questions)  # each with its section and verbatim quote
    assert all(q.citation.quote for q in form.questions)
    assert form.scale.name == "four-point"
    assert form.compliance is None
    assert "evaluate the pack first" in form.compliance_summary()


def test_the_compliance_section_holds_the_childs_results_due_in_the_last_12_months() -> None:
    rows = [
        _instance("C1", "rutland.cp-visits", date(2026, 10, 20), Status.OVERDUE),
        _instance("C1", "rutland.cp-visits", date(2026, 3, 2), Status.MET, date(2026, 3, 1)),
        _instance("C1", "rutland.cp-visits", date(2025, 10, 31), Status.MET_LATE, date(2025, 11, 3)),  # before
        _instance("C2", "rutland.cp-visits", date(2026, 10, 1), Status.MET, date(2026, 9, 30)),  # another child
        _instance("C1", "rutland.cin-meeting", date(2026, 11, 20), Status.NOT_DUE),  # after the audit date
    ]
    results = Results(
        instances=pa.Table.from_pylist(rows, schema=RESULT_SCHEMA),
        as_at=AS_AT,
        standards=list(PACK.standards.values()),
    )
    form = build_form(PACK, _programme(), "C1", AS_AT, results)
    assert form.compliance is not None
    assert [(e.due_date, e.status) for e in form.compliance] == [
        (date(2026, 3, 2), Status.MET),
        (date(2026, 10, 20), Status.OVERDUE),
    ]
    assert form.compliance[0].title == PACK.get("rutland.cp-visits").title
    assert form.compliance[0].explanation == "Due 2026-03-02: a visit"
    assert form.compliance_summary().startswith("2 items fell due in the last 12 months")
    assert form.compliance_summary().endswith(": 1 of 2 judged on time")
    with pytest.raises(CasewatchError, match="the results are as at 2026-10-30, not the audit date 2026-10-29"):
        build_form(PACK, _programme(), "C1", date(2026, 10, 29), results)


def test_the_compliance_section_is_the_evaluations_own_instances_of_the_child(council: Load) -> None:
    data = council()
    results = api.evaluate(PACK, data, AS_AT)
    form = build_form(PACK, _programme(), "C1", AS_AT, results)
    assert form.compliance is not None and form.compliance  # C1's plan fell due for visits
    first = date(2025, 11, 1)
    expected = sorted(
        (r["due_date"], r["standard_id"], r["status"])
        for r in results.instances.to_pylist()
        if r["subject_id"] == "C1"
        and r["due_date"] is not None
        and first <= r["due_date"] <= AS_AT
        and r["standard_id"] not in results.limited
    )
    assert sorted((e.due_date, e.standard_id, e.status.value) for e in form.compliance) == expected


def _form() -> AuditForm:
    return build_form(PACK, _programme(groups=("child-protection",)), "C1", AS_AT)


def _whole(form: AuditForm) -> CompletedAudit:
    return CompletedAudit(
        person_id="C1",
        auditor_id="A1",
        answers={q.id: QuestionAnswer("met", "good", "the plan of 3 March names it") for q in form.questions},
        overall_grade="good",
        child_voice="C1's wishes are recorded in her own words at each visit",
        impact="C1 now attends school every day",
    )


def test_a_draft_may_be_partial_but_what_it_holds_must_fit_the_form() -> None:
    form = _form()
    first = form.questions[0].id
    draft = save_draft(form, CompletedAudit("C1", "A1", answers={first: QuestionAnswer("partly_met")}))
    assert draft.status is AuditStatus.DRAFT
    with pytest.raises(CasewatchError, match="does not ask the question 'adoption-decision-record'"):
        save_draft(form, CompletedAudit("C1", "A1", answers={"adoption-decision-record": QuestionAnswer("met")}))
    with pytest.raises(CasewatchError, match=f"question '{first}': 'amber' is not a grade of the scale"):
        save_draft(form, CompletedAudit("C1", "A1", answers={first: QuestionAnswer("met", "amber")}))
    with pytest.raises(CasewatchError, match="the overall grade: 'green' is not a grade"):
        save_draft(form, CompletedAudit("C1", "A1", overall_grade="green"))
    with pytest.raises(CasewatchError, match="this is the form of C1, not of C2"):
        save_draft(form, CompletedAudit("C2", "A1"))


def test_submitting_needs_the_whole_audit_and_names_the_first_gap() -> None:
    form = _form()
    whole = _whole(form)
    last = form.questions[-1]
    gaps = {
        f"question '{last.id}' has no answer": {**whole.answers, last.id: QuestionAnswer()},
        f"question '{last.id}' is answered 'not_met' with no evidence": {
            **whole.answers,
            last.id: QuestionAnswer("not_met", "inadequate", " "),
        },
    }
    for sentence, answers in gaps.items():
        with pytest.raises(CasewatchError, match=sentence):
            submit(form, CompletedAudit("C1", "A1", answers, "good", whole.child_voice, whole.impact))
    na = {**whole.answers, last.id: QuestionAnswer("not_applicable")}  # needs no evidence
    assert submit(form, CompletedAudit("C1", "A1", na, "good", whole.child_voice, whole.impact)).status is (
        AuditStatus.SUBMITTED
    )
    for field, sentence in (
        ("overall_grade", "has no overall grade"),
        ("child_voice", "does not say how the child's voice is heard"),
        ("impact", "does not say what the impact for the child has been"),
    ):
        value: Any = None if field == "overall_grade" else ""
        with pytest.raises(CasewatchError, match=sentence):
            submit(form, CompletedAudit(**{**whole.__dict__, field: value}))


def test_a_submitted_audit_is_returned_with_a_reason_changed_and_submitted_again() -> None:
    form = _form()
    submitted = submit(form, _whole(form))
    with pytest.raises(CasewatchError, match="already submitted"):
        submit(form, submitted)
    with pytest.raises(CasewatchError, match="has been submitted; the QA lead must return it first"):
        save_draft(form, submitted)
    with pytest.raises(CasewatchError, match="say why the audit is returned"):
        return_for_change(submitted, "  ")
    returned = return_for_change(submitted, "the evidence for the core group question is missing")
    assert (returned.status, returned.returned_because) == (
        AuditStatus.RETURNED,
        "the evidence for the core group question is missing",
    )
    assert save_draft(form, returned).status is AuditStatus.RETURNED  # still returned while being changed
    with pytest.raises(CasewatchError, match="only a submitted audit can be returned; the audit of C1 is returned"):
        return_for_change(returned, "again")
    again = submit(form, returned)
    assert (again.status, again.returned_because) == (AuditStatus.SUBMITTED, "")


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")


def test_an_audit_is_kept_by_its_current_auditor_and_reads_back_as_kept(council: Load, engine: Engine) -> None:
    data = council()
    programme = build_programme(
        PACK,
        "CP audit, November",
        rule=SampleRule(per="council", n=7),
        due_date=date(2026, 11, 30),
        auditors=("A1", "A2"),
        groups=("child-protection",),
        across_teams=False,
    )
    sample = draw_sample(data, AS_AT, programme.rule, seed=1)
    auditors = auditors_in(data, ["A1", "A2"], AS_AT)
    allocation = allocate(sample, auditors, across_teams=False)
    sample_id = store.keep(engine, programme, sample, allocation)
    person = "C1"
    auditor = allocation.auditor_of(person)
    assert auditor is not None
    form = build_form(PACK, programme, person, AS_AT)
    assert store.load_audit(engine, sample_id, person) is None
    first = form.questions[0].id
    draft = save_draft(form, CompletedAudit(person, auditor, answers={first: QuestionAnswer("met", None, "seen")}))
    store.save_audit(engine, sample_id, draft)
    assert store.load_audit(engine, sample_id, person) == draft
    whole = CompletedAudit(
        person,
        auditor,
        {q.id: QuestionAnswer("partly_met", "requires_improvement", "plan") for q in form.questions},
        "requires_improvement",
        "recorded",
        "better",
        safeguarding_concern=True,
    )
    done = submit(form, whole)
    store.save_audit(engine, sample_id, done)  # the answers replaced whole
    assert store.load_audit(engine, sample_id, person) == done
    other = "A2" if auditor == "A1" else "A1"
    with pytest.raises(CasewatchError, match=f"the audit of {person} is allocated to {auditor}, not {other}"):
        store.save_audit(engine, sample_id, CompletedAudit(person, other))
    with pytest.raises(CasewatchError, match="C404 is not allocated for audit in sample"):
        store.save_audit(engine, sample_id, CompletedAudit("C404", auditor))
    moved = reallocate(allocation, sample, person, auditors, to=other, reason="leave", across_teams=False)
    store.save_allocation(engine, sample_id, moved)
    with pytest.raises(CasewatchError, match=f"the audit of {person} has been submitted; the QA lead must return"):
        store.save_audit(engine, sample_id, CompletedAudit(person, other))  # a draft may not undo a submission
    returned = return_for_change(replace(done, auditor_id=other), "name the core group's date")
    store.save_audit(engine, sample_id, returned)  # the audit is the new auditor's now
    assert store.load_audit(engine, sample_id, person) == returned
