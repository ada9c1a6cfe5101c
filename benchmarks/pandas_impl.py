"""Four of England's standards written the way a performance analyst would write them in pandas.

This is the baseline casewatch's speed is compared against: per-child ``groupby(...).apply(...)`` over
DataFrames read from the case data, ``numpy.busday_offset`` for working days and ``pd.DateOffset`` for months,
following the rules in docs/standards-language.md ("Rule kinds" and "Statuses") for the standards below.
It is deliberately plain - no vectorised tricks an analyst would not reach for - and it covers only what
these four standards use (no exceptions, no ``select``, no phases), failing loudly if a standard grows
something it does not handle.

* ``assessment-timescale``: deadline, authorised assessment within 45 working days of the referral;
* ``icpc-timescale``: deadline, initial conference within 15 working days of the S47 enquiry starting;
* ``first-core-group``: deadline, first core group within 10 working days of the ICPC that made a plan;
* ``cp-review-conferences``: series, first review within 3 months of the plan, then every 6 months.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd

STANDARDS = ("assessment-timescale", "icpc-timescale", "first-core-group", "cp-review-conferences")
WARNING_WORKING_DAYS = 5


@dataclass(frozen=True)
class Row:
    """One instance, keyed and judged as the engine keys and judges it."""

    standard: str
    subject_id: str
    episode_id: str | None
    sequence: int
    due_date: date | None
    completed_date: date | None
    status: str


class WorkingDays:
    """Working-day arithmetic with numpy's business-day functions and England's holidays."""

    def __init__(self, holidays: Iterable[date]) -> None:
        self.calendar = np.busdaycalendar(holidays=np.array(sorted(holidays), dtype="datetime64[D]"))

    def add(self, day: date, n: int) -> date:
        # Rolling backward makes the anchor day 0 and, for a weekend anchor, the next working day day 1.
        out = np.busday_offset(np.datetime64(day, "D"), n, roll="backward", busdaycal=self.calendar)
        return cast(date, pd.Timestamp(out).date())


def _status(due: date | None, done: date | None, end: date | None, as_at: date, soon: date) -> str:
    if due is None:
        return "data_issue"
    if done is not None:
        return "met" if done <= due else "met_late"
    if end is not None and end < due:
        return "cancelled"
    if as_at > due:
        return "overdue"
    return "due_soon" if due <= soon else "not_due"


def _day(value: Any, as_at: date) -> date | None:
    """A date column's value as at ``as_at``: missing, or after the as-at date, is no date at all."""
    if value is None or pd.isna(value):
        return None
    day = pd.Timestamp(value).date()
    return day if day <= as_at else None


def _not(value: Any, what: bool) -> bool:
    """``{not: what}``: null counts as "not what"."""
    return value is None or pd.isna(value) or bool(value) != what


def _deadline(
    standard: str,
    anchors: pd.DataFrame,
    targets: pd.DataFrame,
    *,
    subject: tuple[str, str],
    anchor_id: str,
    anchor_date: str,
    target_date: str,
    match: tuple[str, str],
    within: int,
    anchor_end: str | None,
    wd: WorkingDays,
    as_at: date,
    since: date,
) -> list[Row]:
    """One instance per anchor: completed by the earliest matching target on or after it."""
    soon = wd.add(as_at, WARNING_WORKING_DAYS)
    anchors = anchors[~(pd.to_datetime(anchors[anchor_date]) > pd.Timestamp(as_at))]  # not yet happened
    by_child = {child: frame for child, frame in targets.groupby(subject[1])}

    def per_child(group: pd.DataFrame) -> list[Row]:
        child = group.name
        mine = by_child.get(child, targets.iloc[0:0])
        rows = []
        for _, anchor in group.iterrows():
            start = _day(anchor[anchor_date], as_at)
            if start is None:
                rows.append(Row(standard, child, anchor[anchor_id], 1, None, None, "data_issue"))
                continue
            if start < since:
                continue  # before the standard was in force
            due = wd.add(start, within)
            linked = [
                d
                for d in (_day(t[target_date], as_at) for _, t in mine[mine[match[1]] == anchor[match[0]]].iterrows())
                if d is not None
            ]
            if linked and min(linked) < start:
                rows.append(Row(standard, child, anchor[anchor_id], 1, due, None, "data_issue"))
                continue
            done = min(linked) if linked else None
            end = _day(anchor[anchor_end], as_at) if anchor_end else None
            rows.append(Row(standard, child, anchor[anchor_id], 1, due, done, _status(due, done, end, as_at, soon)))
        return rows

    out: list[Row] = []
    for rows in anchors.groupby(subject[0]).apply(per_child, include_groups=False):
        out.extend(rows)
    return out


