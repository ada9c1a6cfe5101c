"""The app in a real browser: Debian's chromium driven by Playwright, one sign-in per role.

Screenshots of the main pages go to tests/web/test-artifacts/ (git-ignored). The server runs in a thread with Secure
cookies on: chromium treats http://localhost as a secure context, so the production cookie settings are tested.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import playwright.sync_api as playwright_api
import pytest
import uvicorn
from web_support import Site, child_token

from casewatch.web.app import create_app
from casewatch.web.settings import AppConfig

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).parent / "test-artifacts"  # git-ignored by the repository's test-artifacts/ rule
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():  # a missing browser must fail the run, never skip it quietly
    raise RuntimeError(f"Debian's chromium is not at {CHROMIUM}: run 'make browser' (make test does) to install it")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(site: Site) -> Iterator[str]:
    port = _free_port()
    app = create_app(site.engine, AppConfig(secure_cookies=True))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, access_log=False, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the test server did not start")
        threading.Event().wait(0.05)
    yield f"http://localhost:{port}"
    server.should_exit = True
    thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    ARTEFACTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def sign_in_as(browser: object, base_url: str, site: Site) -> Iterator[object]:
    contexts = []

    def open_as(username: str) -> object:
        context = browser.new_context(base_url=base_url, accept_downloads=True)  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(site.passwords[username])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/login" not in page.url, f"{username} could not sign in"
        return page

    yield open_as
    for context in contexts:
        context.close()


def shot(page: object, name: str) -> None:
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_manager_finds_overdue_work_opens_a_child_and_downloads_the_list(sign_in_as: object, site: Site) -> None:
    page = sign_in_as("manager")  # type: ignore[operator]
    assert page.url.endswith("/team")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text().startswith("Team:")
    shot(page, "team")
    with page.expect_download() as download_info:
        page.locator("a", has_text="CSV").first.click()
    download = download_info.value
    saved = ARTEFACTS / download.suggested_filename
    download.save_as(str(saved))
    assert saved.read_text(encoding="utf-8-sig").startswith("Worker,Open cases,Overdue,Due soon")
    page.get_by_role("link", name="All overdue work for this team").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Work items"
    shot(page, "work-items")
    page.locator("#table-work-items a[href^='/child/']").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Child ")
    assert page.locator("svg[aria-labelledby='tl-title tl-desc']").count() == 1
    assert page.locator("#table-required th[scope=col]").count() > 0
    shot(page, "child")


def test_qa_searches_for_a_child_and_sorts_the_work_by_keyboard(sign_in_as: object, site: Site) -> None:
    page = sign_in_as("qa")  # type: ignore[operator]
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Child's person id, worker or team").fill("1")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=1**")  # the form submits asynchronously: the empty search page has the same heading
    assert page.get_by_role("heading", level=1).inner_text() == "Search"
    playwright_api.expect(page.locator("#table-children a[href^='/child/']").first).to_be_visible()
    shot(page, "search")
    page.goto(f"/work-items?team={site.team_id}")
    header = page.locator("#table-work-items th", has_text="Due").first
    assert header.get_attribute("aria-sort") == "none"
    header.locator("a").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=due_date**")
    assert page.locator("#table-work-items th", has_text="Due").first.get_attribute("aria-sort") == "ascending"
    assert "Showing 1–50 of" in page.locator("#table-work-items caption").inner_text()


def test_worker_sees_their_caseload_and_not_another_workers_child(sign_in_as: object, site: Site) -> None:
    page = sign_in_as("worker")  # type: ignore[operator]
    assert page.url.endswith("/caseload")
    assert page.get_by_role("heading", level=1).inner_text() == "My caseload"
    assert page.get_by_role("link", name="Team").count() == 0
    shot(page, "caseload")
    response = page.goto(f"/child/{child_token(site, worker_id=site.other_worker_id)}")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert page.goto(f"/child/{child_token(site, worker_id=site.worker_id)}").status == 200


def test_qa_sees_compliance_a_standard_with_its_chart_and_data_quality(sign_in_as: object) -> None:
    page = sign_in_as("qa")  # type: ignore[operator]
    assert page.url.endswith("/compliance")
    shot(page, "compliance")
    page.locator("#table-compliance a").first.click()
    assert page.locator("svg[aria-labelledby='chart-title chart-desc']").count() == 1
    assert page.locator("blockquote").count() == 1
    shot(page, "standard")
    page.get_by_role("link", name="Data quality").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Data quality of the last load"
    page.get_by_role("link", name="Standards").click()
    page.get_by_role("checkbox", name="derby", exact=True).check()
    page.get_by_role("checkbox", name="england", exact=True).check()
    page.get_by_role("button", name="Compare").click()
    assert page.locator("#table-compare th[scope=col]").first.inner_text() == "Topic"  # waits for the new page
    shot(page, "standards-compare")


def test_head_of_service_can_choose_any_team(sign_in_as: object, site: Site) -> None:
    page = sign_in_as("head")  # type: ignore[operator]
    page.goto("/team")
    page.get_by_label("Team", exact=True).select_option(site.other_team_id)
    page.get_by_role("button", name="Show team").click()
    assert f"team={site.other_team_id}" in page.url


def test_administrator_reads_the_audit_log_but_not_children(sign_in_as: object, site: Site) -> None:
    page = sign_in_as("admin")  # type: ignore[operator]
    assert page.url.endswith("/admin/users")
    shot(page, "users")
    page.get_by_role("link", name="Audit log").click()
    assert page.locator("#table-audit-log").count() == 1
    assert "view_child" in page.content()
    shot(page, "audit-log")
    assert page.goto(f"/child/{child_token(site, worker_id=site.worker_id)}").status == 403


def test_keyboard_users_reach_the_skip_link_first(sign_in_as: object) -> None:
    page = sign_in_as("qa")  # type: ignore[operator]
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    # Following an in-page link is asynchronous in Chromium: wait for it rather than read the URL at once.
    playwright_api.expect(page).to_have_url(re.compile(r"#main-content$"))


def test_no_asset_is_fetched_from_outside_the_app(browser: object, base_url: str) -> None:
    context = browser.new_context(base_url=base_url)  # type: ignore[attr-defined]
    page = context.new_page()
    requested: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto("/login")
    page.wait_for_load_state("networkidle")
    context.close()
    assert requested and all(url.startswith(base_url) for url in requested)
    assert failed == []


# For each focusable element: its look (and its label's, for GOV.UK's styled checkboxes) unfocused, then focused.
_FOCUS_UNCHANGED = """() => {
  const look = (e) => [e, e.nextElementSibling].filter(Boolean)
    .flatMap((x) => [getComputedStyle(x), getComputedStyle(x, "::before")])
    .map((s) => [s.outlineStyle, s.outlineColor, s.outlineWidth, s.boxShadow, s.backgroundColor, s.color].join("|"))
    .join("/");
  const unchanged = [];
  const focusable = 'a[href], button, input:not([type="hidden"]), select, textarea, [tabindex="0"]';
  for (const element of document.querySelectorAll(focusable)) {
    if (!element.checkVisibility()) continue;  // e.g. the sign-out warning's button until the warning shows
    document.activeElement.blur();
    const before = look(element);
    element.focus();
    if (look(element) === before) unchanged.push(element.outerHTML.slice(0, 100));
  }
  return unchanged;
}"""


def test_every_control_shows_when_it_has_the_keyboard_focus(sign_in_as: object, site: Site) -> None:
    qa = sign_in_as("qa")  # type: ignore[operator]
    qa.keyboard.press("Tab")  # keyboard use, as for someone tabbing through
    for path in ("/standards", "/team", f"/child/{child_token(site, worker_id=site.worker_id)}"):
        qa.goto(path)
        assert qa.evaluate(_FOCUS_UNCHANGED) == [], path
    admin = sign_in_as("admin")  # type: ignore[operator]
    for path in ("/admin/users", "/admin/settings", "/admin/audit"):
        admin.goto(path)
        assert admin.evaluate(_FOCUS_UNCHANGED) == [], path


def test_a_warning_comes_before_the_idle_sign_out_and_one_click_stays_signed_in(sign_in_as: object) -> None:
    """WCAG 2.2.1: warned before the time limit, with a simple way to extend it (the browser's clock is faked)."""
    page = sign_in_as("qa")  # type: ignore[operator]
    page.clock.install()
    page.goto("/compliance")
    dialog = page.get_by_role("alertdialog", name="You are about to be signed out")
    playwright_api.expect(dialog).to_be_hidden()
    page.clock.run_for("28:30")  # the idle timeout is 30 minutes: the warning comes 2 minutes before
    playwright_api.expect(dialog).to_be_visible()
    stay = page.get_by_role("button", name="Stay signed in")
    playwright_api.expect(stay).to_be_focused()
    with page.expect_response("**/session/keepalive") as kept:
        stay.click()
    assert kept.value.status == 204
    playwright_api.expect(dialog).to_be_hidden()
    page.clock.run_for("27:00")  # the clock started again: no warning yet, and still on the page
    playwright_api.expect(dialog).to_be_hidden()
    assert page.url.endswith("/compliance")
