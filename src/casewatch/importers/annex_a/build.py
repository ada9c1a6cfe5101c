"""Turning parsed Annex A rows into SSD-shaped rows: one builder per list, plus the shared person and staff rows.

Annex A has no record ids, so every id here is synthetic and derived only from the child's id and the row's own
dates (``AA-L7-<child>-<plan start>``): re-importing the same file gives the same ids. Lists 6-9 hold one row
per child with the *latest* visit and review dates; each becomes a single visit or review row — a snapshot of
the latest event, not a history (the report says so).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from casewatch.data.vocabulary import fold
from casewatch.importers.report import not_a_code

from .output import Row, Tables
from .record import Record
from .text import clean_text

ALLOCATED_ROLE = "SW"  # one of casewatch's default allocated-worker roles
_SEX = {
    "male": "M",
    "m": "M",
    "1": "M",
    "female": "F",
    "f": "F",
    "2": "F",
    "not stated/recorded": "U",
    "not stated": "U",
    "not recorded": "U",
    "unknown": "U",
    "u": "U",
    "0": "U",
    "9": "U",
    "neither": "U",
    "indeterminate": "U",
}


def _id(rec: Record, suffix: str | None = None) -> str:
    base = f"AA-L{rec.annex.number}-{rec.text('child_id')}"
    return f"{base}-{suffix}" if suffix else base


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "nodate"


class Builder:
    """Adds each list's rows to :class:`Tables`; holds the cross-list lookups (periods of care by child)."""

    def __init__(self, tables: Tables) -> None:
        self.t = tables
        self.care_periods: dict[tuple[str, date], str] = {}  # (child, date entered care) -> clae_cla_id
        self._builders: dict[int, Callable[[Record], None]] = {
            1: self.contact,
            2: self.early_help,
            3: self.referral,
            4: self.assessment,
            5: self.s47,
            6: self.child_in_need,
            7: self.child_protection,
            8: self.looked_after,
            9: self.care_leaver,
            10: self.adoption,
        }

    def build(self, rec: Record) -> bool:
        """Add one row; False when its list has no SSD table (List 11, adopters)."""
        builder = self._builders.get(rec.annex.number)
        if builder is None:
            return False
        self.person(rec)
        builder(rec)
        return True

    def _add(self, table: str, row: Row, rec: Record, mode: str = "merge") -> str:
        return self.t.add(table, row, rec.where, rec.conflict, "unique" if mode == "unique" else "merge")

    # --- shared rows ----------------------------------------------------------------------------------------

    def person(self, rec: Record) -> None:
        child = rec.text("child_id")
        dob = rec.day("dob")
        age = rec.values.get("age")
        # An age below zero is the template's way of saying "not yet born": the date is the expected birth.
        expected = dob if isinstance(age, int | float) and not isinstance(age, bool) and age < 0 else None
        gender = rec.text("gender")
        sex = _SEX.get(fold(gender).lower()) if gender else None
        if gender and sex is None:
            reason = not_a_code("the sexes (Male, Female, Not stated/recorded; M, F, U)")
            rec.warn("gender", f"{reason} (pers_gender; pers_sex left empty)", gender)
        row: Row = {
            "pers_person_id": child,
            "pers_dob": None if expected else dob,
            "pers_expected_dob": expected,
            "pers_sex": sex,
            "pers_gender": sex or gender,
            "pers_ethnicity": rec.text("ethnicity"),
        }
        self._add("ssd_person", row, rec)
        if rec.flag("disability"):
            self._add("ssd_disability", {"disa_table_id": f"AA-DIS-{child}", "disa_person_id": child}, rec)

    def team(self, rec: Record, key: str = "team") -> str | None:
        name = rec.text(key)
        if name is None:
            return None
        team = clean_text(name)
        self._add("ssd_department", {"dept_team_id": team, "dept_team_name": team}, rec)
        return team

    def worker(self, rec: Record, team: str | None, key: str = "worker") -> str | None:
        name = rec.text(key)
        if name is None:
            return None
        worker = clean_text(name)
        row: Row = {"prof_professional_id": worker, "prof_professional_name": worker}
        if team:
            row["prof_professional_department"] = team
        self._add("ssd_professionals", row, rec)
        return worker

    def allocation(self, rec: Record, episode: str, start: date | None, end: date | None) -> None:
        """The allocated worker of a per-child list as an involvement spanning the episode (its dates are a proxy)."""
        team = self.team(rec)
        worker = self.worker(rec, team)
        if worker is None or start is None:
            return
        row: Row = {
            "invo_involvements_id": f"{episode}-INV",
            "invo_person_id": rec.text("child_id"),
            "invo_professional_id": worker,
            "invo_professional_role_id": ALLOCATED_ROLE,
            "invo_professional_team": team,
            "invo_involvement_start_date": start,
            "invo_involvement_end_date": end,
        }
        self._add("ssd_involvements", row, rec)

    # --- one builder per list -------------------------------------------------------------------------------

    def contact(self, rec: Record) -> None:
        row: Row = {
            "cont_contact_id": _id(rec, _iso(rec.day("date"))),
            "cont_person_id": rec.text("child_id"),
            "cont_contact_date": rec.day("date"),
            "cont_contact_source_code": rec.text("source"),
            "cont_contact_source_desc": rec.descriptions.get("source"),
        }
        self._add("ssd_contacts", row, rec, "unique")

    def early_help(self, rec: Record) -> None:
        row: Row = {
            "earl_episode_id": _id(rec, _iso(rec.day("start"))),
            "earl_person_id": rec.text("child_id"),
            "earl_episode_start_date": rec.day("start"),
            "earl_episode_end_date": rec.day("end"),
            "earl_episode_organisation": rec.text("organisation"),
        }
        self._add("ssd_early_help_episodes", row, rec, "unique")

    def referral(self, rec: Record) -> None:
        team = self.team(rec)
        row: Row = {
            "cine_referral_id": f"AA-REF-{rec.text('child_id')}-{_iso(rec.day('date'))}",
            "cine_person_id": rec.text("child_id"),
            "cine_referral_date": rec.day("date"),
            "cine_referral_nfa": rec.flag("nfa"),
            "cine_referral_source_code": rec.text("source"),
            "cine_referral_source_desc": rec.descriptions.get("source"),
            "cine_referral_team": team,
            "cine_referral_worker_id": self.worker(rec, team),
        }
        self._add("ssd_cin_episodes", row, rec, "unique")

    def assessment(self, rec: Record) -> None:
        team = self.team(rec)
        needs = rec.flag("needs_support")
        row: Row = {
            "cina_assessment_id": _id(rec, _iso(rec.day("start"))),
            "cina_person_id": rec.text("child_id"),
            "cina_assessment_start_date": rec.day("start"),
            "cina_assessment_auth_date": rec.day("auth"),
            "cina_assessment_child_seen": rec.flag("seen"),
            "cina_assessment_outcome_nfa": None if needs is None else not needs,
            "cina_assessment_team": team,
            "cina_assessment_worker_id": self.worker(rec, team),
        }
        self._add("ssd_cin_assessments", row, rec, "unique")

    def link_referrals(self) -> None:
        """Link each assessment and S47 enquiry to the child's referral it followed.

        Annex A lists them separately with no referral id, yet the assessment timescale runs from the referral:
        the link is the child's latest referral dated on or before the assessment or enquiry start.
        """
        referrals: dict[str, list[tuple[date, str]]] = {}
        for row in self.t.rows.get("ssd_cin_episodes", {}).values():
            day, child = row.get("cine_referral_date"), row.get("cine_person_id")
            if isinstance(day, date) and isinstance(child, str):
                referrals.setdefault(child, []).append((day, str(row["cine_referral_id"])))
        for found in referrals.values():
            found.sort()

        def preceding(child: object, start: object) -> str | None:
            if not isinstance(child, str) or not isinstance(start, date):
                return None
            earlier = [ref for day, ref in referrals.get(child, []) if day <= start]
            return earlier[-1] if earlier else None

        for row in self.t.rows.get("ssd_cin_assessments", {}).values():
            row["cina_referral_id"] = preceding(row.get("cina_person_id"), row.get("cina_assessment_start_date"))
        enquiries = self.t.rows.get("ssd_s47_enquiry", {})
        for row in enquiries.values():
            row["s47e_referral_id"] = preceding(row.get("s47e_person_id"), row.get("s47e_s47_start_date"))
        for row in self.t.rows.get("ssd_initial_cp_conference", {}).values():
            enquiry = enquiries.get(str(row.get("icpc_s47_enquiry_id")))
            row["icpc_referral_id"] = None if enquiry is None else enquiry.get("s47e_referral_id")

    def s47(self, rec: Record) -> None:
        team = self.team(rec)
        unnecessary = rec.flag("icpc_unnecessary")
        enquiry = self._add(
            "ssd_s47_enquiry",
            {
                "s47e_s47_enquiry_id": _id(rec, _iso(rec.day("start"))),
                "s47e_person_id": rec.text("child_id"),
                "s47e_s47_start_date": rec.day("start"),
                "s47e_cp_conference_flag": None if unnecessary is None else not unnecessary,
                "s47e_s47_completed_by_team": team,
                "s47e_s47_completed_by_worker_id": self.worker(rec, team),
            },
            rec,
            "unique",
        )
        icpc_date = rec.day("icpc_date")
        if icpc_date is not None:
            row: Row = {
                "icpc_icpc_id": f"{enquiry}-ICPC",
                "icpc_person_id": rec.text("child_id"),
                "icpc_s47_enquiry_id": enquiry,
                "icpc_icpc_date": icpc_date,
                "icpc_icpc_outcome_cp_flag": rec.flag("icpc_cp"),
            }
            self._add("ssd_initial_cp_conference", row, rec)

    def child_in_need(self, rec: Record) -> None:
        child, start, end = rec.text("child_id"), rec.day("start"), rec.day("end")
        episode = self._add(
            "ssd_cin_episodes",
            {
                "cine_referral_id": f"AA-REF-{child}-{_iso(start)}",
                "cine_person_id": child,
                "cine_referral_date": start,
                "cine_close_date": end,
                "cine_close_reason": rec.text("close_reason"),
                "cine_cin_primary_need_code": rec.text("need"),
            },
            rec,
        )
        plan: str | None = None
        if _is_cin_plan(rec.text("status")):
            team = self.team(rec)
            plan = self._add(
                "ssd_cin_plans",
                {
                    "cinp_cin_plan_id": _id(rec, _iso(start)),
                    "cinp_person_id": child,
                    "cinp_referral_id": episode,
                    "cinp_cin_plan_start_date": start,
                    "cinp_cin_plan_end_date": end,
                    "cinp_cin_plan_team": team,
                    "cinp_cin_plan_worker_id": self.worker(rec, team),
                },
                rec,
            )
        self.allocation(rec, _id(rec, _iso(start)), start, end)
        seen = rec.day("last_seen")
        if seen is not None:
            row: Row = {
                "cinv_cin_visit_id": _id(rec, f"{_iso(start)}-SEEN-{seen.isoformat()}"),
                "cinv_person_id": child,
                "cinv_cin_plan_id": plan,
                "cinv_cin_visit_date": seen,
                "cinv_cin_visit_seen": True,
            }
            self._add("ssd_cin_visits", row, rec)

    def child_protection(self, rec: Record) -> None:
        child, start, end = rec.text("child_id"), rec.day("start"), rec.day("end")
        plan = self._add(
            "ssd_cp_plans",
            {
                "cppl_cp_plan_id": _id(rec, _iso(start)),
                "cppl_person_id": child,
                "cppl_cp_plan_start_date": start,
                "cppl_cp_plan_end_date": end,
                "cppl_cp_plan_initial_category": rec.text("initial_category"),
                "cppl_cp_plan_latest_category": rec.text("latest_category"),
            },
            rec,
        )
        self.allocation(rec, plan, start, end)
        visit = rec.day("last_visit")
        if visit is not None:
            row: Row = {
                "cppv_cp_visit_id": f"{plan}-VISIT-{visit.isoformat()}",
                "cppv_person_id": child,
                "cppv_cp_plan_id": plan,
                "cppv_cp_visit_date": visit,
                "cppv_cp_visit_seen": True,
                "cppv_cp_visit_seen_alone": rec.flag("seen_alone"),
            }
            self._add("ssd_cp_visits", row, rec)
        review = rec.day("latest_review")
        if review is not None:
            row = {
                "cppr_cp_review_id": f"{plan}-REVIEW-{review.isoformat()}",
                "cppr_person_id": child,
                "cppr_cp_plan_id": plan,
                "cppr_cp_review_date": review,
            }
            self._add("ssd_cp_reviews", row, rec)

    def looked_after(self, rec: Record) -> None:
        child, start, end = rec.text("child_id"), rec.day("start"), rec.day("end")
        period = _id(rec, _iso(start))
        if child is not None and start is not None:
            self.care_periods[(child, start)] = period
        placement_start = rec.day("placement_start")
        placement = f"{period}-PL-{placement_start.isoformat()}" if placement_start else None
        self._add(
            "ssd_cla_episodes",
            {
                "clae_cla_episode_id": f"{period}-EP",
                "clae_person_id": child,
                "clae_cla_id": period,
                "clae_cla_episode_start_date": start,
                "clae_cla_episode_ceased_date": end,
                "clae_cla_episode_ceased_reason": rec.text("end_reason"),
                "clae_entered_care_date": start,
                "clae_cla_placement_id": placement,
                "clae_cla_primary_need_code": rec.text("need"),
                "clae_cla_last_iro_contact_date": rec.day("last_iro"),
            },
            rec,
        )
        if placement is not None:
            row: Row = {
                "clap_cla_placement_id": placement,
                "clap_cla_id": period,
                "clap_person_id": child,
                "clap_cla_placement_start_date": placement_start,
                "clap_cla_placement_end_date": end,
                "clap_cla_placement_type": rec.text("placement_type"),
                "clap_cla_placement_provider": rec.text("placement_provider"),
                "clap_cla_placement_urn": rec.text("placement_urn"),
                "clap_cla_placement_postcode": rec.text("placement_postcode"),
            }
            self._add("ssd_cla_placement", row, rec)
        self._care_events(rec, child, period)
        self.allocation(rec, period, start, end)

    def _care_events(self, rec: Record, child: str | None, period: str) -> None:
        legal_start = rec.day("legal_start")
        if legal_start is not None:
            legal: Row = {
                "lega_legal_status_id": f"{period}-LS-{legal_start.isoformat()}",
                "lega_person_id": child,
                "lega_legal_status": rec.text("legal_status"),
                "lega_legal_status_start_date": legal_start,
                "lega_legal_status_end_date": rec.day("end"),
            }
            self._add("ssd_legal_status", legal, rec)
        if (review := rec.day("latest_review")) is not None:
            row: Row = {
                "clar_cla_review_id": f"{period}-REVIEW-{review.isoformat()}",
                "clar_cla_person_id": child,
                "clar_cla_id": period,
                "clar_cla_review_date": review,
            }
            self._add("ssd_cla_reviews", row, rec)
        if (visit := rec.day("last_visit")) is not None:
            row = {
                "clav_cla_visit_id": f"{period}-VISIT-{visit.isoformat()}",
                "clav_person_id": child,
                "clav_cla_id": period,
                "clav_cla_visit_date": visit,
                "clav_cla_visit_seen": True,
            }
            self._add("ssd_cla_visits", row, rec)
        for key, kind in (("health", "Health Assessment"), ("dental", "Dental Check")):
            if (day := rec.day(key)) is not None:
                row = {
                    "clah_health_check_id": f"{period}-{key.upper()}-{day.isoformat()}",
                    "clah_person_id": child,
                    "clah_health_check_type": kind,
                    "clah_health_check_date": day,
                    "clah_health_check_status": "Completed",
                }
                self._add("ssd_cla_health", row, rec)
        if rec.flag("uasc"):
            row = {
                "immi_immigration_status_id": f"{period}-UASC",
                "immi_person_id": child,
                "immi_immigration_status": "UASC",
            }
            self._add("ssd_immigration_status", row, rec)

    def care_leaver(self, rec: Record) -> None:
        team = self.team(rec)
        worker = self.worker(rec, team)
        adviser = self.worker(rec, None, "adviser")
        row: Row = {
            "clea_table_id": _id(rec),
            "clea_person_id": rec.text("child_id"),
            "clea_care_leaver_eligibility": rec.text("eligibility"),
            "clea_care_leaver_in_touch": rec.text("in_touch"),
            "clea_care_leaver_latest_contact": rec.day("latest_contact"),
            "clea_care_leaver_accommodation": rec.text("accommodation"),
            "clea_care_leaver_accom_suitable": rec.text("suitable"),
            "clea_care_leaver_activity": rec.text("activity"),
            "clea_pathway_plan_review_date": rec.day("pathway_review"),
            "clea_care_leaver_personal_advisor": adviser,
            "clea_care_leaver_allocated_team": team,
            "clea_care_leaver_worker_id": worker,
        }
        self._add("ssd_care_leavers", row, rec)

    def adoption(self, rec: Record) -> None:
        child, entered = rec.text("child_id"), rec.day("entered_care")
        period = self.care_periods.get((child, entered)) if child and entered else None
        if entered is not None and period is None:
            rec.warn("entered_care", "no List 8 period of care starts on this date; perm_cla_id left empty", entered)
        order = rec.day("adoption_order")
        row: Row = {
            "perm_table_id": _id(rec),
            "perm_person_id": child,
            "perm_cla_id": period,
            "perm_adm_decision_date": rec.day("decision"),
            "perm_placement_order_date": rec.day("placement_order"),
            "perm_matched_date": rec.day("matched"),
            "perm_placed_for_adoption_date": rec.day("placed"),
            "perm_placed_ffa_cp_date": rec.day("ffa"),
            "perm_decision_reversed_date": rec.day("reversed"),
            "perm_decision_reversed_reason": rec.text("reversed_reason"),
            "perm_permanence_order_date": order,
            "perm_permanence_order_type": "Adoption" if order else None,
        }
        self._add("ssd_permanence", row, rec)


def _is_cin_plan(status: str | None) -> bool:
    """Whether List 6's case status says a child in need plan (CLA > CP > CIN plan > open assessment)."""
    if status is None:
        return False
    words = status.lower()
    return ("cin" in words or "child in need" in words or "need plan" in words) and "cla" not in words
