"""Walking one ``Child`` element: located nodes, layout checks, and leaf values turned into problems.

Every element is handled as a ``Node`` that knows its path (``Child[12]/CINdetails[2]/Assessments[1]``) and the
line it starts on, so any problem found below it can say exactly where it is.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from casewatch.data.vocabulary import excel_error, is_empty, tidy
from casewatch.formats.cin_census import COUNTED, LAYOUT, NOT_IMPORTED

from ..report import ImportProblem, ImportReport
from ..xml_stream import Lines, local
from .values import Parsed

Row = dict[str, str]
Fields = dict[str, list["Node"]]


@dataclass(frozen=True)
class Node:
    """An element with its path from the ``Child`` and its line in the file (None when not known)."""

    element: ET.Element
    path: str
    line: int | None

    @property
    def tag(self) -> str:
        return local(self.element.tag)

    @property
    def text(self) -> str:
        """The element's own text as meant (non-breaking and repeated spaces as one, no padding); "" when empty."""
        return tidy(self.element.text or "")


@dataclass
class Context:
    """What the walk of every child shares: the report, the id registry and the row sink."""

    file: str
    report: ImportReport
    emit: Callable[[str, Row], None]
    ids: dict[str, int] = field(default_factory=dict)
    not_imported: Counter[str] = field(default_factory=Counter)
    people: dict[str, str] = field(default_factory=dict)  # LAchildID -> path of the Child that defined it
    used: Counter[str] = field(default_factory=Counter)  # record kinds imported; read = used + skipped

    def unique_id(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``… when the same child has two records on the same date."""
        seen = self.ids.get(base, 0) + 1
        self.ids[base] = seen
        return base if seen == 1 else f"{base}-{seen}"

    def problem(self, node: Node, value: str | None, reason: str, severity: str = "error") -> None:
        self.report.problem(ImportProblem(self.file, None, node.line, node.path, value, reason, severity))

    def need(self, tag: str, value: str | None) -> None:
        """Count one record whose ``tag`` it cannot do without was (or was not) usable."""
        self.report.need(self.file, tag, value is not None)

    def skipped(self, node: Node, reason: str, value: str | None = None) -> None:
        """The record at ``node`` (and everything counted beneath it) was not imported."""
        self.problem(node, value, reason)
        self.count_skipped(node.element)

    def count_skipped(self, element: ET.Element) -> None:
        """Count every record kind at or below ``element`` as skipped (its problem is reported by the caller)."""
        for inner in element.iter():
            kind = local(inner.tag)
            if kind in COUNTED:
                self.report.rows_skipped[kind] += 1

    def count_read(self, element: ET.Element) -> None:
        """Count every record kind in a child as read, before the walk decides what becomes of each."""
        for inner in element.iter():
            kind = local(inner.tag)
            if kind in COUNTED:
                self.report.rows_read[kind] += 1


class Walker:
    """Reads the elements of one child against ``LAYOUT``, reporting what it cannot use."""

    def __init__(self, context: Context, lines: Lines) -> None:
        self.context = context
        self.lines = lines

    def root(self, element: ET.Element, index: int) -> Node:
        return Node(element, f"Child[{index}]", self.lines.get(element))

    def fields(self, node: Node) -> Fields:
        """The children of ``node`` by tag; unknown ones reported, surplus single ones reported and dropped."""
        allowed = LAYOUT[node.tag]
        seen: Counter[str] = Counter()
        found: defaultdict[str, list[Node]] = defaultdict(list)
        for element in node.element:
            tag = local(element.tag)
            seen[tag] += 1
            repeated = allowed.get(tag) == "many" or tag not in allowed or seen[tag] > 1
            child = Node(element, f"{node.path}/{tag}[{seen[tag]}]" if repeated else f"{node.path}/{tag}",
                         self.lines.get(element))  # fmt: skip
            if tag not in allowed:
                self.context.problem(
                    child, _snippet(child), f"unknown element <{tag}> in <{node.tag}>; ignored", "warning"
                )
                self.context.count_skipped(element)
                continue
            if allowed[tag] == "one" and seen[tag] > 1:
                self.context.problem(child, _snippet(child), f"<{tag}> appears more than once; only the first was used")
                continue
            if tag in NOT_IMPORTED and tag != "InitialCPCtarget":
                self.context.not_imported[tag] += 1
            found[tag].append(child)
        return dict(found)

    def first(self, fields: Fields, tag: str) -> Node | None:
        nodes = fields.get(tag)
        return nodes[0] if nodes else None

    def value(self, fields: Fields, tag: str, parse: Callable[[str], Parsed] | None = None) -> str | None:
        """The parsed value of leaf ``tag`` (None when absent, empty or unusable, the last reported)."""
        node = self.first(fields, tag)
        return None if node is None else self.leaf(node, parse)

    def leaf(self, node: Node, parse: Callable[[str], Parsed] | None = None) -> str | None:
        text = node.text
        if len(node.element):
            self.context.problem(
                node, text or None, f"<{node.tag}> should hold a value, not elements; they were ignored"
            )
        if (error := excel_error(text)) is not None:
            self.context.problem(node, text, f"Excel error value {error} read as empty", "warning")
            return None
        if is_empty(text, exports=True, typed=True):
            return None
        if parse is None:
            return text
        parsed = parse(text)
        if parsed.reason is not None:
            # A lost value is a warning: its record was still imported, unless the caller reports it skipped.
            reason = parsed.reason if parsed.kept else f"{parsed.reason}; the value was not imported"
            self.context.problem(node, text, reason, "warning")
        return parsed.value


def record(**values: str | None) -> Row:
    """A row from the values that are known; the writer leaves every other contract column empty."""
    return {name: value for name, value in values.items() if value is not None}


def _snippet(node: Node) -> str | None:
    text = node.text
    return text[:80] if text else None
