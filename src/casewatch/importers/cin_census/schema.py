"""Optional validation against a DfE CIN census XSD the user supplies.

The standard library cannot validate XSD and casewatch does not depend on a library that can, so validation
runs only when ``xmlschema`` is installed. Asked for without it, the import stops with a ``DataError`` rather
than quietly skipping a check the user believes was made.
"""

from __future__ import annotations

import importlib
import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, cast

from casewatch.errors import DataError

from ..report import ImportProblem, ImportReport
from ..xml_stream import local


def validate_against(path: Path, schema: Path, report: ImportReport) -> None:
    """Report every schema violation in ``path`` as a warning (the importer has read what it could anyway)."""
    if importlib.util.find_spec("xmlschema") is None:
        raise DataError(
            f"Validation of {path} against {schema} was requested but the 'xmlschema' package is not installed; "
            "install it, or import without a schema."
        )
    if not schema.is_file():
        raise DataError(f"The schema {schema} does not exist or is not a file.")
    xmlschema: Any = importlib.import_module("xmlschema")
    try:
        xsd = xmlschema.XMLSchema(str(schema))
    except Exception as exc:  # the library raises several unrelated types for a bad schema
        raise DataError(f"{schema} is not a usable XML schema ({exc}).") from None
    try:
        errors = list(xsd.iter_errors(str(path)))
    except Exception as exc:  # a file the schema library cannot even walk: say so, once
        raise DataError(f"{path} could not be checked against {schema.name} ({exc}).") from None
    lines = element_lines(path, {_indexed(str(getattr(e, "path", None) or "")) for e in errors})
    for error in errors:
        where = getattr(error, "path", None)
        line = getattr(error, "sourceline", None) or lines.get(_indexed(str(where or "")))
        report.problem(
            ImportProblem(
                str(path),
                None,
                line,
                where,
                None,
                f"does not match the schema {schema.name}: {getattr(error, 'reason', None) or error}",
                "warning",
            )
        )


def _indexed(element_path: str) -> str:
    """An element path with every step indexed and namespace prefixes dropped: ``/Message[1]/Children[1]/...``."""
    steps = []
    for step in element_path.strip("/").split("/"):
        if not step:
            continue
        name = step.split(":")[-1]
        steps.append(name if name.endswith("]") else f"{name}[1]")
    return "/" + "/".join(steps)


def element_lines(path: Path, wanted: set[str]) -> dict[str, int]:
    """The line each wanted element starts on, found in one streamed pass (the schema library gives none)."""
    wanted = {w for w in wanted if w != "/"}
    found: dict[str, int] = {}
    if not wanted:
        return found
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    stack: list[tuple[str, dict[str, int]]] = [("", {})]  # (path, counts of child tags so far)
    open_elements: list[ET.Element] = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            try:
                parser.feed(line)
                events = list(parser.read_events())
            except ET.ParseError:
                return found
            for item in events:
                event, element = cast(tuple[str, ET.Element], item)  # only start/end events, which carry one
                if event == "start":
                    tag = local(element.tag)
                    parent, counts = stack[-1]
                    counts[tag] = counts.get(tag, 0) + 1
                    step = f"{parent}/{tag}[{counts[tag]}]"
                    stack.append((step, {}))
                    open_elements.append(element)
                    if step in wanted:
                        found[step] = number
                else:  # done with it: clear and detach, so memory holds only the open elements
                    stack.pop()
                    open_elements.pop()
                    element.clear()
                    if open_elements:
                        open_elements[-1].remove(element)
            if len(found) == len(wanted):
                break
    return found
