"""``write_cin_census``: SSD-shaped tables to the CIN census XML a council submits to the DfE each year.

A council can produce its census from the same SSD extract its compliance figures come from, and check it with
the DfE's validator before the return window; the importer's round-trip tests use it too. A round trip (write,
then ``import_cin_census``) keeps and loses exactly this:

Kept, for children with a CIN episode open at any time in the census year (1 April to 31 March ``year_end``):
  - the child: LAchildID (= ``pers_person_id``), UPN, UPN-unknown reason, dates of birth, expected birth and
    death, ethnicity, disability codes; sex (``Sex`` layout, year ending 31 March 2025 or later) or the
    ``GenderCurrent`` code (earlier layout; M/F/U letters become 1/2/0, so ``pers_gender`` comes back as a code);
  - referrals: referral date, source code, primary need, closure date and reason, referral NFA;
  - assessments: start and authorisation dates, factors, and which referral they belong to;
  - CIN plans: start and end dates; S47 enquiries: start date; whether a conference was needed (see below);
  - initial conferences: date and target date, the enquiry and referral they belong to;
  - CP plans: start and end dates, initial and latest category (descriptions such as "Neglect" become the
    census codes NEG/PHY/SAB/EMO/MUL); every review conference date.

Lost:
  - every id (the importer makes new ones from LAchildID and dates) and every team, worker and free-text field;
  - children with no episode open in the year (including everyone only looked after or only contacted);
    episodes closed before the year began; records starting after 31 March ``year_end``; end, closure and
    authorisation dates after it (the record is written as open, as the census would show it);
  - assessments authorised, CIN and CP plans ended, conferences held, and S47 enquiries whose conference was
    held (or, with none, which were completed) before the year began (1 April), even within an episode open in
    the year: the census holds only the year's activity, and the DfE's validator rejects them (rules 8696,
    4013, 8930, 8715);
  - records not linked to an episode of the child (no ``*_referral_id`` and no episode whose dates contain the
    record's start date);
  - assessment child-seen and outcome flags, S47 end date and outcome, conference outcome flags, meeting ids
    and transfer-in flag; CP plan held by another authority; review due dates, outcome, quorum, participation;
  - a second conference recorded without an S47 in the same episode (the census has one such date per episode);
  - the conference-needed flag when it was not recorded: an enquiry with no conference and no flag is written
    ``ICPCnotRequired`` 0, which imports as "needed";
  - the plan a conference led to is re-derived (a plan of the same episode starting on the conference date);
  - names, NHS number, legacy id, SEND flag, nationality; visits, looked-after, care-leaver, worker and every
    ``ext_*`` table (the census has no place for them).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from casewatch.data.load import CaseData
from casewatch.data.vocabulary import yes_no
from casewatch.errors import CasewatchError, DataError
from casewatch.formats import cin_census as codes

from .source import Source, case_data, text_records

Row = dict[str, str]
Layout = Literal["sex", "gender"]
#: The first census with ``Sex`` in place of ``GenderCurrent`` was for the year ending 31 March 2025.
SEX_LAYOUT_FROM = date(2025, 3, 31)


@dataclass
class WriteSummary:
    """What the writer put in the census file, and what it left out, per SSD table."""

    children: int = 0
    written: Counter[str] = field(default_factory=Counter)
    omitted: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class _Period:
    start: date
    end: date

    def open_in(self, begins: date | None, ends: date | None) -> bool:
        return begins is not None and begins <= self.end and (ends is None or ends >= self.start)


def write_cin_census(
    data_path: Source,
    out_path: Path,
    year_end: date,
    *,
    layout: Layout | None = None,
    lea: str = "999",
) -> WriteSummary:
    """Write the case data at ``data_path`` as the CIN census for the year ending 31 March ``year_end``.

    ``layout`` chooses ``Sex`` or ``GenderCurrent`` (default: the one in use that year); ``lea`` is the
    authority's three-digit code for the header (999: none). See the module docstring for what is kept.
    """
    if (year_end.month, year_end.day) != (3, 31):
        raise CasewatchError(f"a CIN census year ends on 31 March, not {year_end.isoformat()}")
    period = _Period(date(year_end.year - 1, 4, 1), year_end)
    chosen: Layout = layout or ("sex" if year_end >= SEX_LAYOUT_FROM else "gender")
    with case_data(data_path, year_end) as data:
        tables = _Tables(data)
    summary = WriteSummary()
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("w", encoding="utf-8") as handle:
        handle.write('<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n')
        handle.write(_header(year_end, lea))
        handle.write("  <Children>\n")
        for person in tables.people_in(period):
            child = _ChildBuilder(tables, period, chosen, summary).build(person)
            ET.indent(child, space="  ", level=2)
            handle.write("    " + ET.tostring(child, encoding="unicode") + "\n")
            summary.children += 1
        handle.write("  </Children>\n</Message>\n")
    for table, total in tables.totals.items():
        summary.omitted[table] = total - summary.written[table]
    summary.written, summary.omitted = +summary.written, +summary.omitted  # drop zero counts
    return summary


def _header(year_end: date, lea: str) -> str:
    header = ET.Element("Header")
    details = ET.SubElement(header, "CollectionDetails")
    _leaf(details, "Collection", "CIN")
    _leaf(details, "Year", str(year_end.year))
    _leaf(details, "ReferenceDate", year_end.isoformat())
    source = ET.SubElement(header, "Source")
    for tag, value in (("SourceLevel", "L"), ("LEA", lea), ("SoftwareCode", "casewatch"), ("Release", "1"),
                       ("SerialNo", "001"), ("DateTime", f"{year_end.isoformat()}T00:00:00")):  # fmt: skip
        _leaf(source, tag, value)
    ET.indent(header, space="  ", level=1)
    return "  " + ET.tostring(header, encoding="unicode") + "\n"


def _leaf(parent: ET.Element, tag: str, value: str | None) -> None:
    if value:
        ET.SubElement(parent, tag).text = value


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _flag(text: str | None) -> bool | None:
    return yes_no(text)


class _Tables:
    """The input tables, read once and grouped by the key each census element is built from."""

    def __init__(self, data: CaseData) -> None:
        self.data = data
        self.totals: Counter[str] = Counter()  # rows per input table, to report what was left out
        self.people = {r["pers_person_id"]: r for r in self._read("ssd_person", required=True)}
        self.episodes = self._group("ssd_cin_episodes", "cine_person_id", required=True)
        self.disabilities = self._group("ssd_disability", "disa_person_id")
        self.assessments = self._group("ssd_cin_assessments", "cina_person_id")
        self.factors = {r["cinf_assessment_id"]: r for r in self._read("ssd_assessment_factors")}
        self.cin_plans = self._group("ssd_cin_plans", "cinp_person_id")
        self.enquiries = self._group("ssd_s47_enquiry", "s47e_person_id")
        self.conferences = self._group("ssd_initial_cp_conference", "icpc_person_id")
        self.cp_plans = self._group("ssd_cp_plans", "cppl_person_id")
        self.reviews = self._group("ssd_cp_reviews", "cppr_cp_plan_id")

    def people_in(self, period: _Period) -> list[Row]:
        """People with an episode open in the period, by id (episodes of unknown people are left out)."""
        chosen = []
        for person_id, episodes in sorted(self.episodes.items()):
            if not any(period.open_in(_day(e["cine_referral_date"]), _day(e["cine_close_date"])) for e in episodes):
                continue
            if person_id in self.people:
                chosen.append(self.people[person_id])
        return chosen

    def _group(self, table: str, key: str, *, required: bool = False) -> dict[str, list[Row]]:
        grouped: defaultdict[str, list[Row]] = defaultdict(list)
        for row in self._read(table, required=required):
            grouped[row.get(key, "")].append(row)
        return dict(grouped)

    def _read(self, table: str, *, required: bool = False) -> list[Row]:
        if required and not self.data.has(table):
            raise DataError(f"{self.data.source} has no {table} table; a CIN census cannot be written without it.")
        rows = text_records(self.data, table)
        if self.data.has(table):
            self.totals[table] = len(rows)
        return rows


class _ChildBuilder:
    """Builds one ``<Child>``: the child's episodes in the year, each with the records that belong to it."""

    def __init__(self, tables: _Tables, period: _Period, layout: Layout, summary: WriteSummary) -> None:
        self.t = tables
        self.period = period
        self.layout = layout
        self.summary = summary

    def build(self, person: Row) -> ET.Element:
        person_id = person["pers_person_id"]
        child = ET.Element("Child")
        self._identifiers(ET.SubElement(child, "ChildIdentifiers"), person)
        characteristics = ET.SubElement(child, "ChildCharacteristics")
        _leaf(characteristics, "Ethnicity", person.get("pers_ethnicity"))
        disabilities = [d["disa_disability_code"] for d in self.t.disabilities.get(person_id, [])]
        if any(disabilities):
            holder = ET.SubElement(characteristics, "Disabilities")
            for code in filter(None, disabilities):
                _leaf(holder, "Disability", code)
        self.summary.written["ssd_disability"] += sum(1 for d in disabilities if d)
        self.summary.written["ssd_person"] += 1
        episodes = self._episodes(person_id)
        members = self._assign(person_id, episodes)
        for episode in episodes:
            child.append(self._episode(episode, members[episode["cine_referral_id"]], person_id))
        return child

    def _identifiers(self, holder: ET.Element, person: Row) -> None:
        _leaf(holder, "LAchildID", person["pers_person_id"])
        _leaf(holder, "UPN", person.get("pers_upn"))
        _leaf(holder, "UPNunknown", person.get("pers_upn_unknown"))
        _leaf(holder, "PersonBirthDate", _iso(_day(person.get("pers_dob"))))
        _leaf(holder, "ExpectedPersonBirthDate", _iso(_day(person.get("pers_expected_dob"))))
        letter = (person.get("pers_sex") or person.get("pers_gender") or "").upper()
        if self.layout == "sex":
            _leaf(holder, "Sex", letter if letter in codes.SEX else "U")
        else:
            gender = person.get("pers_gender") or ""
            _leaf(holder, "GenderCurrent", gender if gender in codes.GENDER_CURRENT
                  else codes.GENDER_CODE_BY_LETTER.get(letter, "0"))  # fmt: skip
        _leaf(holder, "PersonDeathDate", _iso(_day(person.get("pers_death_date"))))

    def _episodes(self, person_id: str) -> list[Row]:
        rows = self.t.episodes.get(person_id, [])
        kept = [e for e in rows if self.period.open_in(_day(e["cine_referral_date"]), _day(e["cine_close_date"]))]
        self.summary.written["ssd_cin_episodes"] += len(kept)
        return sorted(kept, key=lambda e: (e["cine_referral_date"], e["cine_referral_id"]))

    def _assign(self, person_id: str, episodes: list[Row]) -> dict[str, dict[str, list[Row]]]:
        """Each of the child's records, under the episode it belongs to (by referral id, else by its dates)."""
        members: dict[str, dict[str, list[Row]]] = {e["cine_referral_id"]: defaultdict(list) for e in episodes}
        for table, grouped, referral_column, start_column, end_column in (
            ("ssd_cin_assessments", self.t.assessments, "cina_referral_id", "cina_assessment_start_date",
             "cina_assessment_auth_date"),
            ("ssd_cin_plans", self.t.cin_plans, "cinp_referral_id", "cinp_cin_plan_start_date",
             "cinp_cin_plan_end_date"),
            ("ssd_s47_enquiry", self.t.enquiries, "s47e_referral_id", "s47e_s47_start_date", "s47e_s47_end_date"),
            ("ssd_initial_cp_conference", self.t.conferences, "icpc_referral_id", "icpc_icpc_date", "icpc_icpc_date"),
            ("ssd_cp_plans", self.t.cp_plans, "cppl_referral_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),
        ):  # fmt: skip
            for row in grouped.get(person_id, []):
                start = _day(row.get(start_column))
                home = self._home(row.get(referral_column, ""), start, episodes, members)
                end = _day(row.get(end_column))
                if table == "ssd_s47_enquiry":
                    end = self._enquiry_end(person_id, row, end)
                if home is not None and self.period.open_in(start, end):
                    members[home][table].append(row)
        return members

    def _enquiry_end(self, person_id: str, enquiry: Row, end: date | None) -> date | None:
        """When an enquiry's part in the census ends: at its conference if one was held, else at its completion.

        The census records an enquiry by its start and its conference, so one whose conference was held before
        1 April belongs to an earlier year even if it was completed later (the DfE's rule 8715), and one
        completed before 1 April whose conference was held after it belongs to this year.
        """
        held = [
            day
            for c in self.t.conferences.get(person_id, [])
            if c.get("icpc_s47_enquiry_id") == enquiry["s47e_s47_enquiry_id"] and (day := _day(c["icpc_icpc_date"]))
        ]
        return max(held) if held else end

    def _home(
        self, referral_id: str, start: date | None, episodes: list[Row], members: Mapping[str, object]
    ) -> str | None:
        if referral_id:
            return referral_id if referral_id in members else None
        for episode in episodes:
            begins, ends = _day(episode["cine_referral_date"]), _day(episode["cine_close_date"])
            if start and begins and begins <= start and (ends is None or start <= ends):
                return episode["cine_referral_id"]
        return None

    def _episode(self, episode: Row, members: dict[str, list[Row]], person_id: str) -> ET.Element:
        node = ET.Element("CINdetails")
        closed = self._by_year_end(episode.get("cine_close_date"))
        _leaf(node, "CINreferralDate", episode["cine_referral_date"][:10])
        _leaf(node, "ReferralSource", episode.get("cine_referral_source_code"))
        _leaf(node, "PrimaryNeedCode", episode.get("cine_cin_primary_need_code"))
        _leaf(node, "CINclosureDate", closed)
        _leaf(node, "ReasonForClosure", episode.get("cine_close_reason") if closed else None)
        conferences = [c for c in members["ssd_initial_cp_conference"] if self._by_year_end(c["icpc_icpc_date"])]
        enquiry_ids = {e["s47e_s47_enquiry_id"] for e in members["ssd_s47_enquiry"]}
        by_enquiry = {c["icpc_s47_enquiry_id"]: c for c in conferences if c.get("icpc_s47_enquiry_id") in enquiry_ids}
        loose = sorted((c for c in conferences if c.get("icpc_s47_enquiry_id") not in enquiry_ids),
                       key=lambda c: c["icpc_icpc_date"])  # fmt: skip
        _leaf(node, "DateOfInitialCPC", loose[0]["icpc_icpc_date"][:10] if loose else None)
        self.summary.written["ssd_initial_cp_conference"] += len(by_enquiry) + min(len(loose), 1)
        for assessment in sorted(members["ssd_cin_assessments"], key=lambda r: r["cina_assessment_start_date"]):
            node.append(self._assessment(assessment))
        for plan in sorted(members["ssd_cin_plans"], key=lambda r: r["cinp_cin_plan_start_date"]):
            holder = ET.SubElement(node, "CINPlanDates")
            _leaf(holder, "CINPlanStartDate", plan["cinp_cin_plan_start_date"][:10])
            _leaf(holder, "CINPlanEndDate", self._by_year_end(plan.get("cinp_cin_plan_end_date")))
            self.summary.written["ssd_cin_plans"] += 1
        for enquiry in sorted(members["ssd_s47_enquiry"], key=lambda r: r["s47e_s47_start_date"]):
            node.append(self._enquiry(enquiry, by_enquiry.get(enquiry["s47e_s47_enquiry_id"])))
        nfa = _flag(episode.get("cine_referral_nfa"))
        _leaf(node, "ReferralNFA", "1" if nfa else "0")
        for plan in sorted(members["ssd_cp_plans"], key=lambda r: r["cppl_cp_plan_start_date"]):
            node.append(self._cp_plan(plan, person_id))
        return node

    def _assessment(self, row: Row) -> ET.Element:
        node = ET.Element("Assessments")
        _leaf(node, "AssessmentActualStartDate", row["cina_assessment_start_date"][:10])
        _leaf(node, "AssessmentAuthorisationDate", self._by_year_end(row.get("cina_assessment_auth_date")))
        factors = self.t.factors.get(row["cina_assessment_id"], {}).get("cinf_assessment_factors_json", "")
        try:
            codes_list = [str(code) for code in json.loads(factors)] if factors else []
        except (ValueError, TypeError):
            codes_list = []
        if codes_list:
            holder = ET.SubElement(node, "FactorsIdentifiedAtAssessment")
            for code in codes_list:
                _leaf(holder, "AssessmentFactors", code)
            self.summary.written["ssd_assessment_factors"] += 1
        self.summary.written["ssd_cin_assessments"] += 1
        return node

    def _enquiry(self, row: Row, conference: Row | None) -> ET.Element:
        node = ET.Element("Section47")
        _leaf(node, "S47ActualStartDate", row["s47e_s47_start_date"][:10])
        if conference is not None:
            _leaf(node, "InitialCPCtarget", _iso(_day(conference.get("icpc_icpc_target_date"))))
            _leaf(node, "DateOfInitialCPC", conference["icpc_icpc_date"][:10])
        needed = _flag(row.get("s47e_cp_conference_flag"))
        if needed is None:
            needed = _flag(_json_key(row.get("s47e_s47_outcome_json"), "CP_CONFERENCE_FLAG"))
        _leaf(node, "ICPCnotRequired", "1" if conference is None and needed is False else "0")
        self.summary.written["ssd_s47_enquiry"] += 1
        return node

    def _cp_plan(self, row: Row, person_id: str) -> ET.Element:
        node = ET.Element("ChildProtectionPlans")
        start = row["cppl_cp_plan_start_date"][:10]
        _leaf(node, "CPPstartDate", start)
        _leaf(node, "CPPendDate", self._by_year_end(row.get("cppl_cp_plan_end_date")))
        _leaf(node, "InitialCategoryOfAbuse", _category(row.get("cppl_cp_plan_initial_category")))
        _leaf(node, "LatestCategoryOfAbuse", _category(row.get("cppl_cp_plan_latest_category")))
        earlier = sum(1 for p in self.t.cp_plans.get(person_id, []) if p["cppl_cp_plan_start_date"][:10] < start)
        _leaf(node, "NumberOfPreviousCPP", str(earlier))
        reviews = self.t.reviews.get(row["cppl_cp_plan_id"], [])
        held = sorted(d for r in reviews if (d := self._by_year_end(r.get("cppr_cp_review_date"))))
        self.summary.written["ssd_cp_reviews"] += len(held)
        if held:
            holder = ET.SubElement(node, "Reviews")
            for day in held:
                _leaf(holder, "CPPreviewDate", day)
        self.summary.written["ssd_cp_plans"] += 1
        return node

    def _by_year_end(self, text: str | None) -> str | None:
        """A date on or before the census date; a later one did not happen yet as far as the census knows."""
        day = _day(text)
        return day.isoformat() if day and day <= self.period.end else None


def _category(text: str | None) -> str | None:
    if not text:
        return None
    return text if text in codes.CATEGORY_OF_ABUSE else codes.CATEGORY_BY_DESCRIPTION.get(text.lower(), text)


def _json_key(text: str | None, key: str) -> str | None:
    try:
        value = json.loads(text or "")
    except ValueError:
        return None
    return str(value.get(key)) if isinstance(value, dict) and value.get(key) is not None else None
