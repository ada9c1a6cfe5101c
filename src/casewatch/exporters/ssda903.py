"""``write_ssda903``: SSD-shaped tables → the SSDA903 CSV set a council submits to the DfE for one collection year.

It writes what a council's 903 return for the year ending ``year_end`` would hold: every child looked after at
any time in the year (header), their episodes open in the year, the reviews held and missing episodes that
started in the year, the care leavers' OC3 status and, where ``ssd_permanence`` exists, the AD1 and placed-for-
adoption rows. An episode still open at the year end is written with no end date and no reason ceased, as the
DfE specifies.

A round trip SSD → 903 → SSD (``tests/importers/ssda903``) shows exactly:

**Preserved**, for children looked after in the year: person id, sex, date of birth, ethnicity, UPN; every
episode open in the year with its start, start reason, primary need code and, when it ended in the year, its end
and ceased reason; placements' start, type, provider, URN, postcode and change reason, and their end when it
fell in the year; legal statuses (code and start); held reviews in the year with their participation code;
missing episodes' dates and type; care leavers' in-touch, activity and accommodation; periods of care, which
chain to the same groups of episodes.

**Lost**: every table the 903 does not cover (contacts, referrals, assessments, S47s, conferences, plans, visits,
involvements, workers, ``ext_*``); all record ids except the child's (rebuilt from child and dates); names, NHS
number, death date, gender, expected date of birth; episodes, placements, legal statuses, reviews and missing
episodes outside the year; ends after the year end (written open, as the 903 requires); referral ids and last IRO
contact dates; placement distance; review due dates and cancelled reviews; missing episodes' times and return
interviews; care leavers' eligibility, latest contact, pathway plan review, adviser and team; and the date care
began for periods that began before the year (it becomes the start of the year's first episode).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path

from casewatch.errors import DataError
from casewatch.formats.ssda903 import KINDS, SSD_TABLES, format_date, oc3_accommodation

from .source import Source, TextRow, case_data, text_records

Record = TextRow


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _year_start(year_end: date) -> date:
    try:
        return date(year_end.year - 1, year_end.month, year_end.day) + timedelta(days=1)
    except ValueError:  # 29 February
        return date(year_end.year - 1, year_end.month, 28) + timedelta(days=1)


def _in_force(rows: list[Record], start: str, end: str, day: date) -> Record | None:
    """The row whose [start, end) holds ``day``, preferring the latest start."""
    best: Record | None = None
    for row in rows:
        begins, ends = _day(row[start]), _day(row[end])
        if begins is None or begins > day or (ends is not None and ends <= day):
            continue
        if best is None or (_day(best[start]) or date.min) <= begins:
            best = row
    return best


def _write(out_dir: Path, kind: str, rows: Iterable[dict[str, str]]) -> None:
    columns = KINDS[kind].columns
    with (out_dir / f"{kind}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="raise")
        writer.writeheader()
        writer.writerows(rows)


def write_ssda903(data_path: Source, out_dir: Path, year_end: date) -> Path:
    """Write the 903 CSV files for the year ending ``year_end`` from the case data at ``data_path``; return out_dir."""
    with case_data(data_path, year_end) as data:
        tables = {table: text_records(data, table) for table in SSD_TABLES if data.has(table)}
        if "ssd_cla_episodes" not in tables:
            raise DataError(
                f"{data.source} has no ssd_cla_episodes table, so there is no looked-after data to write as a 903."
            )
    return _write_all(tables, Path(out_dir), year_end)


#: The 903 files this writer can write (the others, such as UASC and OC2, have no SSD source).
WRITTEN_KINDS = ("episodes", "header", "reviews", "missing", "oc3", "placed_for_adoption", "ad1")


def _write_all(tables: dict[str, list[Record]], out_dir: Path, year_end: date) -> Path:
    def rows_of(table: str) -> list[Record]:
        return tables.get(table, [])

    year_start = _year_start(year_end)
    out_dir.mkdir(parents=True, exist_ok=True)

    def fits(day: date | None) -> str:
        return format_date(day) if day is not None and day <= year_end else ""

    people = {p["pers_person_id"]: p for p in rows_of("ssd_person")}
    placements = {p["clap_cla_placement_id"]: p for p in rows_of("ssd_cla_placement")}
    legal: dict[str, list[Record]] = defaultdict(list)
    for row in rows_of("ssd_legal_status"):
        legal[row["lega_person_id"]].append(row)

    episodes = [
        e
        for e in rows_of("ssd_cla_episodes")
        if (start := _day(e["clae_cla_episode_start_date"])) is not None
        and start <= year_end
        and ((end := _day(e["clae_cla_episode_ceased_date"])) is None or end >= year_start)
    ]
    episodes.sort(key=lambda e: (e["clae_person_id"], e["clae_cla_episode_start_date"]))
    cohort = {e["clae_person_id"] for e in episodes}
    rows: list[dict[str, str]] = []
    for index, episode in enumerate(episodes):
        child = episode["clae_person_id"]
        start = _day(episode["clae_cla_episode_start_date"])
        assert start is not None
        placement = placements.get(episode["clae_cla_placement_id"], {})
        status = _in_force(legal[child], "lega_legal_status_start_date", "lega_legal_status_end_date", start)
        ended = fits(_day(episode["clae_cla_episode_ceased_date"]))
        following = episodes[index + 1] if index + 1 < len(episodes) else None
        moves = (
            following is not None
            and following["clae_person_id"] == child
            and following["clae_cla_placement_id"] != episode["clae_cla_placement_id"]
        )
        reason = episode["clae_cla_episode_ceased_reason"] if ended else ""
        rows.append(
            {
                "CHILD": child,
                "DECOM": format_date(start),
                "RNE": episode["clae_cla_episode_start_reason"],
                "LS": status["lega_legal_status"] if status else "",
                "CIN": episode["clae_cla_primary_need_code"],
                "PLACE": placement.get("clap_cla_placement_type", ""),
                "PLACE_PROVIDER": placement.get("clap_cla_placement_provider", ""),
                "DEC": ended,
                "REC": reason,
                "REASON_PLACE_CHANGE": placement.get("clap_cla_placement_change_reason", "")
                if reason == "X1" and moves
                else "",
                "HOME_POST": "",
                "PL_POST": placement.get("clap_cla_placement_postcode", ""),
                "URN": placement.get("clap_cla_placement_urn", ""),
            }
        )
    _write(out_dir, "episodes", rows)

    care_spans: dict[str, list[tuple[date, date | None]]] = defaultdict(list)
    for e in rows_of("ssd_cla_episodes"):
        if (began := _day(e["clae_cla_episode_start_date"])) is not None:
            care_spans[e["clae_person_id"]].append((began, _day(e["clae_cla_episode_ceased_date"])))
    leavers = [
        c
        for c in rows_of("ssd_care_leavers")
        if c["clea_person_id"] in people
        and _oc3_due(
            _day(people[c["clea_person_id"]]["pers_dob"]), care_spans[c["clea_person_id"]], year_start, year_end
        )
    ]
    everyone = sorted(cohort | {c["clea_person_id"] for c in leavers})

    def dob(child: str) -> str:
        return format_date(_day(people.get(child, {}).get("pers_dob", "")))

    _write(
        out_dir,
        "header",
        (
            {
                "CHILD": child,
                "SEX": people.get(child, {}).get("pers_sex", ""),
                "DOB": dob(child),
                "ETHNIC": people.get(child, {}).get("pers_ethnicity", ""),
                "UPN": people.get(child, {}).get("pers_upn", ""),
                # motherhood is asked only of children looked after in the year, not of care leavers (rule 628)
                "MOTHER": {"Y": "1", "N": "0"}.get(people.get(child, {}).get("pers_is_mother", ""), "")
                if child in cohort
                else "",
                "MC_DOB": "",
            }
            for child in everyone
        ),
    )
    _write(
        out_dir,
        "reviews",
        (
            {
                "CHILD": r["clar_cla_person_id"],
                "DOB": dob(r["clar_cla_person_id"]),
                "REVIEW": format_date(held),
                "REVIEW_CODE": r["clar_cla_review_participation"],
            }
            for r in rows_of("ssd_cla_reviews")
            if r["clar_cla_person_id"] in cohort
            and r["clar_cla_review_cancelled"] != "Y"
            and (held := _day(r["clar_cla_review_date"])) is not None
            and year_start <= held <= year_end
        ),
    )
    _write(
        out_dir,
        "missing",
        (
            {
                "CHILD": m["miss_person_id"],
                "DOB": dob(m["miss_person_id"]),
                "MISSING": "A" if m["miss_missing_episode_type"].upper().startswith("A") else "M",
                "MIS_START": format_date(began),
                "MIS_END": fits(_day(m["miss_missing_episode_end_date"])),
            }
            for m in rows_of("ssd_missing")
            if m["miss_person_id"] in cohort
            and (began := _day(m["miss_missing_episode_start_date"])) is not None
            and year_start <= began <= year_end
        ),
    )
    _write(
        out_dir,
        "oc3",
        (
            {
                "CHILD": c["clea_person_id"],
                "DOB": dob(c["clea_person_id"]),
                "IN_TOUCH": c["clea_care_leaver_in_touch"],
                "ACTIV": c["clea_care_leaver_activity"],
                "ACCOM": oc3_accommodation(c["clea_care_leaver_accommodation"], c["clea_care_leaver_accom_suitable"]),
            }
            for c in leavers
        ),
    )
    _write_adoption(rows_of("ssd_permanence"), out_dir, cohort, dob)
    return out_dir


def _oc3_due(dob: date | None, care: list[tuple[date, date | None]], year_start: date, year_end: date) -> bool:
    """Whether the DfE asks this care leaver's OC3 this year: a 17th to 21st birthday in the year, care left before.

    A young person looked after on or after their 17th or 18th birthday (still in care, leaving care that very
    day, or coming into care later) is reported in the episodes, not OC3 (the DfE's rules 391, 1007 and 1016);
    a 29 February birthday falls on 1 March in other years.
    """
    if dob is None:
        return False
    for age in range(17, 22):
        try:
            birthday = dob.replace(year=dob.year + age)
        except ValueError:
            birthday = date(dob.year + age, 3, 1)
        if year_start <= birthday <= year_end:
            return all(ceased is not None and ceased < birthday for _, ceased in care)
    return False


def _write_adoption(rows: list[Record], out_dir: Path, cohort: set[str], dob: Callable[[str], str]) -> None:
    permanence = [p for p in rows if p["perm_person_id"] in cohort]
    if not permanence:
        return
    _write(
        out_dir,
        "placed_for_adoption",
        (
            {
                "CHILD": p["perm_person_id"],
                "DOB": dob(p["perm_person_id"]),
                "DATE_PLACED": format_date(_day(p["perm_adm_decision_date"])),
                "DATE_PLACED_CEASED": format_date(_day(p["perm_decision_reversed_date"])),
                "REASON_PLACED_CEASED": p["perm_decision_reversed_reason"],
            }
            for p in permanence
            if p["perm_adm_decision_date"]
        ),
    )
    _write(
        out_dir,
        "ad1",
        (
            {
                "CHILD": p["perm_person_id"],
                "DOB": dob(p["perm_person_id"]),
                "DATE_INT": format_date(_day(p["perm_adm_decision_date"])),
                "DATE_MATCH": format_date(_day(p["perm_matched_date"])),
                "FOSTER_CARE": {"Y": "1", "N": "0"}.get(p["perm_adopted_by_carer_flag"], ""),
                "NB_ADOPTR": p["perm_number_of_adopters"],
                "SEX_ADOPTR": p["perm_adopter_sex"],
                "LS_ADOPTR": p["perm_adopter_legal_status"],
            }
            for p in permanence
            if p["perm_matched_date"]
        ),
    )
