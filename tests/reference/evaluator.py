"""The reference evaluator: docs/standards-language.md, paragraph by paragraph, in plain Python.

It exists to be checked by eye and trusted, so that the set-based engine can be tested against it on random
case histories. It loops over rows and children, counts working days one at a time, and never shares code
with the engine beyond the validated standard model, the vocabulary of sources, the calendar's
``is_working_day`` and the one definition of how a spelling is compared (``vocabulary.fold``).

Where the specification leaves a choice open, this is the reading taken (each also noted at its code):

* A timestamp compared with a date is compared by date.
* ``anchor_day: 1`` for lead times mirrors adding: Y itself is day 1. It applies to due-date arithmetic, not
  to phase tests, ages, grace, ``within_last`` or the warning window.
* ``not``/``not_in`` are null-safe: null is "not v" for a value v, and ``{not: null}`` means "has a value".
  Text matching (``vocabulary.fold``: trimmed, inner spaces as one, any case) applies to ``where`` conditions
  and the config lists (allocated-worker roles) only; ``match`` pairs compare exactly.
* Deadline: every anchor without a date is a ``data_issue``; ``select`` chooses among dated anchors.
* Age deadline: a cohort with no start or ending before it starts is a ``data_issue``, as for series.
* Lead time: the "previous Y" is the subject's latest Y on an earlier date (not one on the same date).
* Series: several events on one day count once. Count: events on one day count separately; the partial
  period before the first period start is not counted; ``cohort_year`` runs from each anniversary.
* State: events count when dated on or before ``as_at``; episodes with no start are not open; an entity
  population has no start, so ``grace`` does not apply to it; the anchor is the population row's start (an
  entity's: ``as_at``). ``count_distinct: family`` counts ``ssd_family`` families, a child without one
  being a family of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from casewatch.calendars import get_calendar
from casewatch.data.contract import TABLES
from casewatch.data.vocabulary import fold
from casewatch.results.attribution import (
    ALLOCATIONS,
    PROFESSIONALS,
    REFERRALS,
    case_holding,
    holder_on,
    open_referrals,
    reference_date,
    worker_departments,
)
from casewatch.standards.durations import Duration, Unit
from casewatch.standards.kinds import AgeDeadline, Count, Deadline, LeadTime, RecordingLag, Rule, Series, State
from casewatch.standards.kinds.base import SourceRef
from casewatch.standards.kinds.series import Phase
from casewatch.standards.model import Version
from casewatch.standards.pack import Standard
from casewatch.standards.sources import Source, load_sources
from reference.arithmetic import (
    ONE_DAY,
    Moment,
    add_months,
    before,
    day_of,
    on_or_before,
    shift,
    working_days_between,
)
from support.instances import Instance, sorted_instances

EXCEPTIONS_TABLE = "ext_exceptions"
PERSON_TABLE = "ssd_person"
FAMILY_TABLE = "ssd_family"


def evaluate_reference(
    standard: Standard,
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    as_at: date,
    allocated_roles: Sequence[str],
    history_from: date | None = None,
) -> list[Instance]:
    """Every instance of ``standard`` as at the end of ``as_at``, in order of (subject, episode, sequence).

    "An instance uses the version in force at its anchor date (for count, the period start; for state, the
    as-at date)": each version's rule is evaluated over the whole history and keeps the instances whose date
    falls in that version's effective period. An instance with no anchor date uses the version in force at
    ``as_at``, or else the latest version that started before it.

    ``history_from`` is the first day of the data's history window ("The history window"): instances anchored
    or due before it are left out, and a series measures an episode open at it from it.
    """
    fallback = standard.version_at(as_at) or max(
        (v for v in standard.versions if v.effective_from <= as_at), key=lambda v: v.effective_from, default=None
    )
    sources = load_sources()
    if not any(v.rule.reads_cut_history(sources) for v in standard.versions):
        history_from = None  # judged on records live at the as-at date, which an extract keeps whole
    instances: list[Instance] = []
    for version in standard.versions:
        ctx = _Context(standard, version.rule, tables, as_at, allocated_roles, history_from)
        for draft in RULE_KINDS[version.rule.kind](ctx, version.rule):
            when = as_at if isinstance(version.rule, State) else draft.anchor
            chosen = standard.version_at(day_of(when)) if when is not None else fallback
            if chosen is None or chosen.version != version.version:
                continue
            if history_from is None or not _before_window(draft, history_from):
                instances.append(ctx.finish(draft, version))
    return sorted_instances(instances)


def _before_window(draft: Draft, start: date) -> bool:
    """ "Anchored or due before the window", or met by a record the rule accepts from before it (``reads_from``,
    which a data issue does not have): any of those dates, where the instance has it."""
    looks_back = None if draft.issue else draft.reads_from
    return any(d is not None and day_of(d) < start for d in (draft.anchor, draft.due, looks_back))


# ----------------------------------------------------------------------------------------- rows of a source


@dataclass(frozen=True)
class Row:
    """A row of a source as it stood at the end of ``as_at``: dated by ``when`` (event date, episode start)."""

    id: Any
    subject: Any
    when: Moment | None
    end: Moment | None
    attrs: Mapping[str, Any]


@dataclass(frozen=True)
class Draft:
    """An instance before its version, status and lateness are settled.

    ``forced`` is a status the rule kind fixes itself: a state that holds is ``met``; a state without grace, or
    a lead time whose earlier event never happened, is ``overdue``.
    """

    subject: Any
    episode: Any
    sequence: int
    anchor: Moment | None
    due: Moment | None = None
    completed: Moment | None = None
    cohort_end: Moment | None = None
    issue: bool = False
    forced: str | None = None
    #: The earliest day a record meeting it may be dated, where the rule looks back beyond the anchor.
    reads_from: Moment | None = None


def _order(value: Moment) -> tuple[date, time]:
    """Sort key for a mix of dates and timestamps; a date sorts at the start of its day."""
    return (day_of(value), value.time() if isinstance(value, datetime) else time.min)


def _earliest(values: Sequence[Moment]) -> Moment | None:
    return min(values, key=_order) if values else None


def _timed_to_the_hour(rule: Rule) -> bool:
    """Whether the rule counts in hours and "both the anchor and the target are date-and-time columns".

    Only then does a time of day matter; otherwise hours fall back to date precision. The anchor columns are
    those a due time is counted from (a series counts from its cohort's start and from its events).
    """
    sources = load_sources()
    durations: list[Duration | None] = []
    ends: list[tuple[str, str | None]] = []  # (source, attribute or None for its date) of each anchor and target
    match rule:
        case Deadline():
            durations, ends = [rule.within], [(rule.anchor.source, None), (rule.target.source, None)]
        case RecordingLag():
            durations, ends = [rule.within], [(rule.event.source, None), (rule.event.source, rule.recorded)]
        case Series():
            durations = [rule.first] + [d for p in rule.all_phases for d in (p.first, p.interval)]
            ends = [(rule.cohort.source, None), (rule.event.source, None)]
        case LeadTime():
            durations, ends = [rule.by], [(rule.event.source, None), (rule.before.source, None)]
        case AgeDeadline():
            durations, ends = [rule.late_entry], [(rule.cohort.source, None), (rule.target.source, None)]
        case State():
            durations, ends = [rule.grace], [(rule.population.source, None)]
    if not any(d is not None and d.unit is Unit.HOURS for d in durations):
        return False
    for name, attribute in ends:
        source = sources[name]
        column = source.column(attribute) if attribute else source.date or source.start
        if column is None or _column_type(source.table, column) != "datetime":
            return False
    return True


def _column_type(table: str, column: str) -> str | None:
    spec = TABLES.get(table)
    return spec.column(column).type if spec is not None and column in spec.column_names else None


class _Context:
    """What evaluating one version's rule needs: the data as at ``as_at``, the calendar and the settings."""

    def __init__(
        self,
        standard: Standard,
        rule: Rule,
        tables: Mapping[str, Sequence[Mapping[str, Any]]],
        as_at: date,
        allocated_roles: Sequence[str],
        history_from: date | None = None,
    ) -> None:
        self.standard = standard
        self.tables = tables
        self.as_at = as_at
        self.history_from = history_from
        self.config_lists = {"allocated_worker_roles": list(allocated_roles)}
        # Attribution is not re-derived here: the one rule's plain-Python form is used, and the property tests
        # hold the engine's set-based form against it.
        self.allocations = case_holding(tables.get(ALLOCATIONS, []), allocated_roles)
        self.referrals = open_referrals(tables.get(REFERRALS, []))
        self.departments = worker_departments(tables.get(PROFESSIONALS, []))
        self.sources = load_sources()
        self.cal = get_calendar(standard.calendar)
        self.hours = _timed_to_the_hour(rule)
        self.anchor_day = getattr(getattr(rule, "counting", None), "anchor_day", 0)

    # -- precision and the as-at rule ("As at a date")

    def moment(self, value: Any) -> Any:
        """Timestamps keep their time only in hour rules on date-and-time columns; elsewhere they are dates."""
        if isinstance(value, datetime) and not self.hours:
            return value.date()
        return value

    def _as_at(self, raw: Mapping[str, Any], source: Source) -> dict[str, Any] | None:
        """The row as it stood at the end of ``as_at``, or None when it did not exist yet.

        A row whose own date (event date, episode start) is after ``as_at`` does not exist; any other date
        after ``as_at`` (an end date, a recorded date) is not there yet, so it reads as null.
        """
        own = source.date or source.start
        row = {column: self.moment(value) for column, value in raw.items()}
        if own is not None and row.get(own) is not None and day_of(row[own]) > self.as_at:
            return None
        return {
            column: None if column != own and isinstance(value, date) and day_of(value) > self.as_at else value
            for column, value in row.items()
        }

    # -- reading a source

    def read(self, ref: SourceRef, subject_type: str | None = None) -> list[Row]:
        """The rows of ``ref``'s source that exist at ``as_at`` and satisfy its filters and ``where``."""
        source = self.sources[ref.source]
        subject_column = source.subjects[subject_type or self.standard.subject]
        kept: list[dict[str, Any]] = []
        for raw in self.tables.get(source.table, []):
            row = self._as_at(raw, source)
            if row is None or not self._in_source(row, source) or not self.holds(ref.where, source, row):
                continue
            if row.get(subject_column) is None:  # "a row that names no subject of the standard's type is nobody's"
                continue
            kept.append(row)
        if source.group_by is not None:
            return self._grouped(source, subject_column, kept)
        return [
            Row(
                id=row.get(source.id),
                subject=row.get(subject_column),
                when=row.get(source.when) if source.kind != "entity" else None,
                end=row.get(source.end) if source.end else None,
                attrs={attr: row.get(column) for attr, column in source.attributes.items()},
            )
            for row in kept
        ]

    def _in_source(self, row: Mapping[str, Any], source: Source) -> bool:
        """The source's fixed filter, and its config filter (e.g. allocations: only allocated-worker roles)."""
        if not self.holds(source.filter, source, row):
            return False
        for attr, list_name in source.config_filter.items():
            if list_name not in self.config_lists:
                raise AssertionError(f"the reference does not know the config list '{list_name}'")
            if not any(_same(row.get(source.column(attr)), item) for item in self.config_lists[list_name]):
                return False
        return True

    @staticmethod
    def _grouped(source: Source, subject_column: str, rows: list[dict[str, Any]]) -> list[Row]:
        """One episode per group: start = earliest start, end = latest end, open if any row is open."""
        assert source.group_by is not None and source.start is not None and source.end is not None
        groups: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault((row.get(subject_column), row.get(source.group_by)), []).append(row)
        grouped = []
        for (subject, key), members in groups.items():
            starts = [m[source.start] for m in members if m.get(source.start) is not None]
            ends = [m.get(source.end) for m in members]
            attrs = {}
            for attr, column in source.attributes.items():
                values = {m.get(column) for m in members}
                attrs[attr] = values.pop() if len(values) == 1 else None
            grouped.append(
                Row(
                    id=key,
                    subject=subject,
                    when=min(starts, key=_order) if starts else None,
                    end=None if None in ends else max((e for e in ends if e is not None), key=_order),
                    attrs=attrs,
                )
            )
        return grouped

    # -- conditions ("where")

    def holds(self, where: Mapping[str, Any], source: Source, row: Mapping[str, Any]) -> bool:
        return all(self.satisfies(row.get(source.column(attr)), test) for attr, test in where.items())

    def holds_on(self, where: Mapping[str, Any], attrs: Mapping[str, Any]) -> bool:
        return all(self.satisfies(attrs.get(attr), test) for attr, test in where.items())

    def satisfies(self, value: Any, test: Any) -> bool:
        """One condition. A null satisfies no comparison except ``is_null: true`` and ``not``/``not_in``.

        ``not``/``not_in`` are null-safe ("is distinct from"): null is "not v" for any value v, and
        ``{not: null}`` therefore means "has a value", as anyone reading it would take it. Text compares
        trimmed and ignoring case; numbers, booleans and dates exactly (see ``_same``).
        """
        if isinstance(test, dict):
            ((op, arg),) = test.items()
            if op == "is_null":
                return (value is None) is bool(arg)
            if op == "not":
                return not _same(value, arg)
            if op == "not_in":
                return not any(_same(value, item) for item in arg)
            if value is None:
                return False
            if op == "in":
                return any(_same(value, item) for item in arg)
            if op == "within_last":
                # (as_at - duration, as_at]
                earliest = shift(self.as_at, Duration.parse(arg), self.cal, backwards=True)
                return day_of(earliest) < day_of(value) <= self.as_at
            raise AssertionError(f"unknown operator {op}")
        if value is None:
            return False
        if isinstance(test, list):
            return any(_same(value, item) for item in test)
        return _same(value, test)

    @staticmethod
    def matched(match: Mapping[str, str], left: Row, right: Row) -> bool:
        """``match`` pairs: left attribute -> right attribute, equal and not null."""
        return all(left.attrs[a] is not None and left.attrs[a] == right.attrs[b] for a, b in match.items())

    # -- people

    def dob(self, person: Any) -> date | None:
        for row in self.tables.get(PERSON_TABLE, []):
            if row.get("pers_person_id") == person and row.get("pers_dob") is not None:
                return day_of(row["pers_dob"])
        return None

    def family(self, person: Any) -> tuple[str, Any]:
        """The family a child belongs to (``ssd_family``); a child with no family row is a family of one."""
        families = sorted(
            str(row["fami_family_id"])
            for row in self.tables.get(FAMILY_TABLE, [])
            if row.get("fami_person_id") == person and row.get("fami_family_id") is not None
        )
        return ("family", families[0]) if families else ("person", person)

    # -- arithmetic in this standard's calendar

    def add(self, value: Moment, duration: Duration, *, counted: bool = True, backwards: bool = False) -> Moment:
        """``value`` + ``duration``; ``counted`` applies the rule's ``anchor_day`` convention (due dates only)."""
        anchor_day = self.anchor_day if counted else 0
        return shift(value, duration, self.cal, anchor_day=anchor_day, backwards=backwards)

    # -- statuses ("Statuses")

    def finish(self, draft: Draft, version: Version) -> Instance:
        status, late_to = self._status(draft)
        working = calendar = None
        if late_to is not None:
            assert draft.due is not None
            due_day, late_day = day_of(draft.due), day_of(late_to)
            working = working_days_between(self.cal, due_day, late_day)
            calendar = (late_day - due_day).days
        return Instance(
            subject_type=self.standard.subject,
            subject_id=str(draft.subject),
            standard_id=self.standard.id,
            standard_version=version.version,
            episode_id=_text(draft.episode),
            sequence=draft.sequence,
            anchor_date=draft.anchor,
            due_date=draft.due,
            completed_date=draft.completed,
            status=status,
            working_days_late=working,
            calendar_days_late=calendar,
            **self._responsible(draft),
        )

    def _responsible(self, draft: Draft) -> dict[str, str | None]:
        """The worker and team responsible on the instance's reference date (``results.attribution``)."""
        on = reference_date(day_of(draft.due) if draft.due is not None else None, self.as_at)
        subject = str(draft.subject)
        if self.standard.subject == "child":
            held = holder_on(self.allocations.get(subject, []), on, self.departments, self.referrals.get(subject, []))
            return {"worker_id": held.worker_id, "team_id": held.team_id}
        if self.standard.subject == "worker":
            return {"worker_id": subject, "team_id": self.departments.get(subject)}
        return {"worker_id": None, "team_id": None}

    def _status(self, draft: Draft) -> tuple[str, Moment | None]:
        """The status, and the moment lateness is counted to (None when lateness is null).

        Lateness: for ``met_late`` C - D; for ``overdue`` E - D when the cohort has ended, else A - D; for an
        ``exception`` as for the status it replaces (it was late, with a recorded reason); null otherwise.
        """
        if draft.issue:
            return "data_issue", None
        due, completed, end = draft.due, draft.completed, draft.cohort_end
        assert due is not None
        if draft.forced == "met":
            return "met", None
        if completed is not None:
            if on_or_before(completed, due):
                return "met", None
            return self._unless_excepted(draft, "met_late", completed)
        if draft.forced == "overdue":
            return self._unless_excepted(draft, "overdue", end if end is not None else self.as_at)
        if end is not None and before(end, due):
            return "cancelled", None
        if self._past(due):
            return self._unless_excepted(draft, "overdue", end if end is not None else self.as_at)
        if day_of(due) <= day_of(self.add(self.as_at, self.standard.due_soon, counted=False)):
            return "due_soon", None
        return "not_due", None

    def _past(self, due: Moment) -> bool:
        """A > D, where A is the end of the as-at day: a due date must be before it, a due time on or before it."""
        return day_of(due) <= self.as_at if isinstance(due, datetime) else due < self.as_at

    def _unless_excepted(self, draft: Draft, status: str, late_to: Moment) -> tuple[str, Moment | None]:
        if not self._excepted(draft):
            return status, late_to
        return "exception", late_to

    def _excepted(self, draft: Draft) -> bool:
        """An ``ext_exceptions`` row for the subject and standard (full or bare id), and the episode if it names
        one, whose dates [from, to or open] cover the due date."""
        assert draft.due is not None
        due = day_of(draft.due)
        for row in self.tables.get(EXCEPTIONS_TABLE, []):
            if row.get("excp_person_id") != draft.subject:
                continue
            if row.get("excp_standard_id") not in (self.standard.id, self.standard.spec.id):
                continue
            if row.get("excp_episode_id") is not None and row["excp_episode_id"] != _text(draft.episode):
                continue
            start, stop = row.get("excp_date_from"), row.get("excp_date_to")
            if start is None or due < day_of(start) or (stop is not None and due > day_of(stop)):
                continue
            return True
        return False


def _same(value: Any, other: Any) -> bool:
    """Equality in conditions: null-safe (two nulls are the same, a null and a value are not), text folded
    (trimmed, inner spaces as one, any case: "councils' systems spell the same code differently"), anything else
    exactly."""
    if value is None or other is None:
        return value is None and other is None
    if isinstance(value, str) and isinstance(other, str):
        return fold(value) == fold(other)
    if isinstance(value, bool) or isinstance(other, bool):
        return value is other
    return bool(value == other)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _open_at_as_at(row: Row, source: Source) -> bool:
    """Episodes: started and not ended by ``as_at``; events: dated by then; entities: present."""
    if source.kind == "entity":
        return True
    if source.kind == "event":
        return row.when is not None
    return row.when is not None and row.end is None


def _untimeable(row: Row) -> bool:
    """A cohort with no start, or ending before it starts."""
    return row.when is None or (row.end is not None and before(row.end, row.when))


# ----------------------------------------------------------------------------------------- the rule kinds


def _deadline(ctx: _Context, rule: Deadline) -> Iterator[Draft]:
    """ "deadline — a target event within a duration of an anchor event"."""
    anchor_source = ctx.sources[rule.anchor.source]
    anchors = ctx.read(rule.anchor)
    targets = [t for t in ctx.read(rule.target) if t.when is not None]
    for anchor in [a for a in anchors if a.when is None]:
        yield Draft(anchor.subject, anchor.id, 1, None, issue=True)  # an anchor with no date
    dated = [a for a in anchors if a.when is not None and _of_age(ctx, rule, a)]
    for anchor in _select(rule, dated):
        assert anchor.when is not None
        due = ctx.add(anchor.when, rule.within)
        end = anchor.end if anchor_source.kind == "episode" and rule.ends_with_anchor else None
        if rule.anchor_age is not None and ctx.dob(anchor.subject) is None:
            yield Draft(anchor.subject, anchor.id, 1, anchor.when, due, issue=True)  # age unknown
            continue
        # "accept_from": a target up to that long before the anchor counts; the window starts there.
        start: Moment = anchor.when
        if rule.accept_from is not None:
            start = ctx.add(day_of(anchor.when), rule.accept_from, counted=False, backwards=True)
        linked = [t for t in targets if t.subject == anchor.subject and ctx.matched(rule.match, anchor, t)]
        first_linked = _earliest([t.when for t in linked if t.when is not None])
        if rule.match and first_linked is not None and before(first_linked, start):
            yield Draft(anchor.subject, anchor.id, 1, anchor.when, due, issue=True)  # impossible order
            continue
        completed = _earliest([t.when for t in linked if t.when is not None and not before(t.when, start)])
        looks_back = start if rule.accept_from is not None else None
        yield Draft(anchor.subject, anchor.id, 1, anchor.when, due, completed, end, reads_from=looks_back)


def _of_age(ctx: _Context, rule: Deadline, anchor: Row) -> bool:
    """``anchor_age``: the child's age on the anchor date is in range (unknown: kept, to be reported)."""
    if rule.anchor_age is None:
        return True
    dob = ctx.dob(anchor.subject)
    if dob is None:
        return True
    assert anchor.when is not None
    on = day_of(anchor.when)
    ages = rule.anchor_age
    if ages.from_ is not None and on < day_of(ctx.add(dob, ages.from_, counted=False)):
        return False
    return not (ages.under is not None and on >= day_of(ctx.add(dob, ages.under, counted=False)))


def _select(rule: Deadline, anchors: list[Row]) -> list[Row]:
    """``select: first|last``: per subject (and ``per`` value) the earliest / latest anchor; ties: smallest id."""
    if rule.anchor.select == "each":
        return anchors
    per = rule.anchor.per
    groups: dict[tuple[Any, Any], list[Row]] = {}
    for anchor in anchors:
        groups.setdefault((anchor.subject, anchor.attrs[per] if per else None), []).append(anchor)
    chosen = []
    for members in groups.values():
        pick = min if rule.anchor.select == "first" else max
        when = pick(_order(a.when) for a in members if a.when is not None)
        chosen.append(
            min((a for a in members if a.when is not None and _order(a.when) == when), key=lambda a: str(a.id))
        )
    return chosen


def _series(ctx: _Context, rule: Series) -> Iterator[Draft]:
    """ "series — qualifying events no further apart than an interval while a cohort holds"."""
    events = [e for e in ctx.read(rule.event) if e.when is not None]
    window = ctx.history_from if rule.history_baseline == "window_start" else None
    for cohort in ctx.read(rule.cohort):
        if _untimeable(cohort):
            yield Draft(cohort.subject, cohort.id, 1, cohort.when, issue=True)
            continue
        start, end = cohort.when, cohort.end
        assert start is not None
        # "window_start": an episode open at the window's start is measured from it, one interval on; one that
        # ended before it has nothing the data can judge.
        baselined = window is not None and day_of(start) < window
        if window is not None and end is not None and day_of(end) < window:
            continue
        base: Moment = window if baselined and window is not None else start
        by_day: dict[date, Moment] = {}  # several on one day count once
        for event in events:
            assert event.when is not None
            if event.subject != cohort.subject or not ctx.matched(rule.match, cohort, event):
                continue
            if before(event.when, base) or (end is not None and before(end, event.when)):
                continue
            day = day_of(event.when)
            if day not in by_day or _order(event.when) < _order(by_day[day]):
                by_day[day] = event.when
        qualifying = sorted(by_day.values(), key=_order)
        for k, anchor in enumerate([base, *qualifying], start=1):
            phase = _phase_at(ctx, rule, cohort, anchor)
            first = k == 1 and not baselined
            interval = (phase.first or rule.first or phase.interval) if first else phase.interval
            completed = qualifying[k - 1] if k <= len(qualifying) else None
            yield Draft(cohort.subject, cohort.id, k, anchor, ctx.add(anchor, interval), completed, end)


def _phase_at(ctx: _Context, rule: Series, cohort: Row, at: Moment) -> Phase:
    """The first phase whose ``when`` holds at the instance's anchor date (the last phase always holds)."""
    assert cohort.when is not None
    start = cohort.when
    dob = ctx.dob(cohort.subject) if ctx.standard.subject == "child" else None
    for phase in rule.all_phases:
        when = phase.when
        if when is None:
            return phase
        tests = [ctx.holds_on(when.where, cohort.attrs)]
        if when.until is not None:
            tests.append(before(at, ctx.add(start, when.until, counted=False)))
        if when.from_ is not None:
            tests.append(not before(at, ctx.add(start, when.from_, counted=False)))
        if when.age_under is not None:  # an unknown date of birth satisfies neither age test
            tests.append(dob is not None and before(at, ctx.add(dob, when.age_under, counted=False)))
        if when.age_from is not None:
            tests.append(dob is not None and not before(at, ctx.add(dob, when.age_from, counted=False)))
        if all(tests):
            return phase
    raise AssertionError("the last phase has no 'when'")


def _age_deadline(ctx: _Context, rule: AgeDeadline) -> Iterator[Draft]:
    """ "age_deadline — an event by an age"."""
    targets = [t for t in ctx.read(rule.target) if t.when is not None]
    for cohort in ctx.read(rule.cohort):
        dob = ctx.dob(cohort.subject)
        if _untimeable(cohort) or dob is None:
            yield Draft(cohort.subject, cohort.id, 1, None, issue=True)
            continue
        assert cohort.when is not None
        birthday = ctx.add(dob, rule.age, counted=False)
        if before(birthday, cohort.when):  # the cohort starts after that date
            if rule.late_entry is None:
                continue
            anchor, due = cohort.when, ctx.add(cohort.when, rule.late_entry)
        elif cohort.end is not None and before(cohort.end, birthday):
            continue  # not open on the due date
        else:
            anchor = due = birthday
        completed = _earliest(
            [
                t.when
                for t in targets
                if t.when is not None and t.subject == cohort.subject and not before(t.when, cohort.when)
            ]
        )
        # The target counts from the start of the care episode, however long before the birthday.
        yield Draft(cohort.subject, cohort.id, 1, anchor, due, completed, cohort.end, reads_from=cohort.when)


def _lead_time(ctx: _Context, rule: LeadTime) -> Iterator[Draft]:
    """ "lead_time — X at least N before Y"."""
    ys = ctx.read(rule.event)
    xs = [x for x in ctx.read(rule.before) if x.when is not None]
    for y in ys:
        if y.when is None:
            yield Draft(y.subject, y.id, 1, None, issue=True)
            continue
        due = ctx.add(y.when, rule.by, backwards=True)
        linked = [
            x.when
            for x in xs
            if x.when is not None
            and x.subject == y.subject
            and ctx.matched(rule.match, y, x)
            and on_or_before(x.when, y.when)
        ]
        if not rule.match:  # ... and after the subject's previous Y
            previous = [o.when for o in ys if o.when is not None and o.subject == y.subject and before(o.when, y.when)]
            if previous:
                last = max(previous, key=_order)
                linked = [x for x in linked if before(last, x)]
        completed = _earliest(linked)
        yield Draft(y.subject, y.id, 1, y.when, due, completed, forced="overdue" if completed is None else None)


def _recording_lag(ctx: _Context, rule: RecordingLag) -> Iterator[Draft]:
    """ "recording_lag — recorded within N of the event"."""
    for event in ctx.read(rule.event):
        if event.when is None:
            yield Draft(event.subject, event.id, 1, None, issue=True)
            continue
        recorded = event.attrs[rule.recorded]
        due = ctx.add(event.when, rule.within)
        issue = recorded is not None and before(recorded, event.when)  # recorded before the event
        yield Draft(event.subject, event.id, 1, event.when, due, recorded, issue=issue)


def _state(ctx: _Context, rule: State) -> Iterator[Draft]:
    """ "state — an invariant at the as-at date"."""
    population_source = ctx.sources[rule.population.source]
    related_source = ctx.sources[rule.related.source]
    related = [r for r in ctx.read(rule.related) if _open_at_as_at(r, related_source)]
    children_in: set[Any] | None = None
    if rule.related_child_in is not None:
        child_source = ctx.sources[rule.related_child_in.source]
        children_in = {r.subject for r in ctx.read(rule.related_child_in, "child") if _open_at_as_at(r, child_source)}
    for row in ctx.read(rule.population):
        if not _open_at_as_at(row, population_source):
            continue
        linked = [r for r in related if r.subject == row.subject and ctx.matched(rule.match, row, r)]
        if children_in is not None:
            linked = [r for r in linked if r.attrs["person_id"] in children_in]
        if rule.count_distinct is None:
            count = len(linked)
        elif rule.count_distinct == "family":
            count = len({ctx.family(r.attrs["person_id"]) for r in linked if r.attrs["person_id"] is not None})
        else:
            count = len({r.attrs[rule.count_distinct] for r in linked if r.attrs[rule.count_distinct] is not None})
        holds = (rule.min is None or count >= rule.min) and (rule.max is None or count <= rule.max)
        # Grace runs from the population row's start, so it needs one: an entity (a worker) has none.
        anchor = row.when if row.when is not None else ctx.as_at
        graced = rule.grace is not None and row.when is not None
        due = ctx.add(row.when, rule.grace, counted=False) if rule.grace and row.when is not None else ctx.as_at
        if holds:
            yield Draft(row.subject, row.id, 1, anchor, due, completed=ctx.as_at, forced="met")
        else:
            yield Draft(row.subject, row.id, 1, anchor, due, forced=None if graced else "overdue")


def _count(ctx: _Context, rule: Count) -> Iterator[Draft]:
    """ "count — at least n qualifying events per period"."""
    events = [e for e in ctx.read(rule.event) if e.when is not None]
    for cohort in ctx.read(rule.cohort):
        if _untimeable(cohort):
            yield Draft(cohort.subject, cohort.id, 1, cohort.when, issue=True)
            continue
        start, end = cohort.when, cohort.end
        assert start is not None
        dates = sorted(
            (
                e.when
                for e in events
                if e.when is not None
                and e.subject == cohort.subject
                and ctx.matched(rule.match, cohort, e)
                and not before(e.when, start)
                and (end is None or on_or_before(e.when, end))
            ),
            key=_order,
        )
        periods = _periods(rule.per, day_of(start), ctx.as_at, None if end is None else day_of(end))
        for sequence, (first, last) in enumerate(periods, start=1):
            inside = [d for d in dates if first <= day_of(d) <= last]
            completed = inside[rule.at_least - 1] if len(inside) >= rule.at_least else None
            yield Draft(cohort.subject, cohort.id, sequence, first, last, completed, end)


_PERIOD_MONTHS = {"month": 1, "quarter": 3, "calendar_year": 12, "financial_year": 12, "academic_year": 12}


def _period_containing(per: str, d: date) -> tuple[date, date]:
    """The calendar period (first and last day) that ``d`` falls in."""
    if per == "month":
        first = date(d.year, d.month, 1)
    elif per == "quarter":
        first = date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    elif per == "calendar_year":
        first = date(d.year, 1, 1)
    elif per == "financial_year":
        first = date(d.year if d.month >= 4 else d.year - 1, 4, 1)
    elif per == "academic_year":
        first = date(d.year if d.month >= 9 else d.year - 1, 9, 1)
    else:
        raise AssertionError(per)
    return first, add_months(first, _PERIOD_MONTHS[per]) - ONE_DAY


def _periods(per: str, start: date, as_at: date, end: date | None) -> list[tuple[date, date]]:
    """Periods starting on or after the cohort start, on or before ``as_at`` and on or before the cohort end.

    ``cohort_year`` periods run from each anniversary of the cohort start (counted from the start itself, so a
    29 February start has anniversaries on 28 February) to the day before the next.
    """
    periods: list[tuple[date, date]] = []
    if per == "cohort_year":
        k = 0
        while True:
            first = add_months(start, 12 * k)
            if first > as_at or (end is not None and first > end):
                return periods
            periods.append((first, add_months(start, 12 * (k + 1)) - ONE_DAY))
            k += 1
    first, last = _period_containing(per, start)
    if first < start:
        first, last = _period_containing(per, last + timedelta(days=1))
    while first <= as_at and (end is None or first <= end):
        periods.append((first, last))
        first, last = _period_containing(per, last + timedelta(days=1))
    return periods


RULE_KINDS: dict[str, Callable[[Any, Any], Iterator[Draft]]] = {
    "deadline": _deadline,
    "series": _series,
    "age_deadline": _age_deadline,
    "lead_time": _lead_time,
    "recording_lag": _recording_lag,
    "state": _state,
    "count": _count,
}
