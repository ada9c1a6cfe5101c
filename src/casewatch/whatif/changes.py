"""The changes a what-if question makes, written as a principal social worker types them.

``cla-visits:phases.1.interval=4 weeks`` names a standard, a field of its rule and a new value. The rule is
changed by the loader's patching (``standards.loader.change_standard``), the same mechanism a reading's ``set``
uses, so a change is validated as strictly as a standard file and a mistake is one sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from casewatch.errors import StandardsError
from casewatch.standards.loader import change_standard
from casewatch.standards.pack import Pack, Standard

FORM = "STANDARD:FIELD=VALUE, e.g. cla-visits:phases.1.interval=4 weeks"


@dataclass(frozen=True)
class Change:
    """One field of one standard's rule given a new value (``None`` removes the field)."""

    standard: str
    field: str
    value: Any

    def __str__(self) -> str:
        shown = "null" if self.value is None else self.value
        return f"{self.standard}:{self.field}={shown}"


def parse_change(option: str) -> Change:
    """``STANDARD:FIELD=VALUE``; the value is read as YAML, so ``4 weeks`` is text, ``[U1, U4]`` a list and
    ``null`` removes the field, as they would be written in a standard file."""
    key, sep, text = option.partition("=")
    standard, colon, field = key.partition(":")
    if not (sep and colon and standard.strip() and field.strip() and text.strip()):
        raise StandardsError(f"the change '{option}' must be {FORM}")
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        raise StandardsError(f"the value of the change '{option}' cannot be read; quote it, e.g. \"4 weeks\"") from None
    return Change(standard.strip(), field.strip(), value)


def resolve(pack: Pack, changes: Iterable[Change]) -> list[Change]:
    """The changes with each standard named by its full id (``england.cla-visits``), as results name it."""
    return [Change(pack.get(c.standard).id, c.field, c.value) for c in changes]


def changed_standards(pack: Pack, changes: Iterable[Change]) -> dict[str, tuple[Standard, Standard]]:
    """Full standard id -> (the standard as it is, as changed), for every standard a change names.

    A standard named twice takes both changes; the same field given twice is an error, since one of the two
    values would be silently lost.
    """
    fields: dict[str, dict[str, Any]] = {}
    for change in changes:
        standard = pack.get(change.standard)
        chosen = fields.setdefault(standard.id, {})
        if change.field in chosen:
            raise StandardsError(f"the field '{change.field}' of '{change.standard}' is changed twice; give it once")
        chosen[change.field] = change.value
    standards = pack.standards
    return {sid: (standards[sid], change_standard(standards[sid], chosen)) for sid, chosen in fields.items()}


__all__ = ["FORM", "Change", "changed_standards", "parse_change", "resolve"]
