"""Results: the one definition of what an evaluation produces and how it is counted.

The result schema, the statuses, the compliance formula and who held a child on a date live here, and every
other part of casewatch (engine, reports, exports, web app, benchmarks, the reference evaluator in the tests)
imports them from here.
"""

from .compliance import (
    SUMMARY_COLUMNS,
    Basis,
    Compliance,
    compliance,
    compliance_summary,
    counts_by_standard,
    standard_compliance,
    status_counts,
)
from .results import Results
from .schema import RESULT_COLUMNS, RESULT_SCHEMA
from .status import STATUSES, Outcome, Status, attention_of

__all__ = [
    "RESULT_COLUMNS",
    "RESULT_SCHEMA",
    "STATUSES",
    "SUMMARY_COLUMNS",
    "Basis",
    "Compliance",
    "Outcome",
    "Results",
    "Status",
    "attention_of",
    "compliance",
    "compliance_summary",
    "counts_by_standard",
    "standard_compliance",
    "status_counts",
]
