"""For every reporting period, every output gives the same figure: terminal, API, workbook, and each web page and chart.

The issue this answers: the standard page's "compliance now" (all instances ever) read 71.4% beside a monthly
chart of 77–87%, because each counted a different set. Now compliance now is the last 12 months, the chart's bars
are its months, and a period asked for (``--period``, ``period=``, ``?period=``) is the same set everywhere. The
council is shaped as in ``test_figures_agree``: a standard judged on latest records only, and windows.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from test_figures_agree import AS_AT, Figures, shaped_council  # noqa: F401  (the fixture, shared)
from web_support import sign_in

from casewatch import api
from casewatch.cli import cli
from casewatch.results import Results
from casewatch.web.app import create_app
from casewatch.web.auth import create_demo_accounts
from casewatch.web.ingest import store_results
from casewatch.web.settings import AppConfig
from casewatch.web.store import open_store

PERIODS = ["last-12-months", "last-month", "month 2026-10", "quarter 2026-Q3", "quarter 2026-27-Q3",
           "financial-year 2025-26"]  # fmt: skip


@dataclass
class Outputs:
    council: Path
    results: Results
    qa: TestClient


@pytest.fixture(scope="module")
def outputs(shaped_council: Path, tmp_path_factory: pytest.TempPathFactory) -> Outputs:  # noqa: F811
    standards = api.load_standards("england")
    data = api.load_data(shaped_council, as_at=AS_AT)
    results = api.evaluate(standards, data, AS_AT)
    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('period-store') / 'store.sqlite'}")
    store_results(engine, standards, data, results, AS_AT)
    passwords = {a.username: a.password for a in create_demo_accounts(engine)}
    qa = sign_in(create_app(engine, AppConfig(secure_cookies=False)), "qa", passwords["qa"])
    return Outputs(shaped_council, results, qa)


def _api(results: Results, period: str | None, by: str | None = None) -> dict[tuple[str, ...], float | None]:
    key = {"team": "team_id", "worker": "worker_id"}.get(by or "")
    rows = api.compliance(results, period, by=by).to_pylist()
    return {(r["standard_id"], *([r[key]] if key else [])): r["compliance"] for r in rows}


def _csv(client: TestClient, path: str, table: str) -> list[dict[str, str]]:
    joiner = "&" if "?" in path else "?"
    response = client.get(f"{path}{joiner}download=csv&table={table}")
    assert response.status_code == 200, path
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _number(text: str) -> float | None:
    return float(text) if text else None


def _headline(client: TestClient, path: str) -> float | None:
    page = client.get(path)
    assert page.status_code == 200, path
    found = re.search(r'data-compliance="([^"]*)"', page.text)
    assert found, path
    return _number(found.group(1))


@pytest.mark.parametrize("period", PERIODS)
def test_terminal_workbook_and_api_agree_for_a_period(period: str, outputs: Outputs, tmp_path: Path) -> None:
    book = tmp_path / "results.xlsx"
    args = ["evaluate", "--standards", "england", "--data", str(outputs.council), "--as-at", AS_AT.isoformat()]
    run = CliRunner().invoke(cli, [*args, "--period", *period.split(), "--out", str(book)], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    terminal: Figures = {}
    for line in run.output.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) >= 9 and re.fullmatch(r"[a-z0-9.-]+", cells[1]):
            shown = re.match(r"(\d+\.\d)%", cells[7])
            terminal[cells[1]] = float(shown.group(1)) if shown else None
    from_api = _api(outputs.results, period)
    label = api.compliance(outputs.results, period).column("period")[0].as_py()
    assert {(k,): v for k, v in terminal.items()} == from_api
    assert label.split(",")[0] in " ".join(run.output.split()), "the terminal does not say which period it shows"
    sheets = load_workbook(book, read_only=True)
    for sheet, by in (("Summary", None), ("By team", "team"), ("By worker", "worker")):
        rows = list(sheets[sheet].iter_rows(values_only=True))
        heading = list(rows[0])
        keys = ["standard_id", *(["team_id" if by == "team" else "worker_id"] if by else [])]
        found = {tuple(r[heading.index(k)] for k in keys): r[heading.index("compliance")] for r in rows[1:]}
        assert found == _api(outputs.results, period, by), sheet
        assert {r[heading.index("period")] for r in rows[1:]} == {label}


@pytest.mark.parametrize("period", PERIODS)
def test_the_compliance_and_standard_pages_give_the_api_figure_for_a_period(period: str, outputs: Outputs) -> None:
    from_api = _api(outputs.results, period)
    query = quote(period)
    rows = _csv(outputs.qa, f"/compliance?period={query}", "compliance")
    titles = {s.title: s.id for s in outputs.results.standards}
    assert {(titles[r["Standard"]],): _number(r["Compliance %"]) for r in rows} == from_api
    for (standard_id,), figure in from_api.items():
        assert _headline(outputs.qa, f"/standard/{standard_id}?period={query}") == figure, standard_id


def test_compliance_now_is_the_last_12_months_and_its_chart_bars_are_the_months_figures(outputs: Outputs) -> None:
    now = _api(outputs.results, None)
    assert now == _api(outputs.results, "last-12-months")
    summary = {r["standard_id"]: r for r in api.compliance(outputs.results).to_pylist()}
    months = [f"month {y}-{m:02d}" for y, m in [(2025, 11), (2025, 12), *((2026, m) for m in range(1, 11))]]
    by_month = {month: _api(outputs.results, month) for month in months}
    judged_on_history = 0
    for (standard_id,), figure in now.items():
        path = f"/standard/{standard_id}"
        assert _headline(outputs.qa, path) == figure, standard_id
        bars = _csv(outputs.qa, path, "monthly")
        assert [b["Month"] for b in bars] == [m.split()[1] for m in months]
        assert [_number(b[next(k for k in b if k.endswith("%"))]) for b in bars] == [
            by_month[m][(standard_id,)] for m in months
        ], standard_id
        row = summary[standard_id]
        if row["basis"] == "on_time":
            # The bars add up to the headline: the same occurrences, split by the month they fell due.
            assert sum(int(b["Fell due"]) for b in bars) == row["met"] + row["met_late"] + row["overdue"]
            assert sum(int(b["Met on time"]) for b in bars) == row["met"]
            judged_on_history += row["compliance"] is not None
    assert judged_on_history >= 5
    # The limited standard's one figure is in the as-at month's bar and in no earlier month.
    limited = next(iter(outputs.results.limited))
    assert now[(limited,)] is not None
    assert by_month["month 2026-10"][(limited,)] == now[(limited,)]
    assert by_month["month 2026-09"][(limited,)] is None


@pytest.mark.parametrize("period", ["last-12-months", "quarter 2026-Q3"])
def test_team_and_worker_figures_agree_on_the_team_page_the_standard_page_and_the_api(
    period: str, outputs: Outputs
) -> None:
    by_team = _api(outputs.results, period, "team")
    by_worker = _api(outputs.results, period, "worker")
    teams = sorted({team for (_s, team) in by_team if team})[:3]
    titles = {s.title: s.id for s in outputs.results.standards}
    for team in teams:
        rows = _csv(outputs.qa, f"/team?team={team}&period={quote(period)}", "compliance")
        shown = {(titles[r["Standard"]], team): _number(r["Compliance %"]) for r in rows}
        assert shown == {(s.id, team): by_team.get((s.id, team)) for s in outputs.results.standards}, team
        for (standard_id, of_team), figure in by_team.items():
            if of_team == team:
                assert _headline(outputs.qa, f"/standard/{standard_id}?team={team}&period={quote(period)}") == figure
    checked = 0
    for (standard_id, worker), figure in sorted(by_worker.items(), key=lambda kv: str(kv[0])):
        if worker and figure is not None and checked < 8:
            assert _headline(outputs.qa, f"/standard/{standard_id}?worker={worker}&period={quote(period)}") == figure
            checked += 1
    assert checked == 8


def test_a_misspelt_period_on_a_page_is_a_400_saying_what_to_write(outputs: Outputs) -> None:
    response = outputs.qa.get("/compliance?period=quarter+2026-Q5")
    assert response.status_code == 400
    assert "is not a reporting period; write one of last-month" in response.text
    assert outputs.qa.get("/standard/england.cla-visits?period=quarter+2027-Q1").status_code == 400
