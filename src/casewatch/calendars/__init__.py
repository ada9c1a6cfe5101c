"""Working-day calendars as tables with a running working-day ordinal.

Every timescale that counts working days ("initial child protection conference within 15 working days of the
strategy discussion") goes through a ``Calendar`` from ``get_calendar``, so the counting convention lives in
one place and each result can say which calendar, source and version it used.
"""

from casewatch.calendars.calendar import Calendar
from casewatch.calendars.registry import available_calendars, get_calendar

__all__ = ["Calendar", "available_calendars", "get_calendar"]
