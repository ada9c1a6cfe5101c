"""Building small CIN census files for tests: every child and date here is invented."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

Spec = dict[str, Any]


def node(tag: str, *children: ET.Element, text: str | None = None) -> ET.Element:
    element = ET.Element(tag)
    element.text = text
    element.extend(children)
    return element


def leaves(**values: str | None) -> list[ET.Element]:
    return [node(tag, text=value) for tag, value in values.items() if value is not None]


def episode(
    referral: str | None = "2024-06-03",
    *,
    nfa: str = "0",
    extra: tuple[ET.Element, ...] = (),
    **values: str | None,
) -> ET.Element:
    """A CINdetails with the given leaves, then ``extra`` records (Assessments, Section47…), then ReferralNFA."""
    head = leaves(CINreferralDate=referral, ReferralSource=values.pop("source", "2A"), **values)
    return node("CINdetails", *head, *extra, node("ReferralNFA", text=nfa))


def assessment(start: str | None, authorised: str | None = None, factors: tuple[str, ...] = ()) -> ET.Element:
    items = leaves(AssessmentActualStartDate=start, AssessmentAuthorisationDate=authorised)
    if factors:
        items.append(node("FactorsIdentifiedAtAssessment", *(node("AssessmentFactors", text=f) for f in factors)))
    return node("Assessments", *items)


def section47(
    start: str | None, *, target: str | None = None, icpc: str | None = None, not_required: str = "0"
) -> ET.Element:
    return node(
        "Section47",
        *leaves(S47ActualStartDate=start, InitialCPCtarget=target, DateOfInitialCPC=icpc, ICPCnotRequired=not_required),
    )


def cp_plan(
    start: str | None, end: str | None = None, reviews: tuple[str, ...] = (), category: str = "NEG"
) -> ET.Element:
    items = leaves(
        CPPstartDate=start,
        CPPendDate=end,
        InitialCategoryOfAbuse=category,
        LatestCategoryOfAbuse=category,
        NumberOfPreviousCPP="0",
    )
    if reviews:
        items.append(node("Reviews", *(node("CPPreviewDate", text=r) for r in reviews)))
    return node("ChildProtectionPlans", *items)


def cin_plan(start: str | None, end: str | None = None) -> ET.Element:
    return node("CINPlanDates", *leaves(CINPlanStartDate=start, CINPlanEndDate=end))


def child(
    child_id: str | None = "C001",
    *episodes: ET.Element,
    layout: str = "sex",
    sex: str = "F",
    dob: str | None = "2015-06-01",
    ethnicity: str = "WBRI",
    disabilities: tuple[str, ...] = (),
    **identifiers: str | None,
) -> ET.Element:
    gender = {"Sex": sex} if layout == "sex" else {"GenderCurrent": sex}
    ids = leaves(LAchildID=child_id, PersonBirthDate=dob, **gender, **identifiers)
    characteristics = [node("Ethnicity", text=ethnicity)]
    if disabilities:
        characteristics.append(node("Disabilities", *(node("Disability", text=d) for d in disabilities)))
    return node(
        "Child",
        node("ChildIdentifiers", *ids),
        node("ChildCharacteristics", *characteristics),
        *(episodes or (episode(),)),
    )


def census(*children: ET.Element, collection: str = "CIN", year: str = "2025") -> ET.Element:
    header = node(
        "Header",
        node("CollectionDetails", *leaves(Collection=collection, Year=year, ReferenceDate=f"{year}-03-31")),
        node("Source", *leaves(SourceLevel="L", LEA="999")),
    )
    return node("Message", header, node("Children", *children))


def write(path: Path, message: ET.Element) -> Path:
    """Write pretty-printed, one element per line, so problems have meaningful line numbers."""
    ET.indent(message)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(message, encoding="unicode"), "utf-8")
    return path


def rows(out_dir: Path, table: str) -> list[dict[str, str]]:
    with (out_dir / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def header(out_dir: Path, table: str) -> list[str]:
    with (out_dir / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``text``."""
    hits = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line]
    return hits[occurrence - 1]
