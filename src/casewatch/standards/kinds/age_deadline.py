"""age_deadline: an event by an age (a pathway plan started by 15 years 3 months)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import model_validator

from casewatch.standards.durations import Unit
from casewatch.standards.kinds import wording
from casewatch.standards.kinds.base import (
    Counting,
    DurationField,
    Role,
    RuleKind,
    SourceRef,
    attrs,
)


class AgeDeadline(RuleKind):
    kind: Literal["age_deadline"]
    cohort: SourceRef
    age: DurationField
    target: SourceRef
    late_entry: DurationField | None = None
    counting: Counting = Counting()

    @model_validator(mode="after")
    def _age_unit(self) -> AgeDeadline:
        if self.age.unit in (Unit.HOURS, Unit.WORKING_DAYS):
            raise ValueError("an age is counted in calendar days, weeks, months or years")
        return self

    def roles(self) -> list[Role]:
        return [
            Role("cohort", self.cohort, attrs(self.cohort.where)),
            Role("target", self.target, attrs(self.target.where)),
        ]

    def describe(self) -> str:
        return f"by age {wording.age(str(self.age))}"

    def looser_than(self, base: Any) -> str | None:
        if not self.age.is_at_most(base.age):
            return f"the age {self.age} is not earlier than {base.age}"
        return None

    def uses_age(self) -> bool:
        return True
