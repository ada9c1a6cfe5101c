"""What a programme's audits found: per question against the document's target, grades by team, progress, and the
automated compliance of the same children beside the council's.

The leadership team reads an audit report next to the timescale dashboard, so it is built from the same parts:
the audits handed in (drafts are progress, not findings), the sample's own teams (the team that held each child on
the sample's date), and for the timescales the one compliance formula of ``casewatch.results`` over the sampled
children's instances, beside the same formula over every child. A share with nothing to count is no figure and
says so, never 0%.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pyarrow as pa
import pyarrow.compute as pc

from casewatch.results import Results, compliance_summary
from casewatch.standards.audit import ANSWERS

from .completed import AuditStatus, CompletedAudit
from .form import AuditForm
from .moderation import Moderation, agreement
from .sampling import Sample

#: The team a child with none recorded on the sample's date is reported under.
NO_TEAM = "no team recorded"


@dataclass(frozen=True)
class ProgrammeReport:
    """The report's tables, each ready for the terminal, a workbook sheet or a CSV."""

    progress: pa.Table
    questions: pa.Table
    grades: pa.Table
    timescales: pa.Table | None
    #: Agreement of moderator and auditor, per question and per auditor, where audits were moderated.
    moderation: tuple[pa.Table, pa.Table] | None = None

    def sheets(self) -> list[tuple[str, pa.Table]]:
        named = [("Questions", self.questions), ("Grades", self.grades), ("Progress", self.progress)]
        if self.moderation is not None:
            named += [("Moderation by question", self.moderation[0]), ("Moderation by auditor", self.moderation[1])]
        return named + ([("Timescales", self.timescales)] if self.timescales is not None else [])


def build_report(
    form: AuditForm,
    sample: Sample,
    audits: Sequence[CompletedAudit],
    results: Results | None = None,
    moderations: Sequence[Moderation] = (),
) -> ProgrammeReport:
    """The report of a programme whose questions ``form`` holds (any child's form: the questions are the same),
    from its sample and the audits kept so far; ``results`` (as at the sample's date) adds the timescales and
    ``moderations`` the agreement of moderator and auditor."""
    by_child = {a.person_id: a for a in audits}
    handed_in = [a for a in audits if a.status is AuditStatus.SUBMITTED and a.person_id in _members(sample)]
    pairs = [(by_child[m.person_id], m) for m in moderations if m.person_id in by_child]
    return ProgrammeReport(
        progress=_progress(sample, by_child),
        questions=_questions(form, handed_in),
        grades=_grades(form, sample, handed_in),
        timescales=None if results is None else _timescales(sample, results),
        moderation=agreement(form, pairs) if pairs else None,
    )


def _members(sample: Sample) -> set[str]:
    return {m.person_id for m in sample.members}


def _team_of(sample: Sample) -> dict[str, str]:
    return {m.person_id: m.team_id or NO_TEAM for m in sample.members}


def _progress(sample: Sample, by_child: dict[str, CompletedAudit]) -> pa.Table:
    teams = _team_of(sample)
    counts: dict[str, Counter[str]] = {}
    for member in sample.members:
        audit = by_child.get(member.person_id)
        state = "not started" if audit is None else audit.status.value
        counts.setdefault(teams[member.person_id], Counter())[state] += 1
    rows = [
        {
            "team_id": team,
            "children": sum(c.values()),
            "handed_in": c[AuditStatus.SUBMITTED.value],
            "returned": c[AuditStatus.RETURNED.value],
            "drafts": c[AuditStatus.DRAFT.value],
            "not_started": c["not started"],
        }
        for team, c in sorted(counts.items())
    ]
    schema = pa.schema(
        [("team_id", pa.string())]
        + [(n, pa.int64()) for n in ("children", "handed_in", "returned", "drafts", "not_started")]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def _questions(form: AuditForm, handed_in: Sequence[CompletedAudit]) -> pa.Table:
    """Per question: the answers given, the share met of those it applied to, and the document's target."""
    rows: list[dict[str, object]] = []
    for section in form.sections:
        for question in section.questions:
            given: Counter[str | None] = Counter(
                a.answers[question.id].answer
                for a in handed_in
                if question.id in a.answers and a.answers[question.id].answer is not None
            )
            applies = sum(n for answer, n in given.items() if answer != "not_applicable")
            share = round(100 * given["met"] / applies, 1) if applies else None
            rows.append(
                {
                    "group": section.title,
                    "question_id": question.id,
                    "question": question.question,
                    **{str(answer): given[answer] for answer in ANSWERS},
                    "met_share": share,
                    "target": question.target,
                    "meets_target": None if share is None or question.target is None else share >= question.target,
                    "note": "" if applies else "no audit handed in where it applies, so no figure",
                }
            )
    schema = pa.schema(
        [("group", pa.string()), ("question_id", pa.string()), ("question", pa.string())]
        + [(answer, pa.int64()) for answer in ANSWERS]
        + [
            ("met_share", pa.float64()),
            ("target", pa.float64()),
            ("meets_target", pa.bool_()),
            ("note", pa.string()),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def _grades(form: AuditForm, sample: Sample, handed_in: Sequence[CompletedAudit]) -> pa.Table:
    """The overall grades handed in, best first, per team and in all."""
    teams = _team_of(sample)
    counted = Counter((teams[a.person_id], a.overall_grade) for a in handed_in)
    grades = form.scale.scale.grades
    team_ids = sorted({teams[a.person_id] for a in handed_in})
    rows = [
        {
            "grade": grade.label,
            "all_teams": sum(counted[t, grade.id] for t in team_ids),
            **{team: counted[team, grade.id] for team in team_ids},
        }
        for grade in grades
    ]
    schema = pa.schema([("grade", pa.string()), ("all_teams", pa.int64())] + [(t, pa.int64()) for t in team_ids])
    return pa.Table.from_pylist(rows, schema=schema)


def _timescales(sample: Sample, results: Results) -> pa.Table:
    """Each child standard's compliance now over the sampled children beside the council's: the one formula,
    twice (standards about workers or the service have no sampled children, so they are not listed)."""
    sampled = results.instances.filter(
        pc.is_in(results.instances["subject_id"], value_set=pa.array(sorted(_members(sample)), pa.string()))
    )
    theirs = compliance_summary(replace(results, instances=sampled)).to_pylist()
    council = {row["standard_id"]: row for row in compliance_summary(results).to_pylist()}
    rows = [
        {
            "standard_id": row["standard_id"],
            "title": row["title"],
            "sampled_children": row["compliance"],
            "sampled_judged": row["met"] + row["met_late"] + row["overdue"],
            "council": council[row["standard_id"]]["compliance"],
            "target": row["target"],
            "note": row["note"] or "",
        }
        for row in theirs
        if row["subject"] == "child"
    ]
    schema = pa.schema(
        [
            ("standard_id", pa.string()),
            ("title", pa.string()),
            ("sampled_children", pa.float64()),
            ("sampled_judged", pa.int64()),
            ("council", pa.float64()),
            ("target", pa.float64()),
            ("note", pa.string()),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


__all__ = ["NO_TEAM", "ProgrammeReport", "build_report"]
