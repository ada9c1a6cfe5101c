"""The generator's building blocks: timeliness, review chains, working days, CSV writing, ids."""

from __future__ import annotations

import csv
import io
from datetime import date

import numpy as np
import pyarrow as pa

from casewatch.data.contract import TABLES
from casewatch.synth.chains import review_chain
from casewatch.synth.context import Context
from casewatch.synth.days import add_months
from casewatch.synth.ids import Numbering, format_ids
from casewatch.synth.referrals import next_referral
from casewatch.synth.timing import Punctuality, complete_by, recurring
from casewatch.synth.workdays import WorkingDays
from casewatch.synth.workforce import MAX_STAY_DAYS, MAX_YEARS_QUALIFIED_AT_BEGIN, build_workforce
from casewatch.synth.writer import conform, csv_bytes, flag

AS_AT = np.datetime64("2026-10-30")


def _ctx(on_time: float, seed: int = 0) -> Context:
    wd = WorkingDays(np.datetime64("2010-01-01"), AS_AT + 800)
    return Context(np.random.default_rng(seed), wd, AS_AT, AS_AT - 365, AS_AT + 400, Punctuality(on_time))


def test_punctuality_shares() -> None:
    p = Punctuality(0.85)
    on_time, happened = p.outcome(np.random.default_rng(1), 100_000)
    assert abs(on_time.mean() - 0.85) < 0.01
    assert abs((~happened).mean() - p.omitted) < 0.005
    assert Punctuality(1.0).omitted == 0.0


def test_complete_by_lands_in_window_when_on_time() -> None:
    rng = np.random.default_rng(2)
    earliest = np.zeros(10_000, dtype=np.int64)
    pos, happened = complete_by(rng, earliest, earliest + 45, Punctuality(1.0), 10.0)
    assert happened.all()
    assert ((pos >= 0) & (pos <= 45)).all()
    late, _ = complete_by(rng, earliest, earliest + 45, Punctuality(0.0), 10.0)
    assert (late > 45).all()


def test_recurring_gaps_never_exceed_the_interval_when_punctual() -> None:
    series = recurring(np.random.default_rng(3), np.array([0, 100]), np.array([500, 130]), 10, Punctuality(1.0), 3.0)
    for owner in (0, 1):
        pos = series.position[series.owner == owner]
        assert pos[0] == [0, 100][owner]
        assert (np.diff(pos) <= 10).all() and (np.diff(pos) >= 6).all()
        assert pos[-1] <= [500, 130][owner]


def test_review_chain_counts_from_the_previous_review_held() -> None:
    ctx = _ctx(0.5, seed=4)
    first = np.array(["2024-01-15"] * 200, dtype="datetime64[D]")
    chain = review_chain(ctx, first, 6, np.full(200, AS_AT), window_days=28, typical_late_days=10.0)
    for owner in range(200):
        mine = chain.owner == owner
        due, held, happened = chain.due[mine], chain.held[mine], chain.happened[mine]
        assert due[0] == first[owner]
        anchor = np.where(happened[:-1], held[:-1], due[:-1])
        assert (due[1:] == add_months(anchor, 6)).all()


def test_working_days_pass_missing_dates_through() -> None:
    wd = WorkingDays(np.datetime64("2020-01-01"), np.datetime64("2030-01-01"))
    days = np.array(["2024-12-24", "NaT"], dtype="datetime64[D]")
    out = wd.add(days, 2)
    assert str(out[0]) == "2024-12-30"  # Christmas Day and Boxing Day are not working days
    assert np.isnat(out[1])
    assert str(wd.on_or_after(np.array(["2025-01-04"], dtype="datetime64[D]"))[0]) == "2025-01-06"


