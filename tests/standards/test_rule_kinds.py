"""Every rule kind has every part: fields and validation, what it reads, its wording, its strictness test, its
SQL and its reference evaluation. A kind added without one of them fails here, not in a council's data."""

from __future__ import annotations

import typing

import pytest

from casewatch.engine.rules import COMPILERS
from casewatch.standards.kinds import KINDS, Rule, RuleKind
from casewatch.standards.loader import available_packs, load_pack
from reference.evaluator import RULE_KINDS as REFERENCE

OWN_PARTS = ("roles", "describe", "looser_than")
SHIPPED = {
    standard.versions[-1].rule.kind: standard for name in available_packs() for standard in load_pack(name).own.values()
}


def test_the_registry_the_union_the_engine_and_the_reference_name_the_same_kinds() -> None:
    union = typing.get_args(typing.get_args(Rule)[0])
    assert set(union) == set(KINDS.values())
    assert {cls.model_fields["kind"].annotation.__args__[0] for cls in union} == set(KINDS)  # type: ignore[union-attr]
    assert set(COMPILERS) == set(KINDS)
    assert set(REFERENCE) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_writes_its_own_parts(kind: str) -> None:
    cls = KINDS[kind]
    missing = [part for part in OWN_PARTS if getattr(cls, part) is getattr(RuleKind, part)]
    assert not missing, f"the {kind} rule kind has no {', '.join(missing)}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_is_used_and_every_part_answers_on_a_shipped_standard(kind: str) -> None:
    """A kind no shipped standard uses would be untested language; each part must answer for a real rule."""
    assert kind in SHIPPED, f"no shipped pack uses the {kind} rule kind"
    rule = SHIPPED[kind].versions[-1].rule
    assert rule.describe()
    assert rule.roles() and all(role.ref.source for role in rule.roles())
    assert rule.looser_than(rule) is None, "a rule is always at least as strict as itself"


def test_the_base_refuses_a_kind_that_leaves_a_part_out() -> None:
    class Half(RuleKind):
        def roles(self) -> list:  # type: ignore[type-arg]
            return []

    with pytest.raises(NotImplementedError, match="Half"):
        Half().describe()
