"""Checking each row's "Age of Child (Years)" against its date of birth, which is what the import keeps.

Councils fill the age column with a formula, often ``(TODAY()-DOB)/365.25``, so it holds decimal years (7.83)
and is as of whenever the workbook was last calculated, which Annex A does not record. The age is therefore
never used: the date of birth is. A given age is reported only when, rounded down, it is no age the child had
between the row's own earliest date and the latest date anywhere in the file (the extract date, near enough):
that is a real disagreement, and one of the two values is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from .record import Record


def age_on(dob: date, day: date) -> int:
    """Whole years from ``dob`` to ``day`` (a 29 February birthday has its birthday on 1 March)."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


@dataclass
class AgeCheck:
    """Rows with both an age and a date of birth, held until the file's latest date is known."""

    rows: list[tuple[Record, float, date, date | None]] = field(default_factory=list)
    latest: date | None = None

    def observe(self, record: Record) -> None:
        days = [v for k, v in record.values.items() if isinstance(v, date) and k != "dob"]
        if days:
            self.latest = max(days) if self.latest is None else max(self.latest, *days)
        age, dob = record.values.get("age"), record.day("dob")
        if isinstance(age, int | float) and not isinstance(age, bool) and age >= 0 and dob is not None:
            self.rows.append((record, float(age), dob, min(days) if days else None))

    def report(self) -> None:
        """Warn about every row whose age (rounded down) the date of birth cannot give."""
        for record, age, dob, earliest in self.rows:
            last = self.latest or earliest
            if last is None:
                continue
            first = earliest or last
            youngest, oldest = age_on(dob, min(first, last)), age_on(dob, last)
            given = math.floor(age)
            if youngest <= given <= oldest:
                continue
            span = f"{youngest}" if youngest == oldest else f"{youngest} to {oldest}"
            heading = record.annex.field("age").heading
            record.warn(
                "age",
                f"{heading}: the date of birth {dob:%d/%m/%Y} gives {span} years between "
                f"{min(first, last):%d/%m/%Y} and {last:%d/%m/%Y}, not {given}; the date of birth was kept",
                f"{age:g}",
            )
