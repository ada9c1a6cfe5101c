"""One module per rule kind, each compiling a rule into the query of its instances.

Every kind returns the same columns, so statuses, lateness, exceptions and responsibility are worked out once
(``casewatch.engine.finish``): subject_id, episode_id, sequence, anchor_date, due_date, due_ts, completed_date,
completed_ts, cohort_end, issue, forced_status, detail, reads_from.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from casewatch.standards.kinds import Rule

from .age_deadline import compile_age_deadline
from .base import Context
from .count import compile_count
from .deadline import compile_deadline
from .lead_time import compile_lead_time
from .recording_lag import compile_recording_lag
from .series import compile_series
from .state import compile_state

#: The SQL of each rule kind, by the name in ``casewatch.standards.kinds.KINDS``.
COMPILERS: dict[str, Callable[..., exp.Query]] = {
    "deadline": compile_deadline,
    "series": compile_series,
    "age_deadline": compile_age_deadline,
    "lead_time": compile_lead_time,
    "recording_lag": compile_recording_lag,
    "state": compile_state,
    "count": compile_count,
}


def compile_rule(rule: Rule, ctx: Context) -> exp.Query:
    """The instances query of one rule version."""
    return COMPILERS[rule.kind](rule, ctx)


__all__ = ["Context", "compile_rule"]
