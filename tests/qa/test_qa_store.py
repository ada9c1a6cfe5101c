"""Programmes, samples and allocations kept in the app's store (SQLite here; the same tables on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from qa_council import AS_AT
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import IntegrityError

from casewatch import api
from casewatch.data import CaseData
from casewatch.errors import CasewatchError
from casewatch.qa import store
from casewatch.qa.allocation import allocate, auditors_in, reallocate
from casewatch.qa.programme import build_programme
from casewatch.qa.sampling import SampleRule, draw_sample
from casewatch.web.store import open_store

Load = Callable[..., CaseData]


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_store(f"sqlite:///{tmp_path / 'store.sqlite'}")


def test_the_web_store_holds_the_audit_tables(engine: Engine) -> None:
    assert {t.name for t in store.TABLES} <= set(inspect(engine).get_table_names())


def test_a_programme_and_its_sample_read_back_as_they_were_kept(council: Load, engine: Engine) -> None:
    rule = SampleRule(per="team", n=2, quotas=(("CP", 1),))
    programme = build_programme(
        api.load_standards("rutland"),
        "CP audit, November",
        rule=rule,
        due_date=date(2026, 11, 30),
        auditors=("A1",),
        across_teams=False,
    )
    programme_id = store.save_programme(engine, programme)
    assert store.load_programme(engine, "CP audit, November") == (programme_id, programme)
    with pytest.raises(CasewatchError, match="there is already an audit programme called 'CP audit, November'; give"):
        store.save_programme(engine, programme)
    sample = draw_sample(council(), AS_AT, rule, seed=2026)
    sample_id = store.save_sample(engine, programme_id, sample)
    stored = store.load_sample(engine, sample_id)
    assert stored.programme == "CP audit, November"
    assert (stored.sample.rule, stored.sample.seed, stored.sample.as_at) == (rule, 2026, AS_AT)
    assert stored.sample.members == sample.members  # reasons included, in draw order
    with engine.connect() as conn:
        kept = conn.execute(select(store.samples.c.shortfalls, store.samples.c.rule_text)).one()
    assert kept == ("\n".join(s.sentence() for s in sample.shortfalls), rule.describe())


def test_children_in_a_stored_sample_are_left_out_of_the_next_one(council: Load, engine: Engine) -> None:
    data = council()
    rule = SampleRule(per="council", n=3)
    programme = build_programme(api.load_standards("rutland"), "October", rule=rule, due_date=date(2026, 11, 30))
    first = draw_sample(data, AS_AT, rule, seed=1)
    store.save_sample(engine, store.save_programme(engine, programme), first)
    prior = store.prior_audits(engine)
    assert {(p.person_id, p.audited_on, p.programme) for p in prior} == {
        (m.person_id, AS_AT, "October") for m in first.members
    }
    second = draw_sample(data, AS_AT, rule, seed=1, prior=prior)
    assert not {m.person_id for m in first.members} & {m.person_id for m in second.members}
    assert len(second.members) == 3


def test_a_reallocation_ends_the_old_allocation_and_keeps_it(council: Load, engine: Engine) -> None:
    data = council()
    rule = SampleRule(per="council", n=7)
    programme = build_programme(api.load_standards("rutland"), "All", rule=rule, due_date=date(2026, 11, 30))
    sample = draw_sample(data, AS_AT, rule, seed=1)
    sample_id = store.save_sample(engine, store.save_programme(engine, programme), sample)
    auditors = auditors_in(data, ["A1", "A2"], AS_AT)
    allocation = allocate(sample, auditors, across_teams=False)
    store.save_allocation(engine, sample_id, allocation)
    assert store.load_allocation(engine, sample_id) == allocation
    before = allocation.auditor_of("C1")
    after = "A2" if before == "A1" else "A1"
    moved = reallocate(allocation, sample, "C1", auditors, to=after, reason="leave", across_teams=False)
    store.save_allocation(engine, sample_id, moved)
    assert store.load_allocation(engine, sample_id).auditor_of("C1") == after
    with engine.connect() as conn:
        history = conn.execute(
            select(store.allocations.c.auditor_id, store.allocations.c.ended_at.is_not(None))
            .where(store.allocations.c.person_id == "C1")
            .order_by(store.allocations.c.id)
        ).all()
    assert [tuple(h) for h in history] == [(before, True), (after, False)]


def test_a_programme_whose_sample_cannot_be_kept_is_not_kept_either(council: Load, engine: Engine) -> None:
    rule = SampleRule(per="council", n=2)
    programme = build_programme(api.load_standards("rutland"), "Broken", rule=rule, due_date=date(2026, 11, 30))
    drawn = draw_sample(council(), AS_AT, rule, seed=1)
    twice = replace(drawn, members=(drawn.members[0], drawn.members[0]))  # the same child twice breaks a key
    with pytest.raises(IntegrityError):
        store.keep(engine, programme, twice)
    with engine.connect() as conn:
        assert conn.execute(select(store.programmes.c.name)).all() == []
    assert store.keep(engine, programme, drawn) == 1
