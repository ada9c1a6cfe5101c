"""England's thirteen standards written the way a performance analyst would write them in pandas.

This is the baseline casewatch's speed is compared against: per-child ``groupby(...).apply(...)`` over
DataFrames read from the case data, ``numpy.busday_offset`` for working days and ``pd.DateOffset`` for months,
following docs/standards-language.md ("As at a date", "Rule kinds" and "Statuses") and each standard's default
reading. It is deliberately plain - no vectorised tricks an analyst would not reach for - and each standard is
its own short function naming its tables and columns, as an analyst's script would, rather than a general
evaluator of the standards language. It handles no exceptions (``ext_exceptions``) and fails loudly if it is
given any.

Deadlines (one instance per anchor, completed by the earliest target on or after it):

* ``assessment-timescale``: authorised assessment of the referral within 45 working days of it;
* ``icpc-timescale``: initial conference for the S47 enquiry within 15 working days of it starting;
* ``first-core-group``: first core group for the plan within 10 working days of the ICPC that made it;
* ``care-plan``: care plan document for the period of care within 10 working days of its start, or up to
  3 months before it (matched on the document's related id);
* ``placement-plan``: placement plan document within 5 working days of each placement, or up to 3 months
  before it (matched on the related id);
* ``pep``: personal education plan within 10 working days of the period of care starting (no match);
* ``return-interview``: return interview within 72 hours of the child's return, timed to the second because
  both columns hold times;
* ``referral-decision``: the child's earliest contact decision within 1 working day of each contact.

Series (m qualifying events in a cohort give m + 1 instances, each anchored on the previous event):

* ``cp-review-conferences``: first within 3 months of the plan, then every 6 months (matched on the plan);
* ``cla-reviews``: first within 20 working days of the period of care, 3 months while the previous review
  was in its first 2 months, then 6 months;
* ``cla-visits``: seen visits, first within a week of the placement, 6-weekly in its first year, then 3-monthly
  in placement types U1 and U4 and 6-weekly elsewhere;
* ``health-assessments``: first within 20 working days, then 6-monthly under 5 and yearly from 5.

Age deadline:

* ``needs-assessment``: needs assessment or pathway plan by 16 years 3 months for a child in care then, or
  within 6 months of a period of care that starts later.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import numpy as np
import pandas as pd

from casewatch.results import Status

STANDARDS = (
    "assessment-timescale",
    "needs-assessment",
    "cp-review-conferences",
    "first-core-group",
    "icpc-timescale",
    "care-plan",
    "cla-reviews",
    "cla-visits",
    "health-assessments",
    "pep",
    "placement-plan",
    "return-interview",
    "referral-decision",
)
WARNING_WORKING_DAYS = 5

Shift = Callable[[pd.Timestamp], pd.Timestamp]


@dataclass(frozen=True)
class Row:
    """One instance, keyed and judged as the engine keys and judges it.

    Due and completed are dates, or timestamps for the one rule timed to the hour (return-interview).
    """

    standard: str
    subject_id: str
    episode_id: str | None
    sequence: int
    due_date: date | datetime | None
    completed_date: date | datetime | None
    status: str


@dataclass(frozen=True)
class Settings:
    """What every standard needs besides the tables: the as-at date, the calendar and when it came into force."""

    as_at: pd.Timestamp
    soon: pd.Timestamp  # the end of the due-soon warning window
    since: pd.Timestamp  # instances anchored before this date do not exist
    wd: WorkingDays


class WorkingDays:
    """Working-day arithmetic with numpy's business-day functions and England's holidays."""

    def __init__(self, holidays: Iterable[date]) -> None:
        self.calendar = np.busdaycalendar(holidays=np.array(sorted(holidays), dtype="datetime64[D]"))

    def add(self, day: pd.Timestamp, n: int) -> pd.Timestamp:
        # Rolling backward makes the anchor day 0 and, for a weekend anchor, the next working day day 1.
        out = np.busday_offset(np.datetime64(day.date(), "D"), n, roll="backward", busdaycal=self.calendar)
        return pd.Timestamp(out)

    def after(self, n: int) -> Shift:
        return lambda day: self.add(day, n)


def _months(n: int) -> Shift:
    return lambda day: day + pd.DateOffset(months=n)  # clips to the month's end: 31 Aug + 6 months = 28 Feb


def _days(n: int) -> Shift:
    return lambda day: day + pd.Timedelta(days=n)


def _hours(n: int) -> Shift:
    return lambda moment: moment + pd.Timedelta(hours=n)


# ----------------------------------------------------------------------------------------- reading the tables


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _is(value: Any) -> bool:
    """A flag that is true; null is not true."""
    return not _missing(value) and bool(value)


def _is_not(value: Any, what: bool) -> bool:
    """``{not: what}``: null counts as "not what"."""
    return _missing(value) or bool(value) != what


def _text_in(values: pd.Series, *options: str) -> pd.Series:
    """Codes compared trimmed and ignoring case, as councils spell them differently; null is none of them."""
    wanted = {option.casefold() for option in options}
    return values.map(lambda v: isinstance(v, str) and v.strip().casefold() in wanted).astype(bool)


def _dates(values: pd.Series, *, keep_time: bool = False) -> pd.Series:
    moments = pd.to_datetime(values)
    return moments if keep_time else moments.dt.normalize()


def _events(
    frame: pd.DataFrame, as_at: pd.Timestamp, *, child: str, id: str, when: str, keep_time: bool = False, **attrs: str
) -> pd.DataFrame:
    """Rows with one date, as at the end of ``as_at``: a row dated later has not happened yet."""
    out = pd.DataFrame({"child": frame[child], "id": frame[id], "when": _dates(frame[when], keep_time=keep_time)})
    for name, column in attrs.items():
        out[name] = frame[column]
    return out[~(out["when"].dt.normalize() > as_at)]


def _episodes(
    frame: pd.DataFrame, as_at: pd.Timestamp, *, child: str, id: str, start: str, end: str, **attrs: str
) -> pd.DataFrame:
    """Rows with a start and an end, as at ``as_at``: not started yet, they do not exist; ended later, still open."""
    out = pd.DataFrame(
        {"child": frame[child], "id": frame[id], "start": _dates(frame[start]), "end": _dates(frame[end])}
    )
    for name, column in attrs.items():
        out[name] = frame[column]
    out = out[~(out["start"] > as_at)].copy()
    out.loc[out["end"] > as_at, "end"] = pd.NaT
    return out


def _periods_of_care(tables: dict[str, pd.DataFrame], as_at: pd.Timestamp) -> pd.DataFrame:
    """One row per period of care (``clae_cla_id``): from its first episode's start to its last episode's end,
    open while any episode is open."""
    episodes = _episodes(
        tables["ssd_cla_episodes"],
        as_at,
        child="clae_person_id",
        id="clae_cla_id",
        start="clae_cla_episode_start_date",
        end="clae_cla_episode_ceased_date",
    )
    episodes["open"] = episodes["end"].isna()
    periods = (
        episodes.groupby(["child", "id"], dropna=False)
        .agg(start=("start", "min"), end=("end", "max"), open=("open", "any"))
        .reset_index()
    )
    periods.loc[periods["open"], "end"] = pd.NaT
    return periods.drop(columns="open")


def _dates_of_birth(tables: dict[str, pd.DataFrame]) -> pd.Series:
    people = tables["ssd_person"].dropna(subset=["pers_dob"])
    return _dates(people.groupby("pers_person_id")["pers_dob"].first())


# ----------------------------------------------------------------------------------------- judging instances


def _status(
    due: pd.Timestamp, done: pd.Timestamp | None, end: pd.Timestamp | None, s: Settings, *, timed: bool = False
) -> Status:
    if done is not None:
        return Status.MET if done <= due else Status.MET_LATE
    if end is not None and end < due:
        return Status.CANCELLED  # the cohort ended before anything was due
    # The as-at moment is the end of the day: a due date is past the day after, a due time on the day itself.
    past = due.normalize() <= s.as_at if timed else due < s.as_at
    if past:
        return Status.OVERDUE
    return Status.DUE_SOON if due.normalize() <= s.soon else Status.NOT_DUE


def _out(moment: pd.Timestamp | None, *, timed: bool = False) -> date | datetime | None:
    if moment is None:
        return None
    return cast(datetime, moment.to_pydatetime()) if timed else moment.date()


def _key(value: Any) -> str | None:
    return None if _missing(value) else str(value)


def _by_child(frame: pd.DataFrame) -> dict[Any, pd.DataFrame]:
    return {child: rows for child, rows in frame.groupby("child")}


def _per_child(frame: pd.DataFrame, per_child: Callable[[pd.DataFrame], list[Row]]) -> list[Row]:
    """``per_child`` applied to each child's rows, its lists of instances joined."""
    if frame.empty:
        return []
    return [row for rows in frame.groupby("child").apply(per_child, include_groups=False) for row in rows]


