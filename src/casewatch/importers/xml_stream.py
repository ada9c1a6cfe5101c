"""Streaming read of a return's XML: one record element (a census ``Child``, a 903 ``CHILD``) at a time.

Both XML returns a council sends are one root holding a long run of per-child records, and a year's file can
run to hundreds of megabytes, so the file is never built as one tree. Problems must name a line, and the
standard library's ``iterparse`` cannot say where an element is; so the file is fed to ``XMLPullParser`` (the
parser ``iterparse`` is built on) a line at a time and each element is stamped with the line just fed. A file
written on one line (as many are) is fed in pieces all stamped line 1, and problems are then located by their
element path. After it is handed on, a record is cleared and detached, so memory holds one record.

Tags are matched without their ``{namespace}`` (some software writes a default one) and without regard to case
(a 903 from one supplier says ``<child>``); an element outside the expected paths is reported, never dropped
without a word.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, cast

from casewatch.errors import DataError

#: Bytes read per feed; a longer line (a whole file on one line) is fed in pieces, all stamped with its number.
_CHUNK = 1 << 16

Lines = Mapping[ET.Element, int]


def local(tag: str) -> str:
    """The tag without a ``{namespace}`` prefix."""
    return tag.rsplit("}", 1)[-1]


@dataclass(frozen=True)
class Record:
    """One finished record: which path it is at, its number among records at that path, and its lines."""

    path: str
    index: int
    element: ET.Element
    lines: Lines


@dataclass(frozen=True)
class Stray:
    """An element where the return has none (``Message/Trailer[1]``), with the line it starts on."""

    path: str
    tag: str
    parent: str
    line: int


@dataclass
class XmlStream:
    """The records of ``path`` in file order, as :class:`Record` and :class:`Stray` items.

    ``records`` are the slash paths of the record elements from the root (``"Message/Children/Child"``); their
    first part is the root the return must have, and each record path's parents are the containers it expects.
    ``kind`` names the return in errors ("a CIN census"). After iteration, ``seen`` holds every container path
    the file had, so a reader can refuse a file missing one it needs.
    """

    path: Path
    records: Collection[str]
    kind: str
    seen: set[str] = field(default_factory=set)

    def __iter__(self) -> Iterator[Record | Stray]:
        if not self.path.is_file():
            raise DataError(f"{self.path} does not exist or is not a file.")
        walk = _Walk(self, {_fold(r): r for r in self.records})
        parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
        line = 1
        with self.path.open("rb") as handle:
            for chunk, line in _pieces(handle):
                self._feed(parser, chunk, walk)
                yield from walk.take(parser, line)
            try:
                parser.close()
            except ET.ParseError as exc:
                raise self._error(walk, exc) from None
        yield from walk.take(parser, line)

    def _feed(self, parser: ET.XMLPullParser[ET.Element], chunk: bytes, walk: _Walk) -> None:
        try:
            parser.feed(chunk)
        except ET.ParseError as exc:
            raise self._error(walk, exc) from None

    def _error(self, walk: _Walk, exc: ET.ParseError) -> DataError:
        if not walk.started:
            return DataError(f"{self.path} is not an XML file ({exc.msg}).")
        where = getattr(exc, "position", (0, 0))[0]
        return DataError(f"{self.path} is not well-formed XML at line {where} ({exc.msg}), so nothing was imported.")


def _fold(path: str) -> str:
    return "/".join(local(part).casefold() for part in path.split("/"))


def _pieces(handle: BinaryIO) -> Iterator[tuple[bytes, int]]:
    """Pieces of the file of at most ``_CHUNK`` bytes, each with the line number it starts on."""
    line = 1
    while chunk := handle.readline(_CHUNK):
        yield chunk, line
        if chunk.endswith(b"\n"):
            line += 1


class _Walk:
    """Where the parse is: the open elements with their folded paths, and the current record's line stamps."""

    def __init__(self, stream: XmlStream, records: dict[str, str]) -> None:
        self.stream = stream
        self.records = records
        self.containers = {
            _fold(prefix): prefix
            for original in records.values()
            for prefix in (original.rsplit("/", i)[0] for i in range(1, original.count("/") + 1))
        }
        self.stack: list[tuple[ET.Element, str]] = []
        self.lines: dict[ET.Element, int] = {}
        self.counts: dict[str, int] = {}
        self.skipping = 0  # depth of a stray element being skipped, 0 when none
        self.started = False

    def take(self, parser: ET.XMLPullParser[ET.Element], line: int) -> Iterator[Record | Stray]:
        events = parser.read_events()
        while True:
            try:  # the pull parser raises a feed's syntax error here, after the events before it
                event, element = cast(tuple[str, ET.Element], next(events))  # start/end events carry an element
            except StopIteration:
                return
            except ET.ParseError as exc:
                raise self.stream._error(self, exc) from None
            if event == "start":
                yield from self._start(element, line)
            else:
                yield from self._end(element)

    def _start(self, element: ET.Element, line: int) -> Iterator[Stray]:
        tag = local(element.tag)
        if not self.stack:
            self.started = True
            root = next(iter(self.records.values())).split("/", 1)[0]
            if tag.casefold() != _fold(root):
                raise DataError(
                    f"{self.stream.path} is XML but not {self.stream.kind}: its root element is <{tag}>, not <{root}>."
                )
        parent = self.stack[-1][1] if self.stack else ""
        folded = f"{parent}/{tag.casefold()}" if parent else tag.casefold()
        self.stack.append((element, folded))
        if self.skipping or self._inside_record():
            self.lines[element] = line
            return
        if folded in self.records:
            self.lines = {element: line}
        elif folded in self.containers:
            self.stream.seen.add(self.containers[folded])
        else:
            self.skipping = len(self.stack)
            self.counts[folded] = self.counts.get(folded, 0) + 1
            parent_tag = local(self.stack[-2][0].tag)
            yield Stray(f"{parent_tag}/{tag}[{self.counts[folded]}]", tag, parent_tag, line)

    def _inside_record(self) -> bool:
        return any(folded in self.records for _, folded in self.stack[:-1])

    def _end(self, element: ET.Element) -> Iterator[Record]:
        depth = len(self.stack)
        _, folded = self.stack.pop()
        if self.skipping:
            if depth == self.skipping:
                self.skipping = 0
                self._let_go(element)
            return
        if folded in self.records:
            self.counts[folded] = self.counts.get(folded, 0) + 1
            yield Record(self.records[folded], self.counts[folded], element, self.lines)
            self._let_go(element)
            self.lines = {}

    def _let_go(self, element: ET.Element) -> None:
        element.clear()
        if self.stack:
            self.stack[-1][0].remove(element)
