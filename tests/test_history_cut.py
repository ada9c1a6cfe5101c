"""Every shipped pack over a council cut the way an SSD extract keeps history, against its full history.

The same synthetic children are written twice: with all five simulated years, and as an extract keeping the
last two (``casewatch synth --extract-years``). Over the cut one, casewatch must find the window itself, judge
nothing anchored or due before it, and give each standard the same on-time share for the last 12 months as
the full history gives, except the kinds of standard ``_why_it_may_differ`` names, with why
(docs/standards-language.md, "The history window").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from dateutil.relativedelta import relativedelta

from casewatch import api
from casewatch.data.load import CaseData
from casewatch.engine import evaluate
from casewatch.results import Results, Status
from casewatch.standards.durations import Duration
from casewatch.standards.kinds import AgeDeadline, Series, State
from casewatch.standards.loader import available_packs
from casewatch.standards.pack import Standard
from casewatch.standards.sources import load_sources
from casewatch.synth import generate_council

AS_AT = date(2026, 10, 30)
CUT_FROM = AS_AT - relativedelta(years=2)
LAST_12_MONTHS = AS_AT - relativedelta(months=12)

#: Why a standard's last-12-months share over the cut extract may differ from the full history's: each kind of
#: standard named here, and nothing else, may differ (docs/standards-language.md, "The history window").
YEARLY_SERIES = (
    "a yearly interval: an episode open since before the window has its first judged occurrence due one year "
    "after the window start, inside the last 12 months, where the full history times it from the occurrence "
    "before the window"
)
AGE_DEADLINE = (
    "an age deadline counts a target from the start of the care episode, which may be years before the window, "
    "so a child in care since before it is left out (an assessment then would be cut): the cut extract judges "
    "fewer children, and agrees with the full history judged with the same window instead"
)
DOCUMENT_STATE = (
    "the child's documents (chronology, genogram, ecomap), not the referral's: one written during an earlier "
    "referral before the window is cut, so a child referred again inside the window looks to have none"
)


def _why_it_may_differ(standard: Standard) -> str | None:
    rules = [v.rule for v in standard.versions]
    if any(isinstance(r, Series) and max(_days(p.interval) for p in r.all_phases) >= 365 for r in rules):
        return YEARLY_SERIES
    if any(isinstance(r, AgeDeadline) for r in rules):
        return AGE_DEADLINE
    if any(isinstance(r, State) and r.reads_cut_history(load_sources()) for r in rules):
        return DOCUMENT_STATE
    return None


def _days(duration: Duration) -> float:
    return duration.day_bounds()[1]


@pytest.fixture(scope="module")
def councils(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CaseData, CaseData]]:
    base = tmp_path_factory.mktemp("history-cut")
    generate_council(base / "full", population=2500, years=5, seed=3, as_at=AS_AT)
    generate_council(base / "cut", population=2500, years=5, seed=3, as_at=AS_AT, extract_years=2)
    full, cut = api.load_data(base / "full", as_at=AS_AT), api.load_data(base / "cut", as_at=AS_AT)
    yield full, cut
    full.con.close()
    cut.con.close()


def _on_time_last_12_months(results: Results, standard_id: str) -> tuple[int, int]:
    """Met on time, of those judged met, late or overdue, due in the 12 months to the as-at date."""
    rows = results.instances.filter(pc.equal(results.instances["standard_id"], standard_id))
    due = rows["due_date"]
    rows = rows.filter(pc.and_(pc.greater(due, pa.scalar(LAST_12_MONTHS)), pc.less_equal(due, pa.scalar(AS_AT))))
    statuses = rows["status"].to_pylist()
    judged = [s for s in statuses if s in (Status.MET, Status.MET_LATE, Status.OVERDUE)]
    return sum(s == Status.MET for s in judged), len(judged)


@pytest.mark.parametrize("pack", available_packs())
def test_a_cut_extract_judges_nothing_before_its_window_and_agrees_with_the_full_history(
    pack: str, councils: tuple[CaseData, CaseData]
) -> None:
    full_data, cut_data = councils
    standards = api.load_standards(pack)
    full, cut = api.evaluate(standards, full_data, AS_AT), api.evaluate(standards, cut_data, AS_AT)

    window = cut.history
    assert window is not None and window.how == "inferred" and window.start is not None
    # the earliest table of the group begins at the cut; the later ones are each judged from their own first date
    assert 0 <= (window.start - CUT_FROM).days <= 7, window.statement()
    assert window.begins and all(window.start < d <= window.start + timedelta(days=45) for d in window.begins.values())

    sources = load_sources()
    for standard in cut.standards:
        if not any(v.rule.reads_cut_history(sources) for v in standard.versions):
            continue  # judged on live records, which the extract keeps whole
        rows = cut.instances.filter(pc.equal(cut.instances["standard_id"], standard.id))
        start = pa.scalar(window.start)
        early = pc.or_(
            pc.fill_null(pc.less(rows["anchor_date"], start), False),
            pc.fill_null(pc.less(rows["due_date"], start), False),
        )
        assert pc.sum(early).as_py() in (None, 0), f"{standard.id} judged instances before {window.start}"

    same = {}
    for standard in full.standards:
        if standard.id in full.not_evaluated or _why_it_may_differ(standard):
            continue
        same[standard.id] = (_on_time_last_12_months(full, standard.id), _on_time_last_12_months(cut, standard.id))
    assert {k: v for k, v in same.items() if v[0] != v[1]} == {}
    assert any(total for (_, total), _ in same.values())  # the comparison compared something
    assert any(cut.out_of_window.values())  # and the cut left something out, with its reason


@pytest.mark.parametrize("pack", available_packs())
def test_a_cut_extract_gives_what_the_full_history_gives_judged_with_the_same_window(
    pack: str, councils: tuple[CaseData, CaseData]
) -> None:
    """What the window leaves out is decided by the window alone: over the full history with the cut's window
    imposed, every standard's last-12-months figure is the cut extract's, age deadlines and yearly series
    included, so nothing the extract lacks changes a figure. The child's own documents are the exception: a
    full history still holds those written during an earlier referral (DOCUMENT_STATE)."""
    full_data, cut_data = councils
    standards = api.load_standards(pack)
    cut = api.evaluate(standards, cut_data, AS_AT)
    full = evaluate(
        list(standards.standards.values()),
        full_data.con,
        AS_AT,
        allocated_roles=full_data.config.allocated_worker_roles,
        snapshot_tables=full_data.config.snapshot_tables,
        history=cut.history,
        codes=full_data.config.codes,
    )
    sources = load_sources()
    differ = {
        standard.id: (_on_time_last_12_months(full, standard.id), _on_time_last_12_months(cut, standard.id))
        for standard in full.standards
        if standard.id not in full.not_evaluated
        and not any(isinstance(v.rule, State) and v.rule.reads_cut_history(sources) for v in standard.versions)
    }
    assert {k: v for k, v in differ.items() if v[0] != v[1]} == {}
    assert any(total for (_, total), _ in differ.values())  # the comparison compared something
    for standard in full.standards:  # an age deadline's children in care since before the window: left out
        if any(isinstance(v.rule, AgeDeadline) for v in standard.versions) and standard.id not in full.not_evaluated:
            assert "that a record dated before" in cut.out_of_window.get(standard.id, ""), standard.id
