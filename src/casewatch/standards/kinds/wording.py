"""The words rule kinds describe themselves in: sources by their labels, ages, cadences, periods.

One wording, shared, so the same rule never reads two ways in the comparison, ``standards show`` and the web app.
"""

from __future__ import annotations

from casewatch.standards.sources import load_sources

#: The periods of a count rule, as a reader names them.
PERIODS = {
    "academic_year": "school year",
    "financial_year": "financial year",
    "calendar_year": "calendar year",
    "quarter": "quarter",
    "month": "month",
    "cohort_year": "year of the episode",
}


def age(text: str) -> str:
    """An age as a table says it: "15 years 3 months" as "15 years 3 months", "18 years" as "18"."""
    return text.removesuffix(" years").removesuffix(" year")


def label(source: str) -> str:
    found = load_sources().get(source)
    return found.title if found else source.replace("_", " ")


def during(source: str) -> str:
    return {
        "cp_plan": "on a CP plan",
        "cin_plan": "on a CIN plan",
        "cla_episode": "looked after",
        "period_of_care": "looked after",
        "placement": "in each placement",
        "allocation": "allocated",
        "team_membership": "in post",
        "referral": "the case is open",
    }.get(source, f"the {label(source)} is open")
