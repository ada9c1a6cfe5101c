"""The onboarding profile: counts checked against the files themselves, on hand-built tables and a synthetic
council, and the page and workbook checked for what an analyst must find there (and nothing fetched from outside).
"""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from casewatch.cli import cli
from casewatch.data.load import load_case_data
from casewatch.reports.profile import Profile, build_profile, write_profile
from casewatch.reports.profile.html import render_html
from casewatch.reports.profile.xlsx import SHEETS
from casewatch.standards.loader import load_pack
from casewatch.synth import generate_council

AS_AT = date(2026, 10, 30)

PERSON = """pers_person_id,pers_dob,pers_sex
P1,2015-03-01,F
P2,,M
P3,2012-07-09,
P3,2012-07-09,F
"""
# A placement of a child not in ssd_person (an orphan) and types spelt the council's way: "Placed with parents"
# for U1, "U4" as expected, and a value that a spreadsheet would run as a formula.
EPISODES = """clae_cla_episode_id,clae_person_id,clae_cla_id,clae_cla_episode_start_date
E1,P1,C1,2025-01-10
E2,P2,C2,2025-02-01
E3,P9,C3,2025-03-05
"""
PLACEMENTS = """clap_cla_placement_id,clap_cla_id,clap_person_id,clap_cla_placement_start_date,clap_cla_placement_type
L1,C1,P1,2025-01-10,Placed with parents
L2,C2,P2,2025-02-01,U4
L3,C3,P9,2025-03-05,=HYPERLINK("x")
L4,C1,P1,2025-06-20,<b>U9</b>
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Profile:
    folder = tmp_path_factory.mktemp("small")
    (folder / "ssd_person.csv").write_text(PERSON, encoding="utf-8")
    (folder / "ssd_cla_episodes.csv").write_text(EPISODES, encoding="utf-8")
    (folder / "ssd_cla_placement.csv").write_text(PLACEMENTS, encoding="utf-8")
    data = load_case_data(folder, as_at=AS_AT)
    try:
        return build_profile(data, load_pack("england"), AS_AT)
    finally:
        data.close()


def test_rows_and_date_ranges_of_hand_built_tables(small: Profile) -> None:
    tables = {t.table: t for t in small.tables}
    person = tables["ssd_person"]
    assert (person.rows_read, person.rows_loaded, person.rows_rejected) == (4, 3, 1)
    dob = next(r for r in person.date_ranges if r.column == "pers_dob")
    assert (dob.first, dob.last, dob.dated_rows) == (date(2012, 7, 9), date(2015, 3, 1), 2)
    placement = tables["ssd_cla_placement"]
    assert placement.month_column == "clap_cla_placement_start_date"
    assert placement.months == {date(2025, 1, 1): 1, date(2025, 2, 1): 1, date(2025, 3, 1): 1, date(2025, 6, 1): 1}
    assert "ssd_cla_visits" in small.missing_tables


def test_null_shares_of_the_columns_the_standards_read(small: Profile) -> None:
    nulls = {(c.table, c.column): c for c in small.nulls}
    dob = nulls[("ssd_person", "pers_dob")]
    assert (dob.nulls, dob.rows) == (1, 3) and dob.share == pytest.approx(1 / 3)
    assert "england.needs-assessment" in dob.standards
    missing = nulls[("ssd_cla_visits", "clav_cla_visit_date")]
    assert missing.rows is None and missing.share is None  # the table was not given


def test_a_respelled_code_is_unmatched_and_its_expected_value_never_seen(small: Profile) -> None:
    column = next(c for c in small.codes.columns if c.column == "clap_cla_placement_type")
    assert {value for value, _n in column.unmatched} == {"Placed with parents", '=HYPERLINK("x")', "<b>U9</b>"}
    assert column.missing == ["U1"]
    assert set(column.expected) - set(column.missing) == {"U4"}
    assert not small.codes.finding_nothing(column)  # U4 is there, so the filter [U1, U4] still finds rows


def test_a_filter_whose_values_are_all_missing_is_said_to_find_nothing(tmp_path: Path) -> None:
    (tmp_path / "ssd_person.csv").write_text(PERSON, encoding="utf-8")
    (tmp_path / "ssd_cla_episodes.csv").write_text(EPISODES, encoding="utf-8")
    (tmp_path / "ssd_cla_placement.csv").write_text(PLACEMENTS.replace(",U4", ",u 4"), encoding="utf-8")
    data = load_case_data(tmp_path, as_at=AS_AT)
    try:
        found = build_profile(data, load_pack("england"), AS_AT, evaluate_pack=False)
    finally:
        data.close()
    column = next(c for c in found.codes.columns if c.column == "clap_cla_placement_type")
    assert {f.values for f in found.codes.finding_nothing(column)} == {("U1", "U4")}
    assert any("clap_cla_placement_type" in s and "U1, U4" in s for s in found.settings)
    assert not found.evaluated and all(s.instances is None for s in found.standards)


def test_duplicate_and_orphan_keys(small: Profile) -> None:
    keys = {(k.kind, k.table, k.column): k for k in small.keys}
    duplicate = keys[("duplicate", "ssd_person", "pers_person_id")]
    assert duplicate.count == 1 and duplicate.examples[0].startswith("P3")
    orphan = keys[("orphan", "ssd_cla_placement", "clap_person_id")]
    assert (orphan.count, orphan.refers_to, orphan.examples) == (1, "ssd_person.pers_person_id", ("P9",))
    assert keys[("orphan", "ssd_cla_episodes", "clae_person_id")].count == 1
    assert keys[("orphan", "ssd_cla_placement", "clap_cla_id")].count == 0
    unchecked = keys[("orphan", "ssd_cla_episodes", "clae_referral_id")]
    assert not unchecked.checked  # ssd_cin_episodes was not given


def test_each_standard_says_whether_it_can_be_judged(small: Profile) -> None:
    standards = {s.id: s for s in small.standards}
    visits = standards["england.cla-visits"]
    assert visits.readiness == "not evaluable" and "ssd_cla_visits" in visits.why[0]
    assert small.count("evaluable") + small.count("limited") + small.count("not evaluable") == len(standards)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.links += [v or "" for k, v in attrs if k in ("src", "href")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def test_the_page_stands_alone_and_escapes_the_data(small: Profile) -> None:
    page = render_html(small)
    parsed = _parse(page)
    assert not parsed.links and "script" not in parsed.tags and "http://" not in page and "https://" not in page
    assert "<b>U9</b>" not in page and "&lt;b&gt;U9&lt;/b&gt;" in page
    text = " ".join(parsed.text)
    assert small.window.statement in text
    for heading in ("1. The data", "2. History window", "3. Empty values", "4. Codes", "5. Duplicate", "6. Standards"):
        assert heading in text


def test_the_workbook_has_every_section_and_no_formula(small: Profile, tmp_path: Path) -> None:
    path = write_profile(small, tmp_path / "profile.xlsx")
    book = load_workbook(path)
    assert tuple(book.sheetnames) == SHEETS
    values = [c.value for row in book["Codes"].iter_rows() for c in row]
    assert '\'=HYPERLINK("x")' in values and '=HYPERLINK("x")' not in values
    about = {row[0].value: row[1].value for row in book["About"].iter_rows(min_row=2)}
    assert about["history window"] == small.window.statement


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("council")
    generate_council(folder, population=1500, years=3, seed=7, as_at=AS_AT)
    return folder


def test_a_synthetic_council_profile_counts_what_the_files_hold(council: Path) -> None:
    data = load_case_data(council, as_at=AS_AT)
    try:
        found = build_profile(data, load_pack("england"), AS_AT, evaluate_pack=False)
    finally:
        data.close()
    raw = duckdb.connect()
    visits = next(t for t in found.tables if t.table == "ssd_cla_visits")
    path = str(council / "ssd_cla_visits.csv")
    rows, first, last, empty_seen = (
        raw.execute(
            "SELECT count(*), min(clav_cla_visit_date::DATE), max(clav_cla_visit_date::DATE), "
            "count(*) FILTER (WHERE clav_cla_visit_seen IS NULL) FROM read_csv(?, all_varchar = true)",
            [path],
        ).fetchone()
        or ()
    )
    assert visits.rows_read == rows == visits.rows_loaded
    assert sum(visits.months.values()) + visits.earlier + visits.later == rows
    dated = next(r for r in visits.date_ranges if r.column == "clav_cla_visit_date")
    assert (dated.first, dated.last) == (first, last)
    seen = next(c for c in found.nulls if (c.table, c.column) == ("ssd_cla_visits", "clav_cla_visit_seen"))
    assert seen.nulls == empty_seen and seen.rows == rows
    assert found.window.how in ("inferred", "none") and found.window.yaml_lines


def test_the_command_writes_html_and_xlsx_and_refuses_bad_input(council: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "profile.html"
    done = runner.invoke(
        cli, ["data", "profile", str(council), "--as-at", "2026-10-30", "--no-evaluate", "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert f"Wrote the profile to {out}" in done.output.replace("\n", "") and "History window" in done.output
    assert "History window" in out.read_text(encoding="utf-8")
    book = tmp_path / "profile.xlsx"
    assert runner.invoke(cli, ["data", "profile", str(council), "--no-evaluate", "--out", str(book)]).exit_code == 0
    assert book.is_file()
    for bad in (
        ["data", "profile", str(tmp_path / "nowhere"), "--out", str(out)],
        ["data", "profile", str(council), "--out", str(tmp_path / "profile.pdf")],
        ["data", "profile", str(council), "--standards", "no-such-pack", "--out", str(out)],
    ):
        refused = runner.invoke(cli, bad)
        assert refused.exit_code == 2 and "Traceback" not in refused.output and refused.output.startswith("Error:")
