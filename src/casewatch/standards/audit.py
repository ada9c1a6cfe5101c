"""Case-file audit questions: the statements of a practice document that no data field can show.

"The child's lived experience is evident in the assessment" is a practice standard, but only a person reading
the file can judge it. Such statements become audit questions, one file per group of the source document
(``<pack>/audit/<group>.yaml``), each question carrying the same citation as an automated standard (section and
verbatim quote) and answered met / partly met / not met / not applicable. ``casewatch.standards.statements``
links every question to the statement it encodes; a question no statement uses is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError, field_validator

from casewatch.standards.kinds.base import Strict
from casewatch.standards.model import SLUG
from casewatch.standards.yamlio import LocatedYaml, read_located_yaml

AUDIT_DIR = "audit"
Answer = Literal["met", "partly_met", "not_met", "not_applicable"]
ANSWERS: tuple[Answer, ...] = ("met", "partly_met", "not_met", "not_applicable")


class AuditCitation(Strict):
    """Where in the source document a question comes from; the document defaults to the pack's statements'."""

    document: str | None = None
    section: str = Field(min_length=1)
    quote: str = Field(min_length=1)

    @field_validator("section", "quote")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value


class AuditQuestion(Strict):
    """One question an auditor answers from the case file."""

    id: str = Field(pattern=SLUG)
    question: str = Field(min_length=1)
    citation: AuditCitation
    role: str = Field(min_length=1)
    # The share of audited files that should meet it, where the document sets one (Rutland's 100%/90%/80%).
    target: float | None = Field(default=None, ge=0, le=100)
    answers: list[Answer] = Field(default_factory=lambda: list(ANSWERS))
    notes: list[str] = Field(default_factory=list)

    @field_validator("answers")
    @classmethod
    def _answers(cls, value: list[Answer]) -> list[Answer]:
        if not value:
            raise ValueError("a question needs at least one answer")
        if len(set(value)) != len(value):
            raise ValueError("an answer is listed twice")
        return value


class AuditGroupFile(Strict):
    """``audit/<group>.yaml``: the questions of one group of the source document."""

    group: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    questions: list[AuditQuestion] = Field(min_length=1)


@dataclass(frozen=True)
class AuditGroup:
    """A validated group of audit questions and the file it came from."""

    spec: AuditGroupFile
    path: Path
    doc: LocatedYaml

    @property
    def id(self) -> str:
        return self.spec.group

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def questions(self) -> list[AuditQuestion]:
        return self.spec.questions

    def locate(self, question_id: str) -> tuple[str | int, ...]:
        """The path of a question in its file, for located errors."""
        for index, question in enumerate(self.spec.questions):
            if question.id == question_id:
                return ("questions", index)
        return ()


M = TypeVar("M", bound=BaseModel)


def validate_located(doc: LocatedYaml, model: type[M]) -> M:
    """Validate a located YAML document; the first problem (a misspelt key first) names file and line."""
    if not isinstance(doc.data, dict):
        raise doc.error((), "expected a mapping of keys to values")
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors()
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        raise doc.error(tuple(err["loc"]), _describe(err)) from None


def _describe(err: Any) -> str:
    loc = [str(p) for p in err["loc"]]
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{loc[-1]}'" if loc else "unknown key"
    if kind == "missing":
        return f"'{'.'.join(loc)}' is required"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{'.'.join(loc)}: {msg}" if loc else msg


def audit_files(pack_dir: Path) -> list[Path]:
    """The audit group files of a pack, in name order."""
    folder = pack_dir / AUDIT_DIR
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_audit_groups(pack_dir: Path) -> list[AuditGroup]:
    """Read and check every ``audit/<group>.yaml`` of a pack: form, file names, unique question ids."""
    groups: list[AuditGroup] = []
    seen: dict[str, Path] = {}
    for path in audit_files(pack_dir):
        doc = read_located_yaml(path)
        spec = validate_located(doc, AuditGroupFile)
        if spec.group != path.stem:
            raise doc.error(("group",), f"the group '{spec.group}' must match the file name '{path.stem}.yaml'")
        for index, question in enumerate(spec.questions):
            if question.id in seen:
                raise doc.error(
                    ("questions", index, "id"),
                    f"the audit question id '{question.id}' is also used in {seen[question.id].name}",
                )
            seen[question.id] = path
        groups.append(AuditGroup(spec=spec, path=path, doc=doc))
    return groups


def check_documents(group: AuditGroup, known_documents: set[str]) -> None:
    """A question citing another document must name one the pack lists."""
    for index, question in enumerate(group.questions):
        document = question.citation.document
        if document is not None and document not in known_documents:
            raise group.doc.error(
                ("questions", index, "citation", "document"),
                f"the citation names document '{document}', which the pack does not list "
                f"(it has: {', '.join(sorted(known_documents)) or 'none'})",
            )


__all__ = [
    "ANSWERS",
    "AuditCitation",
    "AuditGroup",
    "AuditGroupFile",
    "AuditQuestion",
    "audit_files",
    "check_documents",
    "load_audit_groups",
    "validate_located",
]
