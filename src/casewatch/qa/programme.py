"""An audit programme: what a QA lead sets up before any file is read.

"Monthly thematic audit: CP planning, November" names a pack, the audit groups or questions to ask (checked
against the pack's ``audit/`` questions, so a misspelt id is one sentence and never an empty form), the cohort
rule the sample is drawn by (``qa.sampling``), the auditors (worker ids of the case data), the due date and the
grade scale (``qa.grades``). A programme is plain data; ``qa.store`` keeps it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from casewatch.errors import CasewatchError
from casewatch.standards.audit import AuditGroup, AuditQuestion
from casewatch.standards.pack import Pack

from .grades import NamedScale, grade_scale, pack_scale
from .sampling import SampleRule


@dataclass(frozen=True)
class Programme:
    """An audit programme. ``questions`` are the question ids asked, in the pack's order."""

    name: str
    pack: str
    groups: tuple[str, ...]
    questions: tuple[str, ...]
    rule: SampleRule
    auditors: tuple[str, ...]
    due_date: date
    grade_scale: str
    #: Peer audit across teams: an auditor may not audit a child of their own team (``qa.allocation``).
    across_teams: bool = True


def pack_audit_groups(pack: Pack) -> list[AuditGroup]:
    """The audit groups a pack asks: its own, then those of the packs it extends."""
    groups: list[AuditGroup] = []
    current: Pack | None = pack
    while current is not None:
        groups += current.audit_groups
        current = current.base
    return groups


def build_programme(
    pack: Pack,
    name: str,
    *,
    rule: SampleRule,
    due_date: date,
    auditors: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
    questions: tuple[str, ...] = (),
    scale: str | None = None,
    across_teams: bool = True,
) -> Programme:
    """A programme over ``pack``, checked: the groups and questions exist, the auditors are named once.

    With neither ``groups`` nor ``questions`` every audit question of the pack is asked. A question named on its
    own and also through its group is asked once.
    """
    if not name.strip():
        raise CasewatchError("an audit programme needs a name")
    available = pack_audit_groups(pack)
    if not available:
        raise CasewatchError(f"the pack '{pack.id}' has no audit questions (no audit/ folder)")
    by_group = {g.id: g for g in available}
    by_question: dict[str, tuple[AuditGroup, AuditQuestion]] = {q.id: (g, q) for g in available for q in g.questions}
    for group in groups:
        if group not in by_group:
            raise CasewatchError(
                f"the pack '{pack.id}' has no audit group '{group}'{_suggest(group, by_group)}; "
                f"its groups are {', '.join(by_group)}"
            )
    for question in questions:
        if question not in by_question:
            raise CasewatchError(
                f"the pack '{pack.id}' has no audit question '{question}'{_suggest(question, by_question)}"
            )
    wanted = set(questions) | {q.id for g in groups for q in by_group[g].questions}
    asked = tuple(q.id for g in available for q in g.questions if not wanted or q.id in wanted)
    chosen_groups = tuple(g.id for g in available if any(by_question[q][0].id == g.id for q in asked))
    if len(set(auditors)) != len(auditors):
        twice = sorted({a for a in auditors if auditors.count(a) > 1})
        raise CasewatchError(f"the auditor {', '.join(twice)} is named twice")
    return Programme(
        name=name.strip(),
        pack=pack.id,
        groups=chosen_groups,
        questions=asked,
        rule=rule,
        auditors=tuple(auditors),
        due_date=due_date,
        grade_scale=programme_scale(pack, scale).name,
        across_teams=across_teams,
    )


def programme_scale(pack: Pack, scale: str | None) -> NamedScale:
    """The programme's own scale, else the one the pack names, else the default; a pack naming no scale that
    exists is said to be the pack's mistake."""
    if scale is None and (named := pack_scale(pack)) is not None:
        try:
            return grade_scale(named)
        except CasewatchError:
            raise CasewatchError(
                f"the pack '{pack.id}' names the grade scale '{named}', which does not exist; "
                "correct audit_grade_scale in its pack.yaml"
            ) from None
    return grade_scale(scale, pack)


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


__all__ = ["Programme", "build_programme", "pack_audit_groups", "programme_scale"]
