"""Reading the XML form of the 903 (``EXPSSDA903`` → ``CHILD`` → ``HEADER`` + ``EPISODE``) into the CSV's rows.

The XML nests what the CSV spreads over files: a ``CHILD`` holds its ``HEADER`` (with ``AREVIEW``, ``AMISSING``,
``AD_PLACED``, ``OC2`` and ``PERMANENCE`` groups and the UASC, OC3 and AD1 items as plain elements) and its
``EPISODE`` s, and says ``CHILDID``/``PL`` where the CSV says ``CHILD``/``PLACE``. Turning each group into the
row the CSV file would hold lets one mapping serve both forms.

The file is streamed one ``CHILD`` at a time by :mod:`casewatch.importers.xml_stream`, so a large return is never
held in memory whole; a return written on one line (as many are) locates problems by element path alone.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from casewatch.formats.ssda903 import COLUMN_ALIASES, KINDS
from casewatch.importers.report import ImportProblem, ImportReport
from casewatch.importers.xml_stream import Lines, Record, XmlStream, local

from .records import InputRow, ReadResult

ROOT = "EXPSSDA903"

#: Group elements inside HEADER and the 903 file each becomes.
_GROUPS = {
    "AREVIEW": "reviews",
    "AMISSING": "missing",
    "AD_PLACED": "placed_for_adoption",
    "OC2": "oc2",
    "PERMANENCE": "prev_perm",
}
#: Plain HEADER items that, when any is present, make a row of these files.
_ITEM_FILES = {
    "uasc": ("UASC", "DUC"),
    "oc3": ("IN_TOUCH", "ACTIV", "ACCOM"),
    "ad1": ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
}
_HEADER_ITEMS = frozenset(
    {
        "CHILDID",
        "CHILD",
        "UPN",
        "SEX",
        "DOB",
        "ETHNIC",
        "MOTHER",
        "MC_DOB",
        *(i for v in _ITEM_FILES.values() for i in v),
    }
)


def _tag(element: ET.Element) -> str:
    return local(element.tag).upper()


def _leaves(element: ET.Element) -> dict[str, str]:
    return {COLUMN_ALIASES.get(_tag(e), _tag(e)): (e.text or "").strip() for e in element if len(e) == 0}


def read_xml(path: Path, report: ImportReport) -> ReadResult:
    """Every 903 row the XML file holds; DataError if it is not well-formed XML or not a 903 return."""
    rows: list[InputRow] = []
    unknown: Counter[str] = Counter()
    for item in XmlStream(path, records=(f"{ROOT}/CHILD",), kind="an SSDA903 return"):
        if isinstance(item, Record):
            rows.extend(_child_rows(path.name, item.element, item.index, item.lines, unknown, report))
        else:
            unknown[f"{item.parent.upper()}/{item.tag.upper()}"] += 1
    for tag, count in sorted(unknown.items()):
        report.problem(
            ImportProblem(path.name, None, None, tag, None, f"element not read ({count} times)", severity="warning")
        )
    # a return covers every child, so a group no child has (no one went missing) is an empty file, not an absent one
    return ReadResult(rows, {"header", "episodes", *_GROUPS.values(), *_ITEM_FILES})


def _child_rows(
    file: str,
    child: ET.Element,
    index: int,
    lines: Lines,
    unknown: Counter[str],
    report: ImportReport,
) -> list[InputRow]:
    header = next((e for e in child if _tag(e) == "HEADER"), None)
    items = _leaves(header) if header is not None else {}
    child_id = items.get("CHILD", "")
    dob = items.get("DOB", "")
    rows: list[InputRow] = []

    def add(kind: str, values: dict[str, str], element: ET.Element, path: str) -> None:
        values = {"CHILD": child_id, "DOB": dob, **values} if kind != "episodes" else {"CHILD": child_id, **values}
        name = f"{file} {kind}"
        report.rows_read[name] += 1
        rows.append(InputRow(kind, file, lines.get(element), values, path=path, input_name=name))

    base = f"CHILD[{index}]"
    if header is not None:
        add("header", {k: v for k, v in items.items() if k in KINDS["header"].columns}, header, f"{base}/HEADER")
        for kind, names in _ITEM_FILES.items():
            if any(items.get(n) for n in names):
                add(kind, {k: v for k, v in items.items() if k in KINDS[kind].columns}, header, f"{base}/HEADER")
        counts: Counter[str] = Counter()
        for group in header:
            tag = _tag(group)
            if len(group) == 0:
                if tag not in _HEADER_ITEMS:
                    unknown[f"HEADER/{tag}"] += 1
                continue
            if tag not in _GROUPS:
                unknown[f"HEADER/{tag}"] += 1
                continue
            counts[tag] += 1
            add(_GROUPS[tag], _leaves(group), group, f"{base}/HEADER/{tag}[{counts[tag]}]")
    episode = 0
    for element in child:
        tag = _tag(element)
        if tag == "EPISODE":
            episode += 1
            add("episodes", _leaves(element), element, f"{base}/EPISODE[{episode}]")
        elif tag != "HEADER":
            unknown[f"CHILD/{tag}"] += 1
    return rows
