"""Council closure days: a council's own extra non-working days, read from a CSV or YAML file.

Closure days (say 27-31 December) are not statutory non-working days, so they live in their own file and
produce a separately named calendar (``england+closures``); a report then says which one it used. The file
is small and hand-edited, so every mistake is reported against the row it is on, and a date listed twice is
treated as a mistake (usually a copied line whose date was not changed).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from casewatch.errors import CasewatchError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class _Row:
    where: str  # "line 4" / "entry 2 (line 7)"
    raw_date: object
    raw_name: object


def load_closures(path: Path, first: date, last: date, calendar_id: str) -> dict[date, str]:
    """Closure dates and names from ``path``; every date must lie within ``first..last``."""
    if not path.is_file():
        raise CasewatchError(f"The closures file {path} does not exist or is not a file.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(path)
    elif suffix in (".yaml", ".yml"):
        rows = _yaml_rows(path)
    else:
        raise CasewatchError(f"The closures file {path} must be a .csv, .yaml or .yml file.")

    closures: dict[date, str] = {}
    seen_at: dict[date, str] = {}
    for row in rows:
        day = _parse_date(path, row)
        name = _parse_name(path, row)
        if not first <= day <= last:
            raise CasewatchError(
                f"{path}, {row.where}: {day} is outside the {calendar_id} calendar ({first} to {last})."
            )
        if day in closures:
            raise CasewatchError(f"{path}, {row.where}: {day} is already listed at {seen_at[day]}.")
        closures[day] = name
        seen_at[day] = row.where
    return closures


def _csv_rows(path: Path) -> list[_Row]:
    # utf-8-sig: spreadsheets often save CSV with a byte-order mark, which would otherwise corrupt "date".
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        while header is not None and _is_blank_or_comment(header):
            header = next(reader, None)
        if header is None:
            raise CasewatchError(f"The closures file {path} is empty; it needs a header row 'date,name'.")
        columns = [cell.strip().lower() for cell in header]
        missing = [c for c in ("date", "name") if c not in columns]
        if missing:
            raise CasewatchError(
                f"{path}, line {reader.line_num}: the header has no {' or '.join(missing)} column "
                "(expected 'date,name')."
            )
        date_col, name_col = columns.index("date"), columns.index("name")
        rows = []
        for cells in reader:
            if _is_blank_or_comment(cells):
                continue
            rows.append(
                _Row(
                    where=f"line {reader.line_num}",
                    raw_date=cells[date_col] if date_col < len(cells) else "",
                    raw_name=cells[name_col] if name_col < len(cells) else "",
                )
            )
        return rows


def _is_blank_or_comment(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells) or cells[0].lstrip().startswith("#")


def _yaml_rows(path: Path) -> list[_Row]:
    text = path.read_text(encoding="utf-8")
    try:
        data: Any = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise CasewatchError(f"The closures file {path} is not valid YAML: {_one_line(exc)}.") from exc
    if data is None:
        return []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        raise CasewatchError(f"The closures file {path} must be a YAML list of {{date, name}} entries.")
    rows = []
    for number, (item, item_node) in enumerate(zip(data, node.value, strict=True), start=1):
        where = f"entry {number} (line {item_node.start_mark.line + 1})"
        if not isinstance(item, dict):
            raise CasewatchError(f"{path}, {where}: expected a mapping with 'date' and 'name'.")
        rows.append(_Row(where=where, raw_date=item.get("date"), raw_name=item.get("name")))
    return rows


def _parse_date(path: Path, row: _Row) -> date:
    raw = row.raw_date
    # YAML turns an unquoted 2024-12-27 into a date already; a timestamp is a datetime, which is not a day.
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    if isinstance(raw, str) and _ISO_DATE.fullmatch(raw.strip()):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    shown = "nothing" if raw is None or raw == "" else repr(raw)
    raise CasewatchError(f"{path}, {row.where}, column date: {shown} is not a date in YYYY-MM-DD form.")


def _parse_name(path: Path, row: _Row) -> str:
    raw = row.raw_name
    if isinstance(raw, str) and raw.strip():
        return raw.strip()
    raise CasewatchError(f"{path}, {row.where}, column name: every closure day needs a name.")


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
