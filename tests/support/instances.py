"""The instance both evaluators return, and how two lists of instances are compared and shown.

The reference evaluator and the engine adapter both produce ``Instance`` values so that a test can compare them
field by field. Dates and timestamps are normalised before comparing because the engine returns whole columns
of one Arrow type: a date-precision due date may come back as a midnight timestamp.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from casewatch.results import Status

STATUSES = tuple(s.value for s in Status)

#: The fields of an instance that say *when* and *how* it was met, in display order.
TIMING_FIELDS = (
    "anchor_date",
    "due_date",
    "completed_date",
    "status",
    "working_days_late",
    "calendar_days_late",
)


@dataclass(frozen=True)
class Instance:
    """One required occurrence of a standard for one subject (docs/standards-language.md, "Rule kinds").

    Dates are ``date`` values, or ``datetime`` values for hour rules on date-and-time data.
    """

    subject_type: str
    subject_id: str
    standard_id: str
    standard_version: int
    episode_id: str | None
    sequence: int
    anchor_date: date | None
    due_date: date | None
    completed_date: date | None
    status: str
    working_days_late: int | None
    calendar_days_late: int | None
    worker_id: str | None = None
    team_id: str | None = None


def sort_key(instance: Instance) -> tuple[Any, ...]:
    """Order of (subject, episode, sequence), the order test cases list their expected instances in."""
    return (
        instance.subject_type,
        instance.subject_id,
        instance.episode_id is None,
        instance.episode_id or "",
        instance.sequence,
    )


def sorted_instances(instances: Iterable[Instance]) -> list[Instance]:
    return sorted(instances, key=sort_key)


def normalise_moment(value: Any) -> Any:
    """A midnight timestamp and a date compare equal: the engine may widen date columns to timestamps."""
    if isinstance(value, datetime) and value.time() == datetime.min.time() and value.tzinfo is None:
        return value.date()
    return value


def same_field(name: str, expected: Any, got: Any) -> bool:
    """Whether one field of an instance has the expected value (anchors by date, see ``comparable``)."""
    if name == "anchor_date":
        expected, got = (v.date() if isinstance(v, datetime) else v for v in (expected, got))
    return bool(normalise_moment(expected) == normalise_moment(got))


def comparable(instance: Instance) -> dict[str, Any]:
    """The fields of an instance that the specification fixes, normalised for comparison.

    The anchor is compared by its date: the engine's results give no anchor time. A ``data_issue`` instance
    "cannot be timed": the specification gives its key, its status and (when known)
    its anchor, but not its due or completed dates, so those are left out of the comparison.
    """
    fields = asdict(instance)
    for name in ("due_date", "completed_date"):
        fields[name] = normalise_moment(fields[name])
    # The engine reports the anchor as a date only, so anchors are compared by date.
    anchor = fields["anchor_date"]
    fields["anchor_date"] = anchor.date() if isinstance(anchor, datetime) else anchor
    if instance.status == "data_issue":
        # Nor the date it is attributed on, so not whose it is either.
        for name in ("due_date", "completed_date", "working_days_late", "calendar_days_late", "worker_id", "team_id"):
            fields[name] = None
    return fields


# ----------------------------------------------------------------------------------------- showing instances

_COLUMNS: tuple[tuple[str, str], ...] = (
    ("subject", "subject_id"),
    ("episode", "episode_id"),
    ("v", "standard_version"),
    ("seq", "sequence"),
    ("anchor", "anchor_date"),
    ("due", "due_date"),
    ("completed", "completed_date"),
    ("status", "status"),
    ("wd_late", "working_days_late"),
    ("cd_late", "calendar_days_late"),
    ("worker", "worker_id"),
    ("team", "team_id"),
)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def format_rows(title: str, rows: Sequence[Mapping[str, Any]], *, missing: str = "·") -> str:
    """A small fixed-width table; a field a row does not give is shown as ``missing``."""
    header = [name for name, _ in _COLUMNS]
    body = [[_cell(row[key]) if key in row else missing for _, key in _COLUMNS] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(header)]
    lines = [title, "  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in body]
    if not body:
        lines.append("  (none)")
    return "\n".join(lines)


def format_instances(title: str, instances: Iterable[Instance]) -> str:
    return format_rows(title, [asdict(i) for i in instances])


def differences(expected: Sequence[Instance], got: Sequence[Instance]) -> list[str]:
    """One line per instance key (subject, episode, sequence) whose comparable fields differ or that only one
    side has; ``expected`` is the reference's side."""

    def key(instance: Instance) -> tuple[str, str | None, int]:
        return (instance.subject_id, instance.episode_id, instance.sequence)

    wanted = {key(i): comparable(i) for i in expected}
    had = {key(i): comparable(i) for i in got}
    lines: list[str] = []
    for k in sorted(wanted.keys() | had.keys(), key=lambda k: (k[0], k[1] is None, k[1] or "", k[2])):
        label = f"{k[0]} {k[1]} #{k[2]}"
        if k not in had:
            lines.append(f"{label}: only in the reference")
        elif k not in wanted:
            lines.append(f"{label}: only in the engine")
        elif wanted[k] != had[k]:
            diff = ", ".join(f"{f}: {wanted[k][f]!r} != {had[k][f]!r}" for f in wanted[k] if wanted[k][f] != had[k][f])
            lines.append(f"{label}: {diff}")
    if not lines and len(expected) != len(got):
        lines.append(f"{len(expected)} instances in the reference, {len(got)} in the engine (duplicate keys)")
    return lines
