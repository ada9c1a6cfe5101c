"""Big tables are paged and sorted on the server: header links with ``aria-sort``, the order and page kept in the
URL, and a column or page that is not offered falling back to the usual order and the first page."""

from __future__ import annotations

import html
import re

from web_support import Site, sign_in

from casewatch.web.links import link


def _due_dates(page: str) -> list[str]:
    """The Due column of the instance table, in order (the third cell of each body row)."""
    body = page.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)[2].strip() for r in rows]


def test_an_instance_table_sorts_by_a_header_and_pages_in_that_order(site: Site) -> None:
    manager = sign_in(site.app, "manager", site.passwords["manager"])
    base = link("/work-items", team=site.team_id)
    usual = manager.get(base).text
    assert 'aria-sort="none"' in usual
    header = html.unescape(re.search(r'href="([^"]*sort=due_date[^"]*)"', usual).group(1))  # type: ignore[union-attr]
    assert "dir=asc" in header and f"team={site.team_id}" in header
    ascending = manager.get(header).text
    assert 'aria-sort="ascending"' in ascending
    dates = _due_dates(ascending)
    assert len(dates) == 50 and dates == sorted(dates)
    descending = manager.get(link("/work-items", team=site.team_id, sort="due_date", dir="desc")).text
    assert 'aria-sort="descending"' in descending
    assert _due_dates(descending) == sorted(_due_dates(descending), reverse=True)
    total = int(re.search(r"Showing 1–50 of ([\d,]+)", ascending).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert total > 50
    second = manager.get(link("/work-items", team=site.team_id, sort="due_date", dir="asc", page="2")).text
    assert f"Showing 51–{min(100, total)} of {total:,}" in second
    assert dates[-1] <= _due_dates(second)[0]
    assert 'rel="next"' in ascending and 'rel="prev"' in second


def test_a_column_or_page_not_offered_is_the_usual_order_not_an_error(site: Site) -> None:
    manager = sign_in(site.app, "manager", site.passwords["manager"])
    usual = manager.get(link("/work-items", team=site.team_id)).text
    for sort, page in [("explanation", None), ("due_date; DROP TABLE cw_instances", None), ("id", "0"), (None, "x")]:
        response = manager.get(link("/work-items", team=site.team_id, sort=sort, page=page))
        assert response.status_code == 200, (sort, page)
        assert _due_dates(response.text) == _due_dates(usual), (sort, page)
        assert 'aria-sort="ascending"' not in response.text and 'aria-sort="descending"' not in response.text


def test_a_download_has_every_row_in_the_order_on_screen(site: Site) -> None:
    manager = sign_in(site.app, "manager", site.passwords["manager"])
    query = {"team": site.team_id, "sort": "due_date", "dir": "desc"}
    page = manager.get(link("/work-items", **query)).text
    total = int(re.search(r"of ([\d,]+)</span>", page).group(1).replace(",", ""))  # type: ignore[union-attr]
    csv = manager.get(link("/work-items", **query, download="csv", table="work-items")).text
    lines = [line for line in csv.splitlines() if line.strip()]
    assert sum(1 for line in lines if re.search(r",\d{4}-\d{2}-\d{2},", line)) >= total - 1
    assert _due_dates(page)[0] in lines[next(n for n, line in enumerate(lines) if "Due" in line) + 1]


def _column(page: str, table: str, index: int) -> list[str]:
    body = page.split(f'id="table-{table}"', 1)[1].split("</tbody>", 1)[0].split('<tbody class="govuk-table__body">')[1]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)[index] for r in rows]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def test_tables_built_in_full_sort_by_any_column_the_same_way(site: Site) -> None:
    manager = sign_in(site.app, "manager", site.passwords["manager"])
    by_caseload = manager.get(link("/team", sort="caseload", dir="desc")).text
    counts = [int(n) for n in _column(by_caseload, "by-worker", 1)]
    assert len(counts) > 1 and counts == sorted(counts, reverse=True)
    assert 'aria-sort="descending"' in by_caseload
    by_name = manager.get(link("/team", sort="worker")).text
    names = _column(by_name, "by-worker", 0)
    assert names == sorted(names) and sorted(names) == sorted(_column(by_caseload, "by-worker", 0))
    worker = sign_in(site.app, "worker", site.passwords["worker"])
    since = _column(worker.get(link("/caseload", sort="since", dir="asc")).text, "caseload", 1)
    assert len(since) > 1 and since == sorted(since)
    bogus = worker.get(link("/caseload", sort="nope", page="-4"))
    assert bogus.status_code == 200 and "Showing 1–" in bogus.text
