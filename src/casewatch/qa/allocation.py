"""Giving each sampled child to an auditor who is independent of the child's case.

An audit is worth little if the auditor marks their own work: an auditor is never the child's allocated worker
on the sample's date, nor that worker's line manager (``ext_worker_profile``; the contract holds the current
line manager, not a history). With peer audit across teams, the default, the auditor's own team on that date
(``results.attribution.worker_teams``: their team history, else their department) must also differ from the
team holding the child. Each refusal is one
sentence naming the reason, so a QA lead can see why an auditor was passed over.

Allocation is balanced: the children with the fewest possible auditors are placed first, each with the
least-loaded auditor who may take them (ties to the auditor named first), so loads differ by at most one
wherever independence allows. A child nobody may audit is listed with every auditor's reason, never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from casewatch.data.load import CaseData
from casewatch.errors import CasewatchError
from casewatch.results.attribution import DEPARTMENTS, PROFESSIONALS, TEAM_HISTORY, worker_teams

from .sampling import Member, Sample


class IndependenceError(CasewatchError):
    """An auditor may not audit this child; the message is the reason."""


@dataclass(frozen=True)
class Auditor:
    """An auditor and their own team on the sample's date (None when the data does not record it)."""

    worker_id: str
    team_id: str | None


@dataclass(frozen=True)
class Assignment:
    """One child's audit and who does it; ``note`` says how it came to them (allocated, or reallocated and why)."""

    person_id: str
    auditor_id: str
    note: str = "allocated"


@dataclass(frozen=True)
class Unallocated:
    """A sampled child no auditor may take, and why."""

    person_id: str
    reason: str


@dataclass(frozen=True)
class Allocation:
    """The audits of a sample, each with its auditor, and those nobody may take."""

    assignments: tuple[Assignment, ...]
    unallocated: tuple[Unallocated, ...] = ()

    def load(self) -> dict[str, int]:
        """How many audits each auditor holds."""
        counts: dict[str, int] = {}
        for a in self.assignments:
            counts[a.auditor_id] = counts.get(a.auditor_id, 0) + 1
        return counts

    def auditor_of(self, person_id: str) -> str | None:
        return next((a.auditor_id for a in self.assignments if a.person_id == person_id), None)


def auditors_in(data: CaseData, worker_ids: Sequence[str], as_at: date) -> tuple[Auditor, ...]:
    """The auditors named, with their own teams on ``as_at``; a name that is not a worker of the data is an error."""
    if not worker_ids:
        raise CasewatchError("name at least one auditor (a worker id of the case data)")
    if data.has(PROFESSIONALS):
        known = {str(r[0]) for r in data.con.execute(f"SELECT prof_professional_id FROM {PROFESSIONALS}").fetchall()}
        unknown = [w for w in worker_ids if w not in known]
        if unknown:
            raise CasewatchError(f"the auditor {', '.join(unknown)} is not a worker in {PROFESSIONALS}")
    teams: dict[str, str] = {}
    departments = data.has(PROFESSIONALS) and data.has(DEPARTMENTS)
    if data.has(TEAM_HISTORY) or departments:
        query = worker_teams(as_at, history=data.has(TEAM_HISTORY), departments=departments).sql(dialect="duckdb")
        teams = {str(w): str(t) for w, t in data.con.execute(query).fetchall() if t is not None}
    return tuple(Auditor(w, teams.get(w)) for w in worker_ids)


def refusal(member: Member, auditor: Auditor, as_at: date, *, across_teams: bool = True) -> str | None:
    """Why ``auditor`` may not audit ``member``'s file, in one sentence, or None when they may."""
    who = f"{auditor.worker_id} cannot audit {member.person_id}"
    if member.worker_id is not None and member.worker_id == auditor.worker_id:
        return f"{who}: they are the child's allocated worker on {member.held_on.isoformat()}."
    if member.manager_id is not None and member.manager_id == auditor.worker_id:
        return f"{who}: they are the line manager of {member.worker_id}, the child's worker."
    if across_teams:
        if auditor.team_id is None:
            return f"{who} across teams: their own team on {as_at.isoformat()} is not recorded."
        if member.team_id is not None and member.team_id == auditor.team_id:
            return f"{who}: they work in team {auditor.team_id}, the child's team, and this audit is across teams."
    return None


