"""Loading packs of standards: form, meaning, inheritance and overrides, each error located in its file.

A pack is a folder with ``pack.yaml`` and one YAML file per standard. Validation happens in two passes: the
pydantic models check the form; the checks here test each standard against the vocabulary of sources, the
pack's documents and calendars, and the pack it extends. Nothing reaches the engine unless every file passed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from casewatch.errors import StandardsError
from casewatch.standards.audit import AUDIT_DIR, AuditGroup, load_audit_groups
from casewatch.standards.durations import Duration, DurationError
from casewatch.standards.model import (
    AgeDeadline,
    Citation,
    Count,
    Deadline,
    Document,
    Interpretation,
    LeadTime,
    PackFile,
    RecordingLag,
    Rule,
    Series,
    SourceRef,
    StandardFile,
    State,
    Version,
)
from casewatch.standards.sources import Source, load_sources
from casewatch.standards.statements import STATEMENTS_FILE, StatementSet, load_statements
from casewatch.standards.topics import TOPICS_FILE, load_topics
from casewatch.standards.yamlio import LocatedYaml, read_located_yaml

PACKS_DIR = Path(__file__).resolve().parent.parent / "packs"
CONDITION_OPERATORS = {"not", "in", "not_in", "is_null", "within_last"}
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
            spec = spec.model_copy(update={"rule": _file_rule(self)})
        readings = {**self.readings, interpretation_id: reading_name}
        return Standard(self.pack, spec, self.path, self.calendar, self.due_soon, self.documents, readings)

    def file_rule(self) -> Rule | None:
        """The rule as the file writes it (the default readings'), whichever reading is now in force."""
        if self.spec.rule is None or all(
            self.readings.get(i.id, i.default) == i.default for i in self.spec.interpretations
        ):
            return self.spec.rule
        return _file_rule(self)

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
            for ref, attrs, subject_type in _rule_reads(version.rule, self.subject):
                source = sources[ref.source]
                needs.setdefault(source.table, set()).update(source.columns_used(attrs, subject_type))
            if _uses_age(version.rule):
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


def available_packs() -> list[str]:
    """The packs shipped with casewatch."""
    return sorted(p.parent.name for p in PACKS_DIR.glob("*/pack.yaml"))


def resolve_pack_path(name_or_path: str | Path) -> Path:
    candidate = Path(name_or_path)
    if (candidate / "pack.yaml").is_file():
        return candidate
    if candidate.name == "pack.yaml" and candidate.is_file():
        return candidate.parent
    shipped = PACKS_DIR / str(name_or_path)
    if (shipped / "pack.yaml").is_file():
        return shipped
    raise StandardsError(
        f"there is no pack '{name_or_path}': give a folder holding pack.yaml or one of "
        f"{', '.join(available_packs()) or '(none shipped)'}"
    )


def load_pack(name_or_path: str | Path, readings: Mapping[str, str] | None = None, _seen: tuple[str, ...] = ()) -> Pack:
    """Load and fully validate a pack and the packs it extends.

    ``readings`` chooses, per ``"<standard>:<interpretation>"``, a reading other than the default of an
    interpretation the standard records (see docs/standards-language.md, "Interpretations").
    """
    pack = _load_pack(name_or_path, _seen)
    for key, reading in (readings or {}).items():
        apply_reading(pack, key, reading)
    return pack


def apply_reading(pack: Pack, key: str, reading: str) -> None:
    """Switch one interpretation of a standard of ``pack`` (own or inherited) to ``reading``."""
    standard_id, sep, interpretation_id = key.partition(":")
    if not sep or not standard_id or not interpretation_id:
        raise StandardsError(
            f"the reading key '{key}' must be '<standard>:<interpretation>', e.g. 'cin-visits:visit-frequency'"
        )
    standard = pack.get(standard_id)
    level: Pack | None = pack
    while level is not None and standard.id not in level.own:
        level = level.base
    assert level is not None
    level.own[standard.id] = standard.with_reading(interpretation_id, reading)


def _file_rule(standard: Standard) -> Rule | None:
    return _validate(read_located_yaml(standard.path), StandardFile).rule


def _load_pack(name_or_path: str | Path, _seen: tuple[str, ...] = ()) -> Pack:
    path = resolve_pack_path(name_or_path)
    doc = read_located_yaml(path / "pack.yaml")
    spec = _validate(doc, PackFile)
    if spec.id in _seen:
        raise doc.error(("extends",), f"packs extend each other in a loop: {' -> '.join((*_seen, spec.id))}")
    base = None
    if spec.extends is not None:
        try:
            base = _load_pack(_sibling_or_shipped(path, spec.extends), (*_seen, spec.id))
        except StandardsError as exc:
            raise doc.error(("extends",), f"the pack it extends cannot be loaded: {exc}") from None
    _check_calendar(doc, ("calendar",), spec.calendar)
    for topic in spec.no_statutory_timescale:
        if topic not in load_topics():
            raise doc.error(("no_statutory_timescale", topic), f"unknown topic '{topic}'; see {TOPICS_FILE.name}")
    pack = Pack(spec=spec, path=path, own={}, base=base)
    documents = pack.documents()
    for file in _standard_files(path):
        standard = _load_standard(file, pack, documents)
        if standard.id in pack.own:
            raise StandardsError(f"{file}: the id '{standard.spec.id}' is used by another standard of this pack")
        pack.own[standard.id] = standard
    _check_overrides(pack)
    pack.audit_groups = load_audit_groups(path)
    pack.statements = load_statements(pack, pack.audit_groups)
    _check_verbatim_claims(pack)
    return pack


def _check_verbatim_claims(pack: Pack) -> None:
    """``checked: verbatim`` is a claim the loader must be able to test, or the word means nothing.

    Quotes of the document ``statements.yaml`` lists are tested against its statements (and so against the copy
    of the document itself); any other document has no text in the pack, so its quotes can only be secondary or
    unverified.
    """
    checkable = pack.statements.document if pack.statements is not None else None
    for standard in pack.own.values():
        for loc, citation in standard.citations():
            if citation.checked == "verbatim" and citation.document != checkable:
                where = (
                    f"only quotes of '{checkable}' (listed in {STATEMENTS_FILE}) can be"
                    if checkable
                    else f"the pack has no {STATEMENTS_FILE}, so no quote can be"
                )
                raise read_located_yaml(standard.path).error(
                    (*loc, "checked"),
                    f"'checked: verbatim' claims the quote was checked against the text of '{citation.document}', "
                    f"but {where} checked here; say 'secondary' or 'unverified'",
                )


def _sibling_or_shipped(path: Path, name: str) -> Path:
    sibling = path.parent / name
    return sibling if (sibling / "pack.yaml").is_file() else PACKS_DIR / name


def _standard_files(pack_dir: Path) -> Iterator[Path]:
    for file in sorted(pack_dir.rglob("*.yaml")):
        if file.name == "pack.yaml" or file.name.endswith(".cases.yaml"):
            continue
        if file.parent == pack_dir and file.name == STATEMENTS_FILE:
            continue
        if file.relative_to(pack_dir).parts[0] == AUDIT_DIR:  # audit questions, not standards
            continue
        yield file


M = TypeVar("M", PackFile, StandardFile)


def _validate(doc: LocatedYaml, model: type[M]) -> M:
    if not isinstance(doc.data, dict):
        raise doc.error((), "expected a mapping of keys to values")
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt key also makes the key it was meant to be "missing": report the misspelling.
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in _RULE_TAGS))
        raise doc.error(loc, _describe(err)) from None


