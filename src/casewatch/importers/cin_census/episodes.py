"""One ``CINdetails`` (an episode of need) and everything recorded under it.

Ids are synthetic but stable: built from the child's LAchildID and the record's own date
(``CIN-<LAchildID>-<referral date>``, ``ASM-…-<start>``, ``S47-…``, ``ICPC-…``, ``CPP-…``, ``CPR-…-<plan start>-
<review date>``), with ``-2``, ``-3`` for a second record of the same kind on the same day. The same record
therefore keeps its id in next year's census, whatever else changes around it.

Each record links to its referral (``*_referral_id``). A conference links to the S47 enquiry that holds it and
to the plan of the same episode that started on the conference date (the census records no explicit link;
DfE rule 2885 expects the plan to start on the conference date), and that plan links back to it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from casewatch.formats import cin_census as codes

from .nodes import Node, Row, Walker, record
from .values import parse_code, parse_date, parse_flag


@dataclass
class _Plan:
    row: Row
    reviews: list[Row] = field(default_factory=list)


def map_episode(walker: Walker, child_id: str, node: Node) -> None:
    """Write the referral of one ``CINdetails`` and its assessments, CIN plans, enquiries, conferences, plans."""
    context = walker.context
    fields = walker.fields(node)
    referral_date = walker.value(fields, "CINreferralDate", parse_date)
    row = record(
        cine_person_id=child_id,
        cine_referral_date=referral_date,
        cine_referral_source_code=walker.value(
            fields, "ReferralSource", lambda t: parse_code(t, codes.REFERRAL_SOURCE)
        ),
        cine_cin_primary_need_code=walker.value(fields, "PrimaryNeedCode", lambda t: parse_code(t, codes.PRIMARY_NEED)),
        cine_close_date=walker.value(fields, "CINclosureDate", parse_date),
        cine_close_reason=walker.value(fields, "ReasonForClosure", lambda t: parse_code(t, codes.REASON_FOR_CLOSURE)),
        cine_referral_nfa=walker.value(fields, "ReferralNFA", parse_flag),
    )
    referral_id: str | None = None
    context.need("CINreferralDate", referral_date)
    if referral_date is None:
        context.problem(
            node,
            None,
            "no usable CINreferralDate, so this referral was not imported; its assessments, plans and enquiries "
            "were imported without a referral link",
        )
        context.report.rows_skipped["CINdetails"] += 1
    else:
        referral_id = context.unique_id(f"CIN-{child_id}-{referral_date}")
        context.emit("ssd_cin_episodes", {"cine_referral_id": referral_id, **row})
        context.used["CINdetails"] += 1
    links = record(person=child_id, referral=referral_id)
    for assessment in fields.get("Assessments", []):
        _assessment(walker, links, assessment)
    for plan in fields.get("CINPlanDates", []):
        _cin_plan(walker, links, plan)
    plans = [p for p in (_cp_plan(walker, links, n) for n in fields.get("ChildProtectionPlans", [])) if p]
    conferences = [c for n in fields.get("Section47", []) if (c := _section47(walker, links, n)) is not None]
    episode_icpc = walker.value(fields, "DateOfInitialCPC", parse_date)
    if episode_icpc is not None and all(c["icpc_icpc_date"] != episode_icpc for c in conferences):
        # A conference with no S47 in this episode (e.g. a child transferred in under a plan elsewhere).
        conferences.append(_conference(walker, links, episode_icpc, None, None))
    _link(conferences, plans)
    for conference in conferences:
        context.emit("ssd_initial_cp_conference", conference)
    for plan_record in plans:
        context.emit("ssd_cp_plans", plan_record.row)
        context.used["ChildProtectionPlans"] += 1
        for review in plan_record.reviews:
            context.emit("ssd_cp_reviews", review)
            context.used["CPPreviewDate"] += 1


def _assessment(walker: Walker, links: Row, node: Node) -> None:
    context = walker.context
    fields = walker.fields(node)
    start = walker.value(fields, "AssessmentActualStartDate", parse_date)
    authorised = walker.value(fields, "AssessmentAuthorisationDate", parse_date)
    factor_nodes = list(fields.get("AssessmentFactors", []))
    wrapper = walker.first(fields, "FactorsIdentifiedAtAssessment")
    if wrapper is not None:
        factor_nodes.extend(walker.fields(wrapper).get("AssessmentFactors", []))
    context.need("AssessmentActualStartDate", start)
    if start is None:
        context.skipped(
            node, "no usable AssessmentActualStartDate, so this assessment and its factors were not imported"
        )
        return
    assessment_id = context.unique_id(f"ASM-{links['person']}-{start}")
    row = record(
        cina_assessment_id=assessment_id,
        cina_person_id=links["person"],
        cina_referral_id=links.get("referral"),
        cina_assessment_start_date=start,
        cina_assessment_auth_date=authorised,
    )
    context.emit("ssd_cin_assessments", row)
    context.used["Assessments"] += 1
    factors: list[str] = []
    for factor in factor_nodes:
        code = walker.leaf(factor)
        if code is None:
            context.skipped(factor, "empty <AssessmentFactors>; nothing to import")
            continue
        factors.append(code)
        context.used["AssessmentFactors"] += 1
    if factors:
        context.emit(
            "ssd_assessment_factors",
            {"cinf_table_id": assessment_id, "cinf_assessment_id": assessment_id,
             "cinf_assessment_factors_json": json.dumps(factors, separators=(",", ":"))},
        )  # fmt: skip


def _cin_plan(walker: Walker, links: Row, node: Node) -> None:
    context = walker.context
    fields = walker.fields(node)
    start = walker.value(fields, "CINPlanStartDate", parse_date)
    end = walker.value(fields, "CINPlanEndDate", parse_date)
    context.need("CINPlanStartDate", start)
    if start is None:
        context.skipped(node, "no usable CINPlanStartDate, so this CIN plan was not imported")
        return
    row = record(
        cinp_cin_plan_id=context.unique_id(f"CINP-{links['person']}-{start}"),
        cinp_person_id=links["person"],
        cinp_referral_id=links.get("referral"),
        cinp_cin_plan_start_date=start,
        cinp_cin_plan_end_date=end,
    )
    context.emit("ssd_cin_plans", row)
    context.used["CINPlanDates"] += 1


def _section47(walker: Walker, links: Row, node: Node) -> Row | None:
    """Write the enquiry; return its conference row (not yet written: it still needs its plan link)."""
    context = walker.context
    fields = walker.fields(node)
    start = walker.value(fields, "S47ActualStartDate", parse_date)
    target = walker.value(fields, "InitialCPCtarget", parse_date)
    held = walker.value(fields, "DateOfInitialCPC", parse_date)
    not_required = walker.value(fields, "ICPCnotRequired", parse_flag)
    if held is not None and not_required == "Y":
        context.problem(node, "1", "ICPCnotRequired is 1 but a conference date is recorded; the conference was kept",
                        "warning")  # fmt: skip
    enquiry_id: str | None = None
    context.need("S47ActualStartDate", start)
    if start is None:
        kept = f" (its conference on {held} was)" if held else ""
        context.skipped(node, f"no usable S47ActualStartDate, so this enquiry was not imported{kept}")
    else:
        enquiry_id = context.unique_id(f"S47-{links['person']}-{start}")
        row = record(
            s47e_s47_enquiry_id=enquiry_id,
            s47e_person_id=links["person"],
            s47e_referral_id=links.get("referral"),
            s47e_s47_start_date=start,
            s47e_cp_conference_flag=_conference_needed(held, not_required),
        )
        context.emit("ssd_s47_enquiry", row)
        context.used["Section47"] += 1
    if held is None:
        if target is not None:
            context.not_imported["InitialCPCtarget"] += 1
        return None
    return _conference(walker, links, held, target, enquiry_id)


def _conference_needed(held: str | None, not_required: str | None) -> str | None:
    """The SSD's CP_CONFERENCE_FLAG: a conference held or not ruled out means one was needed."""
    if held is not None:
        return "Y"
    if not_required is None:
        return None
    return "N" if not_required == "Y" else "Y"