def _deadline(
    standard: str,
    anchors: pd.DataFrame,
    targets: pd.DataFrame,
    s: Settings,
    *,
    within: Shift,
    matched: bool = False,
    accept_from: Shift | None = None,
    with_end: bool = True,
    timed: bool = False,
) -> list[Row]:
    """One instance per anchor (columns child, id, when, and end and key when used), completed by the child's
    earliest target (child, when, key) on or after the anchor, or after ``accept_from`` before it.

    With ``matched``, a target must carry the anchor's key, and the earliest such target falling before the
    window makes the instance a data issue (the records are in an impossible order).
    """
    targets = targets.dropna(subset=["when"])
    targets_of = _by_child(targets)
    nothing = targets.iloc[0:0]

    def per_child(group: pd.DataFrame) -> list[Row]:
        child = group.name
        mine = targets_of.get(child, nothing)
        rows = []
        for anchor in group.itertuples():
            episode = _key(anchor.id)
            if _missing(anchor.when):
                rows.append(Row(standard, child, episode, 1, None, None, Status.DATA_ISSUE))
                continue
            if anchor.when.normalize() < s.since:
                continue  # before the standard was in force
            due = within(anchor.when)
            window = accept_from(anchor.when) if accept_from is not None else anchor.when
            if matched:
                linked = mine.loc[mine["key"] == anchor.key, "when"] if not _missing(anchor.key) else nothing["when"]
                if len(linked) and linked.min() < window:
                    rows.append(Row(standard, child, episode, 1, _out(due, timed=timed), None, Status.DATA_ISSUE))
                    continue
            else:
                linked = mine["when"]
            in_time = linked[linked >= window]
            done = in_time.min() if len(in_time) else None
            end = anchor.end if with_end and not _missing(anchor.end) else None
            status = _status(due, done, end, s, timed=timed)
            rows.append(Row(standard, child, episode, 1, _out(due, timed=timed), _out(done, timed=timed), status))
        return rows

    return _per_child(anchors, per_child)


