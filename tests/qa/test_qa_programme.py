"""Audit programmes: questions checked against the pack, and grade scales chosen as data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from casewatch import api
from casewatch.errors import CasewatchError, StandardsError
from casewatch.qa.grades import DEFAULT_SCALE, grade_scale, load_scales
from casewatch.qa.programme import build_programme, pack_audit_groups
from casewatch.qa.sampling import SampleRule
from casewatch.standards.pack import Pack

RULE = SampleRule(per="team", n=2)
DUE = date(2026, 11, 30)


@pytest.fixture(scope="module")
def rutland() -> Pack:
    return api.load_standards("rutland")


def test_a_programme_asks_the_chosen_groups_and_questions_once_in_the_packs_order(rutland: Pack) -> None:
    assessment = next(g for g in pack_audit_groups(rutland) if g.id == "assessment")
    programme = build_programme(
        rutland,
        "Monthly thematic audit: assessment, November",
        rule=RULE,
        due_date=DUE,
        auditors=("W1", "W2"),
        groups=("assessment",),
        questions=("recording-up-to-date", "lived-experience"),  # the second is in the group already
    )
    assert programme.groups == ("assessment", "case-recording")
    assert programme.questions == (*(q.id for q in assessment.questions), "recording-up-to-date")
    assert programme.grade_scale == DEFAULT_SCALE
    everything = build_programme(rutland, "All of it", rule=RULE, due_date=DUE)
    assert len(everything.questions) == sum(len(g.questions) for g in pack_audit_groups(rutland))


def test_an_unknown_question_or_group_is_one_sentence_with_the_nearest_id(rutland: Pack) -> None:
    with pytest.raises(CasewatchError) as question:
        build_programme(rutland, "P", rule=RULE, due_date=DUE, questions=("lived-experiance",))
    assert str(question.value) == (
        "the pack 'rutland' has no audit question 'lived-experiance' (did you mean 'lived-experience'?)"
    )
    with pytest.raises(CasewatchError, match=r"no audit group 'asessment' \(did you mean 'assessment'\?\); its groups"):
        build_programme(rutland, "P", rule=RULE, due_date=DUE, groups=("asessment",))


def test_a_pack_without_audit_questions_and_an_auditor_named_twice_are_refused(rutland: Pack) -> None:
    with pytest.raises(CasewatchError, match="the pack 'england' has no audit questions"):
        build_programme(api.load_standards("england"), "P", rule=RULE, due_date=DUE)
    with pytest.raises(CasewatchError, match="the auditor W1 is named twice"):
        build_programme(rutland, "P", rule=RULE, due_date=DUE, auditors=("W1", "W2", "W1"))


def test_the_scale_is_the_programmes_else_the_packs_else_the_default(rutland: Pack) -> None:
    named = replace(rutland, spec=rutland.spec.model_copy(update={"audit_grade_scale": "rag"}))
    assert build_programme(named, "P", rule=RULE, due_date=DUE).grade_scale == "rag"
    assert build_programme(named, "P", rule=RULE, due_date=DUE, scale="zero-to-ten").grade_scale == "zero-to-ten"
    assert build_programme(rutland, "P", rule=RULE, due_date=DUE).grade_scale == "four-point"
    wrong = replace(rutland, spec=rutland.spec.model_copy(update={"audit_grade_scale": "stars"}))
    with pytest.raises(CasewatchError, match="the pack 'rutland' names the grade scale 'stars', which does not exist"):
        build_programme(wrong, "P", rule=RULE, due_date=DUE)
    with pytest.raises(CasewatchError, match="there is no grade scale 'stars'; the scales are four-point, rag"):
        build_programme(rutland, "P", rule=RULE, due_date=DUE, scale="stars")


def test_the_shipped_scales_order_their_grades_and_mark_the_grades_of_concern() -> None:
    scales = load_scales()
    four = scales["four-point"]
    assert [g.label for g in four.grades] == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert [g.id for g in four.grades if g.concern] == ["inadequate"]
    assert [g.id for g in scales["rag"].grades if g.concern] == ["red"]
    assert [g.rank for g in scales["zero-to-ten"].grades] == list(range(10, -1, -1))
    with pytest.raises(CasewatchError, match="'poor' is not a grade of the scale"):
        grade_scale("four-point").scale.grade("poor")


def test_a_malformed_scale_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "scales.yaml"
    path.write_text(
        "tens:\n  title: Tens\n  grades:\n"
        "    - {id: high, label: High, rank: 1}\n"
        "    - {id: low, label: Low, rank: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(StandardsError, match=r"scales.yaml, line 2: scale 'tens': two grades share a rank"):
        load_scales.__wrapped__(path)
