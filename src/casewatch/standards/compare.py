"""Councils' standards side by side, topic by topic, against the statutory floor.

A principal social worker asks "are we stricter than statute, and than our neighbours — and what have we not
got at all?". The matrix answers it from the packs themselves: each cell is the council's own standards on a
topic (or the statutory ones it inherits), with how each compares with the floor, judged by the same
`why_not_stricter` check the loader applies to a declared `stricter` override.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from casewatch.standards.kinds import AgeDeadline, Deadline, LeadTime, Rule, Series
from casewatch.standards.loader import load_pack, why_not_stricter
from casewatch.standards.pack import Pack, Standard
from casewatch.standards.topics import load_topics


class Relation(StrEnum):
    """How a council's standard on a topic stands against the statutory floor."""

    STATUTORY = "statutory"  # the floor's own standard, inherited unchanged
    SAME = "same as statute"
    STRICTER = "stricter than statute"
    LESS_STRICT = "less strict than statute"
    DIFFERENT = "different measure"  # e.g. a count where statute sets a deadline: not comparable
    LOCAL = "local (no statutory timescale)"
    FLOOR = "statutory floor"


class CellStatus(StrEnum):
    STRICTER = "stricter"
    LESS_STRICT = "less strict"
    SAME = "same"
    STATUTORY = "statutory"
    LOCAL = "local"
    DIFFERENT = "different"
    MISSING = "missing"  # the floor has a standard on this topic and the council has none
    NONE = "none"  # neither has one
    FLOOR = "floor"
    NO_STATUTORY_TIMESCALE = "no statutory timescale"  # the floor pack says the law sets none on this topic


@dataclass(frozen=True)
class Entry:
    """One standard in a cell."""

    standard_id: str
    title: str
    timescale: str
    target: float | None
    relation: Relation

    @property
    def text(self) -> str:
        target = f" (target {self.target:g}%)" if self.target is not None else ""
        return f"{self.timescale}{target}"


@dataclass(frozen=True)
class Cell:
    status: CellStatus
    entries: tuple[Entry, ...]
    note: str = ""

    @property
    def text(self) -> str:
        if self.status is CellStatus.MISSING:
            return "missing"
        return "; ".join(e.text for e in self.entries)


@dataclass(frozen=True)
class Row:
    topic: str
    label: str
    floor: Cell
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Comparison:
    floor_title: str
    columns: tuple[str, ...]  # pack ids, in the order asked for
    titles: tuple[str, ...]
    rows: tuple[Row, ...]
    untopiced: dict[str, list[str]]  # pack -> standards with no topic (listed, never dropped)


def compare_packs(packs: Sequence[str | Pack], floor: str | Pack = "england") -> Comparison:
    """Build the matrix for ``packs`` (names, folders or loaded packs) against the ``floor`` pack."""
    loaded = [p if isinstance(p, Pack) else load_pack(p) for p in packs]
    floor_pack = floor if isinstance(floor, Pack) else load_pack(floor)
    floor_by_topic = _by_topic(floor_pack.standards.values())
    rows: list[Row] = []
    for topic, label in load_topics().items():
        base = floor_by_topic.get(topic, [])
        no_timescale = floor_pack.spec.no_statutory_timescale.get(topic)
        if base:
            floor_cell = Cell(CellStatus.FLOOR, tuple(_entry(s, Relation.FLOOR) for s in base))
        elif no_timescale:
            floor_cell = Cell(CellStatus.NO_STATUTORY_TIMESCALE, (), " ".join(no_timescale.split()))
        else:
            floor_cell = Cell(CellStatus.NONE, ())
        cells = tuple(_cell(pack, topic, base, floor_pack) for pack in loaded)
        rows.append(Row(topic, label, floor_cell, cells))
    untopiced = {
        p.id: sorted(s.id for s in p.standards.values() if s.spec.topic is None)
        for p in (floor_pack, *loaded)
        if any(s.spec.topic is None for s in p.standards.values())
    }
    return Comparison(
        floor_title=floor_pack.title,
        columns=tuple(p.id for p in loaded),
        titles=tuple(p.title for p in loaded),
        rows=tuple(rows),
        untopiced=untopiced,
    )


def _by_topic(standards: Iterable[Standard]) -> dict[str, list[Standard]]:
    grouped: dict[str, list[Standard]] = {}
    for standard in standards:
        if standard.spec.topic:
            grouped.setdefault(standard.spec.topic, []).append(standard)
    return grouped


def _cell(pack: Pack, topic: str, base: list[Standard], floor: Pack) -> Cell:
    floor_ids = {s.id for s in floor.standards.values()}
    mine = [s for s in pack.standards.values() if s.spec.topic == topic]
    if not mine:
        return Cell(CellStatus.MISSING if base else CellStatus.NONE, ())
    entries = tuple(
        _entry(s, Relation.STATUTORY if s.id in floor_ids else _relation(s, base)) for s in _own_first(mine, pack)
    )
    relations = {e.relation for e in entries}
    for relation, status in (
        (Relation.LESS_STRICT, CellStatus.LESS_STRICT),
        (Relation.STRICTER, CellStatus.STRICTER),
        (Relation.SAME, CellStatus.SAME),
        (Relation.DIFFERENT, CellStatus.DIFFERENT),
        (Relation.LOCAL, CellStatus.LOCAL),
    ):
        if relation in relations:
            return Cell(status, entries)
    return Cell(CellStatus.STATUTORY, entries)


def _own_first(standards: list[Standard], pack: Pack) -> list[Standard]:
    return sorted(standards, key=lambda s: (s.id not in pack.own, s.id))


def _relation(standard: Standard, base: list[Standard]) -> Relation:
    """Compare with the floor's standards on the topic: the declared override's target first, else any of them."""
    if not base:
        return Relation.LOCAL
    override = standard.spec.overrides
    candidates = [b for b in base if override is not None and b.id == override.standard] or base
    rule = standard.versions[-1].rule
    comparable = [b for b in candidates if _same_measure(rule, b.versions[-1].rule)]
    if not comparable:
        return Relation.DIFFERENT
    for floor_standard in comparable:
        floor_rule = floor_standard.versions[-1].rule
        at_least_as_strict = why_not_stricter(rule, floor_rule) is None
        at_most_as_strict = why_not_stricter(floor_rule, rule) is None
        if at_least_as_strict and at_most_as_strict:
            return Relation.SAME
        if at_least_as_strict:
            return Relation.STRICTER
        if at_most_as_strict:
            return Relation.LESS_STRICT
    return Relation.DIFFERENT


def _entry(standard: Standard, relation: Relation) -> Entry:
    return Entry(
        standard_id=standard.id,
        title=standard.title,
        timescale=standard.versions[-1].rule.describe(),
        target=standard.spec.target,
        relation=relation,
    )


def _same_measure(rule: Rule, floor: Rule) -> bool:
    """Timescales compare only when they time the same thing: 45 working days from the start of care is not the
    statutory 45 working days from the referral, however equal the numbers."""
    if rule.kind != floor.kind:
        return False
    match rule, floor:
        case Deadline(), Deadline():
            return rule.anchor.source == floor.anchor.source and rule.target.source == floor.target.source
        case Series(), Series():
            return rule.cohort.source == floor.cohort.source and rule.event.source == floor.event.source
        case AgeDeadline(), AgeDeadline():
            return rule.target.source == floor.target.source
        case LeadTime(), LeadTime():
            return rule.event.source == floor.event.source and rule.before.source == floor.before.source
    return True
