"""The way up from a page, service → team → worker, shown only as far as the signed-in role may go."""

from __future__ import annotations

import re

from sqlalchemy import select
from web_support import Site, child_token, sign_in

from casewatch.web import store
from casewatch.web.links import link


def _crumbs(html: str) -> list[str]:
    nav = re.search(r'<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', html, re.S)
    assert nav, "the page has no breadcrumb"
    return [h.replace("&amp;", "&") for h in re.findall(r'class="govuk-breadcrumbs__link" href="([^"]+)"', nav[1])]


def _team_of(site: Site, worker_id: str) -> str:
    w = store.workers
    with site.engine.connect() as conn:
        return str(conn.execute(select(w.c.team_id).where(w.c.worker_id == worker_id)).scalar_one())


def test_a_managers_child_page_leads_up_to_the_worker_the_team_and_the_service(site: Site) -> None:
    manager = sign_in(site.app, "manager", site.passwords["manager"])
    oc, ch = store.open_cases, store.children
    with site.engine.connect() as conn:
        row = conn.execute(
            select(ch.c.token, oc.c.worker_id)
            .join(oc, oc.c.person_id == ch.c.person_id)
            .where(oc.c.team_id == site.team_id, oc.c.worker_id.is_not(None))
            .limit(1)
        ).one()
    page = manager.get(f"/child/{row.token}").text
    assert _crumbs(page) == ["/compliance", link("/team", team=site.team_id), link("/caseload", worker=row.worker_id)]


def test_a_social_worker_goes_up_to_their_caseload_but_is_shown_no_team(site: Site) -> None:
    worker = sign_in(site.app, "worker", site.passwords["worker"])
    page = worker.get(f"/child/{child_token(site, worker_id=site.worker_id)}").text
    assert _crumbs(page) == ["/compliance", link("/caseload", worker=site.worker_id)]
    assert _crumbs(worker.get("/caseload").text) == ["/compliance"]


def test_qa_goes_up_from_a_caseload_to_the_workers_team(site: Site) -> None:
    qa = sign_in(site.app, "qa", site.passwords["qa"])
    page = qa.get(link("/caseload", worker=site.other_worker_id)).text
    assert _crumbs(page) == ["/compliance", link("/team", team=_team_of(site, site.other_worker_id))]
    assert _crumbs(qa.get(link("/work-items", team=site.team_id)).text) == [
        "/compliance",
        link("/team", team=site.team_id),
    ]
