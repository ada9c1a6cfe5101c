"""One scale point, run in its own process so its peak memory is its own: generate, load, evaluate.

    .venv/bin/python -m benchmarks.scale --population 80000 --years 6 --folder /tmp/council-80k
    .venv/bin/python -m benchmarks.scale --population 1000000 --folder /tmp/councils --memory-limit 4GB

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
from casewatch import api
from casewatch.data.load import CaseData, load_case_data
from casewatch.engine.evaluate import COMPILED
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


def generation_from_time_log(path: Path) -> dict[str, object]:
    """Generation figures from GNU ``/usr/bin/time -v casewatch synth ...`` output, for a council made by hand.

    England is generated with the command a user would type, under ``time -v``; its wall time, CPU time and
    peak memory are read from that log rather than typed in, and the command is kept with them.
    """
    fields: dict[str, str] = {}
    for line in path.read_text().splitlines():
        key, sep, value = line.strip().rpartition(": ")
        if sep:
            fields[key] = value
    if "Command being timed" not in fields:
        raise SystemExit(f"{path} is not the output of /usr/bin/time -v")
    wall = 0.0
    for part in fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    return {
        "generate_s": wall,
        "generate_cpu_s": float(fields["User time (seconds)"]) + float(fields["System time (seconds)"]),
        "generate_peak_rss_mib": int(fields["Maximum resident set size (kbytes)"]) / 1024,
        "generate_command": fields["Command being timed"].strip('"'),
        "generate_exit": int(fields.get("Exit status", "0")),
    }


def data_check(data: CaseData) -> dict[str, object]:
    """What ``casewatch data check`` says of the council: rows rejected, and issues by code (none is the aim).

    Loading is the data check (the same report the command prints), so every scale point also shows that the
    generator's council passes it, with no impossible order among its dates.
    """
    codes = data.report.issues.column("code").to_pylist() if data.report.issues.num_rows else []
    return {
        "rows_rejected": data.report.total_rejected,
        "issues_by_code": {code: codes.count(code) for code in sorted(set(codes))},
    }


def run(
    population: int,
    years: int,
    folder: Path,
    pack_name: str,
    memory_limit: str | None = None,
    council: Path | None = None,
) -> dict[str, object]:
    """Generate (or reuse), load and evaluate one council.

    With ``memory_limit`` the data is loaded the memory-bounded way (``load_case_data(work_dir=...,
    memory_limit=...)``, as ``casewatch evaluate --work-dir DIR --memory-limit SIZE`` does): a working database in
    the cache folder, DuckDB capped at the limit and spilling the rest to disk. ``council`` is a folder made
    some other way (``benchmarks.replicate``) to load and evaluate instead of a generated one.
    """
    spec = CouncilSpec(population=population, years=years, seed=SEED, as_at=AS_AT)
    t0 = time.perf_counter()
    council, reused = (council, True) if council is not None else cached_council(folder, spec)
    t1, c1 = time.perf_counter(), cpu_seconds()
    work_dir = folder / f"work-{population}" if memory_limit else None
    data = load_case_data(council, as_at=AS_AT, work_dir=work_dir, memory_limit=memory_limit)
    t2, c2 = time.perf_counter(), cpu_seconds()
    checked = data_check(data)
    pack = load_pack(pack_name)
    COMPILED.clear()  # time a first evaluation, compilation included, not the cached re-evaluation path
    # As `casewatch evaluate` does it: the history window found (and applied), the codes checked.
    results = api.evaluate(pack, data, AS_AT)
    t3, c3 = time.perf_counter(), cpu_seconds()
    work_mib = sum(p.stat().st_size for p in work_dir.rglob("*") if p.is_file()) / 2**20 if work_dir else None
    data.close()
    return {
        "population": population,
        "years": years,
        "pack": pack_name,
        "standards": len(pack.standards),
        "not_evaluated": len(results.not_evaluated),
        "rows_in": sum(data.tables.values()),
        "instances_out": results.instances.num_rows,
        "history_window": results.history.statement() if results.history else None,
        "generated": not reused,
        "generate_s": t1 - t0 if not reused else None,
        "load_s": t2 - t1,
        "evaluate_s": t3 - t2,
        "load_cpu_s": c2 - c1,
        "evaluate_cpu_s": c3 - c2,
        "peak_rss_mib": peak_rss_mib(),
        "disk_mib": sum(p.stat().st_size for p in council.iterdir()) / 2**20,
        "council": str(council),
        "memory_limit": memory_limit,
        "work_mib": work_mib,
        **checked,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="One benchmark scale point (prints JSON).")
    parser.add_argument("--population", type=int, required=True)
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--folder", type=Path, required=True, help="cache folder for generated councils")
    parser.add_argument("--pack", default="england")
    parser.add_argument("--partial-batches", type=int, default=0)
    parser.add_argument("--memory-limit", default=None, help="load into a working database, DuckDB capped at this")
    parser.add_argument("--council", type=Path, default=None, help="load and evaluate this folder; generate nothing")
    parser.add_argument(
        "--generation-log",
        type=Path,
        default=None,
        help="with --council: the `/usr/bin/time -v casewatch synth ...` output that made it (its figures are kept)",
    )
    args = parser.parse_args(argv)
    if args.partial_batches:
        out = partial_generation(args.population, args.years, args.folder / "partial", args.partial_batches)
    else:
        out = run(args.population, args.years, args.folder, args.pack, args.memory_limit, args.council)
        if args.generation_log is not None:
            out.update(generation_from_time_log(args.generation_log))
            out["generated"] = True
    print(json.dumps(out))


if __name__ == "__main__":
    main()
