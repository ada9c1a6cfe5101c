"""The workforce tables, written once per council after every chunk of children.

``ssd_professionals`` holds current attributes only (as the SSD does), including the caseload counted on
the last 30 September before the extract; ``ext_worker_profile`` and ``ext_worker_team_history`` add the
qualification, ASYE and team history the SSD lacks; ``ext_supervision`` gets one row per supervision
session a worker had (no child: the worker's own supervision), next to the case supervision rows on
children's files that the chunks wrote; ``ext_staff_development`` their appraisals and observations.
"""

from __future__ import annotations

import numpy as np

from casewatch.synth.context import Context
from casewatch.synth.days import Ints
from casewatch.synth.ids import Numbering, format_ids
from casewatch.synth.tables.common import ids_or_null, team_ids
from casewatch.synth.tables.staff_development import staff_development
from casewatch.synth.timing import recording_lag
from casewatch.synth.workforce import Workforce
from casewatch.synth.writer import Frame, flag, text

SWE_REGISTER_OPENED = np.datetime64("2019-12-02")


def _workers_shown(ctx: Context, wf: Workforce, referenced: set[int]) -> Ints:
    sp = wf.spells
    active = (sp.start <= ctx.as_at) & (sp.end >= ctx.history_start)
    numbers = set(np.unique(sp.worker[active]).tolist()) | referenced
    # A worker's line manager is shown too (and theirs), so the profile's reference always resolves.
    while True:
        managers = wf.workers.line_manager[np.array(sorted(numbers), dtype=np.int64) - 1]
        more = set(managers[managers > 0].tolist()) - numbers
        if not more:
            return np.array(sorted(numbers), dtype=np.int64)
        numbers |= more


def workforce_tables(
    ctx: Context, wf: Workforce, referenced: set[int], caseload: Ints, numbering: Numbering
) -> dict[str, Frame]:
    rng = ctx.rng
    teams = wf.teams
    sp = wf.spells
    w = wf.workers
    shown = _workers_shown(ctx, wf, referenced)
    idx = shown - 1
    ids = format_ids("worker", shown)
    # Current (or last) team of each worker, from their latest spell that started by the extract date.
    current_team = np.zeros(len(w.number) + 1, dtype=np.int64)
    for i in np.argsort(sp.start, kind="stable"):
        if sp.start[i] <= ctx.as_at:
            current_team[sp.worker[i]] = sp.team[i]
    team_no = current_team[shown]
    name_of_team = dict(zip(teams.id.tolist(), teams.name.tolist(), strict=True))
    registered = w.role[idx] != "PA"
    department: Frame = {
        "dept_team_id": team_ids(teams.id),
        "dept_team_name": teams.name,
        "dept_team_parent_id": team_ids(teams.parent),
        "dept_team_parent_name": text(np.array([name_of_team.get(int(p), "") for p in teams.parent], dtype=str)),
    }
    professionals: Frame = {
        "prof_professional_id": ids,
        "prof_staff_id": format_ids("staff", shown),
        "prof_professional_name": np.char.add("Synthetic Worker ", shown.astype(str)),
        "prof_social_worker_registration_no": text(
            np.char.add("SW", np.char.zfill((900_000 + shown).astype(str), 6)), registered
        ),
        "prof_professional_job_title": w.job_title[idx],
        "prof_professional_department": text(np.array([name_of_team.get(int(t), "") for t in team_no], dtype=str)),
        "prof_full_time_equivalency": w.fte[idx],
        "prof_agency_worker_flag": flag(w.agency[idx]),
        "prof_professional_caseload": caseload[shown],
    }
    # Social Work England has registered social workers since 2 December 2019 (HCPC did before).
    swe_from = np.maximum(w.qualified[idx], SWE_REGISTER_OPENED)
    swe_from = np.where(np.isnat(w.qualified[idx]) | (swe_from > ctx.as_at), np.datetime64("NaT"), swe_from)
    profile: Frame = {
        "wprf_professional_id": ids,
        "wprf_role_category": w.role[idx],
        "wprf_swe_registered_from": swe_from,
        "wprf_qualified_date": w.qualified[idx],
        "wprf_asye_start_date": w.asye_start[idx],
        "wprf_asye_end_date": w.asye_end[idx],
        "wprf_agency_flag": flag(w.agency[idx]),
        "wprf_line_manager_id": ids_or_null("worker", w.line_manager[idx]),
    }
    show = np.isin(sp.worker, shown) & (sp.start <= ctx.as_at)
    h = np.flatnonzero(show)
    h = h[np.lexsort((sp.start[h], sp.worker[h]))]
    history: Frame = {
        "wtmh_team_history_id": ids_or_null("team_history", numbering.take("team_history", len(h))),
        "wtmh_professional_id": format_ids("worker", sp.worker[h]),
        "wtmh_team_id": team_ids(sp.team[h]),
        "wtmh_start_date": sp.start[h],
        "wtmh_end_date": np.where(sp.end[h] >= ctx.as_at, np.datetime64("NaT"), sp.end[h]),
    }
    sup = wf.supervision
    recorded = ctx.wd.add(sup.date, recording_lag(rng, len(sup.date), ctx.punctuality))
    s = np.flatnonzero((sup.date >= ctx.history_start) & (recorded <= ctx.as_at))
    sessions: Frame = {
        "supv_supervision_id": ids_or_null("supervision", numbering.take("supervision", len(s))),
        "supv_worker_id": format_ids("worker", sup.worker[s]),
        "supv_supervisor_worker_id": ids_or_null("worker", sup.supervisor[s]),
        "supv_supervision_date": sup.date[s],
        "supv_recorded_date": recorded[s],
        "supv_type": np.where(rng.random(len(s)) < 0.9, "Individual", "Reflective"),
    }
    return {
        "ssd_department": department,
        "ssd_professionals": professionals,
        "ext_worker_profile": profile,
        "ext_worker_team_history": history,
        "ext_supervision/SESSION": sessions,
        "ext_staff_development": staff_development(ctx, wf, shown, numbering),
    }
