"""A child's service stage on a date: child in need, child protection, looked after or care leaver.

Audit samples are drawn in quotas by stage ("three CP files per team"), so the stage must be one per child and
dated. No other part of casewatch defines it (the standards name episode sources, the web app draws each
episode separately), so it lives here, built on the standards' vocabulary of sources (``standards/sources.yaml``):
the tables and date columns of a CP plan or a care episode are read from there, never written again.

A child is in a stage on a date when an episode of one of its sources covers the date (started on or before,
not ended before: an end date is the episode's last day, as for allocations). When several cover it, the
first in ``STAGES`` wins: looked after before a child protection plan (a child in care on a plan is counted as
looked after, the statutory status that carries the most duties), then the care-leaving years, then child in
need, which is a CIN plan or an open referral (assessment included).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casewatch.errors import CasewatchError
from casewatch.standards.sources import Source, load_sources


@dataclass(frozen=True)
class Stage:
    """One service stage and the episode sources that put a child in it."""

    id: str
    label: str
    child: str  # one child of the stage, as a sentence names them
    children: str  # the stage's children
    sources: tuple[str, ...]

    def count(self, number: int) -> str:
        """``number`` children of the stage in words: "1 child on a child protection plan", "3 care leavers"."""
        return f"{number} {self.child if number == 1 else self.children}"


#: The stages, in the order that decides a child's stage when episodes of several cover a date.
STAGES: tuple[Stage, ...] = (
    Stage("CLA", "looked after", "looked-after child", "looked-after children", ("cla_episode",)),
    Stage(
        "CP",
        "child protection plan",
        "child on a child protection plan",
        "children on a child protection plan",
        ("cp_plan",),
    ),
    Stage("care-leaver", "care leaver", "care leaver", "care leavers", ("care_leaver",)),
    Stage("CIN", "child in need", "child in need", "children in need", ("cin_plan", "referral")),
)
STAGE_IDS: tuple[str, ...] = tuple(s.id for s in STAGES)


def stage_named(text: str) -> Stage:
    """The stage a user names, ignoring case ("cp", "CLA", "care-leaver"); an unknown one is one sentence."""
    for stage in STAGES:
        if stage.id.lower() == text.strip().lower():
            return stage
    raise CasewatchError(f"'{text}' is not a service stage; use one of {', '.join(STAGE_IDS)}")


def stage_sql(pairs: str, has: Callable[[str], bool]) -> str:
    """DuckDB SQL giving the stage of each (person_id, ref_date) row of the table ``pairs``.

    Columns: person_id, ref_date, stage (NULL when no stage's episode covers the date). ``has`` says whether a
    contract table was given; a stage whose tables are all absent simply never applies.
    """
    sources = load_sources()
    parts: list[str] = []
    for rank, stage in enumerate(STAGES):
        for name in stage.sources:
            source = sources[name]
            if has(source.table):
                parts.append(_covering(source, pairs, rank))
    if not parts:
        return f"SELECT person_id, ref_date, CAST(NULL AS VARCHAR) AS stage FROM {pairs}"
    ranks = " ".join(f"WHEN {rank} THEN '{stage.id}'" for rank, stage in enumerate(STAGES))
    return (
        f"SELECT p.person_id, p.ref_date, CASE s.stage_rank {ranks} END AS stage FROM {pairs} AS p "
        f"LEFT JOIN (SELECT person_id, ref_date, MIN(stage_rank) AS stage_rank FROM ({' UNION ALL '.join(parts)}) AS c "
        "GROUP BY person_id, ref_date) AS s ON s.person_id = p.person_id AND s.ref_date = p.ref_date"
    )


def _covering(source: Source, pairs: str, rank: int) -> str:
    """The pairs an episode of ``source`` covers, with the stage's rank."""
    if source.filter or source.config_filter or source.start is None or source.end is None:
        raise AssertionError(f"the stage source '{source.name}' must be a plain episode source")
    subject = source.subjects["child"]
    return (
        f"SELECT p.person_id, p.ref_date, {rank} AS stage_rank FROM {pairs} AS p JOIN {source.table} AS e "
        f"ON e.{subject} = p.person_id AND CAST(e.{source.start} AS DATE) <= p.ref_date "
        f"AND (e.{source.end} IS NULL OR CAST(e.{source.end} AS DATE) >= p.ref_date)"
    )


__all__ = ["STAGES", "STAGE_IDS", "Stage", "stage_named", "stage_sql"]
