"""Every statement of a council's document, and how the pack encodes it: nothing is skipped silently.

``<pack>/statements.yaml`` lists the statements of the pack's source document in document order, each
``encoded_as`` automated standards (of this pack or one it extends), case-file audit questions
(``casewatch.standards.audit``), both, or ``not_measurable`` with a one-line reason. The loader checks that every
reference resolves, that every audit question and every standard citing the document is used by a statement,
and that every quote is found in the statement of its section. ``coverage`` reports the result per statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, model_validator

from casewatch.standards.audit import AuditGroup, AuditQuestion
from casewatch.standards.kinds.base import Strict
from casewatch.standards.model import SLUG

STATEMENTS_FILE = "statements.yaml"
_MARKUP = re.compile(r"\*+|_{2,}")
_SPACE = re.compile(r"\s+")


class Encoding(Strict):
    """How one statement is encoded: standards and/or audit questions, or not measurable with a reason."""

    standards: list[str] | None = None
    audit: list[str] | None = None
    not_measurable: str | None = None

    @model_validator(mode="after")
    def _exactly_one_way(self) -> Encoding:
        if self.not_measurable is not None:
            if self.standards is not None or self.audit is not None:
                raise ValueError("'not_measurable' cannot be combined with 'standards' or 'audit'")
            reason = self.not_measurable.strip()
            if not reason or "\n" in reason:
                raise ValueError("'not_measurable' needs a one-line reason")
            return self
        if self.standards is None and self.audit is None:
            raise ValueError("'encoded_as' is empty: give 'standards', 'audit' or 'not_measurable'")
        for name, ids in (("standards", self.standards), ("audit", self.audit)):
            if ids is None:
                continue
            if not ids:
                raise ValueError(f"'{name}' is an empty list")
            if len(set(ids)) != len(ids):
                raise ValueError(f"'{name}' lists an id twice")
        return self


class Statement(Strict):
    id: str = Field(pattern=SLUG)
    section: str = Field(min_length=1)
    text: str = Field(min_length=1)
    encoded_as: Encoding
    notes: list[str] = Field(default_factory=list)


class StatementsFile(Strict):
    """``statements.yaml``."""

    document: str
    source_text: str | None = None  # a copy of the document beside statements.yaml, to check texts against
    statements: list[Statement] = Field(min_length=1)


@dataclass(frozen=True)
class StatementSet:
    """A pack's validated statements and the audit questions they use."""

    spec: StatementsFile
    path: Path
    audit_groups: list[AuditGroup]
    standards: dict[str, list[str]]  # statement id -> the full ids of its standards

    @property
    def document(self) -> str:
        return self.spec.document

    @property
    def statements(self) -> list[Statement]:
        return self.spec.statements

    @property
    def questions(self) -> dict[str, tuple[AuditGroup, AuditQuestion]]:
        return {q.id: (g, q) for g in self.audit_groups for q in g.questions}


def normalise(text: str) -> str:
    """Text as compared for quotes: emphasis markup dropped, runs of whitespace as one space."""
    return _SPACE.sub(" ", _MARKUP.sub("", text)).strip()


def quote_found(quote: str, text: str) -> bool:
    """Whether ``quote`` is verbatim in ``text``; "…" marks an omission, so its parts must appear in order."""
    haystack = normalise(text)
    position = 0
    for part in (normalise(p) for p in quote.split("…")):
        if not part:
            continue
        found = haystack.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True
