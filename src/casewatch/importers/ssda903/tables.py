"""903 header, reviews, missing, OC3 and adoption files → their SSD tables.

Reviews carry no period of care in the 903, but ``ssd_cla_reviews`` needs one (``clar_cla_id``): a review is
linked to the child's period of care that contains its date, and a review outside every period is reported and
not imported, since no standard could time it. The 903 records only reviews that were held, so every imported
review is marked not cancelled, and its due date is left empty (the 903 does not hold it).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from casewatch.formats.cin_census import ETHNICITY
from casewatch.formats.ssda903 import (
    FLAG_CODES,
    MISSING_TYPES,
    PLACED_FOR_ADOPTION,
    REVIEW_CODES,
    SEX_CODES,
    SUITABILITY,
)

from .episodes import Period, Row
from .records import InputRow, Values


def _child(row: InputRow, values: Values, what: str) -> str | None:
    child = values.text(row, "CHILD")
    values.need(row, "CHILD", child)
    if child is None:
        values.skip(row, "CHILD", None, f"no child id; {what} not imported")
    return child


def people(rows: list[InputRow], values: Values) -> dict[str, Row]:
    """One ``ssd_person`` row per child in the header file(s); a repeated child keeps the later row."""
    found: dict[str, Row] = {}
    for row in rows:
        child = _child(row, values, "child")
        if child is None:
            continue
        sex_code = values.text(row, "SEX")
        sex = SEX_CODES.get(sex_code.upper()) if sex_code else None
        if sex_code and sex is None:
            values.problem(row, "SEX", sex_code, "unknown sex code (1, 2, M, F or U); left empty", error=False)
        person: Row = {
            "pers_person_id": child,
            "pers_dob": values.date(row, "DOB"),
            "pers_sex": sex,
            "pers_ethnicity": values.code(row, "ETHNIC", ETHNICITY, what="ethnicity"),
            "pers_upn": values.text(row, "UPN"),
            "pers_is_mother": values.flag(row, "MOTHER", FLAG_CODES),
        }
        if child in found:
            values.problem(row, "CHILD", child, "child already in the header; this later row replaced it", error=False)
            values.report.rows_skipped[row.input_name] += 1
        found[child] = person
    return found


def reviews(rows: list[InputRow], periods: dict[str, list[Period]], values: Values) -> list[Row]:
    out: list[Row] = []
    seen: set[tuple[str, date]] = set()
    for row in rows:
        child = _child(row, values, "review")
        if child is None:
            continue
        held = values.date(row, "REVIEW", required=True)
        values.need(row, "REVIEW", held)
        if held is None:
            if values.blank(row, "REVIEW"):
                values.skip(row, "REVIEW", None, "no review date; review not imported")
            else:
                values.report.rows_skipped[row.input_name] += 1
            continue
        period = _period_at(periods.get(child, []), held)
        if period is None:
            values.skip(
                row,
                "REVIEW",
                row.raw("REVIEW"),
                "no period of care of this child in the episodes covers this date; review not imported",
            )
            continue
        if (child, held) in seen:
            values.skip(
                row, "REVIEW", row.raw("REVIEW"), "the same child's review on the same date is already imported"
            )
            continue
        seen.add((child, held))
        out.append(
            {
                "clar_cla_review_id": f"903-{child}-{held.isoformat()}-review",
                "clar_cla_person_id": child,
                "clar_cla_id": period.id,
                "clar_cla_review_date": held,
                "clar_cla_review_cancelled": False,
                "clar_cla_review_participation": values.code(
                    row, "REVIEW_CODE", REVIEW_CODES, what="participation code"
                ),
            }
        )
    return out


def _period_at(periods: list[Period], day: date) -> Period | None:
    return next((p for p in periods if p.contains(day)), None)


def missing(rows: list[InputRow], values: Values) -> list[Row]:
    out: list[Row] = []
    used: defaultdict[str, int] = defaultdict(int)
    for row in rows:
        child = _child(row, values, "missing episode")
        if child is None:
            continue
        start = values.date(row, "MIS_START", required=True)
        values.need(row, "MIS_START", start)
        if start is None:
            if values.blank(row, "MIS_START"):
                values.skip(row, "MIS_START", None, "no start date; missing episode not imported")
            else:
                values.report.rows_skipped[row.input_name] += 1
            continue
        end = values.date(row, "MIS_END")
        if end is not None and end < start:
            values.skip(row, "MIS_END", row.raw("MIS_END"), "ends before it starts; missing episode not imported")
            continue
        code = values.code(row, "MISSING", frozenset(MISSING_TYPES), what="missing type (M or A)")
        key = f"903-{child}-{start.isoformat()}-missing"
        used[key] += 1
        out.append(
            {
                "miss_table_id": key if used[key] == 1 else f"{key}-{used[key]}",
                "miss_person_id": child,
                "miss_missing_episode_start_date": start,
                "miss_missing_episode_type": MISSING_TYPES.get(code, code) if code else None,
                "miss_missing_episode_end_date": end,
            }
        )
    return out


def care_leavers(rows: list[InputRow], values: Values) -> list[Row]:
    """OC3: whether the LA is in touch, the young person's activity and accommodation (and its suitability)."""
    found: dict[str, Row] = {}
    for row in rows:
        child = _child(row, values, "care leaver row")
        if child is None:
            continue
        accommodation = values.code(row, "ACCOM")
        suitable = None
        if accommodation and len(accommodation) == 2:
            suitable = SUITABILITY.get(accommodation[1])
        if child in found:
            values.problem(
                row, "CHILD", child, "young person already in the OC3 data; this row replaced it", error=False
            )
            values.report.rows_skipped[row.input_name] += 1
        found[child] = {
            "clea_table_id": f"903-{child}-care-leaver",
            "clea_person_id": child,
            "clea_care_leaver_in_touch": values.code(row, "IN_TOUCH"),
            "clea_care_leaver_activity": values.code(row, "ACTIV"),
            "clea_care_leaver_accommodation": accommodation,
            "clea_care_leaver_accom_suitable": suitable,
        }
    return list(found.values())


