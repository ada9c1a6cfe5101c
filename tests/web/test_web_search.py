"""Search, in the style of the permission matrix: each role finds exactly the children, workers and teams it may
open, and a search for something out of scope gives the same page, byte for byte, as a search for nothing.

What each role may see is read from the scope checks the pages use (``may_see_person``, ``may_see_worker``,
``may_see_team``), so search and the pages cannot disagree about who sees what.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from web_support import Site, sign_in

from casewatch.web import queries, store
from casewatch.web.auth import User
from casewatch.web.links import link

NO_SUCH = "NO-SUCH-ID-0000"


def _user(site: Site, username: str) -> User:
    u = store.users
    with site.engine.connect() as conn:
        row = conn.execute(select(u).where(u.c.username == username)).one()
    return User(row.id, row.username, row.display_name, row.role, row.worker_id, row.team_id, "csrf")


def _children(site: Site) -> list[tuple[str, str]]:
    """Person ids and tokens: the worker's children, the other worker's, and the first few by id."""
    ch, oc = store.children, store.open_cases
    with site.engine.connect() as conn:
        held = select(oc.c.person_id).where(oc.c.worker_id.in_((site.worker_id, site.other_worker_id)))
        mine = conn.execute(select(ch.c.person_id, ch.c.token).where(ch.c.person_id.in_(held))).all()
        first = conn.execute(select(ch.c.person_id, ch.c.token).order_by(ch.c.person_id).limit(10)).all()
    return sorted({(r.person_id, r.token) for r in [*mine, *first]})


def _found(html: str, href: str) -> bool:
    return f'href="{href.replace("&", "&amp;")}"' in html


def _normalised(html: str, text: str) -> str:
    """The page with the search text itself taken out (it is echoed in the title and the box)."""
    return html.replace(text, "QUERY")


@pytest.mark.parametrize("username", ["worker", "manager", "qa", "head"])
def test_each_role_finds_exactly_the_children_it_may_open(site: Site, username: str) -> None:
    client = sign_in(site.app, username, site.passwords[username])
    user = _user(site, username)
    seen = hidden = 0
    for person_id, token in _children(site):
        page = client.get(link("/search", q=person_id))
        assert page.status_code == 200
        may = queries.may_see_person(site.engine, user, person_id)
        assert _found(page.text, link("/child", token)) == may, person_id
        seen, hidden = seen + may, hidden + (not may)
        if not may:
            nothing = client.get(link("/search", q=NO_SUCH)).text
            assert _normalised(page.text, person_id) == _normalised(nothing, NO_SUCH), person_id
    assert seen > 0
    if username in ("worker", "manager"):
        assert hidden > 0, "the test site gives this role nobody out of scope to search for"


@pytest.mark.parametrize("username", ["worker", "manager", "qa", "head"])
def test_each_role_finds_exactly_the_workers_and_teams_it_may_open(site: Site, username: str) -> None:
    client = sign_in(site.app, username, site.passwords[username])
    user = _user(site, username)
    workers = [w.worker_id for w in queries.worker_rows(site.engine)]
    teams = [t.team_id for t in queries.team_rows(site.engine)]
    nothing = client.get(link("/search", q=NO_SUCH)).text
    verdicts = []
    for worker_id in workers:
        page = client.get(link("/search", q=worker_id)).text
        may = queries.may_see_worker(site.engine, user, worker_id)
        assert _found(page, link("/caseload", worker=worker_id)) == may, worker_id
        verdicts.append(may)
    for team_id in teams:
        page = client.get(link("/search", q=team_id)).text
        may = queries.may_see_team(user, team_id)
        assert _found(page, link("/team", team=team_id)) == may, team_id
        if not may and not any(team_id in w for w in workers):
            # Nothing else carries the team's id, so the page must be the page of no match.
            assert _normalised(page, team_id) == _normalised(nothing, NO_SUCH), team_id
        verdicts.append(may)
    assert any(verdicts)
    if username in ("worker", "manager"):
        assert not all(verdicts)


def test_an_out_of_scope_child_is_the_same_page_as_no_child(site: Site) -> None:
    worker = sign_in(site.app, "worker", site.passwords["worker"])
    ch, oc = store.children, store.open_cases
    with site.engine.connect() as conn:
        other = conn.execute(
            select(ch.c.person_id)
            .join(oc, oc.c.person_id == ch.c.person_id)
            .where(oc.c.worker_id == site.other_worker_id)
            .limit(1)
        ).scalar_one()
    assert not queries.may_see_person(site.engine, _user(site, "worker"), other)
    theirs = worker.get(link("/search", q=other))
    missing = worker.get(link("/search", q=NO_SUCH))
    assert theirs.status_code == missing.status_code == 200
    assert _normalised(theirs.text, other) == _normalised(missing.text, NO_SUCH)
    assert "No children match." in theirs.text


def test_results_are_paged_and_a_bad_page_number_is_a_safe_default(site: Site) -> None:
    qa = sign_in(site.app, "qa", site.passwords["qa"])
    with site.engine.connect() as conn:
        ids = list(conn.execute(select(store.children.c.person_id)).scalars())
    common = ids[0][:1]
    matching = sum(common in p for p in ids)
    assert matching > 50, "the test site needs more than a page of children"
    first = qa.get(link("/search", q=common)).text
    assert f"Showing 1–50 of {matching:,}" in first
    second = qa.get(link("/search", q=common, children_page="2")).text
    assert f"Showing 51–{min(100, matching)} of {matching:,}" in second
    assert _children_on(first).isdisjoint(_children_on(second))
    for bad in ("0", "-1", "two"):
        page = qa.get(link("/search", q=common, children_page=bad))
        assert page.status_code == 200
        assert _children_on(page.text) == _children_on(first), bad
    last = -(-matching // 50)
    beyond = qa.get(link("/search", q=common, children_page="99999")).text
    assert f"Page {last} of {last}" in beyond


def _children_on(html: str) -> set[str]:
    return set(re.findall(r'href="/child/([^"]+)"', html))


def test_an_administrator_has_no_search_and_a_wild_card_matches_only_itself(site: Site) -> None:
    admin = sign_in(site.app, "admin", site.passwords["admin"])
    assert admin.get("/search?q=a").status_code == 403
    qa = sign_in(site.app, "qa", site.passwords["qa"])
    page = qa.get(link("/search", q="%")).text
    assert "No children match." in page and "No workers match." in page and "No teams match." in page
