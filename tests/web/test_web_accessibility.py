"""Every page, for every role that can open it, passes the HTML accessibility checks in html_checks.py.

What HTML cannot show (focus actually visible, the skip link working) is checked in the browser tests; here the
style sheet is checked not to take focus outlines away.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from html_checks import page_problems
from sqlalchemy import select
from web_support import Site, child_token, csrf_of, sign_in

from casewatch.web import store

STATIC = Path(__file__).parents[2] / "src" / "casewatch" / "web" / "static"

PAGES = [
    ("worker", "/caseload"),
    ("worker", "/child/{own_child}"),
    ("worker", "/compliance"),
    ("worker", "/standard/{standard}"),
    ("worker", "/child/{other_child}"),  # the 404 page
    ("worker", "/team"),  # the 403 page
    ("manager", "/team"),
    ("manager", "/work-items?team={team}&status=overdue"),
    ("manager", "/work-items?team={team}&status=no-such-status"),
    ("manager", "/caseload?worker={worker}"),
    ("manager", "/standard/{standard}?team={team}"),
    ("qa", "/compliance"),
    ("qa", "/standard/{standard}?team={other_team}"),
    ("qa", "/standards"),
    ("qa", "/standards?compare=derby&compare=dudley&compare=england"),
    ("qa", "/data-quality"),
    ("head", "/team?team={other_team}"),
    ("admin", "/admin/users"),
    ("admin", "/admin/settings"),
    ("admin", "/admin/audit"),
    ("admin", "/admin/audit/check"),
    ("head", "/data-quality"),
    ("qa", "/search"),
    ("qa", "/search?q=1"),
    ("worker", "/search?q=no-such-child"),
    ("manager", "/work-items?team={team}&sort=due_date&dir=desc&page=2"),
]


def _fill(site: Site, path: str) -> str:
    i = store.instances
    with site.engine.connect() as conn:
        standard = conn.execute(select(i.c.standard_id).where(i.c.status == "overdue").limit(1)).scalar_one()
    return path.format(
        own_child=child_token(site, worker_id=site.worker_id),
        other_child=child_token(site, worker_id=site.other_worker_id),
        standard=standard,
        team=site.team_id,
        other_team=site.other_team_id,
        worker=site.worker_id,
    )


@pytest.mark.parametrize(("username", "path"), PAGES)
def test_each_page_meets_the_html_checks(site: Site, username: str, path: str) -> None:
    response = sign_in(site.app, username, site.passwords[username]).get(_fill(site, path))
    assert response.headers["content-type"].startswith("text/html")
    assert page_problems(response.text) == []


def test_the_sign_in_page_and_its_errors_meet_the_html_checks(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)
    page = client.get("/login")
    assert page_problems(page.text) == []
    wrong = client.post("/login", data={"username": "qa", "password": "wrong", "csrf_token": csrf_of(page.text)})
    assert "There is a problem" in wrong.text and page_problems(wrong.text) == []
    assert page_problems(client.get("/no-such-page").text) == []


def test_forms_with_messages_meet_the_html_checks(site: Site) -> None:
    admin = sign_in(site.app, "admin", site.passwords["admin"])
    token = csrf_of(admin.get("/admin/users").text)
    refused = admin.post("/admin/users", data={"csrf_token": token, "username": "", "role": "qa"})
    assert refused.status_code == 400 and page_problems(refused.text) == []
    values = {"caseload_limit": "0", "idle_timeout_minutes": "30", "session_hours": "10", "due_soon_days": "14"}
    settings = admin.post("/admin/settings", data={"csrf_token": token, **values})
    assert settings.status_code == 400 and page_problems(settings.text) == []
    mistyped = admin.get("/admin/audit?since=not-a-date")
    assert mistyped.status_code == 400 and page_problems(mistyped.text) == []


def test_the_checks_catch_what_they_are_for() -> None:
    """The checker itself: a page with each fault is reported, so a passing page means something."""
    bad = """<!DOCTYPE html><html><head><title>x</title><style>p{}</style></head><body>
    <a href="/elsewhere">click here</a><a href="#main-content">Skip</a><main id="main-content">
    <h1>One</h1><h3>Skipped</h3><h1>Two</h1><input id="q" name="q"><img src="a.png">
    <table><tr><th>Head</th></tr></table><svg class="cw-chart"><rect/></svg><p style="color:red" id="q"></p>
    <script>alert(1)</script></main></body></html>"""
    found = "\n".join(page_problems(bad))
    for fault in (
        "no lang",
        "2 h1 headings",
        "skips a level",
        "has no label",
        "no alt text",
        "no <caption>",
        "without a scope",
        "neither hidden nor an image",
        "without a <title>",
        "style attribute",
        "<style> element",
        "inline <script>",
        "ids used more than once",
        "says only 'click here'",
        "not the skip link",
        "chart without its figures",
    ):
        assert fault in found, fault


def test_the_style_sheet_never_hides_the_focus_outline() -> None:
    css = (STATIC / "casewatch.css").read_text()
    assert not re.search(r"outline\s*:\s*(none|0)\b", css)
    for focusable in (".cw-header__service:focus", ".cw-link-button:focus", ".cw-table-wrap:focus"):
        assert focusable in css


def test_the_standard_page_shows_where_its_words_come_from_and_how_they_were_read(site: Site) -> None:
    page = sign_in(site.app, "qa", site.passwords["qa"]).get("/standard/england.care-plan")
    assert page.status_code == 200 and page_problems(page.text) == []
    text = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
    assert "Source The Care Planning, Placement and Case Review (England) Regulations 2010, Regulation 4(2)" in text
    assert "Edition As made, 24 March 2010 (2010-03-24)" in text
    assert 'href="https://www.legislation.gov.uk/uksi/2010/959"' in page.text
    assert "Checked unverified : from the document, but not checked against its text here" in text
    assert "Proxy: what the data records instead The care plan is taken from the plan document record" in text
    assert "Not encoded Children subject to a care order to whom section 31A applies" in text
    assert "Interpretation: care-plan-record" in text
    assert "plan-document (default) chosen :" in text and "ssd-care-plan :" in text
    assert "set target: {source: care_plan, where: null}, match: null, accept_from: null" in text
    assert "Version 1, from 2011-04-01 (open-ended): within 10 working days of the period of care" in text
