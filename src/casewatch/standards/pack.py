"""A loaded pack and its standards: what the loader produces and every other part of casewatch reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from casewatch.errors import StandardsError
from casewatch.standards.audit import AuditGroup
from casewatch.standards.durations import Duration
from casewatch.standards.kinds import Rule
from casewatch.standards.model import Citation, Document, PackFile, StandardFile, Version
from casewatch.standards.sources import load_sources
from casewatch.standards.statements import StatementSet

PACKS_DIR = Path(__file__).resolve().parent.parent / "packs"
PERSON_COLUMNS = ("pers_person_id", "pers_dob")


@dataclass(frozen=True)
class Standard:
    """A validated standard of a pack, with everything the engine needs to evaluate it."""

    pack: str
    spec: StandardFile
    path: Path
    calendar: str
    due_soon: Duration
    documents: dict[str, Document]
    readings: dict[str, str] = field(default_factory=dict)  # interpretation id -> the reading in force
    #: The rule as the file writes it (its default readings'), kept so that a reading can be switched back.
    written_rule: Rule | None = None

    def __post_init__(self) -> None:
        if self.written_rule is None:
            object.__setattr__(self, "written_rule", self.spec.rule)

    @property
    def id(self) -> str:
        """The full id, ``<pack>.<standard>``, used in results."""
        return f"{self.pack}.{self.spec.id}"

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def subject(self) -> str:
        return self.spec.subject

    @property
    def versions(self) -> list[Version]:
        return self.spec.all_versions()

    @property
    def reading_summary(self) -> str:
        """The readings in force, e.g. ``visit-frequency=monthly``, for results and reports."""
        return "; ".join(f"{k}={v}" for k, v in sorted(self.readings.items()))

    def with_reading(self, interpretation_id: str, reading_name: str) -> Standard:
        """This standard as it reads under another reading of one of its interpretations."""
        interpretation = next((i for i in self.spec.interpretations if i.id == interpretation_id), None)
        if interpretation is None:
            known = ", ".join(i.id for i in self.spec.interpretations) or "none"
            raise StandardsError(
                f"the standard '{self.id}' has no interpretation '{interpretation_id}' (it has: {known})"
            )
        reading = interpretation.readings.get(reading_name)
        if reading is None:
            raise StandardsError(
                f"the interpretation '{interpretation_id}' of '{self.id}' has no reading '{reading_name}'; "
                f"choose one of: {', '.join(interpretation.readings)}"
            )
        spec = self.spec
        if reading.rule is not None:
            spec = spec.model_copy(update={"rule": reading.rule})
        elif reading_name == interpretation.default and self.readings.get(interpretation_id) != reading_name:
            # Back to the default: the rule is the one written in the file.
            spec = spec.model_copy(update={"rule": self.written_rule})
        readings = {**self.readings, interpretation_id: reading_name}
        return Standard(
            self.pack, spec, self.path, self.calendar, self.due_soon, self.documents, readings, self.written_rule
        )

    def file_rule(self) -> Rule | None:
        """The rule as the file writes it (the default readings'), whichever reading is now in force."""
        return self.written_rule

    def citation_for(self, version: Version) -> Citation:
        return version.citation or self.spec.citation

    def citations(self) -> list[tuple[tuple[str | int, ...], Citation]]:
        """Every citation of the standard with where it sits in the file: its own, then each version's."""
        found: list[tuple[tuple[str | int, ...], Citation]] = [(("citation",), self.spec.citation)]
        for index, version in enumerate(self.spec.versions or []):
            if version.citation is not None:
                found.append((("versions", index, "citation"), version.citation))
        return found

    @property
    def cases_path(self) -> Path:
        return self.path.with_name(self.path.name.removesuffix(".yaml") + ".cases.yaml")

    def version_at(self, day: date) -> Version | None:
        for version in self.versions:
            if version.effective_from <= day and (version.effective_to is None or day <= version.effective_to):
                return version
        return None

    @cached_property
    def requirements(self) -> dict[str, set[str]]:
        """The tables and columns this standard reads, for every version."""
        sources = load_sources()
        needs: dict[str, set[str]] = {}
        for version in self.versions:
            for role in version.rule.roles():
                source = sources[role.ref.source]
                columns = source.columns_used(set(role.attrs), role.subject or self.subject)
                needs.setdefault(source.table, set()).update(columns)
            if version.rule.uses_age():
                needs.setdefault("ssd_person", set()).update(PERSON_COLUMNS)
        return needs


@dataclass
class Pack:
    """A council's (or a jurisdiction's) pack, with the standards it inherits from the pack it extends."""

    spec: PackFile
    path: Path
    own: dict[str, Standard]
    base: Pack | None = None
    replaced: set[str] = field(default_factory=set)
    statements: StatementSet | None = None  # the source document's statements (statements.yaml), if listed
    audit_groups: list[AuditGroup] = field(default_factory=list)  # audit/<group>.yaml

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def standards(self) -> dict[str, Standard]:
        """Every standard to evaluate: inherited ones (less those replaced), then this pack's own."""
        inherited = {} if self.base is None else self.base.standards
        merged = {k: v for k, v in inherited.items() if k not in self.replaced}
        merged.update(self.own)
        return merged

    def documents(self) -> dict[str, Document]:
        docs = {} if self.base is None else self.base.documents()
        docs.update(self.spec.documents)
        return docs

    def get(self, standard_id: str) -> Standard:
        """Find a standard by its full id or by its id within this pack."""
        standards = self.standards
        if standard_id in standards:
            return standards[standard_id]
        qualified = f"{self.id}.{standard_id}"
        if qualified in standards:
            return standards[qualified]
        matches = [s for s in standards.values() if s.spec.id == standard_id]
        if len(matches) == 1:
            return matches[0]
        raise StandardsError(f"the pack '{self.id}' has no standard '{standard_id}'")
