"""The casewatch data contract: SSD v1.4.5 tables we accept, plus our ``ext_*`` extension tables.

The contract is data, not prose, so that the loader, the data-quality checks and ``docs/data-contract.md`` all
read the same definitions and cannot disagree. Column names follow the SSD v1.4.5 DDL (the "DDL of record" in
``reference/ssd-data-model.md`` §1.7); extension tables follow SSD conventions (a four-letter-ish column prefix,
string ids, ISO dates) and key on SSD ids.

Only facts (table and column names, what a column holds) come from the SSD material; the descriptions are ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

ColumnType = Literal["string", "date", "datetime", "bool", "int", "float"]
Tier = Literal["core", "optional", "extension"]

#: DuckDB type each contract type is loaded as.
SQL_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "bool": "BOOLEAN",
    "int": "BIGINT",
    "float": "DOUBLE",
}

TIER_ORDER: tuple[Tier, ...] = ("core", "optional", "extension")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a contract table.

    ``required`` means a row without a usable value here cannot be loaded (it is rejected and reported); optional
    columns may be absent from a file altogether and are then loaded as typed NULLs. ``may_be_future`` marks dates
    that are legitimately after the as-at date (due dates, expected dates of birth); ``may_predate_1950`` marks the
    dates of birth, which are exempt from the "date before 1950" warning.
    """

    name: str
    type: ColumnType
    required: bool
    description: str
    aliases: tuple[str, ...] = ()
    may_be_future: bool = False
    may_predate_1950: bool = False


class ForeignKey(NamedTuple):
    """``column`` refers to ``ref_column`` of ``ref_table``; a value with no match is reported as an orphan."""

    column: str
    ref_table: str
    ref_column: str


class Ordering(NamedTuple):
    """``earlier`` must not fall after ``later``.

    ``earlier`` may name a column of another table as ``table.column``; it is then reached through this table's
    foreign key to that table's primary key (e.g. the child's date of birth through ``*_person_id``).
    """

    earlier: str
    later: str


class Derivation(NamedTuple):
    """Fill ``column`` (when absent or empty) by looking ``via`` up in ``source_table``.

    The value is ``source_value`` of the ``source_table`` row whose ``source_key`` equals this row's ``via``. This
    is how a CMS variant that omits a person id (Mosaic visits, placements keyed only to a period of care) still
    yields rows linked to a child.
    """

    column: str
    via: str
    source_table: str
    source_key: str
    source_value: str


class JsonKeyDerivation(NamedTuple):
    """Fill ``column`` (when absent or empty) from ``key`` of the JSON object in this row's ``json_column``.

    The key's value is then cleaned and parsed like any value of ``column`` (a flag's ``"Y"``/``"N"`` become true
    and false). A ``json_column`` value that is not a JSON object leaves ``column`` empty and is reported as a
    warning; a missing key or a JSON ``null`` just leaves it empty. This is how the SSD's outcome flags, held in
    one JSON text per row, become columns a standard can filter on. ``column`` is never required.
    """

    column: str
    json_column: str
    key: str


