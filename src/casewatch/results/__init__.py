"""Results: the one definition of what an evaluation produces and how it is counted.

The result schema, the statuses, the compliance formula, reporting periods and who held a child on a date live
here, and every other part of casewatch (engine, reports, exports, web app, benchmarks, the reference evaluator in
the tests) imports them from here.
"""

from .compliance import (
    BREAKDOWNS,
    SUMMARY_COLUMNS,
    Basis,
    Compliance,
    compliance,
    compliance_summary,
    counts_by,
    counts_by_standard,
    due_in,
    results_period,
    standard_compliance,
    status_counts,
    summary_schema,
    with_in_period,
)
from .periods import NOW, DueRange, Period, parse_period
from .results import Results
from .schema import RESULT_COLUMNS, RESULT_SCHEMA
from .status import STATUSES, Outcome, Status, attention_of

__all__ = [
    "BREAKDOWNS",
    "NOW",
    "RESULT_COLUMNS",
    "RESULT_SCHEMA",
    "STATUSES",
    "SUMMARY_COLUMNS",
    "Basis",
    "Compliance",
    "DueRange",
    "Outcome",
    "Period",
    "Results",
    "Status",
    "attention_of",
    "compliance",
    "compliance_summary",
    "counts_by",
    "counts_by_standard",
    "due_in",
    "parse_period",
    "results_period",
    "standard_compliance",
    "status_counts",
    "summary_schema",
    "with_in_period",
]
