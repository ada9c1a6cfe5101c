"""``write_annex_a``: SSD-shaped tables out as the Ofsted Annex A workbook a council sends at every inspection.

The writer follows Ofsted's list scopes as at ``as_at``: events in the six months before it (Lists 1-5), one row
per child for the latest episode open at ``as_at`` or ended in those six months (Lists 6-8), every care leaver
(List 9) and adoption activity in the twelve months before it (List 10). Headings are the 2019 template's (one
sheet per list, ``List_N``, title row above the headings); List 9 also carries the 2024 columns (personal
adviser, latest pathway plan review, latest contact) since without them care-leaver standards are unmeasurable.

What survives a round trip (export, then :func:`import_annex_a`), compared by child and date:

- children's date of birth, sex and ethnicity; disability as a yes/no flag (not its codes);
- Lists 1-5 in the window: each contact (date, source code), early help episode, referral (date, source code,
  NFA, team, worker), assessment (start, authorisation, child seen, team, worker), S47 (start, whether a
  conference was needed) and its initial conference (date, outcome);
- per child, the latest CIN episode (start, closure, reason, need code), CP plan (start, end, both
  categories) and period of care (start, end, reason, need code, last IRO contact, latest placement's start,
  type, provider, postcode and URN, current legal status and its start);
- the *latest* visit (CIN "last seen", CP statutory visit with seen-alone, CLA social work visit), the latest CP
  review conference and CLA review, the latest health assessment and dental check, as one row each;
- care leavers' eligibility, in-touch, accommodation, suitability, activity, latest contact, latest pathway
  plan review, personal adviser, team and worker; adoption decision, placement order, match, placement,
  adoption order and reversal dates.

What is lost: every record id (imports get synthetic ``AA-...`` ids; team and worker ids become their names);
all visits, reviews and health checks but the latest; earlier CP plans and periods of care and all but the
latest placement, episode and legal status; the links between assessments/S47s and their referrals; strategy
discussions other than the S47's start; missing episodes and return interviews (Annex A gives counts);
allocation dates (involvements are rebuilt to span the episode); times of day; everything in ``ext_*`` tables;
and anything outside the lists' windows. Numbers Ofsted asks for (previous plans, referrals in 12 months,
placements in 12 months, missing/absent counts) are computed on export but have no SSD column on import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from openpyxl import Workbook

from casewatch.data.load import CaseData
from casewatch.formats.annex_a import BY_NUMBER
from casewatch.results.attribution import case_holding, holder_on, open_referrals, worker_departments

from .source import Source, case_data, records

Rec = dict[str, Any]
_SEX_LABEL = {"M": "a) Male", "F": "b) Female"}


def write_annex_a(data_path: Source, out_path: Path, as_at: date) -> Path:
    """Write the case data at ``data_path`` (SSD folder or ``.duckdb``) as an Annex A workbook, as at ``as_at``."""
    with case_data(data_path, as_at) as data:
        tables = _Tables(data)
        book = Workbook()
        book.remove(book.active)  # type: ignore[arg-type]
        exporter = _Exporter(tables, as_at, data.config.allocated_worker_roles)
        for number, rows in exporter.lists():
            annex = BY_NUMBER[number]
            sheet = book.create_sheet(f"List_{number}")
            sheet.append([f"List {number}: {annex.title}"])
            sheet.append([annex.field(key).heading for key in _COLUMNS[number]])
            for row in rows:
                sheet.append([row.get(key) for key in _COLUMNS[number]])
        out_path.parent.mkdir(parents=True, exist_ok=True)
        book.save(out_path)
    return out_path


_PERSON = ("child_id", "gender", "ethnicity", "dob", "age")
_COLUMNS: dict[int, tuple[str, ...]] = {
    1: (*_PERSON, "date", "source"),
    2: (*_PERSON, "start", "end", "organisation"),
    3: (*_PERSON, "date", "source", "nfa", "count_12m", "team", "worker"),
    4: (*_PERSON, "disability", "start", "seen", "auth", "needs_support", "team", "worker"),
    5: (
        *_PERSON,
        "disability",
        "start",
        "icpc_unnecessary",
        "icpc_date",
        "icpc_cp",
        "s47_count_12m",
        "icpc_count_12m",
        "team",
        "worker",
    ),
    6: (*_PERSON, "disability", "start", "need", "last_seen", "end", "close_reason", "status", "team", "worker"),
    7: (
        *_PERSON,
        "disability",
        "start",
        "initial_category",
        "latest_category",
        "last_visit",
        "seen_alone",
        "latest_review",
        "end",
        "epo",
        "previous_plans",
        "team",
        "worker",
    ),
    8: (
        *_PERSON,
        "disability",
        "uasc",
        "start",
        "need",
        "second_period",
        "legal_start",
        "legal_status",
        "latest_review",
        "last_visit",
        "permanence_plan",
        "last_iro",
        "health",
        "dental",
        "placements_12m",
        "end",
        "end_reason",
        "placement_start",
        "placement_type",
        "placement_provider",
        "placement_postcode",
        "placement_urn",
        "placement_location",
        "placement_la",
        "missing_12m",
        "absent_12m",
        "rhi_offered",
        "rhi_accepted",
        "team",
        "worker",
    ),
    9: (
        *_PERSON,
        "uasc",
        "disability",
        "team",
        "worker",
        "adviser",
        "eligibility",
        "pathway_review",
        "in_touch",
        "latest_contact",
        "accommodation",
        "suitable",
        "activity",
    ),
    10: (
        "child_id",
        "family_id",
        "gender",
        "ethnicity",
        "dob",
        "age",
        "disability",
        "entered_care",
        "decision",
        "placement_order",
        "matched",
        "placed",
        "adoption_order",
        "reversed",
        "reversed_reason",
        "ffa",
    ),
}


class _Tables:
    """The loaded tables as lists of dicts: an Annex A covers one council's open cases, which fit in memory."""

    def __init__(self, data: CaseData) -> None:
        self._data = data
        self._cache: dict[str, list[Rec]] = {}
        self._groups: dict[tuple[str, str], dict[Any, list[Rec]]] = {}

    def __call__(self, table: str) -> list[Rec]:
        if table not in self._cache:
            self._cache[table] = records(self._data, table)
        return self._cache[table]

    def by(self, table: str, column: str) -> dict[Any, list[Rec]]:
        """Rows of ``table`` grouped by ``column`` (computed once)."""
        if (table, column) not in self._groups:
            grouped: dict[Any, list[Rec]] = defaultdict(list)
            for row in self(table):
                grouped[row[column]].append(row)
            self._groups[(table, column)] = dict(grouped)
        return self._groups[(table, column)]


