"""The CIN census format in one place: the element layout (2017-2026 schemas) and the code lists.

The importer reads by this layout instead of trusting the schema year: an element that is not here is reported
as unknown and ignored (never a crash), and an element that is here but has no SSD column is counted and
reported once per file as "read but not imported". The exporter writes only elements that are here.

A coded value outside its list is still imported (the council's own code may be meaningful to them) but
reported as a warning, so an analyst sees it before it silently fails to match a standard's filter. Only the
stable lists are kept; assessment factor codes change most years and are passed through as given.
"""

from __future__ import annotations

from typing import Final, Literal

SEX = frozenset({"M", "F", "U"})
#: ``GenderCurrent`` (censuses up to 2023-24): 0 not known, 1 male, 2 female, 9 not specified.
GENDER_CURRENT = frozenset({"0", "1", "2", "9"})
ETHNICITY = frozenset(
    {
        "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
        "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
    }
)  # fmt: skip
DISABILITY = frozenset({"NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA"})
REFERRAL_SOURCE = frozenset(
    {"1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A", "5B", "5C", "5D", "6", "7", "8"}
    | {"9", "10"}
)
PRIMARY_NEED = frozenset(f"N{n}" for n in range(10))
REASON_FOR_CLOSURE = frozenset(f"RC{n}" for n in range(1, 10))
CATEGORY_OF_ABUSE = frozenset({"NEG", "PHY", "SAB", "EMO", "MUL"})
UPN_UNKNOWN = frozenset(f"UN{n}" for n in range(1, 11))

#: Category-of-abuse descriptions (as SSD extracts often hold them) to census codes, for the writer.
CATEGORY_BY_DESCRIPTION = {
    "neglect": "NEG",
    "physical abuse": "PHY",
    "physical": "PHY",
    "sexual abuse": "SAB",
    "sexual": "SAB",
    "emotional abuse": "EMO",
    "emotional": "EMO",
    "multiple": "MUL",
    "multiple/not recommended": "MUL",
}

#: ``GenderCurrent`` code for an SSD sex/gender letter, for the writer's pre-2025 layout.
GENDER_CODE_BY_LETTER = {"M": "1", "F": "2", "U": "0"}

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
