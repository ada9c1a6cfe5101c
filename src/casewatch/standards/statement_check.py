"""Checking a pack's statements against the pack, and the coverage report: every statement accounted for.

Kept apart from the statement models (``statements.py``) so that the loaded pack can hold its statements without
the two modules importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casewatch.errors import StandardsError
from casewatch.standards.audit import AuditGroup, check_documents, validate_located
from casewatch.standards.pack import Pack
from casewatch.standards.statements import (
    STATEMENTS_FILE,
    Statement,
    StatementSet,
    StatementsFile,
    normalise,
    quote_found,
)
from casewatch.standards.yamlio import LocatedYaml, read_located_yaml


def load_statements(pack: Pack, audit_groups: list[AuditGroup]) -> StatementSet | None:
    """Read and check ``statements.yaml`` against the pack; None when the pack has none (and no audit files)."""
    path = pack.path / STATEMENTS_FILE
    if not path.is_file():
        for group in audit_groups:
            question = group.questions[0]
            raise group.doc.error(
                group.locate(question.id),
                f"the audit question '{question.id}' is used by no statement: the pack has no {STATEMENTS_FILE}",
            )
        return None
    doc = read_located_yaml(path)
    spec = validate_located(doc, StatementsFile)
    documents = pack.documents()
    if spec.document not in documents:
        raise doc.error(
            ("document",),
            f"the document '{spec.document}' is not one the pack lists (it has: {', '.join(sorted(documents))})",
        )
    if spec.source_text is not None:
        _check_source_text(doc, spec, path.parent / spec.source_text)
    ids: set[str] = set()
    for index, statement in enumerate(spec.statements):
        if statement.id in ids:
            raise doc.error(("statements", index, "id"), f"the statement id '{statement.id}' is used twice")
        ids.add(statement.id)
    standards = _resolve_standards(doc, spec, pack)
    _check_audit(doc, spec, audit_groups, set(documents))
    _check_own_standards(spec, pack, standards)
    return StatementSet(spec=spec, path=path, audit_groups=audit_groups, standards=standards)


def _check_source_text(doc: LocatedYaml, spec: StatementsFile, source: Path) -> None:
    try:
        text = normalise(source.read_text(encoding="utf-8"))
    except OSError:
        raise doc.error(("source_text",), f"the source text {source.name} cannot be read") from None
    position = 0
    for index, statement in enumerate(spec.statements):
        found = text.find(normalise(statement.text), position)
        if found < 0:
            where = "at all" if text.find(normalise(statement.text)) < 0 else "after the statement before it"
            raise doc.error(
                ("statements", index, "text"),
                f"the text of statement '{statement.id}' is not found verbatim in {source.name} {where}",
            )
        position = found + len(normalise(statement.text))


def _resolve_standards(doc: LocatedYaml, spec: StatementsFile, pack: Pack) -> dict[str, list[str]]:
    known = pack.standards
    resolved: dict[str, list[str]] = {}
    for index, statement in enumerate(spec.statements):
        full_ids = []
        for n, ref in enumerate(statement.encoded_as.standards or []):
            full = ref if ref in known else f"{pack.id}.{ref}"
            if full not in known:
                replaced = " (this pack replaces it)" if ref in pack.replaced else ""
                raise doc.error(
                    ("statements", index, "encoded_as", "standards", n),
                    f"statement '{statement.id}' names the standard '{ref}', which is not a standard of the pack "
                    f"'{pack.id}' or of a pack it extends{replaced}",
                )
            full_ids.append(full)
        resolved[statement.id] = full_ids
    return resolved


def _check_audit(doc: LocatedYaml, spec: StatementsFile, groups: list[AuditGroup], documents: set[str]) -> None:
    questions = {q.id: (g, q) for g in groups for q in g.questions}
    used: set[str] = set()
    sections = _by_section(spec)
    for index, statement in enumerate(spec.statements):
        for n, ref in enumerate(statement.encoded_as.audit or []):
            if ref not in questions:
                raise doc.error(
                    ("statements", index, "encoded_as", "audit", n),
                    f"statement '{statement.id}' names the audit question '{ref}', which no file in audit/ defines",
                )
            used.add(ref)
    for group in groups:
        check_documents(group, documents)
        for question in group.questions:
            loc = group.locate(question.id)
            if question.id not in used:
                raise group.doc.error(
                    (*loc, "id"), f"the audit question '{question.id}' is used by no statement in {STATEMENTS_FILE}"
                )
            citation = question.citation
            if citation.document not in (None, spec.document):
                continue
            cited = sections.get(citation.section)
            if cited is None:
                raise group.doc.error(
                    (*loc, "citation", "section"),
                    f"no statement of {STATEMENTS_FILE} has the section '{citation.section}'",
                )
            if not any(quote_found(citation.quote, s.text) for s in cited):
                raise group.doc.error(
                    (*loc, "citation", "quote"),
                    f"the quote is not found verbatim in any statement of {citation.section} "
                    f"({', '.join(s.id for s in cited)})",
                )


def _by_section(spec: StatementsFile) -> dict[str, list[Statement]]:
    """Statements grouped by section: a section of the document often holds several statements."""
    grouped: dict[str, list[Statement]] = {}
    for statement in spec.statements:
        grouped.setdefault(statement.section, []).append(statement)
    return grouped


def _check_own_standards(spec: StatementsFile, pack: Pack, standards: dict[str, list[str]]) -> None:
    """This pack's standards citing the document quote a statement verbatim, and a statement uses each."""
    used = {full for ids in standards.values() for full in ids}
    sections = _by_section(spec)
    for standard in pack.own.values():
        if standard.spec.citation.document != spec.document:
            continue
        doc = read_located_yaml(standard.path)
        for loc, citation in standard.citations():
            if citation.document != spec.document:
                continue
            cited = sections.get(citation.section)
            if cited is None:
                raise doc.error(
                    (*loc, "section"), f"no statement of {STATEMENTS_FILE} has the section '{citation.section}'"
                )
            if not any(quote_found(citation.quote, s.text) for s in cited):
                raise doc.error(
                    (*loc, "quote"),
                    f"the quote is not found verbatim in any statement of {citation.section} "
                    f"({', '.join(s.id for s in cited)})",
                )
            if citation.checked != "verbatim":
                # The quote has just been found in the document: calling it anything less would understate it.
                raise doc.error(
                    (*loc, "checked"),
                    f"the quote is found verbatim in {STATEMENTS_FILE}, so it is 'checked: verbatim', "
                    f"not '{citation.checked}'",
                )
        if standard.id not in used:
            raise doc.error(("id",), f"the standard '{standard.spec.id}' is used by no statement in {STATEMENTS_FILE}")


