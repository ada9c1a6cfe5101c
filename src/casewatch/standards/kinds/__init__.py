"""The rule kinds, one module each, and the one registry of them (``KINDS``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .age_deadline import AgeDeadline
from .base import RuleKind
from .count import Count
from .deadline import Deadline
from .lead_time import LeadTime
from .recording_lag import RecordingLag
from .series import Series
from .state import State

#: Every rule kind by the name a standard file gives it (``kind: deadline``).
KINDS: dict[str, type[RuleKind]] = {
    "deadline": Deadline,
    "series": Series,
    "age_deadline": AgeDeadline,
    "lead_time": LeadTime,
    "recording_lag": RecordingLag,
    "state": State,
    "count": Count,
}
Rule = Annotated[Deadline | Series | AgeDeadline | LeadTime | RecordingLag | State | Count, Field(discriminator="kind")]

__all__ = [
    "KINDS",
    "AgeDeadline",
    "Count",
    "Deadline",
    "LeadTime",
    "RecordingLag",
    "Rule",
    "RuleKind",
    "Series",
    "State",
]
