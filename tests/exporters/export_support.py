"""What the export tests share (a module of its own: ``conftest`` is a name every test folder uses)."""

from __future__ import annotations

from datetime import date

#: The synthetic extract's date: the census and 903 year it leads to is the one ending 31 March 2026.
AS_AT = date(2026, 10, 30)
