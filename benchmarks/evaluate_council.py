"""Benchmark: generate a synthetic council, load it, evaluate a pack, and record the figures.

Run from the repository root:

    .venv/bin/python benchmarks/evaluate_council.py --population 10000 --population 80000

Each run appends one row per population to benchmarks/results.md: wall time of generation, loading and
evaluation, peak memory of the process, rows in, instances out, and the machine. Speed is measured here,
never asserted in the test suite, because shared machines make timed assertions flaky.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from casewatch.data.load import load_case_data
from casewatch.engine import evaluate
from casewatch.standards.loader import load_pack
from casewatch.synth import generate_council

RESULTS = Path(__file__).with_name("results.md")
HEADER = (
    "| when (UTC) | pack | population | years | rows in | instances out | generate s | load s | evaluate s "
    "| peak RSS MiB | machine |\n"
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
)


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux: the high-water mark of this process so far.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(population: int, years: int, pack_name: str, as_at: date) -> str:
    pack = load_pack(pack_name)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "council"
        started = time.perf_counter()
        summary = generate_council(folder, population=population, years=years, seed=1, as_at=as_at, fmt="parquet")
        generated = time.perf_counter()
        data = load_case_data(folder, as_at=as_at)
        loaded = time.perf_counter()
        results = evaluate(pack.standards.values(), data.con, as_at, allocated_roles=data.config.allocated_worker_roles)
        evaluated = time.perf_counter()
    return (
        f"| {datetime.now(UTC):%Y-%m-%d %H:%M} | {pack_name} | {population:,} | {years} | {summary.total_rows:,} "
        f"| {results.instances.num_rows:,} | {generated - started:.2f} | {loaded - generated:.2f} "
        f"| {evaluated - loaded:.2f} | {peak_rss_mib():,.0f} | {machine()} |\n"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--population", type=int, action="append", help="repeatable; default 10000")
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--pack", default="england")
    parser.add_argument("--as-at", type=date.fromisoformat, default=date(2026, 10, 30))
    args = parser.parse_args(argv)
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nAppended by benchmarks/evaluate_council.py.\n\n" + HEADER)
    for population in args.population or [10_000]:
        line = run(population, args.years, args.pack, args.as_at)
        sys.stdout.write(line)
        with RESULTS.open("a") as out:
            out.write(line)


if __name__ == "__main__":
    main()
