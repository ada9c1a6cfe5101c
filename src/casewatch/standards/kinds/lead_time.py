"""lead_time: X at least N before Y (a conference report shared 3 working days before the conference)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from casewatch.standards.kinds import wording
from casewatch.standards.kinds.base import (
    Counting,
    DurationField,
    Role,
    RuleKind,
    SourceRef,
    attrs,
)


class LeadTime(RuleKind):
    kind: Literal["lead_time"]
    event: SourceRef
    before: SourceRef
    by: DurationField
    match: dict[str, str] = Field(default_factory=dict)
    counting: Counting = Counting()

    def roles(self) -> list[Role]:
        return [
            Role("event", self.event, attrs(self.event.where, self.match)),
            Role("before", self.before, attrs(self.before.where, self.match.values())),
        ]

    def describe(self) -> str:
        return f"at least {self.by} before the {wording.label(self.before.source)}"

    def looser_than(self, base: Any) -> str | None:
        if not base.by.is_at_most(self.by):
            return f"{self.by} ahead is less notice than {base.by}"
        return None
