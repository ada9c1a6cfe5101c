"""The status of one required occurrence, and everything the rest of casewatch needs to know about it.

A status is judged once, by the engine (``engine/finish.py`` decides which one an instance gets); how it is
labelled, where it sorts on a page and how it counts in a compliance figure are decided here, so a caseload
page, a workbook and a chart can never count "met late" differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum


class Outcome(Enum):
    """What a status means for a compliance figure (``results.compliance`` combines them)."""

    ON_TIME = "on_time"  # done within the timescale
    LATE = "late"  # done, after the due date
    OVERDUE = "overdue"  # not done, and the due date has passed
    EXCEPTION = "exception"  # late or overdue with a recorded reason
    OPEN = "open"  # not done and not yet due
    ASIDE = "aside"  # no judgement possible: the cohort ended first, or the data cannot be timed


class Status(StrEnum):
    """The fixed status vocabulary (docs/standards-language.md, "Statuses"), in reporting order.

    ``attention`` orders what a worker sees first on a page: what is overdue, then what falls due soonest.
    """

    MET = "met"
    MET_LATE = "met_late"
    OVERDUE = "overdue"
    EXCEPTION = "exception"
    DUE_SOON = "due_soon"
    NOT_DUE = "not_due"
    CANCELLED = "cancelled"
    DATA_ISSUE = "data_issue"

    @property
    def label(self) -> str:
        return _FACTS[self].label

    @property
    def attention(self) -> int:
        return _FACTS[self].attention

    @property
    def outcome(self) -> Outcome:
        return _FACTS[self].outcome

    @classmethod
    def outstanding(cls) -> tuple[Status, ...]:
        """Not yet done, whether due or not: what a caseload lists as work to do."""
        return tuple(s for s in cls if s.outcome in (Outcome.OVERDUE, Outcome.OPEN))

    @classmethod
    def by_attention(cls) -> tuple[Status, ...]:
        return tuple(sorted(cls, key=lambda s: s.attention))


@dataclass(frozen=True)
class _Facts:
    label: str
    attention: int
    outcome: Outcome


_FACTS = {
    Status.MET: _Facts("Met", 6, Outcome.ON_TIME),
    Status.MET_LATE: _Facts("Met late", 4, Outcome.LATE),
    Status.OVERDUE: _Facts("Overdue", 0, Outcome.OVERDUE),
    Status.EXCEPTION: _Facts("Exception", 5, Outcome.EXCEPTION),
    Status.DUE_SOON: _Facts("Due soon", 1, Outcome.OPEN),
    Status.NOT_DUE: _Facts("Not yet due", 2, Outcome.OPEN),
    Status.CANCELLED: _Facts("Cancelled", 7, Outcome.ASIDE),
    Status.DATA_ISSUE: _Facts("Data issue", 3, Outcome.ASIDE),
}


def attention_of(status: str | None) -> int:
    """Where a stored status string sorts on a page (an unknown one last, so it is seen and not hidden first)."""
    try:
        return Status(status or "").attention
    except ValueError:
        return len(Status)


#: Every status value, in reporting order (the columns of a summary).
STATUSES: tuple[str, ...] = tuple(s.value for s in Status)

__all__ = ["STATUSES", "Outcome", "Status", "attention_of"]
