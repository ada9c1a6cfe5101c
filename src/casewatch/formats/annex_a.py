"""The Annex A lists as data: each list's number, sheet-name aliases and fields with their accepted headings.

Headings are matched after :func:`casewatch.importers.annex_a.text.heading_key` normalisation, so the 2019
template's curly quotes, trailing spaces, "?" and "(Y/N)" variations all meet one key. Each field names the
2019 template heading first (the one the exporter writes), then the 2024 spellings and the variants councils use.
Field ``kind`` says how a cell is parsed (see :mod:`casewatch.importers.annex_a.values`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["id", "text", "code", "flag", "date", "int", "age"]


@dataclass(frozen=True)
class Field:
    """One Annex A column: an internal key, how its cells parse, and the headings it is known by."""

    key: str
    kind: Kind
    headings: tuple[str, ...]  # the 2019 template heading first
    required: bool = False

    @property
    def heading(self) -> str:
        return self.headings[0]


@dataclass(frozen=True)
class AnnexList:
    """One Annex A list (sheet): how to recognise it and the fields it holds, in 2019 template order."""

    number: int
    title: str
    names: tuple[str, ...]  # sheet names (normalised) that mean this list besides "List N"
    fields: tuple[Field, ...]

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


_CHILD = Field("child_id", "id", ("Child Unique ID", "Child ID", "Child Identifier", "Unique ID", "ID"), True)
_GENDER = Field("gender", "code", ("Gender", "Sex"))
_ETHNICITY = Field("ethnicity", "code", ("Ethnicity",))
_DOB = Field("dob", "date", ("Date of Birth", "DOB"))
_AGE = Field("age", "age", ("Age of Child (Years)", "Age of Child", "Age"))
_DISABILITY = Field("disability", "flag", ("Does the Child have a Disability", "Disability"))
_TEAM = Field("team", "text", ("Allocated Team", "Team"))
_WORKER = Field("worker", "text", ("Allocated Worker", "Worker", "Allocated Social Worker"))

_PERSON = (_CHILD, _GENDER, _ETHNICITY, _DOB, _AGE)


def _f(key: str, kind: Kind, *headings: str, required: bool = False) -> Field:
    return Field(key, kind, headings, required)


LISTS: tuple[AnnexList, ...] = (
    AnnexList(
        1,
        "Contacts",
        ("contacts", "contact"),
        (
            *_PERSON,
            _f("date", "date", "Date of Contact", "Contact Date", required=True),
            _f("source", "code", "Contact Source"),
        ),
    ),
    AnnexList(
        2,
        "Early Help",
        ("early help", "eh", "early help assessments"),
        (
            *_PERSON,
            _f("start", "date", "Assessment start date", "Early Help Assessment Start Date", required=True),
            _f("end", "date", "Assessment completion date", "Early Help Assessment Completion Date"),
            _f("organisation", "text", "Organisation completing assessment"),
        ),
    ),
    AnnexList(
        3,
        "Referrals",
        ("referrals", "referral"),
        (
            *_PERSON,
            _f("date", "date", "Date of referral", "Referral Date", required=True),
            _f("source", "code", "Referral Source"),
            _f("nfa", "flag", "Referral NFA?", "Referral NFA", "Referral No Further Action"),
            _f("count_12m", "int", "Number of Referrals in Last 12 Months"),
            _TEAM,
            _WORKER,
        ),
    ),
    AnnexList(
        4,
        "Assessments",
        ("assessments", "assessment", "single assessments"),
        (
            *_PERSON,
            _DISABILITY,
            _f("start", "date", "Continuous Assessment Start Date", "Assessment Start Date", required=True),
            _f("seen", "flag", "Child Seen During Continuous Assessment", "Child Seen During Assessment"),
            _f(
                "auth",
                "date",
                "Continuous Assessment Date of Authorisation",
                "Assessment Date of Authorisation",
                "Assessment Authorisation Date",
            ),
            _f(
                "needs_support",
                "flag",
                "Was the child assessed as requiring LA children\u2019s social care support",
                "Was the child assessed as requiring LA children's social care support?",
            ),
            _TEAM,
            _WORKER,
        ),
    ),
    AnnexList(
        5,
        "Section 47 enquiries and Initial Child Protection Conferences",
        ("section 47", "s47", "sec47 and icpc", "s47 and icpc", "section 47 enquiries", "sec47"),
        (
            *_PERSON,
            _DISABILITY,
            _f(
                "start",
                "date",
                "Strategy discussion initiating Section 47 Enquiry Start Date",
                "Section 47 Enquiry Start Date",
                "S47 Start Date",
                required=True,
            ),
            _f("icpc_unnecessary", "flag", "Was an Initial Child Protection Conference deemed unnecessary?"),
            _f("icpc_date", "date", "Date of Initial Child Protection Conference", "ICPC Date"),
            _f(
                "icpc_cp",
                "flag",
                "Did the Initial Child Protection Conference Result in a Child Protection Plan",
            ),
            _f("s47_count_12m", "int", "Number of Section 47 Enquiries in the last 12 months"),
            _f("icpc_count_12m", "int", "Number of ICPCs in the last 12 months"),
            _TEAM,
            _WORKER,
        ),
    ),
    AnnexList(
        6,
        "Children in Need",
        ("children in need", "cin", "child in need"),
        (
            *_PERSON,
            _DISABILITY,
            _f("start", "date", "CIN Start Date", required=True),
            _f("need", "code", "Primary Need Code", "Primary Need"),
            _f("last_seen", "date", "Date Child Was Last Seen", "Date Child Last Seen"),
            _f("end", "date", "CIN Closure Date"),
            _f("close_reason", "code", "Reason for Closure", "Closure Reason"),
            _f("status", "text", "Case status"),
            _TEAM,
            _WORKER,
        ),
    ),
    AnnexList(
        7,
        "Child protection",
        ("child protection", "cp", "child protection plans"),
        (
            *_PERSON,
            _DISABILITY,
            _f("start", "date", "Child Protection Plan Start Date", "CP Plan Start Date", required=True),
            _f("initial_category", "code", "Initial Category of Abuse"),
            _f("latest_category", "code", "Latest Category of Abuse"),
            _f("last_visit", "date", "Date of the Last Statutory Visit", "Date of Last Statutory Visit"),
            _f("seen_alone", "flag", "Was the Child Seen Alone?", "Child Seen Alone"),
            _f("latest_review", "date", "Date of latest review conference", "Date of Latest Review Conference"),
            _f("end", "date", "Child Protection Plan End Date", "CP Plan End Date"),
            _f(
                "epo",
                "flag",
                "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
            ),
            _f("previous_plans", "int", "Number of Previous Child Protection Plans"),
            _TEAM,
            _WORKER,
        ),
    ),
    AnnexList(
        8,
        "Children in care",
        ("children in care", "cla", "looked after children", "children looked after", "cic"),
        (
            *_PERSON,
            _DISABILITY,
            _f("uasc", "flag", "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)"),
            _f("start", "date", "Date Started to be Looked After", required=True),
            _f("need", "code", "Child's Category of Need", "Category of Need"),
            _f(
                "second_period",
                "flag",
                "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
            ),
            _f("legal_start", "date", "Start date of current legal status"),
            _f("legal_status", "code", "Child's Legal Status", "Legal Status"),
            _f("latest_review", "date", "Date of Latest Statutory Review"),
            _f("last_visit", "date", "Date of Last Social Work Visit"),
            _f("permanence_plan", "code", "What is the permanence plan for this child?"),
            _f("last_iro", "date", "Date of Last IRO Visit / Contact to the Child", "Date of Last IRO Visit"),
            _f("health", "date", "Date of Last Health Assessment"),
            _f("dental", "date", "Date of Last Dental Check"),
            _f("placements_12m", "int", "Number of Placements in the Last 12 months"),
            _f("end", "date", "Date Ceased to be Looked After"),
            _f("end_reason", "code", "Reason Ceased to be Looked After"),
            _f("placement_start", "date", "Start Date of Most Recent Placement"),
            _f("placement_type", "code", "Placement Type"),
            _f("placement_provider", "code", "Placement Provider"),
            _f("placement_postcode", "text", "Placement postcode"),
            _f("placement_urn", "text", "URN of Placement"),
            _f("placement_location", "code", "Placement Location"),
            _f("placement_la", "text", "LA of Placement"),
            _f(
                "missing_12m",
                "int",
                "Number of Episodes the Child has been \u2018Missing\u2019 from their Placement in the last 12 months",
            ),
            _f(
                "absent_12m",
                "int",
                "Number of Episodes the Child has been \u2018Absent\u2019 from their Placement in the last 12 months",
            ),
            _f(
                "rhi_offered",
                "flag",
                "Was the child offered a Return Interview after their last missing episode (Y/N)?",
            ),
            _f(
                "rhi_accepted",
                "flag",
                "Did the child accept a Return Interview after their last missing episode (Y/N)?",
            ),
            _TEAM,
            _WORKER,
        ),
    ),
    AnnexList(
        9,
        "Care leavers",
        ("care leavers", "care leaver", "leaving care"),
        (
            *_PERSON,
            _f(
                "uasc",
                "flag",
                "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
            ),
            _DISABILITY,
            _TEAM,
            _WORKER,
            _f("adviser", "text", "Allocated Personal Advisor", "Allocated Personal Adviser", "Personal Adviser"),
            _f("eligibility", "code", "Eligibility Category"),
            _f("pathway_review", "date", "Latest Pathway Plan Review Date", "Date of Latest Pathway Plan Review"),
            _f("in_touch", "code", "LA In Touch"),
            _f("latest_contact", "date", "Latest Date of Contact", "Date of Latest Contact"),
            _f("accommodation", "code", "Type of Accommodation"),
            _f("suitable", "code", "Suitability of Accommodation"),
            _f("activity", "code", "Activity Status"),
        ),
    ),
    AnnexList(
        10,
        "Adoption",
        ("adoption", "adoptions", "adopted children"),
        (
            _CHILD,
            _f("family_id", "text", "Family identifier"),
            _GENDER,
            _ETHNICITY,
            _DOB,
            _AGE,
            _DISABILITY,
            _f("entered_care", "date", "Date the Child Entered Care"),
            _f("decision", "date", "Date of Decision that Child Should be Placed for Adoption"),
            _f("placement_order", "date", "Date of Placement Order"),
            _f("matched", "date", "Date of Matching Child and Prospective Adopters"),
            _f("placed", "date", "Date Placed for Adoption"),
            _f("adoption_order", "date", "Date of Adoption Order"),
            _f("reversed", "date", "Date of Decision that Child Should No Longer be Placed for Adoption"),
            _f("reversed_reason", "code", "Reason Why Child No Longer Placed for Adoption"),
            _f("ffa", "date", "Date the child was placed for fostering in FFA or concurrent planning placement"),
        ),
    ),
    AnnexList(
        11,
        "Adopters",
        ("adopters", "prospective adopters"),
        (
            _f("adopter_id", "id", "Individual adopter identifier", required=True),
            _f("family_id", "text", "Family identifier"),
            _f("enquiry", "date", "Date enquiry received"),
        ),
    ),
)

BY_NUMBER: dict[int, AnnexList] = {lst.number: lst for lst in LISTS}

#: Sheets of the Ofsted template that are not lists: skipped without a warning.
TEMPLATE_SHEETS: frozenset[str] = frozenset({"front sheet", "faq and changes", "guidance", "codes used", "codes"})
