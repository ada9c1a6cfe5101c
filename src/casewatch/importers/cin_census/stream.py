"""Streaming read of a CIN census file: one ``Child`` element at a time, with the line each element starts on.

A council's census can run to hundreds of megabytes, so the file is never built as one tree. The standard
library's ``iterparse`` cannot say where an element is, and problems must name a line; so the file is fed to
``XMLPullParser`` (the parser ``iterparse`` is built on) a line at a time and each ``start`` event is stamped
with the line just fed. After its callback a ``Child`` is cleared and detached, so memory holds one child.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, cast

from casewatch.errors import DataError

#: Bytes read per feed; a longer line (a whole file on one line) is fed in pieces, all stamped with its number.
_CHUNK = 1 << 16

Lines = dict[ET.Element, int]
ChildHandler = Callable[[int, ET.Element, Lines], None]
HeaderHandler = Callable[[ET.Element, Lines], None]
UnknownHandler = Callable[[str, int], None]


def local(tag: str) -> str:
    """The tag without a ``{namespace}`` prefix: some census software writes a default namespace."""
    return tag.rsplit("}", 1)[-1]


@dataclass
class _State:
    """Where the parse is: the open elements, the current child's line stamps, counts."""

    stack: list[ET.Element] = field(default_factory=list)
    lines: Lines = field(default_factory=dict)
    header_lines: Lines = field(default_factory=dict)
    children_seen: bool = False
    child_count: int = 0
    other_count: dict[str, int] = field(default_factory=dict)


def read_census(
    path: Path,
    on_child: ChildHandler,
    *,
    on_header: HeaderHandler,
    on_unknown: UnknownHandler,
) -> int:
    """Stream ``path``, calling ``on_child(index, element, lines)`` per ``Message/Children/Child``.

    ``on_header`` gets the ``Header`` element; ``on_unknown(path, line)`` is told of any element outside
    ``Header``/``Children``/``Child``. Raises ``DataError`` when the file is not XML, is not a CIN census
    ``Message`` or is cut off part-way. Returns the number of children read.
    """
    if not path.is_file():
        raise DataError(f"{path} does not exist or is not a file.")
    state = _State()
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    line = 1
    with path.open("rb") as handle:
        for chunk, chunk_line in _ChunkIter(handle):
            line = chunk_line
            _feed(parser, chunk, path, line, state)
            _drain(parser, path, line, state, on_child, on_header, on_unknown)
        try:
            parser.close()
        except ET.ParseError as exc:
            raise _parse_error(path, state, exc) from None
    _drain(parser, path, line, state, on_child, on_header, on_unknown)
    if not state.children_seen:
        raise DataError(f"{path} is not a CIN census: its <Message> has no <Children> element.")
    return state.child_count


class _ChunkIter:
    """Pieces of the file of at most ``_CHUNK`` bytes, each with the line number it starts on."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._line = 1

    def __iter__(self) -> _ChunkIter:
        return self

    def __next__(self) -> tuple[bytes, int]:
        chunk = self._handle.readline(_CHUNK)
        if not chunk:
            raise StopIteration
        line = self._line
        if chunk.endswith(b"\n"):
            self._line += 1
        return chunk, line


def _feed(parser: ET.XMLPullParser[ET.Element], chunk: bytes, path: Path, line: int, state: _State) -> None:
    try:
        parser.feed(chunk)
    except ET.ParseError as exc:
        raise _parse_error(path, state, exc) from None


def _parse_error(path: Path, state: _State, exc: ET.ParseError) -> DataError:
    where = getattr(exc, "position", (0, 0))[0]
    if not state.stack and not state.children_seen and state.child_count == 0:
        return DataError(f"{path} is not an XML file ({exc.msg}).")
    return DataError(f"{path} is not well-formed XML at line {where} ({exc.msg}), so nothing was imported.")


def _drain(
    parser: ET.XMLPullParser[ET.Element],
    path: Path,
    line: int,
    state: _State,
    on_child: ChildHandler,
    on_header: HeaderHandler,
    on_unknown: UnknownHandler,
) -> None:
    try:
        events = list(parser.read_events())  # the pull parser raises a feed's syntax error here, not in feed()
    except ET.ParseError as exc:
        raise _parse_error(path, state, exc) from None
    for item in events:
        event, element = cast(tuple[str, ET.Element], item)  # only start/end events, which carry an element
        if event == "start":
            _start(element, path, line, state, on_unknown)
        else:
            _end(element, state, on_child, on_header)


def _start(element: ET.Element, path: Path, line: int, state: _State, on_unknown: UnknownHandler) -> None:
    depth = len(state.stack)
    tag = local(element.tag)
    if depth == 0 and tag != "Message":
        raise DataError(f"{path} is XML but not a CIN census: its root element is <{tag}>, not <Message>.")
    state.stack.append(element)
    if depth == 1:
        if tag == "Children":
            state.children_seen = True
        elif tag != "Header":
            on_unknown(f"Message/{_indexed(tag, state)}", line)
    elif depth == 2 and local(state.stack[1].tag) == "Children":
        if tag == "Child":
            state.lines = {}
        else:
            on_unknown(f"Children/{_indexed(tag, state)}", line)
    if depth >= 2 and local(state.stack[1].tag) == "Header":
        state.header_lines[element] = line
    elif depth >= 3:
        state.lines[element] = line
    if depth == 2 and tag == "Child":
        state.lines[element] = line


def _indexed(tag: str, state: _State) -> str:
    state.other_count[tag] = state.other_count.get(tag, 0) + 1
    return f"{tag}[{state.other_count[tag]}]"


def _end(element: ET.Element, state: _State, on_child: ChildHandler, on_header: HeaderHandler) -> None:
    state.stack.pop()
    depth = len(state.stack)
    if depth == 1 and local(element.tag) == "Header":
        on_header(element, state.header_lines)
        element.clear()
    elif depth == 2 and local(state.stack[1].tag) == "Children":
        if local(element.tag) == "Child":
            state.child_count += 1
            on_child(state.child_count, element, state.lines)
        element.clear()
        state.stack[1].remove(element)
        state.lines = {}
