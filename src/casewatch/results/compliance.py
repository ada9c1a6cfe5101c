"""The compliance figure: one formula for the terminal, the API, every workbook, the web pages and benchmarks.

A figure counts only what could be judged. Normally that is the occurrences that fell due or were done:
met on time / (met + met late + overdue), published with exceptions left out and also given with them counted
as failures. When the data holds only each child's latest record (an Annex A list, a snapshot table), earlier
occurrences cannot be judged, so the figure is the share of open occurrences not overdue as at the date, and it
says so. Instances the data's window could not support are left out and the figure carries that caveat. A
figure with nothing to count is None with the reason, never a silent 0% or 100%. A figure is over a reporting
period (``results.periods``; compliance now unless another is asked for), and every summary names it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

import pyarrow as pa
import pyarrow.compute as pc

from casewatch.errors import CasewatchError
from casewatch.standards.pack import Standard

from .periods import NOW, Period, in_period, parse_period, period_mask
from .results import Results
from .status import Outcome, Status


class Basis(Enum):
    """What a compliance percentage is a share of."""

    ON_TIME = ("on_time", "met on time", "of the occurrences that fell due")
    NOT_OVERDUE = ("not_overdue", "not overdue", "of the occurrences open on the date (latest records only)")

    def __init__(self, key: str, phrase: str, of: str) -> None:
        self.key = key
        self.phrase = phrase
        self.of = of


@dataclass(frozen=True)
class Compliance:
    """A compliance figure with everything needed to show it honestly."""

    basis: Basis
    counts: Mapping[Status, int]
    percent: float | None  # None when nothing could be counted
    percent_with_exceptions: float | None
    caveats: tuple[str, ...] = field(default=())

    @property
    def due(self) -> int:
        """The denominator of ``percent``: how many occurrences the figure judges."""
        return _sum(self.counts, _DENOMINATOR[self.basis])

    def shown(self) -> str:
        """The figure as a page or terminal prints it: '75.0% not overdue', or why there is none."""
        if self.percent is None:
            return "no figure: nothing has fallen due" if self.basis is Basis.ON_TIME else "no figure: nothing open"
        return f"{self.percent:.1f}% {self.basis.phrase}"


_NUMERATOR = {Basis.ON_TIME: (Outcome.ON_TIME,), Basis.NOT_OVERDUE: (Outcome.OPEN,)}
_DENOMINATOR = {
    Basis.ON_TIME: (Outcome.ON_TIME, Outcome.LATE, Outcome.OVERDUE),
    Basis.NOT_OVERDUE: (Outcome.OPEN, Outcome.OVERDUE),
}


def _sum(counts: Mapping[Status, int], outcomes: Iterable[Outcome]) -> int:
    wanted = set(outcomes)
    return sum(n for status, n in counts.items() if status.outcome in wanted)


def _percent(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def status_counts(counts: Mapping[str, int] | Mapping[Status, int]) -> dict[Status, int]:
    """Counts keyed by status string (as a database returns them) as a full mapping over every status."""
    out = dict.fromkeys(Status, 0)
    for key, n in counts.items():
        out[Status(key)] += int(n)
    return out


def compliance(
    counts: Mapping[str, int] | Mapping[Status, int],
    *,
    limited: str | None = None,
    left_out: str | None = None,
    period: Period | None = None,
    codes: str | None = None,
) -> Compliance:
    """The compliance figure for instances counted by status.

    ``limited`` is the reason a standard could only be judged on each child's latest record (the engine's
    ``Results.limited``); it switches the basis to "not overdue". ``left_out`` says which instances the data's
    window left out (``Results.out_of_window``), ``codes`` why the data's codes limit what the standard finds
    (``Results.code_limits``: a figure of 0% or 100% may only mean a code is spelt another way). All become
    caveats that every output shows beside the figure. ``period`` is the period ``counts`` were taken over
    (``results.periods``): a limited standard has no figure for a period before the as-at date, and the caveat
    says why rather than leaving a bare blank.
    """
    full = status_counts(counts)
    basis = Basis.NOT_OVERDUE if limited else Basis.ON_TIME
    numerator = _sum(full, _NUMERATOR[basis])
    denominator = _sum(full, _DENOMINATOR[basis])
    excepted = full[Status.EXCEPTION]
    judged = "so the figure is the share not overdue"
    if limited and period is not None and period.due_range(limited=True) is None:
        judged = f"so there is no figure for a period that ends before {period.as_at}"
    caveats = tuple(c for c in (f"{limited}, {judged}" if limited else None, left_out, codes) if c)
    return Compliance(
        basis=basis,
        counts=full,
        percent=_percent(numerator, denominator),
        percent_with_exceptions=_percent(numerator, denominator + excepted),
        caveats=caveats,
    )


def standard_compliance(
    results: Results, standard_id: str, counts: Mapping[str, int], period: Period | None = None
) -> Compliance:
    """A standard's figure over ``counts`` (its instances in ``period``, or those of one team, worker or month)."""
    return compliance(
        counts,
        limited=results.limited.get(standard_id),
        left_out=results.out_of_window.get(standard_id),
        period=period,
        codes=results.code_limits.get(standard_id),
    )


def results_period(results: Results, period: str | Period | None = None) -> Period:
    """``period`` read against the results' as-at date; none asked for is compliance now (``periods.NOW``)."""
    if isinstance(period, Period):
        return period
    if results.as_at is None:
        raise ValueError("results without an as-at date have no reporting period")
    return parse_period(period or NOW, results.as_at)


def with_in_period(results: Results, period: str | Period | None = None) -> pa.Table:
    """Every instance, with an ``in_period`` column saying whether a figure over ``period`` counts it."""
    mask = period_mask(results.instances, results_period(results, period), results.limited)
    return results.instances.append_column("in_period", mask)


