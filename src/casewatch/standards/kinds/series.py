"""series: qualifying events no further apart than an interval while a cohort holds (CP visits every 10
working days), with phases chosen by elapsed time, age, placement type or a flag."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from casewatch.standards.kinds import wording
from casewatch.standards.kinds.base import (
    Condition,
    Counting,
    DurationField,
    Role,
    RuleKind,
    SourceRef,
    Strict,
    attrs,
)


class PhaseWhen(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    until: DurationField | None = None
    from_: DurationField | None = Field(default=None, alias="from")
    age_under: DurationField | None = None
    age_from: DurationField | None = None
    where: Condition = Field(default_factory=dict)

    @model_validator(mode="after")
    def _not_empty(self) -> PhaseWhen:
        if not (self.until or self.from_ or self.age_under or self.age_from or self.where):
            raise ValueError("a phase's 'when' needs a condition (until, from, age_under, age_from or where)")
        return self


class Phase(Strict):
    when: PhaseWhen | None = None
    first: DurationField | None = None
    interval: DurationField


class Series(RuleKind):
    kind: Literal["series"]
    cohort: SourceRef
    event: SourceRef
    match: dict[str, str] = Field(default_factory=dict)
    first: DurationField | None = None
    interval: DurationField | None = None
    phases: list[Phase] | None = None
    counting: Counting = Counting()
    #: For an episode open at the start of the data's history window (docs/standards-language.md, "The history
    #: window"): ``window_start`` measures its first judged occurrence one interval from the window start;
    #: ``first_event`` leaves it unjudged until the first event inside the window, and measures from that.
    history_baseline: Literal["window_start", "first_event"] = "window_start"

    @model_validator(mode="after")
    def _interval_or_phases(self) -> Series:
        if (self.interval is None) == (self.phases is None):
            raise ValueError("a series needs either 'interval' or 'phases', not both")
        if self.phases is not None:
            if not self.phases:
                raise ValueError("'phases' is empty")
            if self.phases[-1].when is not None:
                raise ValueError("the last phase must have no 'when': it applies when no other phase does")
            if any(p.when is None for p in self.phases[:-1]):
                raise ValueError("only the last phase may omit 'when'")
        return self

    @property
    def all_phases(self) -> list[Phase]:
        """The phases, with a plain ``interval`` read as one catch-all phase."""
        if self.phases is not None:
            return self.phases
        assert self.interval is not None
        return [Phase(interval=self.interval)]

    def roles(self) -> list[Role]:
        phase_attrs = {a for p in self.all_phases if p.when for a in p.when.where}
        return [
            Role("cohort", self.cohort, attrs(self.cohort.where, self.match, phase_attrs)),
            Role("event", self.event, attrs(self.event.where, self.match.values())),
        ]

    def describe(self) -> str:
        first = f" (first within {self.first})" if self.first else ""
        return f"{_cadence(self.all_phases)} while {wording.during(self.cohort.source)}{first}"

    def looser_than(self, base: Any) -> str | None:
        longest = max((p.interval for p in self.all_phases), key=lambda d: d.day_bounds()[1])
        shortest = min((p.interval for p in base.all_phases), key=lambda d: d.day_bounds()[0])
        same_shape = len(self.all_phases) == len(base.all_phases) and all(
            a.interval.is_at_most(b.interval) for a, b in zip(self.all_phases, base.all_phases, strict=True)
        )
        if not (longest.is_at_most(shortest) or same_shape):
            return f"its interval {longest} is not within the statutory {shortest}"
        if self.first and base.first and not self.first.is_at_most(base.first):
            return f"its first visit ({self.first}) is later than {base.first}"
        return None

    def uses_age(self) -> bool:
        return any(p.when is not None and (p.when.age_under or p.when.age_from) for p in self.all_phases)

    def conditions(self) -> Iterator[tuple[tuple[str | int, ...], str, Condition]]:
        for i, phase in enumerate(self.all_phases):
            if phase.when:
                yield ("phases", i, "when", "where"), "cohort", phase.when.where


def _cadence(phases: list[Phase]) -> str:
    intervals: list[str] = []
    for phase in phases:
        text = f"every {phase.interval}"
        when = phase.when
        if when is not None:
            if when.until is not None:
                text += f" for the first {when.until}"
            elif when.from_ is not None:
                text += f" after {when.from_}"
            elif when.age_under is not None:
                text += f" under {wording.age(str(when.age_under))}"
            elif when.age_from is not None:
                text += f" from {wording.age(str(when.age_from))}"
            elif when.where:
                text += " where " + ", ".join(f"{k} {_value(v)}" for k, v in when.where.items())
        elif len(phases) > 1:
            text += " otherwise"
        if text not in intervals:
            intervals.append(text)
    return "; ".join(intervals)


def _value(test: object) -> str:
    if isinstance(test, list):
        return "in " + "/".join(str(v) for v in test)
    if isinstance(test, dict):
        ((op, arg),) = test.items()
        return f"{op.replace('_', ' ')} {arg}"
    return f"= {test}"
