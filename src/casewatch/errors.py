"""Errors a user can act on.

Every mistake in a user's own input (a standard, a data file, a command-line option) is raised as a
``CasewatchError`` whose message is one sentence naming the file, row/line and column where it applies. The
CLI prints that sentence and exits non-zero; only a bug in casewatch itself shows a traceback.
"""

from __future__ import annotations


class CasewatchError(Exception):
    """A problem with the user's input, explained in one sentence."""


class StandardsError(CasewatchError):
    """A practice-standards pack or standard file is malformed."""


class DataError(CasewatchError):
    """Case data cannot be loaded as given."""


class CalendarRangeError(CasewatchError):
    """A date falls outside the range a working-day calendar was generated for."""
