"""Moderation: a share of the audits handed in, graded again blind by a moderator, and how far the two agree.

A council trusts its audit grades when a second reader, who has not seen the first one's answers, reaches the same
ones. So a share of the submitted audits (set by the QA lead, 10% say) is drawn reproducibly from a seed, each
given to a moderator who is independent of the case (never the auditor, the child's worker or that worker's line
manager: the allocation rule's own reasons), and the moderator answers every question and grades the file again.
Agreement is then counted per question and per auditor, and an overall grade on which the two differ is a
disagreement for the QA lead to resolve with a final grade and a recorded reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

import pyarrow as pa

from casewatch.errors import CasewatchError
from casewatch.standards.audit import Answer

from .allocation import Auditor, refusal
from .completed import AuditProblem, AuditStatus, CompletedAudit
from .form import AuditForm
from .sampling import Member, Sample, draw_order


class ModerationStatus(StrEnum):
    """Where a moderation is: waiting for the moderator, graded, or (after a disagreement) settled."""

    PENDING = "pending"
    GRADED = "graded"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Moderation:
    """One audit's second, blind grading, and how a disagreement on the overall grade was settled."""

    person_id: str
    moderator_id: str
    answers: Mapping[str, Answer] = field(default_factory=dict)
    overall_grade: str | None = None
    status: ModerationStatus = ModerationStatus.PENDING
    final_grade: str | None = None
    resolution: str = ""


def choose_for_moderation(
    sample: Sample,
    audits: Sequence[CompletedAudit],
    moderators: Sequence[str],
    share: float,
    seed: int,
    *,
    already: Sequence[str] = (),
) -> tuple[list[Moderation], list[str]]:
    """``share`` percent (rounded up) of the handed-in audits not moderated ``already``, drawn in the seed's order,
    each with the least-loaded independent moderator; and one sentence for each drawn audit no moderator may take."""
    if not 0 < share <= 100:
        raise CasewatchError(f"the share to moderate is a percentage above 0 and at most 100, not {share:g}")
    if not moderators:
        raise CasewatchError("name at least one moderator (a worker id of the case data)")
    members = {m.person_id: m for m in sample.members}
    handed_in = sorted(
        (a for a in audits if a.status is AuditStatus.SUBMITTED and a.person_id not in already),
        key=lambda a: draw_order(seed, a.person_id),
    )
    wanted = math.ceil(len(handed_in) * share / 100)
    load = dict.fromkeys(moderators, 0)
    chosen: list[Moderation] = []
    refused: list[str] = []
    for audit in handed_in[:wanted]:
        member = members[audit.person_id]
        reasons = {m: _moderator_refusal(member, audit, m, sample.as_at) for m in moderators}
        free = [m for m in moderators if reasons[m] is None]
        if not free:
            refused.append(" ".join(r for r in reasons.values() if r))
            continue
        moderator = min(free, key=lambda m: (load[m], moderators.index(m)))
        load[moderator] += 1
        chosen.append(Moderation(audit.person_id, moderator))
    return chosen, refused


def _moderator_refusal(member: Member, audit: CompletedAudit, moderator: str, as_at: date) -> str | None:
    if moderator == audit.auditor_id:
        return f"{moderator} cannot moderate the audit of {audit.person_id}: they audited it."
    found = refusal(member, Auditor(moderator, None), as_at, across_teams=False)
    return None if found is None else found.replace("cannot audit", "cannot moderate the audit of")


def grade(form: AuditForm, moderation: Moderation) -> Moderation:
    """The moderator's grading, checked whole: every question of the form answered, and an overall grade; each
    gap names the question (or the overall grade), so a workbook can point at the cell."""
    scale = form.scale.scale
    unknown = sorted(set(moderation.answers) - {q.id for q in form.questions})
    if unknown:
        raise AuditProblem(
            f"the programme '{form.programme}' does not ask the question '{unknown[0]}'", question=unknown[0]
        )
    for question in form.questions:
        answer = moderation.answers.get(question.id)
        if answer is None:
            raise AuditProblem(
                f"question '{question.id}' has no answer from the moderator: {question.question}",
                question=question.id,
                column="answer",
            )
        if answer not in question.answers:
            raise AuditProblem(
                f"question '{question.id}': '{answer}' is not one of {', '.join(question.answers)}",
                question=question.id,
                column="answer",
            )
    if moderation.overall_grade is None:
        raise AuditProblem(f"the moderation of {moderation.person_id} has no overall grade", part="overall_grade")
    try:
        scale.grade(moderation.overall_grade)
    except CasewatchError as error:
        raise AuditProblem(f"the overall grade: {error}", part="overall_grade") from None
    return replace(moderation, status=ModerationStatus.GRADED)


