"""Evaluating a standard again reuses its rendered SQL, and only while nothing it depends on has changed."""

from __future__ import annotations

import sys
from datetime import date

import pytest

from casewatch.engine import evaluate
from casewatch.engine.compiled import CompiledQueries, query_key, schema_key
from casewatch.standards.loader import load_pack
from support.engine_adapter import load_tables
from support.facts import facts_to_tables

ENGLAND = load_pack("england")
ICPC = ENGLAND.get("icpc-timescale")
AS_AT = date(2024, 6, 28)
CASE = {
    "as_at": AS_AT,
    "facts": {
        "s47_enquiry": [{"start": date(2024, 3, 21), "s47_enquiry_id": "S1", "conference_needed": True}],
        "icpc": [{"date": date(2024, 4, 19), "s47_enquiry_id": "S1"}],
    },
}


def _module() -> object:
    """The module ``evaluate`` lives in (the package's ``evaluate`` attribute is the function itself)."""
    return sys.modules["casewatch.engine.evaluate"]


def test_a_second_evaluation_reuses_the_sql_and_gives_the_same_results(monkeypatch: pytest.MonkeyPatch) -> None:
    con = load_tables(facts_to_tables(CASE, "child"))
    module = _module()
    monkeypatch.setattr(module, "COMPILED", CompiledQueries())
    first = evaluate([ICPC], con, AS_AT, allocated_roles=("SW",)).instances

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("the standard was compiled again")

    monkeypatch.setattr(module, "_compile", no_compiling)
    again = evaluate([ICPC], con, AS_AT, allocated_roles=("SW",)).instances
    assert again.equals(first)
    assert again.num_rows == 1


def test_another_date_roles_or_snapshot_setting_is_compiled_afresh() -> None:
    schema = schema_key({"ssd_person": {"pers_person_id": "VARCHAR"}})
    key = query_key(ICPC, AS_AT, schema, ["SW"], False)
    assert key == query_key(ICPC, AS_AT, schema, ("SW",), False)
    assert key != query_key(ICPC, date(2024, 6, 29), schema, ["SW"], False)
    assert key != query_key(ICPC, AS_AT, schema, ["SW", "CW"], False)
    assert key != query_key(ICPC, AS_AT, schema, ["SW"], True)
    assert key != query_key(ENGLAND.get("cla-reviews"), AS_AT, schema, ["SW"], False)


def test_tables_or_column_types_that_differ_give_another_key() -> None:
    dated = schema_key({"ext_contact_decisions": {"cdec_decision_datetime": "DATE"}})
    timed = schema_key({"ext_contact_decisions": {"cdec_decision_datetime": "TIMESTAMP"}})
    more = schema_key({"ext_contact_decisions": {"cdec_decision_datetime": "DATE"}, "ext_exceptions": {}})
    assert len({dated, timed, more}) == 3


def test_another_reading_of_a_standard_is_another_key() -> None:
    pack = load_pack("st-helena")
    readable = next(s for s in pack.standards.values() if s.spec.interpretations)
    interpretation = readable.spec.interpretations[0]
    other = next(name for name in interpretation.readings if name != interpretation.default)
    schema = schema_key({})
    assert query_key(readable, AS_AT, schema, ["SW"], False) != query_key(
        readable.with_reading(interpretation.id, other), AS_AT, schema, ["SW"], False
    )


def test_the_store_keeps_only_the_most_recently_used_entries() -> None:
    store = CompiledQueries(max_entries=2)
    store.sql("a", lambda: "SELECT 1")
    store.sql("b", lambda: "SELECT 2")
    store.sql("a", lambda: "never rendered")  # a is used again, so b is now the oldest
    store.sql("c", lambda: None)  # a standard not in force is remembered too
    assert len(store) == 2
    assert store.sql("a", lambda: "rendered again") == "SELECT 1"
    assert store.sql("c", lambda: "rendered again") is None
    assert store.sql("b", lambda: "rendered again") == "rendered again"


def test_the_cache_survives_a_new_connection_with_the_same_tables() -> None:
    con = load_tables(facts_to_tables(CASE, "child"))
    first = evaluate([ICPC], con, AS_AT, allocated_roles=("SW",)).instances
    fresh = load_tables(facts_to_tables(CASE, "child"))  # another database: the calendar tables are made again
    assert evaluate([ICPC], fresh, AS_AT, allocated_roles=("SW",)).instances.equals(first)
