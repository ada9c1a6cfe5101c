"""Reading the XML form of the 903 (``EXPSSDA903`` → ``CHILD`` → ``HEADER`` + ``EPISODE``) into the CSV's rows.

The XML nests what the CSV spreads over files: a ``CHILD`` holds its ``HEADER`` (with ``AREVIEW``, ``AMISSING``,
``AD_PLACED``, ``OC2`` and ``PERMANENCE`` groups and the UASC, OC3 and AD1 items as plain elements) and its
``EPISODE`` s, and says ``CHILDID``/``PL`` where the CSV says ``CHILD``/``PLACE``. Turning each group into the
row the CSV file would hold lets one mapping serve both forms.

The file is streamed with :func:`xml.etree.ElementTree.iterparse`, one ``CHILD`` at a time, so a large return is
never held in memory whole. Lines are tracked by feeding the parser a line at a time; a return written on one
line (as many are) locates problems by element path alone.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import BinaryIO

from casewatch.errors import DataError
from casewatch.formats.ssda903 import COLUMN_ALIASES, KINDS
from casewatch.importers.report import ImportProblem, ImportReport

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


class _Lines:
    """A binary file handed to the parser at most one line per read, so the current line is known."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.line = 1
        self._pending = 0

    def read(self, size: int = -1) -> bytes:
        self.line += self._pending
        data = self.handle.readline(size if size > 0 else -1)
        self._pending = 1 if data.endswith(b"\n") else 0
        return data


def _tag(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1].upper()


def _leaves(element: ET.Element) -> dict[str, str]:
    return {COLUMN_ALIASES.get(_tag(e), _tag(e)): (e.text or "").strip() for e in element if len(e) == 0}


def read_xml(path: Path, report: ImportReport) -> ReadResult:
    """Every 903 row the XML file holds; DataError if it is not well-formed XML or not a 903 return."""
    rows: list[InputRow] = []
    unknown: Counter[str] = Counter()
    lines: dict[ET.Element, int] = {}
    children = 0
    with path.open("rb") as handle:
        source = _Lines(handle)
        events = ET.iterparse(source, events=("start", "end"))
        try:
            _, root = next(events)
            if _tag(root) != ROOT:
                raise DataError(
                    f"{path.name} is XML but not an SSDA903 return: its root is <{_tag(root)}>, not <{ROOT}>"
                )
            for event, element in events:
                if event == "start":
                    lines[element] = source.line
                    continue
                if _tag(element) != "CHILD":
                    continue
                children += 1
                rows.extend(_child_rows(path.name, element, children, lines, unknown, report))
                root.clear()  # only finished CHILD elements hang off the root: let them go
                lines.clear()
        except ET.ParseError as exc:
            raise DataError(f"{path.name} is not well-formed XML ({exc})") from None
        except StopIteration:
            raise DataError(f"{path.name} is empty, not an SSDA903 XML return") from None
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
    lines: dict[ET.Element, int],
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