def _series(
    standard: str,
    cohorts: pd.DataFrame,
    events: pd.DataFrame,
    s: Settings,
    *,
    first: Shift,
    interval: Callable[[Any, pd.Timestamp], pd.Timestamp],
    matched: bool = False,
) -> list[Row]:
    """m qualifying events (child, when, and key with ``matched``) within a cohort (child, id, start, end, ...)
    give m + 1 instances: the first due ``first`` after the start, each next one ``interval(cohort, anchor)``
    after the event before it; several events on one day count once."""
    events = events.dropna(subset=["when"])
    events_of = _by_child(events)
    nothing = events.iloc[0:0]

    def per_child(group: pd.DataFrame) -> list[Row]:
        child = group.name
        mine = events_of.get(child, nothing)
        rows = []
        for cohort in group.itertuples():
            episode = _key(cohort.id)
            start = None if _missing(cohort.start) else cohort.start
            end = None if _missing(cohort.end) else cohort.end
            if start is None or (end is not None and end < start):
                if start is None or start >= s.since:
                    rows.append(Row(standard, child, episode, 1, None, None, Status.DATA_ISSUE))
                continue
            if matched:
                dates = mine.loc[mine["key"] == cohort.key, "when"] if not _missing(cohort.key) else nothing["when"]
            else:
                dates = mine["when"]
            dates = dates[dates >= start]
            if end is not None:
                dates = dates[dates <= end]
            anchor = start
            for k, done in enumerate([*sorted(set(dates)), None], start=1):
                due = first(anchor) if k == 1 else interval(cohort, anchor)
                if anchor >= s.since:  # an instance anchored before the standard was in force does not exist
                    rows.append(Row(standard, child, episode, k, _out(due), _out(done), _status(due, done, end, s)))
                if done is not None:
                    anchor = done
        return rows

    return _per_child(cohorts, per_child)


# ----------------------------------------------------------------------------------------- the standards


