"""casewatch's benchmarks, in one command; the figures are written to benchmarks/results.md.

    .venv/bin/python -m benchmarks                 # 10k, 80k and 1M, baselines at 10k, 12M projected
    .venv/bin/python -m benchmarks --england       # also generate, load and evaluate all of England (12M)
    .venv/bin/python -m benchmarks --quick         # 10k only, 1M dates: a smoke run of the harness

Every scale point runs in its own process (so its peak memory is its own) on a synthetic council generated
once into a cache folder and reused by later runs. Wall time is what a user waits; CPU time (user + system,
all threads) is given too, because on a shared machine wall time also measures the neighbours - the load
average at the start and end of the run says how busy the machine was. Nothing here is asserted: speed is
recorded, never tested, because timed assertions on shared machines are flaky.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from benchmarks import compare, machine, reevaluate, workdays
from casewatch.data.load import load_case_data
from casewatch.synth.cache import CouncilSpec, cached_council

RESULTS = Path(__file__).with_name("results.md")
ROOT = Path(__file__).resolve().parent.parent
AS_AT = date(2026, 10, 30)
ENGLAND = 12_000_000
AVERAGE_COUNCIL = 80_000
TARGET_AVERAGE_S = 5.0
TARGET_ENGLAND_S = 600.0
TARGET_ENGLAND_MIB = 16 * 1024
TARGET_PANDAS_RATIO = 100.0
#: Where a target is beaten, the next one to aim for (the issue: "where it is beaten, say so and set the next one").
NEXT_TARGETS = {
    "average": "evaluate in under 1 s, load and evaluate together in under 3 s",
    "england": "under 5 minutes within 8 GB",
    "pandas": "at least 100x on the 10,000-child council too, where casewatch's fixed cost per standard dominates",
}
#: Councils this large are loaded the memory-bounded way (a working database on disk, DuckDB capped at the
#: limit). England: a 10GB cap peaked at 16.1 GiB (the evaluated instances, held by Python, come on top), 8GB at 13.9.
MEMORY_LIMITS = {1_000_000: "2GB", ENGLAND: "8GB"}


def _scale(population: int, years: int, cache: Path, extra: list[str] | None = None) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.scale", "--population", str(population), "--years", str(years)]
    command += ["--folder", str(cache), *(extra or [])]
    if population in MEMORY_LIMITS and not extra:
        command += ["--memory-limit", MEMORY_LIMITS[population]]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark of {population:,} children failed:\n{done.stderr[-3000:]}")
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    out["process_s"] = time.perf_counter() - started
    return out


def _baseline_sizes(args: argparse.Namespace) -> list[tuple[int, bool]]:
    """Which councils the baselines run on, and whether the (slow) reference evaluator runs there too."""
    if args.quick:
        return [(10_000, True)]
    sizes = [(10_000, True), (AVERAGE_COUNCIL, False)]
    if args.pandas_1m:
        sizes.append((1_000_000, False))
    return sizes


def _bounded(population: int, cache: Path) -> dict[str, Any]:
    """Load a council the memory-bounded way where the scale points do."""
    if population not in MEMORY_LIMITS:
        return {}
    return {"work_dir": cache / f"work-baseline-{population}", "memory_limit": MEMORY_LIMITS[population]}


def _synth_command(command: str) -> str:
    """The ``casewatch synth ...`` part of a recorded command line, without the machine's own paths."""
    words = command.split()
    start = next((i for i, w in enumerate(words) if w.endswith("casewatch")), 0)
    return " ".join(["casewatch", *words[start + 1 :]])


def _checked(point: dict[str, Any]) -> str:
    if "issues_by_code" not in point:
        return "–"
    found = [f"{n:,} {code}" for code, n in point["issues_by_code"].items()]
    rejected = point["rows_rejected"]
    if not found and not rejected:
        return "clean"
    return ", ".join([*found, *([f"{rejected:,} rows rejected"] if rejected else [])])


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _verdict(measured: float, target: float, *, lower_is_better: bool = True) -> str:
    if lower_is_better:
        ratio = measured / target
        return "met" if ratio <= 1 else f"missed by {measured - target:,.1f} ({ratio:.1f}x the target)"
    ratio = target / measured if measured else float("inf")
    return "met" if measured >= target else f"missed: {measured:,.1f}x, {ratio:.1f}x short"


