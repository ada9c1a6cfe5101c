"""The reference evaluator checked against the sentences of docs/standards-language.md, one by one.

The differential tests trust the reference, so the reference is pinned here to hand-worked examples: each test
names the paragraph of the specification it checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pytest

from casewatch.calendars import get_calendar
from casewatch.standards.durations import Duration
from reference.arithmetic import add_months, shift, working_days_between
from reference.evaluator import evaluate_reference
from support.facts import facts_to_tables
from support.instances import Instance
from support.standards import make_standard

ENGLAND = get_calendar("england")


def run(
    rule: Mapping[str, Any] | None,
    facts: Mapping[str, Any],
    as_at: date,
    *,
    subject: str = "child",
    versions: Sequence[Mapping[str, Any]] | None = None,
    **case: Any,
) -> list[Instance]:
    standard = make_standard(rule, subject=subject, versions=versions)
    tables = facts_to_tables({"facts": facts, **case}, subject, standard_id=standard.id)
    return evaluate_reference(standard, tables, as_at, case.get("allocated_roles") or ["SW"])


def brief(instances: Sequence[Instance]) -> list[tuple[Any, ...]]:
    """(episode, sequence, due, completed, status) of each instance."""
    return [(i.episode_id, i.sequence, i.due_date, i.completed_date, i.status) for i in instances]


def after(d: date, text: str, anchor_day: int = 0, *, backwards: bool = False) -> date:
    return shift(d, Duration.parse(text), ENGLAND, anchor_day=anchor_day, backwards=backwards)


# ----------------------------------------------------------------------------------------- "Durations"


@pytest.mark.parametrize(
    ("start", "duration", "anchor_day", "expected"),
    [
        # Thursday before Easter 2024: Good Friday and Easter Monday are skipped.
        (date(2024, 3, 28), "15 working days", 0, date(2024, 4, 22)),
        # "if d is not a working day, the next working day is day 1": Saturday -> Monday.
        (date(2024, 6, 8), "1 working day", 0, date(2024, 6, 10)),
        # anchor_day 1: the anchor is day 1 when it is a working day ...
        (date(2024, 6, 10), "1 working day", 1, date(2024, 6, 10)),
        (date(2024, 6, 10), "3 working days", 1, date(2024, 6, 12)),
        # ... and makes no difference when it is not.
        (date(2024, 6, 8), "1 working day", 1, date(2024, 6, 10)),
        (date(2024, 1, 10), "10 calendar days", 0, date(2024, 1, 20)),
        (date(2024, 1, 10), "10 calendar days", 1, date(2024, 1, 19)),
        (date(2024, 1, 10), "6 weeks", 0, date(2024, 2, 21)),
        (date(2024, 1, 31), "1 month", 0, date(2024, 2, 29)),
        (date(2024, 2, 29), "1 year", 0, date(2025, 2, 28)),
        (date(2024, 5, 31), "15 years 3 months", 0, date(2039, 8, 31)),
        # hours on date-only data: ceil(n / 24) calendar days
        (date(2024, 3, 29), "72 hours", 0, date(2024, 4, 1)),
        (date(2024, 3, 29), "25 hours", 0, date(2024, 3, 31)),
        # anchor_day 1: "one day earlier than the default" for months and years too; "hours are unaffected"
        (date(2024, 1, 31), "1 month", 1, date(2024, 2, 28)),
        (date(2024, 1, 10), "1 year", 1, date(2025, 1, 9)),
        (date(2024, 3, 29), "25 hours", 1, date(2024, 3, 31)),
    ],
)
def test_adding_durations(start: date, duration: str, anchor_day: int, expected: date) -> None:
    assert after(start, duration, anchor_day) == expected


def test_hours_on_timestamps_keep_the_time() -> None:
    assert after(datetime(2024, 3, 29, 18, 30), "72 hours") == datetime(2024, 4, 1, 18, 30)
    assert after(datetime(2024, 3, 29, 18, 30), "72 hours", 1) == datetime(2024, 4, 1, 18, 30)


def test_hours_are_timestamp_precise_only_when_both_ends_are_date_time_columns() -> None:
    """Return (date-time) -> interview (date-time): to the minute. Strategy discussion (date-time) -> ICPC
    (a date column): date precision, ceil(72 / 24) = 3 days."""
    rhi = {
        "kind": "deadline",
        "anchor": {"source": "missing_return"},
        "target": {"source": "return_interview"},
        "within": "72 hours",
    }
    facts = {"missing_return": [{"date": "2024-03-29 18:30"}], "return_interview": [{"date": "2024-04-01 18:45"}]}
    assert brief(run(rhi, facts, date(2024, 4, 30))) == [
        ("missing_return-1", 1, datetime(2024, 4, 1, 18, 30), datetime(2024, 4, 1, 18, 45), "met_late")
    ]
    icpc = {
        "kind": "deadline",
        "anchor": {"source": "strategy_discussion"},
        "target": {"source": "icpc"},
        "within": "72 hours",
    }
    mixed: dict[str, Any] = {
        "strategy_discussion": [{"date": "2024-03-29 18:30"}],
        "icpc": [{"date": date(2024, 4, 1)}],
    }
    assert brief(run(icpc, mixed, date(2024, 4, 30))) == [
        ("strategy_discussion-1", 1, date(2024, 4, 1), date(2024, 4, 1), "met")
    ]


def test_a_due_time_passes_at_the_end_of_the_as_at_day() -> None:
    """ "A is the end of the as-at day, so the instance is overdue once as_at >= the due date"."""
    rhi = {
        "kind": "deadline",
        "anchor": {"source": "missing_return"},
        "target": {"source": "return_interview"},
        "within": "72 hours",
    }
    facts = {"missing_return": [{"date": "2024-06-10 12:00"}]}
    got = run(rhi, facts, date(2024, 6, 13))
    assert [(i.status, i.calendar_days_late) for i in got] == [("overdue", 0)]


def test_subtracting_mirrors_adding() -> None:
    """ "n working days before y is the nth working day strictly before y"."""
    assert after(date(2024, 4, 15), "3 working days", backwards=True) == date(2024, 4, 10)
    assert after(date(2024, 4, 13), "1 working day", backwards=True) == date(2024, 4, 12)  # Saturday -> Friday
    assert after(date(2024, 4, 2), "1 working day", backwards=True) == date(2024, 3, 28)  # across Easter
    assert after(date(2024, 5, 31), "3 months", backwards=True) == date(2024, 2, 29)


def test_working_day_ordinal_difference() -> None:
    assert working_days_between(ENGLAND, date(2024, 3, 28), date(2024, 4, 2)) == 1
    assert working_days_between(ENGLAND, date(2024, 6, 8), date(2024, 6, 9)) == 0  # Saturday to Sunday
    assert add_months(date(2023, 10, 31), 4) == date(2024, 2, 29)


# ----------------------------------------------------------------------------------------- "As at a date", "where"

ICPC_RULE = {"kind": "deadline", "anchor": {"source": "icpc"}, "target": {"source": "cp_plan"}, "within": "1 week"}


def test_rows_dated_after_as_at_do_not_exist() -> None:
    facts = {"icpc": [{"date": date(2024, 1, 10)}], "cp_plan": [{"start": date(2024, 1, 12)}]}
    assert brief(run(ICPC_RULE, facts, date(2024, 1, 11))) == [("icpc-1", 1, date(2024, 1, 17), None, "due_soon")]
    assert run(ICPC_RULE, facts, date(2024, 1, 9)) == []


def test_a_recorded_date_after_as_at_is_not_there_yet() -> None:
    rule = {
        "kind": "recording_lag",
        "event": {"source": "casenote"},
        "recorded": "recorded_date",
        "within": "3 working days",
    }
    facts = {"casenote": [{"date": date(2024, 1, 10), "recorded_date": date(2024, 1, 20)}]}
    assert brief(run(rule, facts, date(2024, 1, 19))) == [("casenote-1", 1, date(2024, 1, 15), None, "overdue")]
    assert brief(run(rule, facts, date(2024, 1, 20))) == [
        ("casenote-1", 1, date(2024, 1, 15), date(2024, 1, 20), "met_late")
    ]


@pytest.mark.parametrize(
    ("where", "kept"),
    [
        ({"outcome": "s47"}, ["s47"]),
        ({"outcome": ["s47", "nfa"]}, ["s47", "nfa"]),
        ({"outcome": {"in": ["nfa"]}}, ["nfa"]),
        ({"outcome": {"not": "s47"}}, ["nfa", None]),  # null is "not v"
        ({"outcome": {"not_in": ["s47"]}}, ["nfa", None]),
        ({"outcome": {"not": None}}, ["s47", "nfa"]),  # "not null": has a value
        ({"outcome": " S47"}, ["s47"]),  # text is compared trimmed and ignoring case
        ({"outcome": {"not_in": ["NFA "]}}, ["s47", None]),
        ({"outcome": {"is_null": True}}, [None]),
        ({"outcome": {"is_null": False}}, ["s47", "nfa"]),
    ],
)
def test_conditions_and_nulls(where: dict[str, Any], kept: list[str | None]) -> None:
    rule = {
        "kind": "deadline",
        "anchor": {"source": "strategy_discussion", "where": where},
        "target": {"source": "icpc"},
        "within": "1 week",
    }
    outcomes = ["s47", "nfa", None]
    facts = {
        "strategy_discussion": [
            {"id": f"S{n}", "date": date(2024, 1, 10), "outcome": o} for n, o in enumerate(outcomes)
        ]
    }
    got = [i.episode_id for i in run(rule, facts, date(2024, 2, 1))]
    assert got == [f"S{outcomes.index(o)}" for o in kept]


def test_within_last_is_a_half_open_window_ending_at_as_at() -> None:
    """(as_at - 1 year, as_at]: qualified exactly a year before as_at is no longer newly qualified."""
    rule = {
        "kind": "state",
        "population": {"source": "worker", "where": {"qualified_date": {"within_last": "1 year"}}},
        "related": {"source": "allocation"},
        "max": 0,
    }
    workers = [{"id": "W1", "qualified_date": date(2023, 6, 30)}, {"id": "W2", "qualified_date": date(2023, 7, 1)}]
    got = run(rule, {}, date(2024, 6, 30), subject="worker", workers=workers)
    assert [(i.subject_id, i.status) for i in got] == [("W2", "met")]


# ----------------------------------------------------------------------------------------- rule kinds


def test_deadline_select_first_per_attribute_with_ties_on_the_smallest_id() -> None:
    rule = {
        "kind": "deadline",
        "anchor": {"source": "strategy_discussion", "select": "first", "per": "referral_id"},
        "target": {"source": "icpc"},
        "match": {"referral_id": "referral_id"},
        "within": "15 working days",
    }
    facts = {
        "strategy_discussion": [
            {"id": "S2", "date": date(2024, 3, 1), "referral_id": "R1"},
            {"id": "S1", "date": date(2024, 3, 1), "referral_id": "R1"},
            {"id": "S3", "date": date(2024, 3, 5), "referral_id": "R1"},
            {"id": "S4", "date": date(2024, 3, 4), "referral_id": "R2"},
            {"id": "S5", "referral_id": "R2"},  # no date: a data issue of its own
        ],
        "icpc": [{"date": date(2024, 3, 20), "referral_id": "R1"}, {"date": date(2024, 3, 1), "referral_id": "R2"}],
    }
    assert brief(run(rule, facts, date(2024, 4, 30))) == [
        ("S1", 1, date(2024, 3, 22), date(2024, 3, 20), "met"),
        ("S4", 1, date(2024, 3, 25), None, "data_issue"),  # the matching conference is before its anchor
        ("S5", 1, None, None, "data_issue"),
    ]


def test_deadline_on_an_episode_is_cancelled_when_the_episode_ends_first() -> None:
    rule = {
        "kind": "deadline",
        "anchor": {"source": "referral"},
        "target": {"source": "assessment_authorised"},
        "within": "45 working days",
    }
    facts = {
        "referral": [
            {"start": date(2024, 1, 2), "end": date(2024, 1, 20)},
            {"start": date(2024, 1, 2), "end": date(2024, 3, 20)},
        ]
    }
    got = run(rule, facts, date(2024, 4, 30))
    assert [(i.status, i.calendar_days_late) for i in got] == [("cancelled", None), ("overdue", 15)]  # E - D


def test_series_the_example_of_the_test_cases_section() -> None:
    rule = {
        "kind": "series",
        "cohort": {"source": "period_of_care"},
        "event": {"source": "cla_review"},
        "first": "20 working days",
        "interval": "3 months",
    }
    facts = {"period_of_care": [{"start": date(2024, 3, 20)}], "cla_review": [{"date": date(2024, 4, 19)}]}
    assert brief(run(rule, facts, date(2024, 6, 30), child={"dob": date(2012, 5, 1)})) == [
        ("period_of_care-1", 1, date(2024, 4, 19), date(2024, 4, 19), "met"),
        ("period_of_care-1", 2, date(2024, 7, 19), None, "not_due"),
    ]


def test_series_events_on_one_day_count_once_and_phases_follow_the_anchor() -> None:
    rule = {
        "kind": "series",
        "cohort": {"source": "placement"},
        "event": {"source": "cla_visit"},
        "phases": [{"when": {"until": "1 month"}, "first": "1 week", "interval": "2 weeks"}, {"interval": "6 weeks"}],
    }
    visits = [date(2024, 1, 5), date(2024, 1, 5), date(2024, 2, 10)]
    facts = {
        "placement": [{"start": date(2024, 1, 1), "end": date(2024, 3, 1)}],
        "cla_visit": [{"date": d} for d in visits],
    }
    assert brief(run(rule, facts, date(2024, 6, 30))) == [
        ("placement-1", 1, date(2024, 1, 8), date(2024, 1, 5), "met"),
        ("placement-1", 2, date(2024, 1, 19), date(2024, 2, 10), "met_late"),  # 5 Jan is in the first month
        ("placement-1", 3, date(2024, 3, 23), None, "cancelled"),  # from 10 Feb: 6 weeks; the placement ended
    ]


def test_series_cohort_ending_before_it_starts_is_a_data_issue() -> None:
    rule = {
        "kind": "series",
        "cohort": {"source": "cp_plan"},
        "event": {"source": "cp_visit"},
        "interval": "10 working days",
    }
    facts = {"cp_plan": [{"start": date(2024, 1, 10), "end": date(2024, 1, 9)}]}
    assert [i.status for i in run(rule, facts, date(2024, 6, 30))] == ["data_issue"]


def test_age_deadline_birthday_and_late_entry() -> None:
    rule = {
        "kind": "age_deadline",
        "cohort": {"source": "period_of_care"},
        "age": "15 years 3 months",
        "target": {"source": "plan_document", "where": {"plan_type": "pathway"}},
        "late_entry": "3 months",
    }
    children = [{"id": "C1", "dob": date(2008, 11, 30)}, {"id": "C2", "dob": date(2008, 1, 1)}, {"id": "C3"}]
    facts = {
        "period_of_care": [
            {"id": "P1", "start": date(2020, 1, 1)},
            {"id": "P2", "subject": "C2", "start": date(2024, 1, 10)},
            {"id": "P3", "subject": "C3", "start": date(2024, 1, 10)},
        ],
        "plan_document": [{"date": date(2024, 2, 27), "plan_type": "pathway"}],
    }
    assert brief(run(rule, facts, date(2024, 6, 30), children=children)) == [
        ("P1", 1, date(2024, 2, 29), date(2024, 2, 27), "met"),  # 30 Nov + 15y3m clips to 29 Feb
        ("P2", 1, date(2024, 4, 10), None, "overdue"),  # entered care after the birthday
        ("P3", 1, None, None, "data_issue"),  # unknown date of birth
    ]


def test_lead_time_without_match_looks_back_to_the_previous_event() -> None:
    rule = {
        "kind": "lead_time",
        "event": {"source": "icpc"},
        "before": {"source": "case_document", "where": {"type": "conference_report"}},
        "by": "3 working days",
    }
    facts = {
        "icpc": [{"id": "I1", "date": date(2024, 4, 15)}, {"id": "I2", "date": date(2024, 5, 15)}],
        "case_document": [{"date": date(2024, 4, 9), "type": "conference_report"}],
    }
    assert brief(run(rule, facts, date(2024, 6, 30))) == [
        ("I1", 1, date(2024, 4, 10), date(2024, 4, 9), "met"),
        ("I2", 1, date(2024, 5, 10), None, "overdue"),  # the April report is before the previous conference
    ]


def test_recording_lag_recorded_before_the_event_is_a_data_issue() -> None:
    rule = {
        "kind": "recording_lag",
        "event": {"source": "casenote"},
        "recorded": "recorded_date",
        "within": "3 working days",
    }
    facts = {"casenote": [{"date": date(2024, 1, 10), "recorded_date": date(2024, 1, 9)}]}
    assert [i.status for i in run(rule, facts, date(2024, 2, 1))] == ["data_issue"]


def test_state_met_overdue_and_grace() -> None:
    rule: dict[str, Any] = {
        "kind": "state",
        "population": {"source": "referral"},
        "related": {"source": "allocation"},
        "min": 1,
    }
    facts = {
        "referral": [
            {"id": "R1", "start": date(2024, 6, 3)},
            {"id": "R2", "subject": "C2", "start": date(2024, 6, 24)},
        ],
        "allocation": [{"start": date(2024, 6, 4)}, {"subject": "C2", "start": date(2024, 6, 4), "role": "IRO"}],
    }
    children = [{"id": "C1"}, {"id": "C2"}]
    as_at = date(2024, 6, 26)
    assert brief(run(rule, facts, as_at, children=children)) == [
        ("R1", 1, as_at, as_at, "met"),
        ("R2", 1, as_at, None, "overdue"),  # an IRO is not the allocated worker
    ]
    rule["grace"] = "5 working days"
    assert brief(run(rule, facts, as_at, children=children))[1] == ("R2", 1, date(2024, 7, 1), None, "due_soon")


def test_count_periods_start_on_or_after_the_cohort_start() -> None:
    rule = {
        "kind": "count",
        "cohort": {"source": "period_of_care"},
        "event": {"source": "plan_review"},
        "at_least": 2,
        "per": "academic_year",
    }
    reviews = [date(2023, 9, 20), date(2024, 1, 15), date(2024, 10, 1)]
    facts = {
        "period_of_care": [{"start": date(2023, 5, 1)}],
        "plan_review": [{"date": d, "plan_type": "PEP"} for d in reviews],
    }
    assert brief(run(rule, facts, date(2024, 10, 31))) == [
        ("period_of_care-1", 1, date(2024, 8, 31), date(2024, 1, 15), "met"),
        ("period_of_care-1", 2, date(2025, 8, 31), None, "not_due"),
    ]


# ----------------------------------------------------------------------------------------- statuses and versions


def test_exceptions_cover_the_due_date_for_the_subject_and_standard() -> None:
    facts = {"icpc": [{"id": "I1", "date": date(2024, 1, 1)}, {"id": "I2", "date": date(2024, 2, 1)}]}
    exceptions = [{"standard": "generated", "from": date(2024, 1, 8), "to": date(2024, 1, 8), "episode": "I1"}]
    got = run(ICPC_RULE, facts, date(2024, 3, 1), exceptions=exceptions)
    assert [(i.status, i.calendar_days_late) for i in got] == [("exception", 53), ("overdue", 22)]


def test_due_soon_window_and_not_due() -> None:
    facts = {"icpc": [{"id": "I1", "date": date(2024, 6, 3)}, {"id": "I2", "date": date(2024, 6, 20)}]}
    got = run(ICPC_RULE, facts, date(2024, 6, 20))
    assert [(i.due_date, i.status) for i in got] == [(date(2024, 6, 10), "overdue"), (date(2024, 6, 27), "due_soon")]
    assert [i.status for i in run(ICPC_RULE, facts, date(2024, 6, 19))] == ["overdue"]
    # due 17 June is exactly as_at + 5 working days: still due soon; a day later it is not due yet
    assert run(ICPC_RULE, {"icpc": [{"date": date(2024, 6, 10)}]}, date(2024, 6, 10))[0].status == "due_soon"
    longer = {**ICPC_RULE, "within": "8 calendar days"}
    assert run(longer, {"icpc": [{"date": date(2024, 6, 10)}]}, date(2024, 6, 10))[0].status == "not_due"


def test_versions_by_anchor_date_with_a_gap() -> None:
    def version(n: int, start: date, end: date | None, within: str) -> dict[str, Any]:
        return {"version": n, "effective_from": start, "effective_to": end, "rule": {**ICPC_RULE, "within": within}}

    versions = [
        version(1, date(2024, 1, 1), date(2024, 1, 31), "1 week"),
        version(2, date(2024, 2, 10), None, "2 weeks"),
    ]
    facts = {
        "icpc": [
            {"date": date(2023, 12, 31)},
            {"date": date(2024, 1, 31)},
            {"date": date(2024, 2, 5)},
            {"date": date(2024, 2, 10)},
            {},
        ]
    }
    got = run(None, facts, date(2024, 6, 30), versions=versions)
    assert [(i.anchor_date, i.standard_version, i.due_date, i.status) for i in got] == [
        (date(2024, 1, 31), 1, date(2024, 2, 7), "overdue"),
        (date(2024, 2, 10), 2, date(2024, 2, 24), "overdue"),
        (None, 2, None, "data_issue"),  # no anchor date: the version in force at as_at
    ]
