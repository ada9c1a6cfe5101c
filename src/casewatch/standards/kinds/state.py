"""state: an invariant at the as-at date (every open case allocated; caseload limits)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from casewatch.standards.kinds import wording
from casewatch.standards.kinds.base import (
    DurationField,
    Role,
    RuleKind,
    SourceRef,
    attrs,
)
from casewatch.standards.sources import Source


class State(RuleKind):
    kind: Literal["state"]
    population: SourceRef
    related: SourceRef
    match: dict[str, str] = Field(default_factory=dict)
    related_child_in: SourceRef | None = None
    count_distinct: str | None = None
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    grace: DurationField | None = None

    @model_validator(mode="after")
    def _bounds(self) -> State:
        if self.min is None and self.max is None:
            raise ValueError("a state rule needs 'min', 'max' or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("'min' is larger than 'max'")
        return self

    def roles(self) -> list[Role]:
        distinct = {self.count_distinct} if self.count_distinct and self.count_distinct != "family" else set()
        extra = {"person_id"} if self.related_child_in or self.count_distinct == "family" else set()
        found = [
            Role("population", self.population, attrs(self.population.where, self.match)),
            Role("related", self.related, attrs(self.related.where, self.match.values(), distinct, extra)),
        ]
        if self.related_child_in is not None:
            found.append(Role("related_child_in", self.related_child_in, attrs(self.related_child_in.where), "child"))
        return found

    def describe(self) -> str:
        what = self.count_distinct or wording.label(self.related.source)
        bounds = []
        if self.min is not None:
            bounds.append(f"at least {self.min}")
        if self.max is not None:
            bounds.append(f"at most {self.max}")
        if max(self.min or 0, self.max or 0) != 1:
            what = "families" if what == "family" else what + "s"
        grace = f" (after {self.grace})" if self.grace else ""
        return f"{' and '.join(bounds)} {what} per {wording.label(self.population.source)}{grace}"

    def reads_cut_history(self, sources: dict[str, Source]) -> bool:
        """A state is judged on the records live at the as-at date: open episodes and entities come whole in an
        extract, so only a related event (a document written before the window) can have been cut."""
        return sources[self.related.source].kind == "event"

    def looser_than(self, base: Any) -> str | None:
        if base.max is not None and (self.max is None or self.max > base.max):
            return f"its limit {self.max} is above {base.max}"
        if base.min is not None and (self.min is None or self.min < base.min):
            return f"its minimum {self.min} is below {base.min}"
        return None
