"""The CIN census element layout (2017-2026 schemas), as data: which elements each element may contain.

The importer checks every element against this table instead of trusting the schema year: an element that is
not here is reported as unknown and ignored (never a crash), and an element that is here but has no SSD column
is counted and reported once per file as "read but not imported".
"""

from __future__ import annotations

from typing import Final, Literal

Occurs = Literal["one", "many"]

#: element -> {child element: how often it may occur}. Leaves are absent as keys.
LAYOUT: Final[dict[str, dict[str, Occurs]]] = {
    "Child": {"ChildIdentifiers": "one", "ChildCharacteristics": "one", "CINdetails": "many"},
    "ChildIdentifiers": {
        "LAchildID": "one",
        "UPN": "one",
        "FormerUPN": "one",
        "UPNunknown": "one",
        "PersonBirthDate": "one",
        "ExpectedPersonBirthDate": "one",
        "GenderCurrent": "one",  # up to the 2023-24 census
        "Sex": "one",  # from the 2024-25 census
        "PersonDeathDate": "one",
    },
    "ChildCharacteristics": {"Ethnicity": "one", "Disabilities": "one"},
    "Disabilities": {"Disability": "many"},
    "CINdetails": {
        "CINreferralDate": "one",
        "ReferralSource": "one",
        "PrimaryNeedCode": "one",
        "CINclosureDate": "one",
        "ReasonForClosure": "one",
        "DateOfInitialCPC": "one",
        "Assessments": "many",
        "CINPlanDates": "many",
        "Section47": "many",
        "ReferralNFA": "one",
        "ChildProtectionPlans": "many",
        "PreProceedingsandFGDM": "many",
    },
    "Assessments": {
        "AssessmentActualStartDate": "one",
        "AssessmentInternalReviewDate": "one",
        "AssessmentAuthorisationDate": "one",
        "FactorsIdentifiedAtAssessment": "one",
        "AssessmentFactors": "many",  # some files omit the FactorsIdentifiedAtAssessment wrapper
    },
    "FactorsIdentifiedAtAssessment": {"AssessmentFactors": "many"},
    "CINPlanDates": {"CINPlanStartDate": "one", "CINPlanEndDate": "one"},
    "Section47": {
        "S47ActualStartDate": "one",
        "InitialCPCtarget": "one",
        "DateOfInitialCPC": "one",
        "ICPCnotRequired": "one",
    },
    "ChildProtectionPlans": {
        "CPPstartDate": "one",
        "CPPendDate": "one",
        "InitialCategoryOfAbuse": "one",
        "LatestCategoryOfAbuse": "one",
        "NumberOfPreviousCPP": "one",
        "Reviews": "one",
    },
    "Reviews": {"CPPreviewDate": "many"},
}

#: Elements read (and counted) but with no SSD column to hold them; reported once per file.
NOT_IMPORTED: Final[dict[str, str]] = {
    "FormerUPN": "the SSD keeps only the current UPN",
    "AssessmentInternalReviewDate": "the SSD has no assessment internal review date",
    "NumberOfPreviousCPP": "the SSD has no count of previous plans (it is derivable from ssd_cp_plans)",
    "PreProceedingsandFGDM": "pre-proceedings records are not mapped by this importer yet",
    "InitialCPCtarget": "a conference target date is kept only when the conference was held (DateOfInitialCPC)",
}

#: Element kinds counted in the report's "rows read", each one a row (or a value list) in some table.
COUNTED: Final[frozenset[str]] = frozenset(
    {
        "Child",
        "Disability",
        "CINdetails",
        "Assessments",
        "AssessmentFactors",
        "CINPlanDates",
        "Section47",
        "ChildProtectionPlans",
        "CPPreviewDate",
    }
)