_RULE_TAGS = {"deadline", "series", "age_deadline", "lead_time", "recording_lag", "state", "count"}


def _describe(err: Any) -> str:
    loc = [str(p) for p in err["loc"] if not (isinstance(p, str) and p in _RULE_TAGS)]
    where = ".".join(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{loc[-1]}'" if loc else "unknown key"
    if kind == "missing":
        return f"'{where}' is required"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg


def _load_standard(file: Path, pack: Pack, documents: dict[str, Document]) -> Standard:
    doc = read_located_yaml(file)
    spec = _validate(doc, StandardFile)
    expected = file.name.removesuffix(".yaml")
    if spec.id != expected:
        raise doc.error(("id",), f"the id '{spec.id}' must match the file name '{expected}.yaml'")
    if spec.citation.document not in documents:
        known = ", ".join(sorted(documents)) or "none"
        raise doc.error(
            ("citation", "document"),
            f"the citation names document '{spec.citation.document}', which the pack does not list (it has: {known})",
        )
    calendar = spec.calendar or pack.spec.calendar
    if spec.calendar:
        _check_calendar(doc, ("calendar",), spec.calendar)
    standard = Standard(
        pack=pack.id,
        spec=spec,
        path=file,
        calendar=calendar,
        due_soon=spec.due_soon or pack.spec.due_soon,
        documents=documents,
    )
    _check_versions(doc, spec)
    if spec.topic is not None and spec.topic not in load_topics():
        raise doc.error(
            ("topic",),
            f"unknown topic '{spec.topic}'; topics are listed in {TOPICS_FILE.name}: {', '.join(load_topics())}",
        )
    sources = load_sources()
    rule_root: tuple[str | int, ...]
    for index, version in enumerate(spec.all_versions()):
        rule_root = ("rule",) if spec.rule is not None else ("versions", index, "rule")
        if version.citation and version.citation.document not in documents:
            raise doc.error(("versions", index, "citation"), f"unknown document '{version.citation.document}'")
        _check_rule(doc, rule_root, version.rule, spec.subject, sources)
    spec = _apply_reading_patches(doc, spec)
    for index, interpretation in enumerate(spec.interpretations):
        for name, reading in interpretation.readings.items():
            if reading.rule is not None:
                key = "set" if reading.patch is not None else "rule"
                _check_rule(doc, ("interpretations", index, "readings", name, key), reading.rule, spec.subject, sources)
    if spec.interpretations:
        standard = Standard(
            standard.pack,
            spec,
            file,
            calendar,
            standard.due_soon,
            documents,
            {i.id: i.default for i in spec.interpretations},
        )
    return standard


_RULE = TypeAdapter[Rule](Rule)


def patch_rule(rule: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """``rule`` with ``patch`` applied: mappings merge, null removes a key, any other value replaces."""
    result = dict(rule)
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = patch_rule(result[key], value)
        else:
            result[key] = value
    return result


def _apply_reading_patches(doc: LocatedYaml, spec: StandardFile) -> StandardFile:
    """Each reading written as ``set`` gets the whole rule it amounts to, validated as strictly as any rule."""
    if not any(r.patch is not None for i in spec.interpretations for r in i.readings.values()):
        return spec
    base = doc.data.get("rule")
    assert isinstance(base, dict)  # readings that change the rule are refused with 'versions' by the model
    interpretations: list[Interpretation] = []
    for index, interpretation in enumerate(spec.interpretations):
        readings = dict(interpretation.readings)
        for name, reading in readings.items():
            if reading.patch is None:
                continue
            root = ("interpretations", index, "readings", name, "set")
            try:
                rule = _RULE.validate_python(patch_rule(base, reading.patch))
            except ValidationError as exc:
                errors = exc.errors()
                err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
                loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in _RULE_TAGS))
                raise doc.error(
                    (*root, *loc), f"the reading '{name}' patches the rule into one that is not valid: {_describe(err)}"
                ) from None
            readings[name] = reading.model_copy(update={"rule": rule})
        interpretations.append(interpretation.model_copy(update={"readings": readings}))
    return spec.model_copy(update={"interpretations": interpretations})