def assessment_timescale(tables: dict[str, pd.DataFrame], s: Settings) -> list[Row]:
    referrals = tables["ssd_cin_episodes"]
    referrals = referrals[referrals["cine_referral_nfa"].map(lambda v: _is_not(v, True)).astype(bool)]
    anchors = _episodes(
        referrals,
        s.as_at,
        child="cine_person_id",
        id="cine_referral_id",
        start="cine_referral_date",
        end="cine_close_date",
        key="cine_referral_id",
    ).rename(columns={"start": "when"})
    targets = _events(
        tables["ssd_cin_assessments"],
        s.as_at,
        child="cina_person_id",
        id="cina_assessment_id",
        when="cina_assessment_auth_date",
        key="cina_referral_id",
    )
    return _deadline("assessment-timescale", anchors, targets, s, within=s.wd.after(45), matched=True)


def icpc_timescale(tables: dict[str, pd.DataFrame], s: Settings) -> list[Row]:
    s47 = tables["ssd_s47_enquiry"]
    wanted = s47["s47e_cp_conference_flag"].map(lambda v: _is_not(v, False)) & s47["s47e_s47_nfa"].map(
        lambda v: _is_not(v, True)
    )
    anchors = _events(
        s47[wanted.astype(bool)],
        s.as_at,
        child="s47e_person_id",
        id="s47e_s47_enquiry_id",
        when="s47e_s47_start_date",
        key="s47e_s47_enquiry_id",
    )
    targets = _events(
        tables["ssd_initial_cp_conference"],
        s.as_at,
        child="icpc_person_id",
        id="icpc_icpc_id",
        when="icpc_icpc_date",
        key="icpc_s47_enquiry_id",
    )
    # The enquiry usually closes before the conference, so its end cancels nothing (ends_with_anchor: false).
    return _deadline("icpc-timescale", anchors, targets, s, within=s.wd.after(15), matched=True, with_end=False)


def first_core_group(tables: dict[str, pd.DataFrame], s: Settings) -> list[Row]:
    icpc = tables["ssd_initial_cp_conference"]
    anchors = _events(
        icpc[icpc["icpc_icpc_outcome_cp_flag"].map(_is).astype(bool)],
        s.as_at,
        child="icpc_person_id",
        id="icpc_icpc_id",
        when="icpc_icpc_date",
        key="icpc_cp_plan_id",
    )
    core = tables["ext_core_groups"]
    targets = _events(
        core[core["cgrp_cancelled"].map(lambda v: _is_not(v, True)).astype(bool)],
        s.as_at,
        child="cgrp_person_id",
        id="cgrp_id",
        when="cgrp_meeting_date",
        key="cgrp_cp_plan_id",
    )
    return _deadline("first-core-group", anchors, targets, s, within=s.wd.after(10), matched=True, with_end=False)


def cp_review_conferences(tables: dict[str, pd.DataFrame], s: Settings) -> list[Row]:
    plans = _episodes(
        tables["ssd_cp_plans"],
        s.as_at,
        child="cppl_person_id",
        id="cppl_cp_plan_id",
        start="cppl_cp_plan_start_date",
        end="cppl_cp_plan_end_date",
        key="cppl_cp_plan_id",
    )
    reviews = _events(
        tables["ssd_cp_reviews"],
        s.as_at,
        child="cppr_person_id",
        id="cppr_cp_review_id",
        when="cppr_cp_review_date",
        key="cppr_cp_plan_id",
    )
    every_six_months = _months(6)
    return _series(
        "cp-review-conferences",
        plans,
        reviews,
        s,
        first=_months(3),
        interval=lambda plan, anchor: every_six_months(anchor),
        matched=True,
    )


def _plan_documents(tables: dict[str, pd.DataFrame], s: Settings, *types: str) -> pd.DataFrame:
    documents = tables["ext_plan_documents"]
    return _events(
        documents[_text_in(documents["pldc_plan_type"], *types)],
        s.as_at,
        child="pldc_person_id",
        id="pldc_id",
        when="pldc_created_date",
        key="pldc_related_id",
    )


def care_plan(tables: dict[str, pd.DataFrame], s: Settings) -> list[Row]:
    periods = _periods_of_care(tables, s.as_at).rename(columns={"start": "when"})
    periods["key"] = periods["id"]
    plans = _plan_documents(tables, s, "care_plan", "care")
    return _deadline("care-plan", periods, plans, s, within=s.wd.after(10), matched=True, accept_from=_months(-3))


