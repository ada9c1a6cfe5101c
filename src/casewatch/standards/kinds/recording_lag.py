"""recording_lag: recorded within N of the event (case notes within 3 working days)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from casewatch.standards.kinds import wording
from casewatch.standards.kinds.base import (
    Counting,
    DurationField,
    Problem,
    Role,
    RuleKind,
    SourceRef,
    attrs,
)
from casewatch.standards.sources import Source


class RecordingLag(RuleKind):
    kind: Literal["recording_lag"]
    event: SourceRef
    recorded: str
    within: DurationField
    counting: Counting = Counting()

    def roles(self) -> list[Role]:
        return [Role("event", self.event, attrs(self.event.where, self.recorded))]

    def describe(self) -> str:
        return f"recorded within {self.within} of the {wording.label(self.event.source)}"

    def looser_than(self, base: Any) -> str | None:
        if not self.within.is_at_most(base.within):
            return f"{self.within} is not shorter than {base.within}"
        return None

    def problems(self, subject: str, sources: dict[str, Source]) -> Iterator[Problem]:
        source = sources.get(self.event.source)
        if source is not None and not source.has_attribute(self.recorded):
            yield ("recorded",), f"the source '{self.event.source}' has no attribute '{self.recorded}'"
