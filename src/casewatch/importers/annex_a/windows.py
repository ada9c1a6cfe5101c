"""The window each Annex A event list covers, so evaluation does not mistake "not on the list" for "not done".

Lists 1, 3, 4 and 5 hold the events of the months before the extract, and councils do not always cut every list
at the same date: an extract whose List 4 (assessments) starts later than List 3 (referrals) would otherwise make
every early referral look overdue for want of an assessment. The importer records, per table, the date from which
the list is complete, and the engine leaves out instances anchored before it.

The window start is the earliest event date on the list. For List 4, which holds assessments *active* in the
window (open ones included), it is the earliest authorisation date when any assessment is authorised: every
assessment authorised on or after it, or starting on or after it, is on the list however the council's extract
chose its rows, whereas an early start date may belong to a long assessment that began well before the window.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

# list number -> (tables the list fills completely within its window, field keys in order of preference)
WINDOW_FIELDS: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {
    1: (("ssd_contacts",), ("date",)),
    3: (("ssd_cin_episodes",), ("date",)),
    4: (("ssd_cin_assessments",), ("auth", "start")),
    5: (("ssd_s47_enquiry", "ssd_initial_cp_conference"), ("start",)),
}


class Windows:
    """The earliest date of each window field seen on each list's imported rows."""

    def __init__(self) -> None:
        self.earliest: dict[tuple[int, str], date] = {}

    def observe(self, number: int, values: Mapping[str, object]) -> None:
        if number not in WINDOW_FIELDS:
            return
        for key in WINDOW_FIELDS[number][1]:
            day = values.get(key)
            if isinstance(day, date):
                held = self.earliest.get((number, key))
                self.earliest[(number, key)] = day if held is None else min(held, day)

    def by_table(self) -> dict[str, tuple[date, str]]:
        """Per table, the window start and where it came from (for the comment in casewatch.yaml)."""
        found: dict[str, tuple[date, str]] = {}
        for number, (tables, keys) in WINDOW_FIELDS.items():
            key = next((k for k in keys if (number, k) in self.earliest), None)
            if key is None:
                continue
            for table in tables:
                found[table] = (self.earliest[(number, key)], f"List {number}, earliest '{key}' date")
        return found
