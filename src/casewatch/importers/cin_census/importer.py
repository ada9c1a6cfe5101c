"""``import_cin_census``: a CIN census XML file to SSD-shaped CSVs, with a report of everything it could not use."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from casewatch.errors import DataError
from casewatch.formats.cin_census import NOT_IMPORTED

from ..report import ImportProblem, ImportReport
from ..xml_stream import Lines, Record, XmlStream, local
from .children import map_child
from .nodes import Context
from .output import TableFiles
from .schema import validate_against

#: Where the census keeps its header and its children, from the root.
HEADER = "Message/Header"
CHILD = "Message/Children/Child"

SUPPORTS = (
    "assessment timeliness: referral to authorised assessment within 45 working days (referral and assessment dates)",
    "initial child protection conferences within 15 working days of the S47 start (the strategy discussion)",
    "child protection review conferences: every review date of every plan in the census year",
    "CIN plan and child protection plan durations, re-referrals and repeat plans within the year",
)
CANNOT_SUPPORT = (
    "visits of any kind: the CIN census holds no visit dates",
    "looked-after children (episodes, placements, reviews, visits): they are in the SSDA903, not the CIN census",
    "allocation, caseload and worker standards: the census names no worker or team",
    "contacts, strategy discussions other than the one starting each S47, core groups: not collected",
    "events after the census reference date (31 March), and episodes closed before the census year began",
)


def import_cin_census(source: str, out_dir: Path, *, schema: Path | None = None) -> ImportReport:
    """Import the CIN census XML file ``source`` into ``out_dir``, one ``<table>.csv`` per SSD table.

    The file is streamed a child at a time. Raises ``DataError`` (one sentence naming the file) when it is not
    XML, not a CIN census ``Message``, or cut off part-way; then nothing is written. ``schema`` is an XSD to
    validate against, which needs the ``xmlschema`` package.
    """
    path = Path(source)
    out_dir = Path(out_dir)
    report = ImportReport("CIN census", source, out_dir)
    with TableFiles(out_dir) as files:
        context = Context(str(path), report, files.write)
        stream = XmlStream(path, records=(HEADER, CHILD), kind="a CIN census")
        for item in stream:
            if not isinstance(item, Record):
                report.problem(
                    ImportProblem(str(path), None, item.line, item.path, None, "unknown element; ignored", "warning")
                )
            elif item.path == HEADER:
                _header(context, path, item.element, item.lines)
            else:
                map_child(context, item.index, item.element, item.lines)
        if CHILD.rsplit("/", 1)[0] not in stream.seen:
            raise DataError(f"{path} is not a CIN census: its <Message> has no <Children> element.")
        files.commit()
    report.rows_written.update(files.written)
    _summarise_not_imported(context)
    if schema is not None:
        validate_against(path, Path(schema), report)
    report.supports.extend(SUPPORTS)
    report.cannot_support.extend(CANNOT_SUPPORT)
    return report


def _header(context: Context, path: Path, header: ET.Element, lines: Lines) -> None:
    """Refuse a ``Message`` of another collection; note the census date, which bounds what the file can show."""
    values = {local(e.tag): (e.text or "").strip() for e in header.iter() if len(e) == 0}
    collection = values.get("Collection")
    if collection and collection.upper() != "CIN":
        raise DataError(f"{path} is not a CIN census: its Header names the collection '{collection}', not 'CIN'.")
    if reference := values.get("ReferenceDate"):
        context.report.supports.append(f"census reference date {reference}: evaluate as at this date")


def _summarise_not_imported(context: Context) -> None:
    for tag, count in sorted(context.not_imported.items()):
        context.report.problem(
            ImportProblem(
                context.file, None, None, tag, None,
                f"{count:,} <{tag}> values read but not imported: {NOT_IMPORTED[tag]}", "warning",
            )
        )  # fmt: skip
