"""What if a standard said something else: the same data judged by the pack as it is and as changed.

A principal social worker who proposes "visit looked-after children every 4 weeks instead of 6" needs to see,
before the policy changes, what it would do to the figures and to the work: which occurrences would turn late
or overdue, and how many more would fall due per month and per worker. This package parses the changes and
compares two evaluations; the figures themselves are the results module's, so a what-if figure "before" is the
figure every other output shows.
"""

from .changes import Change, changed_standards, parse_change, resolve
from .compare import NO_INSTANCE, StandardDelta, WhatIf, Workload, compare

__all__ = [
    "NO_INSTANCE",
    "Change",
    "StandardDelta",
    "WhatIf",
    "Workload",
    "changed_standards",
    "compare",
    "parse_change",
    "resolve",
]