# --------------------------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class CoverageRow:
    statement: Statement
    standards: list[str]
    audit: list[str]
    not_measurable: str | None

    @property
    def accounted(self) -> bool:
        return bool(self.standards or self.audit or (self.not_measurable and self.not_measurable.strip()))

    @property
    def how(self) -> str:
        """A short description: automated, audit, both, not measurable, or unaccounted."""
        if self.standards and self.audit:
            return "automated + audit"
        if self.standards:
            return "automated"
        if self.audit:
            return "audit"
        if self.not_measurable:
            return "not measurable"
        return "unaccounted"


@dataclass(frozen=True)
class Coverage:
    """How each statement of a pack's document is encoded, in document order."""

    pack: str
    document: str
    document_title: str
    rows: list[CoverageRow]
    audit_groups: int
    audit_questions: int

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def automated(self) -> int:
        """Statements with at least one automated standard (some also have audit questions)."""
        return sum(1 for r in self.rows if r.standards)

    @property
    def audit_only(self) -> int:
        return sum(1 for r in self.rows if r.audit and not r.standards)

    @property
    def also_audited(self) -> int:
        return sum(1 for r in self.rows if r.audit and r.standards)

    @property
    def not_measurable(self) -> int:
        return sum(1 for r in self.rows if r.not_measurable and not (r.standards or r.audit))

    @property
    def unaccounted(self) -> list[CoverageRow]:
        return [r for r in self.rows if not r.accounted]

    @property
    def percent(self) -> float:
        return 100.0 * (self.total - len(self.unaccounted)) / self.total if self.total else 0.0

    @property
    def summary(self) -> str:
        return (
            f"{self.total} statements: {self.automated} automated, {self.audit_only} audit, "
            f"{self.not_measurable} not measurable — {self.percent:.0f}% accounted for"
        )


def coverage(pack: Pack) -> Coverage:
    """Every statement of the pack's document with how it is encoded; an error if it lists no statements."""
    statements = pack.statements
    if statements is None:
        raise StandardsError(
            f"the pack '{pack.id}' has no {STATEMENTS_FILE}, so the statements of its source document are not "
            "listed; coverage needs one"
        )
    rows = [
        CoverageRow(
            statement=s,
            standards=statements.standards.get(s.id, []),
            audit=list(s.encoded_as.audit or []),
            not_measurable=s.encoded_as.not_measurable,
        )
        for s in statements.statements
    ]
    document = pack.documents().get(statements.document)
    return Coverage(
        pack=pack.id,
        document=statements.document,
        document_title=document.title if document else statements.document,
        rows=rows,
        audit_groups=len(statements.audit_groups),
        audit_questions=len(statements.questions),
    )
