"""``generate_council``: a whole synthetic council, written chunk by chunk to CSV or Parquet.

The run has two kinds of randomness, both derived from ``seed`` alone: one stream for the workforce (sized
and simulated before any child, so every batch allocates against the same staff), and one stream per batch
of children. Batches have a fixed size (``BATCH_SIZE``), so the same arguments always split the same way;
they are simulated one after another, in order, and their rows held until a chunk of ``chunk_size``
children is complete, then appended to the files. Memory is bounded by the chunk, not the council, and the
chunk size is only a memory and file-layout knob: any chunk size gives the same rows in the same order
(CSV files byte for byte; Parquet files the same table, in row groups of a different size).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import numpy as np

from casewatch.data.contract import TABLES as CONTRACT
from casewatch.errors import CasewatchError
from casewatch.synth.allocation import AllocationIndex, allocate
from casewatch.synth.careers import simulate_careers
from casewatch.synth.chunk import Chunk, make_extract
from casewatch.synth.context import Context
from casewatch.synth.history_cut import HistoryCut
from casewatch.synth.ids import Numbering
from casewatch.synth.leaving_care import care_leavers
from casewatch.synth.population import Cohort, CohortPlan, make_cohort, plan_cohort
from casewatch.synth.tables import (
    allocations,
    case_documents,
    child_in_need,
    front_door,
    looked_after,
    missing,
    people,
    protection,
    recording,
    service,
)
from casewatch.synth.tables import (
    care_leavers as care_leaver_tables,
)
from casewatch.synth.tables.workforce_tables import workforce_tables
from casewatch.synth.timing import Punctuality
from casewatch.synth.workdays import WorkingDays
from casewatch.synth.workforce import Workforce, build_workforce
from casewatch.synth.writer import Frame, TableWriter, conform

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``: which step the generator is on, and how far through."""

BATCH_SIZE = 25_000
"""Children simulated per random stream. Part of the output's identity: changing it changes the data."""

CHUNK_SIZE = 100_000
"""Children whose rows are held in memory before being appended to the files (rounded up to whole batches)."""

_WORKFORCE_STREAM = 1 << 30

#: Tables written, in the order a reader would meet them.
TABLES: tuple[str, ...] = (
    "ssd_person",
    "ssd_disability",
    "ssd_immigration_status",
    "ssd_contacts",
    "ext_contact_decisions",
    "ssd_early_help_episodes",
    "ssd_cin_episodes",
    "ssd_cin_assessments",
    "ssd_cin_plans",
    "ssd_cin_visits",
    "ext_strategy_discussions",
    "ssd_s47_enquiry",
    "ssd_initial_cp_conference",
    "ssd_cp_plans",
    "ssd_cp_visits",
    "ssd_cp_reviews",
    "ext_core_groups",
    "ssd_cla_episodes",
    "ssd_cla_placement",
    "ssd_legal_status",
    "ssd_cla_visits",
    "ssd_cla_reviews",
    "ssd_cla_health",
    "ssd_cla_care_plan",
    "ssd_missing",
    "ext_return_interviews",
    "ssd_care_leavers",
    "ext_care_leaver_episodes",
    "ext_care_leaver_contacts",
    "ext_plan_documents",
    "ext_plan_reviews",
    "ext_case_documents",
    "ext_meetings",
    "ext_complaints",
    "ext_escalations",
    "ssd_department",
    "ssd_professionals",
    "ext_worker_profile",
    "ext_worker_team_history",
    "ssd_involvements",
    "ext_allocation_flags",
    "ext_casenotes",
    "ext_supervision",
    "ext_management_oversight",
    "ext_staff_development",
)

#: Contract tables the generator does not write, and why: a standard that needs one is reported by the engine
#: as "not evaluated: missing data", never as compliant. A table added to the contract must be added to
#: ``TABLES`` or here (a test checks), so a gap is a decision, not an oversight.
NOT_GENERATED: MappingProxyType[str, str] = MappingProxyType(
    {
        "ssd_permanence": "adoption milestones (ADM decision, placement order, matching) are not simulated",
        "ssd_sdq_scores": "no outcome measures are simulated",
        "ssd_cla_immunisations": "health is simulated as assessments only",
        "ssd_family": "children are simulated one by one, without siblings, so each is a family of their own",
        "ssd_assessment_factors": "assessment factors are free-text codes with no national proportions used here",
        "ssd_pre_proceedings": "the public law outline is not simulated",
        "ssd_voice_of_child": "a case-file audit matter, not an event stream",
        "ext_exceptions": "recorded exceptions name a pack's standards; the generator knows no pack",
    }
)

EARLIEST_AS_AT = date(2016, 1, 1)
LATEST_AS_AT = date(2040, 12, 31)
HORIZON_DAYS = 400


