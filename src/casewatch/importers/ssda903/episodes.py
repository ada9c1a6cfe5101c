"""903 episodes → periods of care, care episodes, placements and legal statuses.

A 903 episode starts whenever the legal status or the placement changes, so the SSD's three tables are all
made by chaining a child's episodes in date order:

- a **period of care** (``clae_cla_id``) starts at the child's first episode, at an episode whose reason for new
  episode (RNE) is ``S`` (started to be looked after), after an episode that ended care (a reason ceased other
  than ``X1``) or after a gap (the next episode does not start the day the last one ended). Its start is the
  date the child entered care, which starts the clock of the looked-after review standard;
- a **placement** starts with the period and at every RNE meaning a new placement (``P``, ``T``, ``U``, ``B``);
  an episode whose RNE says "legal status only" (``L``) but whose placement details differ starts one too,
  with a warning. The reason for placement change is held on the placement's last episode;
- a **legal status** runs while the LS code stays the same within a period.

Ids are made from the child and dates, not from row positions, so re-importing the same (or next year's)
files gives the same ids: episode ``903-<CHILD>-<DECOM>``, period ``903-<CHILD>-<start>-care``, placement
``903-<CHILD>-<start>-placement``, legal status ``903-<CHILD>-<start>-legal``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from casewatch.formats.ssda903 import (
    LS_CODES,
    PLACE_CODES,
    REC_CODES,
    REC_CONTINUES,
    RNE_CODES,
    RNE_NEW_PLACEMENT,
    RNE_STARTS_PERIOD,
)

from .records import InputRow, Values

Row = dict[str, object]


@dataclass
class Episode:
    """One usable 903 episode row."""

    child: str
    start: date
    end: date | None
    rne: str | None
    ls: str | None
    cin: str | None
    place: str | None
    provider: str | None
    rec: str | None
    change_reason: str | None
    pl_post: str | None
    urn: str | None
    row: InputRow

    @property
    def ends_care(self) -> bool:
        return self.rec is not None and self.rec != REC_CONTINUES

    def placement_details(self) -> tuple[str | None, ...]:
        return (self.place, self.provider, self.urn, self.pl_post)


@dataclass
class Period:
    """A period of care: the child's consecutive episodes from entering care to leaving it."""

    child: str
    id: str
    start: date
    end: date | None = None
    episodes: list[Episode] = field(default_factory=list)

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class CareTables:
    """The rows made from the episodes, and the periods other files are linked to."""

    episodes: list[Row] = field(default_factory=list)
    placements: list[Row] = field(default_factory=list)
    legal_statuses: list[Row] = field(default_factory=list)
    periods: dict[str, list[Period]] = field(default_factory=dict)


def read_episodes(rows: list[InputRow], values: Values) -> dict[str, list[Episode]]:
    """Usable episodes per child in date order; unusable rows and repeated episodes are reported."""
    by_child: dict[str, dict[date, Episode]] = defaultdict(dict)
    for row in rows:
        child = values.text(row, "CHILD")
        values.need(row, "CHILD", child)
        if child is None:
            values.skip(row, "CHILD", None, "no child id; episode not imported")
            continue
        start = values.date(row, "DECOM", required=True)
        values.need(row, "DECOM", start)
        if start is None:
            if values.blank(row, "DECOM"):
                values.skip(row, "DECOM", None, "no episode start date (DECOM); episode not imported")
            else:
                values.report.rows_skipped[row.input_name] += 1
            continue
        end = values.date(row, "DEC")
        if end is not None and end < start:
            values.skip(row, "DEC", row.raw("DEC"), f"episode ends before it starts ({start:%d/%m/%Y}); not imported")
            continue
        episode = Episode(
            child=child,
            start=start,
            end=end,
            rne=values.code(row, "RNE", RNE_CODES, what="reason for new episode"),
            ls=values.code(row, "LS", LS_CODES, what="legal status"),
            cin=values.code(row, "CIN", what="category of need"),
            place=values.code(row, "PLACE", PLACE_CODES, what="placement type"),
            provider=values.code(row, "PLACE_PROVIDER", what="placement provider"),
            rec=values.code(row, "REC", REC_CODES, what="reason episode ceased"),
            change_reason=values.code(row, "REASON_PLACE_CHANGE", what="reason for placement change"),
            pl_post=values.text(row, "PL_POST"),
            urn=values.text(row, "URN"),
            row=row,
        )
        if episode.ls is None:
            values.problem(row, "LS", None, "no legal status; the episode has no legal status row", error=False)
        earlier = by_child[child].get(start)
        if earlier is not None:
            kept = _prefer(earlier, episode)
            dropped = episode if kept is earlier else earlier
            values.problem(
                dropped.row,
                "DECOM",
                dropped.row.raw("DECOM"),
                f"a second episode of this child starts on this date; the one from {kept.row.file} "
                f"line {kept.row.line} was kept",
                error=False,
            )
            values.report.rows_skipped[dropped.row.input_name] += 1
            episode = kept
        by_child[child][start] = episode
    return {child: [eps[d] for d in sorted(eps)] for child, eps in by_child.items()}


def _prefer(first: Episode, second: Episode) -> Episode:
    """Of two episodes with one start (the same episode in two years' files), the one that knows its end."""
    if first.end is not None and second.end is None:
        return first
    return second


