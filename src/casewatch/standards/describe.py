"""A rule's timescale in a line of plain English, as a principal social worker would write it in a table.

The comparison matrix and the web app need "15 working days from the strategy discussion", not a YAML dump;
one wording, shared, so the same rule never reads two ways in two places.
"""

from __future__ import annotations

from casewatch.standards.model import (
    AgeDeadline,
    Count,
    Deadline,
    LeadTime,
    Phase,
    RecordingLag,
    Rule,
    Series,
    State,
)
from casewatch.standards.sources import load_sources

_PERIODS = {
    "academic_year": "school year",
    "financial_year": "financial year",
    "calendar_year": "calendar year",
    "quarter": "quarter",
    "month": "month",
    "cohort_year": "year of the episode",
}


def describe_rule(rule: Rule) -> str:
    """The timescale of ``rule``, e.g. ``every 10 working days while on a CP plan (first within 5 working days)``."""
    match rule:
        case Deadline():
            return f"within {rule.within} of the {_label(rule.anchor.source)}"
        case Series():
            cadence = _cadence(rule.all_phases)
            first = f" (first within {rule.first})" if rule.first else ""
            return f"{cadence} while {_during(rule.cohort.source)}{first}"
        case AgeDeadline():
            return f"by age {_age(str(rule.age))}"
        case LeadTime():
            return f"at least {rule.by} before the {_label(rule.before.source)}"
        case RecordingLag():
            return f"recorded within {rule.within} of the {_label(rule.event.source)}"
        case State():
            what = rule.count_distinct or _label(rule.related.source)
            bounds = []
            if rule.min is not None:
                bounds.append(f"at least {rule.min}")
            if rule.max is not None:
                bounds.append(f"at most {rule.max}")
            if max(rule.min or 0, rule.max or 0) != 1:
                what = "families" if what == "family" else what + "s"
            grace = f" (after {rule.grace})" if rule.grace else ""
            return f"{' and '.join(bounds)} {what} per {_label(rule.population.source)}{grace}"
        case Count():
            plural = "" if rule.at_least == 1 else "s"
            return f"at least {rule.at_least} {_label(rule.event.source)}{plural} per {_PERIODS[rule.per]}"
    raise AssertionError(rule)


def _cadence(phases: list[Phase]) -> str:
    intervals: list[str] = []
    for phase in phases:
        text = f"every {phase.interval}"
        when = phase.when
        if when is not None:
            if when.until is not None:
                text += f" for the first {when.until}"
            elif when.from_ is not None:
                text += f" after {when.from_}"
            elif when.age_under is not None:
                text += f" under {_age(str(when.age_under))}"
            elif when.age_from is not None:
                text += f" from {_age(str(when.age_from))}"
            elif when.where:
                text += " where " + ", ".join(f"{k} {_value(v)}" for k, v in when.where.items())
        elif len(phases) > 1:
            text += " otherwise"
        if text not in intervals:
            intervals.append(text)
    return "; ".join(intervals)


def _value(value: object) -> str:
    if isinstance(value, list):
        return "in " + "/".join(str(v) for v in value)
    if isinstance(value, dict):
        ((op, arg),) = value.items()
        return f"{op.replace('_', ' ')} {arg}"
    return f"= {value}"


def _age(age: str) -> str:
    return age.removesuffix(" years").removesuffix(" year")


def _label(source: str) -> str:
    found = load_sources().get(source)
    return found.title if found else source.replace("_", " ")


def _during(source: str) -> str:
    return {
        "cp_plan": "on a CP plan",
        "cin_plan": "on a CIN plan",
        "cla_episode": "looked after",
        "period_of_care": "looked after",
        "placement": "in each placement",
        "allocation": "allocated",
        "team_membership": "in post",
        "referral": "the case is open",
    }.get(source, f"the {_label(source)} is open")