def _check_versions(doc: LocatedYaml, spec: StandardFile) -> None:
    versions = spec.all_versions()
    numbers = [v.version for v in versions]
    if len(set(numbers)) != len(numbers):
        raise doc.error(("versions",), "two versions have the same number")
    for v in versions:
        if v.effective_to is not None and v.effective_to < v.effective_from:
            raise doc.error(("versions",), f"version {v.version} ends before it starts")
    for earlier, later in itertools.pairwise(versions):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            raise doc.error(
                ("versions",),
                f"versions {earlier.version} and {later.version} overlap: version {earlier.version} must end "
                f"before {later.effective_from}",
            )


def _check_calendar(doc: LocatedYaml, loc: tuple[str, ...], name: str) -> None:
    from casewatch.calendars import available_calendars

    if name.split("+")[0] not in available_calendars():
        raise doc.error(loc, f"unknown calendar '{name}'; available: {', '.join(available_calendars())}")


def _rule_reads(rule: Rule, subject: str) -> Iterable[tuple[SourceRef, set[str], str]]:
    """Each source a rule reads, the attributes it uses there, and the subject type it is read for."""
    match rule:
        case Deadline():
            per = {rule.anchor.per} if rule.anchor.per else set()
            yield rule.anchor, set(rule.anchor.where) | set(rule.match) | per, subject
            yield rule.target, set(rule.target.where) | set(rule.match.values()), subject
        case Series():
            phase_attrs = {a for p in rule.all_phases if p.when for a in p.when.where}
            yield rule.cohort, set(rule.cohort.where) | set(rule.match) | phase_attrs, subject
            yield rule.event, set(rule.event.where) | set(rule.match.values()), subject
        case AgeDeadline():
            yield rule.cohort, set(rule.cohort.where), subject
            yield rule.target, set(rule.target.where), subject
        case LeadTime():
            yield rule.event, set(rule.event.where) | set(rule.match), subject
            yield rule.before, set(rule.before.where) | set(rule.match.values()), subject
        case RecordingLag():
            yield rule.event, set(rule.event.where) | {rule.recorded}, subject
        case State():
            yield rule.population, set(rule.population.where) | set(rule.match), subject
            distinct = {rule.count_distinct} if rule.count_distinct and rule.count_distinct != "family" else set()
            extra = {"person_id"} if rule.related_child_in or rule.count_distinct == "family" else set()
            yield rule.related, set(rule.related.where) | set(rule.match.values()) | distinct | extra, subject
            if rule.related_child_in is not None:
                yield rule.related_child_in, set(rule.related_child_in.where), "child"
        case Count():
            yield rule.cohort, set(rule.cohort.where) | set(rule.match), subject
            yield rule.event, set(rule.event.where) | set(rule.match.values()), subject


