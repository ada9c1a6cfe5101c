"""What every rule kind is made of, and the parts of a rule they share (sources, durations, counting).

A rule kind is one class (``kinds/<kind>.py``): its fields, their validation, what it reads, how it reads in
plain English, and whether another rule of the kind is at least as strict. Its SQL lives in the engine
(``engine/rules/<kind>.py``) and its reference evaluation in the tests, one layer up each, because those layers
may import this one and not the other way round; ``tests/standards/test_rule_kinds.py`` fails when a kind lacks
any of its parts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, model_validator

from casewatch.standards.durations import Duration, DurationError
from casewatch.standards.sources import Source


def _to_duration(value: Any) -> Duration:
    if isinstance(value, Duration):
        return value
    try:
        return Duration.parse(value)
    except DurationError as exc:
        raise ValueError(str(exc)) from exc


DurationField = Annotated[Duration, BeforeValidator(_to_duration), PlainSerializer(str)]
Condition = dict[str, Any]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt key must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(Strict):
    """A named source of the vocabulary, optionally filtered."""

    source: str
    where: Condition = Field(default_factory=dict)


class AnchorRef(SourceRef):
    select: Literal["each", "first", "last"] = "each"
    per: str | None = None


class Counting(Strict):
    """Counting conventions; the defaults are those of docs/standards-language.md."""

    anchor_day: Literal[0, 1] = 0


class AgeRange(Strict):
    """The child's age on the anchor date: at least ``from``, under ``under`` (either may be left open)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: DurationField | None = Field(default=None, alias="from")
    under: DurationField | None = None

    @model_validator(mode="after")
    def _some_bound(self) -> AgeRange:
        if self.from_ is None and self.under is None:
            raise ValueError("an age range needs 'from', 'under' or both")
        return self


class Role(NamedTuple):
    """One source a rule reads, in the role it plays there (``anchor``, ``cohort``, ``event``...)."""

    name: str
    ref: SourceRef
    attrs: frozenset[str]  # the attributes the rule uses on it
    subject: str | None = None  # the subject type it is read for, when not the standard's own


#: A problem found by a kind's own checks: where in the rule (a path of keys) and what is wrong.
Problem = tuple[tuple[str | int, ...], str]


class RuleKind(Strict):
    """The parts every rule kind has; each kind overrides all of the methods that raise here."""

    def roles(self) -> list[Role]:
        """Every source the rule reads, with the attributes it uses there."""
        raise NotImplementedError(type(self).__name__)

    def describe(self) -> str:
        """The timescale in a line of plain English, as a principal social worker would write it in a table."""
        raise NotImplementedError(type(self).__name__)

    def looser_than(self, base: Any) -> str | None:
        """Why this rule is not provably at least as strict as ``base`` (a rule of the same kind), or None."""
        raise NotImplementedError(type(self).__name__)

    def uses_age(self) -> bool:
        """Whether the rule needs the child's date of birth."""
        return False

    def conditions(self) -> Iterator[tuple[tuple[str | int, ...], str, Condition]]:
        """``where`` conditions beyond those of its sources (a series' phases): where they sit, the role whose
        source they test (one of :meth:`roles`) and the condition."""
        return iter(())

    def problems(self, subject: str, sources: dict[str, Source]) -> Iterator[Problem]:
        """What the vocabulary or the standard's subject rules out, beyond its sources and attributes."""
        return iter(())

    def reads_cut_history(self, sources: dict[str, Source]) -> bool:
        """Whether a record this rule needs may lie before an extract's history window, so that instances
        anchored or due before the window cannot be judged (docs/standards-language.md, "The history window").
        Timed kinds look back from their anchors, so they do."""
        return True


def attrs(*parts: Any) -> frozenset[str]:
    """The attribute names in ``parts`` (sets, dict keys, names or None)."""
    out: set[str] = set()
    for part in parts:
        if part is None:
            continue
        if isinstance(part, str):
            out.add(part)
        else:
            out.update(part)
    return frozenset(out)