def chain(episodes: dict[str, list[Episode]], values: Values) -> CareTables:
    """Periods of care, placements and legal statuses from each child's episodes."""
    tables = CareTables()
    for child, child_episodes in episodes.items():
        periods = _periods(child, child_episodes, values)
        tables.periods[child] = periods
        for period in periods:
            placement_ids = _placements(period, tables, values)
            _legal_statuses(period, tables)
            for episode, placement_id in zip(period.episodes, placement_ids, strict=True):
                tables.episodes.append(
                    {
                        "clae_cla_episode_id": f"903-{child}-{episode.start.isoformat()}",
                        "clae_person_id": child,
                        "clae_cla_id": period.id,
                        "clae_cla_episode_start_date": episode.start,
                        "clae_cla_episode_ceased_date": episode.end,
                        "clae_cla_episode_start_reason": episode.rne,
                        "clae_cla_episode_ceased_reason": episode.rec,
                        "clae_entered_care_date": period.start,
                        "clae_cla_placement_id": placement_id,
                        "clae_cla_primary_need_code": episode.cin,
                    }
                )
    return tables


def _periods(child: str, episodes: list[Episode], values: Values) -> list[Period]:
    periods: list[Period] = []
    previous: Episode | None = None
    for episode in episodes:
        if previous is not None and previous.end is None:
            values.problem(
                previous.row,
                "DEC",
                None,
                f"episode has no end date but the child's next episode starts on {episode.start:%d/%m/%Y}; "
                "taken to end then",
                error=False,
            )
            previous.end = episode.start
        new = previous is None or _starts_period(previous, episode, values)
        if new:
            if previous is None and episode.rne != RNE_STARTS_PERIOD:
                values.problem(
                    episode.row,
                    "RNE",
                    episode.rne,
                    "the child's first episode in these files does not start a period of care (RNE is not S); "
                    "care began earlier, so the period is taken to start here",
                    error=False,
                )
            periods.append(Period(child, f"903-{child}-{episode.start.isoformat()}-care", episode.start))
        period = periods[-1]
        period.episodes.append(episode)
        previous = episode
    for period in periods:
        period.end = period.episodes[-1].end
    return periods


def _starts_period(previous: Episode, episode: Episode, values: Values) -> bool:
    assert previous.end is not None
    if episode.rne == RNE_STARTS_PERIOD:
        if not previous.ends_care and previous.end == episode.start:
            values.problem(
                episode.row,
                "RNE",
                episode.rne,
                "RNE S (started to be looked after) although the previous episode ran up to this date without the "
                "child leaving care; a new period of care was started",
                error=False,
            )
        return True
    if previous.ends_care:
        values.problem(
            episode.row,
            "RNE",
            episode.rne,
            f"the previous episode ended care ({previous.rec}) but this one's RNE is not S; "
            "a new period of care was started",
            error=False,
        )
        return True
    if previous.end < episode.start:
        values.problem(
            episode.row,
            "DECOM",
            episode.row.raw("DECOM"),
            f"gap since the previous episode ended ({previous.end:%d/%m/%Y}); a new period of care was started",
            error=False,
        )
        return True
    if previous.end > episode.start:
        values.problem(
            episode.row,
            "DECOM",
            episode.row.raw("DECOM"),
            f"starts before the previous episode ended ({previous.end:%d/%m/%Y}); kept in the same period of care",
            error=False,
        )
    return False


def _placements(period: Period, tables: CareTables, values: Values) -> list[str]:
    ids: list[str] = []
    groups: list[list[Episode]] = []
    for index, episode in enumerate(period.episodes):
        previous = period.episodes[index - 1] if index else None
        new = previous is None or (episode.rne in RNE_NEW_PLACEMENT)
        if not new and previous is not None and episode.placement_details() != previous.placement_details():
            values.problem(
                episode.row,
                "RNE",
                episode.rne,
                "the placement details (type, provider, URN or postcode) changed but RNE does not say so; "
                "taken as a new placement",
                error=False,
            )
            new = True
        if new:
            groups.append([])
        groups[-1].append(episode)
    for group in groups:
        first, last = group[0], group[-1]
        placement_id = f"903-{period.child}-{first.start.isoformat()}-placement"
        for episode in group[:-1]:
            if episode.change_reason is not None:
                values.problem(
                    episode.row,
                    "REASON_PLACE_CHANGE",
                    episode.change_reason,
                    "a reason for placement change on an episode after which the placement did not change; not used",
                    error=False,
                )
        ids.extend(placement_id for _ in group)
        tables.placements.append(
            {
                "clap_cla_placement_id": placement_id,
                "clap_cla_id": period.id,
                "clap_person_id": period.child,
                "clap_cla_placement_start_date": first.start,
                "clap_cla_placement_end_date": last.end,
                "clap_cla_placement_type": first.place,
                "clap_cla_placement_provider": first.provider,
                "clap_cla_placement_change_reason": last.change_reason,
                "clap_cla_placement_urn": first.urn,
                "clap_cla_placement_postcode": first.pl_post,
            }
        )
    return ids


def _legal_statuses(period: Period, tables: CareTables) -> None:
    runs: list[list[Episode]] = []
    for episode in period.episodes:
        if not runs or runs[-1][-1].ls != episode.ls:
            runs.append([])
        runs[-1].append(episode)
    for run in runs:
        first = run[0]
        if first.ls is None:
            continue  # reported by the episode's own LS check when not given
        tables.legal_statuses.append(
            {
                "lega_legal_status_id": f"903-{period.child}-{first.start.isoformat()}-legal",
                "lega_person_id": period.child,
                "lega_legal_status": first.ls,
                "lega_legal_status_start_date": first.start,
                "lega_legal_status_end_date": run[-1].end,
            }
        )