def from_form(audit: CompletedAudit) -> Moderation:
    """A moderator's sheet, read as the same form an auditor fills (its auditor is the moderator), as a grading."""
    answers = {q: given.answer for q, given in audit.answers.items() if given.answer is not None}
    return Moderation(audit.person_id, audit.auditor_id, answers, audit.overall_grade)


def resolve(
    form: AuditForm, moderation: Moderation, audit: CompletedAudit, final_grade: str, reason: str
) -> Moderation:
    """Settle a disagreement on the overall grade with the final grade and why (the QA lead's decision)."""
    if moderation.status is not ModerationStatus.GRADED:
        raise CasewatchError(f"the moderation of {moderation.person_id} is {moderation.status}, not graded")
    if moderation.overall_grade == audit.overall_grade:
        raise CasewatchError(f"the auditor and the moderator agree on {moderation.person_id}: nothing to resolve")
    if not reason.strip():
        raise CasewatchError("say why the final grade is what it is, so the decision is on record")
    form.scale.scale.grade(final_grade)
    return replace(moderation, status=ModerationStatus.RESOLVED, final_grade=final_grade, resolution=reason.strip())


def agreement(form: AuditForm, pairs: Sequence[tuple[CompletedAudit, Moderation]]) -> tuple[pa.Table, pa.Table]:
    """How often the moderator gave the auditor's answer: per question, and per auditor (every question and the
    overall grade); only moderations graded or resolved count, and a rate with nothing to count is no figure."""
    graded = [(a, m) for a, m in pairs if m.status is not ModerationStatus.PENDING]
    per_question = []
    for question in form.questions:
        compared = [
            (a.answers[question.id].answer, m.answers[question.id]) for a, m in graded if question.id in a.answers
        ]
        agreed = sum(first == second for first, second in compared)
        per_question.append(
            {
                "question_id": question.id,
                "moderated": len(compared),
                "agreed": agreed,
                "agreement": round(100 * agreed / len(compared), 1) if compared else None,
            }
        )
    per_auditor = []
    for auditor in sorted({a.auditor_id for a, _ in graded}):
        theirs = [(a, m) for a, m in graded if a.auditor_id == auditor]
        answers = [a.answers[q].answer == m.answers.get(q) for a, m in theirs for q in a.answers if q in m.answers]
        overall = [a.overall_grade == m.overall_grade for a, m in theirs]
        per_auditor.append(
            {
                "auditor_id": auditor,
                "moderated": len(theirs),
                "answers_agreement": round(100 * sum(answers) / len(answers), 1) if answers else None,
                "grade_agreement": round(100 * sum(overall) / len(overall), 1),
                "disagreements_open": sum(
                    a.overall_grade != m.overall_grade and m.status is ModerationStatus.GRADED for a, m in theirs
                ),
            }
        )
    questions = pa.Table.from_pylist(
        per_question,
        schema=pa.schema(
            [
                ("question_id", pa.string()),
                ("moderated", pa.int64()),
                ("agreed", pa.int64()),
                ("agreement", pa.float64()),
            ]
        ),
    )
    auditors = pa.Table.from_pylist(
        per_auditor,
        schema=pa.schema(
            [
                ("auditor_id", pa.string()),
                ("moderated", pa.int64()),
                ("answers_agreement", pa.float64()),
                ("grade_agreement", pa.float64()),
                ("disagreements_open", pa.int64()),
            ]
        ),
    )
    return questions, auditors


__all__ = ["Moderation", "ModerationStatus", "agreement", "choose_for_moderation", "from_form", "grade", "resolve"]