def placement_plan(tables: dict[str, pd.DataFrame], s: Settings) -> list[Row]:
    placements = _episodes(
        tables["ssd_cla_placement"],
        s.as_at,
        child="clap_person_id",
        id="clap_cla_placement_id",
        start="clap_cla_placement_start_date",
        end="clap_cla_placement_end_date",
        key="clap_cla_placement_id",
    ).rename(columns={"start": "when"})
    plans = _plan_documents(tables, s, "placement", "placement_plan")
    return _deadline(
        "placement-plan", placements, plans, s, within=s.wd.after(5), matched=True, accept_from=_months(-3)
    )


def pep(tables: dict[str, pd.DataFrame], s: Settings) -> list[Row]:
    periods = _periods_of_care(tables, s.as_at).rename(columns={"start": "when"})
    peps = _plan_documents(tables, s, "pep", "personal_education_plan")
    return _deadline("pep", periods, peps, s, within=s.wd.after(10))


def cla_reviews(tables: dict[str, pd.DataFrame], s: Settings) -> list[Row]:
    periods = _periods_of_care(tables, s.as_at)
    reviews = tables["ssd_cla_reviews"]
    reviews = _events(
        reviews[reviews["clar_cla_review_cancelled"].map(lambda v: _is_not(v, True)).astype(bool)],
        s.as_at,
        child="clar_cla_person_id",
        id="clar_cla_review_id",
        when="clar_cla_review_date",
    )

    def interval(period: Any, anchor: pd.Timestamp) -> pd.Timestamp:
        # The second review (anchored on a first one held in the period's first 2 months) within 3 months.
        if anchor < period.start + pd.DateOffset(months=2):
            return anchor + pd.DateOffset(months=3)
        return anchor + pd.DateOffset(months=6)

    return _series("cla-reviews", periods, reviews, s, first=s.wd.after(20), interval=interval)


def cla_visits(tables: dict[str, pd.DataFrame], s: Settings) -> list[Row]:
    placements = _episodes(
        tables["ssd_cla_placement"],
        s.as_at,
        child="clap_person_id",
        id="clap_cla_placement_id",
        start="clap_cla_placement_start_date",
        end="clap_cla_placement_end_date",
        placement_type="clap_cla_placement_type",
    )
    placements["long_term"] = _text_in(placements["placement_type"], "U1", "U4")
    visits = tables["ssd_cla_visits"]
    visits = _events(
        visits[visits["clav_cla_visit_seen"].map(_is).astype(bool)],
        s.as_at,
        child="clav_person_id",
        id="clav_cla_visit_id",
        when="clav_cla_visit_date",
    )

    def interval(placement: Any, anchor: pd.Timestamp) -> pd.Timestamp:
        if anchor < placement.start + pd.DateOffset(years=1):
            return anchor + pd.Timedelta(weeks=6)
        if placement.long_term:
            return anchor + pd.DateOffset(months=3)
        return anchor + pd.Timedelta(weeks=6)

    return _series("cla-visits", placements, visits, s, first=_days(7), interval=interval)


def health_assessments(tables: dict[str, pd.DataFrame], s: Settings) -> list[Row]:
    periods = _periods_of_care(tables, s.as_at)
    periods["dob"] = periods["child"].map(_dates_of_birth(tables))
    checks = tables["ssd_cla_health"]
    counted = _text_in(
        checks["clah_health_check_type"], "initial health assessment", "review health assessment", "health assessment"
    ) & ~_text_in(checks["clah_health_check_status"], "planned", "refused", "cancelled")
    checks = _events(
        checks[counted],
        s.as_at,
        child="clah_person_id",
        id="clah_health_check_id",
        when="clah_health_check_date",
    )

    def interval(period: Any, anchor: pd.Timestamp) -> pd.Timestamp:
        # Under 5 at the previous assessment: 6 months; from 5, or with no date of birth: 12 months.
        if not _missing(period.dob) and anchor < period.dob + pd.DateOffset(years=5):
            return anchor + pd.DateOffset(months=6)
        return anchor + pd.DateOffset(months=12)

    return _series("health-assessments", periods, checks, s, first=s.wd.after(20), interval=interval)