def _uses_age(rule: Rule) -> bool:
    if isinstance(rule, AgeDeadline):
        return True
    if isinstance(rule, Deadline):
        return rule.anchor_age is not None
    if isinstance(rule, Series):
        return any(p.when and (p.when.age_under or p.when.age_from) for p in rule.all_phases)
    return False


# Which kinds of source each role in a rule accepts.
_ROLE_KINDS: dict[str, set[str]] = {
    "cohort": {"episode"},
    "population": {"episode", "entity"},
    "related": {"episode", "event", "entity"},
    "related_child_in": {"episode"},
}
_DATED = {"episode", "event"}


def _check_rule(
    doc: LocatedYaml, root: tuple[str | int, ...], rule: Rule, subject: str, sources: dict[str, Source]
) -> None:
    """Check every source, attribute and condition the rule names against the vocabulary."""
    role_names = _role_names(rule)
    for (ref, attrs, subject_type), role in zip(_rule_reads(rule, subject), role_names, strict=True):
        loc = (*root, role)
        source = sources.get(ref.source)
        if source is None:
            raise doc.error((*loc, "source"), f"unknown source '{ref.source}'; see casewatch standards sources")
        if subject_type not in source.subjects:
            raise doc.error(
                (*loc, "source"),
                f"the source '{ref.source}' has no {subject_type} subject (it serves: {', '.join(source.subjects)})",
            )
        allowed = _ROLE_KINDS.get(role, _DATED)
        if source.kind not in allowed:
            raise doc.error(
                (*loc, "source"),
                f"'{role}' needs a source of kind {' or '.join(sorted(allowed))}, "
                f"but '{ref.source}' is an {source.kind}",
            )
        for attr in sorted(attrs):
            if not source.has_attribute(attr):
                raise doc.error(
                    loc,
                    f"the source '{ref.source}' has no attribute '{attr}'; "
                    f"it has: {', '.join(sorted(source.attributes))}",
                )
        _check_condition(doc, (*loc, "where"), ref.where)
    if isinstance(rule, Series):
        for i, phase in enumerate(rule.all_phases):
            if phase.when:
                _check_condition(doc, (*root, "phases", i, "when", "where"), phase.when.where)
    if isinstance(rule, Deadline) and rule.anchor_age is not None and subject != "child":
        raise doc.error((*root, "anchor_age"), "'anchor_age' is the child's age: it needs a standard about a child")
    if isinstance(rule, RecordingLag):
        source = sources[rule.event.source]
        if not source.has_attribute(rule.recorded):
            raise doc.error((*root, "recorded"), f"the source '{rule.event.source}' has no attribute '{rule.recorded}'")


