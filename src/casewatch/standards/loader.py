"""Loading packs of standards: form, meaning, inheritance and overrides, each error located in its file.

A pack is a folder with ``pack.yaml`` and one YAML file per standard. Validation happens in two passes: the
pydantic models check the form; the checks here test each standard against the vocabulary of sources, the
pack's documents and calendars, and the pack it extends. Nothing reaches the engine unless every file passed.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from casewatch.errors import StandardsError
from casewatch.standards.audit import AUDIT_DIR, load_audit_groups
from casewatch.standards.durations import Duration, DurationError
from casewatch.standards.kinds import KINDS, Rule, Series
from casewatch.standards.model import Document, Interpretation, PackFile, Reading, StandardFile
from casewatch.standards.pack import PACKS_DIR, Pack, Standard
from casewatch.standards.sources import Source, load_sources
from casewatch.standards.statement_check import load_statements
from casewatch.standards.statements import STATEMENTS_FILE
from casewatch.standards.topics import TOPICS_FILE, load_topics
from casewatch.standards.yamlio import LocatedYaml, read_located_yaml

CONDITION_OPERATORS = {"not", "in", "not_in", "is_null", "within_last"}


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


_RULE_TAGS = set(KINDS)


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
    spec = _with_history_baseline(spec)
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

#: The question every series leaves open over a cut extract (docs/standards-language.md, "The history window").
HISTORY_BASELINE = Interpretation(
    id="history-baseline",
    question=(
        "The extract holds no events before its history window: from when is an episode that was already open "
        "at the window's start measured?"
    ),
    default="window-start",
    readings={
        "window-start": Reading(
            note="From the window's start: the first judged occurrence is due one interval after it."
        ),
        "first-event": Reading(
            note=(
                "From the first event inside the window: nothing is judged before it, so a child not seen since "
                "before the window is not judged until seen."
            ),
            patch={"history_baseline": "first_event"},
        ),
    },
)


def _with_history_baseline(spec: StandardFile) -> StandardFile:
    """A series standard offers both readings of the history window, so a council can choose the other one."""
    rule = spec.rule
    if not isinstance(rule, Series) or rule.history_baseline != "window_start":
        return spec
    if any(i.id == HISTORY_BASELINE.id for i in spec.interpretations):
        return spec
    return spec.model_copy(update={"interpretations": [*spec.interpretations, HISTORY_BASELINE]})


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
    for role in rule.roles():
        loc = (*root, role.name)
        ref, subject_type = role.ref, role.subject or subject
        source = sources.get(ref.source)
        if source is None:
            raise doc.error((*loc, "source"), f"unknown source '{ref.source}'; see casewatch standards sources")
        if subject_type not in source.subjects:
            raise doc.error(
                (*loc, "source"),
                f"the source '{ref.source}' has no {subject_type} subject (it serves: {', '.join(source.subjects)})",
            )
        allowed = _ROLE_KINDS.get(role.name, _DATED)
        if source.kind not in allowed:
            raise doc.error(
                (*loc, "source"),
                f"'{role.name}' needs a source of kind {' or '.join(sorted(allowed))}, "
                f"but '{ref.source}' is an {source.kind}",
            )
        for attr in sorted(role.attrs):
            if not source.has_attribute(attr):
                raise doc.error(
                    loc,
                    f"the source '{ref.source}' has no attribute '{attr}'; "
                    f"it has: {', '.join(sorted(source.attributes))}",
                )
        _check_condition(doc, (*loc, "where"), ref.where)
    for where, _role, condition in rule.conditions():
        _check_condition(doc, (*root, *where), condition)
    for where, message in rule.problems(subject, sources):
        raise doc.error((*root, *where), message)


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
    return local.looser_than(base)


def change_standard(standard: Standard, changes: Mapping[str, Any]) -> Standard:
    """``standard`` with values of its rule changed, as a reading's ``set`` changes them, validated as strictly.

    ``changes`` maps a field of the rule, written as a dotted path (``interval``, ``first``,
    ``phases.1.interval``: list positions count from 1, as a reader counts the phases of the file), to its new
    value (``None`` removes the field). Each path becomes a patch that ``patch_rule`` applies, the one way a
    rule is patched, so a what-if question and a reading change a rule alike. Every version of the rule is
    changed (the question is "what if the rule had said this throughout"). A wrong field or value is one
    sentence naming the standard and the field.
    """
    versions = standard.spec.all_versions()
    patched: list[Rule] = []
    for version in versions:
        rule: Rule = version.rule
        for path, value in changes.items():
            rule = _changed_rule(standard, rule, path, value)
        patched.append(rule)
    spec = standard.spec
    if spec.versions is None:
        spec = spec.model_copy(update={"rule": patched[0]})
    else:
        spec = spec.model_copy(
            update={"versions": [v.model_copy(update={"rule": r}) for v, r in zip(versions, patched, strict=True)]}
        )
    return dataclasses.replace(standard, spec=spec)


def _changed_rule(standard: Standard, rule: Rule, path: str, value: Any) -> Rule:
    written = rule.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)
    written["kind"] = rule.kind
    where = f"'{standard.spec.id}' has no field '{path}'"
    if isinstance(rule, Series) and rule.phases is not None and path == "interval":
        paths = ", ".join(f"phases.{n}.interval (now {p.interval})" for n, p in enumerate(rule.phases, start=1))
        raise StandardsError(f"'{standard.spec.id}' has phases, each with its own interval: set {paths}")
    patch = _patch_for(written, path.split("."), value, where)
    try:
        changed = _RULE.validate_python(patch_rule(written, patch))
    except ValidationError as exc:
        errors = exc.errors()
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        if err["type"] == "extra_forbidden":
            fields = f"; a {rule.kind} rule's fields are {_fields(rule)}" if "." not in path else ""
            raise StandardsError(f"{where}{fields}") from None
        message = str(err["msg"]).removeprefix("Value error, ")
        raise StandardsError(f"'{standard.spec.id}' cannot take {path}={value!r}: {message}") from None
    doc = _ChangeDoc(standard, path)
    _check_rule(doc, (), changed, standard.subject, load_sources())
    return changed


def _patch_for(written: Any, steps: list[str], value: Any, where: str) -> Any:
    """The patch that puts ``value`` at ``steps`` of ``written``: nested mappings, a list copied with one item
    changed (a patch replaces a list whole)."""
    if not steps:
        return value
    step, rest = steps[0], steps[1:]
    if isinstance(written, list):
        if not step.isdigit() or not 1 <= int(step) <= len(written):
            raise StandardsError(f"{where}: '{step}' must be a position from 1 to {len(written)} (the first is 1)")
        items = list(written)
        item = items[int(step) - 1]
        items[int(step) - 1] = patch_rule(item, _patch_for(item, rest, value, where)) if rest else value
        return items
    if not isinstance(written, Mapping) or not step:
        raise StandardsError(where)
    return {step: _patch_for(written.get(step, {}), rest, value, where)}


def _fields(rule: Rule) -> str:
    return ", ".join(
        name if info.alias is None else info.alias for name, info in type(rule).model_fields.items() if name != "kind"
    )


class _ChangeDoc(LocatedYaml):
    """Errors of the meaning checks for a changed rule, naming the change instead of a line of the file."""

    def __init__(self, standard: Standard, path: str) -> None:
        super().__init__(standard.path, None, {})
        self._where = f"the change to '{standard.spec.id}' ({path})"

    def error(self, loc: Sequence[str | int], message: str) -> StandardsError:
        return StandardsError(f"{self._where}: {message}")