def _series(
    standard: str,
    cohorts: pd.DataFrame,
    events: pd.DataFrame,
    *,
    subject: tuple[str, str],
    cohort_id: str,
    start_col: str,
    end_col: str,
    event_date: str,
    match: tuple[str, str],
    first: Callable[[date], date],
    interval: Callable[[date], date],
    wd: WorkingDays,
    as_at: date,
    since: date,
) -> list[Row]:
    """m qualifying events in a cohort give m + 1 instances, each anchored on the previous event."""
    soon = wd.add(as_at, WARNING_WORKING_DAYS)
    cohorts = cohorts[~(pd.to_datetime(cohorts[start_col]) > pd.Timestamp(as_at))]  # not yet started
    by_child = {child: frame for child, frame in events.groupby(subject[1])}

    def per_child(group: pd.DataFrame) -> list[Row]:
        child = group.name
        mine = by_child.get(child, events.iloc[0:0])
        rows = []
        for _, cohort in group.iterrows():
            start = _day(cohort[start_col], as_at)
            end = _day(cohort[end_col], as_at)
            if start is None or (end is not None and end < start):
                rows.append(Row(standard, child, cohort[cohort_id], 1, None, None, "data_issue"))
                continue
            last = end if end is not None else as_at
            dates = sorted(
                {
                    d
                    for d in (
                        _day(e[event_date], as_at) for _, e in mine[mine[match[1]] == cohort[match[0]]].iterrows()
                    )
                    if d is not None and start <= d <= last
                }
            )
            anchor = start
            for k, done in enumerate([*dates, None], start=1):
                due = first(anchor) if k == 1 else interval(anchor)
                status = _status(due, done, None if done else end, as_at, soon)
                if anchor >= since:  # an instance anchored before the standard was in force does not exist
                    rows.append(Row(standard, child, cohort[cohort_id], k, due, done, status))
                if done is not None:
                    anchor = done
        return rows

    out: list[Row] = []
    for rows in cohorts.groupby(subject[0]).apply(per_child, include_groups=False):
        out.extend(rows)
    return out


def _months(n: int) -> Callable[[date], date]:
    def add(day: date) -> date:
        return cast(date, (pd.Timestamp(day) + pd.DateOffset(months=n)).date())  # clips to the month's end

    return add


def evaluate(
    tables: dict[str, pd.DataFrame], as_at: date, holidays: Iterable[date], since: dict[str, date]
) -> list[Row]:
    """The four standards' instances over ``tables`` (contract table name -> DataFrame).

    ``since``: the date each standard came into force; instances anchored earlier do not exist.
    """
    wd = WorkingDays(holidays)
    out: list[Row] = []
    referrals = tables["ssd_cin_episodes"]
    referrals = referrals[referrals["cine_referral_nfa"].map(lambda v: _not(v, True))]
    out += _deadline(
        "assessment-timescale",
        referrals,
        tables["ssd_cin_assessments"],
        subject=("cine_person_id", "cina_person_id"),
        anchor_id="cine_referral_id",
        anchor_date="cine_referral_date",
        target_date="cina_assessment_auth_date",
        match=("cine_referral_id", "cina_referral_id"),
        within=45,
        anchor_end="cine_close_date",
        wd=wd,
        as_at=as_at,
        since=since["assessment-timescale"],
    )
    s47 = tables["ssd_s47_enquiry"]
    s47 = s47[
        s47["s47e_cp_conference_flag"].map(lambda v: _not(v, False)) & s47["s47e_s47_nfa"].map(lambda v: _not(v, True))
    ]
    out += _deadline(
        "icpc-timescale",
        s47,
        tables["ssd_initial_cp_conference"],
        subject=("s47e_person_id", "icpc_person_id"),
        anchor_id="s47e_s47_enquiry_id",
        anchor_date="s47e_s47_start_date",
        target_date="icpc_icpc_date",
        match=("s47e_s47_enquiry_id", "icpc_s47_enquiry_id"),
        within=15,
        anchor_end=None,
        wd=wd,
        as_at=as_at,
        since=since["icpc-timescale"],
    )
    icpc = tables["ssd_initial_cp_conference"]
    icpc = icpc[icpc["icpc_icpc_outcome_cp_flag"].map(lambda v: v is not None and not pd.isna(v) and bool(v))]
    core = tables["ext_core_groups"]
    core = core[core["cgrp_cancelled"].map(lambda v: _not(v, True))]
    out += _deadline(
        "first-core-group",
        icpc,
        core,
        subject=("icpc_person_id", "cgrp_person_id"),
        anchor_id="icpc_icpc_id",
        anchor_date="icpc_icpc_date",
        target_date="cgrp_meeting_date",
        match=("icpc_cp_plan_id", "cgrp_cp_plan_id"),
        within=10,
        anchor_end=None,
        wd=wd,
        as_at=as_at,
        since=since["first-core-group"],
    )
    out += _series(
        "cp-review-conferences",
        tables["ssd_cp_plans"],
        tables["ssd_cp_reviews"],
        subject=("cppl_person_id", "cppr_person_id"),
        cohort_id="cppl_cp_plan_id",
        start_col="cppl_cp_plan_start_date",
        end_col="cppl_cp_plan_end_date",
        event_date="cppr_cp_review_date",
        match=("cppl_cp_plan_id", "cppr_cp_plan_id"),
        first=_months(3),
        interval=_months(6),
        wd=wd,
        as_at=as_at,
        since=since["cp-review-conferences"],
    )
    return out
