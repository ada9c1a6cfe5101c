"""One scale point, run in its own process so its peak memory is its own: generate, load, evaluate.

    .venv/bin/python -m benchmarks.scale --population 80000 --years 6 --folder /tmp/council-80k

Prints one JSON object. The council is generated into ``--folder`` unless it already holds one made with
the same arguments (the receipt written by ``casewatch.synth.cache``), so re-running the benchmarks does
not pay for generation twice; ``--partial-batches N`` instead generates only the first N batches of
children and stops (a timed partial run, for projecting a size too large to generate in full).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from datetime import date
from pathlib import Path

from benchmarks.machine import cpu_seconds, peak_rss_mib
from casewatch.data.load import load_case_data
from casewatch.engine import evaluate
from casewatch.standards.loader import load_pack
from casewatch.synth.cache import CouncilSpec, cached_council
from casewatch.synth.council import generate_council

AS_AT = date(2026, 10, 30)
SEED = 1


class _Stop(Exception):
    """Raised from the progress callback to end a partial generation run."""


def partial_generation(population: int, years: int, folder: Path, batches: int) -> dict[str, object]:
    """Generate the first ``batches`` batches of a council and stop: time per batch, for a projection.

    The workforce is built once before any child (its time is counted once); the batches after it are alike,
    so the whole run is projected as setup + per-batch time x batches.
    """
    seen: dict[str, float] = {"total": 0, "children_from": 0.0}
    started = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        seen["total"] = total
        if stage == "children" and done == 0:
            seen["children_from"] = time.perf_counter()
        if stage == "children" and done >= batches:
            raise _Stop

    with contextlib.suppress(_Stop):
        generate_council(
            folder, population=population, years=years, seed=SEED, as_at=AS_AT, fmt="parquet", progress=progress
        )
    ended = time.perf_counter()
    setup = seen["children_from"] - started
    per_batch = (ended - seen["children_from"]) / batches
    return {
        "population": population,
        "batches_done": batches,
        "batches_total": int(seen["total"]),
        "generate_s": ended - started,
        "setup_s": setup,
        "per_batch_s": per_batch,
        "projected_generate_s": setup + per_batch * seen["total"],
        "peak_rss_mib": peak_rss_mib(),
    }


def run(population: int, years: int, folder: Path, pack_name: str) -> dict[str, object]:
    spec = CouncilSpec(population=population, years=years, seed=SEED, as_at=AS_AT)
    t0 = time.perf_counter()
    council, reused = cached_council(folder, spec)
    t1, c1 = time.perf_counter(), cpu_seconds()
    data = load_case_data(council, as_at=AS_AT)
    t2, c2 = time.perf_counter(), cpu_seconds()
    pack = load_pack(pack_name)
    results = evaluate(
        pack.standards.values(),
        data.con,
        AS_AT,
        allocated_roles=data.config.allocated_worker_roles,
        snapshot_tables=data.config.snapshot_tables,
    )
    t3, c3 = time.perf_counter(), cpu_seconds()
    return {
        "population": population,
        "years": years,
        "pack": pack_name,
        "standards": len(pack.standards),
        "not_evaluated": len(results.not_evaluated),
        "rows_in": sum(data.tables.values()),
        "instances_out": results.instances.num_rows,
        "generated": not reused,
        "generate_s": t1 - t0 if not reused else None,
        "load_s": t2 - t1,
        "evaluate_s": t3 - t2,
        "load_cpu_s": c2 - c1,
        "evaluate_cpu_s": c3 - c2,
        "peak_rss_mib": peak_rss_mib(),
        "disk_mib": sum(p.stat().st_size for p in council.iterdir()) / 2**20,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="One benchmark scale point (prints JSON).")
    parser.add_argument("--population", type=int, required=True)
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--folder", type=Path, required=True, help="cache folder for generated councils")
    parser.add_argument("--pack", default="england")
    parser.add_argument("--partial-batches", type=int, default=0)
    args = parser.parse_args(argv)
    if args.partial_batches:
        out = partial_generation(args.population, args.years, args.folder / "partial", args.partial_batches)
    else:
        out = run(args.population, args.years, args.folder, args.pack)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
