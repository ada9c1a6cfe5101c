"""An auditor's audit of one child's file: answers, grades, the child's voice, and where it is in its life.

An audit is saved as a draft as often as the auditor likes, then submitted; the QA lead may return a submitted
audit for change, with the reason, and the auditor submits it again. Submitting checks the audit is whole: every
question answered from the answers the question allows, a grade from the programme's scale where one is given,
an overall grade, and the two things every council's form asks and a data field never shows, the child's voice
and the impact for the child. Each refusal is one sentence naming the question, so an auditor offline or in the
app knows what to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from casewatch.errors import CasewatchError
from casewatch.standards.audit import Answer

from .form import AuditForm
from .grades import GradeScale


class AuditProblem(CasewatchError):
    """Why an audit cannot be kept or handed in, with where on the form: a question's id or one of the form's
    fields (``overall_grade``, ``child_voice``, ``impact``), so the app or a workbook points at the very cell."""

    def __init__(self, message: str, *, question: str | None = None, part: str | None = None, column: str = "") -> None:
        super().__init__(message)
        self.question = question
        self.part = part
        #: Which column of the question: ``answer``, ``grade`` or ``evidence``.
        self.column = column


class AuditStatus(StrEnum):
    """Where an audit is: being written, handed in, or sent back to its auditor."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"


@dataclass(frozen=True)
class QuestionAnswer:
    """The auditor's finding on one question: the answer, a grade where the programme grades questions, and the
    evidence from the file (what the auditor read that shows it)."""

    answer: Answer | None = None
    grade: str | None = None
    evidence: str = ""


@dataclass(frozen=True)
class CompletedAudit:
    """One child's audit for a programme, as the auditor has it so far."""

    person_id: str
    auditor_id: str
    answers: Mapping[str, QuestionAnswer] = field(default_factory=dict)
    overall_grade: str | None = None
    child_voice: str = ""
    impact: str = ""
    #: A safeguarding concern the auditor found on the file: the escalation slice notifies on it.
    safeguarding_concern: bool = False
    status: AuditStatus = AuditStatus.DRAFT
    #: Why the QA lead returned it (kept while it is being changed, so the auditor can read it).
    returned_because: str = ""


def save_draft(form: AuditForm, audit: CompletedAudit) -> CompletedAudit:
    """Keep whatever the auditor has written so far: a draft may be partial, but what it holds must fit the form
    (a question the programme asks, an answer the question allows, a grade of the scale)."""
    if audit.status is AuditStatus.SUBMITTED:
        raise CasewatchError(f"the audit of {audit.person_id} has been submitted; the QA lead must return it first")
    _check_values(form, audit)
    status = AuditStatus.RETURNED if audit.status is AuditStatus.RETURNED else AuditStatus.DRAFT
    return replace(audit, status=status)


def submit(form: AuditForm, audit: CompletedAudit) -> CompletedAudit:
    """Hand the audit in: it must be whole (every question answered, the overall grade, the child's voice and the
    impact for the child); the first gap is the one sentence raised."""
    if audit.status is AuditStatus.SUBMITTED:
        raise CasewatchError(f"the audit of {audit.person_id} is already submitted")
    _check_values(form, audit)
    for question in form.questions:
        given = audit.answers.get(question.id)
        if given is None or given.answer is None:
            raise AuditProblem(
                f"question '{question.id}' has no answer: {question.question}", question=question.id, column="answer"
            )
        if given.answer != "not_applicable" and not given.evidence.strip():
            raise AuditProblem(
                f"question '{question.id}' is answered '{given.answer}' with no evidence: "
                "say what in the file shows it",
                question=question.id,
                column="evidence",
            )
    if audit.overall_grade is None:
        raise AuditProblem(f"the audit of {audit.person_id} has no overall grade", part="overall_grade")
    if not audit.child_voice.strip():
        raise AuditProblem(
            f"the audit of {audit.person_id} does not say how the child's voice is heard", part="child_voice"
        )
    if not audit.impact.strip():
        raise AuditProblem(
            f"the audit of {audit.person_id} does not say what the impact for the child has been", part="impact"
        )
    return replace(audit, status=AuditStatus.SUBMITTED, returned_because="")


def return_for_change(audit: CompletedAudit, reason: str) -> CompletedAudit:
    """The QA lead sends a submitted audit back to its auditor, saying why."""
    if audit.status is not AuditStatus.SUBMITTED:
        raise CasewatchError(
            f"only a submitted audit can be returned; the audit of {audit.person_id} is {audit.status}"
        )
    if not reason.strip():
        raise CasewatchError("say why the audit is returned, so the auditor knows what to change")
    return replace(audit, status=AuditStatus.RETURNED, returned_because=reason.strip())


def concerns(audit: CompletedAudit, scale: GradeScale) -> tuple[str, ...]:
    """Why a handed-in audit must be escalated to the child's manager and the head of service at once, if it must:
    an overall grade the scale marks as a concern (inadequate, red), or a safeguarding concern the auditor found."""
    found: list[str] = []
    if audit.overall_grade is not None and scale.grade(audit.overall_grade).concern:
        found.append(f"graded {scale.grade(audit.overall_grade).label.lower()} overall")
    graded = [
        question_id
        for question_id, given in audit.answers.items()
        if given.grade is not None and scale.grade(given.grade).concern
    ]
    if graded:
        found.append(f"graded a concern on {', '.join(graded)}")
    if audit.safeguarding_concern:
        found.append("the auditor recorded a safeguarding concern on the file")
    return tuple(found)


def _check_values(form: AuditForm, audit: CompletedAudit) -> None:
    if audit.person_id != form.person_id:
        raise CasewatchError(f"this is the form of {form.person_id}, not of {audit.person_id}")
    scale = form.scale.scale
    for question_id, given in audit.answers.items():
        try:
            question = form.question(question_id)
        except CasewatchError as error:
            raise AuditProblem(str(error), question=question_id) from None
        if given.answer is not None and given.answer not in question.answers:
            raise AuditProblem(
                f"question '{question_id}' is answered '{given.answer}'; it allows {', '.join(question.answers)}",
                question=question_id,
                column="answer",
            )
        if given.grade is not None:
            _grade(scale, given.grade, f"question '{question_id}'", question=question_id, column="grade")
    if audit.overall_grade is not None:
        _grade(scale, audit.overall_grade, "the overall grade", part="overall_grade")


def _grade(scale: GradeScale, grade: str, where: str, **place: str) -> None:
    try:
        scale.grade(grade)
    except CasewatchError as error:
        raise AuditProblem(f"{where}: {error}", **place) from None


__all__ = [
    "AuditProblem",
    "AuditStatus",
    "CompletedAudit",
    "QuestionAnswer",
    "return_for_change",
    "save_draft",
    "submit",
]
