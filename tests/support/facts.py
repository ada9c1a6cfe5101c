"""Turning a test case's facts, written in the vocabulary of sources, into SSD-shaped rows.

A principal social worker writes ``cla_visit: [{date: 2024-04-19, seen: true}]``; the evaluators need an
``ssd_cla_visits`` row with ``clav_cla_visit_date`` and ``clav_cla_visit_seen``. Doing the translation through
``sources.yaml`` (and nothing else) means a case exercises exactly the columns a standard reads, and a fact
naming an attribute the vocabulary lacks is an error instead of a silently ignored key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from casewatch.data.contract import TABLES
from casewatch.standards.sources import Source, load_sources

DEFAULT_CHILD = "C1"
DEFAULT_WORKER = "W1"
DEFAULT_ROLE = "SW"

_DATETIME_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?")
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")

CHILD_KEYS = frozenset({"id", "dob", "family"})
EXCEPTION_KEYS = frozenset({"id", "subject", "standard", "episode", "from", "to", "reason"})

Tables = dict[str, list[dict[str, Any]]]


class CaseError(ValueError):
    """A case's facts cannot be turned into rows; the message says which fact and why."""


def parse_moment(value: Any) -> Any:
    """YAML dates stay dates; "YYYY-MM-DD" text becomes a date and "YYYY-MM-DD HH:MM" text a datetime."""
    if isinstance(value, str):
        if _DATETIME_TEXT.fullmatch(value):
            return datetime.fromisoformat(value.replace("T", " "))
        if _DATE_TEXT.fullmatch(value):
            return date.fromisoformat(value)
    return value


