"""Per-council settings that travel with the data: ``casewatch.yaml`` in the data folder.

Councils differ in codes, not in structure: which involvement roles mean "the allocated worker", which extra
spellings their CMS uses for a "seen" flag or a health-check type (``codes``), which window of history their SSD
extract keeps. Keeping those in a
small, strictly validated file next to the data means the same casewatch build runs everywhere, and a typo in a
key is an error instead of a silently ignored setting.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from casewatch.data.contract import TABLES
from casewatch.data.vocabulary import FALSE_TOKENS, NA_TOKENS, NULL_TOKENS, TRUE_TOKENS, fold
from casewatch.errors import DataError

CONFIG_FILE_NAMES = ("casewatch.yaml", "casewatch.yml")

DEFAULT_ALLOCATED_WORKER_ROLES = (
    "CW",
    "SW",
    "Allocated Social Worker",
    "Allocated Case Worker",
    "ALLOCATED_SW",
    "Key Worker",
)


class DataConfig(BaseModel):
    """Settings for reading one council's case data; every field has a default so the file is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    la_code: str | None = Field(default=None, description="The council's local authority code, e.g. 831.")
    source_cms: str | None = Field(
        default=None, description="Case-management system the data came from (Liquidlogic, Mosaic, Eclipse...)."
    )
    allocated_worker_roles: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ALLOCATED_WORKER_ROLES),
        description="Values of invo_professional_role_id that mean the allocated, case-holding worker.",
    )
    seen_values: list[str] = Field(
        default_factory=list,
        description="Extra spellings read as 'yes' in flag columns (e.g. 'Seen'), on top of Y/Yes/1/True/T.",
    )
    not_seen_values: list[str] = Field(
        default_factory=list,
        description="Extra spellings read as 'no' in flag columns (e.g. 'Not seen'), on top of N/No/0/False/F.",
    )
    ssd_timeframe_years: int | None = Field(
        default=None,
        ge=1,
        le=100,
        description=(
            "Years of history the SSD extract keeps (its ssd_timeframe_years, 6 by default in the SSD): the "
            "history window starts this many years before extract_date. Unset, casewatch infers the window."
        ),
    )
    history_from: date | None = Field(
        default=None,
        description=(
            "The date from which every table holds every record (wins over ssd_timeframe_years): nothing that "
            "falls due or starts before it is judged."
        ),
    )
    extract_date: date | None = Field(
        default=None,
        description="The date the extract was taken (ssd_timeframe_years counts back from it); default the as-at date.",
    )
    csv_encoding: str = Field(
        default="utf-8", description="Text encoding of the CSV files: utf-8 (default), latin-1 or utf-16."
    )
    snapshot_tables: list[str] = Field(
        default_factory=list,
        description=(
            "Tables holding only each child's latest record (Ofsted Annex A keeps only the last visit and review): "
            "standards about the intervals between their events are judged as at the date only."
        ),
    )

    windows: dict[str, date] = Field(
        default_factory=dict,
        description=(
            "Per table, the date from which it holds every record, when later than the history window (an Annex "
            "A list covers only months before the extract): an instance anchored or due before the window of a "
            "table its standard reads is left out and counted, not reported as overdue."
        ),
    )

    codes: dict[str, dict[str, dict[str, str]]] = Field(
        default_factory=dict,
        description=(
            "Per table and text column, the council's values and the value casewatch's standards read for each "
            "(`ssd_cla_health: {clah_health_check_type: {RHA: review health assessment}}`), applied as the data is "
            "loaded; values are matched ignoring case and spaces. `casewatch data check DIR --standards PACK` "
            "lists the values no standard reads, with the lines to add."
        ),
    )

    @field_validator("codes", mode="before")
    @classmethod
    def _code_columns(cls, value: Any) -> Any:
        """Every table, column and value named, or one sentence saying which is wrong (the file must be fixed)."""
        if not isinstance(value, dict):
            raise ValueError("expected a mapping of table names to columns")
        for table, columns in value.items():
            spec = TABLES.get(table) if isinstance(table, str) else None
            if spec is None:
                raise ValueError(f"'{table}' is not a casewatch table")
            if not isinstance(columns, dict):
                raise ValueError(f"{table}: expected a mapping of column names to codes")
            for column, codes in columns.items():
                if column not in spec.column_names:
                    raise ValueError(f"{table} has no column '{column}'")
                if spec.column(column).type != "string":
                    raise ValueError(f"{table}.{column} holds {spec.column(column).type}s; codes map text columns")
                _check_codes(f"{table}.{column}", codes)
        return value

    @field_validator("windows")
    @classmethod
    def _known_tables(cls, value: dict[str, date]) -> dict[str, date]:
        unknown = sorted(t for t in value if t not in TABLES)
        if unknown:
            raise ValueError(f"not casewatch tables: {', '.join(unknown)}")
        return value

    @field_validator("allocated_worker_roles", "seen_values", "not_seen_values")
    @classmethod
    def _strip(cls, values: list[str]) -> list[str]:
        return [v.strip() for v in values if v.strip()]

    @field_validator("csv_encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        normal = value.strip().lower().replace("_", "-")
        if normal not in {"utf-8", "utf8", "latin-1", "latin1", "iso-8859-1", "utf-16"}:
            raise ValueError("must be utf-8, latin-1 or utf-16")
        return {"utf8": "utf-8", "latin1": "latin-1", "iso-8859-1": "latin-1"}.get(normal, normal)

    @model_validator(mode="after")
    def _flags_do_not_clash(self) -> DataConfig:
        seen = {v.upper() for v in self.seen_values}
        not_seen = {v.upper() for v in self.not_seen_values}
        clash = (seen & (not_seen | set(FALSE_TOKENS))) | (not_seen & set(TRUE_TOKENS))
        clash |= (seen | not_seen) & (set(NA_TOKENS) | set(NULL_TOKENS))
        if clash:
            raise ValueError(f"flag spellings {sorted(clash)} would mean both yes and no (or empty)")
        return self


def _check_codes(where: str, codes: Any) -> None:
    if not isinstance(codes, dict):
        raise ValueError(f"{where}: expected a mapping of the council's values to the standards' values")
    targets: dict[str, str] = {}
    for key, target in codes.items():
        if not isinstance(key, str) or not isinstance(target, str):
            raise ValueError(f"{where}: write each value as text, in quotes ({key!r}: {target!r})")
        if not fold(key) or not fold(target):
            raise ValueError(f"{where}: an empty value cannot be mapped ({key!r}: {target!r})")
        earlier = targets.setdefault(fold(key), target)
        if fold(earlier) != fold(target):
            raise ValueError(f"{where}: {key!r} is mapped twice, to {earlier!r} and to {target!r}")


def find_config_file(folder: Path) -> Path | None:
    """The config file in ``folder``, if there is one."""
    for name in CONFIG_FILE_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def read_config(path: Path | None) -> DataConfig:
    """Read and validate a config file; defaults when ``path`` is None.

    Every problem becomes a DataError naming the file and the offending key, because the user must fix the file.
    """
    if path is None:
        return DataConfig()
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f", line {line + 1}" if line is not None else ""
        raise DataError(f"{path.name}{where}: not valid YAML ({getattr(exc, 'problem', exc)}).") from exc
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror}).") from exc
    if raw is None:
        return DataConfig()
    if not isinstance(raw, dict):
        raise DataError(f"{path.name}: expected a mapping of settings at the top level.")
    known = set(DataConfig.model_fields)
    for key in raw:
        if key not in known:
            raise DataError(f"{path.name}: unknown key '{key}' (known keys: {', '.join(sorted(known))}).")
    try:
        return DataConfig.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise DataError(f"{path.name}: key '{key}': {message}.") from exc