def _day(value: Any) -> date | None:
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value  # type: ignore[no-any-return]


def _req(value: Any) -> date:
    """A date from a column the contract requires (never null once loaded)."""
    day = _day(value)
    if day is None:
        raise ValueError("a required date is missing")
    return day


def _yes(flag: bool | None) -> str | None:
    return None if flag is None else ("a) Yes" if flag else "b) No")


def _coded(code: Any, desc: Any) -> str | None:
    if code is None:
        return None
    return f"{code}: {desc}" if desc and str(desc) != str(code) else str(code)


def _latest(rows: Iterable[Rec], column: str, until: date) -> Rec | None:
    dated = [r for r in rows if _day(r[column]) is not None and _day(r[column]) <= until]  # type: ignore[operator]
    return max(dated, key=lambda r: _day(r[column])) if dated else None  # type: ignore[arg-type,return-value]


class _Exporter:
    """Builds each list's rows from the tables, as at ``as_at``."""

    def __init__(self, tables: _Tables, as_at: date, allocated_roles: Sequence[str]) -> None:
        self.t = tables
        self.as_at = as_at
        self.window = _months_before(as_at, 6)
        self.year = _months_before(as_at, 12)
        self.people = {p["pers_person_id"]: p for p in tables("ssd_person")}
        self.disabled = {d["disa_person_id"] for d in tables("ssd_disability")}
        self.teams = {d["dept_team_id"]: d["dept_team_name"] or d["dept_team_id"] for d in tables("ssd_department")}
        self.workers = {
            p["prof_professional_id"]: p["prof_professional_name"] or p["prof_professional_id"]
            for p in tables("ssd_professionals")
        }
        dated = [
            {**row, **{c: _day(row.get(c)) for c in ("invo_involvement_start_date", "invo_involvement_end_date")}}
            for row in tables("ssd_involvements")
        ]
        self.allocations = case_holding(dated, allocated_roles)
        self.open_referrals = open_referrals(
            {**row, **{c: _day(row.get(c)) for c in ("cine_referral_date", "cine_close_date")}}
            for row in tables("ssd_cin_episodes")
        )
        self.departments = worker_departments(tables("ssd_professionals"))

    def in_window(self, value: Any) -> bool:
        day = _day(value)
        return day is not None and self.window < day <= self.as_at

    def until(self, value: Any) -> date | None:
        """A date as the extract would show it: empty when it falls after ``as_at``."""
        day = _day(value)
        return day if day is not None and day <= self.as_at else None

    def person(self, person_id: str, disability: bool = True) -> Rec:
        p = self.people.get(person_id, {})
        dob = _day(p.get("pers_dob"))
        age = None
        if dob is not None:
            age = self.as_at.year - dob.year - ((self.as_at.month, self.as_at.day) < (dob.month, dob.day))
        row: Rec = {
            "child_id": person_id,
            "gender": _SEX_LABEL.get(p.get("pers_sex") or "", "c) Not stated/recorded"),
            "ethnicity": p.get("pers_ethnicity"),
            "dob": dob,
            "age": age,
        }
        if disability:
            row["disability"] = _yes(person_id in self.disabled)
        return row

    def staff(self, team: Any, worker: Any) -> Rec:
        return {
            "team": self.teams.get(team, team) if team else None,
            "worker": self.workers.get(worker, worker) if worker else None,
        }

    def allocated(self, person_id: str, on: date) -> Rec:
        """The child's allocated worker and team on a day, by the one attribution rule (``results.attribution``)."""
        held = holder_on(
            self.allocations.get(person_id, []), on, self.departments, self.open_referrals.get(person_id, [])
        )
        return self.staff(held.team_id, held.worker_id)

    def lists(self) -> Iterable[tuple[int, Sequence[Rec]]]:
        yield 1, self.contacts()
        yield 2, self.early_help()
        yield 3, self.referrals()
        yield 4, self.assessments()
        yield 5, self.s47s()
        yield 6, self.children_in_need()
        yield 7, self.child_protection()
        yield 8, self.looked_after()
        yield 9, self.care_leavers()
        yield 10, self.adoption()

    # --- Lists 1-5: events in the window ---------------------------------------------------------------------

    def contacts(self) -> list[Rec]:
        rows = [c for c in self.t("ssd_contacts") if self.in_window(c["cont_contact_date"])]
        rows.sort(key=lambda c: (c["cont_person_id"], c["cont_contact_date"]))
        return [
            {
                **self.person(c["cont_person_id"], False),
                "date": _day(c["cont_contact_date"]),
                "source": _coded(c["cont_contact_source_code"], c["cont_contact_source_desc"]),
            }
            for c in rows
        ]

    def early_help(self) -> list[Rec]:
        rows = [
            e
            for e in self.t("ssd_early_help_episodes")
            if _req(e["earl_episode_start_date"]) <= self.as_at
            and (e["earl_episode_end_date"] is None or _req(e["earl_episode_end_date"]) > self.window)
        ]
        return [
            {
                **self.person(e["earl_person_id"], False),
                "start": _day(e["earl_episode_start_date"]),
                "end": self.until(e["earl_episode_end_date"]),
                "organisation": e["earl_episode_organisation"],
            }
            for e in rows
        ]

    def referrals(self) -> list[Rec]:
        by_child = self.t.by("ssd_cin_episodes", "cine_person_id")
        rows = sorted(
            (r for r in self.t("ssd_cin_episodes") if self.in_window(r["cine_referral_date"])),
            key=lambda r: (r["cine_person_id"], r["cine_referral_date"]),
        )
        out = []
        for r in rows:
            child = r["cine_person_id"]
            latest = max(
                _req(x["cine_referral_date"]) for x in by_child[child] if self.in_window(x["cine_referral_date"])
            )
            count = sum(
                1 for x in by_child[child] if _months_before(latest, 12) < _req(x["cine_referral_date"]) <= latest
            )
            out.append(
                {
                    **self.person(child, False),
                    "date": _day(r["cine_referral_date"]),
                    "source": _coded(r["cine_referral_source_code"], r["cine_referral_source_desc"]),
                    "nfa": _yes(r["cine_referral_nfa"]),
                    "count_12m": count,
                    **self.staff(r["cine_referral_team"], r["cine_referral_worker_id"]),
                }
            )
        return out

    def assessments(self) -> list[Rec]:
        def wanted(a: Rec) -> bool:
            start, auth = _day(a["cina_assessment_start_date"]), self.until(a["cina_assessment_auth_date"])
            return (
                start is not None
                and start <= self.as_at
                and (start > self.window or auth is None or auth > self.window)
            )

        rows = sorted(
            (a for a in self.t("ssd_cin_assessments") if wanted(a)),
            key=lambda a: (a["cina_person_id"], a["cina_assessment_start_date"]),
        )
        return [
            {
                **self.person(a["cina_person_id"]),
                "start": _day(a["cina_assessment_start_date"]),
                "seen": _yes(a["cina_assessment_child_seen"]),
                "auth": self.until(a["cina_assessment_auth_date"]),
                "needs_support": None
                if a["cina_assessment_outcome_nfa"] is None or self.until(a["cina_assessment_auth_date"]) is None
                else _yes(not a["cina_assessment_outcome_nfa"]),
                **self.staff(a["cina_assessment_team"], a["cina_assessment_worker_id"]),
            }
            for a in rows
        ]

    def s47s(self) -> list[Rec]:
        icpcs = self.t.by("ssd_initial_cp_conference", "icpc_s47_enquiry_id")
        by_child = self.t.by("ssd_s47_enquiry", "s47e_person_id")
        icpc_by_child = self.t.by("ssd_initial_cp_conference", "icpc_person_id")
        rows = sorted(
            (s for s in self.t("ssd_s47_enquiry") if self.in_window(s["s47e_s47_start_date"])),
            key=lambda s: (s["s47e_person_id"], s["s47e_s47_start_date"]),
        )
        out = []
        for s in rows:
            child = s["s47e_person_id"]
            icpc = _latest(icpcs.get(s["s47e_s47_enquiry_id"], []), "icpc_icpc_date", self.as_at)
            flag = s["s47e_cp_conference_flag"]
            out.append(
                {
                    **self.person(child),
                    "start": _day(s["s47e_s47_start_date"]),
                    "icpc_unnecessary": None if flag is None else _yes(not flag),
                    "icpc_date": _day(icpc["icpc_icpc_date"]) if icpc else None,
                    "icpc_cp": _yes(icpc["icpc_icpc_outcome_cp_flag"]) if icpc else None,
                    "s47_count_12m": sum(1 for x in by_child[child] if self._in_year(x["s47e_s47_start_date"])),
                    "icpc_count_12m": sum(
                        1 for x in icpc_by_child.get(child, []) if self._in_year(x["icpc_icpc_date"])
                    ),
                    **self.staff(s["s47e_s47_completed_by_team"], s["s47e_s47_completed_by_worker_id"]),
                }
            )
        return out

    def _in_year(self, value: Any) -> bool:
        day = _day(value)
        return day is not None and self.year < day <= self.as_at

    # --- Lists 6-8: one row per child, latest episode -------------------------------------------------------

    def _current(self, table: str, person: str, start: str, end: str) -> dict[str, Rec]:
        """Per child, the latest row started by ``as_at`` and open then or ended in the window."""
        latest: dict[str, Rec] = {}
        for r in self.t(table):
            s, e = _day(r[start]), _day(r[end])
            if s is None or s > self.as_at or (e is not None and e <= self.window):
                continue
            child = r[person]
            if child not in latest or _day(latest[child][start]) < s:  # type: ignore[operator]
                latest[child] = r
        return latest

    def _open_on(self, table: str, child: str, day: date) -> bool:
        """Whether the child had a row of ``table`` open on ``day`` (started by then, not yet ended)."""
        person, start, end = _SPANS[table]
        return any(
            _req(r[start]) <= day and (r[end] is None or _req(r[end]) > day)
            for r in self.t.by(table, person).get(child, [])
        )

    def _last_seen(self, child: str) -> date | None:
        days: list[date] = []
        for table, person, day, seen in (
            ("ssd_cin_visits", "cinv_person_id", "cinv_cin_visit_date", "cinv_cin_visit_seen"),
            ("ssd_cp_visits", "cppv_person_id", "cppv_cp_visit_date", "cppv_cp_visit_seen"),
            ("ssd_cla_visits", "clav_person_id", "clav_cla_visit_date", "clav_cla_visit_seen"),
        ):
            for v in self.t.by(table, person).get(child, []):
                d = self.until(v[day])
                if d is not None and v[seen] is not False:
                    days.append(d)
        return max(days) if days else None

    def children_in_need(self) -> list[Rec]:
        episodes = self._current("ssd_cin_episodes", "cine_person_id", "cine_referral_date", "cine_close_date")
        out = []
        for child, e in sorted(episodes.items()):
            closed = self.until(e["cine_close_date"])
            on = closed - timedelta(days=1) if closed else self.as_at
            out.append(
                {
                    **self.person(child),
                    "start": _day(e["cine_referral_date"]),
                    "need": e["cine_cin_primary_need_code"],
                    "last_seen": self._last_seen(child),
                    "end": closed,
                    "close_reason": e["cine_close_reason"] if closed else None,
                    "status": self._status(child, on),
                    **self.allocated(child, on),
                }
            )
        return out

    def _status(self, child: str, on: date) -> str:
        if self._open_on("ssd_cla_episodes", child, on):
            return "a) Looked after child"
        if self._open_on("ssd_cp_plans", child, on):
            return "b) Child protection plan"
        if self._open_on("ssd_cin_plans", child, on):
            return "c) Child in need plan"
        if self._open_on("ssd_cin_assessments", child, on):
            return "d) Open assessment"
        return "e) Other"

    def child_protection(self) -> list[Rec]:
        plans = self._current("ssd_cp_plans", "cppl_person_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date")
        visits = self.t.by("ssd_cp_visits", "cppv_cp_plan_id")
        reviews = self.t.by("ssd_cp_reviews", "cppr_cp_plan_id")
        all_plans = self.t.by("ssd_cp_plans", "cppl_person_id")
        out = []
        for child, p in sorted(plans.items()):
            start = _day(p["cppl_cp_plan_start_date"])
            seen = [v for v in visits.get(p["cppl_cp_plan_id"], []) if v["cppv_cp_visit_seen"] is not False]
            visit = _latest(seen, "cppv_cp_visit_date", self.as_at)
            review = _latest(reviews.get(p["cppl_cp_plan_id"], []), "cppr_cp_review_date", self.as_at)
            end = self.until(p["cppl_cp_plan_end_date"])
            out.append(
                {
                    **self.person(child),
                    "start": start,
                    "initial_category": p["cppl_cp_plan_initial_category"],
                    "latest_category": p["cppl_cp_plan_latest_category"],
                    "last_visit": _day(visit["cppv_cp_visit_date"]) if visit else None,
                    "seen_alone": _yes(visit["cppv_cp_visit_seen_alone"]) if visit else None,
                    "latest_review": _day(review["cppr_cp_review_date"]) if review else None,
                    "end": end,
                    "previous_plans": len(
                        [x for x in all_plans[child] if _req(x["cppl_cp_plan_start_date"]) < _req(start)]
                    ),
                    **self.allocated(child, end - timedelta(days=1) if end else self.as_at),
                }
            )
        return out

    def looked_after(self) -> list[Rec]:
        periods: dict[str, list[Rec]] = defaultdict(list)
        for e in self.t("ssd_cla_episodes"):
            if _day(e["clae_cla_episode_start_date"]) <= self.as_at:  # type: ignore[operator]
                periods[e["clae_cla_id"]].append(e)
        latest: dict[str, list[Rec]] = {}
        for episodes in periods.values():
            episodes.sort(key=lambda e: e["clae_cla_episode_start_date"])
            child, last = episodes[0]["clae_person_id"], episodes[-1]
            ceased = self.until(last["clae_cla_episode_ceased_date"])
            if ceased is not None and ceased <= self.window:
                continue
            if (
                child not in latest
                or latest[child][0]["clae_cla_episode_start_date"] < episodes[0]["clae_cla_episode_start_date"]
            ):
                latest[child] = episodes
        return [self._care_row(child, eps) for child, eps in sorted(latest.items())]

    def _care_row(self, child: str, episodes: list[Rec]) -> Rec:
        first, last = episodes[0], episodes[-1]
        period = first["clae_cla_id"]
        start = _day(first["clae_entered_care_date"]) or _day(first["clae_cla_episode_start_date"])
        ceased = self.until(last["clae_cla_episode_ceased_date"])
        placement = _latest(
            self.t.by("ssd_cla_placement", "clap_cla_id").get(period, []), "clap_cla_placement_start_date", self.as_at
        )
        legal = _latest(
            self.t.by("ssd_legal_status", "lega_person_id").get(child, []), "lega_legal_status_start_date", self.as_at
        )
        review = _latest(
            self.t.by("ssd_cla_reviews", "clar_cla_id").get(period, []), "clar_cla_review_date", self.as_at
        )
        seen = [
            v
            for v in self.t.by("ssd_cla_visits", "clav_cla_id").get(period, [])
            if v["clav_cla_visit_seen"] is not False
        ]
        visit = _latest(seen, "clav_cla_visit_date", self.as_at)
        checks = [
            h
            for h in self.t.by("ssd_cla_health", "clah_person_id").get(child, [])
            if (h["clah_health_check_status"] or "Completed") == "Completed"
        ]
        dental = _latest(
            [h for h in checks if "dental" in (h["clah_health_check_type"] or "").lower()],
            "clah_health_check_date",
            self.as_at,
        )
        health = _latest(
            [h for h in checks if "health" in (h["clah_health_check_type"] or "").lower()],
            "clah_health_check_date",
            self.as_at,
        )
        placements = self.t.by("ssd_cla_placement", "clap_person_id").get(child, [])
        uasc = any(
            "UASC" in (i["immi_immigration_status"] or "").upper()
            for i in self.t.by("ssd_immigration_status", "immi_person_id").get(child, [])
        )
        return {
            **self.person(child),
            "uasc": "Y" if uasc else "N",
            "start": start,
            "need": last["clae_cla_primary_need_code"],
            "legal_start": _day(legal["lega_legal_status_start_date"]) if legal else None,
            "legal_status": legal["lega_legal_status"] if legal else None,
            "latest_review": _day(review["clar_cla_review_date"]) if review else None,
            "last_visit": _day(visit["clav_cla_visit_date"]) if visit else None,
            "last_iro": self.until(last["clae_cla_last_iro_contact_date"]),
            "health": _day(health["clah_health_check_date"]) if health else None,
            "dental": _day(dental["clah_health_check_date"]) if dental else None,
            "placements_12m": sum(1 for p in placements if self._in_year(p["clap_cla_placement_start_date"])),
            "end": ceased,
            "end_reason": last["clae_cla_episode_ceased_reason"] if ceased else None,
            "placement_start": _day(placement["clap_cla_placement_start_date"]) if placement else None,
            "placement_type": placement["clap_cla_placement_type"] if placement else None,
            "placement_provider": placement["clap_cla_placement_provider"] if placement else None,
            "placement_postcode": placement["clap_cla_placement_postcode"] if placement else None,
            "placement_urn": placement["clap_cla_placement_urn"] if placement else None,
            "missing_12m": sum(
                1
                for m in self.t.by("ssd_missing", "miss_person_id").get(child, [])
                if self._in_year(m["miss_missing_episode_start_date"])
            ),
            **self.allocated(child, ceased - timedelta(days=1) if ceased else self.as_at),
        }

    # --- Lists 9 and 10 -------------------------------------------------------------------------------------

    def care_leavers(self) -> list[Rec]:
        out = []
        for c in sorted(self.t("ssd_care_leavers"), key=lambda c: c["clea_person_id"]):
            adviser = c["clea_care_leaver_personal_advisor"]
            out.append(
                {
                    **self.person(c["clea_person_id"]),
                    "eligibility": c["clea_care_leaver_eligibility"],
                    "in_touch": c["clea_care_leaver_in_touch"],
                    "latest_contact": self.until(c["clea_care_leaver_latest_contact"]),
                    "accommodation": c["clea_care_leaver_accommodation"],
                    "suitable": c["clea_care_leaver_accom_suitable"],
                    "activity": c["clea_care_leaver_activity"],
                    "pathway_review": self.until(c["clea_pathway_plan_review_date"]),
                    "adviser": self.workers.get(adviser, adviser) if adviser else None,
                    **self.staff(c["clea_care_leaver_allocated_team"], c["clea_care_leaver_worker_id"]),
                }
            )
        return out

    def adoption(self) -> list[Rec]:
        periods = {e["clae_cla_id"]: e for e in self.t("ssd_cla_episodes")}
        out = []
        for p in sorted(self.t("ssd_permanence"), key=lambda p: p["perm_person_id"]):
            decision = self.until(p["perm_adm_decision_date"])
            order = self.until(p["perm_permanence_order_date"])
            if decision is None or (order is not None and order <= self.year):
                continue
            period = periods.get(p["perm_cla_id"])
            out.append(
                {
                    **self.person(p["perm_person_id"]),
                    "entered_care": _day(period["clae_entered_care_date"]) if period else None,
                    "decision": decision,
                    "placement_order": self.until(p["perm_placement_order_date"]),
                    "matched": self.until(p["perm_matched_date"]),
                    "placed": self.until(p["perm_placed_for_adoption_date"]),
                    "adoption_order": order,
                    "reversed": self.until(p["perm_decision_reversed_date"]),
                    "reversed_reason": p["perm_decision_reversed_reason"],
                    "ffa": self.until(p["perm_placed_ffa_cp_date"]),
                }
            )
        return out


#: table -> (person column, start column, end column) for "open on a day" questions.
_SPANS: dict[str, tuple[str, str, str]] = {
    "ssd_cla_episodes": ("clae_person_id", "clae_cla_episode_start_date", "clae_cla_episode_ceased_date"),
    "ssd_cp_plans": ("cppl_person_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),
    "ssd_cin_plans": ("cinp_person_id", "cinp_cin_plan_start_date", "cinp_cin_plan_end_date"),
    "ssd_cin_assessments": ("cina_person_id", "cina_assessment_start_date", "cina_assessment_auth_date"),
}


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, clipped to the month's end (31 August less 6 months is 28 February)."""
    result: date = day - relativedelta(months=months)
    return result