def allocate(sample: Sample, auditors: Sequence[Auditor], *, across_teams: bool = True) -> Allocation:
    """Every child of the sample with an independent auditor, balanced across the auditors."""
    if not auditors:
        raise CasewatchError("name at least one auditor (a worker id of the case data)")
    order = {a.worker_id: i for i, a in enumerate(auditors)}
    load = dict.fromkeys(order, 0)
    allowed = {
        m.person_id: [a for a in auditors if refusal(m, a, sample.as_at, across_teams=across_teams) is None]
        for m in sample.members
    }
    placed: dict[str, str] = {}
    unallocated: list[Unallocated] = []
    position = {m.person_id: i for i, m in enumerate(sample.members)}
    for member in sorted(sample.members, key=lambda m: (len(allowed[m.person_id]), position[m.person_id])):
        choices = allowed[member.person_id]
        if not choices:
            unallocated.append(Unallocated(member.person_id, _nobody(member, auditors, sample.as_at, across_teams)))
            continue
        chosen = min(choices, key=lambda a: (load[a.worker_id], order[a.worker_id]))
        load[chosen.worker_id] += 1
        placed[member.person_id] = chosen.worker_id
    return Allocation(
        assignments=tuple(
            Assignment(m.person_id, placed[m.person_id]) for m in sample.members if m.person_id in placed
        ),
        unallocated=tuple(sorted(unallocated, key=lambda u: position[u.person_id])),
    )


def reallocate(
    allocation: Allocation,
    sample: Sample,
    person_id: str,
    auditors: Sequence[Auditor],
    *,
    to: str | None = None,
    reason: str = "",
    across_teams: bool = True,
) -> Allocation:
    """Move one child's audit to ``to`` (checked for independence), or to the least-loaded other auditor who may
    take it. A refusal raises ``IndependenceError`` with its reason."""
    member = next((m for m in sample.members if m.person_id == person_id), None)
    if member is None:
        raise CasewatchError(f"{person_id} is not in this sample")
    current = allocation.auditor_of(person_id)
    by_id = {a.worker_id: a for a in auditors}
    if to is not None:
        if to not in by_id:
            raise CasewatchError(f"{to} is not one of this programme's auditors")
        if to == current:
            raise CasewatchError(f"{to} already audits {person_id}")
        refused = refusal(member, by_id[to], sample.as_at, across_teams=across_teams)
        if refused:
            raise IndependenceError(refused)
        chosen = to
    else:
        load = allocation.load()
        others = [
            a
            for a in auditors
            if a.worker_id != current and refusal(member, a, sample.as_at, across_teams=across_teams) is None
        ]
        if not others:
            raise IndependenceError(f"no other auditor may take {person_id}")
        chosen = min(others, key=lambda a: (load.get(a.worker_id, 0), auditors.index(a))).worker_id
    note = f"reallocated from {current}" if current else "allocated"
    note += f": {reason}" if reason else ""
    moved = Assignment(person_id, chosen, note)
    if current is None:  # a child nobody could take before, now placed
        kept = (*allocation.assignments, moved)
    else:
        kept = tuple(moved if a.person_id == person_id else a for a in allocation.assignments)
    return replace(
        allocation, assignments=kept, unallocated=tuple(u for u in allocation.unallocated if u.person_id != person_id)
    )


def _nobody(member: Member, auditors: Sequence[Auditor], as_at: date, across_teams: bool) -> str:
    reasons = [refusal(member, a, as_at, across_teams=across_teams) or "" for a in auditors]
    return f"no auditor may take {member.person_id}: " + " ".join(reasons)


__all__ = [
    "Allocation",
    "Assignment",
    "Auditor",
    "IndependenceError",
    "Unallocated",
    "allocate",
    "auditors_in",
    "reallocate",
    "refusal",
]
