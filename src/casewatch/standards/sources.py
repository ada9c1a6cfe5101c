"""The vocabulary of sources that standards are written in (see sources.yaml).

Keeping table and column names here, and only here, means standards read in practice words ("cp_visit where
seen") and the mapping onto the SSD contract can be checked in one place against the data layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from casewatch.errors import StandardsError
from casewatch.standards.yamlio import read_located_yaml

SOURCES_FILE = Path(__file__).with_name("sources.yaml")
SubjectType = Literal["child", "worker", "family"]


class _SourceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["episode", "event", "entity"]
    label: str | None = None
    table: str
    id: str
    subjects: dict[SubjectType, str]
    date: str | None = None
    start: str | None = None
    end: str | None = None
    attributes: dict[str, str] = Field(default_factory=dict)
    filter: dict[str, Any] = Field(default_factory=dict)
    config_filter: dict[str, str] = Field(default_factory=dict)
    group_by: str | None = None

    @model_validator(mode="after")
    def _timing(self) -> _SourceSpec:
        if self.kind == "event" and (self.date is None or self.start or self.end):
            raise ValueError("an event source has a 'date' and no 'start'/'end'")
        if self.kind == "episode" and (self.start is None or self.end is None or self.date):
            raise ValueError("an episode source has 'start' and 'end' and no 'date'")
        if self.kind == "entity" and (self.date or self.start or self.end):
            raise ValueError("an entity source has no dates")
        if not self.subjects:
            raise ValueError("a source needs at least one subject column")
        return self


@dataclass(frozen=True)
class Source:
    """A named source: which table and columns an episode or event of practice comes from."""

    name: str
    kind: Literal["episode", "event", "entity"]
    label: str | None
    table: str
    id: str
    subjects: dict[str, str]
    date: str | None
    start: str | None
    end: str | None
    attributes: dict[str, str] = field(default_factory=dict)
    filter: dict[str, Any] = field(default_factory=dict)
    config_filter: dict[str, str] = field(default_factory=dict)
    group_by: str | None = None

    @property
    def title(self) -> str:
        """How results name this source to a social worker."""
        return self.label or self.name.replace("_", " ")

    @property
    def when(self) -> str:
        """The column that dates a row: an event's date or an episode's start."""
        column = self.date or self.start
        if column is None:
            raise StandardsError(f"the source '{self.name}' has no date")
        return column

    def column(self, attribute: str) -> str:
        try:
            return self.attributes[attribute]
        except KeyError:
            raise StandardsError(
                f"the source '{self.name}' has no attribute '{attribute}'; it has: {', '.join(sorted(self.attributes))}"
            ) from None

    def has_attribute(self, attribute: str) -> bool:
        return attribute in self.attributes

    def columns_used(self, attributes: set[str], subject_type: str) -> set[str]:
        """Every column a rule reading these attributes of this source needs."""
        cols = {self.id, self.subjects[subject_type]}
        cols |= {c for c in (self.date, self.start, self.end, self.group_by) if c}
        cols |= {self.attributes[a] for a in attributes | set(self.filter) | set(self.config_filter)}
        return cols


@cache
def load_sources(path: Path = SOURCES_FILE) -> dict[str, Source]:
    """Read and check the vocabulary; errors name the file and line."""
    doc = read_located_yaml(path)
    if not isinstance(doc.data, dict):
        raise doc.error((), "the sources file must be a mapping of source names")
    sources: dict[str, Source] = {}
    for name, raw in doc.data.items():
        try:
            spec = _SourceSpec.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise doc.error((name, *err["loc"]), f"source '{name}': {err['msg']}") from None
        for attr in list(spec.filter) + list(spec.config_filter):
            if attr not in spec.attributes:
                raise doc.error((name, "filter"), f"source '{name}' filters on unknown attribute '{attr}'")
        sources[name] = Source(name=name, **spec.model_dump())
    return sources