def permanence(
    ad1: list[InputRow], placed: list[InputRow], periods: dict[str, list[Period]], values: Values
) -> list[Row]:
    """One row per decision that a child should be placed for adoption, with AD1's match and adopters on it.

    The decision date is the placed-for-adoption file's DATE_PLACED (or AD1's DATE_INT when only AD1 has it);
    the date the child was actually placed comes from the episodes (the first A3-A6 placement on or after it).
    """
    rows: dict[tuple[str, date | None], Row] = {}
    for row in placed:
        child = _child(row, values, "adoption decision")
        if child is None:
            continue
        decided = values.date(row, "DATE_PLACED")
        rows[(child, decided)] = {
            "perm_person_id": child,
            "perm_adm_decision_date": decided,
            "perm_decision_reversed_date": values.date(row, "DATE_PLACED_CEASED"),
            "perm_decision_reversed_reason": values.code(row, "REASON_PLACED_CEASED"),
        }
    for row in ad1:
        child = _child(row, values, "adoption")
        if child is None:
            continue
        decided = values.date(row, "DATE_INT")
        target = rows.get((child, decided))
        if target is None:
            latest = [key for key in rows if key[0] == child]
            target = rows[max(latest, key=lambda k: k[1] or date.min)] if latest else None
        if target is None:
            target = rows[(child, decided)] = {"perm_person_id": child, "perm_adm_decision_date": decided}
        target.update(
            {
                "perm_matched_date": values.date(row, "DATE_MATCH"),
                "perm_adopted_by_carer_flag": values.flag(row, "FOSTER_CARE", FLAG_CODES),
                "perm_number_of_adopters": values.integer(row, "NB_ADOPTR"),
                "perm_adopter_sex": values.code(row, "SEX_ADOPTR"),
                "perm_adopter_legal_status": values.code(row, "LS_ADOPTR"),
            }
        )
    out: list[Row] = []
    for (child, decided), perm in rows.items():
        suffix = decided.isoformat() if decided else "undated"
        perm["perm_table_id"] = f"903-{child}-{suffix}-adoption"
        child_periods = periods.get(child, [])
        period = _period_at(child_periods, decided) if decided else None
        perm["perm_cla_id"] = period.id if period else None
        perm["perm_placed_for_adoption_date"] = _placed_on(child_periods, decided)
        out.append(perm)
    return out


def _placed_on(periods: list[Period], decided: date | None) -> date | None:
    for period in periods:
        for episode in period.episodes:
            if episode.place in PLACED_FOR_ADOPTION and (decided is None or episode.start >= decided):
                return episode.start
    return None