def test_csv_quotes_only_what_needs_quoting() -> None:
    spec = TABLES["ssd_cin_episodes"]
    table = conform(
        spec,
        {
            "cine_referral_id": pa.array(["REF1", "REF2"]),
            "cine_person_id": pa.array(["P1", "P2"]),
            "cine_referral_date": np.array(["2026-01-05", "2026-02-01"], dtype="datetime64[D]"),
            "cine_referral_nfa": flag(np.array([True, False]), np.array([True, False])),
            "cine_referral_outcome_json": pa.array(['{"NFA_FLAG":"Y"}', None]),
        },
    )
    text = csv_bytes(table, header=True).decode()
    lines = text.splitlines()
    assert lines[0] == ",".join(spec.column_names)
    assert lines[1].startswith("REF1,P1,2026-01-05,,,Y,")
    assert '"{""NFA_FLAG"":""Y""}"' in lines[1]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][spec.column_names.index("cine_referral_outcome_json")] == '{"NFA_FLAG":"Y"}'
    assert rows[2][spec.column_names.index("cine_referral_nfa")] == ""


def test_ids_carry_a_prefix_and_continue_across_chunks() -> None:
    numbering = Numbering()
    first = numbering.ids("referral", 2).to_pylist()
    second = numbering.ids("referral", 1).to_pylist()
    assert first + second == ["REF0000001", "REF0000002", "REF0000003"]
    ids = format_ids("person", np.array([5, 6]), np.array([True, False])).to_pylist()
    assert ids == ["PER0000005", None]


def test_month_arithmetic_clips_to_month_end() -> None:
    d = np.array(["2024-01-31", "2023-08-31"], dtype="datetime64[D]")
    assert [str(x) for x in add_months(d, np.array([1, 6]))] == ["2024-02-29", "2024-02-29"]
    assert date(2024, 2, 29).isoformat() == str(add_months(d, 1)[0])


def test_a_vanishing_referral_rate_means_never_referred_not_a_garbage_date() -> None:
    # A family's vulnerability is a gamma draw, so at England's scale some rates underflow towards zero: the
    # waiting time drawn is then infinite, and must mean "not referred", never an integer overflow.
    n = 1_000
    after = np.full(n, np.datetime64("2020-01-01"), dtype="datetime64[D]")
    dob = np.full(n, np.datetime64("2015-06-01"), dtype="datetime64[D]")
    limit = np.full(n, AS_AT, dtype="datetime64[D]")
    rate = np.full(n, 1e-320)
    with np.errstate(invalid="raise"):  # what casting an infinite wait to an integer raises
        referred = next_referral(np.random.default_rng(3), after, dob, rate, limit)
    assert np.isnat(referred).all()
    normal = next_referral(np.random.default_rng(3), after, dob, np.full(n, 5.0), limit)
    seen = normal[~np.isnat(normal)]
    assert len(seen) > n // 2 and (seen > after[0]).all() and (seen < AS_AT).all()


def test_careers_are_finite_however_large_the_workforce() -> None:
    # Turnover's long tail, drawn for a large workforce, once kept somebody in one post since 1938 and dated
    # their qualification before 1950 (an "early date" in England's data check). 200,000 children is enough
    # for the tail to reach the caps.
    begin = AS_AT - np.timedelta64(int(26 * 365.25), "D")
    wd = WorkingDays(begin, AS_AT + 800)
    ctx = Context(np.random.default_rng(5), wd, AS_AT, AS_AT - 365 * 6, AS_AT + 400, Punctuality(0.85))
    workforce = build_workforce(ctx, 200_000, begin)
    stays = (workforce.spells.end - workforce.spells.start).astype(np.int64) + 1
    assert stays.max() == MAX_STAY_DAYS  # the cap is reached, so the bound below is tested, not vacuous
    assert workforce.spells.start.min() >= begin - MAX_STAY_DAYS
    qualified = workforce.workers.qualified[~np.isnat(workforce.workers.qualified)]
    earliest = begin - int(MAX_YEARS_QUALIFIED_AT_BEGIN * 365.25)
    assert qualified.min() == earliest
    assert (qualified >= np.datetime64("1950-01-01")).all()