@dataclass(frozen=True)
class SynthSummary:
    """What was generated: rows written per table, and the arguments that reproduce it."""

    out_dir: Path
    as_at: date
    seed: int
    population: int
    years: int
    timeliness: float
    fmt: str
    rows: dict[str, int] = field(default_factory=dict)
    extract_years: int | None = None

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


class SynthError(CasewatchError, ValueError):
    """An argument to the generator that cannot make a council (a user's mistake, said in one sentence)."""


MIN_POPULATION = 100
MAX_POPULATION = 20_000_000
MAX_YEARS = 10
# Files a generation may replace in its output folder: its own tables (either format) and a README.
_OWN_FILES = {f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet")} | {"README.md"}


def _check(population: int, years: int, as_at: date, timeliness: float, fmt: str, extract_years: int | None) -> None:
    if not MIN_POPULATION <= population <= MAX_POPULATION:
        raise SynthError(
            f"The population must be between {MIN_POPULATION:,} and {MAX_POPULATION:,} children, not {population:,}."
        )
    if not 1 <= years <= MAX_YEARS:
        raise SynthError(f"The years of history must be between 1 and {MAX_YEARS}, not {years}.")
    if extract_years is not None and not 1 <= extract_years <= years:
        raise SynthError(
            f"The extract's years must be between 1 and the {years} years of history simulated, not {extract_years}."
        )
    if not EARLIEST_AS_AT <= as_at <= LATEST_AS_AT:
        raise SynthError(f"The as-at date must be between {EARLIEST_AS_AT} and {LATEST_AS_AT}, not {as_at}.")
    if not 0.0 <= timeliness <= 1.0:
        raise SynthError(f"Timeliness is the share of work done on time, between 0 and 1, not {timeliness}.")
    if fmt not in ("csv", "parquet"):
        raise SynthError(f"The format must be csv or parquet, not {fmt!r}.")


def _prepare(out_dir: Path) -> None:
    """Refuse a folder holding anything but an earlier council; clear that council's table files."""
    if out_dir.exists() and not out_dir.is_dir():
        raise SynthError(f"The output {out_dir} is a file; give a folder for the council's tables.")
    if not out_dir.exists():
        return
    others = sorted(p.name for p in out_dir.iterdir() if p.name not in _OWN_FILES)
    if others:
        raise SynthError(
            f"The folder {out_dir} already holds other files ({', '.join(others[:3])}"
            f"{', ...' if len(others) > 3 else ''}); choose an empty or new folder."
        )
    for p in out_dir.iterdir():
        if p.name != "README.md":
            p.unlink()


def _context(rng: np.random.Generator, wd: WorkingDays, as_at: np.datetime64, years: int, timeliness: float) -> Context:
    from casewatch.synth.days import add_months

    window_start = add_months(np.array([as_at], dtype="datetime64[D]"), -12 * years)[0]
    return Context(
        rng=rng,
        wd=wd,
        as_at=as_at,
        window_start=window_start,
        horizon=as_at + np.timedelta64(HORIZON_DAYS, "D"),
        punctuality=Punctuality(timeliness),
    )


def _caseload_on(
    inv_role: np.ndarray,
    inv_worker: np.ndarray,
    inv_start: np.ndarray,
    inv_end: np.ndarray,
    day: np.datetime64,
    size: int,
) -> np.ndarray:
    open_then = (inv_role == "SW") & (inv_start <= day) & (inv_end >= day)
    return np.bincount(inv_worker[open_then], minlength=size).astype(np.int64)


def last_30_september(as_at: np.datetime64) -> np.datetime64:
    """The SSD counts caseloads on the last 30 September on or before the extract date."""
    year = int(str(as_at)[:4])
    candidate = np.datetime64(f"{year}-09-30")
    return candidate if candidate <= as_at else np.datetime64(f"{year - 1}-09-30")


def _write(writer: TableWriter, frames: dict[str, Frame], cut: HistoryCut | None) -> None:
    """One batch's rows to the writer, cut to the extract's history first when there is a cut."""
    rows = [(name, conform(CONTRACT[name], frame)) for name, frame in ((k.split("/")[0], f) for k, f in frames.items())]
    for name, table in cut.apply(rows) if cut else rows:
        writer.write_table(name, table)


def _chunk_tables(chunk: Chunk) -> dict[str, Frame]:
    """Every table's rows for one batch, in dependency order (ids referenced later are numbered first)."""
    builders = (
        allocations.involvements,
        front_door.contacts,
        front_door.referrals,
        child_in_need.plans,
        protection.enquiries,
        protection.plans,
        looked_after.looked_after,
        missing.missing,
        care_leaver_tables.care_leavers,
        recording.casenotes,
        recording.supervision,
        recording.oversight,
        case_documents.case_documents,
        service.meetings,
        service.complaints,
        service.escalations,
        people.people,  # last: it writes a row for every child the others mentioned
    )
    frames: dict[str, Frame] = {}
    for build in builders:
        for key, frame in build(chunk).items():
            if key in frames:
                raise RuntimeError(f"two builders wrote {key}")
            frames[key] = frame
    return frames


def generate_council(
    out_dir: Path,
    *,
    population: int = 10_000,
    years: int = 3,
    seed: int = 1,
    as_at: date = date(2026, 10, 30),
    timeliness: float = 0.85,
    fmt: Literal["csv", "parquet"] = "csv",
    progress: Progress | None = None,
    chunk_size: int = CHUNK_SIZE,
    batch_size: int = BATCH_SIZE,
    extract_years: int | None = None,
) -> SynthSummary:
    """Generate a synthetic council of ``population`` children into ``out_dir``, one file per table.

    The council is calibrated to England's national rates (``casewatch.synth.figures.NATIONAL_FIGURES``:
    about 520 referrals per 10,000 children a year, 333 children in need, 42 on a child protection plan and
    70 looked after per 10,000 at the extract date, 185 S47 enquiries and 65 initial conferences per 10,000 a
    year). ``years`` of history before ``as_at`` are written (episodes open at any time in them, events from
    three months before them); ``timeliness`` is the share of timed work done on time. The same arguments
    always produce byte-identical files, and ``chunk_size`` (memory held) never changes the rows written;
    ``batch_size`` does, and exists so tests can split a small council into many random streams.

    ``extract_years`` (at most ``years``) writes the council as an SSD extract keeping that many years would
    hold it: the same simulation, with only the rows that have a date in the last ``extract_years`` calendar
    years before ``as_at``, or are episodes still open, and the children and details those rows name
    (``history_cut.py``). Without it, the ``years`` simulated are written whole.
    """
    _check(population, years, as_at, timeliness, fmt, extract_years)
    if chunk_size < 1 or batch_size < 1:
        raise SynthError(f"Chunk and batch sizes must be at least one child, not {chunk_size} and {batch_size}.")
    _prepare(Path(out_dir))
    report = progress or (lambda stage, done, total: None)
    as_at_day = np.datetime64(as_at, "D")
    plan: CohortPlan = plan_cohort(population, years, batch_size)
    batches_per_chunk = max(1, -(-chunk_size // batch_size))
    floor = as_at_day - np.timedelta64(int((plan.span_years + 2) * 365.25), "D")
    wd = WorkingDays(floor, as_at_day + np.timedelta64(HORIZON_DAYS + 400, "D"))
    seeds = np.random.SeedSequence(seed)
    report("workforce", 0, plan.batches)
    wf_ctx = _context(np.random.default_rng(seeds.spawn(1)[0]), wd, as_at_day, years, timeliness)
    workforce: Workforce = build_workforce(wf_ctx, population, floor)
    numbering = Numbering()
    writer = TableWriter(Path(out_dir), fmt, list(TABLES))
    cut = None if extract_years is None else HistoryCut(TABLES, as_at, extract_years)
    workers_seen: set[int] = set()
    caseload = np.zeros(len(workforce.workers.number) + 1, dtype=np.int64)
    count_day = last_30_september(as_at_day)
    batch_seeds = np.random.SeedSequence(seed, spawn_key=(_WORKFORCE_STREAM,)).spawn(plan.batches)
    try:
        for k in range(plan.batches):
            report("children", k, plan.batches)
            ctx = _context(np.random.default_rng(batch_seeds[k]), wd, as_at_day, years, timeliness)
            cohort: Cohort = make_cohort(ctx.rng, plan, k, as_at_day)
            careers = simulate_careers(ctx, cohort)
            leavers = care_leavers(ctx.rng, cohort, careers)
            inv = allocate(ctx, cohort, careers, leavers, workforce)
            caseload += _caseload_on(inv.role, inv.worker, inv.start, inv.end, count_day, len(caseload))
            chunk = Chunk(
                ctx=ctx,
                cohort=cohort,
                careers=careers,
                leavers=leavers,
                involvements=inv,
                allocation=AllocationIndex(inv),
                workforce=workforce,
                numbering=numbering,
                extract=make_extract(ctx, careers, numbering),
                persons_seen=set(),
                workers_seen=workers_seen,
                refs={},
            )
            _write(writer, _chunk_tables(chunk), cut)
            if (k + 1) % batches_per_chunk == 0:
                writer.flush()
        report("workforce tables", plan.batches, plan.batches)
        _write(writer, workforce_tables(wf_ctx, workforce, workers_seen, caseload, numbering), cut)
        writer.flush()
    finally:
        writer.close()
    report("done", plan.batches, plan.batches)
    return SynthSummary(
        out_dir=Path(out_dir),
        as_at=as_at,
        seed=seed,
        population=population,
        years=years,
        timeliness=timeliness,
        fmt=fmt,
        rows=dict(writer.rows),
        extract_years=extract_years,
    )
