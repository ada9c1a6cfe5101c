"""What an imported Annex A can and cannot support, said in the report so nobody mistakes a snapshot for history.

Lines depend on which lists were present: a standard about CP visits cannot be judged from a file without List 7.
"""

from __future__ import annotations

from collections.abc import Collection

_SUPPORTS: tuple[tuple[int, str], ...] = (
    (1, "contact volumes and sources over the list's window (List 1)"),
    (3, "referral volumes, sources and NFA rates; re-referral by matching child ids (List 3)"),
    (4, "assessment duration, start to authorisation, and open assessments' age as at the extract date (List 4)"),
    (
        4,
        "referral to authorised assessment within 45 working days, each assessment linked to the child's latest "
        "referral on or before its start (Lists 3 and 4); referrals before List 4's window are left out, not "
        "reported overdue (the windows in casewatch.yaml)",
    ),
    (5, "strategy discussion (S47 start) to initial child protection conference interval (List 5)"),
    (6, "is a CIN visit overdue as at the extract date, from the date the child was last seen (List 6)"),
    (7, "is the next CP visit or review conference overdue as at the extract date (List 7)"),
    (8, "is the next CLA visit, review or health/dental check overdue as at the extract date (List 8)"),
    (9, "is a care leaver's contact or pathway plan review overdue as at the extract date (List 9, 2024 columns)"),
    (10, "adoption intervals: entry to care, decision, placement order, match, placement, order (List 10)"),
)

_CANNOT: tuple[tuple[int, str], ...] = (
    (6, "CIN visit interval history: List 6 holds only the date the child was last seen (one snapshot row)"),
    (7, "CP visit interval history: List 7 holds only the latest statutory visit (one snapshot visit row per child)"),
    (7, "CP review history: List 7 holds only the latest review conference (one snapshot review row per child)"),
    (
        8,
        "CLA visit and review history, or a visit within a week of each placement move: List 8 holds only the "
        "latest visit, latest review and most recent placement (snapshot rows)",
    ),
    (8, "missing episodes and return interviews: List 8 gives 12-month counts only, not episodes (not imported)"),
    (8, "legal status history and care plan (permanence plan has no start date; not imported)"),
    (
        4,
        "the referral an assessment belongs to, as recorded: List 4 has no referral date, so the link is inferred "
        "(the child's latest referral on or before the assessment started)",
    ),
    (5, "strategy discussions other than the one initiating each S47 enquiry: List 5 holds only that one"),
    (
        3,
        "allocation history: team and worker are names as at the extract, used as ids; Annex A gives no "
        "allocation dates, so involvements span the episode (Lists 6-8)",
    ),
    (2, "early help episode end: List 2 gives the assessment completion date, loaded as the episode end"),
    (6, "CIN plan start: List 6 gives the start of the episode of need, loaded as the CIN plan start"),
    (7, "counts as supplied (previous CP plans, referrals/S47s/ICPCs in the last 12 months): no SSD column"),
)

_ALWAYS_CANNOT = (
    "recording lag, supervision, management oversight and case notes: Annex A has no such records",
    "dates and times: Annex A gives dates only; hour-based timescales fall back to calendar days",
)


def support_lines(lists_present: Collection[int]) -> tuple[list[str], list[str]]:
    """The ``supports`` and ``cannot_support`` lines for an import holding ``lists_present``."""
    supports = [text for number, text in _SUPPORTS if number in lists_present]
    cannot = [text for number, text in _CANNOT if number in lists_present]
    missing = sorted(set(range(1, 11)) - set(lists_present))
    if missing:
        cannot.append(f"anything from List(s) {', '.join(map(str, missing))}: not in this file")
    return supports, [*cannot, *_ALWAYS_CANNOT]