def facts_to_tables(
    case: Mapping[str, Any], standard_subject: str, *, standard_id: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Table name -> rows (contract column names) for one test case.

    ``standard_subject`` decides which column a fact's ``subject`` key fills; ``standard_id`` is the default
    standard of the case's ``exceptions``. Values are typed as the data contract types their columns, as the
    data layer would load them.
    """
    sources = load_sources()
    tables: Tables = {}
    children = _children(case)
    workers = list(case.get("workers") or [])
    roles = list(case.get("allocated_roles") or [DEFAULT_ROLE])
    defaults = {
        "child": children[0]["id"] if children else DEFAULT_CHILD,
        "worker": (workers[0].get("id") if workers else None) or DEFAULT_WORKER,
    }
    for n, child in enumerate(children, start=1):
        _add(tables, "ssd_person", "pers_person_id", {"pers_person_id": child["id"], "pers_dob": child.get("dob")})
        if child.get("family") is not None:
            row = {"fami_table_id": f"family-{n}", "fami_family_id": child["family"], "fami_person_id": child["id"]}
            _add(tables, "ssd_family", "fami_table_id", row)
    for n, worker in enumerate(workers, start=1):
        _add_fact(tables, sources["worker"], {"id": f"W{n}", **worker}, n, standard_subject, defaults, roles)
    facts = case.get("facts") or {}
    if not isinstance(facts, Mapping):
        raise CaseError("'facts' must map source names to lists of facts")
    for name, items in facts.items():
        if name not in sources:
            raise CaseError(f"facts: unknown source '{name}'; see casewatch standards sources")
        if not isinstance(items, list):
            raise CaseError(f"facts: '{name}' must be a list of facts")
        for n, fact in enumerate(items, start=1):
            _add_fact(tables, sources[name], fact, n, standard_subject, defaults, roles)
    for n, exception in enumerate(case.get("exceptions") or [], start=1):
        _add(
            tables,
            "ext_exceptions",
            "excp_exception_id",
            _exception_row(exception, n, standard_subject, defaults, standard_id),
        )
    return _typed(tables)


def _children(case: Mapping[str, Any]) -> list[dict[str, Any]]:
    if "child" in case and "children" in case:
        raise CaseError("give either 'child' or 'children', not both")
    listed = case["children"] if "children" in case else ([case["child"]] if case.get("child") is not None else [])
    children = []
    for n, child in enumerate(listed, start=1):
        if not isinstance(child, Mapping):
            raise CaseError(f"child {n} must be a mapping such as {{id: C1, dob: 2012-05-01}}")
        unknown = set(child) - CHILD_KEYS
        if unknown:
            raise CaseError(
                f"child {n}: unknown key '{sorted(unknown)[0]}'; a child has {', '.join(sorted(CHILD_KEYS))}"
            )
        default_id = DEFAULT_CHILD if n == 1 else f"C{n}"
        children.append(
            {"id": child.get("id", default_id), "dob": parse_moment(child.get("dob")), "family": child.get("family")}
        )
    return children


def _add_fact(
    tables: Tables,
    source: Source,
    fact: Any,
    n: int,
    standard_subject: str,
    defaults: Mapping[str, str],
    roles: Sequence[str],
) -> None:
    """One fact -> one row of the source's table (rows with the same key in one table are merged)."""
    where = f"{source.name} fact {n}"
    if not isinstance(fact, Mapping):
        raise CaseError(f"{where}: a fact is a mapping of timing keys and attributes")
    timing = _timing_columns(source)
    allowed = {"id", "subject", *timing, *source.attributes}
    unknown = sorted(set(fact) - allowed)
    if unknown:
        raise CaseError(f"{where}: unknown key '{unknown[0]}'; it may have {', '.join(sorted(allowed))}")
    row: dict[str, Any] = {}

    def put(column: str, value: Any) -> None:
        value = parse_moment(value)
        if column in row and row[column] != value:
            raise CaseError(f"{where}: two keys give {column} different values ({row[column]!r}, {value!r})")
        row[column] = value

    for key, column in timing.items():
        if key in fact:
            put(column, fact[key])
    for attr, column in source.attributes.items():
        if attr in fact:
            put(column, fact[attr])
    if "subject" in fact:
        put(_subject_column(source, standard_subject, where), fact["subject"])
    if "id" in fact:
        put(source.id, fact["id"])
    for subject_type, column in source.subjects.items():
        row.setdefault(column, defaults[subject_type])
    for attr, test in source.filter.items():  # a pep_review fact is a plan review of type PEP
        if source.column(attr) not in row:  # e.g. an ASYE fact's start is the column its filter tests
            row[source.column(attr)] = _satisfying(test, where, attr)
    for attr in source.config_filter:  # an allocation fact is an allocated worker's unless it says otherwise
        row.setdefault(source.column(attr), roles[0])
    row.setdefault(source.id, f"{source.name}-{n}")
    key = (TABLES[source.table].primary_key if source.table in TABLES else None) or source.id
    if source.group_by is not None and key != source.group_by:
        row.setdefault(key, f"{source.name}-{n}")  # one row of the group: its own id
    _add(tables, source.table, key, row)


def _subject_column(source: Source, standard_subject: str, where: str) -> str:
    """The column a fact's ``subject`` fills: the standard's subject type, or the source's only subject.

    A worker standard can read a child-only source (``related_child_in: cp_plan``); there ``subject`` names the
    child, since that is the only subject the row has.
    """
    if standard_subject in source.subjects:
        return source.subjects[standard_subject]
    if len(source.subjects) == 1:
        return next(iter(source.subjects.values()))
    raise CaseError(f"{where}: the source has no {standard_subject} subject")


def _timing_columns(source: Source) -> dict[str, str]:
    """The timing keys a fact of this source may have: ``date`` for events, ``start``/``end`` for episodes."""
    if source.kind == "event" and source.date is not None:
        return {"date": source.date}
    if source.kind == "episode" and source.start is not None and source.end is not None:
        return {"start": source.start, "end": source.end}
    return {}


def _satisfying(test: Any, where: str, attr: str) -> Any:
    """A value satisfying a fixed filter, to put on a row made for a filtered source."""
    if isinstance(test, list):
        return test[0]
    if isinstance(test, dict):
        ((op, arg),) = test.items()
        if op == "in":
            return arg[0]
        if op == "is_null" and arg:
            return None
        raise CaseError(f"{where}: give '{attr}' explicitly (the source's filter does not fix one value)")
    return test


def _exception_row(
    exception: Any, n: int, standard_subject: str, defaults: Mapping[str, str], standard_id: str | None
) -> dict[str, Any]:
    if not isinstance(exception, Mapping):
        raise CaseError(f"exception {n} must be a mapping such as {{from: 2024-01-01, reason: ...}}")
    unknown = sorted(set(exception) - EXCEPTION_KEYS)
    if unknown:
        raise CaseError(f"exception {n}: unknown key '{unknown[0]}'; it may have {', '.join(sorted(EXCEPTION_KEYS))}")
    standard = exception.get("standard", standard_id)
    if standard is None:
        raise CaseError(f"exception {n}: say which standard it is for ('standard')")
    return {
        "excp_exception_id": exception.get("id", f"exception-{n}"),
        "excp_person_id": exception.get("subject", defaults[standard_subject]),
        "excp_standard_id": standard,
        "excp_episode_id": exception.get("episode"),
        "excp_date_from": parse_moment(exception.get("from")),
        "excp_date_to": parse_moment(exception.get("to")),
        "excp_reason": exception.get("reason", "recorded reason"),
    }


def _add(tables: Tables, table: str, key: str, row: dict[str, Any]) -> None:
    """Append ``row``, or merge it into the row with the same key (two sources can share a table)."""
    rows = tables.setdefault(table, [])
    for existing in rows:
        if existing.get(key) == row.get(key):
            for column, value in row.items():
                if existing.get(column) is not None and value is not None and existing[column] != value:
                    raise CaseError(
                        f"{table} row {row.get(key)!r}: {column} is both {existing[column]!r} and {value!r}"
                    )
                if value is not None or column not in existing:
                    existing[column] = value
            return
    rows.append(row)


def _typed(tables: Tables) -> Tables:
    """Dates in date columns and timestamps in date-time columns, as the data layer loads them."""
    for table, rows in tables.items():
        spec = TABLES.get(table)
        if spec is None:
            continue
        types = {c.name: c.type for c in spec.columns}
        for row in rows:
            for column, value in row.items():
                kind = types.get(column)
                if kind == "date" and isinstance(value, datetime):
                    row[column] = value.date()
                elif kind == "datetime" and isinstance(value, date) and not isinstance(value, datetime):
                    row[column] = datetime(value.year, value.month, value.day)
    return tables