def _project(points: list[dict[str, Any]], population: int) -> dict[str, float]:
    """Linear projection from the largest measured point (time and memory grow with rows, as measured)."""
    base = max(points, key=lambda p: p["population"])
    factor = population / base["population"]
    return {
        "from": base["population"],
        "generate_s": (base["generate_s"] or float("nan")) * factor,
        "load_s": base["load_s"] * factor,
        "evaluate_s": base["evaluate_s"] * factor,
        # A capped run's memory does not grow with the data, so it is not projected (None) from one.
        "peak_rss_mib": None if base.get("memory_limit") else base["peak_rss_mib"] * factor,
        "rows_in": base["rows_in"] * factor,
        "instances_out": base["instances_out"] * factor,
    }


def _generation_projection(points: list[dict[str, Any]]) -> str:
    generated = [p for p in points if p.get("generate_s") and p["population"] < ENGLAND]
    if not generated:
        return "not available (every council came from the cache)"
    base = max(generated, key=lambda p: p["population"])
    return f"{base['generate_s'] * ENGLAND / base['population'] / 60:.0f} minutes from {base['population']:,}"


def _baselines(baselines: list[dict[str, Any]]) -> list[str]:
    """The engine against pandas (every size measured) and the reference evaluator (where it was run)."""
    lines = [
        "",
        "## casewatch against two baselines, on the same councils",
        "",
        "Evaluation time only, the data already in memory in each evaluator's own form; casewatch evaluated once, "
        "cold (its compiled-SQL cache cleared). pandas: `benchmarks/pandas_impl.py`, every england standard "
        "written as an analyst would, per-child `groupby(...).apply(...)`. Reference: the tests' pure-Python "
        "evaluator (`tests/reference`), run on the smaller councils only (at 80,000 children it takes minutes). "
        "Every instance is compared on its key, status, due date and completed date.",
        "",
        "| population | rows in | instances | casewatch s | pandas s | casewatch is | pandas results "
        "| reference s | casewatch is | reference results |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for b in baselines:
        c = b["result"]
        ref = (
            f"| {c['reference_s']:.2f} | {c['reference_s'] / c['engine_s']:.1f}x as fast "
            f"| {c['vs_reference'].summary()} |"
            if c["vs_reference"] is not None
            else "| – | – | not run |"
        )
        lines.append(
            f"| {b['population']:,} | {c['rows_in']:,} | {c['instances']:,} | {c['engine_s']:.2f} "
            f"| {c['pandas_s']:.2f} | {c['pandas_s'] / c['engine_s']:.1f}x as fast | {c['vs_pandas'].summary()} {ref}"
        )
    largest = max(baselines, key=lambda b: b["population"])["result"]
    missing = largest["pandas_missing_standards"]
    lines += [
        "",
        f"pandas covers {len(largest['pandas_standards'])} standards"
        + (f"; not covered: {', '.join(missing)}." if missing else ", the whole pack.")
        + f" Where its time goes at {max(b['population'] for b in baselines):,} children (seconds per standard): "
        + ", ".join(f"{k} {v:.1f}" for k, v in sorted(largest["pandas_per_standard_s"].items(), key=lambda kv: -kv[1]))
        + ".",
    ]
    for b in baselines:
        c = b["result"]
        for label, agreement in (("reference", c["vs_reference"]), ("pandas", c["vs_pandas"])):
            if agreement is None:
                continue
            for key, ours, theirs in agreement.different[:5]:
                lines.append(f"- {b['population']:,}: differs from {label}: {key}: casewatch {ours}, {label} {theirs}")
            for key in agreement.only_left[:5]:
                lines.append(f"- {b['population']:,}: only casewatch has {key}")
            for key in agreement.only_right[:5]:
                lines.append(f"- {b['population']:,}: only {label} has {key}")
    return lines


def _report(run: dict[str, Any]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `.venv/bin/python -m benchmarks{run['args']}` on {run['when']} (UTC); the run took "
        f"{run['total_s'] / 60:.1f} minutes. Synthetic councils: `casewatch synth`, seed 1, {run['years']} years "
        f"of history to {AS_AT}, timeliness 0.85, Parquet. How to read these figures and the profiling notes: "
        "benchmarks/README.md.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in run["machine"].items()),
        f"| load average at start (1/5/15 min) | {run['load_start']} |",
        f"| load average at end | {run['load_end']} |",
        "",
        "## Targets",
        "",
        "| target | measured | verdict | next target |",
        "| --- | --- | --- | --- |",
        *run["targets"],
        "",
        "## Evaluation of the england pack by council size",
        "",
        "Load = reading the Parquet files into DuckDB with the data-quality checks; evaluate = every standard of "
        "the pack. CPU = user + system seconds, all threads.",
        "",
        "Memory limit: where given, the council was loaded into a working database on disk with DuckDB capped at "
        "that size (`casewatch evaluate --work-dir DIR --memory-limit SIZE`); work MiB is that folder's size at "
        "the end. Elsewhere the council is held in memory.",
        "",
        "Data check: what `casewatch data check` reports of the council as it is loaded (rows rejected, and "
        "issues such as an impossible order of dates); clean means none at all.",
        "",
        "| population | kind | rows in | instances out | generate s | load s | evaluate s | load CPU s "
        "| evaluate CPU s | peak RSS MiB | memory limit | work MiB | files MiB | data check |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for p in run["scale"]:
        kind = p.get("kind", "measured")
        lines.append(
            f"| {p['population']:,} | {kind} | {p['rows_in']:,} | {p['instances_out']:,} "
            f"| {_fmt(p['generate_s'], 2)} | {_fmt(p['load_s'], 2)} | {_fmt(p['evaluate_s'], 2)} "
            f"| {_fmt(p['load_cpu_s'], 2)} | {_fmt(p['evaluate_cpu_s'], 2)} | {_fmt(p['peak_rss_mib'], 0)} "
            f"| {p.get('memory_limit') or 'in memory'} | {_fmt(p.get('work_mib'), 0)} | {_fmt(p['disk_mib'], 0)} "
            f"| {_checked(p)} |"
        )
    projection = run.get("england_projection")
    if projection:
        lines.append(
            f"| {ENGLAND:,} | projected from {projection['from']:,} (x{ENGLAND / projection['from']:.0f}) "
            f"| {_fmt(projection['rows_in'], 0)} | {_fmt(projection['instances_out'], 0)} "
            f"| {_fmt(projection['generate_s'], 0)} "
            f"| {_fmt(projection['load_s'], 0)} | {_fmt(projection['evaluate_s'], 0)} | – | – "
            f"| {_fmt(projection['peak_rss_mib'], 0)} | – | – | – | – |"
        )
    sizes = {p["population"]: p for p in run["scale"]}
    if ENGLAND in sizes and "copies" in str(sizes[ENGLAND].get("kind")) and 1_000_000 in sizes:
        copied, million = sizes[ENGLAND]["rows_in"], sizes[1_000_000]["rows_in"]
        if copied != 12 * million:
            lines += [
                "",
                f"The England row was measured on copies of the 1M council as the generator made it then "
                f"({copied // 12:,} rows a copy); the generator has changed since (the 1M council above has "
                f"{million:,} rows), so England's rows differ from twelve times the 1M row by "
                f"{(copied - 12 * million) / (12 * million):+.1%}.",
            ]
    made = sizes.get(ENGLAND, {})
    if made.get("generate_peak_rss_mib"):
        lines += [
            "",
            f"England was generated by `{_synth_command(made['generate_command'])}` under `/usr/bin/time -v`: "
            f"{made['generate_s'] / 60:.1f} minutes wall, {made['generate_cpu_s'] / 60:.1f} minutes CPU, peak RSS "
            f"{made['generate_peak_rss_mib']:,.0f} MiB (memory bounded by the chunk of children, not the council).",
        ]
    gen = run.get("england_generation")
    if gen:
        lines += [
            "",
            f"England-scale generation, timed partial run: building England's workforce took {gen['setup_s']:.1f} s "
            f"and the first {gen['batches_done']} of {gen['batches_total']} batches of children "
            f"{gen['per_batch_s']:.2f} s each, peak RSS {gen['peak_rss_mib']:,.0f} MiB. The first batches are the "
            "children born most recently, who have the least history, so England's generation time is projected "
            f"linearly from the largest generated council instead: {_generation_projection(run['scale'])}; "
            "generation memory is bounded by the chunk, not the council, so England's peak should stay near the 1M "
            "figure plus the larger workforce.",
        ]
    lines += _baselines(run["baselines"])
    w = run["workdays"]
    lines += [
        "",
        "## Working-day arithmetic",
        "",
        f"Adding working days to {w['dates']:,} dates ({w['range']}), England and Wales calendar.",
        "",
        "| implementation | seconds | results |",
        "| --- | ---: | --- |",
        f"| casewatch calendar (`add_working_days_many`) | {w['casewatch_s']:.2f} | – |",
        f"| `numpy.busday_offset` with the same holidays | {w['numpy_s']:.2f} | "
        + ("identical" if not w["mismatched"] else f"{w['mismatched']:,} differ, e.g. {w['first_mismatch']}")
        + " |",
    ]
    r = run["reevaluate"]
    lines += [
        "",
        f"## Re-evaluation after one child's record changes ({run['reevaluate_population']:,}-child council)",
        "",
        f"Change: child {r['child']}, {r['change']}. The engine has no incremental mode, so:",
        "",
        "| way | seconds | the child's instances |",
        "| --- | ---: | --- |",
        f"| full re-evaluation of the pack | {r['full_s']:.2f} | {r['child_instances']} |",
        f"| the child's rows copied to a scratch database, pack evaluated there | {r['one_child_s']:.2f} "
        f"(copy {r['copy_s']:.2f}) | {'identical to the full run' if r['same'] else 'DIFFERENT from the full run'} |",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run casewatch's benchmarks and write benchmarks/results.md.")
    parser.add_argument("--england", action="store_true", help="also measure 12M for real (about an hour or more)")
    parser.add_argument("--quick", action="store_true", help="10k only and 1M dates: check the harness works")
    parser.add_argument(
        "--pandas-1m", action="store_true", help="also time pandas against casewatch on the 1M council (half an hour)"
    )
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "casewatch-benchmarks")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--england-measured",
        type=Path,
        default=None,
        metavar="JSON",
        help="the output of a separate `python -m benchmarks.scale --population 12000000 ...` run, recorded as "
        "England's measured figures instead of a projection",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    run: dict[str, Any] = {
        "when": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
        "args": "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:])),
        "years": args.years,
        "machine": machine.describe(),
        "load_start": machine.load_average(),
    }
    populations = [10_000] if args.quick else [10_000, AVERAGE_COUNCIL, 1_000_000]
    if args.england:
        populations.append(ENGLAND)
    run["scale"] = []
    for population in populations:
        print(f"scale: {population:,} children ...", flush=True)
        run["scale"].append(_scale(population, args.years, args.cache))
    if args.england_measured is not None and not args.england:
        england = json.loads(args.england_measured.read_text())
        when = datetime.fromtimestamp(args.england_measured.stat().st_mtime, UTC)
        if england.get("generate_command"):
            made = "a council generated by `casewatch synth` (the command is below)"
        elif Path(england.get("council", "")).name.startswith(f"council-{ENGLAND}-"):
            made = "a generated council"
        else:
            made = "12 disjoint copies of the 1M council (`benchmarks.replicate`)"
        england["kind"] = f"measured separately ({when:%Y-%m-%d %H:%M} UTC, `benchmarks.scale`) on {made}"
        run["scale"].append(england)
    elif not args.england:
        print("England: timed partial generation ...", flush=True)
        run["england_generation"] = _scale(ENGLAND, args.years, args.cache, ["--partial-batches", "4"])
        run["england_projection"] = _project(run["scale"], ENGLAND)
    small = run["scale"][0]["population"]
    run["baselines"] = []
    for population, reference in _baseline_sizes(args):
        print(f"baselines on {population:,} children{'' if reference else ' (pandas only)'} ...", flush=True)
        folder, _ = cached_council(args.cache, CouncilSpec(population, args.years, 1, AS_AT))
        data = load_case_data(folder, as_at=AS_AT, **_bounded(population, args.cache))
        try:
            result = compare.run(data, AS_AT, reference=reference)
        finally:
            data.close()
        run["baselines"].append({"population": population, "result": result})
    print("working days ...", flush=True)
    run["workdays"] = workdays.run(1_000_000 if args.quick else 10_000_000)
    reeval = small if args.quick else AVERAGE_COUNCIL
    run["reevaluate_population"] = reeval
    print(f"re-evaluation on {reeval:,} children ...", flush=True)
    folder, _ = cached_council(args.cache, CouncilSpec(reeval, args.years, 1, AS_AT))
    run["reevaluate"] = reevaluate.run(load_case_data(folder, as_at=AS_AT), AS_AT)
    run["load_end"] = machine.load_average()
    run["targets"] = _targets(run)
    run["total_s"] = time.perf_counter() - started
    text = _report(run)
    args.out.write_text(text)
    print(text)


def _next(target: str, met: bool) -> str:
    return NEXT_TARGETS[target] if met else "this one, still"


def _targets(run: dict[str, Any]) -> list[str]:
    rows = []
    by_population = {p["population"]: p for p in run["scale"]}
    average = by_population.get(AVERAGE_COUNCIL)
    if average:
        rows.append(
            f"| average council (80k, {run['years']} years) evaluated in under {TARGET_AVERAGE_S:.0f} s "
            f"| evaluate {average['evaluate_s']:.1f} s wall, {average['evaluate_cpu_s']:.1f} s CPU "
            f"(load {average['load_s']:.1f} s wall, {average['load_cpu_s']:.1f} s CPU, more) "
            f"| evaluation {_verdict(average['evaluate_s'], TARGET_AVERAGE_S)}; with loading "
            f"{_verdict(average['load_s'] + average['evaluate_s'], TARGET_AVERAGE_S)} "
            f"| {_next('average', average['load_s'] + average['evaluate_s'] <= TARGET_AVERAGE_S)} |"
        )
    england = by_population.get(ENGLAND)
    if england:
        total = england["load_s"] + england["evaluate_s"]
        rows.append(
            f"| England (12M) under 10 minutes within 16 GB | measured: {total / 60:.1f} min, "
            f"{england['peak_rss_mib'] / 1024:.1f} GiB | time {_verdict(total, TARGET_ENGLAND_S)}; memory "
            f"{_verdict(england['peak_rss_mib'], TARGET_ENGLAND_MIB)} "
            f"| {_next('england', total <= TARGET_ENGLAND_S and england['peak_rss_mib'] <= TARGET_ENGLAND_MIB)} |"
        )
    elif run.get("england_projection"):
        p = run["england_projection"]
        total = p["load_s"] + p["evaluate_s"]
        if p["peak_rss_mib"] is None:
            memory = f"memory not projected (capped at {MEMORY_LIMITS[ENGLAND]} for DuckDB; run --england to measure)"
            peak = "memory capped"
        else:
            memory = f"memory {_verdict(p['peak_rss_mib'], TARGET_ENGLAND_MIB)}"
            peak = f"{p['peak_rss_mib'] / 1024:.0f} GiB"
        rows.append(
            f"| England (12M) under 10 minutes within 16 GB | PROJECTED (linear from {p['from']:,}): "
            f"{total / 60:.0f} min, {peak} | time {_verdict(total, TARGET_ENGLAND_S)}; "
            f"{memory} (projections, not measurements) | measure it |"
        )
    baselines = {b["population"]: b["result"] for b in run["baselines"]}
    judged = AVERAGE_COUNCIL if AVERAGE_COUNCIL in baselines else min(baselines)
    c = baselines[judged]
    ratio = c["pandas_s"] / c["engine_s"]
    others = ", ".join(
        f"{r['pandas_s'] / r['engine_s']:.0f}x at {p:,}" for p, r in sorted(baselines.items()) if p != judged
    )
    rows.append(
        f"| at least {TARGET_PANDAS_RATIO:.0f}x the pandas implementation | {ratio:.0f}x on {judged:,} children "
        f"(the average council){f'; {others}' if others else ''} "
        f"| {_verdict(ratio, TARGET_PANDAS_RATIO, lower_is_better=False)} "
        f"| {_next('pandas', ratio >= TARGET_PANDAS_RATIO)} |"
    )
    return rows


if __name__ == "__main__":
    main()
