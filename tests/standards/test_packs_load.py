"""Every shipped pack loads, accounts for every statement of its document, and tests every standard it automates."""

from __future__ import annotations

import re

import pytest

from casewatch.standards.loader import available_packs, load_pack
from casewatch.standards.statement_check import coverage
from casewatch.standards.statements import normalise

PACKS = available_packs()
WITH_STATEMENTS = [name for name in PACKS if load_pack(name).statements is not None]
_URL = re.compile(r"(?:\s+and\s+)?<?https?://[^\s>]+>?")  # links, and the "and" joining two
_NUMBERING = re.compile(r"^[-*\s]*(\d+\.)?\s*")


COUNCILS = ("derby", "dudley", "rutland", "st-helena", "coventry")


def test_the_council_packs_are_shipped() -> None:
    assert {"england", *COUNCILS} <= set(PACKS)
    assert set(COUNCILS) <= set(WITH_STATEMENTS)


def test_st_helena_is_its_own_jurisdiction_and_the_others_extend_england() -> None:
    st_helena = load_pack("st-helena")
    assert st_helena.base is None and st_helena.spec.calendar == "st-helena"
    assert all(s.calendar == "st-helena" for s in st_helena.standards.values())
    for name in ("derby", "dudley", "rutland", "coventry"):
        pack = load_pack(name)
        assert pack.base is not None and pack.base.id == "england", name


def test_every_standard_has_a_topic_of_the_comparison() -> None:
    untopiced = [s.id for name in PACKS for s in load_pack(name).own.values() if s.spec.topic is None]
    assert not untopiced


@pytest.mark.parametrize("name", PACKS)
def test_every_shipped_pack_loads(name: str) -> None:
    pack = load_pack(name)
    assert pack.standards, f"{name} has no standards"
    for standard in pack.own.values():
        assert standard.spec.citation.quote.strip(), f"{standard.id} has an empty quote"


@pytest.mark.parametrize("name", WITH_STATEMENTS)
def test_every_statement_is_accounted_for(name: str) -> None:
    report = coverage(load_pack(name))
    assert report.total > 0
    assert not report.unaccounted, [r.statement.id for r in report.unaccounted]
    assert report.percent == 100
    assert report.automated + report.audit_only + report.not_measurable == report.total


@pytest.mark.parametrize("name", WITH_STATEMENTS)
def test_every_automated_standard_a_statement_uses_has_cases(name: str) -> None:
    """Inherited standards included: a statement encoded as england.cla-visits relies on its cases too."""
    pack = load_pack(name)
    report = coverage(pack)
    used = {full for row in report.rows for full in row.standards}
    missing = sorted(s for s in used if not pack.standards[s].cases_path.is_file())
    assert not missing, f"no .cases.yaml beside: {missing}"


@pytest.mark.parametrize("name", PACKS)
def test_every_own_standard_has_cases(name: str) -> None:
    pack = load_pack(name)
    missing = sorted(s.id for s in pack.own.values() if not s.cases_path.is_file())
    assert not missing, f"no .cases.yaml beside: {missing}"


@pytest.mark.parametrize("name", [n for n in WITH_STATEMENTS if load_pack(n).statements.spec.source_text])  # type: ignore[union-attr]
def test_every_line_of_the_source_document_is_a_statement(name: str) -> None:
    """Completeness against the document itself: each line is the title, links, or statement text (plus numbering)."""
    pack = load_pack(name)
    statements = pack.statements
    assert statements is not None and statements.spec.source_text is not None
    source = (pack.path / statements.spec.source_text).read_text(encoding="utf-8")
    titles = {normalise(d.title) for d in pack.documents().values()}
    texts = sorted((normalise(s.text) for s in statements.statements), key=len, reverse=True)
    leftovers = []
    for line in source.splitlines():
        rest = normalise(_URL.sub("", line))
        if not rest or rest in titles:
            continue
        for text in texts:
            rest = rest.replace(text, "")
        if _NUMBERING.sub("", rest).strip():
            leftovers.append(line)
    assert not leftovers, "lines of the document no statement covers:\n" + "\n".join(leftovers)


def test_derby_extends_england_and_keeps_its_statutory_floor() -> None:
    derby = load_pack("derby")
    assert derby.base is not None and derby.base.id == "england"
    assert {"england.cla-visits", "england.assessment-timescale", "derby.allocated-worker"} <= set(derby.standards)
    assert all(s.spec.type == "local" for s in derby.own.values())
    assert derby.spec.documents["derby-procedures"].url == "http://derbycsc.proceduresonline.com/index.html"
