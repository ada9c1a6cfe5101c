"""Helpers the case-file audit tests import: a small invented council whose every sample can be worked out by
hand (no real person's data).

As at 30 October 2026 (``AS_AT``):

| child | stage on the date            | worker | team | notes                                                  |
| ----- | ---------------------------- | ------ | ---- | ------------------------------------------------------ |
| C1    | CP (plan open since January) | W1     | T1   |                                                        |
| C2    | CP                           | W1     | T1   |                                                        |
| C3    | CIN (CIN plan open)          | W2     | T1   |                                                        |
| C4    | CIN (open referral only)     | W2     | T1   |                                                        |
| C5    | CLA (care episode open)      | W3     | T2   |                                                        |
| C6    | CIN                          | W3     | T2   | CP plan ended 10 October 2026, CIN plan since          |
| C7    | none: closed 15 October 2026 | (W3)   | (T2) | held by W3 in T2 up to and including its closure day   |
| C8    | none: closed 1 June 2026     | (W3)   | (T2) |                                                        |
| C9    | CP                           | W3     | T2   |                                                        |

Workers: W1 and W2 in team T1, line manager M1 (also T1); W3 in team T2, line manager M2 (T2); A1, an auditor
in team T3; A2, an auditor in team T2.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

AS_AT = date(2026, 10, 30)

REFERRALS = [
    ("R1", "C1", "2025-12-01", ""),
    ("R2", "C2", "2025-12-01", ""),
    ("R3", "C3", "2026-02-01", ""),
    ("R4", "C4", "2026-09-01", ""),
    ("R5", "C5", "2025-06-01", ""),
    ("R6", "C6", "2025-11-01", ""),
    ("R7", "C7", "2026-03-01", "2026-10-15"),
    ("R8", "C8", "2026-01-01", "2026-06-01"),
    ("R9", "C9", "2026-04-01", ""),
]
CP_PLANS = [
    ("P1", "C1", "2026-01-01", ""),
    ("P2", "C2", "2026-01-15", ""),
    ("P6", "C6", "2026-01-01", "2026-10-10"),
    ("P9", "C9", "2026-05-01", ""),
]
CIN_PLANS = [("N3", "C3", "2026-03-01", ""), ("N6", "C6", "2026-10-11", "")]
CARE = [("E5", "C5", "L5", "2025-07-01", "")]
ALLOCATIONS = [
    ("I1", "C1", "W1", "T1", "2025-12-01", ""),
    ("I2", "C2", "W1", "T1", "2025-12-01", ""),
    ("I3", "C3", "W2", "T1", "2026-02-01", ""),
    ("I4", "C4", "W2", "T1", "2026-09-01", ""),
    ("I5", "C5", "W3", "T2", "2025-06-01", ""),
    ("I6", "C6", "W3", "T2", "2025-11-01", ""),
    ("I7", "C7", "W3", "T2", "2026-03-01", "2026-10-15"),
    ("I8", "C8", "W3", "T2", "2026-01-01", "2026-06-01"),
    ("I9", "C9", "W3", "T2", "2026-04-01", ""),
]
WORKERS = [  # worker, own team, line manager
    ("W1", "T1", "M1"),
    ("W2", "T1", "M1"),
    ("M1", "T1", ""),
    ("W3", "T2", "M2"),
    ("M2", "T2", ""),
    ("A1", "T3", ""),
    ("A2", "T2", ""),
]


def write_council(folder: Path, *, reverse: bool = False) -> Path:
    """Write the council's CSV files into ``folder``; ``reverse`` writes every table's rows in reverse order."""
    folder.mkdir(parents=True, exist_ok=True)

    def table(name: str, header: str, rows: list[tuple[str, ...]]) -> None:
        ordered = list(reversed(rows)) if reverse else rows
        lines = [header, *(",".join(r) for r in ordered)]
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    people = sorted({r[1] for r in REFERRALS})
    table("ssd_person", "pers_person_id,pers_dob", [(p, "2015-01-01") for p in people])
    table("ssd_cin_episodes", "cine_referral_id,cine_person_id,cine_referral_date,cine_close_date", REFERRALS)
    table("ssd_cp_plans", "cppl_cp_plan_id,cppl_person_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date", CP_PLANS)
    table("ssd_cin_plans", "cinp_cin_plan_id,cinp_person_id,cinp_cin_plan_start_date,cinp_cin_plan_end_date", CIN_PLANS)
    table(
        "ssd_cla_episodes",
        "clae_cla_episode_id,clae_person_id,clae_cla_id,clae_cla_episode_start_date,clae_cla_episode_ceased_date",
        CARE,
    )
    table(
        "ssd_involvements",
        "invo_involvements_id,invo_person_id,invo_professional_id,invo_professional_team,"
        "invo_involvement_start_date,invo_involvement_end_date,invo_professional_role_id",
        [(*a, "SW") for a in ALLOCATIONS],
    )
    table(
        "ssd_professionals",
        "prof_professional_id,prof_professional_name",
        [(w, f"Invented {w}") for w, _, _ in WORKERS],
    )
    table("ssd_department", "dept_team_id,dept_team_name", [(t, f"Team {t}") for t in ("T1", "T2", "T3")])
    table(
        "ext_worker_profile",
        "wprf_professional_id,wprf_line_manager_id",
        [(w, m) for w, _, m in WORKERS],
    )
    table(
        "ext_worker_team_history",
        "wtmh_team_history_id,wtmh_professional_id,wtmh_team_id,wtmh_start_date,wtmh_end_date",
        [(f"H{w}", w, t, "2024-01-01", "") for w, t, _ in WORKERS],
    )
    return folder
