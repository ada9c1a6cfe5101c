"""Allocation with independence, on the invented council of qa_council.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from qa_council import AS_AT

from casewatch.data import CaseData
from casewatch.errors import CasewatchError
from casewatch.qa.allocation import (
    Auditor,
    IndependenceError,
    allocate,
    auditors_in,
    reallocate,
    refusal,
)
from casewatch.qa.sampling import Member, Sample, SampleRule, draw_sample

Load = Callable[..., CaseData]
C1 = Member("C1", "team T1", "CP", "W1", "T1", "M1", "drawn", AS_AT)


def everyone(data: CaseData) -> Sample:
    return draw_sample(data, AS_AT, SampleRule(per="council", n=7), seed=9)


def test_auditors_carry_their_own_team_on_the_date_and_unknown_ones_are_refused(council: Load) -> None:
    data = council()
    assert auditors_in(data, ["A1", "M1"], AS_AT) == (Auditor("A1", "T3"), Auditor("M1", "T1"))
    with pytest.raises(CasewatchError, match="the auditor Z9 is not a worker in ssd_professionals"):
        auditors_in(data, ["A1", "Z9"], AS_AT)


def test_the_childs_worker_their_manager_and_their_team_are_refused_with_the_reason() -> None:
    assert refusal(C1, Auditor("W1", "T1"), AS_AT) == (
        "W1 cannot audit C1: they are the child's allocated worker on 2026-10-30."
    )
    assert (
        refusal(C1, Auditor("M1", "T1"), AS_AT)
        == "M1 cannot audit C1: they are the line manager of W1, the child's worker."
    )
    assert refusal(C1, Auditor("W2", "T1"), AS_AT) == (
        "W2 cannot audit C1: they work in team T1, the child's team, and this audit is across teams."
    )
    assert refusal(C1, Auditor("W2", "T1"), AS_AT, across_teams=False) is None
    assert refusal(C1, Auditor("A9", None), AS_AT) == (
        "A9 cannot audit C1 across teams: their own team on 2026-10-30 is not recorded."
    )
    assert refusal(C1, Auditor("A1", "T3"), AS_AT) is None


def test_every_audit_goes_to_an_independent_auditor_and_the_loads_are_balanced(council: Load) -> None:
    data = council()
    sample = everyone(data)
    auditors = auditors_in(data, ["A1", "A2", "M2"], AS_AT)
    allocation = allocate(sample, auditors)
    by_person = {a.person_id: a.auditor_id for a in allocation.assignments}
    members = {m.person_id: m for m in sample.members}
    assert set(by_person) == set(members)
    for person, auditor in by_person.items():
        assert refusal(members[person], next(a for a in auditors if a.worker_id == auditor), AS_AT) is None
    # T2's children (C5, C6, C9) can only go to A1; T1's four are shared by A2 and M2, two each.
    assert {by_person[p] for p in ("C5", "C6", "C9")} == {"A1"}
    assert allocation.load() == {"A1": 3, "A2": 2, "M2": 2}


def test_without_peer_audit_the_loads_differ_by_at_most_one(council: Load) -> None:
    data = council()
    allocation = allocate(everyone(data), auditors_in(data, ["A1", "A2"], AS_AT), across_teams=False)
    assert sorted(allocation.load().values()) == [3, 4]


def test_a_child_nobody_may_audit_is_listed_with_every_reason(council: Load) -> None:
    data = council()
    sample = draw_sample(data, AS_AT, SampleRule(per="council", n=7), seed=9)
    allocation = allocate(sample, auditors_in(data, ["W3", "A2"], AS_AT))
    c5 = next(u for u in allocation.unallocated if u.person_id == "C5")
    assert c5.reason == (
        "no auditor may take C5: W3 cannot audit C5: they are the child's allocated worker on 2026-10-30. "
        "A2 cannot audit C5: they work in team T2, the child's team, and this audit is across teams."
    )
    assert {a.person_id for a in allocation.assignments} == {"C1", "C2", "C3", "C4"}


def test_reallocating_one_audit_checks_independence_and_keeps_the_reason(council: Load) -> None:
    data = council()
    sample = everyone(data)
    auditors = auditors_in(data, ["A1", "A2", "M2", "W1"], AS_AT)
    allocation = allocate(sample, auditors)
    with pytest.raises(IndependenceError, match="W1 cannot audit C1: they are the child's allocated worker"):
        reallocate(allocation, sample, "C1", auditors, to="W1")
    before = allocation.auditor_of("C1")
    target = "A2" if before != "A2" else "M2"
    moved = reallocate(allocation, sample, "C1", auditors, to=target, reason="auditor on leave")
    assert moved.auditor_of("C1") == target
    assert (
        next(a.note for a in moved.assignments if a.person_id == "C1") == f"reallocated from {before}: auditor on leave"
    )
    assert {a.person_id: a.auditor_id for a in moved.assignments if a.person_id != "C1"} == {
        a.person_id: a.auditor_id for a in allocation.assignments if a.person_id != "C1"
    }
    chosen = reallocate(allocation, sample, "C5", auditors)  # to the other auditor who may take it (A1 or W1)
    assert {chosen.auditor_of("C5")} == {"A1", "W1"} - {allocation.auditor_of("C5")}
    with pytest.raises(CasewatchError, match="C8 is not in this sample"):
        reallocate(allocation, sample, "C8", auditors, to="A1")