@dataclass(frozen=True, kw_only=True)
class TableSpec:
    """One table of the contract: its columns, key, references and the date orders it must respect."""

    name: str
    prefix: str
    tier: Tier
    description: str
    columns: tuple[ColumnSpec, ...]
    primary_key: str | None
    foreign_keys: tuple[ForeignKey, ...] = ()
    orderings: tuple[Ordering, ...] = ()
    derivations: tuple[Derivation, ...] = field(default=())
    json_derivations: tuple[JsonKeyDerivation, ...] = field(default=())

    def column(self, name: str) -> ColumnSpec:
        """The column called ``name``; KeyError if the table has none."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


# --- compact constructors -------------------------------------------------------------------------------------


def _id(name: str, description: str, *, required: bool = False, aliases: tuple[str, ...] = ()) -> ColumnSpec:
    return ColumnSpec(name, "string", required, description, aliases)


_str = _id


def _date(
    name: str,
    description: str,
    *,
    required: bool = False,
    aliases: tuple[str, ...] = (),
    future: bool = False,
    birth: bool = False,
) -> ColumnSpec:
    return ColumnSpec(name, "date", required, description, aliases, future, birth)


def _dt(name: str, description: str, *, required: bool = False, aliases: tuple[str, ...] = ()) -> ColumnSpec:
    return ColumnSpec(name, "datetime", required, description, aliases)


def _flag(name: str, description: str, *, required: bool = False, aliases: tuple[str, ...] = ()) -> ColumnSpec:
    return ColumnSpec(name, "bool", required, description, aliases)


def _int(name: str, description: str, *, aliases: tuple[str, ...] = ()) -> ColumnSpec:
    return ColumnSpec(name, "int", False, description, aliases)


def _num(name: str, description: str, *, aliases: tuple[str, ...] = ()) -> ColumnSpec:
    return ColumnSpec(name, "float", False, description, aliases)


def _person(column: str) -> ForeignKey:
    return ForeignKey(column, "ssd_person", "pers_person_id")


def _referral(column: str) -> ForeignKey:
    return ForeignKey(column, "ssd_cin_episodes", "cine_referral_id")


def _team(column: str) -> ForeignKey:
    return ForeignKey(column, "ssd_department", "dept_team_id")


def _worker(column: str) -> ForeignKey:
    return ForeignKey(column, "ssd_professionals", "prof_professional_id")


_DOB = "ssd_person.pers_dob"

# --- Tier 1: core SSD tables (§6.2) ---------------------------------------------------------------------------

_CORE: tuple[TableSpec, ...] = (
    TableSpec(
        name="ssd_person",
        prefix="pers",
        tier="core",
        description="One row per child or young person in the SSD cohort: identity and demographics.",
        columns=(
            _id(
                "pers_person_id",
                "Person id from the case-management system; every child table keys to it.",
                required=True,
            ),
            _id("pers_legacy_id", "Person id from a previous system, where one is kept."),
            _date("pers_dob", "Date of birth (empty when only an estimated or expected date is known).", birth=True),
            _date("pers_expected_dob", "Expected or estimated date of birth (unborn children).", future=True),
            _date("pers_death_date", "Date of death."),
            _str("pers_sex", "Sex (e.g. F, M, U)."),
            _str("pers_gender", "Gender as recorded for the CIN census."),
            _str("pers_ethnicity", "Ethnicity code."),
            _str("pers_upn", "Unique pupil number."),
            _str("pers_forename", "First name, for display only."),
            _str("pers_surname", "Surname, for display only."),
            _str("pers_single_unique_id", "Common child identifier (NHS number).", aliases=("pers_common_child_id",)),
            _str("pers_upn_unknown", "Reason code when the UPN is unknown (UN1-UN10)."),
            _str("pers_send_flag", "SEND flag (placeholder in most extracts)."),
            _flag("pers_is_mother", "The person is a mother (SSDA903 item)."),
            _str("pers_nationality", "Country of origin (UASC)."),
        ),
        primary_key="pers_person_id",
        orderings=(Ordering("pers_dob", "pers_death_date"),),
    ),
    TableSpec(
        name="ssd_cin_episodes",
        prefix="cine",
        tier="core",
        description="Referrals: one row per child-in-need episode, from referral to closure.",
        columns=(
            _id("cine_referral_id", "Referral (CIN episode) id.", required=True),
            _id("cine_person_id", "The child.", required=True),
            _date("cine_referral_date", "Date of referral: the episode starts.", required=True),
            _date("cine_close_date", "Date the episode closed (empty while open)."),
            _str("cine_close_reason", "Closure reason code (RC1-RC8)."),
            _flag("cine_referral_nfa", "Referral led to no further action."),
            _str("cine_cin_primary_need_code", "Primary need code (N0-N9)."),
            _str("cine_referral_source_code", "Referral source code (CIN census)."),
            _str("cine_referral_source_desc", "Referral source description."),
            _str("cine_referral_outcome_json", "Referral outcome flags as JSON."),
            _id("cine_referral_team", "Team that completed the referral."),
            _str("cine_referral_worker_id", "Worker who completed the referral (a name in SystemC extracts)."),
        ),
        primary_key="cine_referral_id",
        foreign_keys=(_person("cine_person_id"), _team("cine_referral_team")),
        orderings=(Ordering("cine_referral_date", "cine_close_date"),),
    ),
    TableSpec(
        name="ssd_cin_assessments",
        prefix="cina",
        tier="core",
        description="Single (child and family) assessments: start and manager authorisation.",
        columns=(
            _id("cina_assessment_id", "Assessment id.", required=True),
            _id("cina_person_id", "The child.", required=True),
            _id("cina_referral_id", "Referral (CIN episode) the assessment belongs to."),
            _date("cina_assessment_start_date", "Date the assessment started.", required=True),
            _date(
                "cina_assessment_auth_date",
                "Date a manager authorised the assessment: it is complete only then (empty while open).",
            ),
            _flag("cina_assessment_child_seen", "Child seen during the assessment."),
            _flag("cina_assessment_outcome_nfa", "Assessment led to no further action."),
            _str("cina_assessment_outcome_json", "Assessment outcome flags as JSON."),
            _id("cina_assessment_team", "Team that completed the assessment."),
            _str("cina_assessment_worker_id", "Worker who completed the assessment."),
        ),
        primary_key="cina_assessment_id",
        foreign_keys=(_person("cina_person_id"), _referral("cina_referral_id"), _team("cina_assessment_team")),
        orderings=(Ordering("cina_assessment_start_date", "cina_assessment_auth_date"),),
    ),
    TableSpec(
        name="ssd_s47_enquiry",
        prefix="s47e",
        tier="core",
        description="Section 47 child protection enquiries; the start date is the strategy discussion's date.",
        columns=(
            _id("s47e_s47_enquiry_id", "S47 enquiry id.", required=True),
            _id("s47e_person_id", "The child.", required=True),
            _id("s47e_referral_id", "Referral (CIN episode) the enquiry belongs to."),
            _date("s47e_s47_start_date", "Date the enquiry started (the strategy discussion).", required=True),
            _date("s47e_s47_end_date", "Date the enquiry was completed."),
            _flag("s47e_s47_nfa", "Enquiry led to no further action."),
            _str("s47e_s47_outcome_json", "Enquiry outcome flags as JSON (CP_CONFERENCE_FLAG among them)."),
            _flag(
                "s47e_cp_conference_flag",
                "The enquiry concluded that an initial child protection conference is needed (casewatch's column: "
                "the SSD holds this only as CP_CONFERENCE_FLAG in s47e_s47_outcome_json).",
            ),
            _id("s47e_s47_completed_by_team", "Team that completed the enquiry."),
            _str("s47e_s47_completed_by_worker_id", "Worker (staff id) who completed the enquiry."),
        ),
        primary_key="s47e_s47_enquiry_id",
        foreign_keys=(_person("s47e_person_id"), _referral("s47e_referral_id"), _team("s47e_s47_completed_by_team")),
        orderings=(Ordering("s47e_s47_start_date", "s47e_s47_end_date"),),
        json_derivations=(JsonKeyDerivation("s47e_cp_conference_flag", "s47e_s47_outcome_json", "CP_CONFERENCE_FLAG"),),
    ),
    TableSpec(
        name="ssd_initial_cp_conference",
        prefix="icpc",
        tier="core",
        description="Initial child protection conferences: target and actual dates, outcome.",
        columns=(
            _id("icpc_icpc_id", "Initial conference id.", required=True),
            _id("icpc_person_id", "The child.", required=True),
            _id("icpc_s47_enquiry_id", "S47 enquiry that led to the conference."),
            _id("icpc_referral_id", "Referral (CIN episode) the conference belongs to."),
            _id("icpc_cp_plan_id", "Child protection plan the conference started, if any."),
            _id("icpc_icpc_meeting_id", "Meeting id (one meeting may cover several children)."),
            _flag("icpc_icpc_transfer_in", "Transfer-in conference."),
            _date("icpc_icpc_target_date", "Target date for the conference as held in the CMS.", future=True),
            _date("icpc_icpc_date", "Date the conference was held.", required=True),
            _flag("icpc_icpc_outcome_cp_flag", "Conference decided on a child protection plan."),
            _str("icpc_icpc_outcome_json", "Conference outcome flags as JSON."),
            _id("icpc_icpc_team", "Team that organised the conference."),
            _str("icpc_icpc_worker_id", "Worker (staff id) who organised the conference."),
        ),
        primary_key="icpc_icpc_id",
        foreign_keys=(
            _person("icpc_person_id"),
            ForeignKey("icpc_s47_enquiry_id", "ssd_s47_enquiry", "s47e_s47_enquiry_id"),
            _referral("icpc_referral_id"),
            ForeignKey("icpc_cp_plan_id", "ssd_cp_plans", "cppl_cp_plan_id"),
            _team("icpc_icpc_team"),
        ),
        orderings=(Ordering("ssd_s47_enquiry.s47e_s47_start_date", "icpc_icpc_date"),),
    ),
    TableSpec(
        name="ssd_cp_plans",
        prefix="cppl",
        tier="core",
        description="Child protection plans: start and end, category of abuse.",
        columns=(
            _id("cppl_cp_plan_id", "Child protection plan id.", required=True),
            _id("cppl_person_id", "The child.", required=True),
            _id("cppl_referral_id", "Referral (CIN episode) the plan belongs to."),
            _id("cppl_icpc_id", "Initial conference that started the plan."),
            _date("cppl_cp_plan_start_date", "Date the plan started.", required=True),
            _date("cppl_cp_plan_end_date", "Date the plan ended (empty while open)."),
            _flag("cppl_cp_plan_ola", "Plan held by another local authority."),
            _str("cppl_cp_plan_initial_category", "Initial category of abuse."),
            _str("cppl_cp_plan_latest_category", "Latest category of abuse."),
        ),
        primary_key="cppl_cp_plan_id",
        foreign_keys=(
            _person("cppl_person_id"),
            _referral("cppl_referral_id"),
            ForeignKey("cppl_icpc_id", "ssd_initial_cp_conference", "icpc_icpc_id"),
        ),
        orderings=(
            Ordering("cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),
            Ordering("ssd_initial_cp_conference.icpc_icpc_date", "cppl_cp_plan_start_date"),
        ),
    ),
    TableSpec(
        name="ssd_cp_visits",
        prefix="cppv",
        tier="core",
        description="Statutory visits to children on a child protection plan (case notes).",
        columns=(
            _id("cppv_cp_visit_id", "Visit (case note) id.", required=True),
            _id("cppv_person_id", "The child (derived from the plan when absent).", required=True),
            _id("cppv_cp_plan_id", "Child protection plan the visit was made under."),
            _date("cppv_cp_visit_date", "Date of the visit.", required=True),
            _flag("cppv_cp_visit_seen", "Child seen."),
            _flag("cppv_cp_visit_seen_alone", "Child seen alone."),
            _flag("cppv_cp_visit_bedroom", "Child's bedroom seen.", aliases=("cppv_cp_visit_bedroom_seen",)),
        ),
        primary_key="cppv_cp_visit_id",
        foreign_keys=(_person("cppv_person_id"), ForeignKey("cppv_cp_plan_id", "ssd_cp_plans", "cppl_cp_plan_id")),
        derivations=(
            Derivation("cppv_person_id", "cppv_cp_plan_id", "ssd_cp_plans", "cppl_cp_plan_id", "cppl_person_id"),
        ),
    ),
    TableSpec(
        name="ssd_cp_reviews",
        prefix="cppr",
        tier="core",
        description="Review child protection conferences: due and actual dates, outcome.",
        columns=(
            _id("cppr_cp_review_id", "Review conference id.", required=True),
            _id(
                "cppr_person_id",
                "The child (derived from the plan when absent).",
                required=True,
                aliases=("person_id",),
            ),
            _id("cppr_cp_plan_id", "Child protection plan reviewed."),
            _date(
                "cppr_cp_review_due",
                "Date the review was due, as held in the CMS.",
                future=True,
                aliases=("due_date", "cppr_cp_review_due_date"),
            ),
            _date(
                "cppr_cp_review_date", "Date the review conference was held.", required=True, aliases=("actual_date",)
            ),
            _id("cppr_cp_review_meeting_id", "Review meeting id."),
            _flag("cppr_cp_review_outcome_continue_cp", "The plan is to continue."),
            _str("cppr_cp_review_quorate", "Whether the conference was quorate, as recorded.", aliases=("quorate",)),
            _str(
                "cppr_cp_review_participation",
                "Child's participation in the review.",
                aliases=("review_participation",),
            ),
        ),
        primary_key="cppr_cp_review_id",
        foreign_keys=(_person("cppr_person_id"), ForeignKey("cppr_cp_plan_id", "ssd_cp_plans", "cppl_cp_plan_id")),
        derivations=(
            Derivation("cppr_person_id", "cppr_cp_plan_id", "ssd_cp_plans", "cppl_cp_plan_id", "cppl_person_id"),
        ),
    ),
    TableSpec(
        name="ssd_cin_plans",
        prefix="cinp",
        tier="core",
        description="Child in need plans: start and end.",
        columns=(
            _id("cinp_cin_plan_id", "CIN plan id.", required=True, aliases=("cin_plan_id",)),
            _id("cinp_person_id", "The child.", required=True),
            _id("cinp_referral_id", "Referral (CIN episode) the plan belongs to."),
            _date("cinp_cin_plan_start_date", "Date the plan started.", required=True),
            _date("cinp_cin_plan_end_date", "Date the plan ended (empty while open)."),
            _id("cinp_cin_plan_team", "Team holding the plan."),
            _str("cinp_cin_plan_worker_id", "Worker coordinating the plan."),
        ),
        primary_key="cinp_cin_plan_id",
        foreign_keys=(_person("cinp_person_id"), _referral("cinp_referral_id"), _team("cinp_cin_plan_team")),
        orderings=(Ordering("cinp_cin_plan_start_date", "cinp_cin_plan_end_date"),),
    ),
    TableSpec(
        name="ssd_cin_visits",
        prefix="cinv",
        tier="core",
        description="Visits recorded as case notes (in SystemC extracts every statutory-visit type, not only CIN "
        "visits).",
        columns=(
            _id("cinv_cin_visit_id", "Visit (case note) id.", required=True),
            _id(
                "cinv_person_id", "The child (derived from cinv_cin_plan_id when absent, as in Mosaic).", required=True
            ),
            _id("cinv_cin_plan_id", "CIN plan the visit belongs to (Mosaic extracts carry this, not a person)."),
            _date("cinv_cin_visit_date", "Date of the visit.", required=True),
            _flag("cinv_cin_visit_seen", "Child seen."),
            _flag("cinv_cin_visit_seen_alone", "Child seen alone."),
            _flag("cinv_cin_visit_bedroom", "Child's bedroom seen.", aliases=("cinv_cin_visit_bedroom_seen",)),
        ),
        primary_key="cinv_cin_visit_id",
        foreign_keys=(_person("cinv_person_id"),),
        derivations=(
            Derivation("cinv_person_id", "cinv_cin_plan_id", "ssd_cin_plans", "cinp_cin_plan_id", "cinp_person_id"),
        ),
    ),
    TableSpec(
        name="ssd_cla_episodes",
        prefix="clae",
        tier="core",
        description="Looked-after episodes (SSDA903 style); clae_cla_id groups the episodes of one period of care.",
        columns=(
            _id("clae_cla_episode_id", "Episode id.", required=True),
            _id("clae_person_id", "The child.", required=True),
            _id("clae_cla_id", "Period-of-care id; placements, visits and reviews key to it.", required=True),
            _date("clae_cla_episode_start_date", "Date the episode started.", required=True),
            _date("clae_cla_episode_ceased_date", "Date the episode ceased (empty while open)."),
            _str("clae_cla_episode_start_reason", "Reason for the new episode."),
            _str("clae_cla_episode_ceased_reason", "Reason the episode ceased."),
            _date("clae_entered_care_date", "Date the child entered care (start of the period of care)."),
            _id("clae_cla_placement_id", "Placement for this episode."),
            _id("clae_referral_id", "Referral (CIN episode) the episode belongs to."),
            _str("clae_cla_primary_need_code", "Primary need code."),
            _date("clae_cla_last_iro_contact_date", "Date of the IRO's last visit or contact with the child."),
        ),
        primary_key="clae_cla_episode_id",
        foreign_keys=(
            _person("clae_person_id"),
            ForeignKey("clae_cla_placement_id", "ssd_cla_placement", "clap_cla_placement_id"),
            _referral("clae_referral_id"),
        ),
        orderings=(
            Ordering("clae_cla_episode_start_date", "clae_cla_episode_ceased_date"),
            Ordering(_DOB, "clae_cla_episode_start_date"),
        ),
    ),
    TableSpec(
        name="ssd_cla_placement",
        prefix="clap",
        tier="core",
        description="Placements within a period of care.",
        columns=(
            _id("clap_cla_placement_id", "Placement id.", required=True, aliases=("clap_placement_id",)),
            _id("clap_cla_id", "Period of care the placement belongs to.", required=True),
            _id("clap_person_id", "The child (derived from the period of care when absent)."),
            _date("clap_cla_placement_start_date", "Date the placement started.", required=True),
            _date("clap_cla_placement_end_date", "Date the placement ended (empty while open)."),
            _str("clap_cla_placement_type", "Placement type (SSDA903 code)."),
            _str("clap_cla_placement_provider", "Placement provider (SSDA903 code)."),
            _str("clap_cla_placement_change_reason", "Reason for the placement change (SSDA903 code)."),
            _str("clap_cla_placement_urn", "Ofsted URN of the placement."),
            _str("clap_cla_placement_postcode", "Placement postcode."),
            _num("clap_cla_placement_distance", "Distance of the placement from home, in miles."),
        ),
        primary_key="clap_cla_placement_id",
        foreign_keys=(_person("clap_person_id"), ForeignKey("clap_cla_id", "ssd_cla_episodes", "clae_cla_id")),
        orderings=(
            Ordering("clap_cla_placement_start_date", "clap_cla_placement_end_date"),
            Ordering(_DOB, "clap_cla_placement_start_date"),
        ),
        derivations=(Derivation("clap_person_id", "clap_cla_id", "ssd_cla_episodes", "clae_cla_id", "clae_person_id"),),
    ),
    TableSpec(
        name="ssd_cla_visits",
        prefix="clav",
        tier="core",
        description="Statutory visits to looked-after children.",
        columns=(
            _id("clav_cla_visit_id", "Visit id.", required=True),
            _id("clav_person_id", "The child (derived from the period of care when absent).", required=True),
            _id("clav_cla_id", "Period of care the visit belongs to."),
            _date("clav_cla_visit_date", "Date of the visit.", required=True),
            _flag("clav_cla_visit_seen", "Child seen."),
            _flag("clav_cla_visit_seen_alone", "Child seen alone."),
        ),
        primary_key="clav_cla_visit_id",
        foreign_keys=(_person("clav_person_id"), ForeignKey("clav_cla_id", "ssd_cla_episodes", "clae_cla_id")),
        orderings=(Ordering(_DOB, "clav_cla_visit_date"),),
        derivations=(Derivation("clav_person_id", "clav_cla_id", "ssd_cla_episodes", "clae_cla_id", "clae_person_id"),),
    ),
    TableSpec(
        name="ssd_cla_reviews",
        prefix="clar",
        tier="core",
        description="Looked-after children's reviews: due date, actual date, cancelled, participation.",
        columns=(
            _id("clar_cla_review_id", "Review id.", required=True),
            _id(
                "clar_cla_person_id",
                "The child (derived from the period of care when absent).",
                aliases=("clar_person_id",),
            ),
            _id("clar_cla_id", "Period of care reviewed.", required=True),
            _date("clar_cla_review_due_date", "Date the review was due.", future=True),
            _date("clar_cla_review_date", "Date the review was held.", required=True),
            _flag("clar_cla_review_cancelled", "The review meeting was cancelled."),
            _str("clar_cla_review_participation", "Child's participation code (PN0-PN7)."),
        ),
        primary_key="clar_cla_review_id",
        foreign_keys=(_person("clar_cla_person_id"), ForeignKey("clar_cla_id", "ssd_cla_episodes", "clae_cla_id")),
        orderings=(Ordering(_DOB, "clar_cla_review_date"),),
        derivations=(
            Derivation("clar_cla_person_id", "clar_cla_id", "ssd_cla_episodes", "clae_cla_id", "clae_person_id"),
        ),
    ),
    TableSpec(
        name="ssd_cla_care_plan",
        prefix="lacp",
        tier="core",
        description="Care plans of looked-after children (SystemC extracts hold active plans only).",
        columns=(
            _id("lacp_table_id", "Care plan id.", required=True, aliases=("lacp_cla_care_plan_id",)),
            _id("lacp_person_id", "The child.", required=True),
            _date("lacp_cla_care_plan_start_date", "Date the care plan took effect.", required=True),
            _date("lacp_cla_care_plan_end_date", "Date the care plan ended."),
            _str("lacp_cla_care_plan_json", "Permanence-plan answers as JSON (latest per child)."),
        ),
        primary_key="lacp_table_id",
        foreign_keys=(_person("lacp_person_id"),),
        orderings=(
            Ordering("lacp_cla_care_plan_start_date", "lacp_cla_care_plan_end_date"),
            Ordering(_DOB, "lacp_cla_care_plan_start_date"),
        ),
    ),
    TableSpec(
        name="ssd_cla_health",
        prefix="clah",
        tier="core",
        description="Health assessments and checks (initial and review health assessments, dental checks).",
        columns=(
            _id("clah_health_check_id", "Health check id.", required=True),
            _id("clah_person_id", "The child.", required=True),
            _str("clah_health_check_type", "Type of check, as free text (mapped per council)."),
            _date("clah_health_check_date", "Date of the check.", required=True),
            _str("clah_health_check_status", "Status (planned, refused, cancelled, completed)."),
        ),
        primary_key="clah_health_check_id",
        foreign_keys=(_person("clah_person_id"),),
        orderings=(Ordering(_DOB, "clah_health_check_date"),),
    ),
    TableSpec(
        name="ssd_involvements",
        prefix="invo",
        tier="core",
        description="Worker and team involvements with a child over time: the allocation history.",
        columns=(
            _id("invo_involvements_id", "Involvement id.", required=True, aliases=("invo_involvement_id",)),
            _id("invo_person_id", "The child (derived from the referral when absent, as in Mosaic).", required=True),
            _id("invo_referral_id", "Referral (CIN episode) the involvement belongs to."),
            _id("invo_professional_id", "The worker.", required=True),
            _str(
                "invo_professional_role_id",
                "Involvement role code; the config says which codes mean the allocated worker.",
                required=True,
            ),
            _id("invo_professional_team", "The worker's team for this involvement."),
            _date("invo_involvement_start_date", "Date the involvement (allocation) started.", required=True),
            _date("invo_involvement_end_date", "Date the involvement ended (empty while current)."),
            _str("invo_worker_change_reason", "Reason for the change of worker (RIIA code)."),
        ),
        primary_key="invo_involvements_id",
        foreign_keys=(
            _person("invo_person_id"),
            _referral("invo_referral_id"),
            _worker("invo_professional_id"),
            _team("invo_professional_team"),
        ),
        orderings=(Ordering("invo_involvement_start_date", "invo_involvement_end_date"),),
        derivations=(
            Derivation("invo_person_id", "invo_referral_id", "ssd_cin_episodes", "cine_referral_id", "cine_person_id"),
        ),
    ),
    TableSpec(
        name="ssd_professionals",
        prefix="prof",
        tier="core",
        description="Workers: current attributes only (no history of role, team or qualification).",
        columns=(
            _id("prof_professional_id", "Worker id in the CMS.", required=True),
            _id("prof_staff_id", "HR staff id (some *_worker_id columns hold this instead)."),
            _str("prof_professional_name", "Worker's name."),
            _str("prof_social_worker_registration_no", "Social Work England registration number."),
            _str("prof_professional_job_title", "Job title, as free text."),
            _str("prof_professional_department", "Department name."),
            _num("prof_full_time_equivalency", "Full-time equivalence."),
            _flag("prof_agency_worker_flag", "Agency worker."),
            _int("prof_professional_caseload", "Cases held on the previous 30 September."),
        ),
        primary_key="prof_professional_id",
    ),
    TableSpec(
        name="ssd_department",
        prefix="dept",
        tier="core",
        description="Teams and departments, each with its parent.",
        columns=(
            _id("dept_team_id", "Team id.", required=True),
            _str("dept_team_name", "Team name."),
            _id("dept_team_parent_id", "Parent team or department."),
            _str("dept_team_parent_name", "Parent team or department name."),
        ),
        primary_key="dept_team_id",
        foreign_keys=(ForeignKey("dept_team_parent_id", "ssd_department", "dept_team_id"),),
    ),
)

# --- Tier 2: optional SSD tables (§6.2, columns from §2.2) ----------------------------------------------------

_OPTIONAL: tuple[TableSpec, ...] = (
    TableSpec(
        name="ssd_contacts",
        prefix="cont",
        tier="optional",
        description="Contacts: information received about a child, before any referral.",
        columns=(
            _id("cont_contact_id", "Contact id.", required=True),
            _id("cont_person_id", "The child.", required=True),
            _dt("cont_contact_date", "Date and time the contact was received.", required=True),
            _str("cont_contact_source_code", "Contact source code."),
            _str("cont_contact_source_desc", "Contact source description."),
            _str("cont_contact_outcome_json", "Contact outcome flags as JSON."),
        ),
        primary_key="cont_contact_id",
        foreign_keys=(_person("cont_person_id"),),
    ),
    TableSpec(
        name="ssd_early_help_episodes",
        prefix="earl",
        tier="optional",
        description="Early help episodes: start, end, reason.",
        columns=(
            _id("earl_episode_id", "Early help episode id.", required=True),
            _id("earl_person_id", "The child.", required=True),
            _date("earl_episode_start_date", "Date the episode started.", required=True),
            _date("earl_episode_end_date", "Date the episode ended."),
            _str("earl_episode_reason", "Reason for involvement."),
            _str("earl_episode_end_reason", "Reason the episode ended."),
            _str("earl_episode_organisation", "Organisation allocated."),
            _str("earl_episode_worker_id", "Worker allocated."),
        ),
        primary_key="earl_episode_id",
        foreign_keys=(_person("earl_person_id"),),
        orderings=(Ordering("earl_episode_start_date", "earl_episode_end_date"),),
    ),
    TableSpec(
        name="ssd_missing",
        prefix="miss",
        tier="optional",
        description="Missing and away-from-placement episodes, with return home interview offered/accepted flags.",
        columns=(
            _id("miss_table_id", "Missing episode id.", required=True),
            _id("miss_person_id", "The child.", required=True),
            _dt("miss_missing_episode_start_date", "Date and time the child went missing.", required=True),
            _str("miss_missing_episode_type", "Missing or away (absent)."),
            _dt("miss_missing_episode_end_date", "Date and time the child returned."),
            _flag("miss_missing_rhi_offered", "Return home interview offered (NA is kept as a note)."),
            _flag("miss_missing_rhi_accepted", "Return home interview accepted (NA is kept as a note)."),
        ),
        primary_key="miss_table_id",
        foreign_keys=(_person("miss_person_id"),),
        orderings=(
            Ordering("miss_missing_episode_start_date", "miss_missing_episode_end_date"),
            Ordering(_DOB, "miss_missing_episode_start_date"),
        ),
    ),
    TableSpec(
        name="ssd_care_leavers",
        prefix="clea",
        tier="optional",
        description="Care leavers: a snapshot at the extract date (latest contact, pathway plan, adviser), not a "
        "history. "
        "Keyed on the person because clea_table_id changes between SSD runs.",
        columns=(
            _id("clea_table_id", "Row id (regenerated on every SSD run; not a stable key)."),
            _id("clea_person_id", "The young person.", required=True),
            _str("clea_care_leaver_eligibility", "Eligibility category (relevant, former relevant, ...)."),
            _str("clea_care_leaver_in_touch", "In-touch category (SSDA903 code)."),
            _date("clea_care_leaver_latest_contact", "Date of the latest contact."),
            _str("clea_care_leaver_accommodation", "Accommodation."),
            _str("clea_care_leaver_accom_suitable", "Suitability of the accommodation."),
            _str("clea_care_leaver_activity", "Activity (education, employment or training)."),
            _date("clea_pathway_plan_review_date", "Date of the latest pathway plan review."),
            _str(
                "clea_care_leaver_personal_advisor",
                "Allocated personal adviser.",
                aliases=("clea_care_leaver_personal_adviser",),
            ),
            _id("clea_care_leaver_allocated_team", "Allocated team."),
            _str("clea_care_leaver_worker_id", "Allocated worker."),
        ),
        primary_key="clea_person_id",
        foreign_keys=(_person("clea_person_id"), _team("clea_care_leaver_allocated_team")),
    ),
    TableSpec(
        name="ssd_permanence",
        prefix="perm",
        tier="optional",
        description="Adoption and permanence timeline of a child in a period of care.",
        columns=(
            _id("perm_table_id", "Row id.", required=True),
            _id("perm_person_id", "The child.", required=True),
            _id("perm_cla_id", "Period of care."),
            _date("perm_adm_decision_date", "Date of the decision that the child should be placed for adoption."),
            _flag("perm_part_of_sibling_group", "The child is part of a sibling group."),
            _int("perm_siblings_placed_together", "Children placed (or to be placed) together, this child included."),
            _int("perm_siblings_placed_apart", "Siblings placed (or to be placed) apart from the child."),
            _date("perm_ffa_cp_decision_date", "Date of the fostering-for-adoption / concurrent planning decision."),
            _date("perm_placement_order_date", "Date of the placement (or freeing) order."),
            _date("perm_matched_date", "Date matched to prospective adopters."),
            _str("perm_adopter_sex", "Sex of the adopter."),
            _str("perm_adopter_legal_status", "Legal status of the adopter."),
            _int("perm_number_of_adopters", "Number of adopters."),
            _date("perm_placed_for_adoption_date", "Date placed for adoption."),
            _flag("perm_adopted_by_carer_flag", "Adopted by the child's carer."),
            _date("perm_placed_foster_carer_date", "Date originally placed with the foster carer who adopts."),
            _date("perm_placed_ffa_cp_date", "Date placed in a fostering-for-adoption / concurrent placement."),
            _str("perm_placement_provider_urn", "URN of the placement provider agency."),
            _date("perm_decision_reversed_date", "Date of the decision that the child should no longer be placed."),
            _str("perm_decision_reversed_reason", "Reason the child is no longer to be placed (RD1-RD4)."),
            _date("perm_permanence_order_date", "Date of the permanence order."),
            _str("perm_permanence_order_type", "Type of permanence order."),
            _str("perm_adoption_worker_id", "Adoption social worker."),
        ),
        primary_key="perm_table_id",
        foreign_keys=(_person("perm_person_id"), ForeignKey("perm_cla_id", "ssd_cla_episodes", "clae_cla_id")),
        orderings=(
            Ordering("perm_adm_decision_date", "perm_placed_for_adoption_date"),
            Ordering("perm_matched_date", "perm_placed_for_adoption_date"),
        ),
    ),
    TableSpec(
        name="ssd_legal_status",
        prefix="lega",
        tier="optional",
        description="Legal status episodes (SSDA903 legal status).",
        columns=(
            _id("lega_legal_status_id", "Legal status id.", required=True),
            _id("lega_person_id", "The child.", required=True),
            _str("lega_legal_status", "Legal status (code or description)."),
            _date("lega_legal_status_start_date", "Date the legal status started.", required=True),
            _date("lega_legal_status_end_date", "Date the legal status ended."),
        ),
        primary_key="lega_legal_status_id",
        foreign_keys=(_person("lega_person_id"),),
        orderings=(Ordering("lega_legal_status_start_date", "lega_legal_status_end_date"),),
    ),
    TableSpec(
        name="ssd_sdq_scores",
        prefix="csdq",
        tier="optional",
        description="Strengths and difficulties questionnaires: date completed and score.",
        columns=(
            _id("csdq_table_id", "SDQ form id.", required=True),
            _id("csdq_person_id", "The child.", required=True),
            _date("csdq_sdq_completed_date", "Date the SDQ was completed.", required=True),
            _int("csdq_sdq_score", "Total difficulties score."),
            _str("csdq_sdq_reason", "Reason the SDQ was not completed."),
        ),
        primary_key="csdq_table_id",
        foreign_keys=(_person("csdq_person_id"),),
        orderings=(Ordering(_DOB, "csdq_sdq_completed_date"),),
    ),
    TableSpec(
        name="ssd_cla_immunisations",
        prefix="clai",
        tier="optional",
        description="Immunisation status: one row per child, latest status only.",
        columns=(
            _id("clai_person_id", "The child.", required=True),
            _flag("clai_immunisations_status", "Immunisations up to date."),
            _date("clai_immunisations_status_date", "Date the status was last updated."),
        ),
        primary_key="clai_person_id",
        foreign_keys=(_person("clai_person_id"),),
    ),
    TableSpec(
        name="ssd_immigration_status",
        prefix="immi",
        tier="optional",
        description="Immigration status episodes (e.g. unaccompanied asylum-seeking child).",
        columns=(
            _id("immi_immigration_status_id", "Immigration status id.", required=True),
            _id("immi_person_id", "The child.", required=True),
            _date("immi_immigration_status_start_date", "Date the status started."),
            _date("immi_immigration_status_end_date", "Date the status ends or ended.", future=True),
            _str("immi_immigration_status", "Immigration status."),
        ),
        primary_key="immi_immigration_status_id",
        foreign_keys=(_person("immi_person_id"),),
        orderings=(Ordering("immi_immigration_status_start_date", "immi_immigration_status_end_date"),),
    ),
    TableSpec(
        name="ssd_disability",
        prefix="disa",
        tier="optional",
        description="Disability codes, one row per code per child.",
        columns=(
            _id("disa_table_id", "Row id.", required=True),
            _id("disa_person_id", "The child.", required=True),
            _str("disa_disability_code", "Disability code (CIN census)."),
        ),
        primary_key="disa_table_id",
        foreign_keys=(_person("disa_person_id"),),
    ),
    TableSpec(
        name="ssd_family",
        prefix="fami",
        tier="optional",
        description="Links a child to a family group (a weak 'family of residence' id in SystemC extracts).",
        columns=(
            _id("fami_table_id", "Row id.", required=True),
            _id("fami_family_id", "Family id.", required=True),
            _id("fami_person_id", "The child.", required=True),
        ),
        primary_key="fami_table_id",
        foreign_keys=(_person("fami_person_id"),),
    ),
    TableSpec(
        name="ssd_assessment_factors",
        prefix="cinf",
        tier="optional",
        description="Factors identified at assessment (CIN census codes as a JSON array).",
        columns=(
            _id("cinf_table_id", "Row id.", required=True),
            _id("cinf_assessment_id", "Assessment.", required=True),
            _str("cinf_assessment_factors_json", 'Factor codes as a JSON array, e.g. ["1A","2B"].'),
        ),
        primary_key="cinf_table_id",
        foreign_keys=(ForeignKey("cinf_assessment_id", "ssd_cin_assessments", "cina_assessment_id"),),
    ),
    TableSpec(
        name="ssd_pre_proceedings",
        prefix="prep",
        tier="optional",
        description="Public law outline pre-proceedings and care proceedings tracking (usually empty).",
        columns=(
            _id("prep_table_id", "Row id.", required=True),
            _id("prep_person_id", "The child.", required=True),
            _id("prep_plo_family_id", "PLO family id."),
            _date("prep_pre_pro_decision_date", "Date of the decision to enter pre-proceedings."),
            _date("prep_initial_pre_pro_meeting_date", "Date of the initial pre-proceedings meeting."),
            _str("prep_pre_pro_outcome", "Outcome of pre-proceedings."),
            _date("prep_agree_stepdown_issue_date", "Date step-down or issue was agreed."),
            _int("prep_cp_plans_referral_period", "Child protection plans during this referral period."),
            _str("prep_legal_gateway_outcome", "Outcome of the legal gateway or panel."),
            _int("prep_prev_pre_proc_child", "Previous periods of pre-proceedings in the child's lifetime."),
            _int("prep_prev_care_proc_child", "Previous periods of care proceedings in the child's lifetime."),
            _date("prep_pre_pro_letter_date", "Date the pre-proceedings letter and plan was sent to parents."),
            _date("prep_care_pro_letter_date", "Date the letter to issue care proceedings was sent to parents."),
            _int("prep_pre_pro_meetings_num", "Review pre-proceedings meetings held after the initial one."),
            _flag("prep_pre_pro_parents_legal_rep", "Parents had legal representation during pre-proceedings."),
            _flag("prep_parents_legal_rep_point_of_issue", "Parents had legal representation at issue."),
            _str("prep_court_reference", "Court reference number."),
            _int("prep_care_proc_court_hearings", "Court hearings held during care proceedings."),
            _flag("prep_care_proc_short_notice", "Care proceedings issued on short notice."),
            _str("prep_proc_short_notice_reason", "Reason for the short-notice application."),
            _flag(
                "prep_la_inital_plan_approved",
                "The council's initial plan was approved at the first hearing.",
                aliases=("prep_la_initial_plan_approved",),
            ),
            _str("prep_la_initial_care_plan", "The council's initial care plan."),
            _flag("prep_la_final_plan_approved", "The council's final plan was approved at the final hearing."),
            _str("prep_la_final_care_plan", "The council's final care plan."),
        ),
        primary_key="prep_table_id",
        foreign_keys=(_person("prep_person_id"),),
        orderings=(Ordering("prep_pre_pro_decision_date", "prep_initial_pre_pro_meeting_date"),),
    ),
    TableSpec(
        name="ssd_voice_of_child",
        prefix="voch",
        tier="optional",
        description="Answers to the voice-of-the-child questionnaire (usually empty).",
        columns=(
            _id("voch_table_id", "Row id.", required=True),
            _id("voch_person_id", "The child.", required=True),
            _flag("voch_explained_worries", "Someone explained why people are worried, in a way I understand."),
            _flag("voch_story_help_understand", "My words-and-pictures story helps me understand."),
            _flag("voch_agree_worker", "I agree with what my worker says needs to happen."),
            _flag("voch_plan_safe", "The plan tells everyone what to do to keep me safe."),
            _flag("voch_tablet_help_explain", "Using the tablet helped me explain."),
        ),
        primary_key="voch_table_id",
        foreign_keys=(_person("voch_person_id"),),
    ),
)

# --- Extensions: what the SSD lacks (§6.5), plus recorded exceptions -------------------------------------------

_EXTENSION: tuple[TableSpec, ...] = (
    TableSpec(
        name="ext_casenotes",
        prefix="csnt",
        tier="extension",
        description="All recording, with type, author and the date it was recorded (the SSD has only event dates).",
        columns=(
            _id("csnt_casenote_id", "Case note id (the SSD visit id where the note is a visit).", required=True),
            _id("csnt_person_id", "The child.", required=True),
            _id("csnt_referral_id", "Referral (CIN episode)."),
            _str("csnt_type_code", "Case note type code (mapped per council)."),
            _str("csnt_type_desc", "Case note type description."),
            _date("csnt_event_date", "Date of the event recorded (e.g. the visit).", required=True),
            _date("csnt_recorded_date", "Date the note was entered on the system."),
            _id("csnt_author_worker_id", "Worker who wrote the note."),
            _flag("csnt_is_statutory_visit", "The note records a statutory visit."),
            _str("csnt_visit_context", "Visit context: CIN, CP, CLA or CL."),
            _flag("csnt_seen", "Child seen."),
            _flag("csnt_seen_alone", "Child seen alone."),
            _flag("csnt_bedroom_seen", "Child's bedroom seen."),
            _id("csnt_plan_id", "Plan the visit was made under (CIN, CP or CLA)."),
        ),
        primary_key="csnt_casenote_id",
        foreign_keys=(_person("csnt_person_id"), _referral("csnt_referral_id"), _worker("csnt_author_worker_id")),
        orderings=(Ordering("csnt_event_date", "csnt_recorded_date"),),
    ),
    TableSpec(
        name="ext_supervision",
        prefix="supv",
        tier="extension",
        description="Supervision: case supervision on a child's file, and a worker's supervision sessions.",
        columns=(
            _id("supv_supervision_id", "Supervision id.", required=True),
            _id("supv_person_id", "The child whose case was supervised (empty for a worker's own session)."),
            _id("supv_referral_id", "Referral (CIN episode)."),
            _id("supv_worker_id", "Worker supervised."),
            _id("supv_supervisor_worker_id", "Supervisor."),
            _date("supv_supervision_date", "Date of the supervision.", required=True),
            _date("supv_recorded_date", "Date the supervision was recorded."),
            _str("supv_type", "Individual, group or reflective."),
            _flag("supv_on_child_file", "Recorded on the child's file."),
        ),
        primary_key="supv_supervision_id",
        foreign_keys=(
            _person("supv_person_id"),
            _referral("supv_referral_id"),
            _worker("supv_worker_id"),
            _worker("supv_supervisor_worker_id"),
        ),
        orderings=(Ordering("supv_supervision_date", "supv_recorded_date"),),
    ),
    TableSpec(
        name="ext_management_oversight",
        prefix="mgmt",
        tier="extension",
        description="Management oversight: a manager's recorded direction, decision or sign-off on a child's file.",
        columns=(
            _id("mgmt_oversight_id", "Oversight record id.", required=True),
            _id("mgmt_person_id", "The child.", required=True),
            _id("mgmt_referral_id", "Referral (CIN episode)."),
            _date("mgmt_event_date", "Date of the oversight.", required=True),
            _date("mgmt_recorded_date", "Date it was recorded."),
            _id("mgmt_manager_worker_id", "Manager."),
            _str("mgmt_oversight_type", "Kind of oversight (contact decision, allocation, sign-off, closure...)."),
            _str("mgmt_related_record_type", "Kind of record the oversight concerns."),
            _id("mgmt_related_record_id", "Id of the record the oversight concerns."),
        ),
        primary_key="mgmt_oversight_id",
        foreign_keys=(_person("mgmt_person_id"), _referral("mgmt_referral_id"), _worker("mgmt_manager_worker_id")),
        orderings=(Ordering("mgmt_event_date", "mgmt_recorded_date"),),
    ),
    TableSpec(
        name="ext_worker_profile",
        prefix="wprf",
        tier="extension",
        description="Worker qualification and role: qualified date, ASYE (newly qualified) period, agency, line "
        "manager.",
        columns=(
            _id("wprf_professional_id", "The worker (= prof_professional_id).", required=True),
            _str("wprf_role_category", "Role category (SW, SWA, ATM, TM, PA, IRO...)."),
            _date("wprf_swe_registered_from", "Date registered with Social Work England."),
            _date("wprf_qualified_date", "Date qualified as a social worker."),
            _date("wprf_asye_start_date", "Start of the assessed and supported year in employment."),
            _date("wprf_asye_end_date", "End of the ASYE (planned or actual).", future=True),
            _flag("wprf_agency_flag", "Agency worker."),
            _id("wprf_line_manager_id", "Line manager."),
        ),
        primary_key="wprf_professional_id",
        foreign_keys=(_worker("wprf_professional_id"), _worker("wprf_line_manager_id")),
        orderings=(
            Ordering("wprf_qualified_date", "wprf_asye_start_date"),
            Ordering("wprf_asye_start_date", "wprf_asye_end_date"),
        ),
    ),
    TableSpec(
        name="ext_worker_team_history",
        prefix="wtmh",
        tier="extension",
        description="Which team a worker was in, over time.",
        columns=(
            _id("wtmh_team_history_id", "Row id.", required=True),
            _id("wtmh_professional_id", "The worker.", required=True),
            _id("wtmh_team_id", "The team.", required=True),
            _date("wtmh_start_date", "Date the worker joined the team.", required=True),
            _date("wtmh_end_date", "Last day the worker was in the team (empty while current)."),
        ),
        primary_key="wtmh_team_history_id",
        foreign_keys=(_worker("wtmh_professional_id"), _team("wtmh_team_id")),
        orderings=(Ordering("wtmh_start_date", "wtmh_end_date"),),
    ),
    TableSpec(
        name="ext_allocation_flags",
        prefix="invo",
        tier="extension",
        description="Says which involvements are the allocated, case-holding worker (SystemC IS_ALLOCATED_CW_FLAG); "
        "without it the config's allocated_worker_roles decide.",
        columns=(
            _id("invo_involvements_id", "Involvement (= ssd_involvements.invo_involvements_id).", required=True),
            _flag(
                "invo_is_allocated_case_holder", "The involvement is the allocated case-holding worker.", required=True
            ),
        ),
        primary_key="invo_involvements_id",
        foreign_keys=(ForeignKey("invo_involvements_id", "ssd_involvements", "invo_involvements_id"),),
    ),
    TableSpec(
        name="ext_strategy_discussions",
        prefix="stdi",
        tier="extension",
        description="Strategy discussions and meetings as records in their own right "
        "(the SSD sees only those that led to an S47 enquiry).",
        columns=(
            _id("stdi_id", "Strategy discussion id.", required=True),
            _id("stdi_person_id", "The child.", required=True),
            _id("stdi_referral_id", "Referral (CIN episode)."),
            _dt("stdi_date", "Date and time of the strategy discussion.", required=True),
            _str("stdi_outcome", "Outcome (S47 / no S47)."),
            _id("stdi_s47_enquiry_id", "S47 enquiry that followed, if any."),
        ),
        primary_key="stdi_id",
        foreign_keys=(
            _person("stdi_person_id"),
            _referral("stdi_referral_id"),
            ForeignKey("stdi_s47_enquiry_id", "ssd_s47_enquiry", "s47e_s47_enquiry_id"),
        ),
    ),
    TableSpec(
        name="ext_core_groups",
        prefix="cgrp",
        tier="extension",
        description="Core group meetings held under a child protection plan.",
        columns=(
            _id("cgrp_id", "Core group meeting id.", required=True),
            _id("cgrp_person_id", "The child (derived from the plan when absent).", required=True),
            _id("cgrp_cp_plan_id", "Child protection plan."),
            _date("cgrp_meeting_date", "Date of the meeting.", required=True),
            _flag("cgrp_cancelled", "The meeting was cancelled."),
        ),
        primary_key="cgrp_id",
        foreign_keys=(_person("cgrp_person_id"), ForeignKey("cgrp_cp_plan_id", "ssd_cp_plans", "cppl_cp_plan_id")),
        orderings=(Ordering("ssd_cp_plans.cppl_cp_plan_start_date", "cgrp_meeting_date"),),
        derivations=(
            Derivation("cgrp_person_id", "cgrp_cp_plan_id", "ssd_cp_plans", "cppl_cp_plan_id", "cppl_person_id"),
        ),
    ),
    TableSpec(
        name="ext_plan_documents",
        prefix="pldc",
        tier="extension",
        description="Versioned plan documents: CIN plan, CP plan, care plan, placement plan, pathway plan, PEP, "
        "health plan.",
        columns=(
            _id("pldc_id", "Plan document id.", required=True),
            _id("pldc_person_id", "The child.", required=True),
            _str("pldc_plan_type", "Kind of plan.", required=True),
            _id("pldc_related_id", "Record the plan belongs to (CP plan, period of care or placement id)."),
            _date("pldc_created_date", "Date the document was created.", required=True),
            _date("pldc_authorised_date", "Date the document was authorised."),
            _date("pldc_start_date", "Date the plan takes effect."),
            _date("pldc_end_date", "Date the plan ends.", future=True),
        ),
        primary_key="pldc_id",
        foreign_keys=(_person("pldc_person_id"),),
        orderings=(
            Ordering("pldc_created_date", "pldc_authorised_date"),
            Ordering("pldc_start_date", "pldc_end_date"),
        ),
    ),
    TableSpec(
        name="ext_plan_reviews",
        prefix="plrv",
        tier="extension",
        description="Reviews the SSD lacks: CIN plan, PEP, pathway plan and placement plan reviews.",
        columns=(
            _id("plrv_id", "Review id.", required=True),
            _id("plrv_person_id", "The child.", required=True),
            _str("plrv_plan_type", "Kind of plan reviewed.", required=True),
            _id("plrv_plan_id", "Plan reviewed."),
            _date("plrv_due_date", "Date the review was due.", future=True),
            _date("plrv_review_date", "Date the review was held (empty if not yet held)."),
            _flag("plrv_cancelled", "The review was cancelled."),
        ),
        primary_key="plrv_id",
        foreign_keys=(_person("plrv_person_id"),),
    ),
    TableSpec(
        name="ext_return_interviews",
        prefix="rhi",
        tier="extension",
        description="Return home interviews after a missing episode, with the times they were offered and held.",
        columns=(
            _id("rhi_id", "Return interview id.", required=True),
            _id("rhi_missing_id", "Missing episode (= ssd_missing.miss_table_id)."),
            _id("rhi_person_id", "The child (derived from the missing episode when absent).", required=True),
            _dt("rhi_offered_datetime", "Date and time the interview was offered."),
            _dt("rhi_completed_datetime", "Date and time the interview took place."),
            _flag("rhi_accepted", "The child accepted the interview."),
        ),
        primary_key="rhi_id",
        foreign_keys=(_person("rhi_person_id"), ForeignKey("rhi_missing_id", "ssd_missing", "miss_table_id")),
        orderings=(
            Ordering("rhi_offered_datetime", "rhi_completed_datetime"),
            Ordering("ssd_missing.miss_missing_episode_end_date", "rhi_offered_datetime"),
            Ordering("ssd_missing.miss_missing_episode_end_date", "rhi_completed_datetime"),
        ),
        derivations=(Derivation("rhi_person_id", "rhi_missing_id", "ssd_missing", "miss_table_id", "miss_person_id"),),
    ),
    TableSpec(
        name="ext_contact_decisions",
        prefix="cdec",
        tier="extension",
        description="Front-door decisions on contacts, with the time of the decision.",
        columns=(
            _id("cdec_contact_decision_id", "Decision id.", required=True),
            _id("cdec_contact_id", "Contact decided on (= ssd_contacts.cont_contact_id).", required=True),
            _id("cdec_person_id", "The child (derived from the contact when absent)."),
            _dt("cdec_decision_datetime", "Date and time of the decision.", required=True),
            _id("cdec_decision_worker_id", "Worker or manager who decided."),
            _str("cdec_outcome", "Decision outcome."),
        ),
        primary_key="cdec_contact_decision_id",
        foreign_keys=(
            ForeignKey("cdec_contact_id", "ssd_contacts", "cont_contact_id"),
            _person("cdec_person_id"),
            _worker("cdec_decision_worker_id"),
        ),
        orderings=(Ordering("ssd_contacts.cont_contact_date", "cdec_decision_datetime"),),
        derivations=(
            Derivation("cdec_person_id", "cdec_contact_id", "ssd_contacts", "cont_contact_id", "cont_person_id"),
        ),
    ),
    TableSpec(
        name="ext_case_documents",
        prefix="cdoc",
        tier="extension",
        description="Required case documents: chronology, genogram, ecomap, safety plan.",
        columns=(
            _id("cdoc_id", "Document id.", required=True),
            _id("cdoc_person_id", "The child.", required=True),
            _str("cdoc_type", "Kind of document.", required=True),
            _date("cdoc_created_date", "Date the document was created."),
            _date("cdoc_last_updated_date", "Date the document was last updated."),
        ),
        primary_key="cdoc_id",
        foreign_keys=(_person("cdoc_person_id"),),
        orderings=(Ordering("cdoc_created_date", "cdoc_last_updated_date"),),
    ),
    TableSpec(
        name="ext_care_leaver_contacts",
        prefix="clct",
        tier="extension",
        description="Personal adviser contacts with care leavers (the SSD keeps only the latest).",
        columns=(
            _id("clct_id", "Contact id.", required=True),
            _id("clct_person_id", "The young person.", required=True),
            _date("clct_contact_date", "Date of the contact.", required=True),
            _id("clct_worker_id", "Personal adviser or worker."),
            _str("clct_contact_type", "Kind of contact."),
        ),
        primary_key="clct_id",
        foreign_keys=(_person("clct_person_id"), _worker("clct_worker_id")),
    ),
    TableSpec(
        name="ext_care_leaver_episodes",
        prefix="clep",
        tier="extension",
        description="Periods in which a young person is a care leaver the council supports (relevant or former "
        "relevant "
        "child): the SSD's ssd_care_leavers is a snapshot with no start or end, so standards that run over the "
        "care-leaving years (pathway plan reviews, personal adviser contact) need these dated episodes.",
        columns=(
            _id("clep_episode_id", "Episode id.", required=True),
            _id("clep_person_id", "The young person.", required=True),
            _str("clep_eligibility", "Relevant, former relevant, qualifying or a council's code."),
            _date(
                "clep_start_date",
                "Date the young person became a care leaver (left care, or turned 16).",
                required=True,
            ),
            _date("clep_end_date", "Date the council's support ended (empty while supported)."),
            _id("clep_personal_adviser_id", "Personal adviser."),
        ),
        primary_key="clep_episode_id",
        foreign_keys=(_person("clep_person_id"), _worker("clep_personal_adviser_id")),
        orderings=(Ordering("clep_start_date", "clep_end_date"), Ordering(_DOB, "clep_start_date")),
    ),
    TableSpec(
        name="ext_complaints",
        prefix="cmpl",
        tier="extension",
        description="Complaints about the service, with the dates standards time them by (received, acknowledged, "
        "responded).",
        columns=(
            _id("cmpl_complaint_id", "Complaint id.", required=True),
            _id("cmpl_person_id", "The child the complaint concerns, if any."),
            _id("cmpl_worker_id", "Worker responsible for responding."),
            _id("cmpl_team", "Team responsible for responding."),
            _str("cmpl_stage", "Stage of the complaints procedure (1, 2 or 3)."),
            _date("cmpl_received_date", "Date the complaint was received.", required=True),
            _date("cmpl_acknowledged_date", "Date the complaint was acknowledged."),
            _date("cmpl_response_date", "Date the response was sent."),
            _str("cmpl_outcome", "Outcome (upheld, partly upheld, not upheld, withdrawn)."),
        ),
        primary_key="cmpl_complaint_id",
        foreign_keys=(_person("cmpl_person_id"), _worker("cmpl_worker_id"), _team("cmpl_team")),
        orderings=(
            Ordering("cmpl_received_date", "cmpl_acknowledged_date"),
            Ordering("cmpl_received_date", "cmpl_response_date"),
        ),
    ),
    TableSpec(
        name="ext_escalations",
        prefix="escl",
        tier="extension",
        description="Escalations and practice alerts (an IRO's or a partner agency's challenge to a plan or "
        "decision) and "
        "the dates they were raised, responded to and resolved.",
        columns=(
            _id("escl_escalation_id", "Escalation id.", required=True),
            _id("escl_person_id", "The child the escalation concerns."),
            _str("escl_raised_by", "Who raised it (IRO, CP chair, partner agency, practitioner)."),
            _id("escl_raised_by_worker_id", "Worker who raised it, where a council worker did."),
            _id("escl_responsible_worker_id", "Manager or worker who must respond."),
            _str("escl_stage", "Stage of the escalation or dispute-resolution procedure."),
            _date("escl_raised_date", "Date the escalation was raised.", required=True),
            _date("escl_response_date", "Date of the written response."),
            _date("escl_resolved_date", "Date the escalation was resolved."),
            _str("escl_outcome", "Outcome."),
        ),
        primary_key="escl_escalation_id",
        foreign_keys=(
            _person("escl_person_id"),
            _worker("escl_raised_by_worker_id"),
            _worker("escl_responsible_worker_id"),
        ),
        orderings=(
            Ordering("escl_raised_date", "escl_response_date"),
            Ordering("escl_raised_date", "escl_resolved_date"),
        ),
    ),
    TableSpec(
        name="ext_staff_development",
        prefix="stdv",
        tier="extension",
        description="A worker's appraisals and observations of practice (the SSD holds no workforce development "
        "records).",
        columns=(
            _id("stdv_record_id", "Record id.", required=True),
            _id("stdv_professional_id", "The worker appraised or observed.", required=True),
            _str("stdv_event_type", "appraisal, practice_observation or another council type.", required=True),
            _date("stdv_event_date", "Date of the appraisal or observation.", required=True),
            _date("stdv_recorded_date", "Date it was recorded."),
            _id("stdv_reviewer_worker_id", "Manager or observer."),
        ),
        primary_key="stdv_record_id",
        foreign_keys=(_worker("stdv_professional_id"), _worker("stdv_reviewer_worker_id")),
        orderings=(Ordering("stdv_event_date", "stdv_recorded_date"),),
    ),
    TableSpec(
        name="ext_meetings",
        prefix="meet",
        tier="extension",
        description="Meetings about a child the SSD has no table for: placement planning meetings, child in need "
        "reviews, "
        "family group conferences, professionals' meetings.",
        columns=(
            _id("meet_meeting_id", "Meeting id.", required=True),
            _id("meet_person_id", "The child.", required=True),
            _id("meet_referral_id", "Referral (CIN episode)."),
            _str(
                "meet_meeting_type",
                "placement_planning, cin_review, family_group_conference, professionals or a council type.",
                required=True,
            ),
            _date("meet_meeting_date", "Date the meeting was held.", required=True),
            _date("meet_recorded_date", "Date the meeting's record was written up."),
            _id("meet_related_id", "Plan, placement or episode the meeting was about."),
            _id("meet_chair_worker_id", "Who chaired it."),
        ),
        primary_key="meet_meeting_id",
        foreign_keys=(_person("meet_person_id"), _referral("meet_referral_id"), _worker("meet_chair_worker_id")),
        orderings=(Ordering("meet_meeting_date", "meet_recorded_date"),),
    ),
    TableSpec(
        name="ext_exceptions",
        prefix="excp",
        tier="extension",
        description="Recorded reasons why a timescale was not met (e.g. child abroad, family declined); instances they "
        "cover are reported as 'exception', not as overdue.",
        columns=(
            _id("excp_exception_id", "Exception id.", required=True),
            _id("excp_person_id", "Subject the exception is about: a child's or a worker's id.", required=True),
            _id("excp_standard_id", "Standard the exception applies to.", required=True),
            _id("excp_episode_id", "Episode, plan or placement the exception is limited to, if any."),
            _date("excp_date_from", "First date the exception covers.", required=True, future=True),
            _date("excp_date_to", "Last date the exception covers (empty: open-ended).", future=True),
            _str("excp_reason", "Why the timescale could not be met.", required=True),
            _str("excp_recorded_by", "Who recorded the exception."),
        ),
        primary_key="excp_exception_id",
        foreign_keys=(),
        orderings=(Ordering("excp_date_from", "excp_date_to"),),
    ),
)

#: Every contract table by name, in documentation order: core, optional, extension.
TABLES: dict[str, TableSpec] = {t.name: t for t in (*_CORE, *_OPTIONAL, *_EXTENSION)}


def column_types() -> dict[str, dict[str, str]]:
    """Every contract table with the SQL type each of its columns is loaded as.

    What a query is compiled against when no data is at hand (the SQL written out for a council's warehouse), so
    that every standard takes its fullest form: dated attributes cut at the as-at date, hour rules timed.
    """
    return {t.name: {c.name: SQL_TYPES[c.type] for c in t.columns} for t in TABLES.values()}


def tables_in_tier(tier: Tier) -> list[TableSpec]:
    """The contract tables of one tier, in registry order."""
    return [t for t in TABLES.values() if t.tier == tier]


def load_order() -> list[str]:
    """Table names ordered so that every derivation's source table is loaded before the table it fills.

    Derivation sources never have derivations themselves (a contract test checks this), so two passes suffice.
    """
    plain = [name for name, spec in TABLES.items() if not spec.derivations]
    derived = [name for name, spec in TABLES.items() if spec.derivations]
    return plain + derived
