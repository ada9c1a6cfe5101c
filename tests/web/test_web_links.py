"""Links carry a council's ids intact, however they are spelled."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from casewatch.web.links import link


def test_query_values_are_encoded_and_empty_ones_left_out() -> None:
    url = link("/work-items", team="Children & Families / North", worker=None, status="overdue")
    parts = urlsplit(url)
    assert parts.path == "/work-items"
    assert parse_qs(parts.query) == {"team": ["Children & Families / North"], "status": ["overdue"]}


def test_path_segments_are_one_segment_each() -> None:
    assert link("/child", "a/b?c") == "/child/a%2Fb%3Fc"
    assert link("/standard", "england.cla-visits", team="T 1") == "/standard/england.cla-visits?team=T+1"
    assert link("/login") == "/login"
