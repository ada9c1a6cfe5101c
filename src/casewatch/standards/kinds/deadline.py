"""deadline: a target event within a duration of an anchor event (ICPC within 15 working days)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field, model_validator

from casewatch.standards.durations import Unit
from casewatch.standards.kinds import wording
from casewatch.standards.kinds.base import (
    AgeRange,
    AnchorRef,
    Counting,
    DurationField,
    Problem,
    Role,
    RuleKind,
    SourceRef,
    attrs,
)
from casewatch.standards.sources import Source


class Deadline(RuleKind):
    kind: Literal["deadline"]
    anchor: AnchorRef
    target: SourceRef
    match: dict[str, str] = Field(default_factory=dict)
    within: DurationField
    # A target dated up to this long *before* the anchor also meets it ("a plan prepared before the placement").
    accept_from: DurationField | None = None
    # Only anchors at which the child's age is in this range (a PEP is for children of school age).
    anchor_age: AgeRange | None = None
    ends_with_anchor: bool = True
    counting: Counting = Counting()

    @model_validator(mode="after")
    def _hours_alone(self) -> Deadline:
        if self.accept_from is not None and (self.accept_from.unit is Unit.HOURS or self.within.unit is Unit.HOURS):
            raise ValueError("'accept_from' works in days, weeks, months or years, and not on a deadline in hours")
        return self

    def roles(self) -> list[Role]:
        per = {self.anchor.per} if self.anchor.per else set()
        return [
            Role("anchor", self.anchor, attrs(self.anchor.where, self.match, per)),
            Role("target", self.target, attrs(self.target.where, self.match.values())),
        ]

    def describe(self) -> str:
        return f"within {self.within} of the {wording.label(self.anchor.source)}"

    def looser_than(self, base: Any) -> str | None:
        if not self.within.is_at_most(base.within):
            return f"{self.within} is not shorter than {base.within}"
        return None

    def uses_age(self) -> bool:
        return self.anchor_age is not None

    def problems(self, subject: str, sources: dict[str, Source]) -> Iterator[Problem]:
        if self.anchor_age is not None and subject != "child":
            yield ("anchor_age",), "'anchor_age' is the child's age: it needs a standard about a child"
