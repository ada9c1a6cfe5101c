"""count: at least n qualifying events per period (3 PEP meetings per school year)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from casewatch.standards.kinds import wording
from casewatch.standards.kinds.base import (
    Role,
    RuleKind,
    SourceRef,
    attrs,
)

Period = Literal["academic_year", "financial_year", "calendar_year", "quarter", "month", "cohort_year"]


class Count(RuleKind):
    kind: Literal["count"]
    cohort: SourceRef
    event: SourceRef
    match: dict[str, str] = Field(default_factory=dict)
    at_least: int = Field(ge=1)
    per: Period

    def roles(self) -> list[Role]:
        return [
            Role("cohort", self.cohort, attrs(self.cohort.where, self.match)),
            Role("event", self.event, attrs(self.event.where, self.match.values())),
        ]

    def describe(self) -> str:
        plural = "" if self.at_least == 1 else "s"
        return f"at least {self.at_least} {wording.label(self.event.source)}{plural} per {wording.PERIODS[self.per]}"

    def looser_than(self, base: Any) -> str | None:
        if self.per != base.per or self.at_least < base.at_least:
            return f"{self.at_least} per {self.per} is not more than {base.at_least} per {base.per}"
        return None
