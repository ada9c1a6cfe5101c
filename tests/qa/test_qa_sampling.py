"""Sampling by rule: the invented council of qa_council.py, whose every sample is worked out by hand there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pyarrow as pa
import pytest
from qa_council import AS_AT

from casewatch import api
from casewatch.data import CaseData
from casewatch.errors import CasewatchError
from casewatch.qa.sampling import PriorAudit, SampleRule, Shortfall, Theme, draw_sample
from casewatch.results import RESULT_SCHEMA, Results

Load = Callable[..., CaseData]
OPEN = {"C1", "C2", "C3", "C4", "C5", "C6", "C9"}


def people(sample: object) -> set[str]:
    return {m.person_id for m in sample.members}  # type: ignore[attr-defined]


def test_the_cohort_is_every_child_open_on_the_date_with_stage_worker_team_and_manager(council: Load) -> None:
    sample = draw_sample(council(), AS_AT, SampleRule(per="council", n=50), seed=1)
    assert sample.cohort == 7
    assert people(sample) == OPEN  # C7 and C8 closed before the date
    found = {m.person_id: (m.stage, m.worker_id, m.team_id, m.manager_id) for m in sample.members}
    assert found == {
        "C1": ("CP", "W1", "T1", "M1"),
        "C2": ("CP", "W1", "T1", "M1"),
        "C3": ("CIN", "W2", "T1", "M1"),
        "C4": ("CIN", "W2", "T1", "M1"),
        "C5": ("CLA", "W3", "T2", "M2"),
        "C6": ("CIN", "W3", "T2", "M2"),  # the CP plan ended on 10 October; a CIN plan since
        "C9": ("CP", "W3", "T2", "M2"),
    }
    assert sample.shortfalls == (Shortfall("the council", None, 50, 7),)


def test_the_same_seed_and_data_draw_the_same_children_whatever_the_order_of_the_rows(council: Load) -> None:
    rule = SampleRule(per="team", n=2)
    first = draw_sample(council(), AS_AT, rule, seed=42)
    again = draw_sample(council(), AS_AT, rule, seed=42)
    reversed_rows = draw_sample(council(reverse=True), AS_AT, rule, seed=42)
    assert first.members == again.members == reversed_rows.members
    assert len(first.members) == 4


def test_different_seeds_draw_different_samples_on_the_example_council() -> None:
    data = api.load_data(api.EXAMPLE_COUNCIL, as_at=api.EXAMPLE_AS_AT)
    try:
        rule = SampleRule(per="team", n=2)
        drawn = {
            tuple(m.person_id for m in draw_sample(data, api.EXAMPLE_AS_AT, rule, seed).members) for seed in range(5)
        }
    finally:
        data.close()
    assert len(drawn) > 1


def test_per_team_draws_n_from_each_team_and_says_why(council: Load) -> None:
    sample = draw_sample(council(), AS_AT, SampleRule(per="team", n=1), seed=3)
    assert sorted(m.group for m in sample.members) == ["team T1", "team T2"]
    t1 = next(m for m in sample.members if m.group == "team T1")
    assert t1.person_id in {"C1", "C2", "C3", "C4"}
    assert t1.reason == "team T1: drawn at random from 4 eligible children"
    assert sample.shortfalls == ()


def test_per_worker_groups_by_the_allocated_worker(council: Load) -> None:
    sample = draw_sample(council(), AS_AT, SampleRule(per="worker", n=1), seed=3)
    assert sorted(m.group for m in sample.members) == ["worker W1", "worker W2", "worker W3"]


def test_stage_quotas_are_met_or_the_shortfall_is_reported(council: Load) -> None:
    sample = draw_sample(council(), AS_AT, SampleRule(per="team", quotas=(("CP", 2),)), seed=5)
    assert {m.person_id for m in sample.members} == {"C1", "C2", "C9"}  # T2 has one CP child only
    assert sample.shortfalls == (Shortfall("team T2", "CP", 2, 1),)  # and no other stage's child in its place
    assert sample.shortfalls[0].sentence() == (
        "team T2: 1 of the 2 children on a child protection plan wanted (only 1 eligible)"
    )


def test_a_quota_with_a_total_tops_up_from_the_other_stages(council: Load) -> None:
    sample = draw_sample(council(), AS_AT, SampleRule(per="team", n=3, quotas=(("CLA", 1),)), seed=5)
    t2 = [m for m in sample.members if m.group == "team T2"]
    assert t2[0].stage == "CLA"
    assert {m.person_id for m in t2} == {"C5", "C6", "C9"}
    assert t2[0].reason == "team T2: drawn at random for the looked after quota of 1, from 1 eligible"
    assert t2[1].reason == "team T2: drawn at random from 2 other eligible children"
    assert Shortfall("team T1", "CLA", 1, 0) in sample.shortfalls


def test_children_audited_in_the_last_12_months_are_left_out_with_the_reason(council: Load) -> None:
    prior = [
        PriorAudit("C1", date(2026, 3, 1), "March CP audit"),
        PriorAudit("C2", date(2025, 10, 30), "last year's audit"),  # exactly 12 months before: not within them
    ]
    sample = draw_sample(council(), AS_AT, SampleRule(per="team", quotas=(("CP", 2),)), seed=5, prior=prior)
    assert "C1" not in people(sample)
    assert "C2" in people(sample)
    assert [(e.person_id, e.reason) for e in sample.exclusions] == [
        ("C1", "audited in the last 12 months (March CP audit, 2026-03-01)")
    ]
    assert Shortfall("team T1", "CP", 2, 1) in sample.shortfalls
    anyway = draw_sample(
        council(), AS_AT, SampleRule(per="team", quotas=(("CP", 2),), not_audited_within=0), seed=5, prior=prior
    )
    assert "C1" in people(anyway)


def test_a_team_whose_children_are_all_left_out_still_shows_its_shortfall(council: Load) -> None:
    excluded = {p: "restricted record" for p in ("C5", "C6", "C9")}
    sample = draw_sample(council(), AS_AT, SampleRule(per="team", n=1), seed=5, excluded=excluded)
    assert Shortfall("team T2", None, 1, 0) in sample.shortfalls
    assert {e.reason for e in sample.exclusions} == {"listed as excluded (restricted record)"}
    assert sample.exclusion_counts() == {"listed as excluded": 3}


def test_a_closure_theme_draws_the_referrals_closed_in_the_window_attributed_on_the_closing_day(
    council: Load,
) -> None:
    sample = draw_sample(council(), AS_AT, SampleRule(per="team", themes=(Theme.parse("closure:1m"),)), seed=1)
    assert [(m.person_id, m.stage, m.worker_id, m.team_id, m.held_on) for m in sample.members] == [
        ("C7", "CIN", "W3", "T2", date(2026, 10, 15))
    ]
    assert sample.members[0].reason == "referral closed on 2026-10-15; every child the theme names is audited"
    six = draw_sample(council(), AS_AT, SampleRule(per="team", themes=(Theme.parse("closure:6m"),)), seed=1)
    assert people(six) == {"C7", "C8"}


def test_an_ended_plan_theme_draws_the_children_whose_plan_ended_in_the_window(council: Load) -> None:
    sample = draw_sample(council(), AS_AT, SampleRule(per="council", themes=(Theme.parse("ended:cp_plan:1m"),)), seed=1)
    assert [(m.person_id, m.stage) for m in sample.members] == [("C6", "CIN")]


def instances(rows: list[tuple[str, str, str, date, date | None]]) -> pa.Table:
    """Result rows of (subject type, subject, status, due date, completed date) for one standard."""
    columns: dict[str, list[object]] = {name: [None] * len(rows) for name in RESULT_SCHEMA.names}
    columns["subject_type"] = [r[0] for r in rows]
    columns["subject_id"] = [r[1] for r in rows]
    columns["status"] = [r[2] for r in rows]
    columns["due_date"] = [r[3] for r in rows]
    columns["completed_date"] = [r[4] for r in rows]
    columns["standard_id"] = ["england.cla-visits"] * len(rows)
    return pa.table(columns, schema=RESULT_SCHEMA)


def test_an_overdue_theme_draws_exactly_the_children_the_results_name(council: Load) -> None:
    standard = api.load_standards("england").get("england.cla-visits")
    # The window of 3 months is 31 July to 30 October 2026.
    table = instances(
        [
            ("child", "C5", "overdue", date(2026, 9, 1), None),  # overdue in the window
            ("child", "C4", "overdue", date(2025, 12, 1), None),  # overdue long before and still
            ("child", "C2", "met_late", date(2026, 7, 1), date(2026, 8, 15)),  # late, done inside the window
            ("child", "C1", "met_late", date(2026, 5, 1), date(2026, 7, 15)),  # done before the window began
            ("child", "C3", "met", date(2026, 9, 1), date(2026, 8, 30)),
            ("child", "C9", "exception", date(2026, 9, 1), None),  # a recorded reason: not drawn
            ("worker", "C6", "overdue", date(2026, 9, 1), None),  # not a child's result
        ]
    )
    results = Results(instances=table, standards=[standard], as_at=AS_AT)
    rule = SampleRule(per="council", themes=(Theme.parse("overdue:england.cla-visits:3m"),))
    sample = draw_sample(council(), AS_AT, rule, seed=1, results=results)
    assert people(sample) == {"C2", "C4", "C5"}
    c4 = next(m for m in sample.members if m.person_id == "C4")
    assert c4.reason.startswith(
        "1 occurrence of england.cla-visits overdue in the last 3 months (latest due 2025-12-01)"
    )


def test_an_overdue_theme_without_results_for_its_standard_is_one_sentence(council: Load) -> None:
    rule = SampleRule(per="council", themes=(Theme.parse("overdue:england.cla-visits:3m"),))
    with pytest.raises(CasewatchError, match=r"needs the results of england.cla-visits; evaluate it first"):
        draw_sample(council(), AS_AT, rule, seed=1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("overdue:3m", "is not a theme"),
        ("closure:three", "needs its window in months"),
        ("ended:cp_visit:1m", "'cp_visit' is not an episode of a child's case"),
        ("closure:0m", "at least one month"),
    ],
)
def test_a_theme_written_wrongly_is_one_sentence(text: str, message: str) -> None:
    with pytest.raises(CasewatchError, match=message):
        Theme.parse(text)


def test_a_rule_that_draws_nobody_is_refused_and_a_stored_rule_reads_back_the_same() -> None:
    with pytest.raises(CasewatchError, match="say how many children to draw"):
        SampleRule(per="team")
    with pytest.raises(CasewatchError, match="'LAC' is not a service stage"):
        SampleRule(quotas=(("LAC", 1),))
    rule = SampleRule(per="worker", n=2, quotas=(("CP", 1),), themes=(Theme.parse("ended:cin_plan:2m"),))
    assert SampleRule.from_json(rule.to_json()) == rule
    assert rule.describe() == (
        "2 at random per worker, including at least 1 child on a child protection plan, from children whose child "
        "in need plan ended in the last 2 months, leaving out children audited in the last 12 months"
    )
    quotas = SampleRule(per="team", quotas=(("cp", 2), ("CLA", 1)), not_audited_within=0)
    assert quotas.quotas == (("CP", 2), ("CLA", 1))
    assert quotas.describe() == (
        "2 children on a child protection plan and 1 looked-after child at random per team "
        "from children with an open case"
    )