def due_in(results: Results, period: str | Period | None = None) -> pa.Table:
    """The instances a figure over ``period`` counts: those due in it (``results.periods`` says which)."""
    return in_period(results.instances, results_period(results, period), results.limited)


#: What a summary can be broken down by: the worker or team responsible at each due date (``results.attribution``).
BREAKDOWNS = {"team": "team_id", "worker": "worker_id"}
PERIOD_COLUMNS = ("period", "period_first", "period_last")
SUMMARY_COLUMNS = (
    "standard_id",
    "title",
    "type",
    "subject",
    "target",
    "instances",
    *(s.value for s in Status),
    "compliance",
    "compliance_with_exceptions",
    "basis",
    "meets_target",
    "note",
    "readings",
    *PERIOD_COLUMNS,
)
SUMMARY_SCHEMA = pa.schema(
    [
        ("standard_id", pa.string()),
        ("title", pa.string()),
        ("type", pa.string()),
        ("subject", pa.string()),
        ("target", pa.float64()),
        ("instances", pa.int64()),
        *[(s.value, pa.int64()) for s in Status],
        ("compliance", pa.float64()),
        ("compliance_with_exceptions", pa.float64()),
        ("basis", pa.string()),
        ("meets_target", pa.bool_()),
        ("note", pa.string()),
        ("readings", pa.string()),
        ("period", pa.string()),
        ("period_first", pa.date32()),
        ("period_last", pa.date32()),
    ]
)
assert tuple(SUMMARY_SCHEMA.names) == SUMMARY_COLUMNS


def counts_by(instances: pa.Table, keys: Sequence[str]) -> dict[tuple[str | None, ...], Counter[str]]:
    """Instances counted by the columns ``keys`` and status (one grouped pass, however many rows)."""
    out: dict[tuple[str | None, ...], Counter[str]] = {}
    if instances.num_rows == 0:
        return out
    grouped = instances.group_by([*keys, "status"]).aggregate([([], "count_all")])
    values = zip(*(grouped.column(k).to_pylist() for k in keys), strict=True)
    statuses = grouped.column("status").to_pylist()
    totals = pc.cast(grouped.column("count_all"), pa.int64()).to_pylist()
    for key, status, n in zip(values, statuses, totals, strict=True):
        out.setdefault(key, Counter())[status] += n
    return out


def counts_by_standard(instances: pa.Table) -> dict[str, Counter[str]]:
    """Instances counted by standard and status."""
    return {str(key[0]): counts for key, counts in counts_by(instances, ["standard_id"]).items()}


def summary_schema(by: str | None = None) -> pa.Schema:
    """The summary's columns; a breakdown by team or worker adds its id after the standard's title."""
    if by is None:
        return SUMMARY_SCHEMA
    return SUMMARY_SCHEMA.insert(2, pa.field(_breakdown(by), pa.string()))


def compliance_summary(results: Results, period: str | Period | None = None, by: str | None = None) -> pa.Table:
    """One row per standard (or per standard and team or worker) over the instances due in ``period``.

    Each row has the counts by status, the figure, its basis and its caveats, and names the period. This is the
    table the terminal prints, ``casewatch.api.compliance`` returns and a workbook's summary sheets hold, so they
    cannot disagree; ``period`` defaults to compliance now (``periods.NOW``). ``by`` is ``"team"`` or
    ``"worker"``: who was responsible at each due date; a standard with nothing due in the period has no rows then.
    """
    chosen = results_period(results, period)
    key = _breakdown(by) if by is not None else None
    counted = counts_by(due_in(results, chosen), ["standard_id", *([key] if key else [])])
    rows: list[dict[str, object]] = []
    for standard in results.standards:
        groups = sorted((k for k in counted if k[0] == standard.id), key=lambda k: (k[-1] is None, k[-1] or ""))
        if key is None:
            groups = [(standard.id,)]
        for group in groups:
            row = _summary_row(results, standard, counted.get(group, Counter()), chosen)
            if key is not None:
                row[key] = group[1]
            rows.append(row)
    return pa.Table.from_pylist(rows, schema=summary_schema(by))


def _summary_row(results: Results, standard: Standard, counts: Counter[str], period: Period) -> dict[str, object]:
    figure = standard_compliance(results, standard.id, counts, period)
    total = sum(counts.values())
    target = standard.spec.target
    gap = results.not_evaluated.get(standard.id)
    notes = [n for n in (gap, *figure.caveats) if n]
    if not notes and not total:
        notes.append("nothing due in the period")
    return {
        "standard_id": standard.id,
        "title": standard.title,
        "type": standard.spec.type,
        "subject": standard.subject,
        "target": target,
        "instances": total,
        **{s.value: figure.counts[s] for s in Status},
        "compliance": figure.percent,
        "compliance_with_exceptions": figure.percent_with_exceptions,
        "basis": None if gap else figure.basis.key,
        "meets_target": None if figure.percent is None or target is None else figure.percent >= target,
        "note": "; ".join(notes),
        "readings": standard.reading_summary,
        "period": period.label,
        "period_first": period.first,
        "period_last": period.last,
    }


def _breakdown(by: str) -> str:
    if by not in BREAKDOWNS:
        raise CasewatchError(f"cannot break compliance down by '{by}'; choose one of {', '.join(BREAKDOWNS)}")
    return BREAKDOWNS[by]


__all__ = [
    "BREAKDOWNS",
    "SUMMARY_COLUMNS",
    "SUMMARY_SCHEMA",
    "Basis",
    "Compliance",
    "compliance",
    "compliance_summary",
    "counts_by",
    "counts_by_standard",
    "due_in",
    "results_period",
    "standard_compliance",
    "status_counts",
    "summary_schema",
    "with_in_period",
]
