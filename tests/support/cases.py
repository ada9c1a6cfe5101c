"""Reading ``<standard>.cases.yaml`` files strictly (docs/standards-language.md, "Test cases").

A misspelt key in a case ("complted:") would otherwise make the case check less than its author meant, and
nobody would notice; so every key is checked and an error names the file and the case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from support.facts import CaseError, facts_to_tables, parse_moment
from support.instances import STATUSES

FILE_KEYS = frozenset({"standard", "cases"})
CASE_KEYS = frozenset(
    {
        "name",
        "as_at",
        "readings",
        "child",
        "children",
        "workers",
        "facts",
        "exceptions",
        "allocated_roles",
        "notes",
        "expect",
    }
)
#: Keys of an expected instance -> the ``Instance`` field each is compared with.
EXPECT_FIELDS: dict[str, str] = {
    "subject": "subject_id",
    "episode": "episode_id",
    "version": "standard_version",
    "sequence": "sequence",
    "anchor": "anchor_date",
    "due": "due_date",
    "completed": "completed_date",
    "status": "status",
    "working_days_late": "working_days_late",
    "calendar_days_late": "calendar_days_late",
}
_DATE_FIELDS = {"anchor_date", "due_date", "completed_date"}
_INT_FIELDS = {"standard_version", "sequence", "working_days_late", "calendar_days_late"}


class CaseFileError(ValueError):
    """A cases file breaks the format; the message names the file and the case."""


@dataclass(frozen=True)
class Case:
    """One case of a cases file: facts in (``data``), instances out (``expect``, in ``Instance`` field names)."""

    path: Path
    standard: str
    name: str
    as_at: date
    data: Mapping[str, Any]
    expect: tuple[Mapping[str, Any], ...]

    @property
    def allocated_roles(self) -> list[str]:
        return list(self.data.get("allocated_roles") or ["SW"])

    @property
    def readings(self) -> dict[str, str]:
        """Interpretation id -> reading to use instead of the default, so each reading can be tested."""
        return {str(k): str(v) for k, v in (self.data.get("readings") or {}).items()}


def load_cases(path: Path) -> list[Case]:
    """Every case of ``path``, each checked against the format; the first problem raises ``CaseFileError``."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CaseFileError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(doc, Mapping):
        raise CaseFileError(f"{path}: expected a mapping with 'standard' and 'cases'")
    unknown = sorted(set(doc) - FILE_KEYS)
    if unknown:
        raise CaseFileError(f"{path}: unknown key '{unknown[0]}' (a cases file has 'standard' and 'cases')")
    standard, cases = doc.get("standard"), doc.get("cases")
    if not isinstance(standard, str) or not standard:
        raise CaseFileError(f"{path}: 'standard' must name the standard the cases are for")
    if not isinstance(cases, list):
        raise CaseFileError(f"{path}: 'cases' must be a list")
    loaded: list[Case] = []
    for index, raw in enumerate(cases, start=1):
        case = _case(path, standard, index, raw)
        if any(c.name == case.name for c in loaded):
            raise CaseFileError(f"{path}: case '{case.name}': two cases have this name")
        loaded.append(case)
    return loaded


def _case(path: Path, standard: str, index: int, raw: Any) -> Case:
    label = f"{path}: case {index}"
    if not isinstance(raw, Mapping):
        raise CaseFileError(f"{label}: a case is a mapping with name, as_at, facts and expect")
    name = raw.get("name")
    if isinstance(name, str) and name:
        label = f"{path}: case '{name}'"
    else:
        raise CaseFileError(f"{label}: 'name' is required")
    unknown = sorted(set(raw) - CASE_KEYS)
    if unknown:
        raise CaseFileError(f"{label}: unknown key '{unknown[0]}'; a case has {', '.join(sorted(CASE_KEYS))}")
    as_at = parse_moment(raw.get("as_at"))
    if not isinstance(as_at, date) or isinstance(as_at, datetime):
        raise CaseFileError(f"{label}: 'as_at' must be a date")
    for key in ("children", "workers", "exceptions", "expect"):
        if key in raw and not isinstance(raw[key], list):
            raise CaseFileError(f"{label}: '{key}' must be a list")
    if "readings" in raw and not isinstance(raw["readings"], Mapping):
        raise CaseFileError(f"{label}: 'readings' must map an interpretation id to a reading")
    if "expect" not in raw:
        raise CaseFileError(f"{label}: 'expect' is required (an empty list when no instance is expected)")
    expect = tuple(_expected(label, n, item) for n, item in enumerate(raw["expect"], start=1))
    return Case(path=path, standard=standard, name=name, as_at=as_at, data=raw, expect=expect)


def _expected(label: str, n: int, item: Any) -> dict[str, Any]:
    where = f"{label}: expected instance {n}"
    if not isinstance(item, Mapping):
        raise CaseFileError(f"{where}: expected a mapping such as {{sequence: 1, due: 2024-04-19, status: met}}")
    unknown = sorted(set(item) - set(EXPECT_FIELDS))
    if unknown:
        raise CaseFileError(f"{where}: unknown key '{unknown[0]}'; use {', '.join(EXPECT_FIELDS)}")
    fields: dict[str, Any] = {}
    for key, value in item.items():
        field = EXPECT_FIELDS[key]
        value = parse_moment(value)
        if field in _DATE_FIELDS and value is not None and not isinstance(value, date):
            raise CaseFileError(f"{where}: '{key}' must be a date or 'YYYY-MM-DD HH:MM'")
        if field in _INT_FIELDS and value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise CaseFileError(f"{where}: '{key}' must be a whole number")
        if field == "status" and value not in STATUSES:
            raise CaseFileError(f"{where}: unknown status '{value}'; use {', '.join(STATUSES)}")
        if field in ("subject_id", "episode_id") and value is not None:
            value = str(value)
        fields[field] = value
    return fields


def check_facts(case: Case, standard_subject: str, standard_id: str) -> None:
    """Turn the case's facts into rows once, so a bad fact is reported as a format error of the file."""
    try:
        facts_to_tables(case.data, standard_subject, standard_id=standard_id)
    except CaseError as exc:
        raise CaseFileError(f"{case.path}: case '{case.name}': {exc}") from None
