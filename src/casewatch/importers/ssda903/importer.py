"""``import_ssda903``: a folder of 903 CSV files (or the XML return) → SSD-shaped tables, with full row accounting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from casewatch.errors import DataError
from casewatch.formats.ssda903 import SSD_TABLES
from casewatch.importers.csv_tables import clear_earlier_import, write_table
from casewatch.importers.report import ImportProblem, ImportReport

from .episodes import Row, chain, read_episodes
from .read_csv import read_csv_file, read_folder
from .read_xml import read_xml
from .records import InputRow, ReadResult, Values, parse_date
from .tables import care_leavers, missing, people, permanence, reviews

#: Files read but not mapped, and why.
NOT_MAPPED = {
    "uasc": "UASC (date UASC ceased): read but not mapped; no standard uses it and the SSD's immigration status "
    "needs a start date the 903 does not hold",
    "oc2": "OC2 (health checks, immunisations, SDQ for children looked after 12 months): read but not mapped; "
    "it holds yes/no outcomes for the year, not the dates health-assessment standards time",
    "prev_perm": "previous permanence: read but not mapped; no contract table holds it",
    "social_worker": "social worker episodes: read but not mapped; worker changes are not yet imported from the 903",
    "dolo": "deprivation of liberty orders: read but not mapped; no contract table holds them",
}

SUPPORTS = (
    "looked-after review timeliness (reviews timed from the start of each period of care)",
    "placement-based cohorts (regulation 28 visits' placement phases, placement type, placement moves)",
    "legal-status cohorts and periods of care over time",
    "missing and away-from-placement episodes by date (for counts, and return interviews if held elsewhere)",
    "care leavers' in-touch, activity and accommodation status (OC3)",
)
CANNOT_SUPPORT = (
    "visit frequency of any kind: the 903 holds no visits (use the SSD or case notes)",
    "IRO contact, care plan, health assessment and PEP timeliness: the 903 holds none of their dates",
    "review due dates and cancelled reviews: the 903 records only the reviews that were held",
    "missing episodes' times of day: the 903 holds dates only, so 72-hour return-interview rules are "
    "date-precision at best (and the 903 holds no return interviews)",
    "the date care began, for periods of care that began before the earliest episode in the files: they are "
    "taken to start at that episode (one year's files hold only that year's episodes); put several years' files "
    "in one folder to chain them",
    "worker and team responsibility: the 903 names no worker or team",
)


def import_ssda903(source: str, out_dir: Path) -> ImportReport:
    """Import the 903 at ``source`` (a folder of CSV files, one CSV file or the XML return) into ``out_dir``.

    Raises DataError, in one sentence naming the file, when the source is not a 903 return at all; every
    unusable row or value within a real return is reported in the returned ImportReport instead.
    """
    path = Path(source)
    report = ImportReport(format="ssda903", source=source, out_dir=out_dir)
    read = _read(path, report)
    rows = read.rows
    by_kind: dict[str, list[InputRow]] = {kind: [] for kind in read.kinds}
    for row in rows:
        by_kind[row.kind].append(row)
    values = Values(report)

    care = chain(read_episodes(by_kind.get("episodes", []), values), values)
    persons = people(by_kind.get("header", []), values)
    tables: dict[str, list[Row]] = {}
    if "episodes" in by_kind:
        tables["ssd_cla_episodes"] = care.episodes
        tables["ssd_cla_placement"] = care.placements
        tables["ssd_legal_status"] = care.legal_statuses
    if "reviews" in by_kind:
        tables["ssd_cla_reviews"] = reviews(by_kind["reviews"], care.periods, values)
    if "missing" in by_kind:
        tables["ssd_missing"] = missing(by_kind["missing"], values)
    if "oc3" in by_kind:
        tables["ssd_care_leavers"] = care_leavers(by_kind["oc3"], values)
    if "ad1" in by_kind or "placed_for_adoption" in by_kind:
        tables["ssd_permanence"] = permanence(
            by_kind.get("ad1", []), by_kind.get("placed_for_adoption", []), care.periods, values
        )
    tables["ssd_person"] = _add_unlisted_children(persons, tables, rows, report)

    clear_earlier_import(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for table in SSD_TABLES:  # every table it can write, so a re-import leaves no stale one
        if table in tables:
            report.rows_written[table] = write_table(out_dir, table, tables[table])
    report.supports.extend(SUPPORTS)
    report.cannot_support.extend(CANNOT_SUPPORT)
    report.cannot_support.extend(reason for kind, reason in NOT_MAPPED.items() if kind in by_kind)
    return report


def _read(path: Path, report: ImportReport) -> ReadResult:
    if not path.exists():
        raise DataError(f"{path} does not exist; give a folder of SSDA903 CSV files or the SSDA903 XML file")
    if path.is_dir():
        return read_folder(path, report)
    with path.open("rb") as handle:
        start = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if path.suffix.lower() == ".xml" or start.startswith(b"<"):
        return read_xml(path, report)
    if path.suffix.lower() in {".csv", ".txt"}:
        result = read_csv_file(path, report, claimed=True)
        assert result is not None  # a claimed file that is not a 903 file raises
        return result
    raise DataError(f"{path.name} is neither a CSV file nor an XML file; give a folder of SSDA903 CSV files or the XML")


def _add_unlisted_children(
    persons: dict[str, Row], tables: dict[str, list[Row]], rows: list[InputRow], report: ImportReport
) -> list[Row]:
    """Children with rows in other files but not in the header get an ``ssd_person`` row, so no row is orphaned.

    Such a row holds only the id and the date of birth the other files give; each is reported as a warning.
    """
    prefix_columns = {
        "ssd_cla_episodes": "clae_person_id",
        "ssd_cla_reviews": "clar_cla_person_id",
        "ssd_missing": "miss_person_id",
        "ssd_care_leavers": "clea_person_id",
        "ssd_permanence": "perm_person_id",
    }
    births: dict[str, date] = {}
    first_row: dict[str, InputRow] = {}
    for row in rows:
        child = row.raw("CHILD")
        if child and row.kind != "header":
            first_row.setdefault(child, row)
            born = parse_date(row.raw("DOB")) if row.raw("DOB") else None
            if born is not None:
                births.setdefault(child, born)
    for table, column in prefix_columns.items():
        for out in tables.get(table, []):
            child = str(out[column])
            if child in persons:
                continue
            persons[child] = {"pers_person_id": child, "pers_dob": births.get(child)}
            source = first_row.get(child)
            report.problem(
                ImportProblem(
                    source.file if source else report.source,
                    None,
                    source.line if source else None,
                    source.where("CHILD") if source else "CHILD",
                    child,
                    "child not in the header file; a person row with only the id and date of birth was written",
                    severity="warning",
                )
            )
    return list(persons.values())
