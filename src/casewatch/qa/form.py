"""The audit form of one child: the programme's questions as the document groups them, and the child's timescales.

An auditor reads the file against the questions, so the form shows each one with the section and the verbatim
quote it comes from: the auditor judges the practice the document describes, not a paraphrase. Above the
quality questions sits the **compliance section**, filled from the child's automated results: which visits,
reviews and plans fell due in the last 12 months to the audit date and whether each was on time, with the
evidence the engine found (its explanation). The auditor does not count visits by hand, and the audit and the
dashboard cannot disagree about the same child, since both read one set of results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow.compute as pc

from casewatch.errors import CasewatchError
from casewatch.results import Results, Status
from casewatch.results.periods import Period, in_period, parse_period
from casewatch.standards.audit import AuditQuestion
from casewatch.standards.pack import Pack

from .grades import NamedScale, grade_scale
from .programme import Programme, pack_audit_groups

#: The reporting period the compliance section covers (results.periods' spelling): compliance now.
COMPLIANCE_PERIOD = "last-12-months"


@dataclass(frozen=True)
class FormSection:
    """A group of the document's audit questions, in its order, as asked by the programme."""

    id: str
    title: str
    questions: tuple[AuditQuestion, ...]


@dataclass(frozen=True)
class Evidence:
    """One of the child's automated results: what fell due, when, and what the data shows was done."""

    standard_id: str
    title: str
    due_date: date | None
    completed_date: date | None
    status: Status
    explanation: str


@dataclass(frozen=True)
class AuditForm:
    """Everything an auditor needs to audit one child's file for a programme."""

    programme: str
    pack: str
    person_id: str
    as_at: date
    scale: NamedScale
    sections: tuple[FormSection, ...]
    #: The child's results due in ``period``, by due date; None when no results were given (said on the form).
    compliance: tuple[Evidence, ...] | None
    period: str

    @property
    def questions(self) -> tuple[AuditQuestion, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, question_id: str) -> AuditQuestion:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise CasewatchError(f"the programme '{self.programme}' does not ask the question '{question_id}'")

    def compliance_summary(self) -> str:
        """One line for the top of the compliance section."""
        if self.compliance is None:
            return "No automated results were given, so the compliance section is empty: evaluate the pack first."
        if not self.compliance:
            return f"Nothing fell due for this child in {self.period}."
        judged = [e for e in self.compliance if e.status in (Status.MET, Status.MET_LATE, Status.OVERDUE)]
        on_time = sum(e.status is Status.MET for e in judged)
        return (
            f"{len(self.compliance)} item{'s' if len(self.compliance) != 1 else ''} fell due in {self.period}: "
            f"{on_time} of {len(judged)} judged on time"
        )


def build_form(
    pack: Pack, programme: Programme, person_id: str, as_at: date, results: Results | None = None
) -> AuditForm:
    """The form of ``person_id`` for ``programme``: its questions grouped as the document groups them, and the
    child's automated results due in the last 12 months to ``as_at`` (``results``, evaluated as at that date)."""
    if pack.id != programme.pack:
        raise CasewatchError(f"the programme '{programme.name}' audits against '{programme.pack}', not '{pack.id}'")
    asked = set(programme.questions)
    sections = tuple(
        FormSection(group.id, group.title, tuple(q for q in group.questions if q.id in asked))
        for group in pack_audit_groups(pack)
        if group.id in programme.groups and any(q.id in asked for q in group.questions)
    )
    period = parse_period(COMPLIANCE_PERIOD, as_at)
    compliance = None if results is None else _evidence(results, person_id, period)
    return AuditForm(
        programme=programme.name,
        pack=pack.id,
        person_id=person_id,
        as_at=as_at,
        scale=grade_scale(programme.grade_scale),
        sections=sections,
        compliance=compliance,
        period=period.label,
    )


def _evidence(results: Results, person_id: str, period: Period) -> tuple[Evidence, ...]:
    if results.as_at is not None and results.as_at != period.as_at:
        raise CasewatchError(
            f"the results are as at {results.as_at}, not the audit date {period.as_at}: evaluate the pack as at "
            "the audit date, so the form shows what was due and done then"
        )
    instances = results.instances
    own = instances.filter(
        pc.and_(pc.equal(instances["subject_type"], "child"), pc.equal(instances["subject_id"], person_id))
    )
    due = in_period(own, period, results.limited)
    titles = {s.id: s.title for s in results.standards}
    rows = sorted(
        due.select(["standard_id", "due_date", "completed_date", "status", "explanation"]).to_pylist(),
        key=lambda r: (r["due_date"] or date.min, r["standard_id"]),
    )
    return tuple(
        Evidence(
            standard_id=r["standard_id"],
            title=titles.get(r["standard_id"], r["standard_id"]),
            due_date=r["due_date"],
            completed_date=r["completed_date"],
            status=Status(r["status"]),
            explanation=r["explanation"] or "",
        )
        for r in rows
    )


__all__ = ["COMPLIANCE_PERIOD", "AuditForm", "Evidence", "FormSection", "build_form"]
