"""The contract registry is internally consistent and says what the SSD study and the design brief say."""

from __future__ import annotations

import pytest

from casewatch.data.contract import SQL_TYPES, TABLES, TableSpec, load_order
from casewatch.data.relations import via_key

ALL = list(TABLES.values())


def test_tiers_hold_the_expected_tables() -> None:
    core = {t.name for t in ALL if t.tier == "core"}
    optional = {t.name for t in ALL if t.tier == "optional"}
    extension = {t.name for t in ALL if t.tier == "extension"}
    assert len(core) == 19
    assert optional == {
        "ssd_contacts",
        "ssd_early_help_episodes",
        "ssd_missing",
        "ssd_care_leavers",
        "ssd_permanence",
        "ssd_legal_status",
        "ssd_sdq_scores",
        "ssd_cla_immunisations",
        "ssd_immigration_status",
        "ssd_disability",
        "ssd_family",
        "ssd_assessment_factors",
        "ssd_pre_proceedings",
        "ssd_voice_of_child",
    }
    assert extension == {
        "ext_casenotes",
        "ext_supervision",
        "ext_management_oversight",
        "ext_worker_profile",
        "ext_worker_team_history",
        "ext_allocation_flags",
        "ext_strategy_discussions",
        "ext_core_groups",
        "ext_plan_documents",
        "ext_plan_reviews",
        "ext_return_interviews",
        "ext_contact_decisions",
        "ext_case_documents",
        "ext_care_leaver_contacts",
        "ext_care_leaver_episodes",
        "ext_complaints",
        "ext_escalations",
        "ext_staff_development",
        "ext_meetings",
        "ext_exceptions",
    }


@pytest.mark.parametrize("spec", ALL, ids=lambda s: s.name)
def test_columns_carry_the_table_prefix_and_a_known_type(spec: TableSpec) -> None:
    names = spec.column_names
    assert len(names) == len(set(names))
    for col in spec.columns:
        assert col.name.startswith(spec.prefix + "_"), col.name
        assert col.type in SQL_TYPES
        assert col.description.strip()


@pytest.mark.parametrize("spec", ALL, ids=lambda s: s.name)
def test_primary_key_is_a_required_string_column(spec: TableSpec) -> None:
    assert spec.primary_key is not None
    pk = spec.column(spec.primary_key)
    assert pk.required and pk.type == "string"


@pytest.mark.parametrize("spec", ALL, ids=lambda s: s.name)
def test_references_point_at_real_columns(spec: TableSpec) -> None:
    for fk in spec.foreign_keys:
        spec.column(fk.column)
        TABLES[fk.ref_table].column(fk.ref_column)


@pytest.mark.parametrize("spec", ALL, ids=lambda s: s.name)
def test_orderings_compare_dates_and_cross_table_ones_go_through_a_primary_key(spec: TableSpec) -> None:
    for order in spec.orderings:
        assert spec.column(order.later).type in ("date", "datetime")
        if "." in order.earlier:
            table, column = order.earlier.split(".")
            assert TABLES[table].column(column).type in ("date", "datetime")
            assert via_key(spec, order).ref_column == TABLES[table].primary_key
        else:
            assert spec.column(order.earlier).type in ("date", "datetime")


@pytest.mark.parametrize("spec", ALL, ids=lambda s: s.name)
def test_aliases_are_unique_and_never_shadow_a_contract_name(spec: TableSpec) -> None:
    aliases = [a.lower() for c in spec.columns for a in c.aliases]
    assert len(aliases) == len(set(aliases))
    assert not set(aliases) & set(spec.column_names)


def test_derivations_read_tables_that_have_none_themselves_and_load_first() -> None:
    order = load_order()
    for spec in ALL:
        for d in spec.derivations:
            spec.column(d.column)
            spec.column(d.via)
            source = TABLES[d.source_table]
            source.column(d.source_key)
            source.column(d.source_value)
            assert not source.derivations
            assert order.index(d.source_table) < order.index(spec.name)


def test_time_of_day_is_kept_only_where_a_rule_needs_it() -> None:
    datetimes = {(t.name, c.name) for t in ALL for c in t.columns if c.type == "datetime"}
    assert datetimes == {
        ("ssd_contacts", "cont_contact_date"),
        ("ssd_missing", "miss_missing_episode_start_date"),
        ("ssd_missing", "miss_missing_episode_end_date"),
        ("ext_contact_decisions", "cdec_decision_datetime"),
        ("ext_return_interviews", "rhi_offered_datetime"),
        ("ext_return_interviews", "rhi_completed_datetime"),
        ("ext_strategy_discussions", "stdi_date"),
    }


def test_ids_are_strings_and_date_columns_are_dates() -> None:
    for spec in ALL:
        for col in spec.columns:
            if col.name.endswith("_id"):
                assert col.type == "string", col.name
            if col.name.endswith("_date") and col.type != "datetime":
                assert col.type == "date", col.name


def test_core_required_columns_follow_the_ssd_study() -> None:
    assert TABLES["ssd_cp_visits"].required_columns == (
        "cppv_cp_visit_id",
        "cppv_person_id",
        "cppv_cp_visit_date",
    )
    assert TABLES["ssd_involvements"].required_columns == (
        "invo_involvements_id",
        "invo_person_id",
        "invo_professional_id",
        "invo_professional_role_id",
        "invo_involvement_start_date",
    )
    # Deliberate departures: an open assessment has no authorisation date, an unborn child no date of birth.
    assert not TABLES["ssd_cin_assessments"].column("cina_assessment_auth_date").required
    assert not TABLES["ssd_person"].column("pers_dob").required


def test_exceptions_table_has_the_agreed_columns() -> None:
    spec = TABLES["ext_exceptions"]
    assert spec.column_names == (
        "excp_exception_id",
        "excp_person_id",
        "excp_standard_id",
        "excp_episode_id",
        "excp_date_from",
        "excp_date_to",
        "excp_reason",
        "excp_recorded_by",
    )
    assert spec.primary_key == "excp_exception_id"
    assert not spec.foreign_keys  # the subject may be a worker, so no reference to ssd_person
