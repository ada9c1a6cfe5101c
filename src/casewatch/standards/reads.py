"""What a rule reads: each source it names, the attributes it uses there, and whether it needs the child's age.

The loader checks these against the vocabulary; a standard's data requirements (``casewatch standards
requirements``, ``data check --standards``) follow from them.
"""

from __future__ import annotations

from collections.abc import Iterable

from casewatch.standards.model import (
    AgeDeadline,
    Count,
    Deadline,
    LeadTime,
    RecordingLag,
    Rule,
    Series,
    SourceRef,
    State,
)


def rule_reads(rule: Rule, subject: str) -> Iterable[tuple[SourceRef, set[str], str]]:
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


def uses_age(rule: Rule) -> bool:
    if isinstance(rule, AgeDeadline):
        return True
    if isinstance(rule, Deadline):
        return rule.anchor_age is not None
    if isinstance(rule, Series):
        return any(p.when and (p.when.age_under or p.when.age_from) for p in rule.all_phases)
    return False