def _role_names(rule: Rule) -> list[str]:
    match rule:
        case Deadline():
            return ["anchor", "target"]
        case Series():
            return ["cohort", "event"]
        case AgeDeadline():
            return ["cohort", "target"]
        case LeadTime():
            return ["event", "before"]
        case RecordingLag():
            return ["event"]
        case State():
            return ["population", "related"] + (["related_child_in"] if rule.related_child_in else [])
        case Count():
            return ["cohort", "event"]
    raise AssertionError(rule)


def _check_condition(doc: LocatedYaml, loc: tuple[str | int, ...], where: dict[str, Any]) -> None:
    for attr, test in where.items():
        if isinstance(test, dict):
            if len(test) != 1:
                raise doc.error((*loc, attr), f"the condition on '{attr}' must have exactly one operator")
            ((op, value),) = test.items()
            if op not in CONDITION_OPERATORS:
                raise doc.error(
                    (*loc, attr),
                    f"unknown operator '{op}'; use one of {', '.join(sorted(CONDITION_OPERATORS))}",
                )
            if op in ("in", "not_in") and not isinstance(value, list):
                raise doc.error((*loc, attr), f"'{op}' takes a list")
            if op == "is_null" and not isinstance(value, bool):
                raise doc.error((*loc, attr), "'is_null' takes true or false")
            if op == "within_last":
                try:
                    Duration.parse(value)
                except DurationError as exc:
                    raise doc.error((*loc, attr), str(exc)) from None


def _check_overrides(pack: Pack) -> None:
    base_standards = {} if pack.base is None else pack.base.standards
    for standard in pack.own.values():
        override = standard.spec.overrides
        if override is None:
            continue
        doc = read_located_yaml(standard.path)
        if pack.base is None:
            raise doc.error(("overrides",), "this pack extends no other pack, so it cannot override a standard")
        base = base_standards.get(override.standard)
        if base is None:
            raise doc.error(
                ("overrides", "standard"), f"the pack '{pack.base.id}' has no standard '{override.standard}'"
            )
        if override.relation == "replaces":
            pack.replaced.add(base.id)
        elif override.relation == "stricter":
            reason = why_not_stricter(standard.versions[-1].rule, base.versions[-1].rule)
            if reason:
                raise doc.error(("overrides", "relation"), f"declared stricter than {base.id}, but {reason}")


def why_not_stricter(local: Rule, base: Rule) -> str | None:
    """Why ``local`` is not provably stricter than ``base``, or None if it is."""
    if local.kind != base.kind:
        return f"it is a {local.kind} rule and {base.kind} rules cannot be compared with it"
    match local, base:
        case Deadline(), Deadline():
            if not local.within.is_at_most(base.within):
                return f"{local.within} is not shorter than {base.within}"
        case Series(), Series():
            longest = max((p.interval for p in local.all_phases), key=lambda d: d.day_bounds()[1])
            shortest = min((p.interval for p in base.all_phases), key=lambda d: d.day_bounds()[0])
            same_shape = len(local.all_phases) == len(base.all_phases) and all(
                a.interval.is_at_most(b.interval) for a, b in zip(local.all_phases, base.all_phases, strict=True)
            )
            if not (longest.is_at_most(shortest) or same_shape):
                return f"its interval {longest} is not within the statutory {shortest}"
            if local.first and base.first and not local.first.is_at_most(base.first):
                return f"its first visit ({local.first}) is later than {base.first}"
        case AgeDeadline(), AgeDeadline():
            if not local.age.is_at_most(base.age):
                return f"the age {local.age} is not earlier than {base.age}"
        case LeadTime(), LeadTime():
            if not base.by.is_at_most(local.by):
                return f"{local.by} ahead is less notice than {base.by}"
        case RecordingLag(), RecordingLag():
            if not local.within.is_at_most(base.within):
                return f"{local.within} is not shorter than {base.within}"
        case State(), State():
            if base.max is not None and (local.max is None or local.max > base.max):
                return f"its limit {local.max} is above {base.max}"
            if base.min is not None and (local.min is None or local.min < base.min):
                return f"its minimum {local.min} is below {base.min}"
        case Count(), Count():
            if local.per != base.per or local.at_least < base.at_least:
                return f"{local.at_least} per {local.per} is not more than {base.at_least} per {base.per}"
    return None