def needs_assessment(tables: dict[str, pd.DataFrame], s: Settings) -> list[Row]:
    """Due at 16 years 3 months for a child in care on that day; 6 months from the start of a later period."""
    periods = _periods_of_care(tables, s.as_at)
    periods["dob"] = periods["child"].map(_dates_of_birth(tables))
    documents = _plan_documents(tables, s, "needs_assessment", "pathway")
    documents_of = _by_child(documents.dropna(subset=["when"]))
    nothing = documents["when"].iloc[0:0]

    def per_child(group: pd.DataFrame) -> list[Row]:
        child = group.name
        written = documents_of[child]["when"] if child in documents_of else nothing
        rows = []
        for period in group.itertuples():
            episode = _key(period.id)
            start = None if _missing(period.start) else period.start
            end = None if _missing(period.end) else period.end
            if start is None or (end is not None and end < start) or _missing(period.dob):
                rows.append(Row("needs-assessment", child, episode, 1, None, None, Status.DATA_ISSUE))
                continue
            birthday = period.dob + pd.DateOffset(years=16, months=3)
            if birthday < start:
                anchor = start
                due = start + pd.DateOffset(months=6)  # came into care later
            elif end is not None and end < birthday:
                continue  # left care before the birthday
            else:
                anchor = due = birthday
            if anchor < s.since:
                continue
            since_start = written[written >= start]
            done = since_start.min() if len(since_start) else None
            rows.append(Row("needs-assessment", child, episode, 1, _out(due), _out(done), _status(due, done, end, s)))
        return rows

    return _per_child(periods, per_child)


def return_interview(tables: dict[str, pd.DataFrame], s: Settings) -> list[Row]:
    """Timed to the second: the return and the interview both carry a time of day."""
    returns = _events(
        tables["ssd_missing"],
        s.as_at,
        child="miss_person_id",
        id="miss_table_id",
        when="miss_missing_episode_end_date",
        keep_time=True,
        key="miss_table_id",
    )
    interviews = _events(
        tables["ext_return_interviews"],
        s.as_at,
        child="rhi_person_id",
        id="rhi_id",
        when="rhi_completed_datetime",
        keep_time=True,
        key="rhi_missing_id",
    )
    return _deadline(
        "return-interview", returns, interviews, s, within=_hours(72), matched=True, with_end=False, timed=True
    )


def referral_decision(tables: dict[str, pd.DataFrame], s: Settings) -> list[Row]:
    """Working days count whole days, so the contact's and the decision's times of day are dropped."""
    contacts = _events(
        tables["ssd_contacts"], s.as_at, child="cont_person_id", id="cont_contact_id", when="cont_contact_date"
    )
    decisions = _events(
        tables["ext_contact_decisions"],
        s.as_at,
        child="cdec_person_id",
        id="cdec_contact_decision_id",
        when="cdec_decision_datetime",
    )
    return _deadline("referral-decision", contacts, decisions, s, within=s.wd.after(1), with_end=False)


BY_STANDARD: dict[str, Callable[[dict[str, pd.DataFrame], Settings], list[Row]]] = {
    "assessment-timescale": assessment_timescale,
    "needs-assessment": needs_assessment,
    "cp-review-conferences": cp_review_conferences,
    "first-core-group": first_core_group,
    "icpc-timescale": icpc_timescale,
    "care-plan": care_plan,
    "cla-reviews": cla_reviews,
    "cla-visits": cla_visits,
    "health-assessments": health_assessments,
    "pep": pep,
    "placement-plan": placement_plan,
    "return-interview": return_interview,
    "referral-decision": referral_decision,
}


def evaluate(
    tables: dict[str, pd.DataFrame],
    as_at: date,
    holidays: Iterable[date],
    since: dict[str, date],
    seconds: dict[str, float] | None = None,
) -> list[Row]:
    """The instances of the standards named in ``since`` over ``tables`` (contract table name -> DataFrame).

    ``since``: the date each standard came into force; instances anchored earlier do not exist. ``seconds``,
    if given, receives each standard's evaluation time.
    """
    exceptions = tables.get("ext_exceptions")
    if exceptions is not None and len(exceptions):
        raise NotImplementedError("benchmarks/pandas_impl.py does not handle recorded exceptions (ext_exceptions)")
    wd = WorkingDays(holidays)
    day = pd.Timestamp(as_at)
    out: list[Row] = []
    for standard, in_force in since.items():
        started = time.perf_counter()
        settings = Settings(day, wd.add(day, WARNING_WORKING_DAYS), pd.Timestamp(in_force), wd)
        out += BY_STANDARD[standard](tables, settings)
        if seconds is not None:
            seconds[standard] = time.perf_counter() - started
    return out