def _conference(walker: Walker, links: Row, held: str, target: str | None, enquiry_id: str | None) -> Row:
    return record(
        icpc_icpc_id=walker.context.unique_id(f"ICPC-{links['person']}-{held}"),
        icpc_person_id=links["person"],
        icpc_s47_enquiry_id=enquiry_id,
        icpc_referral_id=links.get("referral"),
        icpc_icpc_target_date=target,
        icpc_icpc_date=held,
    )


def _cp_plan(walker: Walker, links: Row, node: Node) -> _Plan | None:
    context = walker.context
    fields = walker.fields(node)
    start = walker.value(fields, "CPPstartDate", parse_date)
    row = record(
        cppl_person_id=links["person"],
        cppl_referral_id=links.get("referral"),
        cppl_cp_plan_start_date=start,
        cppl_cp_plan_end_date=walker.value(fields, "CPPendDate", parse_date),
        cppl_cp_plan_initial_category=walker.value(
            fields, "InitialCategoryOfAbuse", lambda t: parse_code(t, codes.CATEGORY_OF_ABUSE)
        ),
        cppl_cp_plan_latest_category=walker.value(
            fields, "LatestCategoryOfAbuse", lambda t: parse_code(t, codes.CATEGORY_OF_ABUSE)
        ),
    )
    reviews_node = walker.first(fields, "Reviews")
    review_nodes = walker.fields(reviews_node).get("CPPreviewDate", []) if reviews_node else []
    context.need("CPPstartDate", start)
    if start is None:
        context.skipped(node, "no usable CPPstartDate, so this plan and its reviews were not imported")
        return None
    plan_id = context.unique_id(f"CPP-{links['person']}-{start}")
    plan = _Plan({"cppl_cp_plan_id": plan_id, **row})
    for review in review_nodes:
        held = walker.leaf(review, parse_date)
        if held is None:
            if not review.text:
                context.skipped(review, "empty <CPPreviewDate>; nothing to import")
            else:
                context.count_skipped(review.element)
            continue
        plan.reviews.append(
            record(
                cppr_cp_review_id=context.unique_id(f"CPR-{links['person']}-{start}-{held}"),
                cppr_person_id=links["person"],
                cppr_cp_plan_id=plan_id,
                cppr_cp_review_date=held,
            )
        )
    return plan


def _link(conferences: list[Row], plans: list[_Plan]) -> None:
    """Pair each conference with an unpaired plan of the episode that starts on the conference date."""
    for conference in conferences:
        for plan in plans:
            if "cppl_icpc_id" not in plan.row and plan.row["cppl_cp_plan_start_date"] == conference["icpc_icpc_date"]:
                plan.row["cppl_icpc_id"] = conference["icpc_icpc_id"]
                conference["icpc_cp_plan_id"] = plan.row["cppl_cp_plan_id"]
                conference["icpc_icpc_outcome_cp_flag"] = "Y"
                break
