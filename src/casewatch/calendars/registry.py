"""Looking calendars up by name, and building each one once per process.

A closures calendar is cached under the closures file's resolved path together with its modification time
and size, so a long-running process (the web app) picks up an edited file instead of serving stale due dates.
"""

from __future__ import annotations

from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from casewatch.calendars.calendar import Calendar
from casewatch.calendars.closures import load_closures
from casewatch.calendars.sources import SPECS, CalendarSpec, fetch_holidays
from casewatch.calendars.table import build_table
from casewatch.errors import CasewatchError

CLOSURES_SUFFIX = "+closures"

_SPECS_BY_NAME: dict[str, CalendarSpec] = {name: spec for spec in SPECS for name in (spec.id, *spec.aliases)}


def available_calendars() -> list[str]:
    """Canonical calendar ids (aliases such as ``england-and-wales`` are accepted but not listed)."""
    return [spec.id for spec in SPECS]


def calendar_spec(name: str) -> CalendarSpec:
    """The spec for a calendar id or alias, ignoring case and treating spaces and underscores as hyphens."""
    key = _normalise(name)
    spec = _SPECS_BY_NAME.get(key)
    if spec is None:
        raise CasewatchError(
            f"There is no calendar called {name!r}; available calendars are {', '.join(available_calendars())}."
        )
    return spec


def get_calendar(name: str, closures: Path | str | None = None) -> Calendar:
    """The named calendar, with a council's closure days from ``closures`` added when given."""
    key = _normalise(name)
    if key.endswith(CLOSURES_SUFFIX):
        if closures is None:
            raise CasewatchError(f"The {name} calendar needs a closures file; none was given.")
        key = key.removesuffix(CLOSURES_SUFFIX)
    spec = calendar_spec(key)
    if closures is None:
        return _statutory_calendar(spec.id)
    path = Path(closures).expanduser().resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise CasewatchError(f"The closures file {closures} cannot be read: {exc.strerror}.") from exc
    return _closures_calendar(spec.id, path, stat.st_mtime_ns, stat.st_size)


def _normalise(name: str) -> str:
    return "-".join(name.strip().lower().replace("_", " ").split())


@cache
def _statutory_holidays(calendar_id: str) -> dict[date, str]:
    return fetch_holidays(_SPECS_BY_NAME[calendar_id])


@cache
def _statutory_calendar(calendar_id: str) -> Calendar:
    spec = _SPECS_BY_NAME[calendar_id]
    named = _statutory_holidays(calendar_id)
    table = build_table(spec.first_date, spec.last_date, named, frozenset(named))
    return Calendar(
        id=spec.id,
        description=spec.description,
        first_date=spec.first_date,
        last_date=spec.last_date,
        _days=table,
    )


@lru_cache(maxsize=32)
def _closures_calendar(calendar_id: str, path: Path, mtime_ns: int, size: int) -> Calendar:
    # mtime_ns and size are only part of the cache key.
    spec = _SPECS_BY_NAME[calendar_id]
    statutory = _statutory_holidays(calendar_id)
    closures = load_closures(path, spec.first_date, spec.last_date, spec.id)
    # On a day that is both, the statutory name is the one a reader recognises.
    names = {**closures, **statutory}
    table = build_table(spec.first_date, spec.last_date, names, frozenset(statutory) | frozenset(closures))
    return Calendar(
        id=f"{spec.id}{CLOSURES_SUFFIX}",
        description=f"{spec.description} plus {len(closures)} council closure days from {path}",
        first_date=spec.first_date,
        last_date=spec.last_date,
        _days=table,
    )
