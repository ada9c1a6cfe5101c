"""The one streaming XML reader both returns' importers use: records in order, lines, strays and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from casewatch.errors import DataError
from casewatch.importers.xml_stream import Record, Stray, XmlStream

RECORDS = ("Message/Header", "Message/Children/Child")

CENSUS = """<?xml version="1.0"?>
<Message>
  <Header><Collection>CIN</Collection></Header>
  <Children>
    <Child>
      <Id>A</Id>
    </Child>
    <Note>stray<Inner/></Note>
    <Child>
      <Id>B</Id>
    </Child>
  </Children>
  <Trailer/>
</Message>
"""


def _stream(tmp_path: Path, text: str, records: tuple[str, ...] = RECORDS) -> tuple[XmlStream, list[Record | Stray]]:
    path = tmp_path / "return.xml"
    path.write_text(text, "utf-8")
    stream = XmlStream(path, records=records, kind="a test return")
    return stream, list(stream)


def _id(record: Record | Stray) -> str:
    assert isinstance(record, Record)
    return next(e.text or "" for e in record.element.iter() if e.tag == "Id")


def test_records_come_in_file_order_with_the_line_each_element_starts_on(tmp_path: Path) -> None:
    stream, items = _stream(tmp_path, CENSUS)
    records = [i for i in items if isinstance(i, Record)]
    assert [(r.path, r.index) for r in records] == [
        ("Message/Header", 1),
        ("Message/Children/Child", 1),
        ("Message/Children/Child", 2),
    ]
    child = records[1]
    assert child.lines[child.element] == 5
    # the record was cleared after it was handed on, but its lines were stamped while it was whole
    assert sorted(child.lines.values()) == [5, 6]
    assert stream.seen == {"Message", "Message/Children"}


def test_an_element_where_the_return_has_none_is_reported_with_its_line_and_skipped_whole(tmp_path: Path) -> None:
    _, items = _stream(tmp_path, CENSUS)
    strays = [i for i in items if isinstance(i, Stray)]
    assert strays == [
        Stray("Children/Note[1]", "Note", "Children", 8),
        Stray("Message/Trailer[1]", "Trailer", "Message", 13),
    ]


def test_records_are_let_go_so_memory_holds_one_at_a_time(tmp_path: Path) -> None:
    children = "".join(f"<Child><Id>{n}</Id></Child>" for n in range(50))
    path = tmp_path / "return.xml"
    path.write_text(f"<Message><Children>{children}</Children></Message>", "utf-8")
    ids, elements = [], []
    for item in XmlStream(path, records=RECORDS, kind="a test return"):
        assert isinstance(item, Record)
        ids.append(_id(item))
        elements.append(item.element)
    assert ids == [str(n) for n in range(50)]
    assert all(len(e) == 0 for e in elements)  # each record's subtree was dropped once the reader moved on


def test_a_one_line_file_stamps_every_element_line_1(tmp_path: Path) -> None:
    _, items = _stream(tmp_path, CENSUS.replace("\n", ""))
    records = [i for i in items if isinstance(i, Record)]
    assert {line for r in records for line in r.lines.values()} == {1}


def test_tags_match_without_namespace_or_case(tmp_path: Path) -> None:
    text = '<message xmlns="http://example.org/census"><CHILDREN><child><Id>A</Id></child></CHILDREN></message>'
    stream, items = _stream(tmp_path, text)
    assert [(i.path, i.index) for i in items if isinstance(i, Record)] == [("Message/Children/Child", 1)]
    assert stream.seen == {"Message", "Message/Children"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"return\.xml is not an XML file \(no element found"),
        ("CHILD,DOB\nA,2020-01-01\n", r"return\.xml is not an XML file \(syntax error"),
        ("<EXPSSDA903/>", r"is XML but not a test return: its root element is <EXPSSDA903>, not <Message>\.$"),
        (
            "<Message>\n<Children>\n<Child>\n</Message>",
            r"is not well-formed XML at line 4 \(mismatched tag.*\), so nothing",
        ),
        ("<Message>\n<Children>\n<Child>", r"is not well-formed XML at line 3 .*, so nothing was imported\.$"),
    ],
)
def test_a_file_that_is_not_the_return_is_one_sentence_naming_it(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        _stream(tmp_path, text)


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist or is not a file"):
        list(XmlStream(tmp_path / "absent.xml", records=RECORDS, kind="a test return"))
