"""Grade scales for case-file audits, held as data (``grade_scales.yaml``) rather than code.

Councils grade audits differently: the four Ofsted words (outstanding, good, requires improvement, inadequate),
a 0-10 score, or red/amber/green; and since April 2026 Ofsted's ILACS no longer gives an overall grade, so some
councils are changing. A scale is therefore a named list of grades, each with a rank (higher is better) so that
reports can order and compare them. The programme records the scale it grades on; which one applies is, in order,
the programme's own choice, the one the pack names (``audit_grade_scale:`` in pack.yaml), or the default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import Field, ValidationError, model_validator

from casewatch.errors import CasewatchError
from casewatch.standards.kinds.base import Strict
from casewatch.standards.model import SLUG
from casewatch.standards.pack import Pack
from casewatch.standards.yamlio import read_located_yaml

SCALES_FILE = Path(__file__).with_name("grade_scales.yaml")
#: The scale a programme grades on when neither it nor its pack names one.
DEFAULT_SCALE = "four-point"


class Grade(Strict):
    """One grade of a scale."""

    id: str = Field(min_length=1, pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1)
    rank: int
    #: The grade calls for escalation to the child's manager and head of service (read by a later slice).
    concern: bool = False


class GradeScale(Strict):
    """A named scale: its grades from best to poorest."""

    title: str = Field(min_length=1)
    grades: list[Grade] = Field(min_length=2)

    @model_validator(mode="after")
    def _distinct(self) -> GradeScale:
        if len({g.id for g in self.grades}) != len(self.grades):
            raise ValueError("a grade id is listed twice")
        if len({g.rank for g in self.grades}) != len(self.grades):
            raise ValueError("two grades share a rank, so reports could not order them")
        return self

    def grade(self, grade_id: str) -> Grade:
        for grade in self.grades:
            if grade.id == grade_id:
                return grade
        raise CasewatchError(
            f"'{grade_id}' is not a grade of the scale '{self.title}'; "
            f"use one of {', '.join(g.id for g in self.grades)}"
        )


@dataclass(frozen=True)
class NamedScale:
    """A scale with the name a programme stores."""

    name: str
    scale: GradeScale


@cache
def load_scales(path: Path = SCALES_FILE) -> dict[str, GradeScale]:
    """Every grade scale in ``path``; a malformed file is one located sentence."""
    doc = read_located_yaml(path)
    if not isinstance(doc.data, dict):
        raise doc.error((), "expected a mapping of scale names to scales")
    scales: dict[str, GradeScale] = {}
    for name, raw in doc.data.items():
        if not isinstance(name, str) or re.fullmatch(SLUG, name) is None:
            raise doc.error((name,), f"the scale name '{name}' must be lower case words joined by hyphens")
        try:
            scales[name] = GradeScale.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            message = str(err["msg"]).removeprefix("Value error, ")
            raise doc.error((name, *err["loc"]), f"scale '{name}': {where + ': ' if where else ''}{message}") from None
    return scales


def grade_scale(name: str | None = None, pack: Pack | None = None) -> NamedScale:
    """The scale called ``name``; without one, the scale the pack (or a pack it extends) names, else the default."""
    chosen = name or (pack_scale(pack) if pack is not None else None) or DEFAULT_SCALE
    scales = load_scales()
    if chosen not in scales:
        raise CasewatchError(f"there is no grade scale '{chosen}'; the scales are {', '.join(sorted(scales))}")
    return NamedScale(chosen, scales[chosen])


def pack_scale(pack: Pack) -> str | None:
    """The grade scale a pack names for its audits, inherited from the pack it extends."""
    current: Pack | None = pack
    while current is not None:
        if current.spec.audit_grade_scale is not None:
            return current.spec.audit_grade_scale
        current = current.base
    return None


__all__ = ["DEFAULT_SCALE", "Grade", "GradeScale", "NamedScale", "grade_scale", "load_scales", "pack_scale"]
